package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

import dev.baton.internal.layout.DispatchRingDescriptor;
import dev.baton.internal.layout.Handles;

import static dev.baton.internal.layout.DispatchRingDescriptor.CELLS_OFFSET;
import static dev.baton.internal.layout.DispatchRingDescriptor.CELL_LENGTH;

/**
 * The dispatch ring as {@code include/baton.h} draws it: Vyukov's algorithm (the one JCTools'
 * MpmcArrayQueue uses) with a claimant's mark in each cell, and the repairs that keep a full ring
 * meaning live work ({@link #dropStale}, {@link #unblockIfStalled}), are described there once. The
 * C twin is {@code native/dispatch_ring.c}; the methods are in the same order, and each ordering is
 * commented at its access.
 */
public final class DispatchRing
{
    private static final VarHandle PRODUCER_INDEX = DispatchRingDescriptor.PRODUCER_INDEX;
    private static final VarHandle CONSUMER_INDEX = DispatchRingDescriptor.CONSUMER_INDEX;
    private static final VarHandle SEQUENCE = DispatchRingDescriptor.SEQUENCE;
    private static final VarHandle HANDLE = DispatchRingDescriptor.HANDLE;

    private final MemorySegment memory;
    private final long ringOffset;
    private final int capacity;
    private final long mask;
    private final ChannelCounters counters;
    // This process's dispatchers: the position whose cell they found held by a consumer that moved
    // on without releasing it, and since when. A hint shared by racing dispatchers; the CAS decides.
    private final AtomicLong stalledPosition = new AtomicLong(-1L);
    private final AtomicLong stalledSinceNanos = new AtomicLong();
    // This process's hosts: the consumer position whose cell they found taken by a producer and not
    // marked, and since when. A hint, as above; the CAS decides.
    private final AtomicLong unmarkedPosition = new AtomicLong(-1L);
    private final AtomicLong unmarkedSinceNanos = new AtomicLong();
    // What this process's claims mark their cells' sequences with: claimed by its attachment's tag
    // (0 while it has none), so that a reaper commits them if it dies before their commits.
    private long claimMark = DispatchRingDescriptor.claimedBy(0);

    public DispatchRing(final MemorySegment memory, final long ringOffset, final int capacity)
    {
        this(memory, ringOffset, capacity, null);
    }

    public DispatchRing(final MemorySegment memory, final long ringOffset, final int capacity, final ChannelCounters counters)
    {
        this.counters = counters;
        this.memory = memory;
        this.ringOffset = ringOffset;
        this.capacity = capacity;
        this.mask = capacity - 1;
    }

