package dev.baton.aeron.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts and levels of one duty cycle: its thread alone writes them, with release stores, and any
 * thread reads them, with acquire loads. A count only grows. What each index holds is the owner's:
 * {@link BridgeCounts} for the bridge's host side, {@link NodeCounts} for a node.
 */
public final class SingleWriterCounts
{
    private final AtomicLongArray counts;

    /** @param size how many counts and levels. */
    public SingleWriterCounts(final int size)
    {
        counts = new AtomicLongArray(size);
    }

    /** Adds {@code amount} to a count; its one writer's plain read, then a release store. */
    public void add(final int counter, final long amount)
    {
        counts.setRelease(counter, counts.getPlain(counter) + amount);
    }

    /** Sets a level. */
    public void set(final int level, final long value)
    {
        counts.setRelease(level, value);
    }

    /** Adds one to a count. */
    public void increment(final int counter)
    {
        add(counter, 1);
    }

    /** @return a count, read with acquire. */
    public long get(final int counter)
    {
        return counts.getAcquire(counter);
    }
}
