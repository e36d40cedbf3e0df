/*
 * C-only tests of libbaton: every bad input gets its documented code and
 * leaves the channel working; then dispatchers, handlers and a host in C
 * threads run at once and the ledger must balance. Built and run twice by
 * `make test`: under AddressSanitizer + UndefinedBehaviorSanitizer, and under
 * ThreadSanitizer.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "baton.h"

#include "check.h"

int passed;
int failed;


test_channel make_channel(uint32_t capacity, int64_t timeout_ns)
{
    return make_channel_yielding(capacity, timeout_ns, 0);
}

test_channel make_channel_yielding(uint32_t capacity, int64_t timeout_ns, uint32_t yield_limit)
{
    baton_config config = {
        .yield_limit = yield_limit,
        .slab_capacity = capacity,
        .slot_size = TEST_SLOT_SIZE,
        .dispatch_ring_capacity = capacity * 2,
        .completion_ring_capacity = 64 * 1024,
        .latency_ring_capacity = 16,
        .attachment_capacity = 16,
        .completion_timeout_ns = timeout_ns,
        .starvation_threshold_ns = 1000000000,
        .block_counts = {[0] = TEST_SMALL_BLOCKS, [6] = TEST_LARGE_BLOCKS},
    };
    test_channel made = {.length = baton_segment_length(&config)};
    /* aligned_alloc needs a size that is a multiple of the alignment */
    uint64_t rounded = (made.length + BATON_SEGMENT_ALIGNMENT - 1) & ~(uint64_t)(BATON_SEGMENT_ALIGNMENT - 1);
    made.memory = aligned_alloc(BATON_SEGMENT_ALIGNMENT, rounded);
    if (made.memory == NULL || baton_format(made.memory, made.length, &config) != BATON_OK ||
        baton_attach(made.memory, made.length, &made.channel) != BATON_OK) {
        fprintf(stderr, "cannot make a channel\n");
        exit(2);
    }
    return made;
}

void free_channel(test_channel *made)
{
    baton_detach(made->channel);
    free(made->memory);
}

baton_slot *slot_of_handle(void *memory, uint64_t handle)
{
    const baton_header *header = memory;
    return (baton_slot *)((uint8_t *)memory + header->slab_offset + (uint64_t)(uint32_t)handle * header->slot_size);
}

int claim_one(baton_channel *channel, uint64_t *handle)
{
    baton_event event;
    int polled = baton_poll(channel, &event, 0);
    *handle = polled == 1 ? event.handle : 0;
    return polled;
}

static void count_completion(void *context, const baton_outcome *completion)
{
    (void)completion;
    (*(int *)context)++;
}

/* After an error, the next valid operation still works: a full round trip. */
void check_still_works(baton_channel *channel)
{
    int64_t handle = baton_dispatch(channel, 1, 2, 3, 4, 5, "ok", 2);
    CHECK(handle > 0);
    uint64_t claimed;
    CHECK_CODE(1, claim_one(channel, &claimed));
    CHECK(claimed == (uint64_t)handle);
    CHECK_CODE(BATON_OK, baton_complete(channel, claimed, 0, "r", 1));
    int drained = 0;
    CHECK_CODE(1, baton_drain_each(channel, count_completion, &drained, 16));
}

static void test_bad_input(void)
{
    test_channel made = make_channel(4, 1000000000);
    baton_channel *channel = made.channel;
    baton_event event;
    baton_metrics metrics;
    baton_channel *attached;

    /* NULL pointers */
    CHECK_CODE(BATON_EFAULT, baton_attach(NULL, made.length, &attached));
    CHECK_CODE(BATON_EFAULT, baton_attach(made.memory, made.length, NULL));
    CHECK_CODE(BATON_EFAULT, baton_format(NULL, made.length, NULL));
    CHECK_CODE(BATON_EFAULT, baton_dispatch(NULL, 0, 0, 0, 0, 0, NULL, 0));
    CHECK_CODE(BATON_EFAULT, baton_dispatch(channel, 0, 0, 0, 0, 0, NULL, 4));
    CHECK_CODE(BATON_EFAULT, baton_poll(channel, NULL, 0));
    CHECK_CODE(BATON_EFAULT, baton_poll(NULL, &event, 0));
    CHECK_CODE(BATON_EFAULT, baton_poll_batch(channel, NULL, 4));
    CHECK_CODE(BATON_EFAULT, baton_complete(channel, 1, 0, NULL, 4));
    CHECK_CODE(BATON_EFAULT, baton_drain_each(channel, NULL, NULL, 4));
    CHECK_CODE(BATON_EFAULT, baton_read_metrics(channel, NULL));
    CHECK_CODE(BATON_EFAULT, baton_detach(NULL));
    CHECK(baton_segment_length(NULL) == 0);
    baton_config three = {.slab_capacity = 3};
    CHECK(baton_segment_length(&three) == 0);
    CHECK_DETAIL(BATON_EINVAL, "slab_capacity must be a power of two in [1, 16777216]: 3");
    CHECK(strcmp(baton_strerror(BATON_ESTALE), "stale handle: the slot was reused") == 0);
    CHECK(baton_strerror(-9999) != NULL);
    CHECK(baton_abi_version() == BATON_ABI_VERSION);
    CHECK(baton_struct_size(BATON_STRUCT_EVENT) == sizeof(baton_event));
    CHECK(baton_struct_size(BATON_STRUCT_DRAIN_COUNTS) == sizeof(baton_drain_counts));
    CHECK(baton_struct_size(BATON_STRUCT_TRACE_CONTEXT) == sizeof(baton_trace_context));
    CHECK(baton_struct_size(0) == 0 && baton_struct_size(BATON_STRUCT_LISTED_EVENT + 1) == 0);
    check_still_works(channel);

    /* handles: out of range, never dispatched, not claimed, double completion, stale */
    CHECK_CODE(BATON_ENOENT, baton_complete(channel, ((uint64_t)1 << 32) | 4, 0, NULL, 0));
    CHECK_CODE(BATON_ENOENT, baton_complete(channel, 0, 0, NULL, 0));
    CHECK_CODE(BATON_ENOENT, baton_complete(channel, UINT64_MAX, 0, NULL, 0));
    CHECK_CODE(BATON_ENOENT, baton_cancel(channel, ((uint64_t)9 << 32) | 99));
    int64_t handle = baton_dispatch(channel, 7, 7, 0, 0, 1, NULL, 0);
    CHECK_CODE(BATON_EPROTO, baton_complete(channel, (uint64_t)handle, 0, NULL, 0));
    uint64_t claimed;
    CHECK_CODE(1, claim_one(channel, &claimed));
    CHECK_CODE(BATON_OK, baton_complete(channel, claimed, 0, NULL, 0));
    CHECK_CODE(BATON_EALREADY, baton_complete(channel, claimed, 0, NULL, 0));
    CHECK_CODE(BATON_EALREADY, baton_cancel(channel, claimed));
    int drained = 0;
    CHECK_CODE(1, baton_drain_each(channel, count_completion, &drained, 16));
    CHECK_CODE(BATON_ESTALE, baton_complete(channel, claimed, 0, NULL, 0));
    CHECK_CODE(BATON_ESTALE, baton_cancel(channel, claimed));
    check_still_works(channel);

    /* oversize payload and result */
    char big[70000];
    memset(big, 'x', sizeof big);
    CHECK_CODE(BATON_EMSGSIZE, baton_dispatch(channel, 0, 0, 0, 0, 0, big, TEST_LARGEST_BLOCK + 1));
    CHECK(baton_dispatch(channel, 0, 0, 0, 0, 0, big, TEST_INLINE_PAYLOAD) > 0);
    CHECK_CODE(1, baton_poll(channel, &event, 0));
    claimed = event.handle;
    char copy[128];
    CHECK_CODE(BATON_EMSGSIZE, baton_read_payload(channel, &event, copy, 8));
    CHECK_CODE(BATON_EFAULT, baton_read_payload(channel, &event, NULL, 8));
    CHECK_CODE(TEST_INLINE_PAYLOAD, baton_read_payload(channel, &event, copy, sizeof copy));
    CHECK(memcmp(copy, big, TEST_INLINE_PAYLOAD) == 0);
    CHECK_CODE(BATON_EMSGSIZE, baton_complete(channel, claimed, 0, big, sizeof big));
    CHECK_CODE(BATON_OK, baton_complete(channel, claimed, 0, big, 64 * 1024 / 8 - BATON_COMPLETION_BODY_LENGTH));
    CHECK_CODE(1, baton_drain_each(channel, count_completion, &drained, 16));
    CHECK_CODE(BATON_ESTALE, baton_read_payload(channel, &event, copy, sizeof copy));
    check_still_works(channel);

    /* backpressure, then a full channel drains back to empty */
    for (int i = 0; i < 4; i++) {
        CHECK(baton_dispatch(channel, 0, (uint64_t)i, 0, 0, 0, NULL, 0) > 0);
    }
    CHECK_CODE(BATON_EAGAIN, baton_dispatch(channel, 0, 9, 0, 0, 0, NULL, 0));
    baton_event events[8];
    CHECK_CODE(4, baton_poll_batch(channel, events, 8));
    for (int i = 0; i < 4; i++) {
        CHECK_CODE(BATON_OK, baton_complete(channel, events[i].handle, 0, NULL, 0));
    }
    CHECK_CODE(4, baton_drain_each(channel, count_completion, &drained, 16));
    CHECK_CODE(BATON_OK, baton_read_metrics(channel, &metrics));
    CHECK(metrics.pending_count == 0 && metrics.awaiting_drain_count == 0);
    check_still_works(channel);

    /* latency recording: bad input, then the ring wraps and keeps the newest */
    CHECK_CODE(BATON_EFAULT, baton_record_latency(NULL, 1));
    CHECK_CODE(BATON_EINVAL, baton_record_latency(channel, -1));
    baton_latency_ring *latency = (baton_latency_ring *)((char *)made.memory + ((baton_header *)made.memory)->latency_ring_offset);
    const uint64_t before = latency->index; /* the drains above recorded their completions' latencies */
    CHECK(before > 0 && latency->native_count == before);
    for (int64_t i = 1; i <= 40; i++) {
        CHECK_CODE(BATON_OK, baton_record_latency(channel, i * 1000));
    }
    CHECK(latency->index == before + 40 && latency->native_count == before + 40);
    CHECK(latency->entries[(before + 39) % 16].sequence == before + 40 &&
          latency->entries[(before + 39) % 16].value_ns == 40000);
    CHECK(latency->entries[(before + 24) % 16].sequence == before + 25 &&
          latency->entries[(before + 24) % 16].source == BATON_LATENCY_SOURCE_NATIVE);
    check_still_works(channel);

    /* wrong magic, wrong ABI major, inconsistent sizes, misaligned or short memory */
    uint64_t *magic = made.memory;
    uint32_t *abi = (uint32_t *)((char *)made.memory + 8);
    uint32_t *slot_size = (uint32_t *)((char *)made.memory + 20);
    /* each refused with a detail that names the fault and both values (baton_error_detail) */
    char expected[256];
    *magic ^= 1;
    CHECK_CODE(BATON_EBADMSG, baton_attach(made.memory, made.length, &attached));
    snprintf(expected, sizeof expected, "not a Baton channel: its magic is 0x%016llx, a channel's is 0x%016llx",
             (unsigned long long)(BATON_MAGIC ^ 1), (unsigned long long)BATON_MAGIC);
    CHECK_DETAIL(BATON_EBADMSG, expected);
    CHECK(strcmp(baton_error_detail(BATON_EINVAL), baton_strerror(BATON_EINVAL)) == 0); /* another code's */
    *magic ^= 1;
    *abi += 1 << 16;
    CHECK_CODE(BATON_EPROTONOSUPPORT, baton_attach(made.memory, made.length, &attached));
    snprintf(expected, sizeof expected, "its ABI version is %u.%u, and this library reads major version %u",
             BATON_ABI_MAJOR + 1, BATON_ABI_MINOR, BATON_ABI_MAJOR);
    CHECK_DETAIL(BATON_EPROTONOSUPPORT, expected);
    *abi -= 1 << 16;
    *slot_size = 4096;
    CHECK_CODE(BATON_EINVAL, baton_attach(made.memory, made.length, &attached));
    CHECK(strncmp(baton_error_detail(BATON_EINVAL), "its header claims ", 18) == 0);
    *slot_size = 100;
    CHECK_CODE(BATON_EINVAL, baton_attach(made.memory, made.length, &attached));
    CHECK_DETAIL(BATON_EINVAL, "its header holds an invalid configuration: "
                               "slot_size must be a multiple of 64 in [128, 1048576]: 100");
    *slot_size = TEST_SLOT_SIZE;
    uint64_t *slab_offset = &((baton_header *)made.memory)->slab_offset;
    *slab_offset += 128;
    CHECK_CODE(BATON_EINVAL, baton_attach(made.memory, made.length, &attached));
    snprintf(expected, sizeof expected, "its header's slab_offset is %llu, and its sizes make it %llu",
             (unsigned long long)*slab_offset, (unsigned long long)(*slab_offset - 128));
    CHECK_DETAIL(BATON_EINVAL, expected);
    *slab_offset -= 128;
    CHECK_CODE(BATON_EINVAL, baton_attach(made.memory, made.length - 1, &attached));
    snprintf(expected, sizeof expected, "its header claims %llu bytes, and it holds %llu",
             (unsigned long long)made.length, (unsigned long long)made.length - 1);
    CHECK_DETAIL(BATON_EINVAL, expected);
    CHECK_CODE(BATON_EINVAL, baton_attach(made.memory, 100, &attached));
    CHECK_DETAIL(BATON_EINVAL, "100 bytes, shorter than a channel header (512 bytes)");
    CHECK_CODE(BATON_EINVAL, baton_attach((char *)made.memory + 64, made.length - 64, &attached));
    snprintf(expected, sizeof expected, "the memory at 0x%llx is not aligned to 4096 bytes",
             (unsigned long long)(uintptr_t)((char *)made.memory + 64));
    CHECK_DETAIL(BATON_EINVAL, expected);
    CHECK_CODE(BATON_OK, baton_attach(made.memory, made.length, &attached));
    CHECK_CODE(BATON_OK, baton_detach(attached));
    check_still_works(channel);

    /* use after close */
    CHECK_CODE(BATON_OK, baton_close(channel));
    CHECK_CODE(BATON_ESHUTDOWN, baton_close(channel));
    CHECK_CODE(BATON_ESHUTDOWN, baton_dispatch(channel, 0, 0, 0, 0, 0, NULL, 0));
    CHECK_CODE(BATON_ESHUTDOWN, baton_poll(channel, &event, 0));
    CHECK_CODE(BATON_ESHUTDOWN, baton_poll(channel, &event, 1000000));
    CHECK_CODE(BATON_ESHUTDOWN, baton_complete(channel, 1, 0, NULL, 0));
    CHECK_CODE(BATON_ESHUTDOWN, baton_drain_each(channel, count_completion, &drained, 1));
    CHECK_CODE(BATON_ESHUTDOWN, baton_await_outcomes(channel, 1000000));
    CHECK_CODE(BATON_ESHUTDOWN, baton_reclaim_expired(channel));
    CHECK_CODE(BATON_ESHUTDOWN, baton_cancel(channel, 1));
    CHECK_CODE(BATON_ESHUTDOWN, baton_read_metrics(channel, &metrics));
    CHECK_CODE(BATON_ESHUTDOWN, baton_record_latency(channel, 1));
    CHECK_CODE(BATON_ESHUTDOWN, baton_read_payload(channel, &event, copy, sizeof copy));
    CHECK_CODE(BATON_ESHUTDOWN, baton_attach(made.memory, made.length, &attached));
    free_channel(&made);
}

