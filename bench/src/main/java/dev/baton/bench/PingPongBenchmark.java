package dev.baton.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Control;

/**
 * The physical limit: two threads pass a token back and forth by compare-and-swap on one cache
 * line. One operation of a thread is one hand-off; a round trip is two, so the round-trip time is
 * twice the reported time per operation. Every other round trip in the report is quoted against it.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PingPongBenchmark
{
    private final AtomicLong token = new AtomicLong();

    private void handOff(final long parity, final Control control)
    {
        while (!control.stopMeasurement)
        {
            final long seen = token.get();
            if ((seen & 1) == parity && token.compareAndSet(seen, seen + 1))
            {
                return;
            }
            Thread.onSpinWait();
        }
    }

    @Benchmark
    @Group("pingPong")
    @GroupThreads(1)
    public void ping(final Control control)
    {
        handOff(0, control);
    }

    @Benchmark
    @Group("pingPong")
    @GroupThreads(1)
    public void pong(final Control control)
    {
        handOff(1, control);
    }
}
