/*
 * Payloads and results longer than their inline room travel in blocks of the block area: every size
 * from 0 to the largest block round-trips, a full class falls back to a larger one and then pushes
 * back, every block comes back after use, and a block reference another process scribbled on is
 * refused rather than followed: a record naming a result block its writer never took is rejected.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static void fill(uint8_t *bytes, uint32_t length, uint32_t seed)
{
    for (uint32_t i = 0; i < length; i++) {
        bytes[i] = (uint8_t)(seed * 31 + i * 7);
    }
}

typedef struct expected_result {
    const uint8_t *bytes;
    uint32_t length;
    int seen;
} expected_result;

static void check_result(void *context, const baton_outcome *completion)
{
    expected_result *expected = context;
    CHECK(completion->result_length == expected->length);
    CHECK(completion->result_length == expected->length &&
          (expected->length == 0 || memcmp(completion->result, expected->bytes, expected->length) == 0));
    expected->seen++;
}

/* Dispatch, claim, read, complete with a result as long as the payload, drain: both ways intact. */
static void round_trip(baton_channel *channel, uint8_t *payload, uint8_t *result, uint8_t *copy, uint32_t length)
{
    fill(payload, length, length);
    fill(result, length, length + 1);
    int64_t handle = baton_dispatch(channel, 1, length, 0, 0, 0, payload, length);
    CHECK(handle > 0);
    baton_event event;
    CHECK_CODE(1, baton_poll(channel, &event, 0));
    CHECK(event.handle == (uint64_t)handle && event.payload_length == length);
    CHECK(length == 0 || memcmp(event.payload, payload, length) == 0);
    CHECK_CODE(length, baton_read_payload(channel, &event, copy, TEST_LARGEST_BLOCK));
    CHECK(memcmp(copy, payload, length) == 0);
    CHECK_CODE(BATON_OK, baton_complete(channel, event.handle, 7, result, length));
    expected_result expected = {.bytes = result, .length = length};
    CHECK_CODE(1, baton_drain_each(channel, check_result, &expected, 4));
    CHECK(expected.seen == 1);
}

static void every_size_round_trips(void)
{
    test_channel made = make_channel(8, 1000000000);
    uint8_t *payload = malloc(TEST_LARGEST_BLOCK);
    uint8_t *result = malloc(TEST_LARGEST_BLOCK);
    uint8_t *copy = malloc(TEST_LARGEST_BLOCK);
    const uint32_t inline_result = 64 * 1024 / 8 - BATON_COMPLETION_BODY_LENGTH;
    const uint32_t lengths[] = {0, 1, TEST_INLINE_PAYLOAD, TEST_INLINE_PAYLOAD + 1, BATON_BLOCK_SIZE_MIN,
                                BATON_BLOCK_SIZE_MIN + 1, inline_result, inline_result + 1, TEST_LARGEST_BLOCK};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        round_trip(made.channel, payload, result, copy, lengths[i]);
    }
    /* Sizes drawn at random, many more times than there are blocks: each is freed and reused. */
    srand(15);
    for (int i = 0; i < 400; i++) {
        round_trip(made.channel, payload, result, copy, (uint32_t)rand() % (TEST_LARGEST_BLOCK + 1));
    }
    /* baton_drain copies a result held in a block like an inline one. */
    fill(result, 5000, 3);
    int64_t handle = baton_dispatch(made.channel, 0, 0, 0, 0, 0, NULL, 0);
    uint64_t claimed;
    CHECK_CODE(1, claim_one(made.channel, &claimed));
    CHECK(claimed == (uint64_t)handle);
    CHECK_CODE(BATON_OK, baton_complete(made.channel, claimed, 0, result, 5000));
    baton_outcome outcome;
    CHECK_CODE(BATON_EMSGSIZE, baton_drain(made.channel, &outcome, NULL, 1, copy, 4999));
    CHECK_CODE(1, baton_drain(made.channel, &outcome, NULL, 1, copy, TEST_LARGEST_BLOCK));
    CHECK(outcome.result_length == 5000 && outcome.result == copy && memcmp(outcome.result, result, 5000) == 0);
    free(payload);
    free(result);
    free(copy);
    free_channel(&made);
}

/* Four 1 KiB blocks, then two of 64 KiB, for payloads: a seventh 1000-byte payload finds no block and
 * is pushed back (BATON_EAGAIN), its slot returned; a cancel gives a block back. Results have blocks
 * of their own: a third 9000-byte result finds none (BATON_ENOBUFS), its event still claimed, until
 * the host drains the first two. */
