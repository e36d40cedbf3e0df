package dev.baton.latency;

import java.time.Duration;

/**
 * Latency statistics: the whole run from the histogram, and the recent rate of recordings.
 *
 * @param count               latencies in the histogram: every Java recording, and the native ones
 *                            harvested from the ring.
 * @param eventsPerSecond     recordings, Java and native, per second over the recent window: from
 *                            the newest earlier reading of statistics at least a window old, or the
 *                            oldest kept when none is that old yet.
 * @param meanNanos           mean.
 * @param p50Nanos            median.
 * @param p95Nanos            95th percentile.
 * @param p99Nanos            99th percentile.
 * @param p999Nanos           99.9th percentile.
 * @param maxNanos            maximum.
 * @param nativeRecorded      recordings made through {@code baton_record_latency}.
 * @param nativeHarvested     of those, the ones folded into the histogram; the rest are still to be
 *                            harvested or were overwritten in the ring before a harvest.
 */
public record LatencyStatistics(
    long count,
    double eventsPerSecond,
    double meanNanos,
    long p50Nanos,
    long p95Nanos,
    long p99Nanos,
    long p999Nanos,
    long maxNanos,
    long nativeRecorded,
    long nativeHarvested)
{
    /** @return events per second over the recent window. */
    public double processingRate()
    {
        return eventsPerSecond;
    }

    /** @return the mean latency in milliseconds. */
    public double averageLatencyMillis()
    {
        return meanNanos / Duration.ofMillis(1).toNanos();
    }
}
