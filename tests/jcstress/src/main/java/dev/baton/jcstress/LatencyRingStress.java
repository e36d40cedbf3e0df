package dev.baton.jcstress;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import dev.baton.internal.layout.LatencyRingDescriptor;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.LatencyRing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The latency ring's seqlock: the Java reader never sees an entry half overwritten. libbaton is the
 * ring's only writer, so the writer here follows {@code baton__latency_ring_record} in
 * {@code native/latency_ring.c} store for store, with Java's orderings for C's.
 */
@JCStressTest
@Description("A recorder overwrites entry 0 (value 1) with value 3 while a reader reads entry 0.")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "read the old entry whole")
@Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "saw it being overwritten and left it out")
@Outcome(expect = FORBIDDEN, desc = "a torn read: value and time from different recordings")
@State
public class LatencyRingStress
{
    private final ChannelMemory channel = StressMemory.channel(1, 2, 2);
    private final LatencyRing ring = channel.latencyRing();

    public LatencyRingStress()
    {
        record(1, 1); // entry 0
        record(2, 2); // entry 1; the next recording overwrites entry 0
    }

    @Actor
    public void record()
    {
        record(3, 3);
    }

    @Actor
    public void read(final JJ_Result result)
    {
        result.r1 = -1;
        result.r2 = -1;
        ring.read(0, (value, recordedAt, source) -> {
            result.r1 = value;
            result.r2 = recordedAt;
        });
    }

    /** libbaton's recording, as in {@code native/latency_ring.c}. */
    private void record(final long value, final long now)
    {
        final MemorySegment memory = channel.memory();
        final long ringOffset = channel.geometry().latencyRingOffset();
        // relaxed fetch_add in C: only takes a distinct entry.
        final long index = (long)LatencyRingDescriptor.INDEX.getAndAddRelease(memory, ringOffset, 1L);
        final long entry = ringOffset + LatencyRingDescriptor.ENTRIES_OFFSET +
            (index & (ring.capacity() - 1)) * LatencyRingDescriptor.ENTRY_LENGTH;
        LatencyRingDescriptor.SEQUENCE.setOpaque(memory, entry, 0L);
        VarHandle.releaseFence(); // C: atomic_thread_fence(memory_order_release)
        LatencyRingDescriptor.VALUE.setOpaque(memory, entry, value);
        LatencyRingDescriptor.RECORDED_AT.setOpaque(memory, entry, now);
        LatencyRingDescriptor.SOURCE.setOpaque(memory, entry, LatencyRingDescriptor.SOURCE_NATIVE);
        LatencyRingDescriptor.SEQUENCE.setRelease(memory, entry, index + 1); // C: memory_order_release
        LatencyRingDescriptor.NATIVE_COUNT.getAndAddRelease(memory, ringOffset, 1L);
    }
}
