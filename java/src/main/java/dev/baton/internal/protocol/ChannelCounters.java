package dev.baton.internal.protocol;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of what a channel did, kept only when the channel is built with
 * {@code DispatchChannelBuilder#instrumented(boolean)}: operations, and the CAS retries inside the
 * slab's free list and the two rings. When off, each counting site costs one null check; when on,
 * an uncontended {@link LongAdder} increment.
 */
public final class ChannelCounters
{
    public final LongAdder dispatched = new LongAdder();
    public final LongAdder dispatchBackpressure = new LongAdder();
    public final LongAdder claimed = new LongAdder();
    public final LongAdder staleSkipped = new LongAdder();
    public final LongAdder completed = new LongAdder();
    public final LongAdder yielded = new LongAdder();
    public final LongAdder completionRefused = new LongAdder();
    public final LongAdder drained = new LongAdder();
    public final LongAdder freeListRetries = new LongAdder();
    public final LongAdder dispatchRingRetries = new LongAdder();
    public final LongAdder completionRingRetries = new LongAdder();
    private final long createdAtNanos = System.nanoTime();

    /**
     * Counts one, when counting is on.
     *
     * @param counter a counter of a channel's counts, or null when the channel keeps none.
     */
    public static void increment(final LongAdder counter)
    {
        if (counter != null)
        {
            counter.increment();
        }
    }

    /** @return when these counts started, as {@link System#nanoTime()} read it. */
    public long createdAtNanos()
    {
        return createdAtNanos;
    }
}
