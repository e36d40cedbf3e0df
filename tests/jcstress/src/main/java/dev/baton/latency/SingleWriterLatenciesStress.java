package dev.baton.latency;

import org.HdrHistogram.Histogram;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The drain's latency histogram ({@link SingleWriterLatencies}): the writer runs no locked
 * instruction, and a reader copies whole runs only, by itself between runs or by asking the writer.
 * In this package, beside the class, which is not public.
 */
public final class SingleWriterLatenciesStress
{
    private SingleWriterLatenciesStress()
    {
    }

    @JCStressTest
    @Description("A drain records a run of two values and then a run of one; a reader adds what ended to its total, twice. Each read holds whole runs, and the second at least what the first held.")
    @Outcome(id = {"0, 0", "0, 2", "0, 3", "2, 2", "2, 3", "3, 3"}, expect = ACCEPTABLE, desc = "whole runs, never fewer on the second read")
    @Outcome(expect = FORBIDDEN, desc = "part of a run, or a read that went back")
    @State
    public static class ReadsSeeWholeRuns
    {
        private final SingleWriterLatencies latencies = new SingleWriterLatencies(1, 1000, 1);
        private final Histogram total = new Histogram(1, 1000, 1);

        @Actor
        public void drain()
        {
            latencies.record(10);
            latencies.record(20);
            latencies.endRun();
            latencies.record(30);
            latencies.endRun();
        }

        @Actor
        public void reader(final JJ_Result result)
        {
            latencies.addIntervalTo(total);
            result.r1 = total.getTotalCount();
            latencies.addIntervalTo(total);
            result.r2 = total.getTotalCount();
        }
    }
}
