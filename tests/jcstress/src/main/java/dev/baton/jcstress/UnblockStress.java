package dev.baton.jcstress;

import dev.baton.internal.layout.CompletionRingDescriptor;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.CompletionRingUnblocker;
import dev.baton.internal.protocol.OutcomePublisher;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The host unblocks the completion ring while the publisher it presumed dead commits after all.
 * The publisher has written its record and completed the event; whichever of its commit and the
 * host's unblock comes first, the host must read exactly one record, and it must be the
 * completion.
 */
@JCStressTest
@Description("A late publisher's commit races the host's unblock of the same record.")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the host committed the record; the publisher left it alone")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the publisher committed first; nothing to unblock")
@Outcome(expect = FORBIDDEN, desc = "the record was lost, padded, duplicated or left in progress")
@State
public class UnblockStress
{
    private static final int STATUS = 5;

    private final ChannelMemory channel = StressMemory.channel(1, 2, 2);
    private final OutcomePublisher outcomes = channel.outcomes();
    private final CompletionRingUnblocker unblocker = new CompletionRingUnblocker(channel.completionRing());
    private final long body;

    public UnblockStress()
    {
        final long handle = channel.slab().publish(channel.slab().tryAcquire());
        channel.slab().transition(handle, SlotDescriptor.DISPATCHED, SlotDescriptor.POLLED);
        // The publisher's steps up to its commit, as OutcomePublisher.publish takes them.
        body = channel.completionRing().claim(CompletionRingDescriptor.COMPLETED, CompletionRingDescriptor.BODY_LENGTH);
        CompletionRingDescriptor.BODY_HANDLE.set(channel.memory(), body, handle);
        CompletionRingDescriptor.BODY_STATUS.set(channel.memory(), body, STATUS);
        channel.slab().transition(handle, SlotDescriptor.POLLED, SlotDescriptor.COMPLETED);
    }

    @Actor
    public void publisher()
    {
        channel.completionRing().commit(body);
    }

    @Actor
    public void host(final II_Result result)
    {
        result.r1 = unblocker.unblock(outcomes, true, true); // the patience has run out
    }

    @Arbiter
    public void records(final II_Result result)
    {
        final int[] completions = new int[1];
        final int read = channel.completionRing().read((type, memory, record, length) -> {
            if (type == CompletionRingDescriptor.COMPLETED &&
                (int)CompletionRingDescriptor.BODY_STATUS.get(memory, record) == STATUS)
            {
                completions[0]++;
            }
        }, 16);
        result.r2 = read == 1 && completions[0] == 1 ? 1 : -1;
    }
}
