/*
 * The dispatch ring as baton.h draws it: Vyukov's algorithm with a claimant's mark in each cell,
 * and the repairs that keep a full ring meaning live work, are described there once. The Java twin
 * is java/.../DispatchRing.java; the functions are in the same order, and each ordering is
 * commented at its access.
 */
#include "baton_internal.h"

static baton_dispatch_cell *cell(baton__dispatch_ring *ring, uint64_t position)
{
    return &ring->shared->cells[position & (ring->capacity - 1)];
}

/* Whether a sequence is a claimant's mark (BATON_CELL_CLAIMED_BY): bit 63, which no position has. */
static int is_claim_mark(uint64_t sequence)
{
    return (int64_t)sequence < 0;
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
    uint64_t ahead_at = UINT64_MAX;
    for (;;) {
        uint64_t position = atomic_load_explicit(baton__atomic(ring->shared->producer_index), memory_order_seq_cst);
        /* acquire: pairs with the consumer's release of position + capacity in poll: the previous
         * lap's handle has been read before we overwrite it. */
        uint64_t sequence = atomic_load_explicit(baton__atomic(cell(ring, position)->sequence),
                                                 memory_order_acquire);
        if (sequence == position) {
            if (!atomic_compare_exchange_weak_explicit(baton__atomic(ring->shared->producer_index), &position,
                                                       position + 1, memory_order_seq_cst, memory_order_relaxed)) {
                continue;
            }
            baton__fault("cell-taken"); /* dies with the position taken and its cell not yet marked */
            /* The position is ours; the cell is once it bears our mark. relaxed CAS: nothing is
             * published by it, and a reaper reads the mark only after this process died. It fails
             * only if a reaper presumed this producer dead before the mark (its cell unmarked for
             * longer than the patience) and committed the cell as it was: then claim again. */
            uint64_t expected = position;
            if (!atomic_compare_exchange_strong_explicit(baton__atomic(cell(ring, position)->sequence), &expected,
                                                         ring->claim_mark, memory_order_relaxed,
                                                         memory_order_relaxed)) {
                continue;
            }
            baton__fault("cell-claimed"); /* dies with a cell claimed: consumers stop at it */
            return (int64_t)position;
        } else if (!is_claim_mark(sequence) && (int64_t)(sequence - position) < 0) {
            return -1; /* the cell still holds the previous lap's handle */
        } else if (position == ahead_at) {
            /* The producer that claimed this position moved the index before it marked the cell,
             * so the index must have moved. A mark still there is the previous lap's claimant, not
             * yet committed: the ring is full. Any other sequence no producer wrote is memory
             * another process corrupted. Refuse rather than spin. */
            return -1;
        } else {
            ahead_at = position; /* another producer claimed this position: read the index again */
        }
    }
}

/* Claims count consecutive positions with one index CAS when the ring has room for all of them
 * (a dispatch batch): each position the caller then owns goes to positions[], in order, and must
 * be committed. The number claimed: count, fewer only for a cell a reaper committed under us
 * (below), or 0 when the ring has no room for count, or other producers kept moving the index. */
uint32_t baton__dispatch_ring_claim_run(baton__dispatch_ring *ring, uint32_t count, int64_t *positions)
{
    uint64_t position = atomic_load_explicit(baton__atomic(ring->shared->producer_index), memory_order_seq_cst);
    for (uint32_t i = 0; i < count; i++) {
        /* acquire, each cell: as in claim, the previous lap's consumer read its handle before we
         * overwrite it. Only a producer that owns position + i moves a cell that reads free, and
         * none can while the index is short of it: the CAS below fails if one got there. */
        if (atomic_load_explicit(baton__atomic(cell(ring, position + i)->sequence), memory_order_acquire) !=
            position + i) {
            return 0;
        }
    }
    if (!atomic_compare_exchange_strong_explicit(baton__atomic(ring->shared->producer_index), &position,
                                                 position + count, memory_order_seq_cst, memory_order_relaxed)) {
        return 0;
    }
    baton__fault("cell-taken");
    uint32_t claimed = 0;
    for (uint32_t i = 0; i < count; i++) {
        /* The mark, one CAS per cell, as in claim (relaxed: it publishes nothing). It fails only for
         * a cell a reaper committed as it was, having presumed us dead while it stood at the
         * consumer index unmarked: that cell is no longer ours, and the run goes on without it. */
        uint64_t expected = position + i;
        if (atomic_compare_exchange_strong_explicit(baton__atomic(cell(ring, position + i)->sequence), &expected,
                                                    ring->claim_mark, memory_order_relaxed, memory_order_relaxed)) {
            positions[claimed++] = (int64_t)(position + i);
        }
    }
    return claimed;
}