/* The host reads an outcome's trace context, with the handler's span, inside its drain callback. */
typedef struct trace_seen {
    baton_channel *channel;
    baton_trace_context trace;
    int read;
} trace_seen;

static void read_trace_of(void *context, const baton_outcome *completion)
{
    trace_seen *seen = context;
    seen->read = baton_read_trace(seen->channel, completion->handle, &seen->trace);
}

/* A trace context set at dispatch reaches the handler, and the handler's span reaches the host. */
static void test_trace_context(void)
{
    test_channel made = make_channel(4, 1000000000);
    baton_channel *channel = made.channel;
    const baton_trace_context sent = {.trace_id_hi = 0x4bf92f3577b34da6, .trace_id_lo = 0xa3ce929d0e0e4736,
                                      .parent_span_id = 0x00f067aa0ba902b7, .handler_span_id = 99, .flags = 1};
    int64_t handle = baton_dispatch_traced(channel, 0, 1, 0, 0, 0, &sent, "x", 1);
    CHECK(handle > 0);
    uint64_t claimed;
    CHECK_CODE(1, claim_one(channel, &claimed));
    baton_trace_context trace;
    CHECK_CODE(BATON_OK, baton_read_trace(channel, claimed, &trace));
    CHECK(trace.trace_id_hi == sent.trace_id_hi && trace.trace_id_lo == sent.trace_id_lo &&
          trace.parent_span_id == sent.parent_span_id && trace.flags == 1);
    CHECK(trace.handler_span_id == 0); /* the dispatcher's value is ignored: only a completion sets it */
    CHECK_CODE(BATON_EFAULT, baton_read_trace(channel, claimed, NULL));
    CHECK_CODE(BATON_ENOENT, baton_read_trace(channel, 0, &trace));
    CHECK_CODE(BATON_OK, baton_complete_traced(channel, claimed, 0, 0x1122334455667788, NULL, 0));
    trace_seen seen = {.channel = channel};
    CHECK_CODE(1, baton_drain_each(channel, read_trace_of, &seen, 4));
    CHECK_CODE(BATON_OK, seen.read);
    CHECK(seen.trace.handler_span_id == 0x1122334455667788 && seen.trace.trace_id_lo == sent.trace_id_lo);
    CHECK_CODE(BATON_ESTALE, baton_read_trace(channel, claimed, &trace));
    CHECK(trace.trace_id_hi == 0 && trace.parent_span_id == 0); /* a refused read leaves nothing behind */

    /* An event dispatched without a trace carries none, even in a slot a traced one used. */
    handle = baton_dispatch(channel, 0, 2, 0, 0, 0, NULL, 0);
    CHECK_CODE(1, claim_one(channel, &claimed));
    CHECK_CODE(BATON_OK, baton_read_trace(channel, claimed, &trace));
    CHECK(trace.trace_id_hi == 0 && trace.trace_id_lo == 0 && trace.parent_span_id == 0 && trace.flags == 0);
    CHECK_CODE(BATON_OK, baton_complete(channel, claimed, 0, NULL, 0));
    CHECK_CODE(1, baton_drain_each(channel, read_trace_of, &seen, 4));
    CHECK(seen.read == BATON_OK && seen.trace.handler_span_id == 0);

    /* A host that drains without a callback gets each outcome's trace beside it, in order. */
    CHECK(baton_dispatch_traced(channel, 0, 3, 0, 0, 0, &sent, NULL, 0) > 0);
    CHECK(baton_dispatch(channel, 0, 4, 0, 0, 0, NULL, 0) > 0);
    for (uint64_t span = 0x51; span <= 0x52; span++) {
        CHECK_CODE(1, claim_one(channel, &claimed));
        CHECK_CODE(BATON_OK, baton_complete_traced(channel, claimed, 0, span, NULL, 0));
    }
    baton_outcome outcomes[4];
    baton_trace_context traces[4];
    uint8_t results[8];
    memset(traces, 0xFF, sizeof traces);
    CHECK_CODE(2, baton_drain(channel, outcomes, traces, 4, results, sizeof results));
    CHECK(outcomes[0].event_id_lo == 3 && traces[0].trace_id_hi == sent.trace_id_hi &&
          traces[0].trace_id_lo == sent.trace_id_lo && traces[0].parent_span_id == sent.parent_span_id &&
          traces[0].flags == 1 && traces[0].handler_span_id == 0x51 && traces[0].reserved == 0);
    CHECK(outcomes[1].event_id_lo == 4 && traces[1].trace_id_hi == 0 && traces[1].trace_id_lo == 0 &&
          traces[1].parent_span_id == 0 && traces[1].handler_span_id == 0x52);
    CHECK(traces[2].trace_id_hi == UINT64_MAX); /* nothing written past the outcomes drained */

    /* Handlers that poll a batch read its traces in one call; an event that ended reads as none. */
    CHECK(baton_dispatch_traced(channel, 0, 5, 0, 0, 0, &sent, NULL, 0) > 0);
    CHECK(baton_dispatch(channel, 0, 6, 0, 0, 0, NULL, 0) > 0);
    CHECK(baton_dispatch_traced(channel, 0, 7, 0, 0, 0, &sent, NULL, 0) > 0);
    baton_event polled[3];
    CHECK_CODE(3, baton_poll_batch(channel, polled, 3));
    CHECK_CODE(BATON_OK, baton_cancel(channel, polled[2].handle));
    memset(traces, 0xFF, sizeof traces);
    CHECK_CODE(3, baton_read_traces(channel, polled, 3, traces));
    CHECK(traces[0].trace_id_hi == sent.trace_id_hi && traces[0].parent_span_id == sent.parent_span_id &&
          traces[0].flags == 1);
    CHECK(traces[1].trace_id_hi == 0 && traces[1].trace_id_lo == 0);
    CHECK(traces[2].trace_id_hi == 0 && traces[2].trace_id_lo == 0 && traces[2].parent_span_id == 0);
    CHECK_CODE(BATON_EFAULT, baton_read_traces(channel, NULL, 1, traces));
    CHECK_CODE(BATON_EFAULT, baton_read_traces(channel, polled, 1, NULL));
    for (int i = 0; i < 2; i++) {
        CHECK_CODE(BATON_OK, baton_complete(channel, polled[i].handle, 0, NULL, 0));
    }
    CHECK_CODE(2, baton_drain(channel, outcomes, NULL, 4, results, sizeof results));
    CHECK_CODE(BATON_EFAULT, baton_drain(channel, NULL, traces, 4, results, sizeof results));
    CHECK_CODE(0, baton_drain(channel, outcomes, NULL, 4, results, sizeof results));
    CHECK_CODE(BATON_OK, baton_close(channel));
    CHECK_CODE(BATON_ESHUTDOWN, baton_read_trace(channel, claimed, &trace));
    CHECK_CODE(BATON_ESHUTDOWN, baton_drain(channel, outcomes, traces, 4, results, sizeof results));
    free_channel(&made);
}

static int64_t monotonic_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* Lists every slot's event from `cursor` on, `max` a call, into listed[]: how many in all. */
static uint32_t list_all(baton_channel *channel, uint32_t max, baton_listed_event *listed, uint32_t capacity)
{
    uint32_t cursor = 0;
    uint32_t count = 0;
    while (cursor < capacity) {
        int written = baton_list_events(channel, &cursor, listed + count, max);
        CHECK(written >= 0 && (uint32_t)written <= max);
        count += written > 0 ? (uint32_t)written : 0;
        if (written < 0) {
            break;
        }
    }
    return count;
}

/* The events the slab holds, listed in their states until the host drains them (a cancelled one is
 * gone at once); a cursor walks the slab a few at a time; a closed channel still lists them (Java: anEventListsItsStateUntilItIsDrained). */
static void test_list_events(void)
{
    test_channel made = make_channel(8, 1000000000);
    baton_channel *channel = made.channel;
    int64_t handles[5];
    for (uint64_t id = 0; id < 5; id++) {
        handles[id] = baton_dispatch(channel, 7, id, 9, 100 + id, (int32_t)id, NULL, 0);
        CHECK(handles[id] > 0);
    }
    baton_event events[3];
    CHECK_CODE(3, baton_poll_batch(channel, events, 3)); /* events 0, 1, 2: POLLED */
    CHECK_CODE(BATON_OK, baton_complete(channel, events[0].handle, 0, NULL, 0));
    CHECK_CODE(BATON_OK, baton_cancel(channel, (uint64_t)handles[4])); /* its slot is free again */
    baton_listed_event listed[8];
    CHECK_CODE(4, list_all(channel, 2, listed, 8));
    static const uint32_t expected[] = {BATON_SLOT_COMPLETED, BATON_SLOT_POLLED, BATON_SLOT_POLLED,
                                        BATON_SLOT_DISPATCHED};
    for (uint32_t i = 0; i < 4; i++) {
        uint64_t id = listed[i].event_id_lo;
        CHECK(id < 4 && listed[i].handle == (uint64_t)handles[id] && listed[i].state == expected[id]);
        CHECK(listed[i].event_id_hi == 7 && listed[i].correlation_id_hi == 9 &&
              listed[i].correlation_id_lo == 100 + id && listed[i].kind == (int32_t)id);
        CHECK(listed[i].dispatched_at_ns > 0 && listed[i].redeliveries == 0 && listed[i].yields == 0);
    }
    int drained = 0;
    CHECK_CODE(1, baton_drain_each(channel, count_completion, &drained, 8));
    CHECK_CODE(3, list_all(channel, 8, listed, 8));
    uint32_t cursor = 0;
    CHECK_CODE(0, baton_list_events(channel, &cursor, listed, 0)); /* room for none: the cursor stays */
    CHECK_CODE(0, cursor);
    CHECK_CODE(BATON_EFAULT, baton_list_events(channel, NULL, listed, 8));
    CHECK_CODE(BATON_EFAULT, baton_list_events(channel, &cursor, NULL, 8));
    CHECK_CODE(BATON_EFAULT, baton_list_events(NULL, &cursor, listed, 8));
    CHECK_CODE(BATON_OK, baton_close(channel));
    CHECK_CODE(3, list_all(channel, 8, listed, 8)); /* what the host must account for after closing */
    cursor = 8;
    CHECK_CODE(0, baton_list_events(channel, &cursor, listed, 8));
    CHECK_CODE(8, cursor);
    free_channel(&made);
}

