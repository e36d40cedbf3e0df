package dev.baton.jcstress;

import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.FreedSlots;
import dev.baton.internal.protocol.Slab;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The slots the host's drain keeps off the free list for its own thread's dispatches
 * ({@link FreedSlots}): only their owner takes them, and another thread that finds the list empty
 * gets them back once it asks.
 */
public final class KeptSlotStress
{
    private KeptSlotStress()
    {
    }

    @JCStressTest
    @Description("A one-slot slab: the host's thread, which dispatches as well as drains, frees the slot into the slots it keeps, ends its drain and dispatches; another thread dispatches, and asks when it finds the list empty. The slot goes to exactly one of them.")
    @Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "the host took the slot it kept, or pushed it back and popped it again")
    @Outcome(id = "-1, 0", expect = ACCEPTABLE, desc = "the other thread asked before the drain ended, and popped the slot pushed back")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "one slot handed to two dispatches")
    @Outcome(expect = FORBIDDEN, desc = "the slot lost to both")
    @State
    public static class OneSlotGoesToOneDispatch
    {
        private final ChannelMemory channel = StressMemory.channel(1, 2, 2);
        private final Slab slab = channel.slab();
        private final FreedSlots kept = new FreedSlots(32);
        private final long handle;

        public OneSlotGoesToOneDispatch()
        {
            handle = slab.publish(slab.tryAcquire());
            slab.transition(handle, SlotDescriptor.DISPATCHED, SlotDescriptor.COMPLETED);
        }

        @Actor
        public void host(final II_Result result)
        {
            // forbidden: the first drain of a channel owns the slots kept, and a dispatch as owner
            // finds nothing in a slab whose one slot is in flight
            if (!kept.own(Thread.currentThread()) || slab.tryAcquire(kept) != -1)
            {
                result.r1 = -2;
                return;
            }
            slab.freeOwnedInto(handle, kept);
            slab.trimFreed(kept); // the drain's end
            result.r1 = slab.tryAcquire(kept);
        }

        @Actor
        public void otherDispatcher(final II_Result result)
        {
            final int first = slab.tryAcquire(kept);
            result.r2 = first >= 0 ? first : slab.tryAcquire(kept);
        }
    }
}
