package dev.baton.testing;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;

/** Waits for test threads to line up, from inside lambdas that cannot throw checked exceptions. */
public final class TestThreads
{
    private TestThreads()
    {
    }

    /** Waits until the latch opens; an interrupted wait fails the test. */
    public static void awaitOpen(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError(ex);
        }
    }

    /** Waits until every party reaches the barrier; an interrupted or broken wait fails the test. */
    public static void awaitAll(final CyclicBarrier barrier)
    {
        try
        {
            barrier.await();
        }
        catch (final InterruptedException | BrokenBarrierException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
