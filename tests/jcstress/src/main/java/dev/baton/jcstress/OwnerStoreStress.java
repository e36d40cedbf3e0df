package dev.baton.jcstress;

import java.lang.foreign.MemorySegment;

import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.Sleepers;
import dev.baton.internal.protocol.SlotFields;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * The transitions made by a slot's only owner with a release store rather than a CAS (dispatch's
 * publish, the drain's free), and the completion's wake-up that leans on its commit's CAS instead
 * of a fence of its own.
 */
public final class OwnerStoreStress
{
    private static final long OLD_ID = 43;
    private static final long NEW_ID = 99;

    private OwnerStoreStress()
    {
    }

    @JCStressTest
    @Description("A dispatcher writes an event into the slot it popped and publishes it by release store; a poller that reads DISPATCHED reads the event.")
    @Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "not yet published: FREE")
    @Outcome(id = "1, 43", expect = ACCEPTABLE, desc = "published, and the event's id with it")
    @Outcome(expect = FORBIDDEN, desc = "DISPATCHED before the event's fields")
    @State
    public static class PublishReleasesTheEvent
    {
        private final ChannelMemory channel = StressMemory.channel(1, 2, 2);
        private final int index = channel.slab().tryAcquire();
        private final long slot = channel.slab().slotOffset(index);

        @Actor
        public void dispatcher()
        {
            SlotFields.writeEvent(channel.memory(), slot, 1, 0, OLD_ID, 0, 0, 1, 2);
            channel.slab().publish(index);
        }

        @Actor
        public void poller(final JJ_Result result)
        {
            final long word = channel.slab().loadState(index);
            result.r1 = SlotDescriptor.state(word);
            result.r2 = SlotDescriptor.state(word) == SlotDescriptor.DISPATCHED ?
                SlotFields.eventIdLoPlain(channel.memory(), slot) : -1;
        }
    }

    @JCStressTest
    @Description("The drain reads a completed event and frees its slot by release store; a dispatcher that pops the slot rewrites it. The drain never reads the new event.")
    @Outcome(id = "43, 0", expect = ACCEPTABLE, desc = "the drain read its event; the dispatcher took the freed slot")
    @Outcome(id = "43, -1", expect = ACCEPTABLE, desc = "the drain read its event; the dispatcher came before the free")
    @Outcome(expect = FORBIDDEN, desc = "the drain read the next event's id: its read moved past the free")
    @State
    public static class DrainFreeReleasesItsReads
    {
        private final ChannelMemory channel = StressMemory.channel(1, 2, 2);
        private final long handle;

        public DrainFreeReleasesItsReads()
        {
            final int index = channel.slab().tryAcquire();
            SlotFields.writeEvent(channel.memory(), channel.slab().slotOffset(index), 1, 0, OLD_ID, 0, 0, 1, 2);
            handle = channel.slab().publish(index);
            channel.slab().transition(handle, SlotDescriptor.DISPATCHED, SlotDescriptor.POLLED);
            channel.slab().transition(handle, SlotDescriptor.POLLED, SlotDescriptor.COMPLETED);
        }

        @Actor
        public void drain(final JJ_Result result)
        {
            result.r1 = SlotFields.eventIdLoPlain(channel.memory(), channel.slab().slotOffset(0));
            channel.slab().freeOwned(handle);
        }

        @Actor
        public void dispatcher(final JJ_Result result)
        {
            final int index = channel.slab().tryAcquire();
            if (index >= 0)
            {
                SlotFields.writeEvent(channel.memory(), channel.slab().slotOffset(index), 1, 0, NEW_ID, 0, 0, 1, 2);
            }
            result.r2 = index;
        }
    }

    @JCStressTest
    @Description("A completion commits its record and reads the hosts' waiters count with no fence; a host raises the count and then looks at the ring. One sees the other.")
    @Outcome(id = {"true, true", "true, false", "false, true"}, expect = ACCEPTABLE, desc = "the host saw the record, or the completion saw the host (and wakes it)")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "a missed wake-up: the host sleeps with an outcome ready")
    @State
    public static class CompletionSeesTheSleepingHost
    {
        private final ChannelMemory channel = StressMemory.channel(1, 2, 2);
        private final long handle;

        public CompletionSeesTheSleepingHost()
        {
            handle = channel.slab().publish(channel.slab().tryAcquire());
            channel.slab().transition(handle, SlotDescriptor.DISPATCHED, SlotDescriptor.POLLED);
        }

        @Actor
        public void completion(final ZZ_Result result)
        {
            channel.outcomes().publish(handle, SlotDescriptor.POLLED, SlotDescriptor.COMPLETED, 0, MemorySegment.NULL, 0, 0);
            result.r1 = Sleepers.hostsAsleepAfterCommit(channel.memory());
        }

        @Actor
        public void host(final ZZ_Result result)
        {
            // as baton__wait: the count raised (seq_cst), then one more look at the ring
            HeaderDescriptor.COMPLETION_WAITERS_HANDLE.getAndAdd(channel.memory(), 0L, 1);
            result.r2 = channel.completionRing().hasReady();
        }
    }
}
