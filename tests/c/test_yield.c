/*
 * Zero-copy dispatch and yields: a payload claimed, written in place and committed or aborted,
 * with spent and forged tokens refused; an event yielded with a continuation, dispatched again with
 * its handle, ids and trace, its yields counted, until the channel's yield_limit ends it with
 * BATON_ELOOP; and a detaching claimer's held room given back.
 */
#include <string.h>

#include "check.h"

static void fill(uint8_t *bytes, uint32_t length, uint8_t seed)
{
    for (uint32_t i = 0; i < length; i++) {
        bytes[i] = (uint8_t)(seed + i * 13);
    }
}

/* Dispatches as many claims as the slab holds, aborts them, and dispatches as many again: every
 * slot and block came back. */
static int slab_refills(baton_channel *channel, uint32_t capacity)
{
    int64_t handles[64];
    uint32_t dispatched = 0;
    while (dispatched < capacity && (handles[dispatched] = baton_dispatch(channel, 9, dispatched, 0, 0, 0, "x", 1)) > 0) {
        dispatched++;
    }
    for (uint32_t i = 0; i < dispatched; i++) {
        baton_cancel(channel, (uint64_t)handles[i]);
    }
    return dispatched == capacity;
}

static void a_claimed_payload_is_written_in_place_and_committed(void)
{
    test_channel made = make_channel(8, 1000000000);
    baton_trace_context trace = {.trace_id_hi = 1, .trace_id_lo = 2, .parent_span_id = 3, .flags = 1};
    const uint32_t lengths[] = {0, 5, TEST_INLINE_PAYLOAD, TEST_INLINE_PAYLOAD + 1, BATON_BLOCK_SIZE_MIN + 1, 40000};
    uint8_t expected[40000];
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        uint32_t length = lengths[i];
        baton_payload_claim claim;
        CHECK_CODE(BATON_OK, baton_claim(made.channel, 4, i, 5, 6, 7, &trace, length, &claim));
        CHECK(claim.token != 0 && claim.payload != NULL && claim.payload_length == length);
        fill(expected, length, (uint8_t)i);
        memcpy(claim.payload, expected, length);
        uint64_t none_yet;
        CHECK_CODE(0, claim_one(made.channel, &none_yet)); /* unseen until committed */
        int64_t handle = baton_commit(made.channel, &claim);
        CHECK(handle > 0 && claim.token == 0);
        baton_event event;
        CHECK_CODE(1, baton_poll(made.channel, &event, 0));
        CHECK(event.handle == (uint64_t)handle && event.payload_length == length && event.kind == 7);
        CHECK(event.event_id_lo == i && event.correlation_id_hi == 5 && event.yields == 0);
        CHECK(length == 0 || memcmp(event.payload, expected, length) == 0);
        baton_trace_context read;
        CHECK_CODE(BATON_OK, baton_read_trace(made.channel, event.handle, &read));
        CHECK(read.trace_id_lo == 2 && read.parent_span_id == 3 && read.flags == 1);
        CHECK_CODE(BATON_OK, baton_cancel(made.channel, event.handle));
        /* a spent claim, and its token replayed, are refused */
        CHECK_CODE(BATON_EALREADY, baton_commit(made.channel, &claim));
        claim.token = (uint64_t)handle;
        CHECK_CODE(BATON_ESTALE, baton_commit(made.channel, &claim));
        CHECK_CODE(BATON_ESTALE, baton_abort(made.channel, &claim));
    }
    CHECK(slab_refills(made.channel, 8));
    free_channel(&made);
}

static void an_aborted_claim_gives_its_room_back(void)
{
    test_channel made = make_channel(8, 1000000000);
    baton_payload_claim claims[8];
    for (int i = 0; i < 8; i++) {
        CHECK_CODE(BATON_OK, baton_claim(made.channel, 1, (uint64_t)i, 0, 0, 0, NULL,
                                                  i < 4 ? BATON_BLOCK_SIZE_MIN : 10, &claims[i]));
    }
    baton_payload_claim one_more;
    CHECK_CODE(BATON_EAGAIN, baton_claim(made.channel, 1, 9, 0, 0, 0, NULL, 10, &one_more));
    CHECK_CODE(BATON_EAGAIN, baton_dispatch(made.channel, 1, 9, 0, 0, 0, "x", 1));
    for (int i = 0; i < 8; i++) {
        baton_payload_claim copy = claims[i];
        CHECK_CODE(BATON_OK, baton_abort(made.channel, &claims[i]));
        CHECK(claims[i].token == 0);
        CHECK_CODE(BATON_ESTALE, baton_commit(made.channel, &copy)); /* the abort moved the generation */
    }
    uint64_t none;
    CHECK_CODE(0, claim_one(made.channel, &none));
    CHECK(slab_refills(made.channel, 8));
    /* every payload block came back too: four claims of a block each succeed again */
    for (int i = 0; i < 4; i++) {
        CHECK_CODE(BATON_OK, baton_claim(made.channel, 1, (uint64_t)i, 0, 0, 0, NULL, BATON_BLOCK_SIZE_MIN,
                                                  &claims[i]));
    }
    for (int i = 0; i < 4; i++) {
        CHECK_CODE(BATON_OK, baton_abort(made.channel, &claims[i]));
    }
    free_channel(&made);
}

