package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import dev.baton.internal.layout.LatencyRingDescriptor;

import static dev.baton.internal.layout.LatencyRingDescriptor.ENTRIES_OFFSET;
import static dev.baton.internal.layout.LatencyRingDescriptor.ENTRY_LENGTH;

/**
 * The last N latencies recorded by anyone, overwriting the oldest. The C twin is
 * {@code native/latency_ring.c}.
 *
 * <p>Recording is wait-free: one fetch_add of {@code index} takes entry {@code i}; its sequence is
 * set to 0, the fields are written, and the sequence is stored as {@code i + 1} with release. A
 * reader takes entry {@code i} only when its sequence is {@code i + 1} both before and after it
 * reads the fields (a seqlock), so it never mixes two recordings.
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
         * @param source          {@link LatencyRingDescriptor#SOURCE_JAVA} or {@code SOURCE_NATIVE}.
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

    /**
     * Records a latency. Wait-free, allocation-free.
     *
     * @param valueNanos the latency.
     * @param nowNanos   when, in {@link System#nanoTime()}.
     * @param source     {@link LatencyRingDescriptor#SOURCE_JAVA} or {@code SOURCE_NATIVE}.
     */
    public void record(final long valueNanos, final long nowNanos, final int source)
    {
        // fetch_add only takes a distinct entry (C: relaxed; release is Java's weakest fetch_add); the
        // sequence store below publishes the entry.
        final long index = (long)INDEX.getAndAddRelease(memory, ringOffset, 1L);
        final long entry = entryOffset(index);
        // Mark the entry as being rewritten before its fields change: the release fence orders this
        // store before the field stores, so a reader that saw new fields sees the sequence move.
        SEQUENCE.setOpaque(memory, entry, 0L);
        VarHandle.releaseFence();
        VALUE.setOpaque(memory, entry, valueNanos);
        RECORDED_AT.setOpaque(memory, entry, nowNanos);
        SOURCE.setOpaque(memory, entry, source);
        // release: pairs with the reader's acquire of the sequence: the fields are visible first.
        SEQUENCE.setRelease(memory, entry, index + 1);
        if (source == LatencyRingDescriptor.SOURCE_NATIVE)
        {
            NATIVE_COUNT.getAndAddRelease(memory, ringOffset, 1L);
        }
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
