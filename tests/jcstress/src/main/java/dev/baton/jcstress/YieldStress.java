package dev.baton.jcstress;

import dev.baton.internal.layout.Errno;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.Slab;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** A dispatch claim's end, and a yield's YIELDING state, against the slab's other transitions. */
public final class YieldStress
{
    private YieldStress()
    {
    }

    @JCStressTest
    @Description("A commit and an abort end one dispatch claim at once: exactly one does, and the slot is then " +
        "dispatched, or free again under the next generation.")
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "the commit won: the event is DISPATCHED")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "the abort won: the slot is FREE(g+1) and on the free list")
    @Outcome(expect = FORBIDDEN, desc = "both or neither ended it, or the slot is in neither end state")
    @State
    public static class CommitVersusAbort
    {
        private final ChannelMemory channel = StressMemory.channel(1, 2, 2);
        private final Slab slab = channel.slab();
        private final int index = slab.tryAcquire();
        private final long token;

        public CommitVersusAbort()
        {
            slab.markClaim(index, 0);
            token = Handles.handle(SlotDescriptor.generation(slab.loadState(index)), index);
        }

        @Actor
        public void commit(final III_Result result)
        {
            result.r1 = slab.endClaim(token) && slab.publish(index) == token ? 1 : 0;
        }

        @Actor
        public void abort(final III_Result result)
        {
            if (slab.endClaim(token))
            {
                slab.freeOwned(token);
                result.r2 = 1;
            }
        }

        @Arbiter
        public void settle(final III_Result result)
        {
            final long word = slab.loadState(index);
            final int generation = Handles.generation(token);
            final boolean dispatched = word == SlotDescriptor.stateWord(generation, SlotDescriptor.DISPATCHED);
            final boolean freed = word == SlotDescriptor.stateWord(Handles.nextGeneration(generation), SlotDescriptor.FREE) &&
                slab.tryAcquire() == index;
            result.r3 = result.r1 == 1 ? (dispatched ? 1 : 0) : (freed ? 1 : 0);
        }
    }

    @JCStressTest
    @Description("A handler hands its claimed event back (POLLED to YIELDING, a continuation written, then " +
        "DISPATCHED) while a dispatcher cancels it as DispatchOps.cancel does: the cancel never frees the slot " +
        "under the continuation's writer.")
    @Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "the cancel freed the claimed event first; the yield saw it gone")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "the yield finished; the cancel freed the event waiting again")
    @Outcome(id = "1, -11, 1", expect = ACCEPTABLE, desc = "the cancel found the event YIELDING (EAGAIN); it waits again")
    @Outcome(expect = FORBIDDEN, desc = "the slot was freed while YIELDING, or the event was lost")
    @State
    public static class YieldVersusCancel
    {
        private final ChannelMemory channel = StressMemory.channel(1, 2, 2);
        private final Slab slab = channel.slab();
        private final long handle = slab.publish(slab.tryAcquire());

        public YieldVersusCancel()
        {
            slab.transition(handle, SlotDescriptor.DISPATCHED, SlotDescriptor.POLLED);
        }

        @Actor
        public void yieldWith(final III_Result result)
        {
            final int yielding = SlotDescriptor.yieldingFrom(SlotDescriptor.POLLED);
            if (!slab.transition(handle, SlotDescriptor.POLLED, yielding))
            {
                return;
            }
            result.r1 = slab.transition(handle, yielding, SlotDescriptor.DISPATCHED) ? 1 : -1;
        }

        @Actor
        public void cancel(final III_Result result)
        {
            while (true)
            {
                final long word = slab.loadState(Handles.index(handle));
                final int state = SlotDescriptor.state(word);
                if (SlotDescriptor.generation(word) != Handles.generation(handle) ||
                    (state != SlotDescriptor.DISPATCHED && state != SlotDescriptor.POLLED))
                {
                    result.r2 = Slab.rejection(handle, word, SlotDescriptor.DISPATCHED);
                    return;
                }
                if (slab.free(handle, state, 0))
                {
                    result.r2 = Errno.OK;
                    return;
                }
            }
        }

        @Arbiter
        public void settle(final III_Result result)
        {
            result.r3 = SlotDescriptor.state(slab.loadState(Handles.index(handle)));
        }
    }
}
