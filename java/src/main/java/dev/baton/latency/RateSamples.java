package dev.baton.latency;

/**
 * The recorder's count of recordings, sampled when statistics are read: the reference points a rate
 * is measured from, so that a recording needs no clock read of its own.
 *
 * <p>A rate over a window runs from the newest sample at least that window old to now. A sample is
 * kept only when the last one is at least a thirty-second of the window old, so the samples kept
 * reach back beyond the window however often statistics are read; until the recorder is older than
 * the window, or if statistics are read with a much longer window than before, the rate runs from the
 * oldest sample kept instead. Not thread-safe: the recorder's readers serialise.
 */
final class RateSamples
{
    private static final int CAPACITY = 64;
    private static final int SAMPLES_PER_WINDOW = 32;

    private final long[] times = new long[CAPACITY];
    private final long[] counts = new long[CAPACITY];
    private long taken;

    /** @param startNanos when counting began, in {@link System#nanoTime()}; the count was 0 then. */
    RateSamples(final long startNanos)
    {
        add(startNanos, 0);
    }

    /**
     * The rate up to now, then a sample of now when the newest one is old enough.
     *
     * @param nowNanos     now, in {@link System#nanoTime()}.
     * @param count        recordings counted up to now.
     * @param windowNanos  the span to measure over, positive.
     * @return recordings per second over the window, or over the span the kept samples cover.
     */
    double perSecondOver(final long nowNanos, final long count, final long windowNanos)
    {
        final long oldest = Math.max(0, taken - CAPACITY);
        long from = taken - 1;
        while (from > oldest && nowNanos - times[slot(from)] < windowNanos)
        {
            from--;
        }
        final long elapsed = nowNanos - times[slot(from)];
        final double perSecond = elapsed <= 0 ? 0.0 : (count - counts[slot(from)]) * 1e9 / elapsed;
        if (nowNanos - times[slot(taken - 1)] >= windowNanos / SAMPLES_PER_WINDOW)
        {
            add(nowNanos, count);
        }
        return perSecond;
    }

    private void add(final long nowNanos, final long count)
    {
        times[slot(taken)] = nowNanos;
        counts[slot(taken)] = count;
        taken++;
    }

    private static int slot(final long sample)
    {
        return (int)(sample % CAPACITY);
    }
}
