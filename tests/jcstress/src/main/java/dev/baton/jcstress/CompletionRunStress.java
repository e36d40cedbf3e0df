package dev.baton.jcstress;

import java.lang.foreign.ValueLayout;

import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.CompletionRing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** A run of records claimed together against a single claim, at the wrap where padding is needed. */
@JCStressTest
@Description("A producer claims a run of two records while another claims one and then reads once, 32 bytes before the end of the area; the arbiter reads the rest.")
@Outcome(id = {"1, 0", "1, 1", "1, 2", "1, 3"}, expect = ACCEPTABLE, desc = "every record read once, the run's in its order (r2: how many the concurrent read got)")
@Outcome(expect = FORBIDDEN, desc = "a record lost, read twice, torn, or the run out of order")
@State
public class CompletionRunStress
{
    private final ChannelMemory channel = StressMemory.channel(1, 2, 2);
    private final CompletionRing ring = channel.completionRing();
    private final long[] order = new long[4];
    private int reads;
    private int readConcurrently;

    public CompletionRunStress()
    {
        // Move head and tail to 992 of 1024: a run of two 24-byte records needs a padding record and a wrap.
        final long body = ring.claim(1, 984);
        ring.commit(body);
        ring.read((type, memory, offset, length) -> { }, 1);
    }

    private void collect(final long value)
    {
        if (reads < order.length)
        {
            order[reads] = value;
        }
        reads++;
    }

    @Actor
    public void produceRun()
    {
        final long[] bodies = new long[2];
        if (ring.claimRun(1, new int[] {16, 16}, 2, 0, bodies) == 0)
        {
            channel.memory().set(ValueLayout.JAVA_LONG, bodies[0], 1);
            channel.memory().set(ValueLayout.JAVA_LONG, bodies[1], 2);
            ring.commit(bodies[0]);
            ring.commit(bodies[1]);
        }
    }

    @Actor
    public void produceOneThenConsume()
    {
        final long body = ring.claim(1, 8);
        if (body >= 0)
        {
            channel.memory().set(ValueLayout.JAVA_LONG, body, 3);
            ring.commit(body);
        }
        readConcurrently = ring.read((type, memory, offset, length) -> collect(memory.get(ValueLayout.JAVA_LONG, offset)), 16);
    }

    @Arbiter
    public void rest(final II_Result result)
    {
        ring.read((type, memory, body, length) -> collect(memory.get(ValueLayout.JAVA_LONG, body)), 16);
        ring.read((type, memory, body, length) -> collect(memory.get(ValueLayout.JAVA_LONG, body)), 16);
        int first = -1;
        int second = -1;
        int third = -1;
        for (int i = 0; i < Math.min(reads, order.length); i++)
        {
            first = order[i] == 1 ? i : first;
            second = order[i] == 2 ? i : second;
            third = order[i] == 3 ? i : third;
        }
        result.r1 = reads == 3 && first >= 0 && second == first + 1 && third >= 0 && ring.size() == 0 ? 1 : 0;
        result.r2 = readConcurrently;
    }
}
