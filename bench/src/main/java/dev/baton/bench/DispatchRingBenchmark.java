package dev.baton.bench;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import org.jctools.queues.MpmcArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The dispatch ring alone: producers offer handles, consumers poll them, 1P1C and 2P2C. Throughput
 * counts only the polls that returned an element ({@code polled}), as JCTools' own queue
 * benchmarks do. Candidates: Baton's off-heap MPMC ring, JCTools' MpmcArrayQueue, and the LMAX
 * Disruptor (1P1C only: its pollers broadcast, they do not share work).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DispatchRingBenchmark
{
    private static final int CAPACITY = 1024;
    private static final Long ELEMENT = 42L;

    @Param({"batonRing", "jctoolsMpmc", "disruptor"})
    public String candidate;

    private Arena arena;
    private BenchAccess.RingQueue baton;
    private MpmcArrayQueue<Long> jctools;
    private RingBuffer<long[]> disruptor;
    private EventPoller<long[]> disruptorPoller;

    @Setup(Level.Iteration)
    public void setUp()
    {
        switch (candidate)
        {
            case "batonRing" ->
            {
                arena = Arena.ofShared();
                baton = new BenchAccess.RingQueue(CAPACITY, arena);
            }
            case "jctoolsMpmc" -> jctools = new MpmcArrayQueue<>(CAPACITY);
            case "disruptor" ->
            {
                disruptor = RingBuffer.createSingleProducer(() -> new long[1], CAPACITY);
                disruptorPoller = disruptor.newPoller();
                disruptor.addGatingSequences(disruptorPoller.getSequence());
            }
            default -> throw new IllegalArgumentException(candidate);
        }
    }

    @TearDown(Level.Iteration)
    public void tearDown()
    {
        if (arena != null)
        {
            arena.close();
            arena = null;
        }
    }

    /** Successful operations of one thread, reported per second by JMH. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counts
    {
        public long offered;
        public long polled;

        @Setup(Level.Iteration)
        public void clear()
        {
            offered = 0;
            polled = 0;
        }
    }

    private boolean offer()
    {
        switch (candidate)
        {
            case "batonRing":
                return baton.offer(1);
            case "jctoolsMpmc":
                return jctools.offer(ELEMENT);
            default:
                try
                {
                    final long sequence = disruptor.tryNext();
                    disruptor.get(sequence)[0] = 1;
                    disruptor.publish(sequence);
                    return true;
                }
                catch (final InsufficientCapacityException full)
                {
                    return false;
                }
        }
    }

    private boolean poll() throws Exception
    {
        switch (candidate)
        {
            case "batonRing":
                return baton.poll() != 0;
            case "jctoolsMpmc":
                return jctools.poll() != null;
            default:
                final boolean[] got = {false};
                disruptorPoller.poll((event, sequence, endOfBatch) -> {
                    got[0] = true;
                    return false; // one event per call, as the others
                });
                return got[0];
        }
    }

    @Benchmark
    @Group("oneToOne")
    @GroupThreads(1)
    public void offerOne(final Counts counts)
    {
        if (offer())
        {
            counts.offered++;
        }
    }

    @Benchmark
    @Group("oneToOne")
    @GroupThreads(1)
    public void pollOne(final Counts counts) throws Exception
    {
        if (poll())
        {
            counts.polled++;
        }
    }

    @Benchmark
    @Group("twoToTwo")
    @GroupThreads(2)
    public void offerTwo(final Counts counts)
    {
        if (!candidate.equals("disruptor") && offer())
        {
            counts.offered++;
        }
    }

    @Benchmark
    @Group("twoToTwo")
    @GroupThreads(2)
    public void pollTwo(final Counts counts) throws Exception
    {
        if (!candidate.equals("disruptor") && poll())
        {
            counts.polled++;
        }
    }
}
