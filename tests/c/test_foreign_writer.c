/*
 * A writer outside libbaton completes events under the rule baton.h states for foreign writers (the
 * completion ring's section), through a minimal writer of the ring's format made from baton.h alone:
 * it moves the slot's state from the POLLED word it holds to the end state in the same generation,
 * then claims, writes and commits a record, then calls baton_notify_completed. Its completions and
 * timeouts, interleaved with libbaton's own completions across many wraps of the ring, are each
 * delivered once, with their statuses and results, and no record is rejected.
 * Java's twin: ForeignWriterTest, with Agrona's ManyToOneRingBuffer as the writer.
 */
#include <stdatomic.h>
#include <string.h>

#include "check.h"

enum { FOREIGN_EVENTS = 5000 };

/* The completion ring as baton.h draws it: the record area, then the trailer. */
typedef struct foreign_ring {
    uint8_t *records;
    uint32_t capacity;
    baton_completion_trailer *trailer;
} foreign_ring;

static foreign_ring foreign_ring_of(void *memory)
{
    const baton_header *header = memory;
    uint8_t *records = (uint8_t *)memory + header->completion_ring_offset;
    return (foreign_ring){.records = records,
                          .capacity = header->completion_ring_capacity,
                          .trailer = (baton_completion_trailer *)(records + header->completion_ring_capacity)};
}

/* A record's 8-byte header, length then type, as one word: the reader sees both at once. */
static void store_header(foreign_ring *ring, uint32_t index, int32_t length, int32_t type, memory_order order)
{
    uint64_t word = (uint64_t)(uint32_t)type << 32 | (uint32_t)length;
    atomic_store_explicit((_Atomic uint64_t *)(ring->records + index), word, order);
}

/* Claims room for a record of record_length bytes by CAS of tail_position, against the consumer's
 * head_position (acquire: the head's release of the bytes behind it). A record that would cross the
 * end of the area starts again at 0, and a padding record fills the end. The record's index in the
 * area, or -1 when the ring has no room now. */
static int64_t claim_record(foreign_ring *ring, uint32_t record_length)
{
    const uint32_t aligned = (record_length + BATON_RECORD_ALIGNMENT - 1) & ~(uint32_t)(BATON_RECORD_ALIGNMENT - 1);
    _Atomic int64_t *tail_word = (_Atomic int64_t *)&ring->trailer->tail_position;
    int64_t tail = atomic_load_explicit(tail_word, memory_order_relaxed);
    for (;;) {
        int64_t head = atomic_load_explicit((_Atomic int64_t *)&ring->trailer->head_position, memory_order_acquire);
        uint32_t index = (uint32_t)tail & (ring->capacity - 1);
        uint32_t to_end = ring->capacity - index;
        uint32_t padding = aligned > to_end ? to_end : 0;
        if ((uint64_t)(tail - head) + padding + aligned > ring->capacity) {
            return -1;
        }
        /* seq_cst on success: the claim is the record's, as libbaton's own claims are. */
        if (atomic_compare_exchange_weak_explicit(tail_word, &tail, tail + padding + aligned, memory_order_seq_cst,
                                                  memory_order_relaxed)) {
            if (padding != 0) {
                /* release: the padding is whole once seen, and nothing in it is read. */
                store_header(ring, index, (int32_t)padding, BATON_RECORD_PADDING, memory_order_release);
                return 0;
            }
            return index;
        }
    }
}

/* Writes one record of the given type: in progress (a negative length, release), the body, then
 * committed (its length, release: the body first). 1, or 0 when the ring has no room. */
static int write_record(foreign_ring *ring, int32_t type, const uint8_t *body, uint32_t body_length)
{
    uint32_t record_length = BATON_RECORD_HEADER_LENGTH + body_length;
    int64_t index = claim_record(ring, record_length);
    if (index < 0) {
        return 0;
    }
    store_header(ring, (uint32_t)index, -(int32_t)record_length, type, memory_order_release);
    memcpy(ring->records + index + BATON_RECORD_HEADER_LENGTH, body, body_length);
    store_header(ring, (uint32_t)index, (int32_t)record_length, type, memory_order_release);
    return 1;
}

