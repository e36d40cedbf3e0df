package dev.baton.latency;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.internal.layout.LatencyRingDescriptor;
import dev.baton.internal.protocol.LatencyRing;
import org.HdrHistogram.Histogram;

/**
 * Records latencies from any thread, Java or native, with two views: the last N values (an off-heap
 * ring that native handlers write through {@code baton_record_latency}) and the whole run as a
 * histogram (HdrHistogram, the reference implementation).
 *
 * <ul>
 *   <li>{@link #record} (Java) is wait-free and allocation-free: one fetch_add and a few stores into
 *       the ring, and HdrHistogram's wait-free {@code Recorder#recordValue} into the calling
 *       thread's stripe ({@link HistogramStripes}).</li>
 *   <li>Native recordings land in the ring only. {@link #harvest()} folds those published since the
 *       last harvest into the histogram; any that the ring overwrote first are missing from it, which
 *       {@link LatencyStatistics#nativeRecorded()} and {@code nativeHarvested()} make visible.</li>
 *   <li>Readers ({@link #statistics}, {@link #lastValues}, {@link #harvest}) never stop a writer:
 *       the ring is read with a seqlock and the stripes through their Recorders' interval flips.
 *       Readers serialise among themselves, and only they touch the whole-run histogram.</li>
 * </ul>
 */
public final class LatencyRecorder
{
    /** The largest latency the histogram tells apart: one hour. Longer ones count as one hour. */
    public static final long MAX_TRACKABLE_NANOS = Duration.ofHours(1).toNanos();
    private static final int SIGNIFICANT_DIGITS = 3;

