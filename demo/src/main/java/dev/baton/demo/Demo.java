package dev.baton.demo;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import dev.baton.ChannelMetrics;
import dev.baton.OutcomeHandler;
import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.EventHandler;
import dev.baton.NativeHandlerPool;
import dev.baton.Poller;
import dev.baton.aeron.RemoteHandlers;
import dev.baton.internal.ffi.NativeLibrary;
import dev.baton.latency.LatencyStatistics;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The main job: a Java host dispatches events through one channel to handler threads written in
 * Java, C or Rust, drains their completions, and prints throughput, dispatch-to-completion latency,
 * who served what, the final metrics and the ledger. Every handler answers an event's number with
 * twice the number, which the host checks.
 *
 * <pre>
 *   --events N           events to dispatch (default 1000000)
 *   --handler-mode MODE  java, c, rust, process, python, ruby, node or remote (default java)
 *   --handlers N         handler threads, or handler processes (default: cores - 1, at least 1)
 *   --capacity N         slab capacity, the bound on events in flight (default 1024)
 *   --kill-one           process and remote modes: kill one handler process, or one node, midway
 *   --nodes N            remote mode: node JVMs (default 2)
 *   --node-handlers LANG remote mode: each node's handler process, c, python, ruby or node (default c)
 * </pre>
 * C and Rust handlers are native threads started with one downcall ({@link NativeHandlerPool});
 * they sleep in {@code baton_poll} and meet the Java host only in the channel's memory. In
 * process mode the channel lives in a file under {@code /dev/shm} and each handler is a C process
 * ({@code tests/c/handler_process.c}) that attaches to it by path; in python, ruby and node modes,
 * a process of that language on its binding in {@code bindings/} ({@code tests/bindings/handler-process}).
 * In remote mode the host's events cross Aeron (UDP on loopback) to node JVMs, each serving its
 * own channel file to a handler process ({@link RemoteNodes}); the JVM needs Aeron's flag
 * ({@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}), which {@code make demo} adds
 * in that mode only.
 */
public final class Demo
{
    private static final String USAGE =
        "usage: Demo [--events N] [--handler-mode java|c|rust|process|python|ruby|node|remote] [--handlers N] "
            + "[--capacity N] [--kill-one] [--nodes N] [--node-handlers c|python|ruby|node]";
    /** The modes whose handlers are processes attached to the channel's file. */
    private static final List<String> PROCESS_MODES = List.of("process", "python", "ruby", "node");
    private static final int STATUS_OK = 200;
    private static final long REAP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The longest a handler sleeps before it looks at its running flag again. */
    private static final Duration HANDLER_WAIT = Duration.ofMillis(10);

    private final long events;
    private final String handlerMode;
    private final int handlers;
    private final int capacity;
    private final boolean killOne;
    private final int nodes;
    private final String nodeHandlers;
    /** Run once by the host when half the events are reported (process mode's --kill-one). */
    private Runnable midway = () -> { };

    private long completed;
    private long timedOut;
    private long resultMismatches;
    /** Events reported more than once: the ledger balances only with none. */
    private long repeats;

    private Demo(
        final long events,
        final String handlerMode,
        final int handlers,
        final int capacity,
        final boolean killOne,
        final int nodes,
        final String nodeHandlers)
    {
        this.events = events;
        this.handlerMode = handlerMode;
        this.handlers = handlers;
        this.capacity = capacity;
        this.killOne = killOne;
        this.nodes = nodes;
        this.nodeHandlers = nodeHandlers;
    }

