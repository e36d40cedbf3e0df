package dev.baton;

import org.HdrHistogram.Histogram;

/**
 * Dispatch-to-drain latency of the completed events since the channel was created.
 *
 * @param count      completed events recorded.
 * @param meanNanos  mean.
 * @param p50Nanos   median.
 * @param p99Nanos   99th percentile.
 * @param p999Nanos  99.9th percentile.
 * @param maxNanos   maximum.
 */
public record LatencySummary(long count, double meanNanos, long p50Nanos, long p99Nanos, long p999Nanos, long maxNanos)
{
    static LatencySummary of(final Histogram histogram)
    {
        return new LatencySummary(
            histogram.getTotalCount(),
            histogram.getMean(),
            histogram.getValueAtPercentile(50),
            histogram.getValueAtPercentile(99),
            histogram.getValueAtPercentile(99.9),
            histogram.getMaxValue());
    }
}