/* Publishes a handle at a claimed position. Wait-free. */
void baton__dispatch_ring_commit(baton__dispatch_ring *ring, int64_t position, uint64_t handle)
{
    baton_dispatch_cell *target = cell(ring, (uint64_t)position);
    /* relaxed: the cell is ours (it bears our mark) until its sequence moves. */
    atomic_store_explicit(baton__atomic(target->handle), handle, memory_order_relaxed);
    /* release: pairs with the acquire of the sequence in poll: the handle is visible before the
     * cell reads as full. */
    atomic_store_explicit(baton__atomic(target->sequence), (uint64_t)position + 1, memory_order_release);
}

/* Commits "no handle" in each cell that the attachment with this tag claimed and never committed
 * (marked with its tag), so that consumers get past them: the number committed. Call it only once
 * that attachment is known to be dead (baton_reap): then no other thread writes its cells. Every
 * claimed, uncommitted cell is at or after the consumer index, since no consumer gets past one.
 * The events they carried are DISPATCHED in no cell, for the caller's orphan sweep. */
int baton__dispatch_ring_commit_abandoned(baton__dispatch_ring *ring, uint32_t tag)
{
    const uint64_t mark = BATON_CELL_CLAIMED_BY(tag);
    uint64_t position = atomic_load_explicit(baton__atomic(ring->shared->consumer_index), memory_order_seq_cst);
    uint64_t produced = atomic_load_explicit(baton__atomic(ring->shared->producer_index), memory_order_seq_cst);
    int committed = 0;
    /* bounded by the capacity, whatever the indices say: they are shared memory. Each cell is
     * visited at most once, so a mark is this position's: a cell holds one claim at a time. */
    for (uint32_t visited = 0; position < produced && visited < ring->capacity; position++, visited++) {
        baton_dispatch_cell *target = cell(ring, position);
        /* relaxed: the mark's writer is dead, and it published nothing with it. */
        if (atomic_load_explicit(baton__atomic(target->sequence), memory_order_relaxed) != mark) {
            continue;
        }
        atomic_store_explicit(baton__atomic(target->handle), BATON_HANDLE_NONE, memory_order_relaxed);
        /* release: as in commit, the handle before the sequence that makes the cell full. */
        atomic_store_explicit(baton__atomic(target->sequence), position + 1, memory_order_release);
        committed++;
    }
    return committed;
}

/* Hands a consumed cell to the producer of the next lap. A CAS, not a store: a dispatcher that
 * presumed this consumer dead may have released the cell already (unblock_if_stalled), and a
 * producer may have reused it since; then the cell is not this consumer's to release. release on
 * success: pairs with the acquire in claim, so the handle is read before the next lap overwrites it. */
static void release_cell(baton_dispatch_cell *target, uint64_t position, uint32_t capacity)
{
    uint64_t full = position + 1;
    atomic_compare_exchange_strong_explicit(baton__atomic(target->sequence), &full, position + capacity,
                                            memory_order_release, memory_order_relaxed);
}

/* Takes the oldest published handle, or BATON_HANDLE_NONE when the ring is empty or its
 * oldest position is claimed but not yet committed. Lock-free. */
uint64_t baton__dispatch_ring_poll(baton__dispatch_ring *ring)
{
    uint64_t ahead_at = UINT64_MAX;
    for (;;) {
        uint64_t position = atomic_load_explicit(baton__atomic(ring->shared->consumer_index), memory_order_seq_cst);
        baton_dispatch_cell *target = cell(ring, position);
        /* acquire: pairs with the release in commit. */
        uint64_t sequence = atomic_load_explicit(baton__atomic(target->sequence), memory_order_acquire);
        uint64_t full = position + 1;
        if (sequence == full) {
            if (atomic_compare_exchange_weak_explicit(baton__atomic(ring->shared->consumer_index), &position, full,
                                                      memory_order_seq_cst, memory_order_relaxed)) {
                baton__fault("poll-taken"); /* a consumer that dies holding a cell it took */
                uint64_t handle = atomic_load_explicit(baton__atomic(target->handle), memory_order_relaxed);
                release_cell(target, position, ring->capacity);
                return handle;
            }
        } else if (is_claim_mark(sequence) || (int64_t)(sequence - full) < 0) {
            return BATON_HANDLE_NONE;
        } else if (position == ahead_at) {
            return BATON_HANDLE_NONE; /* as in claim: a sequence no producer wrote; refuse to spin */
        } else {
            ahead_at = position; /* another consumer took this position: read the index again */
        }
    }
}

