package dev.baton.testing;

import java.lang.management.ManagementFactory;

/**
 * Counts the bytes the current thread allocates, through the JVM's own per-thread counter (not
 * time). A steady-state figure is the fewest bytes of several rounds: garbage made per operation
 * shows in every round, while a one-off (a compilation finishing mid-round) does not repeat.
 */
public final class AllocationMeter
{
    private static final int ROUNDS = 5;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private AllocationMeter()
    {
    }

    /**
     * @param round one round of the operations under test; run once to warm up, then measured.
     * @return the fewest bytes one round allocated, of several.
     */
    public static long steadyStateBytes(final Runnable round)
    {
        if (!THREADS.isThreadAllocatedMemorySupported())
        {
            throw new IllegalStateException("this JVM does not count allocated bytes per thread");
        }
        round.run();
        final long thread = Thread.currentThread().threadId();
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < ROUNDS; i++)
        {
            final long before = THREADS.getThreadAllocatedBytes(thread);
            round.run();
            fewest = Math.min(fewest, THREADS.getThreadAllocatedBytes(thread) - before);
        }
        return fewest;
    }
}