/* The rule's first step: the slot's state from the POLLED word held to end_state, same generation. */
static int move_state(void *memory, uint64_t handle, uint32_t end_state)
{
    _Atomic uint64_t *state = (_Atomic uint64_t *)&slot_of_handle(memory, handle)->state;
    uint64_t polled = atomic_load_explicit(state, memory_order_acquire);
    if ((polled & BATON_SLOT_STATE_MASK) != BATON_SLOT_POLLED) {
        return 0;
    }
    uint64_t ended = (handle & UINT64_C(0xFFFFFFFF00000000)) | end_state;
    return atomic_compare_exchange_strong_explicit(state, &polled, ended, memory_order_seq_cst, memory_order_relaxed);
}

typedef struct foreign_ledger {
    int delivered[FOREIGN_EVENTS];
    int wrong;
} foreign_ledger;

/* Event i: libbaton completes it with 201 when i % 3 == 0; the foreign writer completes it with 202
 * when i % 3 == 1, and reports it timed out when i % 3 == 2. Each result is 3 * i, 8 bytes. */
static void check_outcome(void *context, const baton_outcome *outcome)
{
    foreign_ledger *ledger = context;
    uint64_t id = outcome->event_id_lo;
    if (id >= FOREIGN_EVENTS) {
        ledger->wrong++;
        return;
    }
    ledger->delivered[id]++;
    int64_t result = -1;
    if (outcome->result_length == sizeof result) {
        memcpy(&result, outcome->result, sizeof result);
    }
    int32_t status = id % 3 == 0 ? 201 : id % 3 == 1 ? 202 : BATON_ETIMEDOUT;
    if (outcome->status != status || outcome->timed_out != (id % 3 == 2) || result != 3 * (int64_t)id) {
        fprintf(stderr, "foreign writer: event %llu: status %d, timed out %d, result %lld\n",
                (unsigned long long)id, outcome->status, outcome->timed_out, (long long)result);
        ledger->wrong++;
    }
}

void test_foreign_writer(void)
{
    test_channel made = make_channel(64, 1000000000);
    baton_channel *channel = made.channel;
    foreign_ring ring = foreign_ring_of(made.memory);
    static foreign_ledger ledger;
    memset(&ledger, 0, sizeof ledger);
    _Alignas(8) uint8_t record[sizeof(baton_completion_body) + sizeof(int64_t)]; /* the result inline */
    for (uint64_t id = 0; id < FOREIGN_EVENTS; id++) {
        int64_t handle = baton_dispatch(channel, 0, id, 0, 0, 0, NULL, 0);
        baton_event event;
        CHECK(handle > 0 && baton_poll(channel, &event, 0) == 1 && event.handle == (uint64_t)handle);
        int64_t result = 3 * (int64_t)id;
        if (id % 3 == 0) {
            CHECK_CODE(BATON_OK, baton_complete(channel, event.handle, 201, &result, sizeof result));
        } else {
            int timed_out = id % 3 == 2;
            CHECK(move_state(made.memory, event.handle, timed_out ? BATON_SLOT_TIMED_OUT : BATON_SLOT_COMPLETED));
            baton_completion_body body = {.handle = event.handle, .status = timed_out ? BATON_ETIMEDOUT : 202};
            memcpy(record, &body, sizeof body);
            memcpy(record + sizeof body, &result, sizeof result);
            CHECK(write_record(&ring, timed_out ? BATON_RECORD_TIMED_OUT : BATON_RECORD_COMPLETED, record,
                               sizeof record));
            CHECK_CODE(BATON_OK, baton_notify_completed(channel));
        }
        if (id % 7 == 6) {
            CHECK(baton_drain_each(channel, check_outcome, &ledger, 64) >= 0);
        }
    }
    while (baton_drain_each(channel, check_outcome, &ledger, 64) > 0) {
    }
    int once = 0;
    for (int id = 0; id < FOREIGN_EVENTS; id++) {
        once += ledger.delivered[id] == 1;
    }
    CHECK_CODE(FOREIGN_EVENTS, once);
    CHECK_CODE(0, ledger.wrong);
    baton_drain_counts counts;
    CHECK_CODE(BATON_OK, baton_read_drain_counts(channel, &counts));
    CHECK_CODE(0, counts.rejected_record_count);
    CHECK_CODE(FOREIGN_EVENTS / 3, counts.timed_out_count);
    CHECK(ring.trailer->tail_position > 2 * (int64_t)ring.capacity); /* the run wrapped the ring more than twice */
    printf("c foreign writer: dispatched %d = delivered once %d (%llu by the foreign writer's timeouts); rejected %llu\n",
           FOREIGN_EVENTS, once, (unsigned long long)counts.timed_out_count,
           (unsigned long long)counts.rejected_record_count);
    free_channel(&made);
}