static void full_classes_push_back(void)
{
    test_channel made = make_channel(8, 1000000000);
    baton_channel *channel = made.channel;
    uint8_t payload[1000];
    fill(payload, sizeof payload, 1);
    int64_t handles[TEST_SMALL_BLOCKS + TEST_LARGE_BLOCKS];
    for (int i = 0; i < TEST_SMALL_BLOCKS + TEST_LARGE_BLOCKS; i++) {
        handles[i] = baton_dispatch(channel, 0, (uint64_t)i, 0, 0, 0, payload, sizeof payload);
        CHECK(handles[i] > 0);
    }
    CHECK_CODE(BATON_EAGAIN, baton_dispatch(channel, 0, 99, 0, 0, 0, payload, sizeof payload));
    baton_metrics metrics;
    CHECK_CODE(BATON_OK, baton_read_metrics(channel, &metrics));
    CHECK(metrics.pending_count == TEST_SMALL_BLOCKS + TEST_LARGE_BLOCKS);
    /* an inline payload needs no block */
    int64_t inline_handle = baton_dispatch(channel, 0, 98, 0, 0, 0, payload, TEST_INLINE_PAYLOAD);
    CHECK(inline_handle > 0);
    CHECK_CODE(BATON_OK, baton_cancel(channel, (uint64_t)handles[TEST_SMALL_BLOCKS]));
    handles[TEST_SMALL_BLOCKS] = baton_dispatch(channel, 0, 97, 0, 0, 0, payload, sizeof payload);
    CHECK(handles[TEST_SMALL_BLOCKS] > 0);

    baton_event events[3];
    CHECK_CODE(3, baton_poll_batch(channel, events, 3));
    uint8_t result[9000];
    fill(result, sizeof result, 2);
    CHECK_CODE(BATON_OK, baton_complete(channel, events[0].handle, 0, result, sizeof result));
    CHECK_CODE(BATON_OK, baton_complete(channel, events[1].handle, 0, result, sizeof result));
    CHECK_CODE(BATON_ENOBUFS, baton_complete(channel, events[2].handle, 0, result, sizeof result));
    expected_result expected = {.bytes = result, .length = sizeof result};
    CHECK_CODE(2, baton_drain_each(channel, check_result, &expected, 2));
    CHECK_CODE(BATON_OK, baton_complete(channel, events[2].handle, 0, result, sizeof result));
    CHECK_CODE(1, baton_drain_each(channel, check_result, &expected, 1));
    CHECK(expected.seen == 3);
    free_channel(&made);
}

/* The free-list head of block class k of the half at half_offset in the channel. */
static uint64_t *class_head(void *memory, uint64_t half_offset, uint32_t k)
{
    return (uint64_t *)((uint8_t *)memory + half_offset + (uint64_t)k * BATON_HOT_FIELD_PADDING);
}

/* Where the results' half of the block area starts: after the payloads' half, whose classes each
 * have their links and then their blocks, from offsets aligned to 128 (baton.h, block area). */
static uint64_t results_half_offset(const baton_header *header)
{
    uint64_t length = BATON_BLOCK_AREA_LINKS_OFFSET;
    for (uint32_t k = 0; k < BATON_BLOCK_CLASSES; k++) {
        if (header->block_counts[k] != 0) {
            length = (length + 127) / 128 * 128 + (uint64_t)header->block_counts[k] * 4;
            length = (length + 127) / 128 * 128 + (uint64_t)header->block_counts[k] * (BATON_BLOCK_SIZE_MIN << k);
        }
    }
    return header->block_area_offset + length;
}

/* Another process writes over the free-list heads of the classes a payload or a result could take:
 * the blocks below them are lost to the lists, and a take that then finds no block refuses with
 * BATON_EUCLEAN instead of the backpressure (BATON_EAGAIN, BATON_ENOBUFS) that would never end. The
 * event whose completion was refused stays claimed, and completes without a block; inline payloads
 * still dispatch. */