static void bad_claims_get_clear_errors(void)
{
    test_channel made = make_channel(4, 1000000000);
    baton_payload_claim claim;
    CHECK_CODE(BATON_EFAULT, baton_claim(made.channel, 1, 1, 0, 0, 0, NULL, 4, NULL));
    CHECK_CODE(BATON_EMSGSIZE, baton_claim(made.channel, 1, 1, 0, 0, 0, NULL, TEST_LARGEST_BLOCK + 1, &claim));
    CHECK_CODE(BATON_EFAULT, baton_commit(made.channel, NULL));
    CHECK_CODE(BATON_EFAULT, baton_abort(made.channel, NULL));
    claim = (baton_payload_claim){.token = UINT64_C(1) << 32 | 99};
    CHECK_CODE(BATON_ENOENT, baton_commit(made.channel, &claim));
    /* a forged token naming a dispatched event, and one naming a free slot no claim holds */
    int64_t handle = baton_dispatch(made.channel, 1, 1, 0, 0, 0, "x", 1);
    claim.token = (uint64_t)handle;
    CHECK_CODE(BATON_EALREADY, baton_commit(made.channel, &claim));
    CHECK_CODE(BATON_EALREADY, baton_abort(made.channel, &claim));
    claim.token = UINT64_C(1) << 32 | 3;
    CHECK_CODE(BATON_EALREADY, baton_commit(made.channel, &claim));
    CHECK_CODE(BATON_OK, baton_cancel(made.channel, (uint64_t)handle));
    check_still_works(made.channel);
    free_channel(&made);
}

/* A channel of four slots whose dispatch ring has two cells, so that two waiting events fill it. */
static baton_channel *attach_small_ring(void)
{
    baton_config config = {
        .slab_capacity = 4, .slot_size = 256, .dispatch_ring_capacity = 2, .completion_ring_capacity = 1024,
        .latency_ring_capacity = 16, .attachment_capacity = 4, .completion_timeout_ns = 1000000000,
        .starvation_threshold_ns = 1000000000,
    };
    static _Alignas(BATON_SEGMENT_ALIGNMENT) uint8_t memory[64 * 1024];
    baton_channel *channel = NULL;
    CHECK(baton_segment_length(&config) <= sizeof memory);
    CHECK_CODE(BATON_OK, baton_format(memory, sizeof memory, &config));
    CHECK_CODE(BATON_OK, baton_attach(memory, sizeof memory, &channel));
    return channel;
}

/* A full dispatch ring refuses the commit and keeps the claim, which commits once there is room. */
static void a_full_ring_keeps_the_claim(void)
{
    baton_channel *channel = attach_small_ring();
    CHECK(baton_dispatch(channel, 1, 1, 0, 0, 0, "a", 1) > 0);
    CHECK(baton_dispatch(channel, 1, 2, 0, 0, 0, "b", 1) > 0);
    baton_payload_claim claim;
    CHECK_CODE(BATON_OK, baton_claim(channel, 1, 3, 0, 0, 0, NULL, 1, &claim));
    claim.payload[0] = 'c';
    CHECK_CODE(BATON_ENOSPC, baton_commit(channel, &claim));
    CHECK(claim.token != 0);
    baton_event event;
    CHECK_CODE(1, baton_poll(channel, &event, 0));
    CHECK(baton_commit(channel, &claim) > 0);
    CHECK_CODE(1, baton_poll(channel, &event, 0));
    CHECK_CODE(1, baton_poll(channel, &event, 0));
    CHECK(event.event_id_lo == 3 && event.payload[0] == 'c');
    CHECK_CODE(BATON_OK, baton_detach(channel));
}

