/*
 * The slab and the rings driven alone, each over a plain buffer and without a channel, as a test
 * drives Aeron's aeron_mpsc_rb_t: each part is a structure of its own.
 */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "baton_internal.h"
#include "check.h"

static int record_count(void *context, int32_t type, const uint8_t *body, uint32_t length)
{
    int *seen = context;
    CHECK_CODE(BATON_RECORD_COMPLETED, type);
    CHECK_CODE(8, length);
    uint64_t value;
    memcpy(&value, body, sizeof value);
    CHECK_CODE(*seen, value);
    (*seen)++;
    return 1;
}

static int leave_record(void *context, int32_t type, const uint8_t *body, uint32_t length)
{
    (void)type, (void)body, (void)length;
    (*(int *)context)++;
    return 0;
}

/* A judge that knows nothing of the producer: it waits until the patience has run out, then pads. */
static int pad_after_patience(void *context, int32_t type, uint32_t publisher, const uint8_t *body,
                              uint32_t length, int patience_elapsed)
{
    (void)context, (void)type, (void)publisher, (void)body, (void)length;
    return patience_elapsed ? JUDGE_PAD : JUDGE_WAIT;
}

static void completion_ring_alone(void)
{
    enum { CAPACITY = 1024 };
    static alignas(64) uint8_t area[CAPACITY + BATON_COMPLETION_TRAILER_LENGTH];
    baton__completion_ring ring = {
        .records = area,
        .trailer = (baton_completion_trailer *)(area + CAPACITY),
        .capacity = CAPACITY,
        .max_body_length = CAPACITY / 8,
        .blocked_head = -1,
    };
    baton__completion_ring_format(&ring);
    CHECK(!baton__completion_ring_has_ready(&ring));
    int refused = BATON_OK;
    /* Laps the area several times, so records wrap with padding at its end. */
    int written = 0;
    int seen = 0;
    for (int lap = 0; lap < 40; lap++) {
        for (int i = 0; i < 7; i++) {
            uint8_t *body = baton__completion_ring_claim(&ring, BATON_RECORD_COMPLETED, 8, 0, &refused);
            CHECK(body != NULL);
            uint64_t value = (uint64_t)written++;
            memcpy(body, &value, sizeof value);
            baton__completion_ring_commit(body);
        }
        CHECK(baton__completion_ring_has_ready(&ring));
        CHECK_CODE(7, baton__completion_ring_read(&ring, record_count, &seen, 100));
    }
    CHECK_CODE(written, seen);
    /* A handler that leaves its record stops the read; the record is the next read's first. */
    uint8_t *kept = baton__completion_ring_claim(&ring, BATON_RECORD_COMPLETED, 8, 0, &refused);
    uint64_t value = (uint64_t)written++;
    memcpy(kept, &value, sizeof value);
    baton__completion_ring_commit(kept);
    int offered = 0;
    CHECK_CODE(0, baton__completion_ring_read(&ring, leave_record, &offered, 100));
    CHECK_CODE(0, baton__completion_ring_read(&ring, leave_record, &offered, 100));
    CHECK_CODE(2, offered);
    CHECK_CODE(1, baton__completion_ring_read(&ring, record_count, &seen, 100));
    CHECK_CODE(written, seen);
    /* With nothing to read, the reader holds the tail to its own head: a tail behind the head, or
     * further ahead than the ring, is refused as corrupted; put back, reads go on. */
    int64_t tail = ring.trailer->tail_position;
    ring.trailer->tail_position = tail - BATON_RECORD_ALIGNMENT;
    CHECK_CODE(BATON_EUCLEAN, baton__completion_ring_read(&ring, record_count, &seen, 100));
    ring.trailer->tail_position = tail + 2 * CAPACITY;
    CHECK_CODE(BATON_EUCLEAN, baton__completion_ring_read(&ring, record_count, &seen, 100));
    ring.trailer->tail_position = tail;
    CHECK_CODE(0, baton__completion_ring_read(&ring, record_count, &seen, 100));
    /* A committed or in-progress header at the head whose length no producer writes (shorter than a
     * header, or past the area) stops the reader for good: refused as corrupted, the head unmoved. */
    int64_t *header_at_head = (int64_t *)(ring.records + (ring.trailer->head_position & (CAPACITY - 1)));
    const int32_t lengths[] = {4, CAPACITY + 8, -4, -(CAPACITY + 8)};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        *header_at_head = (int64_t)(((uint64_t)BATON_RECORD_COMPLETED << 32) | (uint32_t)lengths[i]);
        ring.trailer->tail_position = tail + 16;
        CHECK_CODE(BATON_EUCLEAN, baton__completion_ring_read(&ring, record_count, &seen, 100));
        CHECK(ring.trailer->head_position == tail);
    }
    *header_at_head = 0;
    ring.trailer->tail_position = tail;
    /* An aborted claim becomes padding the reader skips; a claim never finished blocks the reader
     * until unblock pads it. */
    baton__completion_ring_abort(baton__completion_ring_claim(&ring, BATON_RECORD_COMPLETED, 8, 0, &refused));
    CHECK(baton__completion_ring_claim(&ring, BATON_RECORD_COMPLETED, 8, 0, &refused) != NULL);
    CHECK_CODE(0, baton__completion_ring_read(&ring, record_count, &seen, 100));
    CHECK_CODE(NOT_BLOCKED, baton__completion_ring_unblock(&ring, pad_after_patience, NULL, 0, 0));
    CHECK_CODE(UNBLOCKED_BY_PADDING, baton__completion_ring_unblock(&ring, pad_after_patience, NULL, 1, 1));
    CHECK_CODE(0, baton__completion_ring_read(&ring, record_count, &seen, 100));
    CHECK_CODE(NOT_BLOCKED, baton__completion_ring_unblock(&ring, pad_after_patience, NULL, 1, 1));
    /* A full ring refuses a claim instead of overwriting. */
    int claims = 0;
    while (baton__completion_ring_claim(&ring, BATON_RECORD_COMPLETED, 8, 0, &refused) != NULL) {
        claims++;
    }
    CHECK_CODE(CAPACITY / 16, claims);
    CHECK_CODE(BATON_ENOBUFS, refused);
    /* Positions no producer or reader writes (not record-aligned) are refused, not followed. */
    ring.trailer->tail_position += 3;
    CHECK(baton__completion_ring_claim(&ring, BATON_RECORD_COMPLETED, 8, 0, &refused) == NULL);
    CHECK_CODE(BATON_EUCLEAN, refused);
    ring.trailer->head_position += 3;
    CHECK_CODE(BATON_EUCLEAN, baton__completion_ring_read(&ring, record_count, &seen, 100));
    CHECK(!baton__completion_ring_has_ready(&ring));
}

