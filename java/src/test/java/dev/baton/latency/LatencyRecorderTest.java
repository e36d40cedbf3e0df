package dev.baton.latency;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.internal.ffi.baton_h;
import dev.baton.testing.AllocationMeter;
import dev.baton.testing.TestThreads;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyRecorderTest
{
    @Test
    void statisticsCoverTheWholeRunAndTheSeedsTwoAnswers()
    {
        final long before = System.nanoTime();
        final LatencyRecorder recorder = LatencyRecorder.create();
        for (long millis = 1; millis <= 100; millis++)
        {
            recorder.record(Duration.ofMillis(millis).toNanos());
        }
        final LatencyStatistics statistics = recorder.statistics(Duration.ofSeconds(60));
        final long after = System.nanoTime();
        assertEquals(100, statistics.count());
        assertEquals(50.5, statistics.averageLatencyMillis(), 0.1, "the engine's average_latency_ms");
        assertEquals(50, statistics.p50Nanos() / 1_000_000);
        assertEquals(95, statistics.p95Nanos() / 1_000_000);
        assertEquals(99, statistics.p99Nanos() / 1_000_000);
        assertEquals(100, statistics.maxNanos() / 1_000_000);
        // The recorder is younger than the window: the rate runs from its creation, between before and after.
        assertTrue(statistics.processingRate() >= 100 * 1e9 / (after - before),
            "the engine's processing_rate: " + statistics.processingRate());
        assertEquals(0, statistics.nativeRecorded());
    }

    @Test
    void theRateCountsTheRecordingsSinceTheReadingAWindowAgo()
    {
        final LatencyRecorder recorder = LatencyRecorder.create();
        final Duration window = Duration.ofNanos(1);
        recorder.record(1_000);
        final long firstReadStart = System.nanoTime();
        recorder.statistics(window);
        final long firstReadEnd = System.nanoTime();
        for (int i = 0; i < 50; i++)
        {
            recorder.record(1_000);
        }
        final long secondReadStart = System.nanoTime();
        final double rate = recorder.statistics(window).eventsPerSecond();
        final long secondReadEnd = System.nanoTime();
        // 50 recordings between the two readings, whose clock reads fall inside their calls.
        assertTrue(rate >= 50 * 1e9 / (secondReadEnd - firstReadStart), "rate " + rate);
        assertTrue(rate <= 50 * 1e9 / Math.max(1, secondReadStart - firstReadEnd), "rate " + rate);
    }

    @Test
    void outOfRangeValuesAreClamped()
    {
        final LatencyRecorder recorder = LatencyRecorder.create();
        recorder.record(-5);
        recorder.record(Long.MAX_VALUE);
        final LatencyStatistics statistics = recorder.statistics(Duration.ofSeconds(1));
        assertEquals(2, statistics.count());
        assertEquals(0, statistics.p50Nanos(), "a negative latency is recorded as 0");
        assertEquals(LatencyRecorder.MAX_TRACKABLE_NANOS, statistics.maxNanos(), 1.0 * LatencyRecorder.MAX_TRACKABLE_NANOS / 1000);
    }

    @Test
    void javaAndNativeWritersRecordIntoOneRecorder() throws InterruptedException
    {
        final int perThread = 20_000;
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(8).latencyRingCapacity(1 << 17).build();
            Arena arena = Arena.ofShared())
        {
            final MemorySegment attachment = attachNative(channel, arena);
            final LatencyRecorder recorder = channel.latencyRecorder();
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++)
            {
                final boolean viaNative = t % 2 == 1;
                threads.add(Thread.ofPlatform().start(() -> {
                    TestThreads.awaitOpen(start);
                    for (int i = 0; i < perThread; i++)
                    {
                        if (viaNative)
                        {
                            assertEquals(0, baton_h.baton_record_latency(attachment, 2_000_000));
                        }
                        else
                        {
                            recorder.record(1_000_000);
                        }
                    }
                }));
            }
            start.countDown();
            for (final Thread thread : threads)
            {
                thread.join();
            }
            final LatencyStatistics statistics = recorder.statistics(Duration.ofSeconds(60));
            assertEquals(2 * perThread, statistics.nativeRecorded());
            assertEquals(2 * perThread, statistics.nativeHarvested(), "the ring held them all until the harvest");
            assertEquals(4 * perThread, statistics.count(), "Java and native recordings in one histogram");
            assertEquals(1_000_000, statistics.p50Nanos(), 1_000);
            assertEquals(2_000_000, statistics.maxNanos(), 2_000);
            assertEquals(0, baton_h.baton_detach(attachment));
        }
    }

    @Test
    void nativeRecordingsOverwrittenBeforeAHarvestAreCountedAsMissing()
    {
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(8).latencyRingCapacity(16).build();
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment attachment = attachNative(channel, arena);
            for (int i = 0; i < 100; i++)
            {
                baton_h.baton_record_latency(attachment, 5_000);
            }
            assertEquals(ErrorCode.EINVAL, baton_h.baton_record_latency(attachment, -1));
            final LatencyStatistics statistics = channel.latencyRecorder().statistics(Duration.ofSeconds(1));
            assertEquals(100, statistics.nativeRecorded());
            assertEquals(16, statistics.nativeHarvested(), "only the ring's 16 survived until the harvest");
            assertEquals(16, statistics.count());
            baton_h.baton_detach(attachment);
        }
    }

    @Test
    void drainRunsReachTheStatisticsAcrossManyReadsAndARunOpenDuringOne() throws InterruptedException
    {
        final LatencyRecorder recorder = LatencyRecorder.create();
        // Each read copies the drain's histogram and adds what it gained since the last: each run once.
        for (int run = 1; run <= 10; run++)
        {
            for (int i = 0; i < run; i++)
            {
                recorder.recordFromDrain(1_000);
            }
            recorder.endDrainRun();
            assertEquals(run * (run + 1) / 2, recorder.statistics(Duration.ofSeconds(1)).count(), "after run " + run);
        }
        // A read that begins while a run is open waits for its end (or begins after it), and counts it.
        recorder.recordFromDrain(2_000);
        final CountDownLatch readStarted = new CountDownLatch(1);
        final long[] count = new long[1];
        final Thread reader = Thread.ofPlatform().start(() -> {
            readStarted.countDown();
            count[0] = recorder.statistics(Duration.ofSeconds(1)).count();
        });
        TestThreads.awaitOpen(readStarted);
        recorder.recordFromDrain(2_000);
        recorder.endDrainRun();
        reader.join();
        assertEquals(57, count[0], "the run open as the read began, counted whole: the read waited for its end");
        assertEquals(57, recorder.statistics(Duration.ofSeconds(1)).count());
    }

    @Test
    void readsBesideADrainThatNeverRestsSeeWholeRunsOnlyAndEachOnce() throws InterruptedException
    {
        final LatencyRecorder recorder = LatencyRecorder.create();
        final int runs = 1_000_000;
        final Thread drain = Thread.ofPlatform().start(() -> {
            for (int run = 0; run < runs; run++)
            {
                recorder.recordFromDrain(1_000 + run % 7);
                recorder.recordFromDrain(2_000);
                recorder.recordFromDrain(3_000);
                recorder.endDrainRun();
            }
        });
        long last = 0;
        int reads = 0;
        while (drain.isAlive())
        {
            final long count = recorder.statistics(Duration.ofSeconds(1)).count();
            assertEquals(0, count % 3, "a read saw part of a run: " + count);
            assertTrue(count >= last, "a read went back: " + count + " after " + last);
            last = count;
            reads++;
        }
        drain.join();
        assertEquals(3L * runs, recorder.statistics(Duration.ofSeconds(1)).count(), "every run once, after " + reads + " reads");
    }

    @Test
    void drainRecordingsAllocateNothing()
    {
        final LatencyRecorder recorder = LatencyRecorder.create();
        final long bytes = AllocationMeter.steadyStateBytes(() -> {
            for (int i = 0; i < 100_000; i++)
            {
                recorder.recordFromDrain(i);
                if (i % 64 == 63)
                {
                    recorder.endDrainRun();
                }
            }
        });
        assertEquals(0, bytes, "bytes allocated by 100,000 recordings in runs of 64");
    }

    @Test
    void recordingAndHarvestingAllocateNothing()
    {
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(8).latencyRingCapacity(16).build();
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment attachment = attachNative(channel, arena);
            final LatencyRecorder recorder = channel.latencyRecorder();
            final long bytes = AllocationMeter.steadyStateBytes(() -> {
                for (int i = 0; i < 100_000; i++)
                {
                    recorder.record(i);
                    if (i % 100 == 0)
                    {
                        baton_h.baton_record_latency(attachment, i);
                        recorder.harvest();
                    }
                }
            });
            assertEquals(0, bytes, "bytes allocated by 100,000 recordings and 1,000 harvests");
            assertEquals(0, baton_h.baton_detach(attachment));
        }
    }

    /** @return libbaton's attachment to the channel's memory, as a native handler has; detach it after. */
    private static MemorySegment attachNative(final DispatchChannel channel, final Arena arena)
    {
        final MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
        assertEquals(0, baton_h.baton_attach(channel.memory(), channel.memory().byteSize(), out));
        return out.get(ValueLayout.ADDRESS, 0);
    }
}