/* Takes the committed handles at the consumer index, up to max, with one index CAS (a batch's
 * poll): the number taken, their handles in handles[] in order, each cell released as poll releases
 * one. 0 when the oldest position is not yet committed (or holds a sequence no producer wrote).
 * Lock-free: a failed CAS means another consumer took the position first. */
uint32_t baton__dispatch_ring_poll_run(baton__dispatch_ring *ring, uint32_t max, uint64_t *handles)
{
    for (;;) {
        uint64_t position = atomic_load_explicit(baton__atomic(ring->shared->consumer_index), memory_order_seq_cst);
        uint32_t ready = 0;
        /* acquire, each cell: pairs with the release in commit, so each handle read below is its
         * position's. A committed cell at or past the consumer index moves only when a consumer
         * takes it, which moves the index first: the CAS below fails if one did. */
        while (ready < max && ready < ring->capacity &&
               atomic_load_explicit(baton__atomic(cell(ring, position + ready)->sequence), memory_order_acquire) ==
                   position + ready + 1) {
            ready++;
        }
        if (ready == 0) {
            return 0;
        }
        if (atomic_compare_exchange_weak_explicit(baton__atomic(ring->shared->consumer_index), &position,
                                                  position + ready, memory_order_seq_cst, memory_order_relaxed)) {
            baton__fault("poll-taken"); /* a consumer that dies holding the cells it took */
            for (uint32_t i = 0; i < ready; i++) {
                baton_dispatch_cell *target = cell(ring, position + i);
                handles[i] = atomic_load_explicit(baton__atomic(target->handle), memory_order_relaxed);
                release_cell(target, position + i, ring->capacity);
            }
            return ready;
        }
    }
}

/* Takes the oldest handle when stale() says its event ended: 1 when it dropped one, 0 when the
 * ring is empty, its oldest position is not yet committed, or its event is live. Lock-free. */
int baton__dispatch_ring_drop_stale(baton__dispatch_ring *ring, baton__stale_fn stale, void *context)
{
    uint64_t position = atomic_load_explicit(baton__atomic(ring->shared->consumer_index), memory_order_seq_cst);
    baton_dispatch_cell *target = cell(ring, position);
    /* acquire: pairs with the release in commit: the handle read below is this position's. */
    if (atomic_load_explicit(baton__atomic(target->sequence), memory_order_acquire) != position + 1) {
        return 0;
    }
    uint64_t handle = atomic_load_explicit(baton__atomic(target->handle), memory_order_relaxed);
    /* An ended event never becomes live again (its slot's generation has moved on), so a stale
     * verdict stays true; the CAS fails if another consumer took the position first. */
    if (!stale(context, handle) ||
        !atomic_compare_exchange_strong_explicit(baton__atomic(ring->shared->consumer_index), &position,
                                                 position + 1, memory_order_seq_cst, memory_order_relaxed)) {
        return 0;
    }
    release_cell(target, position, ring->capacity);
    return 1;
}

/* Whether this process's callers have seen the same position blocked for longer than patience_ns:
 * seen_position and seen_since_ns are a hint they share (relaxed atomics: the caller's CAS
 * decides), and another position starts the clock again. */
static int seen_longer_than(uint64_t *seen_position, int64_t *seen_since_ns, uint64_t position, int64_t patience_ns)
{
    int64_t now = baton__now_ns();
    if (atomic_exchange_explicit(baton__atomic(*seen_position), position, memory_order_relaxed) != position) {
        atomic_store_explicit(baton__atomic(*seen_since_ns), now, memory_order_relaxed);
        return 0;
    }
    return now - atomic_load_explicit(baton__atomic(*seen_since_ns), memory_order_relaxed) > patience_ns;
}

