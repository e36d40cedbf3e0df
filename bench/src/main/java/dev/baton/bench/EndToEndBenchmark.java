package dev.baton.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Control;

/**
 * End to end: the host dispatches an event, one handler thread answers it (twice its number), the
 * host drains the completion and forgets the pending event. {@code throughput} keeps up to
 * {@value #WINDOW} events in flight and reports time per event; {@code singleRoundTrip} sends one
 * event at a time and samples each round trip's latency. The candidates are {@link Pipelines}'.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EndToEndBenchmark
{
    private static final int WINDOW = 64;

    @Param({"batonCHandlers", "batonCHandlers2", "batonCHandlersBatch", "batonJavaHandlers", "onHeapJctools", "seedBlocking", "batonOneThread",
        "batonOneThreadBatch", "onHeapOneThread", "onHeapSameWork"})
    public String candidate;

    private Pipelines.Pipeline pipeline;
    private long nextId;
    private long inFlight;

    @Setup(Level.Trial)
    public void setUp()
    {
        pipeline = Pipelines.of(candidate);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        pipeline.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public long throughput(final Control control)
    {
        while (!pipeline.dispatch(nextId))
        {
            inFlight -= pipeline.drain();
            if (control.stopMeasurement)
            {
                return inFlight;
            }
        }
        nextId++;
        inFlight++;
        inFlight -= pipeline.drain();
        while (inFlight >= WINDOW && !control.stopMeasurement)
        {
            inFlight -= pipeline.drain();
        }
        return inFlight;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public long singleRoundTrip(final Control control)
    {
        while (inFlight > 0 && !control.stopMeasurement)
        {
            inFlight -= pipeline.drain(); // left over from the other mode or a stopped round trip
        }
        if (!pipeline.dispatch(nextId++))
        {
            return -1;
        }
        inFlight++;
        while (inFlight > 0 && !control.stopMeasurement)
        {
            inFlight -= pipeline.drain();
        }
        return inFlight;
    }
}
