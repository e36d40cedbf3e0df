package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import dev.baton.internal.layout.DispatchRingDescriptor;
import dev.baton.internal.layout.Handles;

import static dev.baton.internal.layout.DispatchRingDescriptor.CELLS_OFFSET;
import static dev.baton.internal.layout.DispatchRingDescriptor.CELL_LENGTH;

/**
 * The dispatch ring: a bounded multi-producer multi-consumer ring of handles with one sequence per
 * cell (Vyukov's algorithm, the one JCTools' MpmcArrayQueue uses). The C twin is
 * {@code native/dispatch_ring.c}.
 *
 * <p>Cell {@code i} starts with sequence {@code i}. A producer owns position {@code p} once it moves
 * {@code producer_index} from {@code p} to {@code p + 1} while the cell's sequence is {@code p}; it
 * writes the handle and stores sequence {@code p + 1}. A consumer owns position {@code c} once it
 * moves {@code consumer_index} while the sequence is {@code c + 1}; it reads the handle and stores
 * {@code c + capacity}, handing the cell to the producer of the next lap.
 *
 * <p>Progress: claiming and polling are lock-free (a failed CAS means another thread moved an
 * index). The ring as a whole blocks while a preempted producer finishes: between its claim and its
 * commit, the cell and every cell after it read as not yet full to consumers.
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
     * Claims the next position for a handle. Lock-free. Must be followed by {@link #commit}.
     *
     * @return the position, or -1 when the ring is full.
     */
    public long tryClaim()
    {
        while (true)
        {
            final long position = (long)PRODUCER_INDEX.getVolatile(memory, ringOffset);
            // acquire: pairs with the consumer's release of c + capacity in poll(): the consumer of
            // the previous lap has read its handle before we overwrite it.
            final long sequence = (long)SEQUENCE.getAcquire(memory, cellOffset(position));
            if (sequence == position)
            {
                if (PRODUCER_INDEX.compareAndSet(memory, ringOffset, position, position + 1))
                {
                    return position;
                }
            }
            else if (sequence < position)
            {
                return -1; // the cell still holds the previous lap's handle
            }
            // else another producer claimed this position: read the index again
            countRetry();
        }
    }

    /**
     * Publishes a handle at a position this thread claimed. Wait-free.
     *
     * @param position from {@link #tryClaim()}.
     * @param handle   the handle.
     */
    public void commit(final long position, final long handle)
    {
        final long cell = cellOffset(position);
        // opaque (C: relaxed): the cell is ours until its sequence moves.
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
                    // release: pairs with the acquire in tryClaim(): the handle is read before the
                    // producer of the next lap may overwrite it.
                    SEQUENCE.setRelease(memory, cell, position + capacity);
                    return handle;
                }
            }
            else if (sequence < full)
            {
                return Handles.NONE;
            }
            // else another consumer took this position: read the index again
            countRetry();
        }
    }

    private void countRetry()
    {
        if (counters != null)
        {
            counters.dispatchRingRetries.increment();
        }
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
