package dev.baton.jcstress;

import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.SlotMagazines;
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
 * The slots a thread keeps off the free list in its magazine for its own dispatches
 * ({@link SlotMagazines}): only their owner takes them, and another thread that finds the list empty
 * gets them back once it asks.
 */
public final class KeptSlotStress
{
    private KeptSlotStress()
    {
    }

    @JCStressTest
    @Description("A slab of 64 slots, each magazine keeping one, every slot taken: the host's thread, which dispatches as well as drains, finds no slot, frees slot 0 into its magazine, ends its drain and dispatches; another thread dispatches, and asks when it finds its magazine and the list empty. The slot goes to exactly one of them.")
    @Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "the host took the slot it kept, or pushed it back and popped it again")
    @Outcome(id = "-1, 0", expect = ACCEPTABLE, desc = "the other thread asked before the host's last call, and popped the slot pushed back")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "one slot handed to two dispatches")
    @Outcome(expect = FORBIDDEN, desc = "the slot lost to both")
    @State
    public static class OneSlotGoesToOneDispatch
    {
        private static final int SLOTS = 64;
        private final ChannelMemory channel = StressMemory.channel(SLOTS, 2, 2);
        private final Slab slab = channel.slab();
        private final long handle;

        public OneSlotGoesToOneDispatch()
        {
            handle = slab.publish(slab.tryAcquire());
            slab.transition(handle, SlotDescriptor.DISPATCHED, SlotDescriptor.COMPLETED);
            for (int i = 1; i < SLOTS; i++)
            {
                slab.tryAcquire();
            }
        }

        @Actor
        public void host(final II_Result result)
        {
            // forbidden: every slot is taken, and the only one freed below is not yet
            if (slab.tryAcquire() != -1)
            {
                result.r1 = -2;
                return;
            }
            slab.freeOwned(handle); // the drain frees into its thread's magazine
            slab.endDrain();
            result.r1 = slab.tryAcquire();
        }

        @Actor
        public void otherDispatcher(final II_Result result)
        {
            final int first = slab.tryAcquire();
            result.r2 = first >= 0 ? first : slab.tryAcquire();
        }
    }
}
