package dev.baton.jcstress;

import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.ChannelMemory;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** The slab's free list and its generation-checked transitions. */
public final class SlabStress
{
    private SlabStress()
    {
    }

    @JCStressTest
    @Description("Two threads acquire from a two-slot slab: they get different slots.")
    @Outcome(id = {"0, 1", "1, 0"}, expect = ACCEPTABLE, desc = "each thread owns its own slot")
    @Outcome(expect = FORBIDDEN, desc = "a slot handed out twice, or a slot lost")
    @State
    public static class ExclusiveAcquire
    {
        private final ChannelMemory channel = StressMemory.channel(2, 4, 2);

        @Actor
        public void first(final II_Result result)
        {
            result.r1 = channel.slab().tryAcquire();
        }

        @Actor
        public void second(final II_Result result)
        {
            result.r2 = channel.slab().tryAcquire();
        }
    }

    @JCStressTest
    @Description("Two threads pop and push back concurrently (the ABA shape); afterwards the free list holds both slots once.")
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "both slots are free again, each once")
    @Outcome(expect = FORBIDDEN, desc = "the free list lost, duplicated or corrupted a slot")
    @State
    public static class PopPushIntegrity
    {
        private final ChannelMemory channel = StressMemory.channel(2, 4, 2);

        @Actor
        public void first()
        {
            final int index = channel.slab().tryAcquire();
            if (index >= 0)
            {
                channel.slab().release(index);
            }
        }

        @Actor
        public void second()
        {
            final int index = channel.slab().tryAcquire();
            if (index >= 0)
            {
                channel.slab().release(index);
            }
        }

        @Arbiter
        public void count(final I_Result result)
        {
            final int a = channel.slab().tryAcquire();
            final int b = channel.slab().tryAcquire();
            final int c = channel.slab().tryAcquire();
            result.r1 = a >= 0 && b >= 0 && a != b && c == -1 ? 2 : -1;
        }
    }

    @JCStressTest
    @Description("A cancel (DISPATCHED to FREE, next generation) races a claim (DISPATCHED to POLLED) of one handle.")
    @Outcome(id = "true, false", expect = ACCEPTABLE, desc = "the cancel won; the claim saw a stale handle")
    @Outcome(id = "false, true", expect = ACCEPTABLE, desc = "the claim won; the cancel found it claimed")
    @Outcome(expect = FORBIDDEN, desc = "both or neither acted on the event")
    @State
    public static class CancelVersusClaim
    {
        private final ChannelMemory channel = StressMemory.channel(1, 2, 2);
        private final long handle = channel.slab().publish(channel.slab().tryAcquire());

        @Actor
        public void cancel(final ZZ_Result result)
        {
            result.r1 = channel.slab().free(handle, SlotDescriptor.DISPATCHED);
        }

        @Actor
        public void claim(final ZZ_Result result)
        {
            result.r2 = channel.slab().transition(handle, SlotDescriptor.DISPATCHED, SlotDescriptor.POLLED);
        }
    }
}
