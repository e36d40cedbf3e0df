package dev.baton.testing;

import java.lang.management.ManagementFactory;

/**
 * Counts the bytes the current thread allocates, through the JVM's own per-thread counter (not
 * time). A steady-state figure is the fewest bytes of several rounds, after a few rounds of warm-up:
 * garbage made per operation shows in every round, while a one-off (a compilation finishing
 * mid-round) does not repeat. With one round of warm-up, the bridge's test found 104 to 200 bytes
 * in every measured round in about one run in six, its paths still being compiled.
 */
public final class AllocationMeter
{
    private static final int ROUNDS = 5;
    /** Rounds run before measuring: enough for the JIT to have compiled the rounds' paths. */
    private static final int WARM_UP_ROUNDS = 3;
    /** How many times {@link #steadyStateBytes} runs its round in all. */
    public static final int RUNS = WARM_UP_ROUNDS + ROUNDS;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private AllocationMeter()
    {
    }

    /**
     * @param round one round of the operations under test; run a few times to warm up, then measured.
     * @return the fewest bytes one round allocated, of several.
     */
    public static long steadyStateBytes(final Runnable round)
    {
        if (!THREADS.isThreadAllocatedMemorySupported())
        {
            throw new IllegalStateException("this JVM does not count allocated bytes per thread");
        }
        for (int i = 0; i < WARM_UP_ROUNDS; i++)
        {
            round.run();
        }
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