/* Another process writes over the slab's free-list head: the slots on the list are lost to it, and a
 * dispatch that then finds no slot refuses with BATON_EUCLEAN (a batch and a claim alike) instead of
 * the backpressure (BATON_EAGAIN) that would never end; slots freed later serve dispatches again. */
static void test_a_scribbled_slab_free_list_is_refused(void)
{
    test_channel made = make_channel(8, 1000000000);
    baton_channel *channel = made.channel;
    baton_header *header = made.memory;
    int64_t first = baton_dispatch(channel, 7, 0, 0, 0, 0, NULL, 0);
    CHECK(first > 0);
    header->free_head = UINT64_C(0x5C21BB1E) << 32 | 0xFFFFF0u;
    CHECK_CODE(BATON_EUCLEAN, baton_dispatch(channel, 7, 1, 0, 0, 0, NULL, 0));
    baton_dispatch_entry entry = {.event_id_hi = 7, .event_id_lo = 2};
    int64_t handle = 0;
    CHECK_CODE(0, baton_dispatch_batch(channel, &entry, 1, &handle));
    CHECK_CODE(BATON_EUCLEAN, handle);
    baton_payload_claim claim;
    CHECK_CODE(BATON_EUCLEAN, baton_claim(channel, 7, 3, 0, 0, 0, NULL, 8, &claim));
    baton_event event;
    CHECK_CODE(1, baton_poll(channel, &event, 0));
    CHECK_CODE(BATON_OK, baton_complete(channel, event.handle, 0, NULL, 0));
    int drained = 0;
    CHECK_CODE(1, baton_drain_each(channel, count_completion, &drained, 8));
    CHECK(baton_dispatch(channel, 7, 4, 0, 0, 0, NULL, 0) > 0); /* the slot freed */
    CHECK_CODE(BATON_EUCLEAN, baton_dispatch(channel, 7, 5, 0, 0, 0, NULL, 0));
    free_channel(&made);
}

typedef struct timed_out_ids {
    int seen[8];
    int other;
} timed_out_ids;

static void count_timed_out_ids(void *context, const baton_outcome *outcome)
{
    timed_out_ids *ids = context;
    if (outcome->timed_out && outcome->event_id_hi == 7 && outcome->event_id_lo < 8) {
        ids->seen[outcome->event_id_lo]++;
    } else {
        ids->other++;
    }
}

/* The slot the free list would hand out next. */
static baton_slot *next_free_slot(test_channel *made)
{
    baton_header *header = made->memory;
    uint32_t top = (uint32_t)header->free_head;
    return (baton_slot *)((uint8_t *)made->memory + header->slab_offset + (uint64_t)(top - 1) * header->slot_size);
}

/* Another process writes over slots' state words with words no protocol writes: a state past
 * YIELDING, a generation no handle names, YIELDING under a tag no attachment holds, a holder on
 * COMPLETED. Expiry times each event out at once, an hour before its deadline, and each is reported
 * once; its handler's completion is refused. A FREE word written over with a holder and such a
 * generation is published under a generation a handle names; a FREE word overwritten with another
 * state is refused by the dispatch that pops it (BATON_EPROTO), and its event too is timed out once. */
static void test_scribbled_state_words_are_timed_out_by_expiry(void)
{
    test_channel made = make_channel(8, INT64_C(3600000000000));
    baton_channel *channel = made.channel;
    int64_t handles[5];
    for (uint64_t id = 1; id <= 4; id++) {
        handles[id] = baton_dispatch(channel, 7, id, 0, 0, 0, NULL, 0);
        CHECK(handles[id] > 0);
    }
    baton_event polled[2];
    CHECK_CODE(2, baton_poll_batch(channel, polled, 2)); /* events 1 and 2 */
    const uint64_t generation = (uint64_t)handles[1] >> 32;
    slot_of_handle(made.memory, handles[1])->state = generation << 32 | 0x9A;
    slot_of_handle(made.memory, handles[2])->state = generation << 32 | (UINT64_C(0xFFF) << 20) | BATON_SLOT_YIELDING;
    slot_of_handle(made.memory, handles[3])->state = UINT64_C(0x80000005) << 32 | BATON_SLOT_DISPATCHED;
    slot_of_handle(made.memory, handles[4])->state = generation << 32 | (UINT64_C(0x42) << BATON_SLOT_HOLDER_SHIFT) |
                                                     BATON_SLOT_COMPLETED;
    next_free_slot(&made)->state = UINT64_C(0xFFFFFFFF) << 32 | (UINT64_C(0x123) << BATON_SLOT_HOLDER_SHIFT);
    int64_t renamed = baton_dispatch(channel, 7, 5, 0, 0, 0, NULL, 0);
    CHECK(renamed > 0 && (uint64_t)renamed >> 32 == BATON_GENERATION_MAX);
    next_free_slot(&made)->state = generation << 32 | 0x77;
    CHECK_CODE(BATON_EPROTO, baton_dispatch(channel, 7, 6, 0, 0, 0, NULL, 0));

    CHECK_CODE(5, baton_reclaim_expired(channel));
    CHECK_CODE(0, baton_reclaim_expired(channel));
    timed_out_ids ids = {0};
    CHECK_CODE(5, baton_drain_each(channel, count_timed_out_ids, &ids, 8));
    CHECK(ids.seen[1] == 1 && ids.seen[2] == 1 && ids.seen[3] == 1 && ids.seen[4] == 1 && ids.seen[6] == 1 &&
          ids.other == 0);
    CHECK(baton_complete(channel, polled[0].handle, 0, NULL, 0) != BATON_OK);
    baton_event event;
    CHECK_CODE(1, baton_poll(channel, &event, 0));
    CHECK(event.event_id_lo == 5 && event.handle == (uint64_t)renamed);
    CHECK_CODE(BATON_OK, baton_complete(channel, event.handle, 0, NULL, 0));
    int drained = 0;
    CHECK_CODE(1, baton_drain_each(channel, count_completion, &drained, 8));
    free_channel(&made);
}

/* Counts outcomes by event id, timed out or not (ids 0 to 7 of kind 7; the rest as other). */
static void count_ended_ids(void *context, const baton_outcome *outcome)
{
    timed_out_ids *ids = context;
    if (outcome->event_id_hi == 7 && outcome->event_id_lo < 8) {
        ids->seen[outcome->event_id_lo]++;
    } else {
        ids->other++;
    }
}

/* Another process writes over the state word of a free slot (one its host's thread keeps after a
 * drain), with a word no protocol writes and with one that looks valid: the slot names no event, so
 * expiry, the outcome audit, the metrics and the list of events leave it, and its last event is not
 * reported again. The dispatch that pops it finds its word not FREE (BATON_EPROTO), and that event
 * ends once: timed out at once or at its deadline, or, under a COMPLETED word no record reports,
 * settled by the outcome audit (Java: aWordWrittenOverAFreeSlotNamesNoEvent). */
static void test_a_word_written_over_a_free_slot_names_no_event(void)
{
    const uint64_t words[] = {0x9A, BATON_SLOT_DISPATCHED, BATON_SLOT_POLLED | (UINT64_C(0x42) << BATON_SLOT_HOLDER_SHIFT),
                              BATON_SLOT_COMPLETED};
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        test_channel made = make_channel(1, 2000000);
        baton_channel *channel = made.channel;
        int64_t handle = baton_dispatch(channel, 7, 0, 0, 0, 0, NULL, 0);
        baton_event event;
        CHECK_CODE(1, baton_poll(channel, &event, 0));
        CHECK_CODE(BATON_OK, baton_complete(channel, event.handle, 0, NULL, 0));
        int drained = 0;
        CHECK_CODE(1, baton_drain_each(channel, count_completion, &drained, 4));
        uint64_t next_generation = ((uint64_t)handle >> 32) + 1;
        slot_of_handle(made.memory, (uint64_t)handle)->state = next_generation << 32 | words[w];

        baton_metrics metrics;
        uint32_t cursor = 0;
        baton_listed_event listed;
        timed_out_ids ids = {0};
        for (int round = 0; round < 2; round++) {
            /* past the deadline its last event had; under COMPLETED, past the outcome audit's
             * patience too, so that its second look comes (orphaned_outcomes.c) */
            struct timespec nap = {.tv_sec = words[w] == BATON_SLOT_COMPLETED && round == 1, .tv_nsec = 3000000};
            nanosleep(&nap, NULL);
            CHECK_CODE(0, baton_reclaim_expired(channel));
            CHECK(baton_reap(channel) >= 0);
            CHECK_CODE(0, baton_drain_each(channel, count_ended_ids, &ids, 4));
            CHECK_CODE(BATON_OK, baton_read_metrics(channel, &metrics));
            CHECK(metrics.pending_count == 0 && metrics.awaiting_drain_count == 0);
            CHECK_CODE(0, baton_list_events(channel, &cursor, &listed, 1));
        }
        CHECK_CODE(BATON_EPROTO, baton_dispatch(channel, 7, 1, 0, 0, 0, NULL, 0));
        int64_t limit = monotonic_ns() + INT64_C(10000000000);
        while (ids.seen[1] + ids.seen[0] + ids.other == 0 && monotonic_ns() < limit) {
            baton_reclaim_expired(channel);
            baton_reap(channel);
            baton_drain_each(channel, count_ended_ids, &ids, 4);
        }
        CHECK(ids.seen[0] == 0 && ids.seen[1] == 1 && ids.other == 0);
        free_channel(&made);
    }
}

/* Another process writes FREE words with a holder tag over the state words of events in flight, one
 * polled and one dispatched: their slots still hold the events, which expiry times out once each
 * deadline is past by the patience (a second here), and the handler's completion is refused. A FREE
 * word under a live attachment's tag is a cancel freeing its slot (baton__slab_free), which expiry
 * leaves; under a tag no attachment holds, its canceller died, and that event is timed out too. A
 * free slot whose deadline was written over stays free: its FREE word carries no holder
 * (Java: aFreeWordWrittenOverAnEventIsTimedOutPastThePatience). */
static void test_a_free_word_written_over_an_event_is_timed_out_past_the_patience(void)
{
    test_channel made = make_channel(8, 2000000);
    baton_channel *channel = made.channel;
    int64_t handles[4];
    for (uint64_t id = 0; id < 4; id++) {
        handles[id] = baton_dispatch(channel, 7, id, 0, 0, 0, NULL, 0);
        CHECK(handles[id] > 0);
    }
    baton_event polled;
    CHECK_CODE(1, baton_poll(channel, &polled, 0));
    CHECK(polled.event_id_lo == 0);
    const uint64_t generation = (uint64_t)handles[0] >> 32;
    const uint64_t own_tag = (uint32_t)slot_of_handle(made.memory, polled.handle)->state >> BATON_SLOT_HOLDER_SHIFT;
    slot_of_handle(made.memory, (uint64_t)handles[0])->state =
        (generation + 5) << 32 | UINT64_C(0xABCDEF) << BATON_SLOT_HOLDER_SHIFT | BATON_SLOT_FREE;
    slot_of_handle(made.memory, (uint64_t)handles[1])->state =
        generation << 32 | UINT64_C(0x77) << BATON_SLOT_HOLDER_SHIFT | BATON_SLOT_FREE;
    slot_of_handle(made.memory, (uint64_t)handles[2])->state =
        (generation + 1) << 32 | own_tag << BATON_SLOT_HOLDER_SHIFT | BATON_SLOT_FREE;
    slot_of_handle(made.memory, (uint64_t)handles[3])->state =
        (generation + 1) << 32 | UINT64_C(0x4242) << BATON_SLOT_HOLDER_SHIFT | BATON_SLOT_FREE;
    baton_slot *never_used = slot_of_handle(made.memory, UINT64_C(1) << 32 | 6); /* FREE(1), on the free list */
    never_used->deadline_ns = 1;

    timed_out_ids ids = {0};
    int64_t limit = monotonic_ns() + INT64_C(10000000000);
    while (ids.seen[0] + ids.seen[1] + ids.seen[3] < 3 && monotonic_ns() < limit) {
        baton_reclaim_expired(channel);
        baton_drain_each(channel, count_timed_out_ids, &ids, 8);
    }
    CHECK(ids.seen[0] == 1 && ids.seen[1] == 1 && ids.seen[3] == 1 && ids.other == 0);
    CHECK_CODE(0, baton_reclaim_expired(channel)); /* the cancel's slot, its deadline as far past */
    CHECK_CODE(0, baton_drain_each(channel, count_timed_out_ids, &ids, 8));
    CHECK(ids.seen[2] == 0);
    CHECK(baton_complete(channel, polled.handle, 0, NULL, 0) != BATON_OK);
    for (uint64_t id = 4; id < 8; id++) { /* the slot whose deadline was written over takes an event */
        CHECK(baton_dispatch(channel, 7, id, 0, 0, 0, NULL, 0) > 0);
    }
    free_channel(&made);
}

