package dev.baton.state;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * State machines keyed by UUID, for read-heavy point lookups. A miss loads the machine once, without
 * holding anything that stalls other lookups meanwhile, and a machine that reaches a terminal state
 * is evicted.
 *
 * <ul>
 *   <li>{@link #get} and a hit of {@link #getOrLoad}: one {@link ConcurrentHashMap} lookup, lock-free
 *       and allocation-free.</li>
 *   <li>A miss runs the loader outside any lock; concurrent misses of the same key share that one
 *       load (single flight) and a slow load blocks no other key. A failed load is reported to
 *       every waiter and not cached: the next miss loads again.</li>
 *   <li>{@link #transition} is a CAS from the state the caller expects, checked against a
 *       {@link TransitionTable}.</li>
 *   <li>A machine that reaches a terminal state is evicted once the grace period has passed (swept
 *       by later operations; no thread of its own), so the size stays bounded under a steady
 *       stream of tasks.</li>
 * </ul>
 *
 * @param <S> the states.
 */
public final class StateRegistry<S extends Enum<S>>
{
    private record Eviction<S>(UUID key, AtomicReference<S> entry, long dueNanos)
    {
    }

    private final TransitionTable<S> table;
    private final long graceNanos;
    private final LongSupplier clock;
    private final ConcurrentHashMap<UUID, AtomicReference<S>> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, CompletableFuture<AtomicReference<S>>> loading = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Eviction<S>> evictions = new ConcurrentLinkedQueue<>();
    private final AtomicLong loads = new AtomicLong();
    private final AtomicLong lostTransitionRaces = new AtomicLong();

    /**
     * @param table      the allowed transitions and terminal states.
     * @param evictAfter how long a machine in a terminal state stays visible; zero evicts at once.
     */
    public StateRegistry(final TransitionTable<S> table, final Duration evictAfter)
    {
        this(table, evictAfter, System::nanoTime);
    }

    StateRegistry(final TransitionTable<S> table, final Duration evictAfter, final LongSupplier clock)
    {
        if (evictAfter.isNegative())
        {
            throw new IllegalArgumentException("evictAfter must not be negative: " + evictAfter);
        }
        this.table = Objects.requireNonNull(table, "table");
        this.graceNanos = evictAfter.toNanos();
        this.clock = clock;
    }

    /**
     * Looks a machine up without loading it. Lock-free, allocation-free.
     *
     * @param key the machine's id.
     * @return its state, or null when the registry does not hold it.
     */
    public S get(final UUID key)
    {
        final AtomicReference<S> entry = entries.get(key);
        return entry == null ? null : entry.get();
    }

    /**
     * Looks a machine up, loading it on a miss. A hit is lock-free and allocation-free. A miss waits
     * only for the load of this key, which concurrent misses share.
     *
     * @param key    the machine's id.
     * @param loader loads its state on a miss.
     * @return its state.
     * @throws StateLoadException when the load failed (for every caller that waited on it).
     */
    public S getOrLoad(final UUID key, final StateLoader<S> loader)
    {
        final AtomicReference<S> cached = entries.get(key);
        if (cached != null)
        {
            return cached.get();
        }
        final CompletableFuture<AtomicReference<S>> mine = new CompletableFuture<>();
        final CompletableFuture<AtomicReference<S>> inFlight = loading.putIfAbsent(key, mine);
        if (inFlight != null)
        {
            try
            {
                return inFlight.join().get();
            }
            catch (final CompletionException ex)
            {
                throw new StateLoadException(key, ex.getCause());
            }
        }
        try
        {
            // A load that finished between our miss and our putIfAbsent has left its entry behind.
            AtomicReference<S> entry = entries.get(key);
            if (entry == null)
            {
                final S initial = Objects.requireNonNull(loader.load(key), "the loader returned null");
                loads.incrementAndGet();
                entry = new AtomicReference<>(initial);
                final AtomicReference<S> raced = entries.putIfAbsent(key, entry);
                if (raced != null)
                {
                    entry = raced;
                }
                else if (table.isTerminal(initial))
                {
                    scheduleEviction(key, entry);
                }
            }
            mine.complete(entry);
            return entry.get();
        }
        catch (final Exception ex)
        {
            mine.completeExceptionally(ex); // every waiter of this load gets the failure
            throw new StateLoadException(key, ex);
        }
        catch (final Error error)
        {
            mine.completeExceptionally(error);
            throw error;
        }
        finally
        {
            loading.remove(key, mine);
            sweep();
        }
    }

    /**
     * Moves a machine from the state the caller expects to another, by CAS. Lock-free.
     *
     * @param key  the machine's id.
     * @param from the state the caller expects it in.
     * @param to   the state to move it to.
     * @return true if this call moved it; false if the registry does not hold it or it is no longer
     * in {@code from} (another thread moved it first).
     * @throws IllegalTransitionException naming both states when the table does not allow it.
     */
    public boolean transition(final UUID key, final S from, final S to)
    {
        if (!table.allows(from, to))
        {
            throw new IllegalTransitionException(key, from, to);
        }
        final AtomicReference<S> entry = entries.get(key);
        if (entry == null)
        {
            return false;
        }
        if (!entry.compareAndSet(from, to))
        {
            lostTransitionRaces.incrementAndGet();
            return false;
        }
        if (table.isTerminal(to))
        {
            scheduleEviction(key, entry);
        }
        sweep();
        return true;
    }

    /** @return machines held, including terminal ones still in their grace period. */
    public int size()
    {
        return entries.size();
    }

    /** @return loads run since creation: one per key per wave of concurrent misses. */
    public long loadCount()
    {
        return loads.get();
    }

    /**
     * @return transitions refused because the machine was no longer in the expected state: how often
     * two threads touched one machine at once.
     */
    public long lostTransitionRaces()
    {
        return lostTransitionRaces.get();
    }

    private void scheduleEviction(final UUID key, final AtomicReference<S> entry)
    {
        if (graceNanos == 0)
        {
            entries.remove(key, entry);
        }
        else
        {
            evictions.add(new Eviction<>(key, entry, clock.getAsLong() + graceNanos));
        }
    }

    /** Evicts the machines whose grace period has passed; the queue is in due order. */
    private void sweep()
    {
        final long now = clock.getAsLong();
        for (Eviction<S> due = evictions.peek(); due != null && now - due.dueNanos() >= 0; due = evictions.peek())
        {
            if (evictions.remove(due))
            {
                entries.remove(due.key(), due.entry());
            }
        }
    }
}
