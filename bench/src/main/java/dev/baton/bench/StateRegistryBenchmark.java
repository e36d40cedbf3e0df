package dev.baton.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.baton.state.StateRegistry;
import dev.baton.state.TransitionTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Location 2, state machines: 95% of operations look up a machine the registry holds; 5% miss and
 * load one, which takes {@value #LOAD_NANOS} ns (a database read).
 * <ul>
 *   <li>{@code lockAcrossLoad}: the engine's "before", one lock held across the slow load;</li>
 *   <li>{@code concurrentHashMapComputeIfAbsent}: computeIfAbsent, which holds a bin lock across it;</li>
 *   <li>{@code batonStateRegistry}: Baton's StateRegistry (single-flight load outside any lock).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StateRegistryBenchmark
{
    enum TaskState
    {
        RUNNING, DONE
    }

    private static final long LOAD_NANOS = 20_000;
    private static final int HELD = 10_000;
    private static final TransitionTable<TaskState> TABLE = TransitionTable.builder(TaskState.class)
        .allow(TaskState.RUNNING, TaskState.DONE).terminal(TaskState.DONE).build();

    @Param({"lockAcrossLoad", "concurrentHashMapComputeIfAbsent", "batonStateRegistry"})
    public String candidate;

    private final UUID[] held = new UUID[HELD];
    private Map<UUID, TaskState> lockedMap;
    private ConcurrentHashMap<UUID, TaskState> concurrentMap;
    private StateRegistry<TaskState> registry;

    @Setup(Level.Iteration)
    public void setUp()
    {
        lockedMap = new HashMap<>();
        concurrentMap = new ConcurrentHashMap<>();
        registry = new StateRegistry<>(TABLE, Duration.ZERO);
        for (int i = 0; i < HELD; i++)
        {
            held[i] = new UUID(0, i);
            lockedMap.put(held[i], TaskState.RUNNING);
            concurrentMap.put(held[i], TaskState.RUNNING);
            registry.getOrLoad(held[i], key -> TaskState.RUNNING);
        }
    }

    static TaskState slowLoad(final UUID key)
    {
        final long until = System.nanoTime() + LOAD_NANOS;
        while (System.nanoTime() - until < 0)
        {
            Thread.onSpinWait();
        }
        return TaskState.RUNNING;
    }

    /** Per thread: which key comes next; one in twenty is a key never seen before. */
    @State(Scope.Thread)
    public static class Keys
    {
        private final long thread = Thread.currentThread().threadId() + 1;
        private long step;
        private long fresh;

        UUID next(final UUID[] held)
        {
            step++;
            if (step % 20 == 0)
            {
                return new UUID(thread, fresh++);
            }
            return held[(int)((step * 2654435761L) % HELD)];
        }
    }

    @Benchmark
    public TaskState lookUp(final Keys keys)
    {
        final UUID key = keys.next(held);
        return switch (candidate)
        {
            case "lockAcrossLoad" ->
            {
                synchronized (lockedMap)
                {
                    TaskState state = lockedMap.get(key);
                    if (state == null)
                    {
                        state = slowLoad(key);
                        lockedMap.put(key, state);
                    }
                    yield state;
                }
            }
            case "concurrentHashMapComputeIfAbsent" -> concurrentMap.computeIfAbsent(key, StateRegistryBenchmark::slowLoad);
            default -> registry.getOrLoad(key, StateRegistryBenchmark::slowLoad);
        };
    }
}