/* Between a drain that delivered and the next one, dispatches are stamped with the time that drain
 * read at its start (the header's clock_ns); after a drain that delivered nothing, and while the host
 * waits, they read the clock. A poll of one event reads the clock; a batch poll stamps its events
 * with the cache as dispatches do (Java: dispatchesAreStampedWithTheHostsCachedClockUntilADrainFindsNothing). */
static void test_dispatches_are_stamped_with_the_hosts_cached_clock(void)
{
    test_channel made = make_channel(4, 1000000000);
    baton_channel *channel = made.channel;
    baton_event event;
    int drained = 0;
    CHECK(baton_dispatch(channel, 0, 1, 0, 0, 0, NULL, 0) > 0);
    CHECK_CODE(1, baton_poll(channel, &event, 0));
    CHECK_CODE(BATON_OK, baton_complete(channel, event.handle, 0, NULL, 0));
    int64_t before_drain = monotonic_ns();
    CHECK_CODE(1, baton_drain_each(channel, count_completion, &drained, 4));
    int64_t after_drain = monotonic_ns();
    CHECK(((baton_header *)made.memory)->clock_ns >= before_drain &&
          ((baton_header *)made.memory)->clock_ns <= after_drain);

    CHECK(baton_dispatch(channel, 0, 2, 0, 0, 0, NULL, 0) > 0);
    CHECK_CODE(1, baton_poll(channel, &event, 0));
    CHECK(event.dispatched_at_ns >= before_drain && event.dispatched_at_ns <= after_drain);
    CHECK(event.deadline_ns == event.dispatched_at_ns + 1000000000);
    CHECK(slot_of_handle(made.memory, event.handle)->polled_at_ns >= after_drain); /* the poll read the clock */
    CHECK_CODE(BATON_OK, baton_complete(channel, event.handle, 0, NULL, 0));
    baton_event batch[2];
    CHECK(baton_dispatch(channel, 0, 3, 0, 0, 0, NULL, 0) > 0);
    CHECK_CODE(1, baton_poll_batch(channel, batch, 2));
    CHECK(slot_of_handle(made.memory, batch[0].handle)->polled_at_ns == ((baton_header *)made.memory)->clock_ns);
    CHECK_CODE(BATON_OK, baton_complete(channel, batch[0].handle, 0, NULL, 0));
    CHECK_CODE(2, baton_drain_each(channel, count_completion, &drained, 4));
    CHECK_CODE(0, baton_drain_each(channel, count_completion, &drained, 4));
    CHECK(((baton_header *)made.memory)->clock_ns == 0); /* a drain that found nothing cleared it */
    int64_t after_empty_drain = monotonic_ns();
    CHECK(baton_dispatch(channel, 0, 4, 0, 0, 0, NULL, 0) > 0);
    CHECK_CODE(1, baton_poll(channel, &event, 0));
    CHECK(event.dispatched_at_ns >= after_empty_drain);
    CHECK(slot_of_handle(made.memory, event.handle)->polled_at_ns >= event.dispatched_at_ns);
    CHECK_CODE(BATON_OK, baton_complete(channel, event.handle, 0, NULL, 0));
    CHECK(baton_dispatch(channel, 0, 5, 0, 0, 0, NULL, 0) > 0);
    int64_t before_batch = monotonic_ns();
    CHECK_CODE(1, baton_poll_batch(channel, batch, 2));
    CHECK(slot_of_handle(made.memory, batch[0].handle)->polled_at_ns >= before_batch); /* no cache: the clock */
    CHECK_CODE(BATON_OK, baton_complete(channel, batch[0].handle, 0, NULL, 0));

    /* A wait for outcomes clears it too, after a drain that delivered. */
    CHECK_CODE(2, baton_drain_each(channel, count_completion, &drained, 4));
    CHECK(((baton_header *)made.memory)->clock_ns != 0);
    CHECK_CODE(0, baton_await_outcomes(channel, 1000));
    CHECK(((baton_header *)made.memory)->clock_ns == 0);
    free_channel(&made);
}

/* baton_complete_batch settles each entry as baton_complete_traced would, one refusal not stopping the
 * rest, and stops at the first entry that finds no room, leaving it and those after it as they were. */
/* A batch of dispatches: each entry as baton_dispatch_traced, in order; a partial batch names why it
 * stopped; a ring of stale cells is repaired one cell at a time when the run cannot be claimed. */
static void test_dispatch_batch(void)
{
    test_channel made = make_channel(16, 1000000000);
    baton_channel *channel = made.channel;
    baton_dispatch_entry entries[20];
    int64_t handles[20];
    baton_event events[16];
    baton_trace_context trace = {.trace_id_hi = 1, .trace_id_lo = 2, .parent_span_id = 3, .flags = 1};
    static const uint8_t payload[] = "payload";
    for (uint32_t i = 0; i < 20; i++) {
        entries[i] = (baton_dispatch_entry){.event_id_lo = 1 + i, .correlation_id_lo = 100 + i, .kind = (int32_t)i};
    }
    entries[1].payload = payload;
    entries[1].payload_length = sizeof payload;
    entries[2].trace_id_hi = trace.trace_id_hi;
    entries[2].trace_id_lo = trace.trace_id_lo;
    entries[2].parent_span_id = trace.parent_span_id;
    entries[2].trace_flags = trace.flags;
    CHECK_CODE(3, baton_dispatch_batch(channel, entries, 3, handles));
    CHECK_CODE(3, baton_poll_batch(channel, events, 16));
    uint8_t read[16];
    baton_trace_context read_trace;
    for (int i = 0; i < 3; i++) {
        CHECK(events[i].handle == (uint64_t)handles[i] && events[i].event_id_lo == (uint64_t)(1 + i) &&
              events[i].correlation_id_lo == (uint64_t)(100 + i) && events[i].kind == i);
        CHECK_CODE(i == 1 ? (int)sizeof payload : 0, baton_read_payload(channel, &events[i], read, sizeof read));
        CHECK_CODE(BATON_OK, baton_read_trace(channel, events[i].handle, &read_trace));
        CHECK(read_trace.trace_id_lo == (i == 2 ? 2u : 0u) && read_trace.parent_span_id == (i == 2 ? 3u : 0u));
    }
    CHECK_CODE((int)sizeof payload, baton_read_payload(channel, &events[1], read, sizeof read));
    CHECK(memcmp(read, payload, sizeof payload) == 0);
    for (int i = 0; i < 3; i++) {
        CHECK_CODE(BATON_OK, baton_complete(channel, events[i].handle, 0, NULL, 0));
    }
    baton_outcome outcomes[16];
    uint8_t results[64];
    CHECK_CODE(3, baton_drain(channel, outcomes, NULL, 16, results, sizeof results));

    /* Refusals stop the batch at the entry refused, which keeps its code. */
    entries[1].payload = NULL; /* a length with no payload */
    CHECK_CODE(1, baton_dispatch_batch(channel, entries, 3, handles));
    CHECK(handles[0] > 0 && handles[1] == BATON_EFAULT);
    entries[1].payload = payload;
    entries[1].payload_length = UINT32_MAX; /* longer than the largest block */
    CHECK_CODE(0, baton_dispatch_batch(channel, entries + 1, 2, handles));
    CHECK(handles[0] == BATON_EMSGSIZE);
    entries[1].payload_length = 0;

    /* A full slab: the 16 slots less the one still pending, then EAGAIN. */
    CHECK_CODE(15, baton_dispatch_batch(channel, entries, 20, handles));
    CHECK(handles[15] == BATON_EAGAIN);
    CHECK_CODE(16, baton_poll_batch(channel, events, 16));
    for (int i = 0; i < 16; i++) {
        CHECK_CODE(BATON_OK, baton_cancel(channel, events[i].handle));
    }

    /* Sixteen dispatched and cancelled twice over fill the 32-cell ring with stale handles: the run
     * claim finds no room, and the cells are claimed one at a time, dropping the stale ones. */
    for (int round = 0; round < 2; round++) {
        CHECK_CODE(16, baton_dispatch_batch(channel, entries, 16, handles));
        for (int i = 0; i < 16; i++) {
            CHECK_CODE(BATON_OK, baton_cancel(channel, (uint64_t)handles[i]));
        }
    }
    CHECK_CODE(16, baton_dispatch_batch(channel, entries, 16, handles));
    CHECK_CODE(16, baton_poll_batch(channel, events, 16));
    for (int i = 0; i < 16; i++) {
        CHECK(events[i].handle == (uint64_t)handles[i] && events[i].event_id_lo == (uint64_t)(1 + i));
    }
    CHECK_CODE(0, baton_poll_batch(channel, events, 16));

    CHECK_CODE(BATON_EFAULT, baton_dispatch_batch(channel, NULL, 1, handles));
    CHECK_CODE(BATON_EFAULT, baton_dispatch_batch(channel, entries, 1, NULL));
    CHECK_CODE(0, baton_dispatch_batch(channel, NULL, 0, NULL));
    CHECK_CODE(BATON_OK, baton_close(channel));
    CHECK_CODE(BATON_ESHUTDOWN, baton_dispatch_batch(channel, entries, 1, handles));
    free_channel(&made);
}

typedef struct redispatch {
    baton_channel *channel;
    int delivered;
    int dispatched;
} redispatch;

static void dispatch_from_drain(void *context, const baton_outcome *outcome)
{
    (void)outcome;
    redispatch *self = context;
    self->delivered++;
    self->dispatched += baton_dispatch(self->channel, 9, (uint64_t)self->delivered, 0, 0, 0, NULL, 0) > 0;
}

/* A drain pushes the slots it frees back on the free list a run at a time; a dispatch from inside
 * its callback on a full slab still finds every slot the outcomes shown so far have freed. */
static void test_dispatch_from_a_drain_callback(void)
{
    enum { CAPACITY = 16 };
    test_channel made = make_channel(CAPACITY, 1000000000);
    baton_channel *channel = made.channel;
    baton_dispatch_entry entries[CAPACITY] = {0};
    int64_t handles[CAPACITY + 1];
    baton_event events[CAPACITY];
    CHECK_CODE(CAPACITY, baton_dispatch_batch(channel, entries, CAPACITY, handles));
    CHECK_CODE(CAPACITY, baton_poll_batch(channel, events, CAPACITY));
    for (int i = 0; i < CAPACITY; i++) {
        CHECK_CODE(BATON_OK, baton_complete(channel, events[i].handle, 0, NULL, 0));
    }
    redispatch self = {.channel = channel};
    CHECK_CODE(CAPACITY, baton_drain_each(channel, dispatch_from_drain, &self, CAPACITY));
    /* The first outcome's slot is freed after its callback: each later one finds a slot. */
    CHECK_CODE(CAPACITY - 1, self.dispatched);
    /* After the drain every slot is on the list or holds one of the new events. */
    CHECK_CODE(1, baton_dispatch_batch(channel, entries, CAPACITY, handles));
    CHECK(handles[1] == BATON_EAGAIN);
    free_channel(&made);
}

/* Dispatches, polls and completes `count` events on a channel: each then waits to be drained. */
static void complete_events(baton_channel *channel, int count)
{
    for (int i = 0; i < count; i++) {
        CHECK(baton_dispatch(channel, 7, (uint64_t)i, 0, 0, 0, NULL, 0) > 0);
        uint64_t handle;
        CHECK_CODE(1, claim_one(channel, &handle));
        CHECK_CODE(BATON_OK, baton_complete(channel, handle, 0, NULL, 0));
    }
}

static void ignore_outcome(void *context, const baton_outcome *outcome)
{
    (void)context;
    (void)outcome;
}

/* Dispatches until refused: how many were dispatched. */
static int dispatch_until_refused(baton_channel *channel)
{
    int dispatched = 0;
    int64_t handle;
    while ((handle = baton_dispatch(channel, 8, (uint64_t)dispatched, 0, 0, 0, NULL, 0)) > 0) {
        dispatched++;
    }
    CHECK_CODE(BATON_EAGAIN, handle);
    return dispatched;
}

static void *dispatch_until_refused_on_a_thread(void *channel)
{
    return (void *)(intptr_t)dispatch_until_refused(channel);
}

