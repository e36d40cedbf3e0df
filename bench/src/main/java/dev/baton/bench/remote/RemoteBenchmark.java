package dev.baton.bench.remote;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Three pipelines that carry a number to a handler over UDP on loopback and its answer back, side by
 * side in one run: through Baton's Aeron bridge (host channel, bridge, node, local channel, handler),
 * Aeron's own ping (the engine's floor), and a gRPC bidirectional stream (what a user would write
 * instead). {@code roundTrip}: one number in flight, sampled for percentiles. {@code window}: 64 in
 * flight, sent together and awaited together, for throughput per number. Run by
 * {@code make bench-remote}, which writes docs/reports/remote-bridge.md.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"})
public class RemoteBenchmark
{
    /** Numbers in flight in {@link #window}. */
    public static final int WINDOW = 64;

    @Param({"bridge", "aeron", "grpc"})
    public String pipeline;

    private RemotePipeline transport;

    @Setup(Level.Trial)
    public void start()
    {
        transport = switch (pipeline)
        {
            case "bridge" -> new BridgePipeline();
            case "aeron" -> new AeronPing();
            case "grpc" -> new GrpcPipeline();
            default -> throw new IllegalArgumentException("no pipeline " + pipeline);
        };
    }

    @TearDown(Level.Trial)
    public void stop()
    {
        transport.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public int roundTrip()
    {
        return transport.exchange(1);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OperationsPerInvocation(WINDOW)
    public int window()
    {
        return transport.exchange(WINDOW);
    }
}
