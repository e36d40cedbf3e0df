/*
 * C handler threads for a channel that a Java host created: the pool behind
 * `make demo DEMO_ARGS="--handler-mode c"` and the Java-host-to-C ledger test.
 * Each thread attaches to the memory, sleeps in baton_await_events while
 * nothing is dispatched, polls up to 64 events at once (baton_poll_batch),
 * reads each payload (an 8-byte number, and any bytes after it) and completes
 * the batch in one call (baton_complete_batch), each with status 200 and the
 * payload with its number doubled: 8 bytes for 8, as long as the payload for longer ones, so a long
 * payload's result travels in a block too. A thread stays silent on
 * silent_per_mille of the events (never completes them), so that timeouts
 * happen; the choice is made from the event id, so it is repeatable. An
 * event of kind KIND_YIELD_ONCE is first yielded (baton_yield) with its
 * payload as the continuation, and completed on its second delivery with
 * status 200 + its yields, so that a host sees each such event yielded once.
 *
 * The pool convention, shared with the Rust pool in tests/rust:
 *   void *<prefix>_start(void *memory, uint64_t length, uint32_t threads, uint32_t silent_per_mille);
 *   int64_t <prefix>_stop(void *pool, uint64_t *served, uint32_t capacity);
 * It also exports baton_c_handle_one, the work itself, for the crossing benchmark.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "baton.h"

#define STATUS_OK 200
#define KIND_YIELD_ONCE 0x59
#define POLL_TIMEOUT_NS 1000000
#define BATCH 64

typedef struct worker {
    pthread_t thread;
    struct pool *pool;
    baton_channel *channel;
    uint64_t served;
    uint8_t *payload; /* grown to the longest payload read so far */
    uint32_t capacity;
} worker;

typedef struct pool {
    _Atomic int running;
    uint32_t silent_per_mille;
    uint32_t threads;
    worker workers[];
} pool;

/* The handlers' work on one event, also callable on its own: the crossing benchmark calls it once
 * per event through a downcall, to compare with serving events through the rings. */
__attribute__((visibility("default"))) int64_t baton_c_handle_one(int64_t number)
{
    return 2 * number;
}

static int is_silent(const baton_event *event, uint32_t silent_per_mille)
{
    uint64_t mixed = (event->event_id_lo ^ event->event_id_hi) * UINT64_C(0x9E3779B97F4A7C15);
    return (mixed >> 54) % 1000 < silent_per_mille;
}

/* Grows the worker's scratch to hold at least length bytes: 0, or -1 when there is no memory. */
static int reserve(worker *self, uint64_t length)
{
    if (length <= self->capacity) {
        return 0;
    }
    uint8_t *grown = realloc(self->payload, length);
    if (grown == NULL) {
        return -1;
    }
    self->payload = grown;
    self->capacity = (uint32_t)length;
    return 0;
}

/* Answers one polled event into room at the scratch's offset: its completion's result length, or -1
 * when it gets none here (ended meanwhile, silent on purpose, or yielded: the host hears of it). */
static int answer(worker *self, const baton_event *event, uint8_t *room)
{
    int read = baton_read_payload(self->channel, event, room, event->payload_length);
    int64_t number;
    if (read < (int)sizeof number || is_silent(event, self->pool->silent_per_mille)) {
        return -1; /* ended meanwhile, not ours to answer, or silent on purpose: it times out */
    }
    if (event->kind == KIND_YIELD_ONCE && event->yields == 0) {
        int yielded;
        while ((yielded = baton_yield(self->channel, event->handle, room, (uint32_t)read)) == BATON_EAGAIN ||
               yielded == BATON_ENOSPC) {
            sched_yield();
        }
        return -1; /* back in the ring; or it ended meanwhile, and the host hears of that */
    }
    memcpy(&number, room, sizeof number);
    number = baton_c_handle_one(number);
    memcpy(room, &number, sizeof number);
    return read;
}