static void *drain_one_on_a_thread(void *channel)
{
    return (void *)(intptr_t)baton_drain_each(channel, ignore_outcome, NULL, 1);
}

/* Takes the slots kept with a drain, dispatches one (so the thread dispatches as well as drains),
 * keeps the slot its next drain frees, and ends: what the last drain delivered. */
static void *keep_one_and_end(void *channel)
{
    if (baton_drain_each(channel, ignore_outcome, NULL, 1) != 1 ||
        baton_dispatch(channel, 8, 0, 0, 0, 0, NULL, 0) <= 0) {
        return (void *)(intptr_t)-1;
    }
    return (void *)(intptr_t)baton_drain_each(channel, ignore_outcome, NULL, 1);
}

/* Runs one of the steps above on a thread of its own, which then ends: what it returned. */
static int on_another_thread(void *(*run)(void *), baton_channel *channel)
{
    pthread_t thread;
    void *result;
    pthread_create(&thread, NULL, run, channel);
    pthread_join(thread, &result);
    return (int)(intptr_t)result;
}

static int dispatched_on_another_thread(baton_channel *channel)
{
    return on_another_thread(dispatch_until_refused_on_a_thread, channel);
}

static int drained_on_another_thread(baton_channel *channel)
{
    return on_another_thread(drain_one_on_a_thread, channel);
}

static void dispatch_count(baton_channel *channel, int count)
{
    for (int i = 0; i < count; i++) {
        CHECK(baton_dispatch(channel, 8, (uint64_t)i, 0, 0, 0, NULL, 0) > 0);
    }
}

/* The drain's thread keeps the slots it frees, a sixteenth of the slab (2 of 32), for its own
 * dispatches; another thread that finds the free list empty asks, and gets them all after the
 * owner's next drain. A drain on another thread while the owner lives frees to the list; once the
 * owner has ended, the next drain takes what it kept. No slot is lost or handed out twice: each
 * step counts what every thread can dispatch. */
static void test_the_drain_keeps_slots_for_its_thread(void)
{
    enum { CAPACITY = 32 };
    test_channel made = make_channel(CAPACITY, 1000000000);
    baton_channel *channel = made.channel;
    complete_events(channel, 8);
    /* This thread owns the slots kept from its first drain, but keeps none before it dispatches. */
    CHECK_CODE(1, baton_drain_each(channel, ignore_outcome, NULL, 1));
    CHECK_CODE(CAPACITY - 7, dispatch_until_refused(channel));
    CHECK_CODE(3, baton_drain_each(channel, ignore_outcome, NULL, 3));  /* keeps 2, the third to the list */
    CHECK_CODE(1, dispatched_on_another_thread(channel));               /* then finds none, and asks */
    CHECK_CODE(2, dispatch_until_refused(channel));                     /* the owner's 2 */
    CHECK_CODE(1, baton_drain_each(channel, ignore_outcome, NULL, 1));  /* asked: pushes back all it keeps */
    CHECK_CODE(1, dispatched_on_another_thread(channel));
    CHECK_CODE(1, drained_on_another_thread(channel)); /* the owner lives: freed to the list */
    CHECK_CODE(1, dispatched_on_another_thread(channel));
    CHECK_CODE(0, dispatch_until_refused(channel));
    free_channel(&made);

    made = make_channel(CAPACITY, 1000000000);
    channel = made.channel;
    complete_events(channel, 4);
    dispatch_count(channel, CAPACITY - 4);
    CHECK_CODE(1, on_another_thread(keep_one_and_end, channel));
    CHECK_CODE(0, dispatch_until_refused(channel)); /* not this thread's: it asks */
    CHECK_CODE(1, baton_drain_each(channel, ignore_outcome, NULL, 1));
    /* This drain took over the ended owner's slot, and pushed back both as asked. */
    CHECK_CODE(2, dispatch_until_refused(channel));
    CHECK_CODE(1, drained_on_another_thread(channel)); /* the owner lives: freed to the list */
    CHECK_CODE(1, dispatched_on_another_thread(channel));
    free_channel(&made);

    /* An attachment that detaches from a channel others go on using hands back what it kept. */
    made = make_channel(CAPACITY, 1000000000);
    baton_channel *other;
    CHECK_CODE(BATON_OK, baton_attach(made.memory, made.length, &other));
    complete_events(made.channel, 3);
    dispatch_count(made.channel, CAPACITY - 3);
    CHECK_CODE(1, baton_drain_each(made.channel, ignore_outcome, NULL, 1)); /* owns, keeps none yet */
    dispatch_count(made.channel, 1);
    CHECK_CODE(2, baton_drain_each(made.channel, ignore_outcome, NULL, 2)); /* keeps 2 */
    CHECK_CODE(0, dispatch_until_refused(other));
    CHECK_CODE(BATON_OK, baton_detach(made.channel));
    CHECK_CODE(2, dispatch_until_refused(other));
    made.channel = other;
    free_channel(&made);
}

/* The child of a fork copies the attachment, and with it the list of slots its parent's drain keeps,
 * but not the slots: they stay the parent's. The child's first drain forgets them, so each side
 * dispatches into the slots it alone may (the memory here is the process's own, copied on write). */
static void test_a_forked_child_forgets_the_slots_its_parent_keeps(void)
{
    enum { CAPACITY = 32 };
    test_channel made = make_channel(CAPACITY, 1000000000);
    baton_channel *channel = made.channel;
    complete_events(channel, 3);
    dispatch_count(channel, CAPACITY - 3);
    CHECK_CODE(1, baton_drain_each(channel, ignore_outcome, NULL, 1)); /* owns, keeps none yet */
    dispatch_count(channel, 1);
    CHECK_CODE(1, baton_drain_each(channel, ignore_outcome, NULL, 1)); /* keeps 1 */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        /* Not the owner here: none on the list, so it asks. Its drain then forgets the parent's
         * slot, keeps the one it frees, and pushes that back as asked. */
        int refused = baton_dispatch(channel, 8, 0, 0, 0, 0, NULL, 0) == BATON_EAGAIN;
        int drained = baton_drain_each(channel, ignore_outcome, NULL, 1);
        _exit(refused && drained == 1 ? dispatch_until_refused(channel) : 99);
    }
    int status = 0;
    CHECK(child > 0 && waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status));
    CHECK_CODE(1, WEXITSTATUS(status)); /* its own freed slot only */
    CHECK_CODE(1, dispatch_until_refused(channel)); /* the parent's kept slot, still its own */
    free_channel(&made);
}

/* The slots kept under contention (run under TSan too): the host's thread dispatches and drains, so
 * it keeps slots; two other threads dispatch until the slab refuses them, and ask; a handler thread
 * completes everything. Each event comes back once, and at the end every slot is free again. */
enum { KEPT_STRESS_SLAB = 64, KEPT_STRESS_EVENTS = 2000, KEPT_STRESS_SOURCES = 3 };

typedef struct kept_stress {
    baton_channel *channel;
    _Atomic int dispatchers_done;
    _Atomic int stop;
    _Atomic int refused_completions; /* counted here: CHECK is the main thread's */
    _Atomic uint8_t seen[KEPT_STRESS_SOURCES][KEPT_STRESS_EVENTS];
    int host_sent;
} kept_stress;

static void *kept_stress_dispatcher(void *argument)
{
    kept_stress *stress = argument;
    static _Atomic int next_source = 1;
    uint64_t source = (uint64_t)atomic_fetch_add(&next_source, 1);
    for (uint64_t id = 0; id < KEPT_STRESS_EVENTS; id++) {
        while (baton_dispatch(stress->channel, source, id, 0, 0, 0, NULL, 0) <= 0) {
            sched_yield(); /* EAGAIN: the slab is in flight, or kept until the host's next drain */
        }
    }
    atomic_fetch_add(&stress->dispatchers_done, 1);
    return NULL;
}

static void *kept_stress_handler(void *argument)
{
    kept_stress *stress = argument;
    baton_event events[64];
    while (!atomic_load(&stress->stop)) {
        int taken = baton_poll_batch(stress->channel, events, 64);
        for (int i = 0; i < taken; i++) {
            if (baton_complete(stress->channel, events[i].handle, 0, NULL, 0) != BATON_OK) {
                atomic_fetch_add(&stress->refused_completions, 1);
            }
        }
        if (taken <= 0) {
            sched_yield();
        }
    }
    return NULL;
}

static void kept_stress_outcome(void *context, const baton_outcome *outcome)
{
    kept_stress *stress = context;
    CHECK(!outcome->timed_out && outcome->event_id_hi < KEPT_STRESS_SOURCES &&
          outcome->event_id_lo < KEPT_STRESS_EVENTS);
    atomic_fetch_add(&stress->seen[outcome->event_id_hi][outcome->event_id_lo], 1);
}

static void test_kept_slots_under_contention(void)
{
    test_channel made = make_channel(KEPT_STRESS_SLAB, INT64_C(60000000000));
    static kept_stress stress;
    memset(&stress, 0, sizeof stress);
    stress.channel = made.channel;
    pthread_t threads[3];
    pthread_create(&threads[0], NULL, kept_stress_handler, &stress);
    pthread_create(&threads[1], NULL, kept_stress_dispatcher, &stress);
    pthread_create(&threads[2], NULL, kept_stress_dispatcher, &stress);
    long delivered = 0;
    const time_t give_up = time(NULL) + 120;
    while (time(NULL) < give_up) {
        /* The host dispatches a few of its own between drains, so its thread keeps slots. */
        for (int i = 0; i < 4 && stress.host_sent < KEPT_STRESS_EVENTS; i++) {
            if (baton_dispatch(made.channel, 0, (uint64_t)stress.host_sent, 0, 0, 0, NULL, 0) > 0) {
                stress.host_sent++;
            }
        }
        int drained = baton_drain_each(made.channel, kept_stress_outcome, &stress, 64);
        delivered += drained > 0 ? drained : 0;
        if (stress.host_sent == KEPT_STRESS_EVENTS && atomic_load(&stress.dispatchers_done) == 2 &&
            delivered == (long)KEPT_STRESS_SOURCES * KEPT_STRESS_EVENTS) {
            break;
        }
    }
    atomic_store(&stress.stop, 1);
    for (int i = 0; i < 3; i++) {
        pthread_join(threads[i], NULL);
    }
    int once = 0;
    for (int source = 0; source < KEPT_STRESS_SOURCES; source++) {
        for (int id = 0; id < KEPT_STRESS_EVENTS; id++) {
            once += atomic_load(&stress.seen[source][id]) == 1;
        }
    }
    CHECK_CODE(KEPT_STRESS_SOURCES * KEPT_STRESS_EVENTS, once);
    CHECK_CODE(0, atomic_load(&stress.refused_completions));
    CHECK_CODE(KEPT_STRESS_SLAB, dispatch_until_refused(made.channel)); /* every slot free again */
    free_channel(&made);
}

/* A batch's completions share claims of the completion ring, runs of records claimed together: a
 * stale entry ends a run and is refused alone, the runs wrap around the ring's end many times, and a
 * run the ring has no room for goes one record at a time until one finds none. Every outcome comes
 * back once, in order, with its own status and result. */
