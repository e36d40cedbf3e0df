package dev.baton.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JMH results {@link BenchMain} wrote, read back from its JSON files, and the queries the report makes of them. */
final class Results
{
    /** One JMH result row. */
    record Result(String benchmark, String method, String candidate, int threads, String mode, double score,
        double error, String unit, double bytesPerOp, Map<String, Double> secondary, double p50, List<Double> forkMeans)
    {
        /** @return a secondary metric (an auxiliary counter or a profiler's figure), or NaN. */
        double secondary(final String name)
        {
            return secondary.getOrDefault(name, Double.NaN);
        }
    }

    private final List<Result> rows;
    private final String jdk;
    private final String mode;

    private Results(final List<Result> rows, final String jdk, final String mode)
    {
        this.rows = rows;
        this.jdk = jdk;
        this.mode = mode;
    }

    /** @return every result in the {@code .json} files of a directory. */
    static Results load(final Path directory) throws IOException
    {
        final List<Result> rows = new ArrayList<>();
        final ObjectMapper json = new ObjectMapper();
        String jdk = "?";
        String mode = "?";
        try (var files = Files.list(directory))
        {
            for (final Path file : files.filter(path -> path.toString().endsWith(".json")).sorted().toList())
            {
                for (final JsonNode run : json.readTree(file.toFile()))
                {
                    rows.add(parse(run));
                    jdk = run.path("jdkVersion").asText() + ", " + run.path("vmName").asText();
                    mode = run.path("forks").asInt() == 1 ? "quick" : "full";
                }
            }
        }
        return new Results(rows, jdk, mode);
    }

    private static Result parse(final JsonNode run)
    {
        final String[] name = run.path("benchmark").asText().split("\\.");
        final JsonNode primary = run.path("primaryMetric");
        final Map<String, Double> secondary = new LinkedHashMap<>();
        run.path("secondaryMetrics").properties().forEach(entry -> secondary.put(entry.getKey(), entry.getValue().path("score").asDouble()));
        final double p50 = primary.path("scorePercentiles").path("50.0").asDouble(Double.NaN);
        final List<Double> forkMeans = new ArrayList<>();
        primary.path("rawData").forEach(fork -> {
            double sum = 0;
            for (final JsonNode iteration : fork)
            {
                sum += iteration.asDouble();
            }
            if (!fork.isEmpty())
            {
                forkMeans.add(sum / fork.size());
            }
        });
        return new Result(name[name.length - 2], name[name.length - 1], run.path("params").path("candidate").asText("-"),
            run.path("threads").asInt(), run.path("mode").asText(), primary.path("score").asDouble(),
            primary.path("scoreError").asDouble(Double.NaN), primary.path("scoreUnit").asText(),
            secondary.getOrDefault("gc.alloc.rate.norm", Double.NaN), secondary, p50, List.copyOf(forkMeans));
    }

    /** @return "JDK version, VM name" of the runs. */
    String jdk()
    {
        return jdk;
    }

    /** @return "quick" (one fork) or "full". */
    String mode()
    {
        return mode;
    }

    /** @return the rows of one benchmark class. */
    List<Result> of(final String benchmark)
    {
        return rows.stream().filter(r -> r.benchmark().equals(benchmark)).toList();
    }

    /** @return a benchmark's candidates in the order they ran. */
    List<String> candidates(final String benchmark)
    {
        final List<String> names = new ArrayList<>();
        of(benchmark).stream().map(Result::candidate).filter(name -> !names.contains(name)).forEach(names::add);
        return names;
    }

    /**
     * @param method  the benchmark method, or null for any.
     * @param threads the thread count (of every thread in a group), or 0 for any.
     * @return the first matching result.
     */
    Optional<Result> find(final String benchmark, final String method, final String candidate, final int threads)
    {
        return of(benchmark).stream().filter(r -> r.candidate().equals(candidate) &&
            (method == null || r.method().equals(method)) && (threads == 0 || r.threads() == threads)).findFirst();
    }

    /** @return a score, or NaN when it was not measured. */
    double score(final String benchmark, final String method, final String candidate, final int threads)
    {
        return find(benchmark, method, candidate, threads).map(Result::score).orElse(Double.NaN);
    }

    /** @return a number as the report prints it: no decimals from 100, two below; "-" for NaN. */
    static String fmt(final double value)
    {
        if (Double.isNaN(value))
        {
            return "-";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    /** @return each fork's mean score, "a / b", or "-" when the results hold no iterations (sampled modes). */
    static String perFork(final Result result)
    {
        return result.forkMeans().isEmpty() ? "-" :
            String.join(" / ", result.forkMeans().stream().map(Results::fmt).toList());
    }

    /** @return a score with its error bar. */
    static String withError(final Result result)
    {
        return fmt(result.score()) + " ± " + fmt(result.error());
    }
}
