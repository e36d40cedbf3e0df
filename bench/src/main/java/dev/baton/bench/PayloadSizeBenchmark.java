package dev.baton.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.baton.PolledEvent;
import dev.baton.OutcomeHandler;
import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.Poller;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscArrayQueue;
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
 * Dispatch, complete and drain one event whose payload, and whose result, are {@code size} bytes,
 * on one thread, so that the figure is each design's work and not the machine's cross-core noise.
 * Every candidate moves the same bytes: the host's payload reaches the handler, the handler answers
 * with a result as long, made from the payload's bytes, and the host copies the result out.
 * <ul>
 *   <li>{@code baton}: the channel copies the payload into its slot or a block, the handler reads it
 *       in place and completes with it (one copy into the result's record or block), and the host
 *       copies the result out: three copies.</li>
 *   <li>{@code onHeap}: JCTools queues and a ConcurrentHashMap, as the end-to-end benchmark's
 *       on-heap pipeline; the payload is copied into a new array, the handler copies it into a new
 *       result array, the host copies the result out: three copies, and two arrays per event.</li>
 *   <li>{@code memcpy}: one copy of {@code size} bytes between two off-heap buffers, the physical
 *       limit of a design that copies: bytes per second as a fraction of it is the report's figure.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@BenchmarkMode(Mode.AverageTime)
public class PayloadSizeBenchmark
{
    @Param({"64", "1024", "16384", "1048576"})
    public int size;

    @Param({"baton", "onHeap", "memcpy"})
    public String candidate;

    private final Arena arena = Arena.ofShared();
    private MemorySegment payload;
    private MemorySegment received;
    private long nextId;

    private DispatchChannel channel;
    private Poller poller;
    private final OutcomeHandler onOutcome = completion -> MemorySegment.copy(
        completion.result(), 0, received, 0, completion.resultLength());

    private final MpmcArrayQueue<byte[]> toHandler = new MpmcArrayQueue<>(64);
    private final MpscArrayQueue<byte[]> toHost = new MpscArrayQueue<>(64);
    private final ConcurrentHashMap<Long, byte[]> pending = new ConcurrentHashMap<>();

    @Setup(Level.Trial)
    public void setUp()
    {
        payload = arena.allocate(size, Long.BYTES).fill((byte)7);
        received = arena.allocate(size, Long.BYTES);
        channel = DispatchChannel.builder().slabCapacity(64).withoutBlocks()
            .blocks(Math.max(1024, Integer.highestOneBit(size - 1) << 1), 4).build();
        poller = channel.newPoller();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        channel.close();
        arena.close();
    }

    @Benchmark
    public long event()
    {
        return switch (candidate)
        {
            case "baton" -> baton();
            case "onHeap" -> onHeap();
            default -> memcpy();
        };
    }

    private long baton()
    {
        final long id = nextId++;
        if (channel.dispatcher().dispatch(0, id, 0, 0, 1, payload) <= 0)
        {
            throw new IllegalStateException("dispatch refused");
        }
        final PolledEvent event = poller.poll();
        // The handler's answer is its payload, read in place: one copy into the result's room.
        if (poller.complete(event.handle(), 200, event.payload()) != ErrorCode.OK ||
            channel.outcomeDrain().drain(onOutcome, 1) != 1)
        {
            throw new IllegalStateException("round trip failed");
        }
        return received.get(ValueLayout.JAVA_BYTE, size - 1);
    }

    private long onHeap()
    {
        final long id = nextId++;
        final byte[] message = new byte[size];
        MemorySegment.copy(payload, 0, MemorySegment.ofArray(message), 0, size);
        pending.put(id, message);
        toHandler.offer(message);
        final byte[] claimed = toHandler.poll();
        final byte[] result = new byte[size];
        System.arraycopy(claimed, 0, result, 0, size);
        toHost.offer(result);
        final byte[] answer = toHost.poll();
        pending.remove(id);
        MemorySegment.copy(MemorySegment.ofArray(answer), 0, received, 0, size);
        return received.get(ValueLayout.JAVA_BYTE, size - 1);
    }

    private long memcpy()
    {
        MemorySegment.copy(payload, 0, received, 0, size);
        return received.get(ValueLayout.JAVA_BYTE, size - 1);
    }
}