    private final LatencyRing ring;
    private final HistogramStripes javaRecordings = new HistogramStripes(1, MAX_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    private final Histogram total = new Histogram(1, MAX_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    private long harvestCursor;
    private long nativeHarvested;

    // Reader state of one call, kept in fields so that each ring visitor is allocated once.
    private long windowStart;
    private long windowCount;
    private long oldestInWindow;
    private boolean ringReachesWindowStart;
    private long[] collectInto;
    private int collected;
    private final LatencyRing.EntryVisitor countInWindow = this::countInWindow;
    private final LatencyRing.EntryVisitor harvestNative = this::harvestNative;
    private final LatencyRing.EntryVisitor collect = this::collect;

    private LatencyRecorder(final LatencyRing ring)
    {
        this.ring = ring;
    }

    /**
     * A recorder over a latency ring that is already in memory, formatted as {@code baton.h}'s
     * {@code baton_latency_ring} draws it: a channel's, which native handlers record into too.
     *
     * @param memory   the memory holding the ring.
     * @param offset   where the ring starts.
     * @param capacity the ring's entries, as formatted.
     * @return the recorder; usable while the memory is.
     */
    public static LatencyRecorder wrap(final MemorySegment memory, final long offset, final int capacity)
    {
        return new LatencyRecorder(new LatencyRing(memory, offset, capacity));
    }

    /**
     * A recorder in memory of its own, outside any channel.
     *
     * @param capacity the last values to keep: a power of two of at least 2.
     * @param arena    owns the memory; the recorder is usable until it closes.
     * @return the recorder.
     */
    public static LatencyRecorder allocate(final int capacity, final Arena arena)
    {
        if (capacity < LatencyRingDescriptor.CAPACITY_MIN || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two of at least 2: " + capacity);
        }
        final MemorySegment memory = arena.allocate(LatencyRingDescriptor.length(capacity), HeaderDescriptor.HOT_FIELD_PADDING);
        new LatencyRing(memory, 0, capacity).format();
        return wrap(memory, 0, capacity);
    }

    /**
     * Records one latency. Wait-free, allocation-free, any thread.
     *
     * @param valueNanos the latency; negative values are recorded as 0, values above
     *                   {@link #MAX_TRACKABLE_NANOS} as that.
     */
    public void record(final long valueNanos)
    {
        record(valueNanos, System.nanoTime());
    }

    /**
     * Records one latency measured by a caller that has just read the clock, so that it is not read
     * again. Wait-free, allocation-free, any thread.
     *
     * @param valueNanos    the latency; clamped as by {@link #record(long)}.
     * @param recordedNanos when it was measured, in {@link System#nanoTime()}.
     */
    public void record(final long valueNanos, final long recordedNanos)
    {
        final long clamped = Math.min(Math.max(valueNanos, 0), MAX_TRACKABLE_NANOS);
        ring.record(clamped, recordedNanos, LatencyRingDescriptor.SOURCE_JAVA);
        javaRecordings.record(clamped);
    }

    /** @return how many values the ring keeps. */
    public int capacity()
    {
        return ring.capacity();
    }

    /**
     * Copies the most recent values, oldest first. Allocation-free; never stops a writer. Values whose
     * entry is being rewritten at that moment are left out.
     *
     * @param destination receives up to its length values.
     * @return how many were copied.
     */
    public synchronized int lastValues(final long[] destination)
    {
        final long end = ring.index();
        final long start = Math.max(0, end - Math.min(ring.capacity(), destination.length));
        collectInto = destination;
        collected = 0;
        for (long index = start; index < end; index++)
        {
            ring.read(index, collect);
        }
        collectInto = null;
        return collected;
    }

    private void collect(final long value, final long recordedAt, final int source)
    {
        collectInto[collected++] = value;
    }

    /**
     * Folds the native recordings published since the last harvest into the histogram. A harvest
     * stops at an entry whose recorder has not finished it, and takes it up next time.
     */
    public synchronized void harvest()
    {
        final long end = ring.index();
        long index = Math.max(harvestCursor, end - ring.capacity());
        while (index < end)
        {
            if (ring.read(index, harvestNative) == LatencyRing.IN_PROGRESS)
            {
                break;
            }
            index++;
        }
        harvestCursor = index;
    }

    private void harvestNative(final long value, final long recordedAt, final int source)
    {
        if (source == LatencyRingDescriptor.SOURCE_NATIVE)
        {
            total.recordValue(Math.min(value, MAX_TRACKABLE_NANOS));
            nativeHarvested++;
        }
    }

    /**
     * Harvests, then summarises: the whole run from the histogram, the rate from the ring.
     *
     * @param window the recent span over which to measure events per second.
     * @return the statistics.
     */
    public synchronized LatencyStatistics statistics(final Duration window)
    {
        harvest();
        javaRecordings.addIntervalTo(total);

        final long now = System.nanoTime();
        windowStart = now - window.toNanos();
        windowCount = 0;
        oldestInWindow = now;
        final long end = ring.index();
        // The ring covers the whole window when it was never lapped or still holds an older entry;
        // otherwise the rate is taken over the span it does cover.
        ringReachesWindowStart = end <= ring.capacity();
        for (long index = Math.max(0, end - ring.capacity()); index < end; index++)
        {
            ring.read(index, countInWindow);
        }
        final long covered = ringReachesWindowStart ? window.toNanos() : Math.max(1, now - oldestInWindow);
        final double eventsPerSecond = windowCount * 1e9 / covered;

        return new LatencyStatistics(
            total.getTotalCount(),
            eventsPerSecond,
            total.getTotalCount() == 0 ? 0.0 : total.getMean(),
            total.getValueAtPercentile(50),
            total.getValueAtPercentile(95),
            total.getValueAtPercentile(99),
            total.getValueAtPercentile(99.9),
            total.getMaxValue(),
            ring.nativeCount(),
            nativeHarvested);
    }

    private void countInWindow(final long value, final long recordedAt, final int source)
    {
        if (recordedAt - windowStart >= 0)
        {
            windowCount++;
            oldestInWindow = Math.min(oldestInWindow, recordedAt);
        }
        else
        {
            ringReachesWindowStart = true;
        }
    }
}
