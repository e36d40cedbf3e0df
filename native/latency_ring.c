/*
 * The latency ring: the last N latencies recorded by libbaton. Both sides
 * format it; libbaton records and the Java host reads, so the Java twin,
 * java/.../LatencyRing.java, holds the format and the reader.
 *
 * Recording is wait-free: one fetch_add of the index takes an entry, the
 * fields are written, then the entry's sequence (its index + 1) is stored with
 * release. Readers (Java) check the sequence before and after reading.
 */
#include "baton_internal.h"

void baton__latency_ring_format(baton__latency_ring *ring)
{
    atomic_store_explicit(baton__atomic(ring->shared->index), 0, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(ring->shared->native_count), 0, memory_order_relaxed);
    for (uint32_t i = 0; i < ring->capacity; i++) {
        atomic_store_explicit(baton__atomic(ring->shared->entries[i].sequence), 0, memory_order_relaxed);
    }
}

void baton__latency_ring_record(baton__latency_ring *ring, int64_t value_ns, int64_t now_ns, uint32_t source)
{
    /* relaxed fetch_add: only takes a distinct entry; the sequence store below publishes it. */
    uint64_t index = atomic_fetch_add_explicit(baton__atomic(ring->shared->index), 1, memory_order_relaxed);
    baton_latency_entry *entry = &ring->shared->entries[index & (ring->capacity - 1)];
    /* Mark the entry as being rewritten first, so a reader that sees the old sequence before and
     * after its read cannot mix old and new fields: release orders this store before the fields. */
    atomic_store_explicit(baton__atomic(entry->sequence), 0, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(baton__atomic(entry->value_ns), value_ns, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(entry->recorded_at_ns), now_ns, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(entry->source), source, memory_order_relaxed);
    /* release: pairs with the reader's acquire of the sequence: the fields are visible first. */
    atomic_store_explicit(baton__atomic(entry->sequence), index + 1, memory_order_release);
    if (source == BATON_LATENCY_SOURCE_NATIVE) {
        /* release: an entry counted here is published (its sequence stored above). */
        atomic_fetch_add_explicit(baton__atomic(ring->shared->native_count), 1, memory_order_release);
    }
}