static void dispatch_ring_alone(void)
{
    enum { CAPACITY = 4 };
    static alignas(64) uint8_t area[BATON_DISPATCH_RING_CELLS_OFFSET + CAPACITY * BATON_DISPATCH_CELL_LENGTH];
    baton__dispatch_ring ring = {.shared = (baton_dispatch_ring *)area,
                                 .capacity = CAPACITY,
                                 .stalled_position = UINT64_MAX,
                                 .claim_mark = BATON_CELL_CLAIMED_BY(0),
                                 .unmarked_position = UINT64_MAX};
    baton__dispatch_ring_format(&ring);
    CHECK(baton__dispatch_ring_poll(&ring) == BATON_HANDLE_NONE);
    for (uint64_t lap = 0; lap < 3; lap++) {
        for (uint64_t i = 1; i <= CAPACITY; i++) {
            int64_t position = baton__dispatch_ring_claim(&ring);
            CHECK(position >= 0);
            baton__dispatch_ring_commit(&ring, position, lap * 100 + i);
        }
        CHECK_CODE(-1, baton__dispatch_ring_claim(&ring));
        for (uint64_t i = 1; i <= CAPACITY; i++) {
            CHECK(baton__dispatch_ring_poll(&ring) == lap * 100 + i);
        }
        CHECK(!baton__dispatch_ring_has_ready(&ring));
    }
    /* A producer that died between taking a position and marking its cell: the cell is committed
     * as it is (the previous lap's handle) once found so for longer than the patience; a marked
     * cell is left to its claimant (or to the reaper of its tag). */
    uint64_t taken = atomic_fetch_add(baton__atomic(ring.shared->producer_index), 1);
    CHECK(baton__dispatch_ring_poll(&ring) == BATON_HANDLE_NONE);
    CHECK_CODE(0, baton__dispatch_ring_unblock_unmarked(&ring, 0)); /* first seen now */
    int unblocked = 0;
    for (int attempt = 0; !unblocked && attempt < 1000000; attempt++) { /* until the clock moves on */
        unblocked = baton__dispatch_ring_unblock_unmarked(&ring, 0);
    }
    CHECK_CODE(1, unblocked);
    CHECK(baton__dispatch_ring_poll(&ring) == 200 + (taken % CAPACITY) + 1); /* the previous lap's */
    ring.claim_mark = BATON_CELL_CLAIMED_BY(7);
    int64_t marked = baton__dispatch_ring_claim(&ring);
    CHECK(marked >= 0);
    CHECK(ring.shared->cells[marked % CAPACITY].sequence == BATON_CELL_CLAIMED_BY(7));
    CHECK_CODE(0, baton__dispatch_ring_unblock_unmarked(&ring, 0));
    CHECK_CODE(0, baton__dispatch_ring_unblock_unmarked(&ring, 0));
    ring.claim_mark = BATON_CELL_CLAIMED_BY(8);
    CHECK(baton__dispatch_ring_claim(&ring) >= 0); /* claims go on past it */
    CHECK(baton__dispatch_ring_poll(&ring) == BATON_HANDLE_NONE); /* consumers stop at it */
    CHECK_CODE(1, baton__dispatch_ring_commit_abandoned(&ring, 7));
    CHECK(baton__dispatch_ring_poll(&ring) == BATON_HANDLE_NONE); /* its cell, empty */
    CHECK_CODE(0, baton__dispatch_ring_commit_abandoned(&ring, 7));
}

