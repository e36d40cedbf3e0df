/*
 * Runs the C guide's handler (docs/guide/c-handlers.md) (make test-readme extracts it into c_handler.c): two threads serve
 * a channel this program formats, and every number must come back doubled, exactly once.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_handler.c"

#define EVENTS 10000

typedef struct handler_thread {
    pthread_t thread;
    baton_channel *channel;
    atomic_int *running;
    long completed;
} handler_thread;

static void *run(void *argument)
{
    handler_thread *self = argument;
    self->completed = serve_doubles(self->channel, self->running);
    return NULL;
}

static unsigned char seen[EVENTS];
static int wrong;

static void check_answer(void *context, const baton_outcome *completion)
{
    (void)context;
    int64_t answer;
    memcpy(&answer, completion->result, sizeof answer);
    if (completion->timed_out || completion->event_id_lo >= EVENTS || answer != 2 * (int64_t)completion->event_id_lo) {
        wrong++;
        return;
    }
    seen[completion->event_id_lo]++;
}

int main(void)
{
    baton_config config = {
        .slab_capacity = 64,
        .slot_size = 192,
        .dispatch_ring_capacity = 128,
        .completion_ring_capacity = 16 * 1024,
        .latency_ring_capacity = 64,
        .attachment_capacity = 16,
        .completion_timeout_ns = 10000000000,
        .starvation_threshold_ns = 1000000000,
    };
    uint64_t length = baton_segment_length(&config);
    uint64_t rounded = (length + BATON_SEGMENT_ALIGNMENT - 1) / BATON_SEGMENT_ALIGNMENT * BATON_SEGMENT_ALIGNMENT;
    void *memory = aligned_alloc(BATON_SEGMENT_ALIGNMENT, rounded);
    baton_channel *host = NULL;
    if (memory == NULL || baton_format(memory, length, &config) != BATON_OK ||
        baton_attach(memory, length, &host) != BATON_OK) {
        fprintf(stderr, "readme c handler: cannot make a channel\n");
        return 1;
    }
    atomic_int running = 1;
    handler_thread handlers[2];
    for (int i = 0; i < 2; i++) {
        handlers[i].running = &running;
        if (baton_attach(memory, length, &handlers[i].channel) != BATON_OK ||
            pthread_create(&handlers[i].thread, NULL, run, &handlers[i]) != 0) {
            fprintf(stderr, "readme c handler: cannot start a handler\n");
            return 1;
        }
    }
    int64_t dispatched = 0;
    long drained = 0;
    while (drained < EVENTS && wrong == 0) {
        if (dispatched < EVENTS &&
            baton_dispatch(host, 0, (uint64_t)dispatched, 0, 0, 1, &dispatched, sizeof dispatched) > 0) {
            dispatched++;
        }
        int count = baton_drain_each(host, check_answer, NULL, 64);
        drained += count > 0 ? count : 0;
    }
    atomic_store(&running, 0);
    long completed = 0;
    for (int i = 0; i < 2; i++) {
        pthread_join(handlers[i].thread, NULL);
        completed += handlers[i].completed;
        baton_detach(handlers[i].channel);
    }
    baton_detach(host);
    free(memory);
    int once = 1;
    for (int i = 0; i < EVENTS; i++) {
        once &= seen[i] == 1;
    }
    if (wrong != 0 || !once || completed != EVENTS) {
        fprintf(stderr, "readme c handler: %d wrong answers, each once: %d, completed %ld of %d\n", wrong, once,
                completed, EVENTS);
        return 1;
    }
    printf("readme c handler: %d numbers doubled by two threads, each reported once\n", EVENTS);
    return 0;
}
