package dev.baton.latency;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.baton.testing.TestThreads;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HistogramStripesTest
{
    private static final long HIGHEST = LatencyRecorder.MAX_TRACKABLE_NANOS;

    @Test
    void stripesAreAPowerOfTwoOfAtLeastTwicePerProcessorUpToTheCap()
    {
        final int stripes = new HistogramStripes(1, HIGHEST, 3).stripeCount();
        assertEquals(1, Integer.bitCount(stripes), "a power of two: " + stripes);
        assertTrue(stripes >= Math.min(64, 2 * Runtime.getRuntime().availableProcessors()), "stripes: " + stripes);
        assertTrue(stripes <= 64, "stripes: " + stripes);
    }

    @Test
    void threadsWithConsecutiveIdsNeverShareAStripe()
    {
        final HistogramStripes stripes = new HistogramStripes(1, HIGHEST, 3);
        assumeTrue(stripes.stripeCount() >= 4, "the property holds from four stripes, which two processors give");
        for (long id = 1; id < 100_000; id++)
        {
            assertNotEquals(stripes.stripeIndex(id), stripes.stripeIndex(id + 1), "threads " + id + " and " + (id + 1));
        }
    }

    @Test
    void everyValueFromPlatformAndVirtualThreadsReachesTheTotalOnce() throws InterruptedException
    {
        final HistogramStripes stripes = new HistogramStripes(1, HIGHEST, 3);
        final int perThread = 20_000;
        final int threads = 3 * stripes.stripeCount(); // more threads than stripes: some share one
        final CountDownLatch start = new CountDownLatch(1);
        final Histogram total = new Histogram(1, HIGHEST, 3);
        final List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final long value = 1000L * (t + 1);
            final Thread.Builder builder = t % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
            writers.add(builder.start(() -> {
                TestThreads.awaitOpen(start);
                for (int i = 0; i < perThread; i++)
                {
                    stripes.record(value);
                }
            }));
        }
        start.countDown();
        // A reader takes intervals while the writers record: nothing is lost or counted twice.
        while (writers.stream().anyMatch(Thread::isAlive))
        {
            stripes.addIntervalTo(total);
        }
        for (final Thread writer : writers)
        {
            writer.join();
        }
        stripes.addIntervalTo(total);

        assertEquals((long)threads * perThread, total.getTotalCount());
        for (int t = 0; t < threads; t++)
        {
            assertEquals(perThread, total.getCountAtValue(1000L * (t + 1)), "values of thread " + t);
        }
        stripes.addIntervalTo(total);
        assertEquals((long)threads * perThread, total.getTotalCount(), "an interval with nothing recorded adds nothing");
    }
}
