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
    @Description("A run pop of two races a single pop on a four-slot slab: each slot goes to exactly one of them.")
    @Outcome(id = "7, 3", expect = ACCEPTABLE, desc = "the top three slots, two to the run and one to the single pop, each once")
    @Outcome(expect = FORBIDDEN, desc = "a slot handed out twice, or a slot lost")
    @State
    public static class RunPopAgainstPop
    {
        private final ChannelMemory channel = StressMemory.channel(4, 4, 2);
        private final int[] run = new int[2];
        private int runCount;
        private int single;

        @Actor
        public void run()
        {
            runCount = channel.slab().tryAcquireRun(run, 2);
        }

        @Actor
        public void single()
        {
            single = channel.slab().tryAcquire();
        }

        /** r1: the slots handed out, one bit each (7: slots 0, 1, 2); r2: how many, when slot 3 alone is left. */
        @Arbiter
        public void check(final II_Result result)
        {
            int bits = 0;
            int count = 0;
            for (int i = 0; i < runCount; i++)
            {
                bits |= 1 << run[i];
                count++;
            }
            if (single >= 0)
            {
                bits |= 1 << single;
                count++;
            }
            result.r1 = bits;
            final int left = channel.slab().tryAcquire();
            result.r2 = left == 3 && channel.slab().tryAcquire() == -1 ? count : -1;
        }
    }

    @JCStressTest
    @Description("A run of two pushed back with one CAS races a pop and push back of the list's last slot (the ABA shape).")
    @Outcome(id = "3", expect = ACCEPTABLE, desc = "the free list holds the run's two slots and the other one, each once")
    @Outcome(expect = FORBIDDEN, desc = "the free list lost, duplicated or corrupted a slot")
    @State
    public static class RunPushAgainstPopPush
    {
        private final ChannelMemory channel = StressMemory.channel(4, 4, 2);
        private final int[] run = new int[4];

        public RunPushAgainstPopPush()
        {
            channel.slab().tryAcquireRun(run, 3); // slots 0, 1, 2 held; 3 left on the list
        }

        @Actor
        public void pushRun()
        {
            channel.slab().releaseRun(run, 0, 2);
        }

        @Actor
        public void popPush()
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
            final int[] left = new int[4];
            final int count = channel.slab().tryAcquireRun(left, 4);
            int bits = 0;
            for (int i = 0; i < count; i++)
            {
                bits |= 1 << left[i];
            }
            result.r1 = bits == 0b1011 && count == 3 ? 3 : -1;
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
            result.r1 = channel.slab().free(handle, SlotDescriptor.DISPATCHED, 0);
        }

        @Actor
        public void claim(final ZZ_Result result)
        {
            result.r2 = channel.slab().transition(handle, SlotDescriptor.DISPATCHED, SlotDescriptor.POLLED);
        }
    }
}
