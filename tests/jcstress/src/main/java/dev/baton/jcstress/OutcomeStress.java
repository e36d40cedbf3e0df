package dev.baton.jcstress;

import java.lang.foreign.MemorySegment;

import dev.baton.ErrorCode;
import dev.baton.internal.layout.CompletionRingDescriptor;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.OutcomePublisher;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** Complete versus timeout on one claimed event, through the code both use: exactly one wins. */
@JCStressTest
@Description("A completion and a timeout race for one claimed event; the host must see exactly one outcome.")
@Outcome(id = "0, -114, 1", expect = ACCEPTABLE, desc = "completed; the timeout found it already completed; one COMPLETED record")
@Outcome(id = "-110, 0, 2", expect = ACCEPTABLE, desc = "timed out; the completion was refused; one TIMED_OUT record")
@Outcome(expect = FORBIDDEN, desc = "both or neither won, or the records disagree with the winner")
@State
public class OutcomeStress
{
    private final ChannelMemory channel = StressMemory.channel(1, 2, 2);
    private final OutcomePublisher outcomes = channel.outcomes();
    private final long handle;

    public OutcomeStress()
    {
        handle = channel.slab().publish(channel.slab().tryAcquire());
        channel.slab().transition(handle, SlotDescriptor.DISPATCHED, SlotDescriptor.POLLED);
    }

    @Actor
    public void complete(final III_Result result)
    {
        result.r1 = outcomes.publish(handle, SlotDescriptor.POLLED, SlotDescriptor.COMPLETED, 7, MemorySegment.NULL, 0, 0);
    }

    @Actor
    public void expire(final III_Result result)
    {
        result.r2 = outcomes.publish(handle, SlotDescriptor.POLLED, SlotDescriptor.TIMED_OUT, ErrorCode.ETIMEDOUT,
            MemorySegment.NULL, 0, 0);
    }

    @Arbiter
    public void records(final III_Result result)
    {
        final int[] kinds = new int[3];
        channel.completionRing().read((type, memory, body, length) -> kinds[type]++, 16);
        result.r3 = kinds[CompletionRingDescriptor.COMPLETED] == 1 && kinds[CompletionRingDescriptor.TIMED_OUT] == 0 ? 1 :
            kinds[CompletionRingDescriptor.TIMED_OUT] == 1 && kinds[CompletionRingDescriptor.COMPLETED] == 0 ? 2 : -1;
    }
}