    public static void main(final String[] args) throws InterruptedException, IOException
    {
        long events = 1_000_000;
        String handlerMode = "java";
        int handlers = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        int capacity = 1024;
        boolean killOne = false;
        int nodes = 2;
        String nodeHandlers = "c";
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--events" -> events = Long.parseLong(args[++i]);
                case "--handler-mode" -> handlerMode = args[++i];
                case "--handlers" -> handlers = Integer.parseInt(args[++i]);
                case "--capacity" -> capacity = Integer.parseInt(args[++i]);
                case "--kill-one" -> killOne = true;
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--node-handlers" -> nodeHandlers = args[++i];
                default ->
                {
                    System.err.println(USAGE);
                    System.exit(2);
                }
            }
        }
        if (!List.of("java", "c", "rust", "remote").contains(handlerMode) && !PROCESS_MODES.contains(handlerMode) ||
            !List.of("c", "python", "ruby", "node").contains(nodeHandlers) || nodes < (killOne ? 2 : 1))
        {
            System.err.println(USAGE);
            System.exit(2);
        }
        if (killOne)
        {
            handlers = Math.max(2, handlers); // a survivor finishes the run
        }
        final Demo demo = new Demo(events, handlerMode, handlers, capacity, killOne, nodes, nodeHandlers);
        if (handlerMode.equals("remote"))
        {
            demo.runRemote();
        }
        else if (PROCESS_MODES.contains(handlerMode))
        {
            demo.runProcesses();
        }
        else
        {
            demo.run();
        }
    }

    /**
     * The process modes: the channel in a file, and handler processes that attach to it by path: C
     * ones, or Python, Ruby or Node ones on their bindings.
     */
    private void runProcesses() throws InterruptedException, IOException
    {
        final Path file = Path.of("baton-demo-" + ProcessHandle.current().pid());
        final String language = handlerMode.equals("process") ? "C" : handlerMode;
        System.out.printf(Locale.ROOT, "Baton demo: %,d events, %d %s handler process(es) on /dev/shm/%s, %d slots in flight%s%n",
            events, handlers, language, file, capacity, killOne ? ", one process killed midway" : "");
        final DispatchChannel channel = DispatchChannel.builder()
            .slabCapacity(capacity)
            .completionTimeout(Duration.ofSeconds(1))
            .redeliveryLimit(1) // what a killed process held goes to a survivor
            .starvationThreshold(Duration.ofSeconds(1))
            .file(file)
            .build();
        final List<Process> processes = new ArrayList<>();
        for (int p = 0; p < handlers; p++)
        {
            final String path = Path.of("/dev/shm").resolve(file).toString();
            final List<String> command = handlerMode.equals("process")
                ? List.of(NativeLibrary.beside("baton_handler_process").toString(), path, "1")
                : List.of("tests/bindings/handler-process", handlerMode, path, "1"); // run from the repository
            processes.add(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        for (final Process process : processes)
        {
            awaitAttached(process); // so that no event waits out its deadline while an interpreter starts
        }
        if (killOne)
        {
            midway = () -> processes.get(0).destroyForcibly();
        }
        final long start = System.nanoTime();
        host(channel);
        final long elapsed = System.nanoTime() - start;
        final ChannelMetrics metrics = channel.metrics();
        channel.close(); // the survivors see ESHUTDOWN, print what they served and exit
        final long[] served = new long[handlers];
        for (int p = 0; p < handlers; p++)
        {
            final Process process = processes.get(p);
            process.waitFor();
            if (killOne && p == 0)
            {
                served[p] = -1; // killed: its output went with it
                continue;
            }
            final String[] lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n");
            final String output = lines[lines.length - 1].trim(); // after "attached": "served <count>"
            if (process.exitValue() != 0 || !output.startsWith("served "))
            {
                throw new IllegalStateException("handler process " + p + " failed: " + output);
            }
            served[p] = Long.parseLong(output.substring("served ".length()));
        }
        report(metrics, served, elapsed);
    }

    /**
     * The remote mode: the host's channel in this JVM, the bridge's host side on a UDP port of
     * 127.0.0.1, and node JVMs that serve handler processes; one node killed midway with --kill-one.
     */
    private void runRemote() throws InterruptedException, IOException
    {
        System.out.printf(Locale.ROOT, "Baton demo: %,d events to %d node JVM(s) over Aeron (UDP on loopback), " +
            "each serving a %s handler process, %d slots in flight%s%n",
            events, nodes, nodeHandlers, capacity, killOne ? ", one node killed midway" : "");
        final String hostChannel = "aeron:udp?endpoint=127.0.0.1:" + Ports.freeUdpPort();
        try (DispatchChannel channel = DispatchChannel.builder()
                .slabCapacity(capacity)
                .completionTimeout(Duration.ofSeconds(10))
                .redeliveryLimit(1) // what a killed node held goes to a survivor
                .starvationThreshold(Duration.ofSeconds(1))
                .build();
             RemoteHandlers bridge = RemoteHandlers.builder(channel)
                .listen(hostChannel, 4100)
                .lease(Duration.ofMillis(500))
                .start();
             RemoteNodes remote = RemoteNodes.start(nodes, nodeHandlers, hostChannel, Math.max(1, capacity / nodes)))
        {
            while (bridge.metrics().nodes() < nodes)
            {
                Thread.sleep(10); // the nodes ask for their leases
            }
            if (killOne)
            {
                midway = () -> remote.kill(0);
            }
            final long start = System.nanoTime();
            host(channel);
            final long elapsed = System.nanoTime() - start;
            final ChannelMetrics metrics = channel.metrics();
            final long[] served = remote.stop();
            System.out.printf(Locale.ROOT, "%nbridge       %s%n", bridge.metrics());
            report(metrics, served, elapsed);
        }
    }

    /** Reads a handler process's first line, byte by byte (nothing after it), which must be "attached". */
    static void awaitAttached(final Process process) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        for (int next = process.getInputStream().read(); next != -1 && next != '\n'; next = process.getInputStream().read())
        {
            line.append((char)next);
        }
        if (!line.toString().equals("attached"))
        {
            throw new IllegalStateException("a handler process did not attach: " + line);
        }
    }

    private void run() throws InterruptedException
    {
        System.out.printf(Locale.ROOT, "Baton demo: %,d events, %d %s handler thread(s), %d slots in flight%n",
            events, handlers, handlerMode, capacity);
        try (DispatchChannel channel = DispatchChannel.builder()
            .slabCapacity(capacity)
            .completionTimeout(Duration.ofSeconds(10))
            .starvationThreshold(Duration.ofSeconds(1))
            .build())
        {
            final long start;
            final long elapsed;
            final long[] served;
            if (handlerMode.equals("java"))
            {
                final AtomicBoolean running = new AtomicBoolean(true);
                final AtomicLongArray counts = new AtomicLongArray(handlers);
                final List<Thread> threads = new ArrayList<>();
                for (int h = 0; h < handlers; h++)
                {
                    final int handler = h;
                    threads.add(Thread.ofPlatform().name("baton-handler-" + h)
                        .start(() -> serve(channel, handler, counts, running)));
                }
                start = System.nanoTime();
                host(channel);
                elapsed = System.nanoTime() - start;
                running.set(false);
                for (final Thread thread : threads)
                {
                    thread.join();
                }
                served = new long[handlers];
                Arrays.setAll(served, counts::get);
            }
            else
            {
                final Path library = NativeLibrary.beside("libbaton_" + handlerMode + "_handlers.so");
                try (NativeHandlerPool pool = NativeHandlerPool.start(
                    library, "baton_" + handlerMode + "_handlers", channel, handlers, 0))
                {
                    start = System.nanoTime();
                    host(channel);
                    elapsed = System.nanoTime() - start;
                    served = pool.stop();
                }
            }
            report(channel.metrics(), served, elapsed);
        }
    }

    /** A handler thread: polls events in batches and completes each with the payload's value doubled. */
    private static void serve(
        final DispatchChannel channel, final int handler, final AtomicLongArray served, final AtomicBoolean running)
    {
        final Poller poller = channel.newPoller();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment payload = arena.allocate(Long.BYTES);
            final MemorySegment result = arena.allocate(Long.BYTES);
            final EventHandler onEvent = event -> {
                if (event.readPayload(payload, 0) < 0)
                {
                    return; // the event timed out while waiting; the host hears of it from the timeout
                }
                result.set(ValueLayout.JAVA_LONG, 0, 2 * payload.get(ValueLayout.JAVA_LONG, 0));
                int status;
                while ((status = poller.complete(event.handle(), STATUS_OK, result)) == ErrorCode.ENOBUFS)
                {
                    Thread.onSpinWait();
                }
                if (status != ErrorCode.OK)
                {
                    System.err.println("completion refused: " + ErrorCode.describe(status));
                }
            };
            long count = 0;
            while (running.get())
            {
                final int claimed = poller.pollBatch(onEvent, 64);
                if (claimed == ErrorCode.ESHUTDOWN)
                {
                    break;
                }
                count += claimed;
                if (claimed == 0)
                {
                    poller.awaitEvents(HANDLER_WAIT); // sleeps on the channel until the next dispatch
                }
            }
            served.set(handler, count);
        }
    }

    /**
     * The host: dispatches while there is room, drains outcomes, times out expired events and
     * settles what a handler process that died left.
     */
    private void host(final DispatchChannel channel)
    {
        final IdleStrategy idle = new BackoffIdleStrategy();
        final MemorySegment payload = Arena.global().allocate(Long.BYTES);
        final MemorySegment check = Arena.global().allocate(Long.BYTES);
        final BitSet reported = new BitSet((int)Math.min(events, Integer.MAX_VALUE));
        final OutcomeHandler onOutcome = completion -> {
            final int number = (int)completion.eventIdLo();
            if (reported.get(number))
            {
                repeats++;
            }
            reported.set(number);
            if (completion.timedOut())
            {
                timedOut++;
                return;
            }
            completed++;
            completion.copyResultTo(check, 0);
            if (check.get(ValueLayout.JAVA_LONG, 0) != 2 * completion.eventIdLo())
            {
                resultMismatches++;
            }
        };
        long dispatched = 0;
        long nextReap = System.nanoTime() + REAP_INTERVAL_NANOS;
        while (completed + timedOut < events)
        {
            int work = 0;
            while (dispatched < events)
            {
                payload.set(ValueLayout.JAVA_LONG, 0, dispatched);
                final long handle = channel.dispatcher().dispatch(0, dispatched, 0, dispatched, 1, payload);
                if (handle < 0)
                {
                    break; // backpressure: drain first
                }
                dispatched++;
                work++;
            }
            final long before = completed + timedOut;
            work += channel.outcomeDrain().drain(onOutcome, 256);
            if (before < events / 2 && completed + timedOut >= events / 2)
            {
                midway.run();
            }
            if (System.nanoTime() - nextReap > 0)
            {
                channel.reclaimExpired();
                channel.reap(); // 0 unless a handler process died
                nextReap = System.nanoTime() + REAP_INTERVAL_NANOS;
            }
            idle.idle(work);
        }
    }

    private void report(final ChannelMetrics metrics, final long[] served, final long elapsedNanos)
    {
        final double seconds = elapsedNanos / 1e9;
        final LatencyStatistics latency = metrics.latency();
        System.out.printf(Locale.ROOT, "%nthroughput   %,.0f events/s (%,d events in %.3f s)%n",
            events / seconds, events, seconds);
        System.out.printf(Locale.ROOT,
            "latency      dispatch -> completion drained: p50 %s, p99 %s, p99.9 %s, max %s, mean %s%n",
            micros(latency.p50Nanos()), micros(latency.p99Nanos()), micros(latency.p999Nanos()),
            micros(latency.maxNanos()), micros((long)latency.meanNanos()));
        final String servedBy = handlerMode.equals("remote") ? "node (" + nodeHandlers + " handler)" : handlerMode;
        for (int h = 0; h < served.length; h++)
        {
            if (served[h] < 0)
            {
                System.out.printf(Locale.ROOT, "handler      %s #%d killed midway%n", servedBy, h);
            }
            else
            {
                System.out.printf(Locale.ROOT, "handler      %s #%d served %,d events%n", servedBy, h, served[h]);
            }
        }
        System.out.printf(Locale.ROOT, "%nmetrics      pending %d, oldest age %d ms, newest age %d ms, oldest event %s%n",
            metrics.pendingCount(), metrics.oldestPendingAgeMillis(), metrics.newestPendingAgeMillis(),
            metrics.oldestEventId());
        System.out.printf(Locale.ROOT, "             starvation %s (%d starving), waiting %d, in progress %d, " +
            "awaiting drain %d, capacity %d%n", metrics.starvationDetected(), metrics.starvingEventCount(),
            metrics.waitingCount(), metrics.inProgressCount(), metrics.awaitingDrainCount(), metrics.capacity());
        System.out.printf(Locale.ROOT, "             completed %,d, timed out %,d, cancelled %,d, latency samples %,d%n",
            metrics.completedCount(), metrics.timedOutCount(), metrics.cancelledCount(), latency.count());
        final long accounted = completed + timedOut + metrics.cancelledCount();
        System.out.printf(Locale.ROOT, "%nledger       dispatched %,d = completed %,d + timed out %,d + cancelled %,d, " +
            "none reported twice (%,d were): %s; results checked: %,d wrong%n", events, completed, timedOut,
            metrics.cancelledCount(), repeats, accounted == events && repeats == 0 ? "balanced" : "UNBALANCED",
            resultMismatches);
        if (accounted != events || repeats != 0 || resultMismatches != 0)
        {
            System.exit(1);
        }
    }

    private static String micros(final long nanos)
    {
        return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }
}
