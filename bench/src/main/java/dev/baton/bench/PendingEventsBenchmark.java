package dev.baton.bench;

import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.jctools.maps.NonBlockingHashMap;
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
 * Location 1, pending FFI events: one operation inserts a pending event on dispatch and removes it
 * on completion, as the engine's worker does for every event. The candidates:
 * <ul>
 *   <li>{@code synchronizedHashMap}: a HashMap under one monitor;</li>
 *   <li>{@code rwLockHashMap}: the engine's "before", RwLock&lt;HashMap&lt;Uuid, PendingEvent&gt;&gt;;</li>
 *   <li>{@code concurrentHashMap}: the sharded map upstream chose;</li>
 *   <li>{@code nonBlockingHashMap}: JCTools' lock-free map;</li>
 *   <li>{@code batonSlab}: Baton's slab, keyed by the handle it returns;</li>
 *   <li>{@code batonSlabUuidIndex}: the slab plus a UUID index, for callers that complete by UUID.</li>
 * </ul>
 * The maps allocate a PendingEvent per insert (the engine's value type); the slab writes into its slot.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PendingEventsBenchmark
{
    /** The engine's value: the event's id and when it was dispatched. */
    record PendingEvent(UUID eventId, long dispatchedAtNanos)
    {
    }

    @Param({"synchronizedHashMap", "rwLockHashMap", "concurrentHashMap", "nonBlockingHashMap", "batonSlab",
        "batonSlabUuidIndex"})
    public String candidate;

    private Map<UUID, PendingEvent> map;
    private ReentrantReadWriteLock lock;
    private Arena arena;
    private BenchAccess.SlabStore slab;
    private ConcurrentHashMap<UUID, Long> uuidIndex;

    @Setup(Level.Trial)
    public void setUp()
    {
        switch (candidate)
        {
            case "synchronizedHashMap" -> map = new HashMap<>();
            case "rwLockHashMap" ->
            {
                map = new HashMap<>();
                lock = new ReentrantReadWriteLock();
            }
            case "concurrentHashMap" -> map = new ConcurrentHashMap<>();
            case "nonBlockingHashMap" -> map = new NonBlockingHashMap<>();
            case "batonSlab", "batonSlabUuidIndex" ->
            {
                arena = Arena.ofShared();
                slab = new BenchAccess.SlabStore(1024, arena);
                uuidIndex = candidate.equals("batonSlabUuidIndex") ? new ConcurrentHashMap<>() : null;
            }
            default -> throw new IllegalArgumentException(candidate);
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

    /** Per thread: a cycle of distinct event ids, made without SecureRandom. */
    @State(Scope.Thread)
    public static class Ids
    {
        private UUID[] pool;
        private int next;

        @Setup(Level.Trial)
        public void setUp()
        {
            final long thread = Thread.currentThread().threadId();
            pool = new UUID[4096];
            for (int i = 0; i < pool.length; i++)
            {
                pool[i] = new UUID(thread, i);
            }
        }

        UUID next()
        {
            return pool[next++ & (pool.length - 1)];
        }
    }

    @Benchmark
    public boolean insertAndRemove(final Ids ids)
    {
        final UUID id = ids.next();
        final long now = System.nanoTime();
        switch (candidate)
        {
            case "synchronizedHashMap":
                synchronized (map)
                {
                    map.put(id, new PendingEvent(id, now));
                }
                synchronized (map)
                {
                    return map.remove(id) != null;
                }
            case "rwLockHashMap":
                lock.writeLock().lock();
                try
                {
                    map.put(id, new PendingEvent(id, now));
                }
                finally
                {
                    lock.writeLock().unlock();
                }
                lock.writeLock().lock();
                try
                {
                    return map.remove(id) != null;
                }
                finally
                {
                    lock.writeLock().unlock();
                }
            case "concurrentHashMap", "nonBlockingHashMap":
                map.put(id, new PendingEvent(id, now));
                return map.remove(id) != null;
            case "batonSlabUuidIndex":
            {
                final long handle = slab.insert(id.getMostSignificantBits(), id.getLeastSignificantBits(), now);
                uuidIndex.put(id, handle);
                final Long found = uuidIndex.remove(id);
                return found != null && slab.remove(found);
            }
            default:
            {
                final long handle = slab.insert(id.getMostSignificantBits(), id.getLeastSignificantBits(), now);
                return slab.remove(handle);
            }
        }
    }
}
