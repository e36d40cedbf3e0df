package dev.baton.demo;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import dev.baton.ChannelActivity;
import dev.baton.ChannelMetrics;
import dev.baton.OutcomeHandler;
import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.EventHandler;
import dev.baton.Poller;
import dev.baton.latency.LatencyStatistics;
import dev.baton.state.StateRegistry;
import dev.baton.state.TransitionTable;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Answers the engine's three questions by measuring a workload of its shape, and writes them to a
 * Markdown file: are state machines touched by several threads at once, do individual latencies
 * matter or do percentiles suffice, and how large does each collection grow.
 *
 * <p>The workload: tasks arrive while at most {@value #TASKS_IN_FLIGHT} are open. Each fans out 1 to
 * 8 steps at once (the engine's workflow steps run in parallel). Handler threads do each step (a few to
 * tens of microseconds of work) and then update the task's state machine: RUNNING to EVALUATING,
 * count the step, back to RUNNING or on to DONE, as the engine's step-result processing does. The host
 * dispatches, drains completions and reclaims expired events. A sampler reads the sizes every
 * millisecond, and the channel counts its own operations and CAS retries. Writes the Markdown
 * answers and the measurements as JSON for {@code docs/reports/analysis.md}.
 * Usage: {@code AccessPatterns OUTPUT.md OUTPUT.json [TASKS]}.
 */
public final class AccessPatterns
{
    enum TaskState
    {
        RUNNING, EVALUATING, DONE
    }

    private static final int TASKS_IN_FLIGHT = 64;
    private static final int MAX_STEPS = 8;
    private static final int HANDLERS = 2;
    private static final TransitionTable<TaskState> TABLE = TransitionTable.builder(TaskState.class)
        .allow(TaskState.RUNNING, TaskState.EVALUATING)
        .allow(TaskState.EVALUATING, TaskState.RUNNING, TaskState.DONE)
        .terminal(TaskState.DONE)
        .build();

    private final int tasks;
    private final UUID[] taskIds;
    private final int[] stepCounts;
    private final AtomicIntegerArray stepsLeft;
    private final AtomicIntegerArray touchingThreads; // a bit per handler thread that transitioned the task
    private final AtomicLong stepsDone = new AtomicLong();
    private final AtomicLong collisions = new AtomicLong(); // step evaluations that found another in progress
    private long drainedSteps;
    private final StateRegistry<TaskState> registry = new StateRegistry<>(TABLE, Duration.ZERO);
    private long[] exactLatencies = new long[1 << 16];
    private String measurements;
    private ChannelActivity activity;
    private int exactCount;

    private AccessPatterns(final int tasks)
    {
        this.tasks = tasks;
        this.taskIds = new UUID[tasks];
        this.stepCounts = new int[tasks];
        this.stepsLeft = new AtomicIntegerArray(tasks);
        this.touchingThreads = new AtomicIntegerArray(tasks);
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int task = 0; task < tasks; task++)
        {
            taskIds[task] = new UUID(random.nextLong(), random.nextLong());
            stepCounts[task] = 1 + random.nextInt(MAX_STEPS);
            stepsLeft.set(task, stepCounts[task]);
        }
    }

    public static void main(final String[] args) throws IOException, InterruptedException
    {
        if (args.length < 2)
        {
            System.err.println("usage: AccessPatterns OUTPUT.md OUTPUT.json [TASKS]");
            System.exit(2);
        }
        final int tasks = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
        final AccessPatterns patterns = new AccessPatterns(tasks);
        final String report = patterns.run();
        Files.writeString(Path.of(args[0]), report);
        Files.writeString(Path.of(args[1]), patterns.measurements);
        System.out.print(report);
    }

    private String run() throws InterruptedException
    {
        final long[] pendingSamples = new long[1 << 20];
        final long[] registrySamples = new long[1 << 20];
        int samples = 0;
        final long started;
        final long elapsed;
        final LatencyStatistics latency;
        final ChannelMetrics finalMetrics;
        try (DispatchChannel channel = DispatchChannel.builder()
            .slabCapacity(1024)
            .completionTimeout(Duration.ofSeconds(10))
            .instrumented(true)
            .build())
        {
            final AtomicBoolean running = new AtomicBoolean(true);
            final Thread[] handlers = new Thread[HANDLERS];
            for (int h = 0; h < HANDLERS; h++)
            {
                final int handler = h;
                handlers[h] = Thread.ofPlatform().name("handler-" + h).start(() -> handle(channel, handler, running));
            }

            final MemorySegment payload = Arena.global().allocate(Long.BYTES);
            final OutcomeHandler onOutcome = completion -> {
                drainedSteps++;
                keepExact(completion.latencyNanos());
            };
            long dispatchedSteps = 0;
            final IdleStrategy idle = new BackoffIdleStrategy();
            int nextTask = 0;
            int finishedTasks = 0;
            long nextSample = 0;
            started = System.nanoTime();
            while (finishedTasks < tasks)
            {
                int work = 0;
                // Open tasks while fewer than TASKS_IN_FLIGHT are open: load each machine, fan out its steps.
                while (nextTask < tasks && nextTask - finishedTasks < TASKS_IN_FLIGHT &&
                    channel.capacity() - (dispatchedSteps - drainedSteps) >= MAX_STEPS)
                {
                    final int task = nextTask++;
                    registry.getOrLoad(taskIds[task], key -> TaskState.RUNNING);
                    for (int step = 0; step < stepCounts[task]; step++)
                    {
                        payload.set(ValueLayout.JAVA_LONG, 0, task);
                        long handle;
                        while ((handle = channel.dispatcher().dispatch(taskIds[task].getMostSignificantBits(),
                            taskIds[task].getLeastSignificantBits(), task, step, 1, payload)) < 0)
                        {
                            channel.outcomeDrain().drain(onOutcome, 256);
                        }
                        dispatchedSteps++;
                        work++;
                    }
                }
                work += channel.outcomeDrain().drain(onOutcome, 256);
                finishedTasks = countFinished(finishedTasks);
                if (System.nanoTime() - nextSample > 0)
                {
                    channel.reclaimExpired();
                    pendingSamples[samples] = channel.metrics().pendingCount();
                    registrySamples[samples] = registry.size();
                    samples = Math.min(samples + 1, pendingSamples.length - 1);
                    nextSample = System.nanoTime() + 1_000_000;
                }
                idle.idle(work);
            }
            elapsed = System.nanoTime() - started;
            running.set(false);
            for (final Thread handler : handlers)
            {
                handler.join();
            }
            latency = channel.latencyRecorder().statistics(Duration.ofSeconds(10));
            finalMetrics = channel.metrics();
            activity = channel.activity();
        }
        return report(Arrays.copyOf(pendingSamples, samples), Arrays.copyOf(registrySamples, samples), latency,
            finalMetrics, elapsed);
    }

    private int finishedCursor;

    /** Tasks finish in any order; counts how many are DONE (evicted) from the oldest open one on. */
    private int countFinished(final int finished)
    {
        int done = finished;
        while (finishedCursor < tasks && stepsLeft.get(finishedCursor) == 0 &&
            registry.get(taskIds[finishedCursor]) == null)
        {
            finishedCursor++;
            done++;
        }
        return done;
    }

    private void keepExact(final long latencyNanos)
    {
        if (exactCount == exactLatencies.length)
        {
            exactLatencies = Arrays.copyOf(exactLatencies, exactCount * 2);
        }
        exactLatencies[exactCount++] = latencyNanos;
    }

    /** A handler thread: does the step's work, then moves its task's state machine. */
    private void handle(final DispatchChannel channel, final int handler, final AtomicBoolean running)
    {
        final Poller poller = channel.newPoller();
        final IdleStrategy idle = new BackoffIdleStrategy();
        final MemorySegment payload = Arena.ofAuto().allocate(Long.BYTES);
        final EventHandler onStep = event -> {
            if (event.readPayload(payload, 0) < 0)
            {
                return;
            }
            final int task = (int)payload.get(ValueLayout.JAVA_LONG, 0);
            busyWork(ThreadLocalRandom.current().nextInt(5_000, 50_000));
            final UUID id = taskIds[task];
            if (!registry.transition(id, TaskState.RUNNING, TaskState.EVALUATING))
            {
                collisions.incrementAndGet(); // another step of this task is being evaluated right now
                while (!registry.transition(id, TaskState.RUNNING, TaskState.EVALUATING))
                {
                    Thread.onSpinWait();
                }
            }
            touchingThreads.getAndUpdate(task, bits -> bits | (1 << handler));
            final boolean last = stepsLeft.decrementAndGet(task) == 0;
            registry.transition(id, TaskState.EVALUATING, last ? TaskState.DONE : TaskState.RUNNING);
            stepsDone.incrementAndGet();
            int status;
            while ((status = poller.complete(event.handle(), 0, MemorySegment.NULL)) == ErrorCode.ENOBUFS)
            {
                Thread.onSpinWait();
            }
        };
        while (running.get())
        {
            idle.idle(poller.pollBatch(onStep, 64));
        }
    }

    private static void busyWork(final long nanos)
    {
        final long until = System.nanoTime() + nanos;
        while (System.nanoTime() - until < 0)
        {
            Thread.onSpinWait();
        }
    }

    private String report(
        final long[] pending, final long[] registrySizes, final LatencyStatistics latency, final ChannelMetrics metrics,
        final long elapsedNanos)
    {
        final long multiStepTasks = Arrays.stream(stepCounts).filter(count -> count > 1).count();
        int touchedByBoth = 0;
        for (int task = 0; task < tasks; task++)
        {
            if (Integer.bitCount(touchingThreads.get(task)) > 1)
            {
                touchedByBoth++;
            }
        }
        final long transitions = 2 * stepsDone.get();
        final long[] exact = Arrays.copyOf(exactLatencies, exactCount);
        Arrays.sort(exact);
        final StringBuilder out = new StringBuilder();
        final Runtime runtime = Runtime.getRuntime();
        out.append("# Access patterns, measured\n\n");
        out.append(String.format(Locale.ROOT,
            "Generated by `make answers` (`dev.baton.demo.AccessPatterns`) on %s: %d cores, Java %s (%s), %s.%n%n",
            Instant.now(), runtime.availableProcessors(), System.getProperty("java.version"),
            System.getProperty("java.vm.name"), System.getProperty("os.name") + " " + System.getProperty("os.arch")));
        out.append(String.format(Locale.ROOT,
            "Workload: %,d tasks of 1-%d parallel steps (%,d steps), at most %d tasks open, %d Java handler " +
            "threads, 5-50 us of work per step; each step's handler moves its task's state machine " +
            "RUNNING -> EVALUATING -> RUNNING or DONE. Run time %.2f s.%n%n",
            tasks, MAX_STEPS, stepsDone.get(), TASKS_IN_FLIGHT, HANDLERS, elapsedNanos / 1e9));

        out.append("## Are state machines touched by several threads at once?\n\n");
        final long steps = stepsDone.get();
        final double collisionShare = collisions.get() / (double)Math.max(1, steps);
        out.append("| measure | value |\n|---|---|\n");
        out.append(row("tasks with more than one step", multiStepTasks));
        out.append(row("tasks whose machine was moved by both handler threads", touchedByBoth));
        out.append(row("step evaluations (each two transitions)", steps));
        out.append(row("step evaluations that found another evaluation of the same task in progress",
            collisions.get()));
        out.append(row("failed transition attempts, counting every retry while waiting",
            registry.lostTransitionRaces()));
        out.append(String.format(Locale.ROOT, "| share of step evaluations that collided | %.2f%% |%n%n",
            100 * collisionShare));
        out.append(String.format(Locale.ROOT,
            "%s: %,d of %,d multi-step tasks had their machine moved by both handler threads. %.2f%% of " +
            "step evaluations found the same task's machine mid-transition on the other thread. A " +
            "per-machine CAS lets such a collision wait only for that one machine. The engine's lock around " +
            "the whole map made every transition of every task wait for any other.%n%n",
            touchedByBoth > 0 ? "Yes, when a task's steps run in parallel" : "Not in this run",
            touchedByBoth, multiStepTasks, 100 * collisionShare));

        out.append("## Individual latencies or percentiles?\n\n");
        out.append("| statistic | exact (every latency kept and sorted) | histogram (HdrHistogram, 3 digits) |\n");
        out.append("|---|---|---|\n");
        out.append(latencyRow("p50", percentile(exact, 50), latency.p50Nanos()));
        out.append(latencyRow("p95", percentile(exact, 95), latency.p95Nanos()));
        out.append(latencyRow("p99", percentile(exact, 99), latency.p99Nanos()));
        out.append(latencyRow("p99.9", percentile(exact, 99.9), latency.p999Nanos()));
        out.append(latencyRow("max", exact.length == 0 ? 0 : exact[exact.length - 1], latency.maxNanos()));
        out.append(String.format(Locale.ROOT, "| mean | %.1f us | %.1f us |%n",
            Arrays.stream(exact).average().orElse(0) / 1e3, latency.meanNanos() / 1e3));
        out.append(String.format(Locale.ROOT, "| count | %,d | %,d |%n%n", exact.length, latency.count()));
        out.append(String.format(Locale.ROOT,
            "The engine used its buffer for two answers: `processing_rate` (%.0f events/s here, over the " +
            "newest 10 s or, when the ring holds less, over the span its entries cover) and " +
            "`average_latency_ms` (%.3f ms here, over the whole run). Both come from the histogram and the ring. The " +
            "largest gap between a histogram percentile and the exact one above is %.3f%%. Keeping every " +
            "latency cost %,d bytes for this run and grows with it. The histogram has a fixed size, and " +
            "the ring keeps the last %,d values for anyone who wants individual recent ones.%n%n",
            latency.processingRate(), latency.averageLatencyMillis(),
            100 * largestRelativeGap(exact, latency), 8L * exact.length, 1024));

        out.append("## How large does each collection grow?\n\n");
        out.append("| collection | bound | mean | p99 | max |\n|---|---|---|---|---|\n");
        out.append(sizeRow("pending events (slab slots in use)", "slab capacity " + metrics.capacity(), pending));
        out.append(sizeRow("state machines held (terminal ones evicted)", "none (tasks open)", registrySizes));
        out.append(String.format(Locale.ROOT, "| state machines the engine's map would hold (never evicted) | none | - | - | %,d |%n",
            tasks));
        out.append("| latency values kept | ring capacity 1024 | 1024 | 1024 | 1024 |\n\n");
        out.append(String.format(Locale.ROOT, "%n## What the channel did (its own counters)%n%n"));
        out.append("| operation | per second | CAS retries per operation |\n|---|---|---|\n");
        out.append(String.format(Locale.ROOT, "| dispatch | %,.0f | %.4f (free list), %.4f (dispatch ring) |%n",
            activity.perSecond(activity.dispatched()), perOp(activity.freeListRetries(), activity.dispatched()),
            perOp(activity.dispatchRingRetries(), activity.dispatched())));
        out.append(String.format(Locale.ROOT, "| claim (poll) | %,.0f | - |%n", activity.perSecond(activity.claimed())));
        out.append(String.format(Locale.ROOT, "| complete | %,.0f | %.4f (completion ring) |%n",
            activity.perSecond(activity.completed()), perOp(activity.completionRingRetries(), activity.completed())));
        out.append(String.format(Locale.ROOT, "| drain | %,.0f | - |%n%n", activity.perSecond(activity.drained())));
        final long[] pendingSorted = pending.clone();
        Arrays.sort(pendingSorted);
        final long[] registrySorted = registrySizes.clone();
        Arrays.sort(registrySorted);
        measurements = String.format(Locale.ROOT, """
            {
              "tasks": %d, "steps": %d, "elapsedSeconds": %.3f, "handlerThreads": %d,
              "dispatchPerSecond": %.1f, "claimPerSecond": %.1f, "completePerSecond": %.1f, "drainPerSecond": %.1f,
              "freeListRetriesPerDispatch": %.6f, "dispatchRingRetriesPerDispatch": %.6f,
              "completionRingRetriesPerCompletion": %.6f,
              "slabCapacity": %d, "pendingMean": %.1f, "pendingP99": %d, "pendingMax": %d,
              "registryMean": %.1f, "registryMax": %d, "registryWithoutEviction": %d,
              "multiStepTasks": %d, "tasksTouchedByBothThreads": %d, "collisionShare": %.6f,
              "latencyRecordsPerSecond": %.1f, "histogramLargestPercentileGap": %.6f
            }
            """, tasks, stepsDone.get(), elapsedNanos / 1e9, HANDLERS,
            activity.perSecond(activity.dispatched()), activity.perSecond(activity.claimed()),
            activity.perSecond(activity.completed()), activity.perSecond(activity.drained()),
            perOp(activity.freeListRetries(), activity.dispatched()), perOp(activity.dispatchRingRetries(), activity.dispatched()),
            perOp(activity.completionRingRetries(), activity.completed()),
            metrics.capacity(), Arrays.stream(pending).average().orElse(0), percentile(pendingSorted, 99), max(pending),
            Arrays.stream(registrySizes).average().orElse(0), max(registrySizes), tasks,
            multiStepTasks, touchedByBoth, collisions.get() / (double)Math.max(1, stepsDone.get()),
            latency.count() * 1e9 / elapsedNanos, largestRelativeGap(exact, latency));
        out.append(String.format(Locale.ROOT,
            "Pending events peaked at %,d of the slab's %,d slots. With eviction, the state machines held " +
            "track the tasks open (peak %,d, with at most %d open), where the engine's map kept all %,d.%n",
            max(pending), metrics.capacity(), max(registrySizes), TASKS_IN_FLIGHT, tasks));
        return out.toString();
    }

    private static double perOp(final long count, final long operations)
    {
        return count / (double)Math.max(1, operations);
    }

    private static double largestRelativeGap(final long[] exact, final LatencyStatistics latency)
    {
        final double[][] pairs = {
            {percentile(exact, 50), latency.p50Nanos()}, {percentile(exact, 95), latency.p95Nanos()},
            {percentile(exact, 99), latency.p99Nanos()}, {percentile(exact, 99.9), latency.p999Nanos()}};
        double largest = 0;
        for (final double[] pair : pairs)
        {
            largest = Math.max(largest, Math.abs(pair[1] - pair[0]) / Math.max(1, pair[0]));
        }
        return largest;
    }

    private static String row(final String name, final long value)
    {
        return String.format(Locale.ROOT, "| %s | %,d |%n", name, value);
    }

    private static String latencyRow(final String name, final long exactNanos, final long histogramNanos)
    {
        return String.format(Locale.ROOT, "| %s | %.1f us | %.1f us |%n", name, exactNanos / 1e3, histogramNanos / 1e3);
    }

    private static String sizeRow(final String name, final String bound, final long[] samples)
    {
        final long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "| %s | %s | %.1f | %d | %d |%n", name, bound,
            Arrays.stream(sorted).average().orElse(0), percentile(sorted, 99), max(sorted));
    }

    private static long percentile(final long[] sorted, final double percentile)
    {
        if (sorted.length == 0)
        {
            return 0;
        }
        final int index = (int)Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long max(final long[] values)
    {
        return Arrays.stream(values).max().orElse(0);
    }
}
