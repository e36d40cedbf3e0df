package dev.baton.jcstress;

import dev.baton.internal.layout.Handles;
import dev.baton.internal.protocol.DispatchRing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** The MPMC dispatch ring. jcstress runs a test only with as many CPUs as actors: two here. */
public final class DispatchRingStress
{
    private DispatchRingStress()
    {
    }

    /** Claims a position and commits the handle there: whether the ring had room. */
    static boolean offer(final DispatchRing ring, final long handle)
    {
        final long position = ring.claim();
        if (position < 0)
        {
            return false;
        }
        ring.commit(position, handle);
        return true;
    }

    @JCStressTest
    @Description("Two threads each offer a handle (1 and 2) and then poll once; the arbiter polls the rest.")
    @Outcome(id = {"1, 0", "1, 1", "1, 2"}, expect = ACCEPTABLE, desc = "each handle delivered exactly once (r2: how many the threads polled)")
    @Outcome(expect = FORBIDDEN, desc = "a handle lost or delivered twice")
    @State
    public static class NoLossNoDuplication
    {
        private final DispatchRing ring = StressMemory.channel(2, 4, 2).dispatchRing();
        private long polledFirst;
        private long polledSecond;

        @Actor
        public void first()
        {
            offer(ring, 1);
            polledFirst = ring.poll();
        }

        @Actor
        public void second()
        {
            offer(ring, 2);
            polledSecond = ring.poll();
        }

        @Arbiter
        public void rest(final II_Result result)
        {
            final int[] seen = new int[3];
            seen[(int)polledFirst]++;
            seen[(int)polledSecond]++;
            for (long handle = ring.poll(); handle != Handles.NONE; handle = ring.poll())
            {
                seen[(int)handle]++;
            }
            result.r1 = seen[1] == 1 && seen[2] == 1 ? 1 : 0;
            result.r2 = (polledFirst != 0 ? 1 : 0) + (polledSecond != 0 ? 1 : 0);
        }
    }

    @JCStressTest
    @Description("One producer offers 1 then 2; a consumer polls twice: it never sees 2 before 1.")
    @Outcome(id = {"0, 0", "1, 0", "0, 1", "1, 2"}, expect = ACCEPTABLE, desc = "in order, or not yet published")
    @Outcome(expect = FORBIDDEN, desc = "out of order or duplicated")
    @State
    public static class FifoPerProducer
    {
        private final DispatchRing ring = StressMemory.channel(2, 4, 2).dispatchRing();

        @Actor
        public void produce()
        {
            offer(ring, 1);
            offer(ring, 2);
        }

        @Actor
        public void consume(final II_Result result)
        {
            result.r1 = (int)ring.poll();
            result.r2 = (int)ring.poll();
        }
    }

    @JCStressTest
    @Description("One producer claims a run of two cells (handles 1 and 2) while another claims one (3), on a "
        + "ring of four; the arbiter polls everything: each handle once, and the run's two in order.")
    @Outcome(id = {"1, 1", "1, 0"}, expect = ACCEPTABLE, desc = "each handle once, 1 before 2 (r2: whether the run was claimed whole)")
    @Outcome(expect = FORBIDDEN, desc = "a handle lost, delivered twice, or the run out of order")
    @State
    public static class RunClaimAgainstSingleClaim
    {
        private final DispatchRing ring = StressMemory.channel(2, 4, 4).dispatchRing();
        private final long[] positions = new long[2];
        private int claimed;

        @Actor
        public void run()
        {
            claimed = ring.claimRun(2, positions);
            if (claimed == 2)
            {
                ring.commit(positions[1], 2); // out of order: consumers still stop at the first
                ring.commit(positions[0], 1);
            }
            else
            {
                offer(ring, 1); // the run found the index moved: one cell at a time
                offer(ring, 2);
            }
        }

        @Actor
        public void single()
        {
            offer(ring, 3);
        }

        @Arbiter
        public void rest(final II_Result result)
        {
            final int[] seen = new int[4];
            int order = 0;
            for (long handle = ring.poll(); handle != Handles.NONE; handle = ring.poll())
            {
                seen[(int)handle]++;
                if (handle == 1 || handle == 2)
                {
                    order = order * 10 + (int)handle;
                }
            }
            result.r1 = seen[1] == 1 && seen[2] == 1 && seen[3] == 1 && order == 12 ? 1 : 0;
            result.r2 = claimed == 2 ? 1 : 0;
        }
    }

    @JCStressTest
    @Description("A run of two is claimed and committed while a consumer polls twice: it sees the run's handles in "
        + "order or not yet, never the second before the first, never one twice.")
    @Outcome(id = {"0, 0", "0, 1", "1, 0", "1, 2"}, expect = ACCEPTABLE, desc = "in order, or not yet committed")
    @Outcome(expect = FORBIDDEN, desc = "out of order or duplicated")
    @State
    public static class RunIsPolledInOrder
    {
        private final DispatchRing ring = StressMemory.channel(2, 4, 4).dispatchRing();
        private final long[] positions = new long[2];

        @Actor
        public void produce()
        {
            if (ring.claimRun(2, positions) == 2)
            {
                ring.commit(positions[0], 1);
                ring.commit(positions[1], 2);
            }
        }

        @Actor
        public void consume(final II_Result result)
        {
            result.r1 = (int)ring.poll();
            result.r2 = (int)ring.poll();
        }
    }

    @JCStressTest
    @Description("Three handles wait in the ring; one consumer takes a run of up to two with one index claim while "
        + "another polls one; the arbiter polls the rest: each handle once, and the run in ring order.")
    @Outcome(id = {"1, 2", "1, 1", "1, 0"}, expect = ACCEPTABLE, desc = "each handle once, in order (r2: how many the run took)")
    @Outcome(expect = FORBIDDEN, desc = "a handle lost, taken twice, or a run out of order")
    @State
    public static class PollRunAgainstPoll
    {
        private final DispatchRing ring = StressMemory.channel(2, 4, 4).dispatchRing();
        private final long[] run = new long[2];
        private int taken;
        private long polled;

        public PollRunAgainstPoll()
        {
            offer(ring, 1);
            offer(ring, 2);
            offer(ring, 3);
        }

        @Actor
        public void takeRun()
        {
            taken = ring.pollRun(2, run);
        }

        @Actor
        public void pollOne()
        {
            polled = ring.poll();
        }

        @Arbiter
        public void rest(final II_Result result)
        {
            final int[] seen = new int[4];
            for (int i = 0; i < taken; i++)
            {
                seen[(int)run[i]]++;
            }
            seen[(int)polled]++;
            for (long handle = ring.poll(); handle != Handles.NONE; handle = ring.poll())
            {
                seen[(int)handle]++;
            }
            final boolean ordered = taken < 2 || run[1] == run[0] + 1;
            result.r1 = seen[1] == 1 && seen[2] == 1 && seen[3] == 1 && ordered ? 1 : 0;
            result.r2 = taken;
        }
    }
}
