package dev.baton.latency;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

import dev.baton.internal.layout.LatencyRingDescriptor;
import dev.baton.internal.protocol.LatencyRing;
import org.HdrHistogram.Histogram;

/**
 * Records latencies from any thread, Java or native, into one whole-run histogram (HdrHistogram, the
 * reference implementation), and measures the rate at which they are recorded.
 *
 * <ul>
 *   <li>{@link #record} (Java) is wait-free and allocation-free, and writes no memory shared by all
 *       recorders: HdrHistogram's wait-free {@code Recorder#recordValue} into the calling thread's
 *       stripe ({@link HistogramStripes}), and nothing else. It reads no clock: the rate comes from
 *       the count of recordings, sampled when statistics are read ({@link RateSamples}).</li>
 *   <li>{@link #recordFromDrain} is the channel's host drain's path: one thread at a time, plain
 *       writes into a histogram of its own, a run of recordings bracketed by two ordered stores: no
 *       locked instruction per value or per run ({@link SingleWriterLatencies}).</li>
 *   <li>Native recordings (a C host's drain, {@code baton_record_latency}) land in the channel's
 *       off-heap latency ring. {@link #harvest()} folds those published since the last harvest into
 *       the histogram; any that the ring overwrote first are missing from it, which
 *       {@link LatencyStatistics#nativeRecorded()} and {@code nativeHarvested()} make visible.</li>
 *   <li>Readers ({@link #statistics}, {@link #harvest}) never stop a writer: the ring and the
 *       drain's histogram are read with seqlocks and the stripes through their Recorders' interval
 *       flips. Readers serialise among
 *       themselves, and only they touch the whole-run histogram.</li>
 * </ul>
 */
public final class LatencyRecorder
{
    /** The largest latency the histogram tells apart: one hour. Longer ones count as one hour. */
    public static final long MAX_TRACKABLE_NANOS = Duration.ofHours(1).toNanos();
    private static final int SIGNIFICANT_DIGITS = 3;

    /** The channel's ring of native recordings; null for a recorder outside any channel. */
    private final LatencyRing nativeRing;
    private final HistogramStripes javaRecordings = new HistogramStripes(1, MAX_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    private final SingleWriterLatencies drainRecordings =
        new SingleWriterLatencies(1, MAX_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    private final Histogram total = new Histogram(1, MAX_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
    private final RateSamples rateSamples = new RateSamples(System.nanoTime());
    private final LatencyRing.EntryVisitor harvestNative = this::harvestNative;
    private long harvestCursor;
    private long nativeHarvested;

    private LatencyRecorder(final LatencyRing nativeRing)
    {
        this.nativeRing = nativeRing;
    }

    /**
     * A recorder that also harvests a latency ring already in memory, formatted as {@code baton.h}'s
     * {@code baton_latency_ring} draws it: a channel's, which libbaton records into.
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

    /** @return a recorder of Java recordings only, outside any channel. */
    public static LatencyRecorder create()
    {
        return new LatencyRecorder(null);
    }

    /**
     * Records one latency. Wait-free, allocation-free, any thread.
     *
     * @param valueNanos the latency; negative values are recorded as 0, values above
     *                   {@link #MAX_TRACKABLE_NANOS} as that.
     */
    public void record(final long valueNanos)
    {
        javaRecordings.record(Math.min(Math.max(valueNanos, 0), MAX_TRACKABLE_NANOS));
    }

    /**
     * Records one latency from the recorder's single drain: one thread at a time, which ends each
     * run of recordings with {@link #endDrainRun}. Wait-free, allocation-free, and no locked
     * instruction per value or per run, where {@link #record} pays them on every value. A
     * channel's host drain records through it.
     *
     * @param valueNanos the latency, clamped as {@link #record} clamps it.
     */
    public void recordFromDrain(final long valueNanos)
    {
        drainRecordings.record(Math.min(Math.max(valueNanos, 0), MAX_TRACKABLE_NANOS));
    }

    /** Ends the drain's run of recordings: what it recorded is the statistics' from here on. */
    public void endDrainRun()
    {
        drainRecordings.endRun();
    }

    /**
     * Folds the native recordings published since the last harvest into the histogram. A harvest
     * stops at an entry whose recorder has not finished it, and takes it up next time.
     */
    public synchronized void harvest()
    {
        if (nativeRing == null)
        {
            return;
        }
        final long end = nativeRing.index();
        long index = Math.max(harvestCursor, end - nativeRing.capacity());
        while (index < end)
        {
            if (nativeRing.read(index, harvestNative) == LatencyRing.IN_PROGRESS)
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
     * Harvests, then summarises: the whole run from the histogram, and the rate of recordings.
     *
     * @param window the recent span over which to measure events per second: from the newest reading
     *               of statistics at least that old, as {@link RateSamples} keeps them.
     * @return the statistics.
     */
    public synchronized LatencyStatistics statistics(final Duration window)
    {
        harvest();
        javaRecordings.addIntervalTo(total);
        drainRecordings.addIntervalTo(total);
        final long nativeRecorded = nativeRing == null ? 0 : nativeRing.nativeCount();
        // Every Java recording is in the histogram now; native ones count whether harvested or lost.
        final long recorded = total.getTotalCount() - nativeHarvested + nativeRecorded;
        final double eventsPerSecond = rateSamples.perSecondOver(System.nanoTime(), recorded, Math.max(1, window.toNanos()));
        return new LatencyStatistics(
            total.getTotalCount(),
            eventsPerSecond,
            total.getTotalCount() == 0 ? 0.0 : total.getMean(),
            total.getValueAtPercentile(50),
            total.getValueAtPercentile(95),
            total.getValueAtPercentile(99),
            total.getValueAtPercentile(99.9),
            total.getMaxValue(),
            nativeRecorded,
            nativeHarvested);
    }
}