static void scribbled_free_list_heads_are_refused(void)
{
    test_channel made = make_channel(8, 1000000000);
    baton_channel *channel = made.channel;
    baton_header *header = made.memory;
    uint8_t payload[1000];
    fill(payload, sizeof payload, 5);
    CHECK(baton_dispatch(channel, 0, 1, 0, 0, 0, NULL, 0) > 0);
    baton_event event;
    CHECK_CODE(1, baton_poll(channel, &event, 0));
    uint64_t results = results_half_offset(header);
    CHECK(*class_head(made.memory, results, 0) != 0 && *class_head(made.memory, results, 6) != 0);
    const uint64_t scribble = UINT64_C(0x5C21BB1E) << 32 | 0xFFFFF0u;
    *class_head(made.memory, header->block_area_offset, 0) = scribble;
    *class_head(made.memory, header->block_area_offset, 6) = scribble;
    *class_head(made.memory, results, 0) = scribble;
    *class_head(made.memory, results, 6) = scribble;

    CHECK_CODE(BATON_EUCLEAN, baton_dispatch(channel, 0, 2, 0, 0, 0, payload, sizeof payload));
    baton_payload_claim claim;
    CHECK_CODE(BATON_EUCLEAN, baton_claim(channel, 0, 3, 0, 0, 0, NULL, sizeof payload, &claim));
    CHECK(baton_dispatch(channel, 0, 4, 0, 0, 0, payload, TEST_INLINE_PAYLOAD) > 0);
    uint8_t result[9000];
    fill(result, sizeof result, 6);
    CHECK_CODE(BATON_EUCLEAN, baton_complete(channel, event.handle, 0, result, sizeof result));
    CHECK_CODE(BATON_OK, baton_complete(channel, event.handle, 0, result, 8));
    expected_result expected = {.bytes = result, .length = 8};
    CHECK_CODE(1, baton_drain_each(channel, check_result, &expected, 4));
    CHECK(expected.seen == 1);
    free_channel(&made);
}

/* A payload_block scribbled to name no block gives an empty payload, and the event still ends. */
static void scribbled_reference_is_refused(void)
{
    test_channel made = make_channel(4, 1000000000);
    baton_channel *channel = made.channel;
    uint8_t payload[2000];
    fill(payload, sizeof payload, 4);
    int64_t handle = baton_dispatch(channel, 0, 0, 0, 0, 0, payload, sizeof payload);
    CHECK(handle > 0);
    baton_slot *slot = slot_of_handle(made.memory, handle);
    CHECK(slot->payload_block != 0);
    const uint32_t scribbles[] = {UINT32_C(15) << BATON_BLOCK_CLASS_SHIFT | 1, UINT32_C(6) << BATON_BLOCK_CLASS_SHIFT | 3,
                                  UINT32_C(200) << BATON_BLOCK_CLASS_SHIFT | 1, UINT32_C(6) << BATON_BLOCK_CLASS_SHIFT};
    uint32_t original = slot->payload_block;
    baton_event event;
    uint8_t copy[sizeof payload];
    for (size_t i = 0; i < sizeof scribbles / sizeof scribbles[0]; i++) {
        slot->payload_block = scribbles[i];
        if (i == 0) {
            CHECK_CODE(1, baton_poll(channel, &event, 0));
            CHECK(event.payload_length == 0);
        }
        CHECK_CODE(0, baton_read_payload(channel, &event, copy, 0));
    }
    slot->payload_block = original;
    CHECK_CODE(sizeof payload, baton_read_payload(channel, &event, copy, sizeof copy));
    CHECK(memcmp(copy, payload, sizeof payload) == 0);
    CHECK_CODE(BATON_OK, baton_complete(channel, event.handle, 0, NULL, 0));
    expected_result expected = {.bytes = NULL, .length = 0};
    CHECK_CODE(1, baton_drain_each(channel, check_result, &expected, 4));
    CHECK(expected.seen == 1);
    check_still_works(channel);
    free_channel(&made);
}

static void count_status(void *context, const baton_outcome *outcome)
{
    int32_t *statuses = context;
    statuses[outcome->event_id_lo] = outcome->status;
}

/* A foreign writer's record names a result block that another outcome's publisher took: the drain
 * delivers the owner's bytes, rejects the record without reading or freeing the block, and the
 * reaper settles its event once (ENODATA). The block is then handed out once, to the next result. */
