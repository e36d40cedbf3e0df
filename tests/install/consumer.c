/*
 * A C program outside Baton's build: it is compiled with nothing but
 * `pkg-config --cflags --libs baton` against an installed prefix (make
 * test-install), once against libbaton.so and once against libbaton.a, and
 * runs one event through a channel it formats itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <baton.h>

static void on_completion(void *context, const baton_outcome *completion)
{
    int32_t *status = context;
    *status = completion->status;
}

int main(void)
{
    baton_config config = {
        .slab_capacity = 4,
        .slot_size = 192,
        .dispatch_ring_capacity = 8,
        .completion_ring_capacity = 1024,
        .latency_ring_capacity = 4,
        .attachment_capacity = 16,
        .completion_timeout_ns = 1000000000,
        .starvation_threshold_ns = 1000000000,
    };
    uint64_t length = baton_segment_length(&config);
    uint64_t rounded = (length + BATON_SEGMENT_ALIGNMENT - 1) / BATON_SEGMENT_ALIGNMENT * BATON_SEGMENT_ALIGNMENT;
    void *memory = aligned_alloc(BATON_SEGMENT_ALIGNMENT, rounded);
    baton_channel *channel = NULL;
    if (memory == NULL || baton_format(memory, length, &config) != BATON_OK ||
        baton_attach(memory, length, &channel) != BATON_OK) {
        fprintf(stderr, "consumer: cannot make a channel\n");
        return 1;
    }
    int64_t handle = baton_dispatch(channel, 0, 42, 0, 0, 1, "ping", 4);
    baton_event event;
    int polled = baton_poll(channel, &event, 0);
    int completed = polled == 1 ? baton_complete(channel, event.handle, 200, "pong", 4) : polled;
    int32_t status = 0;
    int drained = baton_drain_each(channel, on_completion, &status, 8);
    int stale = baton_complete(channel, (uint64_t)handle, 200, NULL, 0);
    baton_close(channel);
    baton_detach(channel);
    free(memory);
    if (handle <= 0 || polled != 1 || completed != BATON_OK || drained != 1 || status != 200 || stale != BATON_ESTALE) {
        fprintf(stderr, "consumer: handle %lld, poll %d, complete %d (%s), drained %d, status %d, stale %d\n",
                (long long)handle, polled, completed, baton_strerror(completed), drained, (int)status, stale);
        return 1;
    }
    printf("consumer: one event through an installed libbaton (%s)\n", baton_strerror(stale));
    return 0;
}