/* Releases the cell a consumer took and never released, once producers have found it so for longer
 * than patience_ns: 1 when it released one. Any dispatcher may call it when a claim failed. A
 * consumer that was only slow finds its release CAS failing and leaves the cell alone; the handle
 * it read may be a newer event's, which it claims through the slab's CAS like any consumer (exactly
 * one claim wins), while the event it took stays DISPATCHED and times out. */
int baton__dispatch_ring_unblock_if_stalled(baton__dispatch_ring *ring, int64_t patience_ns)
{
    uint64_t position = atomic_load_explicit(baton__atomic(ring->shared->producer_index), memory_order_seq_cst);
    uint64_t previous_lap = position - ring->capacity;
    baton_dispatch_cell *target = cell(ring, position);
    uint64_t sequence = atomic_load_explicit(baton__atomic(target->sequence), memory_order_acquire);
    uint64_t consumed = atomic_load_explicit(baton__atomic(ring->shared->consumer_index), memory_order_seq_cst);
    /* Full because the previous lap's handle is still there, although a consumer moved past it. */
    if (position < ring->capacity || sequence != previous_lap + 1 || consumed <= previous_lap) {
        atomic_store_explicit(baton__atomic(ring->stalled_position), UINT64_MAX, memory_order_relaxed);
        return 0;
    }
    if (!seen_longer_than(&ring->stalled_position, &ring->stalled_since_ns, position, patience_ns)) {
        return 0;
    }
    /* seq_cst CAS from the value read: a consumer that releases first wins, and then this fails. */
    return atomic_compare_exchange_strong_explicit(baton__atomic(target->sequence), &sequence, position,
                                                   memory_order_seq_cst, memory_order_relaxed);
}

/* Releases every cell of the last lap that a consumer took and never released: the number released.
 * Call it only once a consumer is known to have died (baton_reap): a living consumer between its
 * take and its release finds its own release failing and leaves the cell alone, and the handle it
 * reads may then be a newer event's, which it claims through the slab's CAS like any consumer; the
 * event it took stays DISPATCHED in no cell, which the caller's orphan sweep dispatches again. */
int baton__dispatch_ring_release_taken(baton__dispatch_ring *ring)
{
    uint64_t consumed = atomic_load_explicit(baton__atomic(ring->shared->consumer_index), memory_order_seq_cst);
    uint64_t position = consumed > ring->capacity ? consumed - ring->capacity : 0;
    int released = 0;
    for (; position < consumed; position++) {
        uint64_t taken = position + 1;
        /* seq_cst CAS: a consumer that releases first wins, and then this fails; a cell of a later
         * lap never holds position + 1. */
        released += atomic_compare_exchange_strong_explicit(baton__atomic(cell(ring, position)->sequence), &taken,
                                                            position + ring->capacity, memory_order_seq_cst,
                                                            memory_order_relaxed);
    }
    return released;
}

/* Commits, as it is, the cell at the consumer index when a producer took its position and never
 * marked it (it died between its two CASes, where nothing names it), once found so for longer than
 * patience_ns: 1 when it did. Any reaper may call it. A producer that was only slow finds its mark
 * CAS failing and claims again. The cell keeps the previous lap's handle, which consumers take as
 * any copy of a handle: dropped as stale, or its event claimed through the slab's CAS, once. */
int baton__dispatch_ring_unblock_unmarked(baton__dispatch_ring *ring, int64_t patience_ns)
{
    uint64_t position = atomic_load_explicit(baton__atomic(ring->shared->consumer_index), memory_order_seq_cst);
    uint64_t sequence = atomic_load_explicit(baton__atomic(cell(ring, position)->sequence), memory_order_relaxed);
    uint64_t produced = atomic_load_explicit(baton__atomic(ring->shared->producer_index), memory_order_seq_cst);
    /* Taken, not marked: a producer moved the index past this position, and the cell still reads
     * as free for it. */
    if (sequence != position || produced <= position) {
        atomic_store_explicit(baton__atomic(ring->unmarked_position), UINT64_MAX, memory_order_relaxed);
        return 0;
    }
    if (!seen_longer_than(&ring->unmarked_position, &ring->unmarked_since_ns, position, patience_ns)) {
        return 0;
    }
    /* CAS from the free sequence: of it and the producer's mark CAS exactly one wins. acq_rel: it
     * acquires the previous lap consumer's release of the cell and releases it to the next one, so
     * the previous lap's handle, which consumers now take, is visible to them. */
    uint64_t unmarked = position;
    return atomic_compare_exchange_strong_explicit(baton__atomic(cell(ring, position)->sequence), &unmarked,
                                                   position + 1, memory_order_acq_rel, memory_order_relaxed);
}

