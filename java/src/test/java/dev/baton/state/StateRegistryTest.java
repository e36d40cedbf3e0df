package dev.baton.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.baton.testing.AllocationMeter;
import dev.baton.testing.TestThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateRegistryTest
{
    enum Step
    {
        CREATED, RUNNING, WAITING, DONE, FAILED
    }

    private static final TransitionTable<Step> TABLE = TransitionTable.builder(Step.class)
        .allow(Step.CREATED, Step.RUNNING, Step.FAILED)
        .allow(Step.RUNNING, Step.WAITING, Step.DONE, Step.FAILED)
        .allow(Step.WAITING, Step.RUNNING, Step.FAILED)
        .terminal(Step.DONE, Step.FAILED)
        .build();

    private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    private final StateRegistry<Step> registry = new StateRegistry<>(TABLE, Duration.ZERO);

    @Test
    void aMissLoadsOnceAndLaterLookupsHit()
    {
        assertNull(registry.get(A));
        assertEquals(Step.RUNNING, registry.getOrLoad(A, key -> Step.RUNNING));
        assertEquals(Step.RUNNING, registry.getOrLoad(A, key -> { throw new AssertionError("loaded twice"); }));
        assertEquals(Step.RUNNING, registry.get(A));
        assertEquals(1, registry.loadCount());
        assertEquals(1, registry.size());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a deadlock guard, not a measurement
    void aBlockedLoadOfOneKeyNeitherBlocksLookupsNorLoadsOfAnother() throws InterruptedException
    {
        registry.getOrLoad(B, key -> Step.WAITING);
        final CountDownLatch loadingA = new CountDownLatch(1);
        final CountDownLatch releaseA = new CountDownLatch(1);
        final AtomicReference<Step> loadedA = new AtomicReference<>();
        final Thread slow = Thread.ofPlatform().start(() -> loadedA.set(registry.getOrLoad(A, key -> {
            loadingA.countDown();
            releaseA.await(); // the slow load, held until this thread says so
            return Step.CREATED;
        })));
        loadingA.await();

        // While A's load is stuck, B is read and another key is loaded on this thread.
        assertEquals(Step.WAITING, registry.get(B));
        assertEquals(Step.WAITING, registry.getOrLoad(B, key -> { throw new AssertionError("B is cached"); }));
        final UUID c = UUID.randomUUID();
        assertEquals(Step.RUNNING, registry.getOrLoad(c, key -> Step.RUNNING));
        assertTrue(registry.transition(c, Step.RUNNING, Step.WAITING));
        assertNull(registry.get(A), "A is not visible until its load finishes");

        releaseA.countDown();
        slow.join();
        assertEquals(Step.CREATED, loadedA.get());
        assertEquals(3, registry.loadCount());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentMissesOfOneKeyShareOneLoad() throws InterruptedException
    {
        final int waiters = 8;
        final CountDownLatch loading = new CountDownLatch(1);
        final CountDownLatch arrived = new CountDownLatch(waiters);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger loaderCalls = new AtomicInteger();
        final StateLoader<Step> slowLoader = key -> {
            loaderCalls.incrementAndGet();
            loading.countDown();
            release.await();
            return Step.RUNNING;
        };
        final List<Thread> threads = new ArrayList<>();
        final AtomicIntegerArray results = new AtomicIntegerArray(waiters + 1);
        threads.add(Thread.ofPlatform().start(() -> results.set(0, registry.getOrLoad(A, slowLoader).ordinal())));
        loading.await();
        for (int i = 1; i <= waiters; i++)
        {
            final int slot = i;
            threads.add(Thread.ofPlatform().start(() -> {
                arrived.countDown();
                results.set(slot, registry.getOrLoad(A, slowLoader).ordinal());
            }));
        }
        arrived.await();
        release.countDown();
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(1, loaderCalls.get(), "one load for the whole wave of misses");
        assertEquals(1, registry.loadCount());
        for (int i = 0; i <= waiters; i++)
        {
            assertEquals(Step.RUNNING.ordinal(), results.get(i));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFailedLoadReachesEveryWaiterAndIsNotCached() throws InterruptedException
    {
        final CountDownLatch loading = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final IllegalStateException failure = new IllegalStateException("database unavailable");
        final StateLoader<Step> failing = key -> {
            loading.countDown();
            release.await();
            throw failure;
        };
        final AtomicReference<Throwable> first = new AtomicReference<>();
        final AtomicReference<Throwable> second = new AtomicReference<>();
        final Thread loader = Thread.ofPlatform().start(() -> first.set(
            assertThrows(StateLoadException.class, () -> registry.getOrLoad(A, failing))));
        loading.await();
        final CountDownLatch waiting = new CountDownLatch(1);
        final Thread waiter = Thread.ofPlatform().start(() -> {
            waiting.countDown();
            second.set(assertThrows(StateLoadException.class, () -> registry.getOrLoad(A, failing)));
        });
        waiting.await();
        release.countDown();
        loader.join();
        waiter.join();
        assertSame(failure, first.get().getCause());
        assertSame(failure, second.get().getCause(), "the waiter got the loader's failure");
        assertTrue(first.get().getMessage().contains(A.toString()));

        assertNull(registry.get(A), "a failure is not cached");
        assertEquals(Step.CREATED, registry.getOrLoad(A, key -> Step.CREATED), "the next miss loads again");
        assertEquals(1, registry.loadCount(), "only the successful load counts");
    }

    @Test
    void anIllegalTransitionNamesBothStates()
    {
        registry.getOrLoad(A, key -> Step.RUNNING);
        final IllegalTransitionException illegal = assertThrows(IllegalTransitionException.class,
            () -> registry.transition(A, Step.RUNNING, Step.CREATED));
        assertEquals("illegal transition of " + A + ": RUNNING -> CREATED", illegal.getMessage());
        assertEquals(Step.RUNNING, registry.get(A), "nothing changed");
        assertFalse(registry.transition(A, Step.WAITING, Step.RUNNING), "allowed, but A is not WAITING");
        assertFalse(registry.transition(B, Step.CREATED, Step.RUNNING), "B is not held");
        assertThrows(IllegalArgumentException.class,
            () -> TransitionTable.builder(Step.class).allow(Step.DONE, Step.RUNNING).terminal(Step.DONE).build());
    }

    @Test
    void concurrentTransitionsOfTheSameMachinesHappenExactlyOnceEach() throws InterruptedException
    {
        final int machines = 2_000;
        final int threads = 4;
        final UUID[] keys = new UUID[machines];
        for (int i = 0; i < machines; i++)
        {
            keys[i] = UUID.randomUUID();
            registry.getOrLoad(keys[i], key -> Step.CREATED);
        }
        // Every thread tries every step of every machine; each step may succeed for one thread only.
        // All threads finish a step before any starts the next, so each step of each machine is
        // attempted by every thread while the machine is still held.
        final AtomicIntegerArray wins = new AtomicIntegerArray(machines * 3);
        final Step[][] steps = {{Step.CREATED, Step.RUNNING}, {Step.RUNNING, Step.WAITING}, {Step.WAITING, Step.FAILED}};
        final CyclicBarrier stepStart = new CyclicBarrier(threads);
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            workers.add(Thread.ofPlatform().start(() -> {
                for (int step = 0; step < steps.length; step++)
                {
                    TestThreads.awaitAll(stepStart);
                    for (int m = 0; m < machines; m++)
                    {
                        if (registry.transition(keys[m], steps[step][0], steps[step][1]))
                        {
                            wins.incrementAndGet(m * 3 + step);
                        }
                    }
                }
            }));
        }
        for (final Thread worker : workers)
        {
            worker.join();
        }
        for (int i = 0; i < machines * 3; i++)
        {
            assertEquals(1, wins.get(i), "step " + i % 3 + " of machine " + i / 3 + " happened exactly once");
        }
        assertEquals(0, registry.size(), "every machine reached FAILED, a terminal state, and was evicted");
        // An attempt that finds the machine in another state is a lost race; one that finds it already
        // evicted is not counted. The first two steps leave the machine held, so each of their
        // threads - 1 losing attempts is counted; the last step's losers may find it evicted.
        final long losersPerStep = (long)machines * (threads - 1);
        assertTrue(registry.lostTransitionRaces() >= 2 * losersPerStep, "every losing attempt on a held machine is counted");
        assertTrue(registry.lostTransitionRaces() <= 3 * losersPerStep, "no attempt is counted twice");
    }

    @Test
    void terminalMachinesAreEvictedAfterTheGracePeriodSoTheSizeStaysBounded()
    {
        final AtomicLong now = new AtomicLong();
        final StateRegistry<Step> graced = new StateRegistry<>(TABLE, Duration.ofSeconds(5), now::get);
        graced.getOrLoad(A, key -> Step.RUNNING);
        assertTrue(graced.transition(A, Step.RUNNING, Step.DONE));
        assertEquals(Step.DONE, graced.get(A), "visible during its grace period");
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        graced.getOrLoad(B, key -> Step.RUNNING); // any later operation sweeps
        assertNull(graced.get(A), "evicted once the grace period passed");

        // A steady stream: each task is loaded, runs and finishes, a second apart.
        int largest = 0;
        for (int task = 0; task < 10_000; task++)
        {
            final UUID key = UUID.randomUUID();
            graced.getOrLoad(key, k -> Step.CREATED);
            graced.transition(key, Step.CREATED, Step.RUNNING);
            graced.transition(key, Step.RUNNING, Step.DONE);
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            largest = Math.max(largest, graced.size());
        }
        assertTrue(largest <= 7, "at most the last five seconds of tasks, plus B: " + largest);
    }

    @Test
    void lookupHitsAllocateNothing()
    {
        final UUID[] keys = new UUID[64];
        for (int i = 0; i < keys.length; i++)
        {
            keys[i] = UUID.randomUUID();
            registry.getOrLoad(keys[i], key -> Step.RUNNING);
        }
        final StateLoader<Step> never = key -> { throw new AssertionError("a hit must not load"); };
        final long[] running = {0};
        final long bytes = AllocationMeter.steadyStateBytes(() -> {
            for (int i = 0; i < 100_000; i++)
            {
                running[0] += registry.getOrLoad(keys[i & 63], never) == Step.RUNNING ? 1 : 0;
                running[0] += registry.get(keys[i & 63]) == Step.RUNNING ? 1 : 0;
            }
        });
        assertEquals(0, bytes, "bytes allocated by 200,000 lookup hits");
        assertEquals((long)AllocationMeter.RUNS * 200_000, running[0], "every round looked each key up");
    }
}
