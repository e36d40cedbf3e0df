package dev.baton.jcstress;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.baton.internal.layout.BlockAreaDescriptor;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.BlockPools;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.Slab;
import dev.baton.internal.protocol.SlotFields;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The block area: a payload block's reuse seen by a checked read, and a result block's owner stamp,
 * kept in its link while it is taken, never reaching the free list. (Its free lists are the slab's
 * {@code FreeList}, which {@link SlabStress} holds to exclusive pops and pushes.)
 */
public final class BlockPoolStress
{
    private static final int ONE_KIB = 0;

    private BlockPoolStress()
    {
    }

    private static int[] blocksOfOneKiB(final int count)
    {
        final int[] counts = new int[BlockAreaDescriptor.CLASSES];
        counts[ONE_KIB] = count;
        return counts;
    }

    /**
     * One payload block only. A handler holds a claimed event whose payload ("old") lies in it and
     * makes a checked read; meanwhile a dispatcher cancels the event and dispatches another with
     * payload "new", which reuses the block. The read either copies the old bytes and finds the
     * event still there, or is rejected: it never accepts a copy that holds any new byte.
     */
    @JCStressTest
    @Description("A checked read of a payload block races the event's cancel and the block's reuse by a new dispatch.")
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "the read finished first: the old payload, accepted")
    @Outcome(id = "0", expect = ACCEPTABLE, desc = "the read saw the event end: rejected")
    @Outcome(expect = FORBIDDEN, desc = "an accepted copy holding bytes of the next event")
    @State
    public static class PayloadReuseIsSeenByACheckedRead
    {
        private static final long OLD = 0x0101_0101_0101_0101L;
        private static final long NEW = 0x0202_0202_0202_0202L;
        private static final int WORDS = 64;

        private final ChannelMemory channel = StressMemory.channelWithBlocks(2, blocksOfOneKiB(1));
        private final MemorySegment memory = channel.memory();
        private final Slab slab = channel.slab();
        private final BlockPools blocks = channel.payloadBlocks();
        private final long handle = dispatch(OLD);
        private final long slot = slab.slotOffset(Handles.index(handle));
        private final long payloadOffset;

        public PayloadReuseIsSeenByACheckedRead()
        {
            slab.transition(handle, SlotDescriptor.DISPATCHED, SlotDescriptor.POLLED);
            payloadOffset = SlotFields.payloadOffset(slot, blocks, SlotFields.payloadBlockPlain(memory, slot));
        }

        private long dispatch(final long word)
        {
            final int index = slab.tryAcquire();
            final int block = blocks.take(WORDS * Long.BYTES);
            final MemorySegment payload = MemorySegment.ofArray(new long[WORDS]).fill((byte)word);
            SlotFields.writeEvent(memory, slab.slotOffset(index), 0, 0, 0, 0, 0, 0, 0);
            SlotFields.writePayload(memory, slab.slotOffset(index), block, blocks.offset(block), payload);
            return slab.publish(index);
        }

        @Actor
        public void cancelAndReuse()
        {
            slab.free(handle, SlotDescriptor.POLLED, 0);
            dispatch(NEW);
        }

        @Actor
        public void checkedRead(final I_Result result)
        {
            final long[] copy = new long[WORDS];
            MemorySegment.copy(memory, ValueLayout.JAVA_LONG_UNALIGNED, payloadOffset, copy, 0, WORDS);
            final long word = SlotFields.stateAfterReads(memory, slot);
            final boolean stillOurs = SlotDescriptor.generation(word) == Handles.generation(handle) &&
                SlotDescriptor.state(word) == SlotDescriptor.POLLED;
            if (!stillOurs)
            {
                result.r1 = 0;
                return;
            }
            boolean allOld = true;
            for (final long value : copy)
            {
                allOld &= value == OLD;
            }
            result.r1 = allOld ? 1 : -1;
        }
    }

    /**
     * Two result blocks. One publisher takes a block, stamps it with its event and gives it back (a
     * lost race); another takes one and stamps it with its own. A pop that read the first block's
     * link from a stale head may read the stamp there, and must fail its CAS on the tag rather than
     * install it: afterwards the second publisher's block carries its stamp, and the list holds
     * exactly the other block.
     */
    @JCStressTest
    @Description("A result block's owner stamp, written into its link while it is taken, never reaches the free list.")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "the taken block is stamped for its taker; the list holds exactly the other")
    @Outcome(expect = FORBIDDEN, desc = "a stamp read as a link, a block taken twice, or one lost")
    @State
    public static class OwnerStampsStayOffTheList
    {
        private static final long RETURNED = Handles.handle(1, 0);
        private static final long KEPT = Handles.handle(1, 1);

        private final BlockPools blocks = StressMemory.channelWithBlocks(2, blocksOfOneKiB(2)).resultBlocks();
        private int kept;

        @Actor
        public void takeStampAndGiveBack()
        {
            final int block = blocks.take(8);
            blocks.stampOwner(block, RETURNED);
            blocks.release(block);
        }

        @Actor
        public void takeAndStamp()
        {
            kept = blocks.take(8);
            blocks.stampOwner(kept, KEPT);
        }

        @Arbiter
        public void arbiter(final III_Result result)
        {
            result.r1 = kept != 0 && blocks.ownedBy(kept, KEPT) ? 1 : 0;
            final int other = blocks.take(8);
            result.r2 = other != 0 && other != kept ? 1 : 0;
            result.r3 = blocks.take(8) == 0 ? 1 : 0;
        }
    }
}