/* A yield that finds the dispatch ring full of live work is refused with the claim kept. */
static void a_full_ring_refuses_a_yield_and_keeps_the_claim(void)
{
    baton_channel *channel = attach_small_ring();
    int64_t first = baton_dispatch(channel, 1, 1, 0, 0, 0, "a", 1);
    CHECK(baton_dispatch(channel, 1, 2, 0, 0, 0, "b", 1) > 0);
    baton_event event;
    CHECK_CODE(1, baton_poll(channel, &event, 0));
    CHECK(baton_dispatch(channel, 1, 3, 0, 0, 0, "c", 1) > 0); /* the ring is full again */
    CHECK_CODE(BATON_ENOSPC, baton_yield(channel, (uint64_t)first, "again", 5));
    CHECK_CODE(BATON_OK, baton_complete(channel, (uint64_t)first, 4, NULL, 0)); /* still this handler's */
    CHECK_CODE(BATON_OK, baton_detach(channel));
}

/* A claim held by an attachment that detaches (or dies: the reaper runs the same settling) goes back. */
static void a_departed_claimers_room_goes_back(void)
{
    test_channel made = make_channel(4, 1000000000);
    baton_channel *claimer;
    CHECK_CODE(BATON_OK, baton_attach(made.memory, made.length, &claimer));
    baton_payload_claim claims[4];
    for (int i = 0; i < 4; i++) {
        CHECK_CODE(BATON_OK, baton_claim(claimer, 1, (uint64_t)i, 0, 0, 0, NULL, BATON_BLOCK_SIZE_MIN, &claims[i]));
    }
    CHECK_CODE(BATON_EAGAIN, baton_dispatch(made.channel, 1, 9, 0, 0, 0, "x", 1));
    CHECK_CODE(BATON_OK, baton_detach(claimer));
    CHECK_CODE(BATON_ESTALE, baton_commit(made.channel, &claims[0]));
    CHECK(slab_refills(made.channel, 4));
    free_channel(&made);
}

typedef struct outcome_seen {
    uint64_t handle;
    int32_t status;
    int count;
} outcome_seen;

static void remember(void *context, const baton_outcome *completion)
{
    outcome_seen *seen = context;
    seen->handle = completion->handle;
    seen->status = completion->status;
    seen->count++;
}

static void a_yielded_event_comes_back_with_its_continuation(void)
{
    test_channel made = make_channel(4, 1000000000);
    baton_trace_context trace = {.trace_id_hi = 8, .trace_id_lo = 9, .parent_span_id = 10, .flags = 1};
    int64_t handle = baton_dispatch_traced(made.channel, 11, 12, 13, 14, 15, &trace, "cursor=0;rest", 13);
    /* continuations of every placement: in place from the payload itself, inline to a block, a
     * block to a larger one, and back inline */
    const uint32_t lengths[] = {8, 3000, 50000, 0, 20};
    uint8_t continuation[50000];
    baton_event event;
    CHECK_CODE(1, baton_poll(made.channel, &event, 0));
    CHECK_CODE(BATON_OK, baton_yield(made.channel, event.handle, event.payload + 5, 8)); /* "r=0;rest", in place */
    for (uint32_t round = 0; round < sizeof lengths / sizeof lengths[0]; round++) {
        CHECK_CODE(1, baton_poll(made.channel, &event, 0));
        CHECK(event.handle == (uint64_t)handle && event.yields == round + 1);
        CHECK(event.event_id_hi == 11 && event.event_id_lo == 12 && event.kind == 15);
        if (round == 0) {
            CHECK(event.payload_length == 8 && memcmp(event.payload, "r=0;rest", 8) == 0);
        } else {
            CHECK(event.payload_length == lengths[round - 1] &&
                  memcmp(event.payload, continuation, lengths[round - 1]) == 0);
        }
        baton_trace_context read;
        CHECK_CODE(BATON_OK, baton_read_trace(made.channel, event.handle, &read));
        CHECK(read.trace_id_hi == 8 && read.parent_span_id == 10);
        fill(continuation, lengths[round], (uint8_t)round);
        CHECK_CODE(BATON_OK, baton_yield(made.channel, event.handle, continuation, lengths[round]));
        /* the yielder holds it no longer: neither a completion nor a second yield is accepted */
        CHECK_CODE(BATON_EPROTO, baton_complete(made.channel, event.handle, 0, NULL, 0));
        CHECK_CODE(BATON_EPROTO, baton_yield(made.channel, event.handle, NULL, 0));
    }
    CHECK_CODE(1, baton_poll(made.channel, &event, 0));
    CHECK_CODE(BATON_OK, baton_complete(made.channel, event.handle, 5, "done", 4));
    outcome_seen seen = {0};
    CHECK_CODE(1, baton_drain_each(made.channel, remember, &seen, 4));
    CHECK(seen.count == 1 && seen.status == 5 && seen.handle == (uint64_t)handle);
    /* every block came back: the largest class's blocks can all be taken again */
    CHECK(slab_refills(made.channel, 4));
    baton_payload_claim claims[TEST_LARGE_BLOCKS];
    for (int i = 0; i < TEST_LARGE_BLOCKS; i++) {
        CHECK_CODE(BATON_OK, baton_claim(made.channel, 1, 1, 0, 0, 0, NULL, TEST_LARGEST_BLOCK, &claims[i]));
    }
    for (int i = 0; i < TEST_LARGE_BLOCKS; i++) {
        CHECK_CODE(BATON_OK, baton_abort(made.channel, &claims[i]));
    }
    free_channel(&made);
}