/* Whether a sequence is a mark a claimant could have written: bit 63 and an attachment tag, which
 * fits 24 bits, and nothing else. Another process's scribble rarely is. */
static int is_well_formed_mark(uint64_t sequence)
{
    return (sequence >> 32) == (UINT64_C(1) << 31) && (uint32_t)sequence < (UINT32_C(1) << 24);
}

/* Whether an index agrees with the cell at its position: the cell's sequence is a mark, or within
 * two laps of the index, as every state of the protocol leaves it (free or full for the index, the
 * previous lap's cell not yet released, a later lap's). A scribbled index is almost surely far. */
static int agrees(uint64_t index, uint64_t sequence, uint32_t capacity)
{
    int64_t distance = (int64_t)(sequence - index);
    return is_well_formed_mark(sequence) || (distance >= -2 * (int64_t)capacity && distance <= 2 * (int64_t)capacity);
}

/* Where the producer index belongs, from the cells alone: the lowest position a cell reads free for
 * within a lap after the consumer index, or a lap after it when none does (the ring is full). */
static uint64_t producer_from_cells(baton__dispatch_ring *ring, uint64_t consumed)
{
    for (uint64_t position = consumed; position < consumed + ring->capacity; position++) {
        if (atomic_load_explicit(baton__atomic(cell(ring, position)->sequence), memory_order_relaxed) == position) {
            return position;
        }
    }
    return consumed + ring->capacity;
}

/* Where the consumer index belongs, from the cells alone: the lowest position within the lap before
 * the producer index whose cell reads full, taken or marked, or the producer index when none does. */
static uint64_t consumer_from_cells(baton__dispatch_ring *ring, uint64_t produced)
{
    uint64_t start = produced >= ring->capacity ? produced - ring->capacity : 0;
    for (uint64_t position = start; position < produced; position++) {
        uint64_t sequence = atomic_load_explicit(baton__atomic(cell(ring, position)->sequence), memory_order_relaxed);
        if (sequence == position + 1 || sequence == position || is_well_formed_mark(sequence)) {
            return position; /* full, or taken by a producer (marked or not): not yet consumed */
        }
    }
    return produced;
}

/* Repairs an index that another process scribbled on, from the cells: 1 when it moved one. Only an
 * index that disagrees with its own cell, or that is further from the other than the ring holds, is
 * moved, by CAS from the value read, so a living producer or consumer that moved it first wins. */
static int audit_indices(baton__dispatch_ring *ring)
{
    uint64_t produced = atomic_load_explicit(baton__atomic(ring->shared->producer_index), memory_order_seq_cst);
    uint64_t consumed = atomic_load_explicit(baton__atomic(ring->shared->consumer_index), memory_order_seq_cst);
    int producer_agrees = agrees(produced, atomic_load_explicit(baton__atomic(cell(ring, produced)->sequence),
                                                                memory_order_relaxed), ring->capacity);
    int consumer_agrees = agrees(consumed, atomic_load_explicit(baton__atomic(cell(ring, consumed)->sequence),
                                                                memory_order_relaxed), ring->capacity);
    if (!producer_agrees) {
        uint64_t repaired = producer_from_cells(ring, consumed);
        return atomic_compare_exchange_strong_explicit(baton__atomic(ring->shared->producer_index), &produced,
                                                       repaired, memory_order_seq_cst, memory_order_relaxed);
    }
    if (!consumer_agrees || produced - consumed > ring->capacity) {
        uint64_t repaired = consumer_from_cells(ring, produced);
        return atomic_compare_exchange_strong_explicit(baton__atomic(ring->shared->consumer_index), &consumed,
                                                       repaired, memory_order_seq_cst, memory_order_relaxed);
    }
    return 0;
}