    /** Both indices 0, cell {@code i} with sequence {@code i}: empty. */
    public void format()
    {
        PRODUCER_INDEX.set(memory, ringOffset, 0L);
        CONSUMER_INDEX.set(memory, ringOffset, 0L);
        for (long i = 0; i < capacity; i++)
        {
            SEQUENCE.set(memory, cellOffset(i), i);
        }
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * Marks this process's claims with its attachment's tag from now on. Call it once, after
     * attaching and before the first claim.
     *
     * @param tag the attachment's claimant tag.
     */
    public void markClaimsAs(final int tag)
    {
        claimMark = DispatchRingDescriptor.claimedBy(tag);
    }

    /**
     * Claims the next position for a handle. Lock-free. Must be followed by {@link #commit}.
     *
     * @return the position, or -1 when the ring is full.
     */
    public long claim()
    {
        long aheadAt = -1;
        while (true)
        {
            final long position = (long)PRODUCER_INDEX.getVolatile(memory, ringOffset);
            // acquire: pairs with the consumer's release of c + capacity in poll(): the consumer of
            // the previous lap has read its handle before we overwrite it.
            final long sequence = (long)SEQUENCE.getAcquire(memory, cellOffset(position));
            if (sequence == position)
            {
                // The position is ours; the cell is once it bears our mark. The mark's CAS publishes
                // nothing (C: relaxed), and a reaper reads it only after this process died. It fails
                // only if a reaper presumed this producer dead before the mark (its cell unmarked
                // for longer than the patience) and committed the cell as it was: then claim again.
                if (PRODUCER_INDEX.compareAndSet(memory, ringOffset, position, position + 1) &&
                    SEQUENCE.compareAndSet(memory, cellOffset(position), position, claimMark))
                {
                    return position;
                }
            }
            else if (!DispatchRingDescriptor.isClaimMark(sequence) && sequence < position)
            {
                return -1; // the cell still holds the previous lap's handle
            }
            else if (position == aheadAt)
            {
                // The producer that claimed this position moved the index before it marked the cell,
                // so the index must have moved. A mark still there is the previous lap's claimant,
                // not yet committed: the ring is full. Any other sequence no producer wrote is memory
                // another process corrupted. Refuse rather than spin.
                return -1;
            }
            else
            {
                aheadAt = position; // another producer claimed this position: read the index again
            }
            countRetry();
        }
    }

    /**
     * Claims {@code count} consecutive positions with one index CAS when the ring has room for all of
     * them (a dispatch batch). Each position the caller then owns goes to {@code positions}, in
     * order, and must be followed by {@link #commit}. Lock-free. The C twin is
     * {@code baton__dispatch_ring_claim_run}.
     *
     * @param count     positions wanted, at most {@code positions.length}.
     * @param positions receives the positions claimed.
     * @return the number claimed: {@code count}, fewer only for a cell a reaper committed under us
     * (below), or 0 when the ring has no room for {@code count} or another producer moved the index.
     */
    public int claimRun(final int count, final long[] positions)
    {
        long position = (long)PRODUCER_INDEX.getVolatile(memory, ringOffset);
        for (int i = 0; i < count; i++)
        {
            // acquire, each cell: as in claim(), the previous lap's consumer read its handle before
            // we overwrite it. Only a producer that owns position + i moves a cell that reads free,
            // and none can while the index is short of it: the CAS below fails if one got there.
            if ((long)SEQUENCE.getAcquire(memory, cellOffset(position + i)) != position + i)
            {
                return 0;
            }
        }
        if (!PRODUCER_INDEX.compareAndSet(memory, ringOffset, position, position + count))
        {
            countRetry();
            return 0;
        }
        int claimed = 0;
        for (int i = 0; i < count; i++)
        {
            // The mark, one CAS per cell, as in claim() (C: relaxed; it publishes nothing). It fails
            // only for a cell a reaper committed as it was, having presumed us dead while it stood
            // at the consumer index unmarked: that cell is no longer ours; the run goes on without it.
            if (SEQUENCE.compareAndSet(memory, cellOffset(position + i), position + i, claimMark))
            {
                positions[claimed++] = position + i;
            }
        }
        return claimed;
    }

    /**
     * Publishes a handle at a position this thread claimed. Wait-free.
     *
     * @param position from {@link #claim()}.
     * @param handle   the handle.
     */
    public void commit(final long position, final long handle)
    {
        final long cell = cellOffset(position);
        // opaque (C: relaxed): the cell is ours (it bears our mark) until its sequence moves.
        HANDLE.setOpaque(memory, cell, handle);
        // release: pairs with the acquire of the sequence in poll(): the handle is visible before the
        // cell reads as full.
        SEQUENCE.setRelease(memory, cell, position + 1);
    }

    /**
     * Takes the oldest published handle. Lock-free.
     *
     * @return the handle, or {@link Handles#NONE} when the ring is empty or its oldest position is
     * claimed but not yet committed.
     */
    public long poll()
    {
        long aheadAt = -1;
        while (true)
        {
            final long position = (long)CONSUMER_INDEX.getVolatile(memory, ringOffset);
            final long cell = cellOffset(position);
            // acquire: pairs with the release in commit().
            final long sequence = (long)SEQUENCE.getAcquire(memory, cell);
            final long full = position + 1;
            if (sequence == full)
            {
                if (CONSUMER_INDEX.compareAndSet(memory, ringOffset, position, full))
                {
                    // opaque (C: relaxed): the cell is ours until we release it.
                    final long handle = (long)HANDLE.getOpaque(memory, cell);
                    releaseCell(cell, position);
                    return handle;
                }
            }
            else if (sequence < full) // a claimant's mark too (negative): claimed, not yet committed
            {
                return Handles.NONE;
            }
            else if (position == aheadAt)
            {
                return Handles.NONE; // as in claim(): a sequence no producer wrote; refuse to spin
            }
            else
            {
                aheadAt = position; // another consumer took this position: read the index again
            }
            countRetry();
        }
    }

    /**
     * Takes the committed handles at the consumer index, up to {@code max}, with one index CAS (a
     * batch's poll), releasing each cell as {@link #poll()} releases one. Lock-free: a failed CAS
     * means another consumer took the position first. The C twin is
     * {@code baton__dispatch_ring_poll_run}.
     *
     * @param max     the most handles to take, at most {@code handles.length}.
     * @param handles receives the handles, in order.
     * @return the number taken; 0 when the oldest position is not yet committed (or holds a sequence
     * no producer wrote).
     */
    public int pollRun(final int max, final long[] handles)
    {
        while (true)
        {
            final long position = (long)CONSUMER_INDEX.getVolatile(memory, ringOffset);
            int ready = 0;
            // acquire, each cell: pairs with the release in commit(), so each handle read below is its
            // position's. A committed cell at or past the consumer index moves only when a consumer
            // takes it, which moves the index first: the CAS below fails if one did.
            while (ready < max && ready < capacity &&
                (long)SEQUENCE.getAcquire(memory, cellOffset(position + ready)) == position + ready + 1)
            {
                ready++;
            }
            if (ready == 0)
            {
                return 0;
            }
            if (CONSUMER_INDEX.compareAndSet(memory, ringOffset, position, position + ready))
            {
                for (int i = 0; i < ready; i++)
                {
                    final long cell = cellOffset(position + i);
                    // opaque (C: relaxed): the cell is ours until we release it.
                    handles[i] = (long)HANDLE.getOpaque(memory, cell);
                    releaseCell(cell, position + i);
                }
                return ready;
            }
            countRetry();
        }
    }

    /**
     * Hands a consumed cell to the producer of the next lap. A CAS, not a store: a dispatcher that
     * presumed this consumer dead may have released the cell already ({@link #unblockIfStalled}),
     * and a producer may have reused it since; then the cell is not this consumer's to release.
     * Release on success: pairs with the acquire in {@link #claim()}, so the handle is read
     * before the next lap overwrites it.
     */
    private void releaseCell(final long cell, final long position)
    {
        SEQUENCE.compareAndExchangeRelease(memory, cell, position + 1, position + capacity);
    }

    private void countRetry()
    {
        if (counters != null)
        {
            counters.dispatchRingRetries.increment();
        }
    }

    /**
     * Takes the oldest handle when {@code stale} says its event ended. Lock-free.
     *
     * @param stale whether a handle names an event that ended (or nothing): garbage, not work.
     * @return whether it dropped one; false when the ring is empty, its oldest position is not yet
     * committed, or its event is live.
     */
    public boolean dropStale(final LongPredicate stale)
    {
        final long position = (long)CONSUMER_INDEX.getVolatile(memory, ringOffset);
        final long cell = cellOffset(position);
        // acquire: pairs with the release in commit(): the handle read below is this position's.
        if ((long)SEQUENCE.getAcquire(memory, cell) != position + 1)
        {
            return false;
        }
        // An ended event never becomes live again (its slot's generation has moved on), so a stale
        // verdict stays true; the CAS fails if another consumer took the position first.
        if (!stale.test((long)HANDLE.getOpaque(memory, cell)) ||
            !CONSUMER_INDEX.compareAndSet(memory, ringOffset, position, position + 1))
        {
            return false;
        }
        releaseCell(cell, position);
        return true;
    }

    /**
     * Whether this process's callers have seen the same position blocked for longer than the
     * patience: the position and the time are a hint they share (opaque; the caller's CAS decides),
     * and another position starts the clock again.
     */
    private static boolean seenLongerThan(
        final AtomicLong seenPosition, final AtomicLong seenSinceNanos, final long position, final long patienceNanos)
    {
        final long now = System.nanoTime();
        if (seenPosition.getAndSet(position) != position)
        {
            seenSinceNanos.setOpaque(now);
            return false;
        }
        return now - seenSinceNanos.getOpaque() > patienceNanos;
    }

    /**
     * Releases the cell a consumer took and never released, once producers have found it so for
     * longer than the patience. A consumer that was only slow finds its release CAS failing and
     * leaves the cell alone; the handle it read may be a newer event's, which it claims through the
     * slab's CAS like any consumer (exactly one claim wins), while the event it took stays
     * DISPATCHED and times out.
     *
     * @param patienceNanos how long the cell must have been held.
     * @return whether it released one.
     */
    public boolean unblockIfStalled(final long patienceNanos)
    {
        final long position = (long)PRODUCER_INDEX.getVolatile(memory, ringOffset);
        final long previousLap = position - capacity;
        final long cell = cellOffset(position);
        final long sequence = (long)SEQUENCE.getAcquire(memory, cell);
        final long consumed = (long)CONSUMER_INDEX.getVolatile(memory, ringOffset);
        // Full because the previous lap's handle is still there, although a consumer moved past it.
        if (previousLap < 0 || sequence != previousLap + 1 || consumed <= previousLap)
        {
            stalledPosition.setOpaque(-1L);
            return false;
        }
        if (!seenLongerThan(stalledPosition, stalledSinceNanos, position, patienceNanos))
        {
            return false;
        }
        // CAS (volatile) from the value read: a consumer that releases first wins, and this fails.
        return SEQUENCE.compareAndSet(memory, cell, sequence, position);
    }

    /**
     * Commits, as it is, the cell at the consumer index when a producer took its position and never
     * marked it (it died between its two CASes, where nothing names it), once found so for longer
     * than the patience. A producer that was only slow finds its mark CAS failing and claims again.
     * The cell keeps the previous lap's handle, which consumers take as any copy of a handle: dropped
     * as stale, or its event claimed through the slab's CAS, once.
     *
     * @param patienceNanos how long the cell must have been found so.
     * @return whether it committed one.
     */
    public boolean unblockUnmarked(final long patienceNanos)
    {
        final long position = (long)CONSUMER_INDEX.getVolatile(memory, ringOffset);
        final long cell = cellOffset(position);
        final long sequence = (long)SEQUENCE.getOpaque(memory, cell);
        final long produced = (long)PRODUCER_INDEX.getVolatile(memory, ringOffset);
        // Taken, not marked: a producer moved the index past this position, and the cell still reads
        // as free for it.
        if (sequence != position || produced <= position)
        {
            unmarkedPosition.setOpaque(-1L);
            return false;
        }
        if (!seenLongerThan(unmarkedPosition, unmarkedSinceNanos, position, patienceNanos))
        {
            return false;
        }
        // CAS (volatile) from the free sequence: of it and the producer's mark CAS exactly one wins;
        // it acquires the previous lap consumer's release and releases the cell to the next one.
        return SEQUENCE.compareAndSet(memory, cell, position, position + 1);
    }

    /**
     * @return whether the oldest position holds a committed handle: what a waiter checks before
     * sleeping.
     */
    public boolean hasReady()
    {
        final long position = (long)CONSUMER_INDEX.getVolatile(memory, ringOffset);
        // acquire: pairs with the release in commit().
        return (long)SEQUENCE.getAcquire(memory, cellOffset(position)) == position + 1;
    }

    /**
     * @return handles published and not yet polled, approximately (the two indices are read apart).
     */
    public long size()
    {
        final long consumer = (long)CONSUMER_INDEX.getVolatile(memory, ringOffset);
        final long producer = (long)PRODUCER_INDEX.getVolatile(memory, ringOffset);
        return Math.max(0L, producer - consumer);
    }

    private long cellOffset(final long position)
    {
        return ringOffset + CELLS_OFFSET + (position & mask) * CELL_LENGTH;
    }
}