/* Completes a batch, retrying from the first entry that found no room: 0, or BATON_ESHUTDOWN. */
static int complete_all(worker *self, const baton_completion *completions, uint32_t count)
{
    int32_t codes[BATCH];
    uint32_t settled = 0;
    while (settled < count) {
        int done = baton_complete_batch(self->channel, completions + settled, count - settled, codes);
        if (done < 0) {
            return done;
        }
        for (int i = 0; i < done; i++) {
            self->served += codes[i] == BATON_OK;
        }
        settled += (uint32_t)done;
        if (settled < count) {
            sched_yield(); /* the completion ring is full until the host drains */
        }
    }
    return 0;
}

/* Polls up to BATCH events at once, answers each into the worker's scratch, and completes them in one
 * call: a handful of calls into libbaton per batch rather than four per event. */
static void *serve(void *argument)
{
    worker *self = argument;
    baton_event events[BATCH];
    baton_completion completions[BATCH];
    while (atomic_load_explicit(&self->pool->running, memory_order_acquire)) {
        int taken = baton_poll_batch(self->channel, events, BATCH);
        if (taken == 0) {
            taken = baton_await_events(self->channel, POLL_TIMEOUT_NS);
            if (taken == BATON_ESHUTDOWN || taken == BATON_EHOSTDOWN) {
                break; /* closed, or the host is gone */
            }
            continue;
        }
        if (taken < 0) {
            break; /* BATON_ESHUTDOWN */
        }
        uint64_t room = 0;
        for (int i = 0; i < taken; i++) {
            room += events[i].payload_length;
        }
        if (reserve(self, room) != 0) {
            continue; /* no memory to read them into: they time out */
        }
        uint32_t answered = 0;
        uint64_t offset = 0;
        for (int i = 0; i < taken; i++) {
            int length = answer(self, &events[i], self->payload + offset);
            if (length >= 0) {
                completions[answered++] = (baton_completion){
                    .handle = events[i].handle,
                    .status = STATUS_OK + (int32_t)events[i].yields,
                    .result_length = (uint32_t)length,
                    .result = self->payload + offset,
                };
            }
            offset += events[i].payload_length;
        }
        if (complete_all(self, completions, answered) != 0) {
            break;
        }
    }
    baton_detach(self->channel);
    free(self->payload);
    return NULL;
}

__attribute__((visibility("default"))) void *baton_c_handlers_start(void *memory, uint64_t length, uint32_t threads,
                                                                     uint32_t silent_per_mille)
{
    if (threads == 0) {
        return NULL;
    }
    pool *started = calloc(1, sizeof *started + threads * sizeof(worker));
    if (started == NULL) {
        return NULL;
    }
    atomic_store(&started->running, 1);
    started->silent_per_mille = silent_per_mille;
    for (uint32_t i = 0; i < threads; i++) {
        worker *self = &started->workers[i];
        self->pool = started;
        if (baton_attach(memory, length, &self->channel) != BATON_OK ||
            pthread_create(&self->thread, NULL, serve, self) != 0) {
            if (self->channel != NULL) {
                baton_detach(self->channel);
            }
            atomic_store(&started->running, 0);
            for (uint32_t j = 0; j < i; j++) {
                pthread_join(started->workers[j].thread, NULL);
            }
            free(started);
            return NULL;
        }
        started->threads++;
    }
    return started;
}

__attribute__((visibility("default"))) int64_t baton_c_handlers_stop(void *handle, uint64_t *served,
                                                                      uint32_t capacity)
{
    pool *stopping = handle;
    if (stopping == NULL) {
        return BATON_EFAULT;
    }
    atomic_store_explicit(&stopping->running, 0, memory_order_release);
    int64_t total = 0;
    for (uint32_t i = 0; i < stopping->threads; i++) {
        pthread_join(stopping->workers[i].thread, NULL);
        total += (int64_t)stopping->workers[i].served;
        if (served != NULL && i < capacity) {
            served[i] = stopping->workers[i].served;
        }
    }
    free(stopping);
    return total;
}
