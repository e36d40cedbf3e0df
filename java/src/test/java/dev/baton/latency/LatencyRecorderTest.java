package dev.baton.latency;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.ffi.baton_h;
import dev.baton.testing.AllocationMeter;
import dev.baton.testing.TestThreads;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LatencyRecorderTest
{
    @Test
    void theRingKeepsTheNewestValuesAcrossWrapAround()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final LatencyRecorder recorder = LatencyRecorder.allocate(8, arena);
            for (long value = 1; value <= 20; value++)
            {
                recorder.record(value * 1000);
            }
            final long[] last = new long[16];
            assertEquals(8, recorder.lastValues(last), "the ring holds its capacity");
            assertArrayEquals(new long[] {13_000, 14_000, 15_000, 16_000, 17_000, 18_000, 19_000, 20_000},
                Arrays.copyOf(last, 8), "the newest eight, oldest first");
            final long[] three = new long[3];
            assertEquals(3, recorder.lastValues(three));
            assertArrayEquals(new long[] {18_000, 19_000, 20_000}, three);
        }
    }

    @Test
    void statisticsCoverTheWholeRunAndTheSeedsTwoAnswers()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final LatencyRecorder recorder = LatencyRecorder.allocate(1024, arena);
            for (long millis = 1; millis <= 100; millis++)
            {
                recorder.record(Duration.ofMillis(millis).toNanos());
            }
            final LatencyStatistics statistics = recorder.statistics(Duration.ofSeconds(60));
            assertEquals(100, statistics.count());
            assertEquals(50.5, statistics.averageLatencyMillis(), 0.1, "the engine's average_latency_ms");
            assertEquals(50, statistics.p50Nanos() / 1_000_000);
            assertEquals(95, statistics.p95Nanos() / 1_000_000);
            assertEquals(99, statistics.p99Nanos() / 1_000_000);
            assertEquals(100, statistics.maxNanos() / 1_000_000);
            // 100 recordings, all inside a 60 s window the ring fully covers: 100 / 60 per second
            assertEquals(100 / 60.0, statistics.processingRate(), 1e-9, "the engine's processing_rate");
            assertEquals(0, statistics.nativeRecorded());
        }
    }

    @Test
    void outOfRangeValuesAreClampedAndBadCapacitiesRefused()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final LatencyRecorder recorder = LatencyRecorder.allocate(4, arena);
            recorder.record(-5);
            recorder.record(Long.MAX_VALUE);
            final long[] last = new long[2];
            recorder.lastValues(last);
            assertArrayEquals(new long[] {0, LatencyRecorder.MAX_TRACKABLE_NANOS}, last);
            assertEquals(LatencyRecorder.MAX_TRACKABLE_NANOS, recorder.statistics(Duration.ofSeconds(1)).maxNanos(),
                1.0 * LatencyRecorder.MAX_TRACKABLE_NANOS / 1000);
            assertThrows(IllegalArgumentException.class, () -> LatencyRecorder.allocate(3, arena));
            assertThrows(IllegalArgumentException.class, () -> LatencyRecorder.allocate(1, arena));
        }
    }

    @Test
    void javaAndNativeWritersRecordIntoOneRecorder() throws InterruptedException
    {
        final int perThread = 20_000;
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(8).latencyRingCapacity(1 << 17).build();
            Arena arena = Arena.ofShared())
        {
            final MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            assertEquals(0, baton_h.baton_attach(channel.memory(), channel.memory().byteSize(), out));
            final MemorySegment attachment = out.get(ValueLayout.ADDRESS, 0);
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
            final long[] last = new long[4 * perThread];
            assertEquals(4 * perThread, recorder.lastValues(last), "every entry readable once writers finished");
            assertEquals(2 * perThread, Arrays.stream(last).filter(value -> value == 2_000_000).count());
            assertEquals(0, baton_h.baton_detach(attachment));
        }
    }

    @Test
    void nativeRecordingsOverwrittenBeforeAHarvestAreCountedAsMissing()
    {
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(8).latencyRingCapacity(16).build();
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            assertEquals(0, baton_h.baton_attach(channel.memory(), channel.memory().byteSize(), out));
            final MemorySegment attachment = out.get(ValueLayout.ADDRESS, 0);
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
    void recordingAndReadingTheLastValuesAllocateNothing()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final LatencyRecorder recorder = LatencyRecorder.allocate(1024, arena);
            final long[] last = new long[64];
            final long[] read = {0};
            final long bytes = AllocationMeter.steadyStateBytes(() -> {
                for (int i = 0; i < 100_000; i++)
                {
                    recorder.record(i);
                    if (i % 100 == 0)
                    {
                        read[0] += recorder.lastValues(last);
                    }
                }
            });
            assertEquals(0, bytes, "bytes allocated by 100,000 recordings and 1,000 reads");
            // six rounds of 1,000 reads of 64 values, except the very first read, which found one
            assertEquals(6L * 1000 * 64 - 63, read[0]);
        }
    }
}
