/*
 * The instruction budget of libbaton's hot paths: one thread plays host and handler in turn over a
 * channel in its own memory, so that valgrind's callgrind counts each path's instructions exactly,
 * whatever else the machine does. Each path is one noinline function, named in the report
 * (bench/native/instruction-table turns callgrind's inclusive counts into instructions per event):
 *   - one event at a time: dispatch, claim (baton_poll), read the payload, complete, drain one;
 *   - in batches of 64: dispatch 64 with baton_dispatch_batch, claim them with baton_poll_batch,
 *     complete them with baton_complete_batch, drain 64 at once.
 *
 * Run natively, it also prints each loop's time per event (the same work on one core with no
 * hand-off between cores, against which the report sets the two-core pipelines' time per event) and
 * what one read of the clock libbaton uses costs here.
 *
 *   valgrind --tool=callgrind instructions <events>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "baton.h"

#define BATCH 64

static baton_channel *channel;
static baton_event events[BATCH];
static baton_outcome outcomes[BATCH];
static uint8_t results[BATCH * 64];

__attribute__((noinline)) static int64_t one_dispatch(int64_t number)
{
    return baton_dispatch(channel, 0, (uint64_t)number, 0, 0, 1, &number, sizeof number);
}

__attribute__((noinline)) static int one_claim(void)
{
    return baton_poll(channel, &events[0], 0);
}

__attribute__((noinline)) static int one_read_payload(int64_t *number)
{
    return baton_read_payload(channel, &events[0], number, sizeof *number);
}

__attribute__((noinline)) static int one_complete(int64_t answer)
{
    return baton_complete(channel, events[0].handle, 200, &answer, sizeof answer);
}

__attribute__((noinline)) static int one_drain(void)
{
    return baton_drain(channel, outcomes, NULL, 1, results, sizeof results);
}

static int64_t numbers[BATCH];
static baton_dispatch_entry entries[BATCH];
static int64_t handles[BATCH];

__attribute__((noinline)) static int batch_dispatch(int64_t first)
{
    for (int i = 0; i < BATCH; i++) {
        numbers[i] = first + i;
        entries[i] = (baton_dispatch_entry){.event_id_lo = (uint64_t)numbers[i], .kind = 1,
                                            .payload = (const uint8_t *)&numbers[i], .payload_length = sizeof numbers[i]};
    }
    return baton_dispatch_batch(channel, entries, BATCH, handles) == BATCH;
}

__attribute__((noinline)) static int batch_claim(void)
{
    return baton_poll_batch(channel, events, BATCH);
}

static int64_t answers[BATCH];
static baton_completion completions[BATCH];
static int32_t codes[BATCH];

__attribute__((noinline)) static int batch_complete(void)
{
    for (int i = 0; i < BATCH; i++) {
        answers[i] = 2 * (int64_t)events[i].event_id_lo;
        completions[i] = (baton_completion){.handle = events[i].handle, .status = 200,
                                            .result = (const uint8_t *)&answers[i], .result_length = sizeof answers[i]};
    }
    return baton_complete_batch(channel, completions, BATCH, codes) == BATCH;
}

__attribute__((noinline)) static int batch_drain(void)
{
    return baton_drain(channel, outcomes, NULL, BATCH, results, sizeof results);
}

static double now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1e9 + (double)now.tv_nsec;
}

int main(int argc, char **argv)
{
    const long count = argc > 1 ? atol(argv[1]) : 100000;
    const baton_config config = {
        .slab_capacity = 1024,
        .slot_size = 256,
        .dispatch_ring_capacity = 2048,
        .completion_ring_capacity = 64 * 1024,
        .latency_ring_capacity = 1024,
        .attachment_capacity = 16,
        .completion_timeout_ns = 60 * INT64_C(1000000000),
        .starvation_threshold_ns = INT64_C(1000000000),
    };
    uint64_t length = baton_segment_length(&config);
    void *memory = aligned_alloc(BATON_SEGMENT_ALIGNMENT, length);
    if (memory == NULL || baton_format(memory, length, &config) != BATON_OK ||
        baton_attach(memory, length, &channel) != BATON_OK) {
        return 1;
    }
    double started = now_ns();
    for (long i = 0; i < count; i++) {
        int64_t number;
        if (one_dispatch(i) <= 0 || one_claim() != 1 || one_read_payload(&number) != sizeof number ||
            one_complete(2 * number) != BATON_OK || one_drain() != 1) {
            fprintf(stderr, "one at a time: event %ld failed\n", i);
            return 1;
        }
    }
    double one_at_a_time_ns = (now_ns() - started) / (double)count;
    started = now_ns();
    for (long i = 0; i < count; i += BATCH) {
        if (!batch_dispatch(i) || batch_claim() != BATCH || !batch_complete() || batch_drain() != BATCH) {
            fprintf(stderr, "in batches: event %ld failed\n", i);
            return 1;
        }
    }
    double batched_ns = (now_ns() - started) / (double)count;
    started = now_ns();
    for (long i = 0; i < count; i++) {
        (void)now_ns();
    }
    double clock_ns = (now_ns() - started) / (double)count;
    printf("one-at-a-time-ns %.1f batched-ns %.1f clock-read-ns %.1f\n", one_at_a_time_ns, batched_ns, clock_ns);
    baton_detach(channel);
    free(memory);
    return 0;
}
