package dev.baton.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import dev.baton.PolledEvent;
import dev.baton.OutcomeHandler;
import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.PayloadClaim;
import dev.baton.Poller;
import dev.baton.TraceContext;
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

/**
 * What the zero-copy dispatch and the yield cost beside a plain round trip, on one thread:
 * dispatch (copied from the caller's buffer, or claimed and written in place), claim, complete and
 * drain one event of {@code size} payload bytes; and the same round trip with one yield
 * between the claim and the completion, the event dispatched again and claimed a second time.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@BenchmarkMode(Mode.AverageTime)
public class YieldBenchmark
{
    @Param({"64", "16384"})
    public int size;

    private final Arena arena = Arena.ofShared();
    private final PayloadClaim claim = new PayloadClaim();
    private MemorySegment payload;
    private MemorySegment result;
    private DispatchChannel channel;
    private Poller poller;
    private long nextId;
    private long drained;
    private final OutcomeHandler onOutcome = completion -> drained += completion.status();

    @Setup(Level.Trial)
    public void setUp()
    {
        payload = arena.allocate(size, Long.BYTES).fill((byte)7);
        result = arena.allocate(16, Long.BYTES);
        channel = DispatchChannel.builder().slabCapacity(64).withoutBlocks().blocks(32 * 1024, 8).build();
        poller = channel.newPoller();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        channel.close();
        arena.close();
    }

    /** dispatch copies the payload from the caller's buffer. */
    @Benchmark
    public long copied()
    {
        final long handle = channel.dispatcher().dispatch(0, nextId++, 0, 0, 1, payload);
        return finish(handle, poller.poll());
    }

    /** claim, the payload written in place, commit. */
    @Benchmark
    public long claimed()
    {
        if (channel.dispatcher().claim(0, nextId++, 0, 0, 1, size, TraceContext.NONE, claim) != ErrorCode.OK)
        {
            throw new IllegalStateException("claim refused");
        }
        MemorySegment.copy(payload, 0, claim.buffer(), claim.offset(), size);
        final long handle = claim.commit();
        return finish(handle, poller.poll());
    }

    /** dispatch, claim, yield with the payload as the continuation, claim again. */
    @Benchmark
    public long yieldedOnce()
    {
        final long handle = channel.dispatcher().dispatch(0, nextId++, 0, 0, 1, payload);
        final PolledEvent first = poller.poll();
        if (first == null || poller.yieldEvent(handle, payload) != ErrorCode.OK)
        {
            throw new IllegalStateException("yield refused");
        }
        return finish(handle, poller.poll());
    }

    private long finish(final long handle, final PolledEvent event)
    {
        if (handle <= 0 || event == null || poller.complete(handle, 1, result) != ErrorCode.OK ||
            channel.outcomeDrain().drain(onOutcome, 1) != 1)
        {
            throw new IllegalStateException("round trip failed: " + ErrorCode.describe(handle));
        }
        return drained;
    }
}
