/*
 * The latency ring: the last N latencies recorded by libbaton. Both sides
 * format it; libbaton records and the Java host reads, so the Java twin,
 * java/.../LatencyRing.java, holds the format and the reader.
 *
 * Recording is wait-free: one fetch_add of the index takes a run of entries
 * (one, or a drain's), each one's fields are written, then its sequence (its
 * index + 1) is stored with release. Readers (Java) check the sequence before
 * and after reading.
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

/* Records count latencies, all read at now_ns, with one fetch_add of the index for them all and one
 * of the native count: a drain's run, or one value. */
void baton__latency_ring_record_run(baton__latency_ring *ring, const int64_t *values_ns, uint32_t count, int64_t now_ns,
                                    uint32_t source)
{
    /* relaxed fetch_add: only takes count distinct entries; each sequence store below publishes its own. */
    uint64_t first = atomic_fetch_add_explicit(baton__atomic(ring->shared->index), count, memory_order_relaxed);
    for (uint32_t i = 0; i < count; i++) {
        uint64_t index = first + i;
        baton_latency_entry *entry = &ring->shared->entries[index & (ring->capacity - 1)];
        /* Mark the entry as being rewritten first, so a reader that sees the old sequence before and
         * after its read cannot mix old and new fields: release orders this store before the fields. */
        atomic_store_explicit(baton__atomic(entry->sequence), 0, memory_order_relaxed);
        atomic_thread_fence(memory_order_release);
        atomic_store_explicit(baton__atomic(entry->value_ns), values_ns[i], memory_order_relaxed);
        atomic_store_explicit(baton__atomic(entry->recorded_at_ns), now_ns, memory_order_relaxed);
        atomic_store_explicit(baton__atomic(entry->source), source, memory_order_relaxed);
        /* release: pairs with the reader's acquire of the sequence: the fields are visible first. */
        atomic_store_explicit(baton__atomic(entry->sequence), index + 1, memory_order_release);
    }
    if (source == BATON_LATENCY_SOURCE_NATIVE) {
        /* release: the entries counted here are published (their sequences stored above). */
        atomic_fetch_add_explicit(baton__atomic(ring->shared->native_count), count, memory_order_release);
    }
}