static void test_complete_batch_runs(void)
{
    enum { CAPACITY = 2048, BATCH = 40, STALE = 17 };
    test_channel made = make_channel(CAPACITY, 1000000000);
    baton_channel *channel = made.channel;
    static baton_dispatch_entry entries[BATCH];
    static int64_t handles[BATCH + 1];
    static baton_event events[CAPACITY];
    static baton_completion completions[CAPACITY];
    static int32_t codes[CAPACITY + 1];
    static uint64_t results[CAPACITY];
    static baton_outcome outcomes[CAPACITY];
    static uint8_t drained[CAPACITY * sizeof(uint64_t)];
    for (uint64_t round = 0; round < 200; round++) {
        for (uint32_t i = 0; i < BATCH; i++) {
            entries[i] = (baton_dispatch_entry){.event_id_lo = round * BATCH + i};
        }
        CHECK_CODE(BATCH, baton_dispatch_batch(channel, entries, BATCH, handles));
        CHECK_CODE(BATCH, baton_poll_batch(channel, events, BATCH));
        CHECK_CODE(BATON_OK, baton_cancel(channel, events[STALE].handle));
        for (uint32_t i = 0; i < BATCH; i++) {
            results[i] = round * BATCH + i;
            completions[i] = (baton_completion){.handle = events[i].handle, .status = (int32_t)i,
                                                .result = (const uint8_t *)&results[i], .result_length = sizeof results[i]};
        }
        CHECK_CODE(BATCH, baton_complete_batch(channel, completions, BATCH, codes));
        for (uint32_t i = 0; i < BATCH; i++) {
            CHECK_CODE(i == STALE ? BATON_ESTALE : BATON_OK, codes[i]);
        }
        CHECK_CODE(BATCH - 1, baton_drain(channel, outcomes, NULL, CAPACITY, drained, sizeof drained));
        for (uint32_t k = 0; k < BATCH - 1; k++) {
            uint32_t i = k < STALE ? k : k + 1;
            uint64_t result;
            memcpy(&result, outcomes[k].result, sizeof result);
            CHECK(outcomes[k].event_id_lo == round * BATCH + i && outcomes[k].status == (int32_t)i &&
                  outcomes[k].result_length == sizeof result && result == round * BATCH + i);
        }
    }

    /* More completions than the ring holds: a partial batch, then the rest after a drain. */
    uint32_t polled = 0;
    while (polled < CAPACITY) {
        uint32_t wanted = CAPACITY - polled < BATCH ? CAPACITY - polled : BATCH;
        CHECK_CODE((int)wanted, baton_dispatch_batch(channel, entries, wanted, handles));
        CHECK_CODE((int)wanted, baton_poll_batch(channel, &events[polled], wanted));
        polled += wanted;
    }
    for (uint32_t i = 0; i < CAPACITY; i++) {
        results[i] = i;
        completions[i] = (baton_completion){.handle = events[i].handle, .status = (int32_t)i,
                                            .result = (const uint8_t *)&results[i], .result_length = sizeof results[i]};
    }
    int settled = baton_complete_batch(channel, completions, CAPACITY, codes);
    CHECK(settled > 0 && settled < CAPACITY && codes[settled] == BATON_ENOBUFS);
    static uint8_t seen[CAPACITY];
    memset(seen, 0, sizeof seen);
    int delivered = 0;
    while (delivered < CAPACITY) {
        int drained_now = baton_drain(channel, outcomes, NULL, CAPACITY, drained, sizeof drained);
        CHECK(drained_now >= 0);
        for (int k = 0; k < drained_now; k++) {
            uint32_t i = (uint32_t)outcomes[k].status;
            CHECK(i < CAPACITY && seen[i] == 0);
            seen[i] = 1;
        }
        delivered += drained_now;
        if (settled < CAPACITY) {
            int more = baton_complete_batch(channel, completions + settled, (uint32_t)(CAPACITY - settled), codes);
            CHECK(more >= 0);
            settled += more;
        } else if (drained_now == 0) {
            break;
        }
    }
    CHECK_CODE(CAPACITY, delivered);
    free_channel(&made);
}

static void test_complete_batch(void)
{
    test_channel made = make_channel(16, 1000000000);
    baton_channel *channel = made.channel;
    baton_event events[16];
    baton_completion completions[16];
    int32_t codes[16];
    for (uint64_t id = 1; id <= 3; id++) {
        CHECK(baton_dispatch(channel, 0, id, 0, 0, 0, NULL, 0) > 0);
    }
    CHECK_CODE(3, baton_poll_batch(channel, events, 16));
    completions[0] = (baton_completion){.handle = events[0].handle, .status = 7};
    completions[1] = (baton_completion){.handle = 0}; /* a handle of no event */
    completions[2] = (baton_completion){.handle = events[2].handle, .status = 9, .result = (const uint8_t *)"ab",
                                        .result_length = 2, .handler_span_id = 0x99};
    CHECK_CODE(3, baton_complete_batch(channel, completions, 3, codes));
    CHECK(codes[0] == BATON_OK && codes[1] == BATON_ENOENT && codes[2] == BATON_OK);
    CHECK_CODE(1, baton_complete_batch(channel, completions, 1, codes));
    CHECK(codes[0] == BATON_EALREADY); /* completed once, whatever the call */
    baton_outcome outcomes[16];
    uint8_t results[64];
    CHECK_CODE(2, baton_drain(channel, outcomes, NULL, 16, results, sizeof results));
    CHECK(outcomes[0].event_id_lo == 1 && outcomes[0].status == 7 && outcomes[0].result_length == 0);
    CHECK(outcomes[1].event_id_lo == 3 && outcomes[1].status == 9 && outcomes[1].result_length == 2 &&
          memcmp(outcomes[1].result, "ab", 2) == 0);
    CHECK_CODE(BATON_OK, baton_complete(channel, events[1].handle, 0, NULL, 0));
    CHECK_CODE(1, baton_drain(channel, outcomes, NULL, 16, results, sizeof results));

    /* Sixteen long results overflow the completion ring: a partial batch, then the rest after a drain. */
    static uint8_t long_result[6000];
    for (uint64_t id = 0; id < 16; id++) {
        CHECK(baton_dispatch(channel, 0, 100 + id, 0, 0, 0, NULL, 0) > 0);
    }
    CHECK_CODE(16, baton_poll_batch(channel, events, 16));
    for (int i = 0; i < 16; i++) {
        completions[i] = (baton_completion){.handle = events[i].handle, .result = long_result,
                                            .result_length = sizeof long_result};
    }
    int settled = baton_complete_batch(channel, completions, 16, codes);
    CHECK(settled > 0 && settled < 16 && codes[settled] == BATON_ENOBUFS);
    for (int i = 0; i < settled; i++) {
        CHECK(codes[i] == BATON_OK);
    }
    int total = 0;
    while (total < 16) {
        int drained = baton_drain_each(channel, count_completion, &total, 16);
        CHECK(drained >= 0);
        int more = baton_complete_batch(channel, completions + settled, (uint32_t)(16 - settled), codes);
        CHECK(more >= 0);
        settled += more;
        if (drained == 0 && more == 0) {
            break;
        }
    }
    CHECK(settled == 16 && total == 16);
    CHECK_CODE(BATON_EFAULT, baton_complete_batch(channel, NULL, 1, codes));
    CHECK_CODE(BATON_EFAULT, baton_complete_batch(channel, completions, 1, NULL));
    CHECK_CODE(0, baton_complete_batch(channel, NULL, 0, NULL));
    CHECK_CODE(BATON_OK, baton_close(channel));
    CHECK_CODE(BATON_ESHUTDOWN, baton_complete_batch(channel, completions, 1, codes));
    free_channel(&made);
}

/* A dispatch wakes a handler asleep in baton_poll: the signal word moves on. */
typedef struct sleeper {
    baton_channel *channel;
    int polled;
    uint64_t handle;
} sleeper;

static void *sleep_in_poll_wait(void *argument)
{
    sleeper *self = argument;
    baton_event event;
    self->polled = baton_poll(self->channel, &event, 60 * (int64_t)1000000000);
    self->handle = event.handle;
    return NULL;
}

static void test_dispatch_wakes_a_sleeping_handler(void)
{
    test_channel made = make_channel(4, 1000000000);
    baton_header *header = made.memory;
    sleeper self = {.channel = made.channel};
    pthread_t thread;
    pthread_create(&thread, NULL, sleep_in_poll_wait, &self);
    while (atomic_load_explicit((_Atomic uint32_t *)&header->dispatch_waiters, memory_order_seq_cst) == 0) {
        sched_yield(); /* until the handler is about to sleep */
    }
    int64_t handle = baton_dispatch(made.channel, 0, 1, 0, 0, 0, NULL, 0);
    pthread_join(thread, NULL);
    CHECK_CODE(1, self.polled);
    CHECK(self.handle == (uint64_t)handle);
    CHECK(atomic_load_explicit((_Atomic uint32_t *)&header->dispatch_signal, memory_order_seq_cst) > 0);
    CHECK(atomic_load_explicit((_Atomic uint32_t *)&header->dispatch_waiters, memory_order_seq_cst) == 0);
    free_channel(&made);
}

/* A cancel succeeds while a handler claims the same event: the CAS loop retries from POLLED. */
typedef struct claimer {
    baton_channel *channel;
    _Atomic int running;
} claimer;

static void *claim_everything(void *argument)
{
    claimer *self = argument;
    baton_event event;
    while (atomic_load(&self->running)) {
        baton_poll(self->channel, &event, 0); /* claims, never completes */
    }
    return NULL;
}

static void test_cancel_races_with_claim(void)
{
    test_channel made = make_channel(4, 60 * (int64_t)1000000000);
    claimer self = {.channel = made.channel, .running = 1};
    pthread_t thread;
    pthread_create(&thread, NULL, claim_everything, &self);
    int not_ok = 0;
    for (uint64_t i = 0; i < 20000; i++) {
        int64_t handle;
        while ((handle = baton_dispatch(made.channel, 0, i, 0, 0, 0, NULL, 0)) == BATON_ENOSPC ||
               handle == BATON_EAGAIN) {
            sched_yield(); /* cancelled entries leave the ring only as the poller skips them */
        }
        if (handle < 0 || baton_cancel(made.channel, (uint64_t)handle) != BATON_OK) {
            not_ok++;
        }
    }
    atomic_store(&self.running, 0);
    pthread_join(thread, NULL);
    CHECK(not_ok == 0);
    free_channel(&made);
}

/* ---------------------------------------------------------------- dead publishers */

/* Handlers that die while publishing an outcome, at each point between claiming completion-ring
 * space and committing the record, simulated by writing the shared memory as baton.h draws it.
 * The host must get past them and report every event exactly once. The Java twin is
 * AbandonedPublicationTest. */

typedef struct outcome_tally {
    uint64_t handles[8];
    int32_t statuses[8];
    int32_t timed_out[8];
    int count;
} outcome_tally;

static void tally_outcome(void *context, const baton_outcome *completion)
{
    outcome_tally *tally = context;
    if (tally->count < 8) {
        tally->handles[tally->count] = completion->handle;
        tally->statuses[tally->count] = completion->status;
        tally->timed_out[tally->count] = completion->timed_out;
    }
    tally->count++;
}

static int reports_of(const outcome_tally *tally, uint64_t handle, int32_t status, int32_t timed_out)
{
    int found = 0;
    for (int i = 0; i < tally->count && i < 8; i++) {
        if (tally->handles[i] == handle) {
            found += tally->statuses[i] == status && tally->timed_out[i] == timed_out ? 1 : 100;
        }
    }
    return found;
}

/* Claims ring space as a producer would and writes the in-progress header and the body. */
static uint8_t *claim_record_and_die(baton_header *header, uint64_t handle, int32_t status)
{
    uint8_t *records = (uint8_t *)header + header->completion_ring_offset;
    baton_completion_trailer *trailer = (baton_completion_trailer *)(records + header->completion_ring_capacity);
    int64_t length = BATON_RECORD_HEADER_LENGTH + BATON_COMPLETION_BODY_LENGTH;
    int64_t tail = atomic_fetch_add((_Atomic int64_t *)&trailer->tail_position, length);
    uint8_t *record = records + (tail & (header->completion_ring_capacity - 1));
    if (handle != 0) {
        baton_completion_body *body = (baton_completion_body *)(record + BATON_RECORD_HEADER_LENGTH);
        body->handle = handle;
        body->status = status;
        int64_t in_progress = (int64_t)((uint64_t)BATON_RECORD_COMPLETED << 32 | (uint32_t)(-length));
        atomic_store((_Atomic int64_t *)record, in_progress);
    }
    return record;
}

/* A writer outside libbaton that moves a slot to COMPLETED and commits a record of a type this
 * protocol never writes: the drain rejects and counts the record rather than deliver it. */
static void test_records_of_unknown_types_are_rejected(void)
{
    const int32_t types[] = {5, 0x101, 0x7FFFFFFF};
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        test_channel made = make_channel(8, 1000 * 1000 * 1000);
        baton_header *header = made.memory;
        CHECK(baton_dispatch(made.channel, 0, 1, 0, 0, 0, NULL, 0) > 0);
        baton_event event;
        CHECK_CODE(1, baton_poll(made.channel, &event, 0));
        baton_slot *slot = slot_of_handle(header, event.handle);
        uint8_t *record = claim_record_and_die(header, event.handle, 200);
        atomic_store((_Atomic uint64_t *)&slot->state, (event.handle >> 32) << 32 | BATON_SLOT_COMPLETED);
        int32_t length = BATON_RECORD_HEADER_LENGTH + BATON_COMPLETION_BODY_LENGTH;
        atomic_store((_Atomic int64_t *)record, (int64_t)((uint64_t)(uint32_t)types[t] << 32 | (uint32_t)length));
        int delivered = 0;
        CHECK_CODE(0, baton_drain_each(made.channel, count_completion, &delivered, 16));
        CHECK_CODE(0, delivered);
        baton_drain_counts counts;
        CHECK_CODE(BATON_OK, baton_read_drain_counts(made.channel, &counts));
        CHECK_CODE(1, counts.rejected_record_count);
        check_still_works(made.channel);
        free_channel(&made);
    }
}

