package dev.baton.bench;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.baton.latency.LatencyRecorder;
import org.HdrHistogram.Recorder;
import org.jctools.queues.MpscArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Location 3, the latency buffer: one operation records one latency from a worker thread.
 * <ul>
 *   <li>{@code lockedDequeDrainHalf}: the engine's "before", a locked buffer keeping the last 1000 and
 *       dropping the oldest 500 when full;</li>
 *   <li>{@code jctoolsMpscQueue}: JCTools' MpscArrayQueue, emptied by one reader thread;</li>
 *   <li>{@code hdrRecorder}: HdrHistogram's Recorder alone;</li>
 *   <li>{@code batonRecorder}: Baton's LatencyRecorder (HdrHistogram Recorders striped by thread).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LatencyBufferBenchmark
{
    private static final int KEEP = 1000;

    @Param({"lockedDequeDrainHalf", "jctoolsMpscQueue", "hdrRecorder", "batonRecorder"})
    public String candidate;

    private ArrayDeque<Long> deque;
    private MpscArrayQueue<Long> queue;
    private Recorder recorder;
    private LatencyRecorder baton;
    private Thread reader;
    private final AtomicBoolean reading = new AtomicBoolean();

    @Setup(Level.Trial)
    public void setUp()
    {
        switch (candidate)
        {
            case "lockedDequeDrainHalf" -> deque = new ArrayDeque<>(KEEP);
            case "jctoolsMpscQueue" ->
            {
                queue = new MpscArrayQueue<>(1024);
                reading.set(true);
                reader = Thread.ofPlatform().daemon().start(() -> {
                    while (reading.get())
                    {
                        if (queue.relaxedPoll() == null)
                        {
                            Thread.onSpinWait();
                        }
                    }
                });
            }
            case "hdrRecorder" -> recorder = new Recorder(1, LatencyRecorder.MAX_TRACKABLE_NANOS, 3);
            case "batonRecorder" -> baton = LatencyRecorder.create();
            default -> throw new IllegalArgumentException(candidate);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        reading.set(false);
        if (reader != null)
        {
            reader.join();
        }
    }

    /** Per thread: the next latency to record, varied so that the histogram is not trivially hot. */
    @State(Scope.Thread)
    public static class Values
    {
        private long next = 1_000;

        long next()
        {
            next = next * 6364136223846793005L + 1442695040888963407L;
            return 1_000 + ((next >>> 40) & 0xFFFFF);
        }
    }

    @Benchmark
    public void record(final Values values)
    {
        final long value = values.next();
        switch (candidate)
        {
            case "lockedDequeDrainHalf" ->
            {
                synchronized (deque)
                {
                    deque.addLast(value);
                    if (deque.size() > KEEP)
                    {
                        for (int i = 0; i < KEEP / 2; i++)
                        {
                            deque.pollFirst();
                        }
                    }
                }
            }
            case "jctoolsMpscQueue" ->
            {
                while (!queue.offer(value))
                {
                    Thread.onSpinWait();
                }
            }
            case "hdrRecorder" -> recorder.recordValue(value);
            default -> baton.record(value);
        }
    }
}