/* Runs popped and pushed with one CAS each: in order, partial when the list runs short, and a
 * scribbled link ends a run where a single pop would have stopped. */
static void free_list_runs_alone(void)
{
    enum { CAPACITY = 8 };
    uint32_t links[CAPACITY];
    uint64_t head = 0;
    baton__free_list list = {.head = &head, .links = (uint8_t *)links, .stride = sizeof links[0], .capacity = CAPACITY};
    baton__free_list_format(&list);
    uint32_t items[CAPACITY + 2];
    CHECK_CODE(3, baton__free_list_pop_run(&list, 3, items));
    CHECK(items[0] == 0 && items[1] == 1 && items[2] == 2);
    CHECK_CODE(5, baton__free_list_pop_run(&list, CAPACITY + 2, items));
    CHECK(items[0] == 3 && items[4] == 7);
    CHECK_CODE(0, baton__free_list_pop_run(&list, 4, items));
    CHECK_CODE(-1, baton__free_list_pop(&list));

    const uint32_t run[] = {6, 2, 4};
    baton__free_list_push_run(&list, run, 3);
    baton__free_list_push(&list, 1);
    uint64_t members = 0;
    baton__free_list_mark_members(&list, &members);
    CHECK(members == ((1u << 6) | (1u << 2) | (1u << 4) | (1u << 1)));
    CHECK_CODE(1, baton__free_list_pop(&list));
    CHECK_CODE(3, baton__free_list_pop_run(&list, CAPACITY, items));
    CHECK(items[0] == 6 && items[1] == 2 && items[2] == 4);

    /* Item 2's link scribbled past the capacity: the run ends with item 2, whose link becomes the
     * head, which the next pop refuses. */
    baton__free_list_push_run(&list, run, 3);
    links[2] = CAPACITY + 9;
    CHECK_CODE(2, baton__free_list_pop_run(&list, CAPACITY, items));
    CHECK(items[0] == 6 && items[1] == 2);
    CHECK_CODE(0, baton__free_list_pop_run(&list, CAPACITY, items));
    CHECK((uint32_t)head == CAPACITY + 9);
}

static void slab_alone(void)
{
    enum { CAPACITY = 4, SLOT_SIZE = 128 };
    static alignas(64) uint8_t slots[CAPACITY * SLOT_SIZE];
    uint64_t free_head = 0;
    baton__slab slab = {.slots = slots,
                        .free_list = {.head = &free_head, .links = slots + 8, .stride = SLOT_SIZE, .capacity = CAPACITY},
                        .capacity = CAPACITY,
                        .slot_size = SLOT_SIZE};
    baton__slab_format(&slab);
    uint64_t handles[CAPACITY];
    for (int i = 0; i < CAPACITY; i++) {
        int64_t index = baton__slab_acquire(&slab);
        CHECK(index >= 0);
        handles[i] = baton__slab_publish(&slab, (uint32_t)index);
        CHECK(handles[i] != BATON_HANDLE_NONE);
    }
    CHECK_CODE(-1, baton__slab_acquire(&slab));
    CHECK(baton__slab_transition(&slab, handles[0], BATON_SLOT_DISPATCHED, BATON_SLOT_POLLED));
    CHECK(baton__slab_free(&slab, handles[0], BATON_SLOT_POLLED, 0));
    CHECK_CODE(BATON_ESTALE, baton__slab_rejection(&slab, handles[0], BATON_SLOT_POLLED));
    /* A free-list head scribbled past the capacity is refused, not followed out of the slab. */
    uint64_t scribbled = (free_head & 0xffffffff00000000ull) | (CAPACITY + 5);
    free_head = scribbled;
    CHECK_CODE(-1, baton__slab_acquire(&slab));
    CHECK(free_head == scribbled);
}

void test_parts_alone(void)
{
    completion_ring_alone();
    dispatch_ring_alone();
    free_list_runs_alone();
    slab_alone();
}