static void test_dead_publishers(void)
{
    test_channel made = make_channel(8, 20 * 1000 * 1000);
    baton_channel *channel = made.channel;
    baton_header *header = made.memory;
    uint64_t decided;
    uint64_t undecided;
    uint64_t live;

    /* 1. Wrote its record and completed the event, then died before committing. */
    CHECK(baton_dispatch(channel, 0, 1, 0, 0, 0, NULL, 0) > 0);
    CHECK_CODE(1, claim_one(channel, &decided));
    claim_record_and_die(header, decided, 7);
    baton_slot *slot = slot_of_handle(header, decided);
    uint64_t claimed_state = (decided & 0xffffffff00000000ull) | BATON_SLOT_POLLED |
                             ((uint64_t)baton_attachment_tag(channel) << BATON_SLOT_HOLDER_SHIFT);
    CHECK(atomic_compare_exchange_strong((_Atomic uint64_t *)&slot->state, &claimed_state,
                                         (decided & 0xffffffff00000000ull) | BATON_SLOT_COMPLETED));
    /* 2. Wrote its record, then died before completing the event. */
    CHECK(baton_dispatch(channel, 0, 2, 0, 0, 0, NULL, 0) > 0);
    CHECK_CODE(1, claim_one(channel, &undecided));
    claim_record_and_die(header, undecided, 7);
    /* 3. Moved the ring's tail, then died before writing the record's header. */
    claim_record_and_die(header, 0, 0);
    /* A live handler completes behind all three. */
    CHECK(baton_dispatch(channel, 0, 3, 0, 0, 0, NULL, 0) > 0);
    CHECK_CODE(1, claim_one(channel, &live));
    CHECK_CODE(BATON_OK, baton_complete(channel, live, 9, NULL, 0));

    outcome_tally tally = {.count = 0};
    CHECK_CODE(0, baton_drain_each(channel, tally_outcome, &tally, 16));
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 5 * 1000 * 1000};
    int errors = 0;
    for (int turn = 0; turn < 6000 && tally.count < 3; turn++) {
        errors += baton_drain_each(channel, tally_outcome, &tally, 16) < 0;
        errors += baton_reclaim_expired(channel) < 0;
        nanosleep(&pause, NULL);
    }
    CHECK_CODE(0, errors);
    CHECK_CODE(3, tally.count);
    CHECK_CODE(1, reports_of(&tally, decided, 7, 0));
    CHECK_CODE(1, reports_of(&tally, undecided, BATON_ETIMEDOUT, 1));
    CHECK_CODE(1, reports_of(&tally, live, 9, 0));
    CHECK_CODE(BATON_ESTALE, baton_complete(channel, undecided, 0, NULL, 0));
    /* The three dead publishers' records were unblocked; the two completions' latencies were
     * recorded as the drain delivered them. */
    baton_drain_counts counts;
    CHECK_CODE(BATON_OK, baton_read_drain_counts(channel, &counts));
    CHECK_CODE(3, counts.unblocked_record_count);
    CHECK_CODE(0, counts.rejected_record_count);
    CHECK_CODE(2, counts.completed_count);
    CHECK_CODE(1, counts.timed_out_count);
    baton_latency_ring *latencies = (baton_latency_ring *)((uint8_t *)header + header->latency_ring_offset);
    CHECK_CODE(2, atomic_load((_Atomic uint64_t *)&latencies->native_count));
    baton_metrics metrics;
    CHECK_CODE(BATON_OK, baton_read_metrics(channel, &metrics));
    CHECK(metrics.pending_count == 0 && metrics.awaiting_drain_count == 0);
    check_still_works(channel);
    free_channel(&made);
}

/* A committed record that names no completed slot (only a writer outside the protocol makes one)
 * is skipped and counted, and the channel goes on working. */
static void test_rejected_records(void)
{
    test_channel made = make_channel(8, 1000 * 1000 * 1000);
    baton_header *header = made.memory;
    int64_t dispatched = baton_dispatch(made.channel, 0, 1, 0, 0, 0, NULL, 0);
    CHECK(dispatched > 0);
    uint64_t stale = (uint64_t)dispatched;
    CHECK_CODE(BATON_OK, baton_cancel(made.channel, stale));
    uint8_t *record = claim_record_and_die(header, stale, 0);
    int32_t length = BATON_RECORD_HEADER_LENGTH + BATON_COMPLETION_BODY_LENGTH;
    atomic_store((_Atomic int32_t *)record, length);
    int delivered = 0;
    CHECK_CODE(0, baton_drain_each(made.channel, count_completion, &delivered, 16)); /* none delivered */
    CHECK_CODE(0, delivered);
    baton_drain_counts counts;
    CHECK_CODE(BATON_OK, baton_read_drain_counts(made.channel, &counts));
    CHECK_CODE(1, counts.rejected_record_count);
    CHECK_CODE(BATON_EFAULT, baton_read_drain_counts(made.channel, NULL));
    CHECK_CODE(BATON_EFAULT, baton_read_drain_counts(NULL, &counts));
    check_still_works(made.channel);
    CHECK_CODE(BATON_OK, baton_read_drain_counts(made.channel, &counts));
    CHECK_CODE(1, counts.completed_count);
    free_channel(&made);
}

/* ---------------------------------------------------------------- ledger */

#define DISPATCHERS 2
#define HANDLERS 2
#define EVENTS_PER_DISPATCHER 20000
#define TOTAL (DISPATCHERS * EVENTS_PER_DISPATCHER)

enum { COMPLETED = 1, TIMED_OUT = 1 << 8, CANCELLED = 1 << 16 };
/* Events a handler yields: some once or twice, with a continuation that differs from the payload;
 * some for ever, until the channel ends them with BATON_ELOOP. */
enum { YIELD_ONCE_OR_TWICE = 40, YIELD_FOR_EVER = 2 }; /* per thousand; the ledger's yield_limit is 3 */

static _Atomic uint32_t ledger[TOTAL];
static _Atomic int dispatchers_done;
static _Atomic int handlers_run = 1;
static _Atomic long accepted_completions;
static _Atomic long accepted_yields;
static _Atomic long yields_ended;

typedef struct worker {
    baton_channel *channel;
    unsigned seed;
    int id;
} worker;

