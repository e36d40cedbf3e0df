package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import dev.baton.internal.layout.LatencyRingDescriptor;

import static dev.baton.internal.layout.LatencyRingDescriptor.ENTRIES_OFFSET;
import static dev.baton.internal.layout.LatencyRingDescriptor.ENTRY_LENGTH;

/**
 * The reading side of the latency ring: the last N latencies that libbaton recorded, overwriting the
 * oldest. The writing side is {@code native/latency_ring.c}; Java records into its own histogram
 * stripes, not here, so the ring's one shared index is written only by native recorders.
 *
 * <p>A native recorder takes entry {@code i} with one fetch_add of {@code index}, sets its sequence
 * to 0, writes the fields and stores the sequence as {@code i + 1} with release. A reader takes entry
 * {@code i} only when its sequence is {@code i + 1} both before and after it reads the fields (a
 * seqlock), so it never mixes two recordings.
 */
public final class LatencyRing
{
    /** Receives an entry a reader took. */
    @FunctionalInterface
    public interface EntryVisitor
    {
        /**
         * @param valueNanos      the latency.
         * @param recordedAtNanos when it was recorded (CLOCK_MONOTONIC).
         * @param source          {@link LatencyRingDescriptor#SOURCE_NATIVE} from libbaton.
         */
        void visit(long valueNanos, long recordedAtNanos, int source);
    }

    /** {@link #read} found the entry and passed it on. */
    public static final int READ = 0;
    /** {@link #read}: the entry was taken by a recorder that has not published it yet. */
    public static final int IN_PROGRESS = 1;
    /** {@link #read}: the entry was overwritten by a later recording. */
    public static final int OVERWRITTEN = 2;

    private static final VarHandle INDEX = LatencyRingDescriptor.INDEX;
    private static final VarHandle NATIVE_COUNT = LatencyRingDescriptor.NATIVE_COUNT;
    private static final VarHandle SEQUENCE = LatencyRingDescriptor.SEQUENCE;
    private static final VarHandle VALUE = LatencyRingDescriptor.VALUE;
    private static final VarHandle RECORDED_AT = LatencyRingDescriptor.RECORDED_AT;
    private static final VarHandle SOURCE = LatencyRingDescriptor.SOURCE;

    private final MemorySegment memory;
    private final long ringOffset;
    private final int capacity;

    public LatencyRing(final MemorySegment memory, final long ringOffset, final int capacity)
    {
        this.memory = memory;
        this.ringOffset = ringOffset;
        this.capacity = capacity;
    }

    /** Index 0, no entry published. */
    public void format()
    {
        INDEX.set(memory, ringOffset, 0L);
        NATIVE_COUNT.set(memory, ringOffset, 0L);
        for (long i = 0; i < capacity; i++)
        {
            SEQUENCE.set(memory, entryOffset(i), 0L);
        }
    }

    public int capacity()
    {
        return capacity;
    }

    /** @return entries taken so far (opaque: how far to look; each entry is checked by its sequence). */
    public long index()
    {
        return (long)INDEX.getOpaque(memory, ringOffset);
    }

    /** @return native recordings published so far (acquire: their entries are published). */
    public long nativeCount()
    {
        return (long)NATIVE_COUNT.getAcquire(memory, ringOffset);
    }

    /**
     * Reads entry {@code index} if it still holds that recording.
     *
     * @param index   an index below {@link #index()}.
     * @param visitor receives the entry when it is read.
     * @return {@link #READ}, {@link #IN_PROGRESS} or {@link #OVERWRITTEN}.
     */
    public int read(final long index, final EntryVisitor visitor)
    {
        final long entry = entryOffset(index);
        final long expected = index + 1;
        // acquire: pairs with the recorder's release of the sequence.
        final long before = (long)SEQUENCE.getAcquire(memory, entry);
        if (before != expected)
        {
            return before > expected ? OVERWRITTEN : IN_PROGRESS;
        }
        final long value = (long)VALUE.getOpaque(memory, entry);
        final long recordedAt = (long)RECORDED_AT.getOpaque(memory, entry);
        final int source = (int)SOURCE.getOpaque(memory, entry);
        // acquire fence: the field reads above are ordered before the second read of the sequence.
        VarHandle.acquireFence();
        final long after = (long)SEQUENCE.getOpaque(memory, entry);
        if (after != expected)
        {
            return OVERWRITTEN;
        }
        visitor.visit(value, recordedAt, source);
        return READ;
    }

    private long entryOffset(final long index)
    {
        return ringOffset + ENTRIES_OFFSET + (index & (capacity - 1)) * ENTRY_LENGTH;
    }
}
