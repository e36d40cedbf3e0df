package dev.baton.latency;

import java.util.concurrent.atomic.AtomicReferenceArray;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * HdrHistogram {@link Recorder}s, one per stripe, each recording thread writing to the stripe its id
 * hashes to. One shared Recorder makes every recording thread write the same counters and phaser
 * words, which then move between cores on every value; with stripes, threads on different cores
 * mostly write different memory. Two threads that hash to one stripe share its Recorder, which is
 * multi-writer and stays correct.
 *
 * <p>The stripe count is fixed at twice the processors, rounded up to a power of two (so at least
 * two) and capped; it does not grow with the number of threads, so virtual threads cost no more
 * memory than platform threads. A stripe's Recorder holds two histograms of 270,848 bytes each at
 * the range and precision LatencyRecorder uses (their own estimate of their footprint); it is made
 * the first time a thread records into it, so stripes nobody uses cost a null reference.
 */
final class HistogramStripes
{
    private static final int MAX_STRIPES = 64;
    /** 2^64 / the golden ratio: consecutive thread ids land far apart (Fibonacci hashing). */
    private static final long FIBONACCI_MULTIPLIER = 0x9E3779B97F4A7C15L;

    private final long lowestTrackableValue;
    private final long highestTrackableValue;
    private final int significantDigits;
    private final AtomicReferenceArray<Recorder> stripes;
    private final int indexShift;
    // Reader state: the interval histogram each stripe last handed over, recycled on the next flip
    // (a Recorder only takes back histograms it made).
    private final Histogram[] intervals;

    HistogramStripes(final long lowestTrackableValue, final long highestTrackableValue, final int significantDigits)
    {
        this.lowestTrackableValue = lowestTrackableValue;
        this.highestTrackableValue = highestTrackableValue;
        this.significantDigits = significantDigits;
        final int twicePerProcessor = 2 * Runtime.getRuntime().availableProcessors();
        final int count = Math.min(MAX_STRIPES, 1 << (Integer.SIZE - Integer.numberOfLeadingZeros(twicePerProcessor - 1)));
        this.stripes = new AtomicReferenceArray<>(count);
        this.indexShift = Long.SIZE - Integer.numberOfTrailingZeros(count);
        this.intervals = new Histogram[count];
    }

    /** @return how many stripes there are: a power of two. */
    int stripeCount()
    {
        return stripes.length();
    }

    /**
     * Records a value into the calling thread's stripe. Wait-free once the stripe exists; allocates
     * only when the stripe is made.
     */
    void record(final long value)
    {
        stripeOf(Thread.currentThread().threadId()).recordValue(value);
    }

    /**
     * Adds to {@code total} everything recorded since the last call, stripe by stripe, never
     * stopping a writer (each Recorder flips its interval). Callers serialise among themselves.
     */
    void addIntervalTo(final Histogram total)
    {
        for (int i = 0; i < stripes.length(); i++)
        {
            final Recorder stripe = stripes.get(i);
            if (stripe != null)
            {
                intervals[i] = stripe.getIntervalHistogram(intervals[i]);
                total.add(intervals[i]);
            }
        }
    }

    /**
     * @return the stripe a thread records into: the top bits of its id's Fibonacci hash. With four
     * or more stripes, threads with consecutive ids (as a pool's threads often have) never share one.
     */
    int stripeIndex(final long threadId)
    {
        // At least two stripes, so the shift is below 64.
        return (int)((threadId * FIBONACCI_MULTIPLIER) >>> indexShift);
    }

    private Recorder stripeOf(final long threadId)
    {
        final int index = stripeIndex(threadId);
        // A volatile read (a plain load on x86): a stripe made by another thread is seen whole.
        final Recorder existing = stripes.get(index);
        return existing != null ? existing : make(index);
    }

    private Recorder make(final int index)
    {
        final Recorder made = new Recorder(lowestTrackableValue, highestTrackableValue, significantDigits);
        // volatile CAS: publishes the Recorder; a thread that lost the race uses the winner's.
        final Recorder winner = stripes.compareAndExchange(index, null, made);
        return winner == null ? made : winner;
    }
}
