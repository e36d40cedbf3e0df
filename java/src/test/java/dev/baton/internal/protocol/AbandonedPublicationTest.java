package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.baton.PolledEvent;
import dev.baton.Outcome;
import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.Poller;
import dev.baton.internal.layout.CompletionRingDescriptor;
import dev.baton.internal.layout.SlotDescriptor;
import org.junit.jupiter.api.Test;

import static dev.baton.internal.layout.CompletionRingDescriptor.BODY_HANDLE;
import static dev.baton.internal.layout.CompletionRingDescriptor.BODY_LENGTH;
import static dev.baton.internal.layout.CompletionRingDescriptor.BODY_STATUS;
import static dev.baton.internal.layout.CompletionRingDescriptor.TAIL_POSITION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault injection: handlers that die while publishing an outcome, at each point between claiming
 * completion-ring space and committing the record. The host must get past them, and every event
 * must still be reported exactly once. The C twin is {@code test_dead_publishers} in
 * {@code tests/c/test_channel.c}.
 */
class AbandonedPublicationTest
{
    private static final int SLAB_CAPACITY = 8;
    private static final int SLOT_SIZE = 128;
    private static final int DISPATCH_RING_CAPACITY = 16;
    private static final int COMPLETION_RING_CAPACITY = 4096;
    private static final int LATENCY_RING_CAPACITY = 16;
    private static final int DEAD_HANDLER_STATUS = 7;
    private static final int LIVE_HANDLER_STATUS = 9;

    private final Map<Long, String> outcomes = new HashMap<>();
    private final Map<Long, Integer> reports = new HashMap<>();

    @Test
    void theHostGetsPastDeadPublishersAndReportsEveryEventOnce() throws InterruptedException
    {
        try (DispatchChannel channel = DispatchChannel.builder()
            .slabCapacity(SLAB_CAPACITY)
            .slotSize(SLOT_SIZE)
            .dispatchRingCapacity(DISPATCH_RING_CAPACITY)
            .completionRingCapacity(COMPLETION_RING_CAPACITY)
            .latencyRingCapacity(LATENCY_RING_CAPACITY)
            .completionTimeout(Duration.ofMillis(20))
            .build())
        {
            final MemorySegment memory = channel.memory();
            // The dead handlers' view of the channel: the same protocol objects over the same memory.
            final ChannelMemory parts = ChannelMemory.bind(memory, "the memory");
            final CompletionRing ring = parts.completionRing();
            final Slab slab = parts.slab();
            final Poller poller = channel.newPoller();

            // 1. Wrote its record and completed the event, then died before committing.
            final long decided = dispatchAndClaim(channel, poller);
            final long decidedBody = ring.claim(CompletionRingDescriptor.COMPLETED, BODY_LENGTH);
            BODY_HANDLE.set(memory, decidedBody, decided);
            BODY_STATUS.set(memory, decidedBody, DEAD_HANDLER_STATUS);
            assertTrue(slab.transition(decided, SlotDescriptor.POLLED, SlotDescriptor.COMPLETED));

            // 2. Wrote its record, then died before completing the event.
            final long undecided = dispatchAndClaim(channel, poller);
            final long undecidedBody = ring.claim(CompletionRingDescriptor.COMPLETED, BODY_LENGTH);
            BODY_HANDLE.set(memory, undecidedBody, undecided);
            BODY_STATUS.set(memory, undecidedBody, DEAD_HANDLER_STATUS);

            // 3. Moved the ring's tail, then died before writing the record's header.
            final long trailer = parts.geometry().completionRingOffset() + COMPLETION_RING_CAPACITY;
            final long tail = (long)TAIL_POSITION.getVolatile(memory, trailer);
            final int recordLength =
                CompletionRingDescriptor.align(CompletionRingDescriptor.RECORD_HEADER_LENGTH + BODY_LENGTH);
            assertTrue(TAIL_POSITION.compareAndSet(memory, trailer, tail, tail + recordLength));

            // A live handler completes behind all three.
            final long live = dispatchAndClaim(channel, poller);
            assertEquals(ErrorCode.OK, poller.complete(live, LIVE_HANDLER_STATUS, MemorySegment.NULL));
            assertEquals(0, channel.outcomeDrain().drain(this::record, 16), "the dead publisher blocks the ring");

            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (outcomes.size() < 3 && System.nanoTime() - deadline < 0)
            {
                channel.outcomeDrain().drain(this::record, 16);
                channel.reclaimExpired();
                Thread.sleep(5);
            }

            assertEquals("completed " + DEAD_HANDLER_STATUS, outcomes.get(decided));
            assertEquals("timed out", outcomes.get(undecided));
            assertEquals("completed " + LIVE_HANDLER_STATUS, outcomes.get(live));
            assertEquals(Map.of(decided, 1, undecided, 1, live, 1), reports, "each event reported exactly once");
            assertEquals(3, channel.metrics().unblockedRecordCount(), "one commit and two paddings");
            assertEquals(0, channel.metrics().rejectedRecordCount());
            assertEquals(ErrorCode.ESTALE, poller.complete(undecided, 0, MemorySegment.NULL));

            // The channel works on: a full round trip, and nothing is left pending.
            final long next = dispatchAndClaim(channel, poller);
            assertEquals(ErrorCode.OK, poller.complete(next, LIVE_HANDLER_STATUS, MemorySegment.NULL));
            assertEquals(1, channel.outcomeDrain().drain(this::record, 16));
            assertEquals("completed " + LIVE_HANDLER_STATUS, outcomes.get(next));
            assertEquals(0, channel.metrics().pendingCount());
        }
    }

    private static long dispatchAndClaim(final DispatchChannel channel, final Poller poller)
    {
        final long handle = channel.dispatcher().dispatch(0L, 0L, 0L, 0L, 0, MemorySegment.NULL);
        assertTrue(handle > 0, () -> ErrorCode.describe((int)handle));
        final PolledEvent event = poller.poll();
        assertNotNull(event);
        assertEquals(handle, event.handle());
        return handle;
    }

    private void record(final Outcome completion)
    {
        outcomes.put(completion.handle(), completion.timedOut() ? "timed out" : "completed " + completion.status());
        reports.merge(completion.handle(), 1, Integer::sum);
    }
}
