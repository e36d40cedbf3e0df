/*
 * The dispatch ring: a bounded MPMC ring of handles with one sequence per cell
 * (Vyukov's algorithm, as in JCTools' MpmcArrayQueue). The Java twin is
 * java/.../DispatchRing.java; the functions are in the same order.
 *
 * Claiming and polling are lock-free; the ring as a whole blocks while a
 * preempted producer finishes (between its claim and its commit, that cell and
 * the ones after it read as not yet full).
 */
#include "baton_internal.h"

static baton_dispatch_cell *cell(baton__dispatch_ring *ring, uint64_t position)
{
    return &ring->shared->cells[position & (ring->capacity - 1)];
}

void baton__dispatch_ring_format(baton__dispatch_ring *ring)
{
    atomic_store_explicit(baton__atomic(ring->shared->producer_index), 0, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(ring->shared->consumer_index), 0, memory_order_relaxed);
    for (uint64_t i = 0; i < ring->capacity; i++) {
        atomic_store_explicit(baton__atomic(ring->shared->cells[i].sequence), i, memory_order_relaxed);
    }
}

/* Claims the next position: it, or -1 when the ring is full. Must be followed by a commit. */
int64_t baton__dispatch_ring_claim(baton__dispatch_ring *ring)
{
    for (;;) {
        uint64_t position = atomic_load_explicit(baton__atomic(ring->shared->producer_index), memory_order_seq_cst);
        /* acquire: pairs with the consumer's release of position + capacity in poll: the previous
         * lap's handle has been read before we overwrite it. */
        uint64_t sequence = atomic_load_explicit(baton__atomic(cell(ring, position)->sequence),
                                                 memory_order_acquire);
        if (sequence == position) {
            if (atomic_compare_exchange_weak_explicit(baton__atomic(ring->shared->producer_index), &position, position + 1,
                                                      memory_order_seq_cst, memory_order_relaxed)) {
                return (int64_t)position;
            }
        } else if ((int64_t)(sequence - position) < 0) {
            return -1; /* the cell still holds the previous lap's handle */
        }
        /* else another producer claimed this position: read the index again */
    }
}

/* Publishes a handle at a claimed position. Wait-free. */
void baton__dispatch_ring_commit(baton__dispatch_ring *ring, int64_t position, uint64_t handle)
{
    baton_dispatch_cell *target = cell(ring, (uint64_t)position);
    /* relaxed: the cell is ours until its sequence moves. */
    atomic_store_explicit(baton__atomic(target->handle), handle, memory_order_relaxed);
    /* release: pairs with the acquire of the sequence in poll: the handle is visible before the
     * cell reads as full. */
    atomic_store_explicit(baton__atomic(target->sequence), (uint64_t)position + 1, memory_order_release);
}

/* Takes the oldest published handle, or BATON_HANDLE_NONE when the ring is empty or its
 * oldest position is claimed but not yet committed. Lock-free. */
uint64_t baton__dispatch_ring_poll(baton__dispatch_ring *ring)
{
    for (;;) {
        uint64_t position = atomic_load_explicit(baton__atomic(ring->shared->consumer_index), memory_order_seq_cst);
        baton_dispatch_cell *target = cell(ring, position);
        /* acquire: pairs with the release in commit. */
        uint64_t sequence = atomic_load_explicit(baton__atomic(target->sequence), memory_order_acquire);
        uint64_t full = position + 1;
        if (sequence == full) {
            if (atomic_compare_exchange_weak_explicit(baton__atomic(ring->shared->consumer_index), &position, full,
                                                      memory_order_seq_cst, memory_order_relaxed)) {
                uint64_t handle = atomic_load_explicit(baton__atomic(target->handle), memory_order_relaxed);
                /* release: pairs with the acquire in claim: the handle is read before the producer
                 * of the next lap may overwrite it. */
                atomic_store_explicit(baton__atomic(target->sequence), position + ring->capacity,
                                      memory_order_release);
                return handle;
            }
        } else if ((int64_t)(sequence - full) < 0) {
            return BATON_HANDLE_NONE;
        }
        /* else another consumer took this position: read the index again */
    }
}

/* Whether the oldest position holds a committed handle: what a waiter checks before sleeping. */
int baton__dispatch_ring_has_ready(baton__dispatch_ring *ring)
{
    uint64_t position = atomic_load_explicit(baton__atomic(ring->shared->consumer_index), memory_order_seq_cst);
    return atomic_load_explicit(baton__atomic(cell(ring, position)->sequence), memory_order_acquire) ==
           position + 1;
}
