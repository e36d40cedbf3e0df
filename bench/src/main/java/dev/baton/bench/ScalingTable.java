package dev.baton.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** A benchmark's candidates against its thread counts: a table of ns/op with error bars, and its chart. */
final class ScalingTable
{
    private ScalingTable()
    {
    }

    /**
     * Writes the table, saves the chart as {@code CHART_NAME.png} in the chart directory and links it.
     *
     * @param chartDir  where the chart goes.
     * @param chartLink the chart directory as the report links it.
     */
    static void write(final StringBuilder out, final Results results, final String benchmark, final String method,
        final Path chartDir, final Path chartLink, final String chartName) throws IOException
    {
        final TreeSet<Integer> threadCounts = new TreeSet<>();
        results.of(benchmark).forEach(r -> threadCounts.add(r.threads()));
        out.append("| candidate |");
        threadCounts.forEach(t -> out.append(" ").append(t).append(t == 1 ? " thread |" : " threads |"));
        out.append(" B/op at 1 thread |\n|---|");
        threadCounts.forEach(t -> out.append("---|"));
        out.append("---|\n");
        final XYChart chart = new XYChartBuilder().width(800).height(450).title(benchmark)
            .xAxisTitle("threads").yAxisTitle("ns/op (log)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        for (final String candidate : results.candidates(benchmark))
        {
            out.append("| ").append(candidate).append(" |");
            final List<Double> xs = new ArrayList<>();
            final List<Double> ys = new ArrayList<>();
            for (final int threads : threadCounts)
            {
                final var result = results.find(benchmark, method, candidate, threads);
                out.append(" ").append(result.map(Results::withError).orElse("-")).append(" |");
                result.ifPresent(r -> {
                    xs.add((double)threads);
                    ys.add(r.score());
                });
            }
            out.append(" ").append(results.find(benchmark, method, candidate, threadCounts.first())
                .map(r -> Results.fmt(r.bytesPerOp())).orElse("-")).append(" |\n");
            if (!xs.isEmpty())
            {
                chart.addSeries(candidate, xs, ys);
            }
        }
        BitmapEncoder.saveBitmap(chart, chartDir.resolve(chartName).toString(), BitmapEncoder.BitmapFormat.PNG);
        out.append("\n![").append(benchmark).append("](").append(chartLink).append('/').append(chartName).append(".png)\n\n");
    }
}
