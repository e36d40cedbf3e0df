package dev.baton.bench;

import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.jctools.maps.NonBlockingHashMap;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpmcArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Location 1 in the engine's own pattern: one dispatcher thread inserts pending events, and N
 * handler threads each remove the ones they complete. (PendingEventsBenchmark has every thread
 * insert and remove.) The dispatcher hands each event to the handlers through a JCTools
 * SpmcArrayQueue of preallocated tokens, which come back through an MpscArrayQueue; that hand-off
 * is the same for every candidate and allocates nothing, so the candidates differ only in the map.
 * Throughput counts completed events ({@code completed}, per microsecond). Run it with
 * {@code -tg N,1} for N handler threads and the one dispatcher: JMH orders a group's methods by name,
 * {@code complete} before {@code dispatch}, and the dispatcher must stay alone (the hand-off queue
 * has a single producer).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EnginePatternBenchmark
{
    private static final int IN_FLIGHT = 256;

    @Param({"rwLockHashMap", "concurrentHashMap", "nonBlockingHashMap", "batonSlab"})
    public String candidate;

    /** An event handed from the dispatcher to a handler: its id and, for the slab, its handle. */
    static final class Token
    {
        UUID id;
        long handle;
    }

    private Map<UUID, PendingEventsBenchmark.PendingEvent> map;
    private ReentrantReadWriteLock lock;
    private Arena arena;
    private BenchAccess.SlabStore slab;
    private SpmcArrayQueue<Token> dispatched;
    private MpscArrayQueue<Token> returned;
    private UUID[] ids;
    private int nextId;

    @Setup(Level.Trial)
    public void setUp()
    {
        switch (candidate)
        {
            case "rwLockHashMap" ->
            {
                map = new HashMap<>();
                lock = new ReentrantReadWriteLock();
            }
            case "concurrentHashMap" -> map = new ConcurrentHashMap<>();
            case "nonBlockingHashMap" -> map = new NonBlockingHashMap<>();
            case "batonSlab" ->
            {
                arena = Arena.ofShared();
                slab = new BenchAccess.SlabStore(1024, arena);
            }
            default -> throw new IllegalArgumentException(candidate);
        }
        dispatched = new SpmcArrayQueue<>(IN_FLIGHT);
        returned = new MpscArrayQueue<>(IN_FLIGHT);
        for (int i = 0; i < IN_FLIGHT; i++)
        {
            returned.offer(new Token());
        }
        ids = new UUID[4096];
        for (int i = 0; i < ids.length; i++)
        {
            ids[i] = new UUID(0xE1, i);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (arena != null)
        {
            arena.close();
        }
    }

    /** Successful operations of one thread, reported per microsecond by JMH. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counts
    {
        public long dispatched;
        public long completed;

        @Setup(Level.Iteration)
        public void clear()
        {
            dispatched = 0;
            completed = 0;
        }
    }

    @Benchmark
    @Group("oneDispatcher")
    public void dispatch(final Counts counts)
    {
        final Token token = returned.relaxedPoll();
        if (token == null)
        {
            return; // every token in flight: the handlers are behind
        }
        final UUID id = ids[nextId++ & (ids.length - 1)];
        final long now = System.nanoTime();
        token.id = id;
        switch (candidate)
        {
            case "rwLockHashMap" ->
            {
                lock.writeLock().lock();
                try
                {
                    map.put(id, new PendingEventsBenchmark.PendingEvent(id, now));
                }
                finally
                {
                    lock.writeLock().unlock();
                }
            }
            case "batonSlab" -> token.handle = slab.insert(id.getMostSignificantBits(), id.getLeastSignificantBits(), now);
            default -> map.put(id, new PendingEventsBenchmark.PendingEvent(id, now));
        }
        dispatched.offer(token); // never full: it holds every token
        counts.dispatched++;
    }

    @Benchmark
    @Group("oneDispatcher")
    public boolean complete(final Counts counts)
    {
        final Token token = dispatched.relaxedPoll();
        if (token == null)
        {
            return false;
        }
        final boolean removed = switch (candidate)
        {
            case "rwLockHashMap" ->
            {
                lock.writeLock().lock();
                try
                {
                    yield map.remove(token.id) != null;
                }
                finally
                {
                    lock.writeLock().unlock();
                }
            }
            case "batonSlab" -> slab.remove(token.handle);
            default -> map.remove(token.id) != null;
        };
        returned.offer(token);
        counts.completed++;
        return removed;
    }
}