static void a_record_naming_a_block_its_writer_never_took_is_rejected(void)
{
    test_channel made = make_channel(4, 1000000000);
    baton_channel *channel = made.channel;
    baton_header *header = made.memory;
    uint8_t *ring = (uint8_t *)made.memory + header->completion_ring_offset;
    baton_completion_trailer *trailer = (baton_completion_trailer *)(ring + header->completion_ring_capacity);
    const uint32_t length = 10000; /* past a record's inline room: a 64 KiB block */
    uint8_t *result = malloc(length);
    uint8_t *other = malloc(length);
    fill(result, length, 1);
    fill(other, length, 2);
    baton_event owner;
    baton_event forger;
    CHECK(baton_dispatch(channel, 0, 1, 0, 0, 0, NULL, 0) > 0);
    CHECK(baton_dispatch(channel, 0, 2, 0, 0, 0, NULL, 0) > 0);
    CHECK_CODE(1, baton_poll(channel, &owner, 0));
    CHECK_CODE(1, baton_poll(channel, &forger, 0));
    int64_t owners_record = trailer->tail_position;
    CHECK_CODE(BATON_OK, baton_complete(channel, owner.handle, 200, result, length));
    int64_t forgers_record = trailer->tail_position;
    CHECK_CODE(BATON_OK, baton_complete(channel, forger.handle, 200, other, length));
    baton_completion_body *owners = (baton_completion_body *)(ring + (owners_record & (header->completion_ring_capacity - 1)) + 8);
    baton_completion_body *forgers = (baton_completion_body *)(ring + (forgers_record & (header->completion_ring_capacity - 1)) + 8);
    CHECK(owners->result_block != 0 && forgers->result_block != 0 && owners->result_block != forgers->result_block);
    forgers->result_block = owners->result_block;

    baton_drain_counts before;
    CHECK_CODE(BATON_OK, baton_read_drain_counts(channel, &before));
    expected_result expected = {.bytes = result, .length = length};
    CHECK_CODE(1, baton_drain_each(channel, check_result, &expected, 4));
    CHECK(expected.seen == 1);
    baton_drain_counts after;
    CHECK_CODE(BATON_OK, baton_read_drain_counts(channel, &after));
    CHECK_CODE(1, after.rejected_record_count - before.rejected_record_count);

    int32_t statuses[3] = {0};
    CHECK_CODE(0, baton_reap(channel)); /* notes the forger's event, COMPLETED with no record */
    usleep(1100000);
    CHECK_CODE(0, baton_reap(channel));
    CHECK_CODE(1, baton_drain_each(channel, count_status, statuses, 4));
    CHECK_CODE(BATON_ENODATA, statuses[2]);
    CHECK_CODE(0, baton_drain_each(channel, count_status, statuses, 4));
    /* The owner's block went back once: the next long result takes it, intact. */
    uint8_t *copy = malloc(TEST_LARGEST_BLOCK);
    round_trip(channel, other, result, copy, length);
    free(copy);
    free(result);
    free(other);
    free_channel(&made);
}

/* A channel configured without blocks has no block area, and refuses what does not fit inline. */
static void no_blocks_no_area(void)
{
    const baton_config config = {
        .slab_capacity = 2,
        .slot_size = TEST_SLOT_SIZE,
        .dispatch_ring_capacity = 4,
        .completion_ring_capacity = 1024,
        .latency_ring_capacity = 2,
        .attachment_capacity = 1,
        .completion_timeout_ns = 1000000000,
        .starvation_threshold_ns = 1000000000,
    };
    uint64_t length = baton_segment_length(&config);
    void *memory = aligned_alloc(BATON_SEGMENT_ALIGNMENT, (length + BATON_SEGMENT_ALIGNMENT - 1) & ~(uint64_t)4095);
    baton_channel *channel = NULL;
    CHECK_CODE(BATON_OK, baton_format(memory, length, &config));
    CHECK(((baton_header *)memory)->block_area_offset == length);
    CHECK_CODE(BATON_OK, baton_attach(memory, length, &channel));
    uint8_t payload[TEST_INLINE_PAYLOAD + 1] = {0};
    CHECK_CODE(BATON_EMSGSIZE, baton_dispatch(channel, 0, 0, 0, 0, 0, payload, sizeof payload));
    CHECK(baton_dispatch(channel, 0, 0, 0, 0, 0, payload, TEST_INLINE_PAYLOAD) > 0);
    CHECK_CODE(BATON_OK, baton_detach(channel));
    free(memory);
}

void test_blocks(void)
{
    no_blocks_no_area();
    every_size_round_trips();
    full_classes_push_back();
    scribbled_reference_is_refused();
    scribbled_free_list_heads_are_refused();
    a_record_naming_a_block_its_writer_never_took_is_rejected();
}
