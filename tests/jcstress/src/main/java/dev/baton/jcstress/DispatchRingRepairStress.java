package dev.baton.jcstress;

import java.lang.foreign.MemorySegment;

import dev.baton.internal.layout.DispatchRingDescriptor;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.DispatchRing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JI_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * A dispatcher releases the cell of a consumer it presumed dead (patience 0 here) while that
 * consumer, only late, finishes its poll: reads the handle and releases the cell by CAS. Whatever
 * the interleaving, the ring stays whole: the later handles are polled in order and a round trip
 * after them works. The late consumer reads either its own handle or the one a producer wrote into
 * the reused cell; either way the slab's CAS, not the ring, decides who claims an event.
 */
@JCStressTest
@Description("The dispatch ring's repair of a dead consumer's cell, raced by that consumer arriving late.")
@Outcome(id = {"1, 1", "3, 1"}, expect = ACCEPTABLE, desc = "ring whole; the late consumer read its handle (1) or the reused cell's (3)")
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "ring whole; the late release came first, and 3 was offered normally")
@Outcome(expect = FORBIDDEN, desc = "the ring lost, duplicated or reordered a handle, or is wedged")
@State
public class DispatchRingRepairStress
{
    private static final long RING = HeaderDescriptor.LENGTH;
    private static final long CELL_0 = RING + DispatchRingDescriptor.CELLS_OFFSET;

    private final ChannelMemory channel = StressMemory.channel(2, 2, 2);
    private final MemorySegment memory = channel.memory();
    private final DispatchRing ring = channel.dispatchRing();
    private boolean repaired;
    private boolean offered;

    public DispatchRingRepairStress()
    {
        DispatchRingStress.offer(ring, 1);
        DispatchRingStress.offer(ring, 2);
        // A consumer takes position 0 and stalls before reading the handle and releasing the cell.
        DispatchRingDescriptor.CONSUMER_INDEX.compareAndSet(memory, RING, 0L, 1L);
    }

    @Actor
    public void lateConsumer(final JI_Result result)
    {
        result.r1 = (long)DispatchRingDescriptor.HANDLE.getOpaque(memory, CELL_0);
        // The consumer's release, as poll makes it: a CAS from the sequence it saw.
        DispatchRingDescriptor.SEQUENCE.compareAndExchangeRelease(memory, CELL_0, 1L, 2L);
    }

    @Actor
    public void dispatcher()
    {
        ring.unblockIfStalled(-1); // notes the stall
        repaired = ring.unblockIfStalled(-1);
        offered = DispatchRingStress.offer(ring, 3);
    }

    @Arbiter
    public void arbiter(final JI_Result result)
    {
        final boolean ordered = ring.poll() == 2 && (!offered || ring.poll() == 3) && ring.poll() == Handles.NONE;
        final boolean roundTrip = DispatchRingStress.offer(ring, 4) && ring.poll() == 4;
        result.r2 = !offered || !ordered || !roundTrip ? 0 : repaired ? 1 : 2;
    }
}
