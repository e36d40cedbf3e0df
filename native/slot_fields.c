/*
 * An event's fields in its slot. The Java twin is java/.../SlotFields.java.
 *
 * The state word belongs to slab.c, which moves it only by CAS; these are the other fields. They
 * are written and read with relaxed atomics (Java: opaque): a handler of the slot's previous event,
 * the metrics scan or expiry may read them while the slot is being reused, and each validates what
 * it read against the state word afterwards.
 */
#include <string.h>

#include "baton_internal.h"

/* Payload bytes as relaxed atomic words: an inline payload starts 8-byte aligned
 * (BATON_SLOT_HEADER_LENGTH is a multiple of 8), a block 128-byte aligned. */
static void copy_into_slot(uint8_t *destination, const uint8_t *source, uint32_t length)
{
    uint32_t i = 0;
    for (; i + 8 <= length; i += 8) {
        uint64_t word;
        memcpy(&word, source + i, 8);
        atomic_store_explicit((_Atomic uint64_t *)(void *)(destination + i), word, memory_order_relaxed);
    }
    for (; i < length; i++) {
        atomic_store_explicit((_Atomic uint8_t *)(destination + i), source[i], memory_order_relaxed);
    }
}

/* The seqlock writer's release fence, after taking a slot (or a block) whose previous event a stale
 * reader may still be reading, and before the first write into it. The move that ended that event
 * (the CAS that freed the slot, or moved it to YIELDING) happens before this fence; a reader that
 * reads any field or byte written after it, then an acquire fence (baton__slot_state_after_reads),
 * then the state word, sees that move, and so rejects what it read (baton_read_payload). */
void baton__slot_fence_before_rewrite(void)
{
    atomic_thread_fence(memory_order_release);
}

/* Writes a new event's fields, but its payload (baton__slot_write_payload), into a slot the caller
 * popped from the free list, after baton__slot_fence_before_rewrite and before baton__slab_publish
 * releases it. */
void baton__slot_write_event(baton_slot *slot, uint64_t event_id_hi, uint64_t event_id_lo,
                             uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind,
                             int64_t dispatched_at_ns, int64_t deadline_ns)
{
    atomic_store_explicit(baton__atomic(slot->kind), kind, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->event_id_hi), event_id_hi, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->event_id_lo), event_id_lo, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->correlation_id_hi), correlation_id_hi, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->correlation_id_lo), correlation_id_lo, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->dispatched_at_ns), dispatched_at_ns, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->polled_at_ns), 0, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->deadline_ns), deadline_ns, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->redeliveries), 0, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->yields), 0, memory_order_relaxed);
}

/* Writes where an event's payload is and copies it there (payload NULL: the caller writes it in
 * place, a dispatch claim): payload_at is the slot's inline room, or the block payload_block names,
 * which the caller took. The caller holds the slot unseen (FREE, off the list) or YIELDING, and
 * has fenced (baton__slot_fence_before_rewrite). */
void baton__slot_write_payload(baton_slot *slot, uint32_t payload_block, uint8_t *payload_at, const void *payload,
                               uint32_t payload_length)
{
    atomic_store_explicit(baton__atomic(slot->payload_length), payload_length, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->payload_block), payload_block, memory_order_relaxed);
    if (payload != NULL) {
        copy_into_slot(payload_at, payload, payload_length);
    }
}

/* Forgets the event the slot held, as it is freed: its deadline becomes 0, which no event's is (a
 * dispatch writes now + the completion timeout on the monotonic clock), so a slot holds an event
 * exactly while its deadline is not 0 (baton.h). The caller owns the slot (it moved it to FREE, or
 * is about to by a release store, which orders this store before it); relaxed: the FREE word, or the
 * push that hands the slot to the next dispatcher, publishes it. */
void baton__slot_forget_event(baton_slot *slot)
{
    atomic_store_explicit(baton__atomic(slot->deadline_ns), 0, memory_order_relaxed);
}

/* Whether the slot holds an event, whatever its state word says: its deadline is not 0. A scan
 * calls it after an acquire of the state word; for a word a dispatch or a yield released, the
 * deadline it reads is that event's. A word another process wrote over a free slot orders nothing,
 * and finds the 0 its last free wrote. relaxed: the state word's acquire orders it. */
int baton__slot_holds_event(const baton_slot *slot)
{
    return atomic_load_explicit(baton__atomic(slot->deadline_ns), memory_order_relaxed) != 0;
}

/* The block the slot names for its payload (0: inline), for an audit of a slot whose holder is dead.
 * relaxed: a dead holder's stores were all made before its death, which the auditor learned through
 * the kernel. */
uint32_t baton__slot_payload_block(const baton_slot *slot)
{
    return atomic_load_explicit(baton__atomic(slot->payload_block), memory_order_relaxed);
}

/* Writes a new event's trace context (none for NULL), beside baton__slot_write_event and before
 * baton__slab_publish releases it; the handler's span is 0 until its completion. */
void baton__slot_write_trace(baton_slot *slot, const baton_trace_context *trace)
{
    static const baton_trace_context none = {0};
    if (trace == NULL) {
        trace = &none;
    }
    atomic_store_explicit(baton__atomic(slot->trace_flags), trace->flags, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->trace_id_hi), trace->trace_id_hi, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->trace_id_lo), trace->trace_id_lo, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->parent_span_id), trace->parent_span_id, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->handler_span_id), 0, memory_order_relaxed);
}

/* The handler's span, written by the publisher that moved the slot to COMPLETED, before its
 * record's commit releases it to the host. */
void baton__slot_write_handler_span(baton_slot *slot, uint64_t handler_span_id)
{
    atomic_store_explicit(baton__atomic(slot->handler_span_id), handler_span_id, memory_order_relaxed);
}