static void an_endless_yield_ends_with_eloop(void)
{
    test_channel made = make_channel(4, 1000000000);
    int64_t handle = baton_dispatch(made.channel, 1, 2, 0, 0, 0, "again", 5);
    baton_event event;
    int yields = 0;
    int last;
    do {
        CHECK_CODE(1, baton_poll(made.channel, &event, 0));
        last = baton_yield(made.channel, event.handle, "again", 5);
        yields += last == BATON_OK;
    } while (last == BATON_OK && yields <= BATON_YIELD_LIMIT_DEFAULT);
    CHECK_CODE(BATON_ELOOP, last);
    CHECK(yields == BATON_YIELD_LIMIT_DEFAULT && event.yields == BATON_YIELD_LIMIT_DEFAULT);
    uint64_t none;
    CHECK_CODE(0, claim_one(made.channel, &none));
    outcome_seen seen = {0};
    CHECK_CODE(1, baton_drain_each(made.channel, remember, &seen, 4));
    CHECK(seen.count == 1 && seen.status == BATON_ELOOP && seen.handle == (uint64_t)handle);
    CHECK(strcmp(baton_strerror(BATON_ELOOP), "the event was yielded more often than the channel's yield limit") == 0);
    free_channel(&made);
}

static void bad_yields_get_clear_errors(void)
{
    test_channel made = make_channel(4, 1000000000);
    int64_t handle = baton_dispatch(made.channel, 1, 2, 0, 0, 0, "p", 1);
    CHECK_CODE(BATON_EPROTO, baton_yield(made.channel, (uint64_t)handle, "q", 1)); /* dispatched, not claimed */
    baton_event event;
    CHECK_CODE(1, baton_poll(made.channel, &event, 0));
    CHECK_CODE(BATON_EFAULT, baton_yield(made.channel, event.handle, NULL, 1));
    CHECK_CODE(BATON_EMSGSIZE, baton_yield(made.channel, event.handle, "q", TEST_LARGEST_BLOCK + 1));
    CHECK_CODE(BATON_ENOENT, baton_yield(made.channel, 0, "q", 1));
    CHECK_CODE(BATON_ESTALE, baton_yield(made.channel, event.handle + (UINT64_C(1) << 32), "q", 1));
    /* a continuation that needs a block when none is free keeps the claim */
    baton_payload_claim claims[TEST_LARGE_BLOCKS];
    for (int i = 0; i < TEST_LARGE_BLOCKS; i++) {
        CHECK_CODE(BATON_OK, baton_claim(made.channel, 1, 1, 0, 0, 0, NULL, TEST_LARGEST_BLOCK, &claims[i]));
    }
    static uint8_t large[TEST_LARGEST_BLOCK];
    CHECK_CODE(BATON_EAGAIN, baton_yield(made.channel, event.handle, large, sizeof large));
    CHECK_CODE(BATON_OK, baton_complete(made.channel, event.handle, 0, NULL, 0));
    for (int i = 0; i < TEST_LARGE_BLOCKS; i++) {
        CHECK_CODE(BATON_OK, baton_abort(made.channel, &claims[i]));
    }
    outcome_seen seen = {0};
    CHECK_CODE(1, baton_drain_each(made.channel, remember, &seen, 4));
    /* a yielded event can be cancelled while it waits again */
    handle = baton_dispatch(made.channel, 1, 3, 0, 0, 0, "p", 1);
    CHECK_CODE(1, baton_poll(made.channel, &event, 0));
    CHECK_CODE(BATON_OK, baton_yield(made.channel, event.handle, "r", 1));
    CHECK_CODE(BATON_OK, baton_cancel(made.channel, (uint64_t)handle));
    CHECK_CODE(0, baton_poll(made.channel, &event, 0));
    check_still_works(made.channel);
    free_channel(&made);
}

void test_yield(void)
{
    a_claimed_payload_is_written_in_place_and_committed();
    an_aborted_claim_gives_its_room_back();
    bad_claims_get_clear_errors();
    a_full_ring_keeps_the_claim();
    a_full_ring_refuses_a_yield_and_keeps_the_claim();
    a_departed_claimers_room_goes_back();
    a_yielded_event_comes_back_with_its_continuation();
    an_endless_yield_ends_with_eloop();
    bad_yields_get_clear_errors();
}
