package dev.baton;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.baton.internal.layout.CompletionRingDescriptor;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.internal.layout.SlotDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.junit.jupiter.api.Test;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A writer outside Baton completes events under the rule {@code baton.h} states for foreign writers
 * (the completion ring's section): it moves the slot's state from the POLLED word it holds to
 * COMPLETED in the same generation, then writes the record with Agrona's own
 * {@code ManyToOneRingBuffer} over the channel's completion ring. Its completions and Baton's own,
 * interleaved across many wraps of the ring, are each delivered once, with their statuses and results.
 */
class ForeignWriterTest
{
    private static final int EVENTS = 5_000;

    @Test
    void completionsWrittenByAgronaUnderTheRuleAreDeliveredOnceBesideBatons()
    {
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(64).withoutBlocks().build())
        {
            final MemorySegment memory = channel.memory();
            final long ring = (long)HeaderDescriptor.COMPLETION_RING_OFFSET_HANDLE.get(memory, 0L);
            final int capacity = (int)HeaderDescriptor.COMPLETION_RING_CAPACITY_HANDLE.get(memory, 0L);
            final long slab = (long)HeaderDescriptor.SLAB_OFFSET_HANDLE.get(memory, 0L);
            final int slotSize = (int)HeaderDescriptor.SLOT_SIZE_HANDLE.get(memory, 0L);
            final ManyToOneRingBuffer agrona = new ManyToOneRingBuffer(
                new UnsafeBuffer(memory.address() + ring, capacity + CompletionRingDescriptor.TRAILER_LENGTH));
            final UnsafeBuffer body = new UnsafeBuffer(new byte[CompletionRingDescriptor.BODY_LENGTH + 8]);
            final Poller poller = channel.newPoller();
            final int[] delivered = new int[EVENTS];
            final List<String> wrong = new ArrayList<>();
            final OutcomeHandler check = outcome ->
            {
                final int id = (int)outcome.eventIdLo();
                delivered[id]++;
                final long result = outcome.resultLength() == 8 ? outcome.result().get(
                    JAVA_LONG_UNALIGNED, 0) : -1;
                if (outcome.status() != (id % 2 == 0 ? 201 : 202) || result != 3L * id)
                {
                    wrong.add(id + ": status " + outcome.status() + ", result " + result);
                }
            };
            final MemorySegment answer = MemorySegment.ofArray(new long[1]);
            for (int id = 0; id < EVENTS; id++)
            {
                final long handle = channel.dispatcher().dispatch(0, id, 0, 0, 0, MemorySegment.NULL);
                assertTrue(handle > 0, "dispatch " + id);
                final PolledEvent event = poller.poll();
                assertEquals(handle, event.handle());
                if (id % 2 == 0)
                {
                    answer.set(JAVA_LONG, 0, 3L * id);
                    assertEquals(ErrorCode.OK, poller.complete(handle, 201, answer));
                }
                else
                {
                    // The rule: the state first, from the POLLED word held to COMPLETED, same generation...
                    final long slot = slab + (long)Handles.index(handle) * slotSize;
                    final long polled = (long)SlotDescriptor.STATE.getVolatile(memory, slot);
                    assertEquals(SlotDescriptor.POLLED, SlotDescriptor.state(polled));
                    assertTrue(SlotDescriptor.STATE.compareAndSet(memory, slot, polled,
                        SlotDescriptor.stateWord(Handles.generation(handle), SlotDescriptor.COMPLETED)));
                    // ...then the record, by Agrona's writer: handle, status, no block, the result inline.
                    body.putLong(0, handle, ByteOrder.nativeOrder());
                    body.putInt(8, 202, ByteOrder.nativeOrder());
                    body.putInt(12, 0, ByteOrder.nativeOrder());
                    body.putLong(CompletionRingDescriptor.BODY_LENGTH, 3L * id, ByteOrder.nativeOrder());
                    assertTrue(agrona.write(CompletionRingDescriptor.COMPLETED, body, 0, body.capacity()));
                }
                if (id % 7 == 6)
                {
                    channel.outcomeDrain().drain(check, 64);
                }
            }
            while (channel.outcomeDrain().drain(check, 64) > 0)
            {
                // the rest
            }
            final int[] once = new int[EVENTS];
            Arrays.fill(once, 1);
            assertArrayEquals(once, delivered, "every event delivered exactly once");
            assertEquals(List.of(), wrong);
            assertEquals(0, channel.metrics().rejectedRecordCount());
            assertTrue((long)EVENTS * 32 > 2L * capacity, "the run wraps the ring more than twice");
        }
    }
}