/* Repairs each cell whose sequence no producer or consumer wrote (another process scribbled on it):
 * the number repaired. A cell's position is the one of its residue within the lap from the consumer
 * index; a sequence within a few laps of it, of the residue of a free or a full cell, or a mark, is
 * left alone, since the indices move while this reads. A cell before the producer index is made
 * full (its handle goes through the slab's CAS like any: a scribbled one is dropped, and the event
 * it named ends at its deadline); one at or after it, free. Each by CAS from the value read: a value
 * no living party expects. */
static int audit_cells(baton__dispatch_ring *ring)
{
    const uint64_t capacity = ring->capacity;
    uint64_t consumed = atomic_load_explicit(baton__atomic(ring->shared->consumer_index), memory_order_seq_cst);
    uint64_t produced = atomic_load_explicit(baton__atomic(ring->shared->producer_index), memory_order_seq_cst);
    if (produced - consumed > capacity) {
        return 0; /* the indices first */
    }
    int repaired = 0;
    for (uint64_t position = consumed; position < consumed + capacity; position++) {
        baton_dispatch_cell *target = cell(ring, position);
        uint64_t sequence = atomic_load_explicit(baton__atomic(target->sequence), memory_order_relaxed);
        uint64_t residue = (sequence - position) & (capacity - 1);
        int64_t distance = (int64_t)(sequence - position);
        if (is_well_formed_mark(sequence) || ((residue == 0 || residue == 1) && distance >= -(int64_t)capacity &&
                                        distance <= 3 * (int64_t)capacity)) {
            continue;
        }
        uint64_t rightful = position < produced ? position + 1 : position;
        /* release: as a commit's, for a cell made full: consumers acquire it before the handle. */
        repaired += atomic_compare_exchange_strong_explicit(baton__atomic(target->sequence), &sequence, rightful,
                                                            memory_order_release, memory_order_relaxed);
    }
    return repaired;
}

/* Checks the ring against what must hold, and repairs what another process scribbled on: an index
 * that disagrees with the cells, and sequences no producer or consumer writes. The words repaired.
 * Any process may call it at any time (baton_reap does); it costs one read of each cell. */
int baton__dispatch_ring_audit(baton__dispatch_ring *ring)
{
    if (ring->capacity < 2) {
        return 0; /* a free and a full cell read alike: nothing to judge by */
    }
    int repaired = audit_indices(ring);
    return repaired + audit_cells(ring);
}

/* As baton__dispatch_ring_audit, at most once per patience_ns per attachment: for a dispatcher that
 * found the ring full, which may be a scribbled ring's lie or ordinary backpressure. */
int baton__dispatch_ring_audit_if_due(baton__dispatch_ring *ring, int64_t patience_ns)
{
    return baton__due(&ring->audit_due_ns, patience_ns) ? baton__dispatch_ring_audit(ring) : 0;
}

/* Shows visit() each handle committed and not yet taken, oldest first. A snapshot: consumers and
 * producers move on meanwhile. */
void baton__dispatch_ring_for_each_queued(baton__dispatch_ring *ring, void (*visit)(void *, uint64_t), void *context)
{
    uint64_t position = atomic_load_explicit(baton__atomic(ring->shared->consumer_index), memory_order_seq_cst);
    uint64_t produced = atomic_load_explicit(baton__atomic(ring->shared->producer_index), memory_order_seq_cst);
    /* bounded by the capacity, whatever the indices say: they are shared memory */
    for (uint32_t visited = 0; position < produced && visited < ring->capacity; position++, visited++) {
        baton_dispatch_cell *target = cell(ring, position);
        /* acquire: pairs with the release in commit, so the handle is this position's. */
        if (atomic_load_explicit(baton__atomic(target->sequence), memory_order_acquire) == position + 1) {
            visit(context, atomic_load_explicit(baton__atomic(target->handle), memory_order_relaxed));
        }
    }
}

/* Whether the oldest position holds a committed handle: what a waiter checks before sleeping. */
int baton__dispatch_ring_has_ready(baton__dispatch_ring *ring)
{
    uint64_t position = atomic_load_explicit(baton__atomic(ring->shared->consumer_index), memory_order_seq_cst);
    return atomic_load_explicit(baton__atomic(cell(ring, position)->sequence), memory_order_acquire) ==
           position + 1;
}