/* Reads the trace context; relaxed, validated by the caller against the state word afterwards. */
void baton__slot_read_trace(baton_slot *slot, baton_trace_context *trace)
{
    trace->trace_id_hi = atomic_load_explicit(baton__atomic(slot->trace_id_hi), memory_order_relaxed);
    trace->trace_id_lo = atomic_load_explicit(baton__atomic(slot->trace_id_lo), memory_order_relaxed);
    trace->parent_span_id = atomic_load_explicit(baton__atomic(slot->parent_span_id), memory_order_relaxed);
    trace->handler_span_id = atomic_load_explicit(baton__atomic(slot->handler_span_id), memory_order_relaxed);
    trace->flags = atomic_load_explicit(baton__atomic(slot->trace_flags), memory_order_relaxed);
    trace->reserved = 0;
}

/* The payload in the block payload_block names, and its length: the inline case is
 * baton__slot_payload, in baton_internal.h, which calls this for a block. The length is bounded by
 * the block, and a reference that names no block gives an empty payload, so memory another process
 * scribbled on cannot point a read outside the channel. */
const uint8_t *baton__slot_block_payload(baton_slot *slot, const baton__block_pools *blocks, uint32_t block,
                                         uint32_t *length)
{
    uint32_t written = atomic_load_explicit(baton__atomic(slot->payload_length), memory_order_relaxed);
    uint32_t room = baton__block_size(blocks, block);
    *length = written <= room ? written : room;
    return room == 0 ? slot->payload : baton__block_address(blocks, block);
}

/* Fills a handler's view of the event in a slot it just claimed. */
void baton__slot_read_event(baton_slot *slot, const baton__block_pools *blocks, uint32_t inline_capacity,
                            baton_event *event)
{
    event->kind = atomic_load_explicit(baton__atomic(slot->kind), memory_order_relaxed);
    event->payload = baton__slot_payload(slot, blocks, inline_capacity, &event->payload_length);
    event->event_id_hi = atomic_load_explicit(baton__atomic(slot->event_id_hi), memory_order_relaxed);
    event->event_id_lo = atomic_load_explicit(baton__atomic(slot->event_id_lo), memory_order_relaxed);
    event->correlation_id_hi = atomic_load_explicit(baton__atomic(slot->correlation_id_hi), memory_order_relaxed);
    event->correlation_id_lo = atomic_load_explicit(baton__atomic(slot->correlation_id_lo), memory_order_relaxed);
    event->dispatched_at_ns = atomic_load_explicit(baton__atomic(slot->dispatched_at_ns), memory_order_relaxed);
    event->deadline_ns = atomic_load_explicit(baton__atomic(slot->deadline_ns), memory_order_relaxed);
    event->redeliveries = atomic_load_explicit(baton__atomic(slot->redeliveries), memory_order_relaxed);
    event->yields = atomic_load_explicit(baton__atomic(slot->yields), memory_order_relaxed);
}

/* Counts one more redelivery of the event in a slot whose claim a reaper just undid (POLLED to
 * DISPATCHED); the dispatch ring's commit, after this, releases the count to the next claimant.
 * The event is in no ring cell yet, so no handler writes the slot meanwhile. Only an expiry, a
 * drain and a new dispatch of the slot, all between the reaper's CAS and this store, could make
 * the next event show a redelivery it never had: a count, not a transition, so never a loss. */
void baton__slot_count_redelivery(baton_slot *slot)
{
    atomic_fetch_add_explicit(baton__atomic(slot->redeliveries), 1, memory_order_relaxed);
}

/* Sets the redeliveries a dispatch carries from another channel (baton_dispatch_entry) on the
 * event just written into a slot the caller holds unseen, before the slab's publish releases it. */
void baton__slot_carry_redeliveries(baton_slot *slot, uint32_t redeliveries)
{
    atomic_store_explicit(baton__atomic(slot->redeliveries), redeliveries, memory_order_relaxed);
}

/* How often the event in a slot its caller holds was yielded. */
uint32_t baton__slot_yields(baton_slot *slot)
{
    return atomic_load_explicit(baton__atomic(slot->yields), memory_order_relaxed);
}

/* Counts one more yield of the event in a YIELDING slot its caller holds; the dispatch ring's
 * commit, after the state's move back to DISPATCHED, releases the count to the next claimant. */
void baton__slot_count_yield(baton_slot *slot)
{
    atomic_store_explicit(baton__atomic(slot->yields), baton__slot_yields(slot) + 1, memory_order_relaxed);
}

/* Copies a payload out as relaxed atomic words (source 8-byte aligned); the caller validates the
 * copy against the state word afterwards (a seqlock read). */
void baton__copy_out(uint8_t *destination, const uint8_t *source, uint32_t length)
{
    uint32_t i = 0;
    for (; i + 8 <= length; i += 8) {
        uint64_t word = atomic_load_explicit((const _Atomic uint64_t *)(const void *)(source + i), memory_order_relaxed);
        memcpy(destination + i, &word, 8);
    }
    for (; i < length; i++) {
        destination[i] = atomic_load_explicit((const _Atomic uint8_t *)(source + i), memory_order_relaxed);
    }
}

/* The second read of a seqlock: the state word again, after reading fields it guards. The acquire
 * fence (Java: VarHandle.loadLoadFence) orders the caller's relaxed reads before this relaxed load,
 * so fields read under an unchanged word belong to it. The Java twin is SlotFields.stateAfterReads. */
uint64_t baton__slot_state_after_reads(baton_slot *slot)
{
    atomic_thread_fence(memory_order_acquire);
    return atomic_load_explicit(baton__atomic(slot->state), memory_order_relaxed);
}