static unsigned next_random(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

/* An event's payload after it was yielded `yields` times: its number, then bytes that follow from
 * both, up to a length drawn from both, so payloads and continuations run from inline ones to ones
 * in 1 KiB and 64 KiB blocks. */
enum { LEDGER_PAYLOAD_MAX = 3000 };

static uint32_t ledger_payload(uint64_t number, uint32_t yields, uint8_t *payload)
{
    uint32_t length = (uint32_t)(sizeof number + (number + yields * 7919u) * 2654435761u % (LEDGER_PAYLOAD_MAX - sizeof number));
    memcpy(payload, &number, sizeof number);
    for (uint32_t i = sizeof number; i < length; i++) {
        payload[i] = (uint8_t)(number + i + yields);
    }
    return length;
}

/* Every other event is dispatched through a claim written in place; about one claim in a hundred
 * is aborted, and the event tried again. */
static int64_t dispatch_one(worker *self, uint64_t sequence, const uint8_t *payload, uint32_t length)
{
    if (sequence % 2 == 0) {
        return baton_dispatch(self->channel, (uint64_t)self->id, sequence, 0, 0, 0, payload, length);
    }
    baton_payload_claim claim;
    int claimed = baton_claim(self->channel, (uint64_t)self->id, sequence, 0, 0, 0, NULL, length, &claim);
    if (claimed != BATON_OK) {
        return claimed;
    }
    /* Relaxed atomic stores, not memcpy: a handler still reading the slot's previous event may read
     * this room while it is written (and discard what it read: baton_read_payload is a seqlock
     * read), and ThreadSanitizer holds a plain write beside that atomic read to be a race. */
    for (uint32_t i = 0; i < length; i++) {
        __atomic_store_n(&claim.payload[i], payload[i], __ATOMIC_RELAXED);
    }
    if (next_random(&self->seed) % 97 == 0) {
        int aborted = baton_abort(self->channel, &claim);
        return aborted == BATON_OK ? BATON_EAGAIN : aborted;
    }
    int64_t handle;
    while ((handle = baton_commit(self->channel, &claim)) == BATON_ENOSPC) {
        sched_yield();
    }
    return handle;
}

static void check_backpressure(int64_t code)
{
    if (code != BATON_EAGAIN && code != BATON_ENOSPC) {
        fprintf(stderr, "dispatch: %s\n", baton_strerror((int)code));
        abort();
    }
}

/* About one event in a hundred is cancelled once dispatched. */
static void maybe_cancel(worker *self, uint64_t number, int64_t handle)
{
    if (next_random(&self->seed) % 100 == 0) {
        int cancelled = baton_cancel(self->channel, (uint64_t)handle);
        if (cancelled == BATON_OK) {
            atomic_fetch_add(&ledger[number], CANCELLED);
        } else if (cancelled != BATON_EALREADY && cancelled != BATON_ETIMEDOUT && cancelled != BATON_ESTALE) {
            fprintf(stderr, "cancel: %s\n", baton_strerror(cancelled));
            abort();
        }
    }
}

/* The first dispatcher: one event a call, copied or claimed (dispatch_one). */
static void dispatch_one_at_a_time(worker *self)
{
    uint8_t payload[LEDGER_PAYLOAD_MAX];
    for (uint64_t sequence = 0; sequence < EVENTS_PER_DISPATCHER; sequence++) {
        uint64_t number = (uint64_t)self->id * EVENTS_PER_DISPATCHER + sequence;
        uint32_t length = ledger_payload(number, 0, payload);
        int64_t handle;
        while ((handle = dispatch_one(self, sequence, payload, length)) < 0) {
            check_backpressure(handle);
            sched_yield();
        }
        maybe_cancel(self, number, handle);
    }
}

#define LEDGER_BATCH 8

/* The others: batches of up to LEDGER_BATCH (baton_dispatch_batch), the rest of a partial batch
 * dispatched again. */
static void dispatch_in_batches(worker *self)
{
    static _Thread_local uint8_t payloads[LEDGER_BATCH][LEDGER_PAYLOAD_MAX];
    baton_dispatch_entry entries[LEDGER_BATCH];
    int64_t handles[LEDGER_BATCH];
    for (uint64_t sequence = 0; sequence < EVENTS_PER_DISPATCHER;) {
        uint32_t count = 1 + (uint32_t)(next_random(&self->seed) % LEDGER_BATCH);
        if (count > EVENTS_PER_DISPATCHER - sequence) {
            count = (uint32_t)(EVENTS_PER_DISPATCHER - sequence);
        }
        for (uint32_t i = 0; i < count; i++) {
            uint64_t number = (uint64_t)self->id * EVENTS_PER_DISPATCHER + sequence + i;
            entries[i] = (baton_dispatch_entry){.event_id_hi = (uint64_t)self->id, .event_id_lo = sequence + i,
                                                .payload = payloads[i],
                                                .payload_length = ledger_payload(number, 0, payloads[i])};
        }
        for (uint32_t done = 0; done < count;) {
            int dispatched = baton_dispatch_batch(self->channel, entries + done, count - done, handles + done);
            if (dispatched < 0) {
                fprintf(stderr, "dispatch batch: %s\n", baton_strerror(dispatched));
                abort();
            }
            for (uint32_t i = done; i < done + (uint32_t)dispatched; i++) {
                maybe_cancel(self, (uint64_t)self->id * EVENTS_PER_DISPATCHER + sequence + i, handles[i]);
            }
            done += (uint32_t)dispatched;
            if (done < count) {
                check_backpressure(handles[done]);
                sched_yield();
            }
        }
        sequence += count;
    }
}

static void *dispatcher(void *argument)
{
    worker *self = argument;
    if (self->id == 0) {
        dispatch_one_at_a_time(self);
    } else {
        dispatch_in_batches(self);
    }
    atomic_fetch_add(&dispatchers_done, 1);
    return NULL;
}

/* The completions a batch handler gathers for one baton_complete_batch call (runs of records claimed
 * together), each result in its own room. */
typedef struct deferred_completions {
    uint32_t count;
    baton_completion completions[4];
    uint8_t results[4][LEDGER_PAYLOAD_MAX];
} deferred_completions;

/* Counts a completion's result: accepted, or refused as a late completion is. */
static void tally_completion(int status)
{
    if (status == BATON_OK) {
        atomic_fetch_add(&accepted_completions, 1);
    } else if (status != BATON_ETIMEDOUT && status != BATON_ESTALE) {
        fprintf(stderr, "complete: %s\n", baton_strerror(status));
        abort();
    }
}

/* Completes what a batch handler gathered, in one call when the completion ring has room. */
static void complete_deferred(worker *self, deferred_completions *deferred)
{
    int32_t codes[4];
    uint32_t settled = 0;
    while (settled < deferred->count) {
        int done = baton_complete_batch(self->channel, &deferred->completions[settled], deferred->count - settled, codes);
        if (done < 0) {
            fprintf(stderr, "complete batch: %s\n", baton_strerror(done));
            abort();
        }
        for (int i = 0; i < done; i++) {
            tally_completion(codes[i]);
        }
        settled += (uint32_t)done;
        if (settled < deferred->count) {
            sched_yield(); /* BATON_ENOBUFS: the host drains */
        }
    }
    deferred->count = 0;
}

/* One polled event: its payload checked, then yielded, left silent, or completed (late, at times):
 * at once, or, with deferred, gathered for a batch. */
static void handle_event(worker *self, const baton_event *polled, deferred_completions *deferred)
{
    baton_event event = *polled;
    uint8_t payload[LEDGER_PAYLOAD_MAX];
    uint8_t expected[LEDGER_PAYLOAD_MAX];
    int read = baton_read_payload(self->channel, &event, payload, sizeof payload);
    if (read < 0) {
        if (read != BATON_ETIMEDOUT && read != BATON_ESTALE) {
            fprintf(stderr, "read payload: %s\n", baton_strerror(read));
            abort();
        }
        return; /* the event ended before we read it; the host hears of it from the timeout */
    }
    uint64_t number;
    memcpy(&number, payload, sizeof number);
    if (number >= TOTAL || read != (int)ledger_payload(number, event.yields, expected) ||
        memcmp(payload, expected, (size_t)read) != 0) {
        fprintf(stderr, "payload of %d bytes is not the one dispatched\n", read);
        abort();
    }
    if (number % 1000 < YIELD_FOR_EVER || (number % 1000 < YIELD_ONCE_OR_TWICE && event.yields < number % 3)) {
        uint32_t length = ledger_payload(number, event.yields + 1, payload);
        int yielded;
        while ((yielded = baton_yield(self->channel, event.handle, payload, length)) == BATON_EAGAIN ||
               yielded == BATON_ENOSPC || yielded == BATON_ENOBUFS) {
            sched_yield();
        }
        if (yielded == BATON_OK) {
            atomic_fetch_add(&accepted_yields, 1);
        } else if (yielded == BATON_ELOOP) {
            atomic_fetch_add(&yields_ended, 1);
        } else if (yielded != BATON_ETIMEDOUT && yielded != BATON_ESTALE) {
            fprintf(stderr, "yield: %s\n", baton_strerror(yielded));
            abort();
        }
        return;
    }
    /* the result is the event's first payload, whatever its continuations were */
    read = (int)ledger_payload(number, 0, payload);
    unsigned behaviour = next_random(&self->seed) % 1000;
    if (behaviour < 5) {
        return; /* a silent handler: the event must time out */
    }
    if (behaviour < 8) {
        struct timespec nap = {.tv_sec = 0, .tv_nsec = 10000000};
        nanosleep(&nap, NULL); /* a slow handler: its completion is late */
    }
    if (deferred != NULL) {
        uint32_t at = deferred->count++;
        memcpy(deferred->results[at], payload, (size_t)read);
        deferred->completions[at] = (baton_completion){.handle = event.handle, .status = (int32_t)number,
                                                       .result = deferred->results[at], .result_length = (uint32_t)read};
        return;
    }
    int status;
    while ((status = baton_complete(self->channel, event.handle, (int32_t)number, payload, (uint32_t)read)) ==
           BATON_ENOBUFS) {
        sched_yield();
    }
    tally_completion(status);
}

/* Handlers take one event a call (baton_poll) and complete it, or, every other one, batches of up to
 * four (baton_poll_batch: runs of ring cells taken with one index claim) and complete them together
 * (baton_complete_batch: runs of records claimed together). */
static void *handler(void *argument)
{
    worker *self = argument;
    baton_event events[4];
    deferred_completions deferred = {.count = 0};
    while (atomic_load(&handlers_run)) {
        int polled = self->id % 2 == 0 ? baton_poll(self->channel, &events[0], 1000000)
                                       : baton_poll_batch(self->channel, events, 4);
        if (polled < 0) {
            fprintf(stderr, "poll: %s\n", baton_strerror(polled));
            abort();
        }
        if (polled == 0 && self->id % 2 != 0) {
            baton_await_events(self->channel, 1000000);
        }
        for (int i = 0; i < polled; i++) {
            handle_event(self, &events[i], self->id % 2 == 0 ? NULL : &deferred);
        }
        complete_deferred(self, &deferred);
    }
    return NULL;
}

typedef struct host_tally {
    long completed;
    long ended_yielding;
    long timed_out;
    long wrong_results;
} host_tally;

static void on_outcome(void *context, const baton_outcome *completion)
{
    host_tally *tally = context;
    uint64_t number = completion->event_id_hi * EVENTS_PER_DISPATCHER + completion->event_id_lo;
    if (completion->timed_out) {
        tally->timed_out++;
        atomic_fetch_add(&ledger[number], TIMED_OUT);
        return;
    }
    if (completion->status == BATON_ELOOP) {
        tally->ended_yielding++;
        tally->wrong_results += completion->result_length != 0 || number % 1000 >= YIELD_FOR_EVER;
        atomic_fetch_add(&ledger[number], COMPLETED);
        return;
    }
    uint64_t result = UINT64_MAX;
    uint8_t expected[LEDGER_PAYLOAD_MAX];
    if (completion->result_length >= sizeof result) {
        memcpy(&result, completion->result, sizeof result);
    }
    if (result != number || completion->status != (int32_t)number ||
        completion->result_length != ledger_payload(number, 0, expected) ||
        memcmp(completion->result, expected, completion->result_length) != 0) {
        tally->wrong_results++;
    }
    tally->completed++;
    atomic_fetch_add(&ledger[number], COMPLETED);
}

static long count_cancelled(void)
{
    long cancelled = 0;
    for (int i = 0; i < TOTAL; i++) {
        cancelled += (atomic_load(&ledger[i]) & (0xFFu << 16)) != 0;
    }
    return cancelled;
}

static void test_ledger(void)
{
    test_channel made = make_channel_yielding(64, 5000000, 3);
    pthread_t threads[DISPATCHERS + HANDLERS];
    worker workers[DISPATCHERS + HANDLERS];
    for (int i = 0; i < DISPATCHERS + HANDLERS; i++) {
        workers[i] = (worker){.channel = made.channel, .seed = 17u * (unsigned)i + 1, .id = i};
        pthread_create(&threads[i], NULL, i < DISPATCHERS ? dispatcher : handler, &workers[i]);
    }
    host_tally tally = {0};
    const time_t give_up = time(NULL) + 300;
    long cancelled = 0;
    while (time(NULL) < give_up) {
        baton_await_outcomes(made.channel, 1000000);
        baton_drain_each(made.channel, on_outcome, &tally, 256);
        baton_reclaim_expired(made.channel);
        cancelled = count_cancelled();
        if (atomic_load(&dispatchers_done) == DISPATCHERS &&
            tally.completed + tally.ended_yielding + tally.timed_out + cancelled == TOTAL) {
            break;
        }
    }
    atomic_store(&handlers_run, 0);
    for (int i = 0; i < DISPATCHERS + HANDLERS; i++) {
        pthread_join(threads[i], NULL);
    }

    int lost = 0;
    int duplicated = 0;
    for (int i = 0; i < TOTAL; i++) {
        uint32_t entry = atomic_load(&ledger[i]);
        lost += entry == 0;
        duplicated += entry != 0 && entry != COMPLETED && entry != TIMED_OUT && entry != CANCELLED;
    }
    printf("c ledger: dispatched %d = completed %ld + ended yielding %ld + timed out %ld + cancelled %ld "
           "(yielded %ld times, then settled); lost %d, duplicated %d\n",
           TOTAL, tally.completed, tally.ended_yielding, tally.timed_out, cancelled, atomic_load(&accepted_yields), lost,
           duplicated);
    CHECK(lost == 0);
    CHECK(duplicated == 0);
    CHECK(tally.completed + tally.ended_yielding + tally.timed_out + cancelled == TOTAL);
    CHECK(tally.completed == atomic_load(&accepted_completions));
    CHECK(tally.ended_yielding == atomic_load(&yields_ended));
    CHECK(tally.wrong_results == 0);
    CHECK(tally.completed > 0 && tally.timed_out > 0 && cancelled > 0);
    /* Whether an endless yielder reaches the limit before its deadline depends on the machine's
     * load, so the ledger only accounts for those that do; test_yield.c proves the limit's end. */
    CHECK(atomic_load(&accepted_yields) > 0);
    baton_metrics metrics;
    CHECK_CODE(BATON_OK, baton_read_metrics(made.channel, &metrics));
    CHECK(metrics.pending_count == 0 && metrics.awaiting_drain_count == 0);
    free_channel(&made);
}

/* A few hundred scribble trials over the dispatch ring, a few over completion record bodies waiting
 * for the drain, each settled by the reaper a second or two later, and a few hundred over such
 * records' headers and over the completion ring's positions, where the drain refuses with
 * BATON_EUCLEAN and the host lists the events left, and a few hundred over the slab's free list, where
 * a dispatch that finds no slot refuses so, a few hundred over slots' state words, the attachment
 * table and any word of the channel (make scribble runs a campaign): each must balance its ledger. */
static void test_scribbled_channel(void)
{
    scribble_tally tally = {0};
    CHECK_CODE(0, scribble_trials(SCRIBBLE_DISPATCH_RING, (uint64_t)time(NULL), 300, &tally));
    CHECK(tally.trials == 300 && tally.words[0] > 0 && tally.words[1] > 0 && tally.words[2] > 0);
    scribble_tally records = {0};
    CHECK_CODE(0, scribble_trials(SCRIBBLE_RECORD_BODIES, (uint64_t)time(NULL), 4, &records));
    CHECK(records.trials == 4 && records.words[3] + records.words[4] == 4 && records.settled == 4);
    scribble_tally headers = {0};
    CHECK_CODE(0, scribble_trials(SCRIBBLE_RECORD_HEADERS, (uint64_t)time(NULL), 200, &headers));
    CHECK(headers.trials == 200 && headers.words[8] == 200 && headers.refused > 0 && headers.listed > 0);
    scribble_tally positions = {0};
    CHECK_CODE(0, scribble_trials(SCRIBBLE_RING_POSITIONS, (uint64_t)time(NULL), 200, &positions));
    CHECK(positions.trials == 200 && positions.words[5] > 0 && positions.words[7] > 0 && positions.refused > 0 &&
          positions.listed > 0);
    scribble_tally free_list = {0};
    CHECK_CODE(0, scribble_trials(SCRIBBLE_FREE_LIST, (uint64_t)time(NULL), 200, &free_list));
    CHECK(free_list.trials == 200 && free_list.words[9] > 0 && free_list.words[10] > 0 && free_list.refused > 0);
    scribble_tally state_words = {0};
    CHECK_CODE(0, scribble_trials(SCRIBBLE_STATE_WORDS, (uint64_t)time(NULL), 200, &state_words));
    CHECK(state_words.trials == 200 && state_words.words[11] == 200 && state_words.timed_out > 0);
    scribble_tally attachments = {0};
    CHECK_CODE(0, scribble_trials(SCRIBBLE_ATTACHMENTS, (uint64_t)time(NULL), 200, &attachments));
    CHECK(attachments.trials == 200 && attachments.words[12] == 200);
    scribble_tally anywhere = {0};
    CHECK_CODE(0, scribble_trials(SCRIBBLE_ANYWHERE, (uint64_t)time(NULL), 200, &anywhere));
    CHECK(anywhere.trials == 200 && anywhere.words[14] == 200);
}

int main(void)
{
    test_bad_input();
    test_dispatch_wakes_a_sleeping_handler();
    test_cancel_races_with_claim();
    test_dead_publishers();
    test_rejected_records();
    test_records_of_unknown_types_are_rejected();
    test_parts_alone();
    test_blocks();
    test_yield();
    test_foreign_writer();
    test_trace_context();
    test_dispatches_are_stamped_with_the_hosts_cached_clock();
    test_list_events();
    test_a_scribbled_slab_free_list_is_refused();
    test_scribbled_state_words_are_timed_out_by_expiry();
    test_a_word_written_over_a_free_slot_names_no_event();
    test_a_free_word_written_over_an_event_is_timed_out_past_the_patience();
    test_dispatch_batch();
    test_dispatch_from_a_drain_callback();
    test_the_drain_keeps_slots_for_its_thread();
    test_a_forked_child_forgets_the_slots_its_parent_keeps();
    test_kept_slots_under_contention();
    test_complete_batch();
    test_complete_batch_runs();
    test_misuse();
    test_files();
    test_liveness();
    test_host();
    test_scribbled_channel();
    test_ledger();
    printf("c tests: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
