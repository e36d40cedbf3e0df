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

/** The completion ring's claim, commit and read, at the wrap where a padding record is needed. */
@JCStressTest
@Description("Two producers write 32 bytes before the end of the area; the second then reads once, the arbiter reads the rest.")
@Outcome(id = {"1, 0", "1, 1", "1, 2"}, expect = ACCEPTABLE, desc = "both records read exactly once (r2: how many the concurrent read got)")
@Outcome(expect = FORBIDDEN, desc = "a record lost, read twice or torn")
@State
public class CompletionRingStress
{
    private final ChannelMemory channel = StressMemory.channel(1, 2, 2);
    private final CompletionRing ring = channel.completionRing();
    private final int[] seen = new int[3];
    private int readConcurrently;

    public CompletionRingStress()
    {
        // Move head and tail to 992 of 1024: the next 48-byte record needs a padding record and a wrap.
        final long body = ring.claim(1, 984);
        ring.commit(body);
        ring.read((type, memory, offset, length) -> { }, 1);
    }

    private void write(final long value, final int bodyLength)
    {
        final long body = ring.claim(1, bodyLength);
        if (body >= 0)
        {
            channel.memory().set(ValueLayout.JAVA_LONG, body, value);
            ring.commit(body);
        }
    }

    private void collect(final long value)
    {
        seen[(int)value]++;
    }

    @Actor
    public void produceLarge()
    {
        write(1, 40);
    }

    @Actor
    public void produceSmallThenConsume()
    {
        write(2, 8);
        readConcurrently = ring.read((type, memory, body, length) -> collect(memory.get(ValueLayout.JAVA_LONG, body)), 16);
    }

    @Arbiter
    public void rest(final II_Result result)
    {
        ring.read((type, memory, body, length) -> collect(memory.get(ValueLayout.JAVA_LONG, body)), 16);
        ring.read((type, memory, body, length) -> collect(memory.get(ValueLayout.JAVA_LONG, body)), 16);
        result.r1 = seen[1] == 1 && seen[2] == 1 && ring.size() == 0 ? 1 : 0;
        result.r2 = readConcurrently;
    }
}
