package dev.baton.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every benchmark of the analysis, each at the thread counts it is compared at, with JMH's
 * allocation profiler, and writes one JMH JSON file per run. {@code quick} (about ten minutes on
 * two cores) or {@code full}. Usage: {@code BenchMain quick|full OUTPUT_DIR NATIVE_DIR [BENCHMARK...]}:
 * naming benchmark classes (for example {@code EndToEndBenchmark}) runs only theirs again and keeps
 * the other runs' files.
 */
public final class BenchMain
{
    /**
     * A benchmark class and the thread counts it runs at: none for the ones that set their own groups;
     * for a group of one dispatcher and N handlers ({@code groupOfOneAndN}), N.
     */
    private record Run(Class<?> benchmark, List<Integer> threads, boolean groupOfOneAndN)
    {
        Run(final Class<?> benchmark, final List<Integer> threads)
        {
            this(benchmark, threads, false);
        }
    }

    private static final List<Integer> SCALING = List.of(1, 2, 4, 8);
    private static final List<Run> RUNS = List.of(
        new Run(PendingEventsBenchmark.class, SCALING),
        new Run(EnginePatternBenchmark.class, List.of(1, 2, 3), true),
        new Run(LatencyBufferBenchmark.class, SCALING),
        new Run(StateRegistryBenchmark.class, SCALING),
        new Run(DispatchRingBenchmark.class, List.of()),
        new Run(PingPongBenchmark.class, List.of()),
        new Run(LockedInstructionBenchmark.class, List.of(1)),
        new Run(CrossingBenchmark.class, List.of(1)),
        new Run(EndToEndBenchmark.class, List.of(1)));

    private BenchMain()
    {
    }

    /**
     * Removes the histogram of every sample from a sampling run's JSON (megabytes for the end-to-end
     * round trips); the percentiles, scores and per-iteration figures the report reads stay.
     */
    private static void dropSampleHistograms(final Path json) throws IOException
    {
        final ObjectMapper mapper = new ObjectMapper();
        final JsonNode runs = mapper.readTree(json.toFile());
        for (final JsonNode run : runs)
        {
            ((ObjectNode)run.path("primaryMetric")).remove("rawDataHistogram");
        }
        mapper.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), runs);
    }

    /** @return whether a file in the output is a JMH JSON of one of the runs about to run again. */
    private static boolean isRerun(final Path file, final List<Run> runs)
    {
        final String name = file.getFileName().toString();
        return name.endsWith(".json") && runs.stream().anyMatch(
            run -> name.equals(run.benchmark().getSimpleName() + ".json") ||
                name.startsWith(run.benchmark().getSimpleName() + "-"));
    }

    public static void main(final String[] args) throws IOException, RunnerException
    {
        final List<String> only = args.length > 3 ? List.of(args).subList(3, args.length) : List.of();
        final List<Run> runs = RUNS.stream()
            .filter(run -> only.isEmpty() || only.contains(run.benchmark().getSimpleName()))
            .toList();
        if (args.length < 3 || !List.of("quick", "full").contains(args[0]) || runs.size() < only.size())
        {
            System.err.println("usage: BenchMain quick|full OUTPUT_DIR NATIVE_DIR [BENCHMARK...]; benchmarks: " +
                RUNS.stream().map(run -> run.benchmark().getSimpleName()).toList());
            System.exit(2);
        }
        final boolean quick = args[0].equals("quick");
        final Path output = Path.of(args[1]);
        Files.createDirectories(output);
        try (var old = Files.list(output))
        {
            for (final Path file : old.filter(path -> isRerun(path, runs)).toList())
            {
                Files.delete(file);
            }
        }
        final int total = runs.stream().mapToInt(run -> Math.max(1, run.threads().size())).sum();
        int started = 0;
        for (final Run run : runs)
        {
            for (final int threads : run.threads().isEmpty() ? List.of(0) : run.threads())
            {
                final String name = run.benchmark().getSimpleName() + (threads == 0 ? "" : (run.groupOfOneAndN() ? "-n" : "-t") + threads);
                System.out.printf("progress %d %d%n", started++, total); // for build/with-progress (make bench)
                System.out.printf("%s: %s%n", java.time.LocalTime.now().withNano(0), name);
                final ChainedOptionsBuilder options = new OptionsBuilder()
                    .include(Pattern.quote(run.benchmark().getName()) + "\\.")
                    .forks(quick ? 1 : 2)
                    .warmupIterations(quick ? 2 : 3)
                    .warmupTime(TimeValue.milliseconds(quick ? 500 : 1000))
                    .measurementIterations(quick ? 3 : 5)
                    .measurementTime(TimeValue.milliseconds(quick ? 700 : 2000))
                    .addProfiler(GCProfiler.class)
                    .jvmArgsAppend("-Xmx2g", "--enable-native-access=ALL-UNNAMED", "-Dbaton.native.dir=" + args[2])
                    .verbosity(VerboseMode.SILENT)
                    .resultFormat(ResultFormatType.JSON)
                    .result(output.resolve(name + ".json").toString());
                if (run.groupOfOneAndN())
                {
                    // JMH orders a group's methods by name: the handlers' method, then the dispatcher's.
                    options.threadGroups(threads, 1);
                }
                else if (threads > 0)
                {
                    options.threads(threads);
                }
                new Runner(options.build()).run();
                dropSampleHistograms(output.resolve(name + ".json"));
            }
        }
    }
}
