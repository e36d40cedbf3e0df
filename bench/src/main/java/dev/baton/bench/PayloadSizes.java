package dev.baton.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link PayloadSizeBenchmark} (2 forks, 3 × 1 s warm-up, 5 × 1 s measured, JMH's allocation
 * profiler) and writes its figures: for each payload size, each candidate's time and bytes per
 * second, as a fraction of one {@code memcpy} of the same bytes in the same run.
 *
 *   PayloadSizes REPORT.md NATIVE_DIR
 */
public final class PayloadSizes
{
    private static final List<String> CANDIDATES = List.of("baton", "onHeap", "memcpy");

    private PayloadSizes()
    {
    }

    /** One candidate's figures at one size. */
    private record Figure(double nanos, double error, double bytesPerOp)
    {
    }

    public static void main(final String[] args) throws IOException, RunnerException
    {
        if (args.length != 2)
        {
            System.err.println("usage: PayloadSizes REPORT.md NATIVE_DIR");
            System.exit(2);
        }
        final Collection<RunResult> runs = new Runner(new OptionsBuilder()
            .include(PayloadSizeBenchmark.class.getName() + "\\.")
            .forks(2)
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(5)
            .measurementTime(TimeValue.seconds(1))
            .addProfiler(GCProfiler.class)
            .jvmArgsAppend("-Xmx2g", "--enable-native-access=ALL-UNNAMED", "-Dbaton.native.dir=" + args[1])
            .verbosity(VerboseMode.SILENT)
            .build()).run();
        final Map<Integer, Map<String, Figure>> bySize = new LinkedHashMap<>();
        for (final RunResult run : runs)
        {
            final Result<?> primary = run.getPrimaryResult();
            final Result<?> allocation = run.getSecondaryResults().get("gc.alloc.rate.norm");
            bySize.computeIfAbsent(Integer.parseInt(run.getParams().getParam("size")), size -> new LinkedHashMap<>())
                .put(run.getParams().getParam("candidate"), new Figure(primary.getScore(), primary.getScoreError(),
                    allocation == null ? Double.NaN : allocation.getScore()));
        }

        final StringBuilder report = new StringBuilder(String.format(Locale.ROOT, """
            # Payload sizes

            Written by `make bench-payload` (`dev.baton.bench.PayloadSizes`, running `PayloadSizeBenchmark`) on %s: \
            %d cores, Java %s. JMH, 2 forks, 3 × 1 s warm-up, 5 × 1 s measured; ± is JMH's 99.9 %% error.

            One event on one thread: dispatch a payload of the size, the handler answers with a result as \
            long made from the payload's bytes, the host copies the result out. Baton reads the payload \
            in place (the slot's inline room up to 128 bytes, else a block), so it copies three times: into \
            the channel, into the result's record or block, and out to the host. The on-heap pipeline \
            (JCTools queues and a ConcurrentHashMap) copies three times too, into two new arrays per event. \
            `memcpy` is one copy of the same bytes between two off-heap buffers: the physical limit of a \
            design that copies. Bytes per second count the payload once per event. Baton's bytes allocated per \
            event are the two views the benchmark asks for, `event.payload()` to answer with and \
            `completion.result()` to copy out; the channel itself allocates nothing on these paths \
            (`HotPathAllocationTest` holds payloads and results in blocks to 0 bytes).

            | payload | candidate | ns per event | payload bytes per second | fraction of memcpy | bytes allocated per event |
            |---|---|---|---|---|---|
            """, LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        for (final Map.Entry<Integer, Map<String, Figure>> size : bySize.entrySet())
        {
            final Figure memcpy = size.getValue().get("memcpy");
            for (final String candidate : CANDIDATES)
            {
                final Figure figure = size.getValue().get(candidate);
                if (figure == null)
                {
                    continue;
                }
                report.append(String.format(Locale.ROOT, "| %s | %s | %,.1f ± %,.1f | %s | %.3f | %,.0f |%n",
                    bytes(size.getKey()), candidate, figure.nanos(), figure.error(),
                    perSecond(size.getKey() / figure.nanos() * 1e9), memcpy.nanos() / figure.nanos(), figure.bytesPerOp()));
            }
        }
        Files.writeString(Path.of(args[0]), report);
        System.out.print(report);
    }

    private static String bytes(final int size)
    {
        return size >= 1 << 20 ? (size >> 20) + " MiB" : size >= 1 << 10 ? (size >> 10) + " KiB" : size + " B";
    }

    private static String perSecond(final double bytes)
    {
        return bytes >= 1e9 ? String.format(Locale.ROOT, "%.2f GB/s", bytes / 1e9) :
            String.format(Locale.ROOT, "%.0f MB/s", bytes / 1e6);
    }
}
