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

/* Payload bytes as relaxed atomic words: the payload starts 8-byte aligned
 * (BATON_SLOT_HEADER_LENGTH is a multiple of 8). */
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

/* Writes a new event into a slot the caller popped from the free list, before baton__slab_publish
 * releases it. */
void baton__slot_write_event(baton_slot *slot, uint64_t event_id_hi, uint64_t event_id_lo,
                             uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind,
                             int64_t dispatched_at_ns, int64_t deadline_ns, const void *payload,
                             uint32_t payload_length)
{
    atomic_store_explicit(baton__atomic(slot->kind), kind, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->event_id_hi), event_id_hi, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->event_id_lo), event_id_lo, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->correlation_id_hi), correlation_id_hi, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->correlation_id_lo), correlation_id_lo, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->dispatched_at_ns), dispatched_at_ns, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->claimed_at_ns), 0, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->deadline_ns), deadline_ns, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->payload_length), payload_length, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->redeliveries), 0, memory_order_relaxed);
    copy_into_slot(slot->payload, payload, payload_length);
}

/* Fills a handler's view of the event in a slot it just claimed. The payload length is bounded by
 * the slot's capacity, so memory another process scribbled on cannot point a read past the slot. */
void baton__slot_read_event(baton_slot *slot, uint32_t payload_capacity, baton_event *event)
{
    event->kind = atomic_load_explicit(baton__atomic(slot->kind), memory_order_relaxed);
    uint32_t length = atomic_load_explicit(baton__atomic(slot->payload_length), memory_order_relaxed);
    event->payload_length = length <= payload_capacity ? length : payload_capacity;
    event->event_id_hi = atomic_load_explicit(baton__atomic(slot->event_id_hi), memory_order_relaxed);
    event->event_id_lo = atomic_load_explicit(baton__atomic(slot->event_id_lo), memory_order_relaxed);
    event->correlation_id_hi = atomic_load_explicit(baton__atomic(slot->correlation_id_hi), memory_order_relaxed);
    event->correlation_id_lo = atomic_load_explicit(baton__atomic(slot->correlation_id_lo), memory_order_relaxed);
    event->dispatched_at_ns = atomic_load_explicit(baton__atomic(slot->dispatched_at_ns), memory_order_relaxed);
    event->deadline_ns = atomic_load_explicit(baton__atomic(slot->deadline_ns), memory_order_relaxed);
    event->redeliveries = atomic_load_explicit(baton__atomic(slot->redeliveries), memory_order_relaxed);
    event->reserved = 0;
    event->payload = slot->payload;
}

/* Counts one more redelivery of the event in a slot whose claim a reaper just undid (CLAIMED to
 * DISPATCHED); the dispatch ring's commit, after this, releases the count to the next claimant.
 * The event is in no ring cell yet, so no handler writes the slot meanwhile. Only an expiry, a
 * drain and a new dispatch of the slot, all between the reaper's CAS and this store, could make
 * the next event show a redelivery it never had: a count, not a transition, so never a loss. */
void baton__slot_count_redelivery(baton_slot *slot)
{
    atomic_fetch_add_explicit(baton__atomic(slot->redeliveries), 1, memory_order_relaxed);
}

/* Copies a payload out as relaxed atomic words; the caller validates the copy against the state
 * word afterwards (a seqlock read). */
void baton__slot_copy_payload(uint8_t *destination, baton_slot *slot, uint32_t length)
{
    uint8_t *source = slot->payload;
    uint32_t i = 0;
    for (; i + 8 <= length; i += 8) {
        uint64_t word = atomic_load_explicit((_Atomic uint64_t *)(void *)(source + i), memory_order_relaxed);
        memcpy(destination + i, &word, 8);
    }
    for (; i < length; i++) {
        destination[i] = atomic_load_explicit((_Atomic uint8_t *)(source + i), memory_order_relaxed);
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
