package dev.baton;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import dev.baton.internal.ffi.NativeLibrary;
import dev.baton.internal.layout.CompletionRingDescriptor;
import dev.baton.internal.layout.DispatchRingDescriptor;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.CompletionRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class DispatchChannelTest
{
    private static final UUID EVENT = UUID.fromString("6f1c1f0e-8c3a-4e59-9d4e-0a7f3c2b1d10");
    private static final UUID CORRELATION = UUID.fromString("0b5e7a52-2d61-4b7c-8f39-55c1e2a9b6f4");
    private static final MemorySegment NO_BYTES = MemorySegment.NULL;

    private final List<DispatchChannel> channels = new ArrayList<>();
    private final List<String> drainedText = new ArrayList<>();
    private final List<Integer> drainedResultLengths = new ArrayList<>();

    @AfterEach
    void closeAll()
    {
        channels.forEach(DispatchChannel::close);
    }

    private DispatchChannel channel(final DispatchChannelBuilder builder)
    {
        final DispatchChannel channel = builder.build();
        channels.add(channel);
        return channel;
    }

    private DispatchChannel channel()
    {
        return channel(DispatchChannel.builder().slabCapacity(4));
    }

    private static MemorySegment bytes(final String text)
    {
        return MemorySegment.ofArray(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private int drainInto(final DispatchChannel channel)
    {
        return channel.outcomeDrain().drain(completion -> {
            drainedResultLengths.add(completion.resultLength());
            final byte[] result = new byte[completion.resultLength()];
            completion.copyResultTo(result, 0);
            drainedText.add(completion.handle() + ":" + completion.timedOut() + ":" + completion.status() + ":" +
                new String(result, java.nio.charset.StandardCharsets.UTF_8) + ":" + completion.eventId());
        }, 100);
    }

    /**
     * A writer outside this library moves a slot to COMPLETED and commits a record of a type the
     * protocol never writes: the drain rejects and counts it rather than deliver it (C:
     * test_records_of_unknown_types_are_rejected).
     */
    @Test
    void recordsOfUnknownTypesAreRejectedAndCounted()
    {
        for (final int type : new int[] {5, 0x7F})
        {
            final DispatchChannel channel = channel();
            final long handle = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
            assertEquals(handle, channel.newPoller().poll().handle());
            final MemorySegment memory = channel.memory();
            final long slot = (long)HeaderDescriptor.SLAB_OFFSET_HANDLE.get(memory, 0L) +
                Handles.index(handle) * (long)(int)HeaderDescriptor.SLOT_SIZE_HANDLE.get(memory, 0L);
            final CompletionRing ring = new CompletionRing(memory,
                (long)HeaderDescriptor.COMPLETION_RING_OFFSET_HANDLE.get(memory, 0L),
                (int)HeaderDescriptor.COMPLETION_RING_CAPACITY_HANDLE.get(memory, 0L));
            final long body = ring.claim(type, CompletionRingDescriptor.BODY_LENGTH);
            CompletionRingDescriptor.BODY_HANDLE.set(memory, body, handle);
            SlotDescriptor.STATE.setVolatile(memory, slot, SlotDescriptor.stateWord(Handles.generation(handle), SlotDescriptor.COMPLETED));
            ring.commit(body);
            assertEquals(0, channel.outcomeDrain().drain(outcome -> fail("a record of type " + type + " delivered"), 16));
            assertEquals(1, channel.metrics().rejectedRecordCount(), "type " + type);
        }
    }

    @Test
    void aHandlerRereadsAnEventItHoldsUntilItEnds()
    {
        final DispatchChannel channel = channel();
        final Poller poller = channel.newPoller();
        final long handle = channel.dispatcher().dispatch(EVENT, CORRELATION, 3, bytes("forward me"));
        assertNull(poller.heldEvent(handle), "dispatched, not yet polled: no handler holds it");
        assertEquals(handle, poller.poll().handle());

        final PolledEvent again = poller.heldEvent(handle);
        assertNotNull(again);
        assertEquals(handle, again.handle());
        assertEquals(EVENT, again.eventId());
        assertEquals(3, again.kind());
        final byte[] payload = new byte[again.payloadLength()];
        again.copyPayloadTo(payload, 0);
        assertEquals("forward me", new String(payload, java.nio.charset.StandardCharsets.UTF_8));

        assertNull(poller.heldEvent(Handles.handle(Handles.generation(handle) + 1, Handles.index(handle))),
            "another generation of its slot");
        assertNull(poller.heldEvent(-1), "no slot");
        assertNull(poller.heldEvent(Long.MAX_VALUE), "no slot");
        assertEquals(ErrorCode.OK, poller.complete(handle, 0, NO_BYTES));
        assertNull(poller.heldEvent(handle), "completed: held no longer");
    }

    /**
     * Another process writes over slots' state words with words no protocol writes: a state past
     * YIELDING, a generation no handle names, YIELDING under a tag no attachment holds, a holder on
     * COMPLETED. Expiry times each event out at once, an hour before its deadline, and each is
     * reported once; its handler's completion is refused. A FREE word written over with a holder and
     * such a generation is published under a generation a handle names (C:
     * test_scribbled_state_words_are_timed_out_by_expiry).
     */
    @Test
    void scribbledStateWordsAreTimedOutByExpiryOnce()
    {
        final DispatchChannel channel = channel(DispatchChannel.builder().slabCapacity(8).completionTimeout(Duration.ofHours(1)));
        final MemorySegment memory = channel.memory();
        final long[] handles = new long[5];
        for (int id = 1; id <= 4; id++)
        {
            handles[id] = channel.dispatcher().dispatch(7, id, 0, 0, 0, NO_BYTES);
            assertTrue(handles[id] > 0);
        }
        final Poller poller = channel.newPoller();
        final long first = poller.poll().handle();
        poller.poll();
        final long generation = Handles.generation(handles[1]);
        SlotDescriptor.STATE.set(memory, slotOffset(memory, handles[1]), generation << 32 | 0x9AL);
        SlotDescriptor.STATE.set(memory, slotOffset(memory, handles[2]), generation << 32 | 0xFFFL << 20 | SlotDescriptor.YIELDING);
        SlotDescriptor.STATE.set(memory, slotOffset(memory, handles[3]), 0x80000005L << 32 | SlotDescriptor.DISPATCHED);
        SlotDescriptor.STATE.set(memory, slotOffset(memory, handles[4]),
            generation << 32 | 0x42L << SlotDescriptor.HOLDER_SHIFT | SlotDescriptor.COMPLETED);

        assertEquals(4, channel.reclaimExpired());
        assertEquals(0, channel.reclaimExpired());
        final List<Long> timedOut = new ArrayList<>();
        assertEquals(4, channel.outcomeDrain().drain(outcome -> {
            assertTrue(outcome.timedOut());
            timedOut.add(outcome.eventId().getLeastSignificantBits());
        }, 8));
        timedOut.sort(null);
        assertEquals(List.of(1L, 2L, 3L, 4L), timedOut);
        assertNotEquals(ErrorCode.OK, poller.complete(first, 0, NO_BYTES));
        channel.close();
    }

    /**
     * Another process writes over the state word of a free slot (one the host's thread keeps after a
     * drain), with a word no protocol writes and with ones that look valid: the slot names no event,
     * so expiry, the metrics and the list of events leave it, and its last event is not reported
     * again. The dispatch that pops it finds its word not FREE ({@link ErrorCode#EPROTO}), and that
     * event ends once: timed out at once or at its deadline (under a COMPLETED word no record reports,
     * libbaton's outcome audit settles it, which the C test covers). C:
     * test_a_word_written_over_a_free_slot_names_no_event.
     */
    @Test
    void aWordWrittenOverAFreeSlotNamesNoEvent()
    {
        final long[] words = {
            0x9AL, SlotDescriptor.DISPATCHED, SlotDescriptor.POLLED | 0x42L << SlotDescriptor.HOLDER_SHIFT, SlotDescriptor.COMPLETED};
        for (final long word : words)
        {
            final DispatchChannel channel = channel(DispatchChannel.builder().slabCapacity(1).completionTimeout(Duration.ofMillis(2)));
            final MemorySegment memory = channel.memory();
            final Poller poller = channel.newPoller();
            final long handle = channel.dispatcher().dispatch(7, 0, 0, 0, 0, NO_BYTES);
            assertEquals(ErrorCode.OK, poller.complete(poller.poll().handle(), 0, NO_BYTES));
            assertEquals(1, channel.outcomeDrain().drain(outcome -> { }, 4));
            SlotDescriptor.STATE.set(memory, slotOffset(memory, handle), (Handles.generation(handle) + 1L) << 32 | word);

            for (int round = 0; round < 2; round++)
            {
                java.util.concurrent.locks.LockSupport.parkNanos(3_000_000); // past the deadline its last event had
                assertEquals(0, channel.reclaimExpired(), "word " + word);
                assertEquals(0, channel.outcomeDrain().drain(outcome -> fail("reported again: " + outcome), 4));
                assertEquals(0, channel.metrics().pendingCount());
                assertEquals(0, channel.metrics().awaitingDrainCount());
                assertEquals(List.of(), channel.listEvents());
            }
            assertEquals(ErrorCode.EPROTO, channel.dispatcher().dispatch(7, 1, 0, 0, 0, NO_BYTES));
            if (word == SlotDescriptor.COMPLETED)
            {
                continue;
            }
            final List<Long> ended = new ArrayList<>();
            final long limit = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (ended.isEmpty() && System.nanoTime() - limit < 0)
            {
                channel.reclaimExpired();
                channel.outcomeDrain().drain(outcome -> {
                    assertTrue(outcome.timedOut());
                    ended.add(outcome.eventId().getLeastSignificantBits());
                }, 4);
            }
            assertEquals(List.of(1L), ended, "word " + word);
            assertEquals(0, channel.reclaimExpired());
            assertEquals(0, channel.outcomeDrain().drain(outcome -> fail("reported again: " + outcome), 4));
        }
    }

    /**
     * Another process writes FREE words with a holder tag over the state words of events in flight,
     * one polled and one dispatched: their slots still hold the events, which expiry times out once
     * each deadline is past by the patience (a second here), and the handler's completion is refused.
     * A FREE word under a live attachment's tag is a cancel freeing its slot, which expiry leaves;
     * under a tag no attachment holds, its canceller died, and that event is timed out too. A free
     * slot whose deadline was written over stays free: its FREE word carries no holder. With libbaton
     * only: without it no other process shares the channel. C:
     * test_a_free_word_written_over_an_event_is_timed_out_past_the_patience.
     */
    @Test
    void aFreeWordWrittenOverAnEventIsTimedOutPastThePatience()
    {
        org.junit.jupiter.api.Assumptions.assumeTrue(
            dev.baton.internal.ffi.NativeLibrary.isAvailable(), "without libbaton no other process shares the channel");
        final DispatchChannel channel = channel(DispatchChannel.builder().slabCapacity(8).completionTimeout(Duration.ofMillis(2)));
        final MemorySegment memory = channel.memory();
        final long[] handles = new long[4];
        for (int id = 0; id < 4; id++)
        {
            handles[id] = channel.dispatcher().dispatch(7, id, 0, 0, 0, NO_BYTES);
            assertTrue(handles[id] > 0);
        }
        final Poller poller = channel.newPoller();
        final long polled = poller.poll().handle();
        assertEquals(handles[0], polled);
        final long generation = Handles.generation(handles[0]);
        final long ownTag = (int)(long)SlotDescriptor.STATE.get(memory, slotOffset(memory, polled)) >>> SlotDescriptor.HOLDER_SHIFT;
        SlotDescriptor.STATE.set(memory, slotOffset(memory, handles[0]),
            (generation + 5) << 32 | 0xABCDEFL << SlotDescriptor.HOLDER_SHIFT | SlotDescriptor.FREE);
        SlotDescriptor.STATE.set(memory, slotOffset(memory, handles[1]),
            generation << 32 | 0x77L << SlotDescriptor.HOLDER_SHIFT | SlotDescriptor.FREE);
        SlotDescriptor.STATE.set(memory, slotOffset(memory, handles[2]),
            (generation + 1) << 32 | ownTag << SlotDescriptor.HOLDER_SHIFT | SlotDescriptor.FREE);
        SlotDescriptor.STATE.set(memory, slotOffset(memory, handles[3]),
            (generation + 1) << 32 | 0x4242L << SlotDescriptor.HOLDER_SHIFT | SlotDescriptor.FREE);
        SlotDescriptor.DEADLINE.set(memory, slotOffset(memory, Handles.handle(1, 6)), 1L); // FREE(1), on the free list

        final List<Long> timedOut = new ArrayList<>();
        final long limit = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (timedOut.size() < 3 && System.nanoTime() - limit < 0)
        {
            channel.reclaimExpired();
            channel.outcomeDrain().drain(outcome -> {
                assertTrue(outcome.timedOut());
                timedOut.add(outcome.eventId().getLeastSignificantBits());
            }, 8);
        }
        timedOut.sort(null);
        assertEquals(List.of(0L, 1L, 3L), timedOut);
        assertEquals(0, channel.reclaimExpired(), "the cancel's slot, its deadline as far past");
        assertEquals(0, channel.outcomeDrain().drain(outcome -> fail("reported: " + outcome), 8));
        assertNotEquals(ErrorCode.OK, poller.complete(polled, 0, NO_BYTES));
        for (int id = 4; id < 8; id++) // the slot whose deadline was written over takes an event
        {
            assertTrue(channel.dispatcher().dispatch(7, id, 0, 0, 0, NO_BYTES) > 0);
        }
    }

    private static long slotOffset(final MemorySegment memory, final long handle)
    {
        return (long)HeaderDescriptor.SLAB_OFFSET_HANDLE.get(memory, 0L) +
            Handles.index(handle) * (long)(int)HeaderDescriptor.SLOT_SIZE_HANDLE.get(memory, 0L);
    }

    /** The twin of test_misuse.c's: the fuzzer found C's cancel looping for ever on such a word. */
    @Test
    void aCancelEndsOnAStateWordWhoseTagBitsWereScribbled()
    {
        final DispatchChannel channel = channel();
        final long handle = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        final MemorySegment memory = channel.memory();
        final long slot = (long)HeaderDescriptor.SLAB_OFFSET_HANDLE.get(memory, 0L) +
            Handles.index(handle) * (long)(int)HeaderDescriptor.SLOT_SIZE_HANDLE.get(memory, 0L);
        final long word = (long)SlotDescriptor.STATE.get(memory, slot);
        SlotDescriptor.STATE.set(memory, slot, word | 0xABCDEFL << SlotDescriptor.HOLDER_SHIFT); // DISPATCHED, a tag no one wrote
        assertEquals(ErrorCode.OK, channel.dispatcher().cancel(handle));
        assertEquals(ErrorCode.ESTALE, channel.dispatcher().cancel(handle));
    }

    @Test
    void anEventTravelsFromDispatchToHandlerToHost()
    {
        final DispatchChannel channel = channel();
        final Poller poller = channel.newPoller();
        final long handle = channel.dispatcher().dispatch(EVENT, CORRELATION, 7, bytes("payload"));
        assertTrue(handle > 0, ErrorCode.describe((int)handle));

        final PolledEvent event = channel.newPoller().poll();
        assertNotNull(event);
        assertEquals(handle, event.handle());
        assertEquals(EVENT, event.eventId());
        assertEquals(CORRELATION, event.correlationId());
        assertEquals(7, event.kind());
        final byte[] payload = new byte[event.payloadLength()];
        event.copyPayloadTo(payload, 0);
        assertEquals("payload", new String(payload, java.nio.charset.StandardCharsets.UTF_8));
        final MemorySegment checked = MemorySegment.ofArray(new byte[16]);
        assertEquals(7, event.readPayload(checked, 0), "a checked copy of the same bytes");
        assertEquals("payload", new String(checked.asSlice(0, 7).toArray(ValueLayout.JAVA_BYTE),
            java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(event.polledAtNanos() >= event.dispatchedAtNanos());
        assertEquals(Duration.ofSeconds(30).toNanos(), event.deadlineNanos() - event.dispatchedAtNanos());

        assertEquals(ErrorCode.OK, poller.complete(handle, 200, bytes("done")));
        assertEquals(1, drainInto(channel));
        assertEquals(List.of(handle + ":false:200:done:" + EVENT), drainedText);
        assertEquals(0, drainInto(channel), "reported exactly once");

        final ChannelMetrics metrics = channel.metrics();
        assertEquals(1, metrics.completedCount());
        assertEquals(1, metrics.latency().count());
        assertEquals(0, metrics.pendingCount());
    }

    @Test
    void pollerDrainsABatchInOrder()
    {
        final DispatchChannel channel = channel();
        final long[] handles = new long[3];
        for (int i = 0; i < 3; i++)
        {
            handles[i] = channel.dispatcher().dispatch(UUID.randomUUID(), CORRELATION, i, NO_BYTES);
        }
        final List<Long> seen = new ArrayList<>();
        assertEquals(2, channel.newPoller().pollBatch(event -> seen.add(event.handle()), 2));
        assertEquals(1, channel.newPoller().pollBatch(event -> seen.add(event.handle()), 10));
        assertEquals(List.of(handles[0], handles[1], handles[2]), seen);
        assertNull(channel.newPoller().poll());
    }

    @Test
    void aBatchIsDispatchedInOrderAndAPartialOneSaysWhyItStopped()
    {
        final DispatchChannel channel = channel();
        final DispatchBatch batch = new DispatchBatch(8);
        final TraceContext trace = new TraceContext(1, 2, 3, 1);
        batch.add(0, 1, 0, 11, 5, bytes("one")).add(0, 2, 0, 12, 6, NO_BYTES, trace).add(0, 3, 0, 13, 7, bytes("three"));
        assertEquals(3, channel.dispatcher().dispatch(batch));
        final Poller poller = channel.newPoller();
        final List<String> seen = new ArrayList<>();
        assertEquals(3, poller.pollBatch(event -> {
            final byte[] payload = new byte[event.payloadLength()];
            event.copyPayloadTo(payload, 0);
            seen.add(event.handle() + ":" + event.eventId().getLeastSignificantBits() + ":" + event.kind() + ":" +
                new String(payload, java.nio.charset.StandardCharsets.UTF_8) + ":" + event.traceContext().traceIdLo());
        }, 8));
        assertEquals(List.of(
            batch.handle(0) + ":1:5:one:0", batch.handle(1) + ":2:6::2", batch.handle(2) + ":3:7:three:0"), seen);

        // The fourth slot, then a full slab: the entry that found it full says so, and the rest waits.
        final long first = batch.handle(0);
        batch.clear();
        batch.add(0, 4, 0, 0, 0, NO_BYTES).add(0, 5, 0, 0, 0, NO_BYTES);
        assertEquals(1, channel.dispatcher().dispatch(batch));
        assertTrue(batch.handle(0) > 0);
        assertEquals(ErrorCode.EAGAIN, batch.handle(1));
        final CompletionBatch outcomes = new CompletionBatch(4);
        outcomes.add(first, 0, NO_BYTES);
        assertEquals(1, poller.completeBatch(outcomes));
        assertEquals(1, drainInto(channel));
        assertEquals(1, channel.dispatcher().dispatch(batch, 1), "the rest of the partial batch, once a slot is free");
        assertTrue(batch.handle(1) > 0);

        batch.clear();
        batch.add(0, 6, 0, 0, 0, MemorySegment.ofArray(new byte[channel.maxPayloadLength() + 1]));
        assertThrows(IllegalArgumentException.class, () -> channel.dispatcher().dispatch(batch));
        assertThrows(IndexOutOfBoundsException.class, () -> channel.dispatcher().dispatch(batch, 2));
        assertThrows(IllegalStateException.class, () -> new DispatchBatch(1).add(0, 0, 0, 0, 0, NO_BYTES).add(0, 0, 0, 0, 0, NO_BYTES));
        assertThrows(NullPointerException.class, () -> new DispatchBatch(1).add(0, 0, 0, 0, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new DispatchBatch(0));
    }

    @Test
    void aBatchCarriesTheRedeliveriesAnEventHadElsewhereToItsHandler()
    {
        final DispatchChannel channel = channel();
        final DispatchBatch batch = new DispatchBatch(3);
        // baton.h's count is a uint32_t: the largest, which an int would read as -1, reads back whole
        batch.add(0, 1, 0, 0, 0, NO_BYTES, 0, 0, 0, 0, 2).add(0, 2, 0, 0, 0, NO_BYTES)
            .add(0, 3, 0, 0, 0, NO_BYTES, 0, 0, 0, 0, DispatchChannel.MAX_COUNT);
        assertEquals(3, channel.dispatcher().dispatch(batch));
        assertEquals(List.of(DispatchChannel.MAX_COUNT, 2L, 0L),
            channel.listEvents().stream().map(ListedEvent::redeliveries).sorted(Comparator.reverseOrder()).toList());
        final List<String> seen = new ArrayList<>();
        assertEquals(3, channel.newPoller().pollBatch(
            event -> seen.add(event.eventId().getLeastSignificantBits() + ":" + event.redeliveries()), 3));
        assertEquals(List.of("1:2", "2:0", "3:4294967295"), seen);
        final IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
            () -> new DispatchBatch(1).add(0, 0, 0, 0, 0, NO_BYTES, 0, 0, 0, 0, -1));
        assertEquals("redeliveries must be in [0, 4294967295]: -1", negative.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> new DispatchBatch(1).add(0, 0, 0, 0, 0, NO_BYTES, 0, 0, 0, 0, DispatchChannel.MAX_COUNT + 1));
        assertThrows(IllegalArgumentException.class, () -> new DispatchBatch(1).add(0, 0, 0, 0, 0, NO_BYTES, 0, 0, 0, 0x100, 0));
    }

    @Test
    void aBatchOfCompletionsSettlesEachEntryAndRefusesOnlyTheBadOnes()
    {
        final DispatchChannel channel = channel();
        final DispatchBatch batch = new DispatchBatch(3);
        batch.add(0, 1, 0, 0, 0, NO_BYTES).add(0, 2, 0, 0, 0, NO_BYTES).add(0, 3, 0, 0, 0, NO_BYTES);
        assertEquals(3, channel.dispatcher().dispatch(batch));
        final Poller poller = channel.newPoller();
        assertEquals(3, poller.pollBatch(event -> { }, 3));
        final CompletionBatch outcomes = new CompletionBatch(4);
        outcomes.add(batch.handle(0), 7, bytes("a")).add(0, 0, NO_BYTES).add(batch.handle(2), 9, bytes("cc"), 0x99);
        assertEquals(3, poller.completeBatch(outcomes));
        assertEquals(List.of(ErrorCode.OK, ErrorCode.ENOENT, ErrorCode.OK),
            List.of(outcomes.code(0), outcomes.code(1), outcomes.code(2)));
        outcomes.clear();
        outcomes.add(batch.handle(0), 7, NO_BYTES);
        assertEquals(1, poller.completeBatch(outcomes));
        assertEquals(ErrorCode.EALREADY, outcomes.code(0), "completed once, whatever the call");
        assertEquals(2, drainInto(channel));
        assertEquals(List.of(batch.handle(0) + ":false:7:a:" + new UUID(0, 1), batch.handle(2) + ":false:9:cc:" + new UUID(0, 3)),
            drainedText);

        outcomes.clear();
        outcomes.add(batch.handle(1), 0, MemorySegment.ofArray(new byte[channel.maxResultLength() + 1]));
        assertThrows(IllegalArgumentException.class, () -> poller.completeBatch(outcomes));
        assertEquals(ErrorCode.OK, poller.complete(batch.handle(1), 0, NO_BYTES), "a refused batch changed nothing");
        channel.close();
        outcomes.clear();
        outcomes.add(batch.handle(1), 0, NO_BYTES);
        assertEquals(ErrorCode.ESHUTDOWN, poller.completeBatch(outcomes));
    }

    /**
     * A batch's completions share claims of the completion ring, runs of records claimed together:
     * a stale entry ends a run and is refused alone, the runs wrap around the ring's end many times,
     * and a batch the ring has no room for settles in part, says which entry found none, and
     * finishes after a drain. Every outcome comes back once (C: test_complete_batch_runs).
     */
    @Test
    void aBatchOfCompletionsSharesClaimsOfTheRingAcrossItsWrapAndWhenItIsFull()
    {
        final int size = 40;
        final int stale = 17;
        final DispatchChannel channel = channel(
            DispatchChannel.builder().slabCapacity(1024).dispatchRingCapacity(1024).completionRingCapacity(16 * 1024));
        final Poller poller = channel.newPoller();
        final DispatchBatch batch = new DispatchBatch(size);
        final CompletionBatch outcomes = new CompletionBatch(size);
        final long[] held = new long[1024];
        for (int round = 0; round < 100; round++)
        {
            batch.clear();
            for (int i = 0; i < size; i++)
            {
                batch.add(0, round * size + i, 0, 0, 0, NO_BYTES);
            }
            assertEquals(size, channel.dispatcher().dispatch(batch));
            final int[] polled = {0};
            assertEquals(size, poller.pollBatch(event -> held[polled[0]++] = event.handle(), size));
            assertEquals(ErrorCode.OK, channel.dispatcher().cancel(held[stale]));
            outcomes.clear();
            for (int i = 0; i < size; i++)
            {
                outcomes.add(held[i], i, bytes("r" + (round * size + i)));
            }
            assertEquals(size, poller.completeBatch(outcomes));
            for (int i = 0; i < size; i++)
            {
                assertEquals(i == stale ? ErrorCode.ESTALE : ErrorCode.OK, outcomes.code(i), "entry " + i);
            }
            drainedText.clear();
            assertEquals(size - 1, drainInto(channel));
            for (int k = 0; k < size - 1; k++)
            {
                final int i = k < stale ? k : k + 1;
                final long number = round * size + i;
                assertEquals(held[i] + ":false:" + i + ":r" + number + ":" + new UUID(0, number), drainedText.get(k));
            }
        }

        // More completions than the ring holds: a partial batch, then the rest after drains.
        final int many = 1024;
        final CompletionBatch all = new CompletionBatch(many);
        for (int sent = 0; sent < many; sent += size)
        {
            batch.clear();
            for (int i = sent; i < Math.min(many, sent + size); i++)
            {
                batch.add(0, i, 0, 0, 0, NO_BYTES);
            }
            assertEquals(batch.size(), channel.dispatcher().dispatch(batch));
        }
        final int[] polled = {0};
        assertEquals(many, poller.pollBatch(event -> held[polled[0]++] = event.handle(), many));
        for (int i = 0; i < many; i++)
        {
            all.add(held[i], i, bytes("r" + i));
        }
        int settled = poller.completeBatch(all);
        assertTrue(settled > 0 && settled < many, "settled " + settled);
        assertEquals(ErrorCode.ENOBUFS, all.code(settled), "the entry that found no room says so");
        final java.util.BitSet seen = new java.util.BitSet(many);
        int delivered = 0;
        while (delivered < many)
        {
            final int drained = channel.outcomeDrain().drain(outcome -> {
                assertFalse(seen.get(outcome.status()), "delivered twice: " + outcome.status());
                seen.set(outcome.status());
            }, many);
            delivered += drained;
            if (settled < many)
            {
                settled += poller.completeBatch(all, settled);
            }
            else if (drained == 0)
            {
                break;
            }
        }
        assertEquals(many, delivered);
        assertEquals(many, seen.cardinality());
    }

    @Test
    void aHandlerThatThrowsKeepsWhatItWasGivenAndTheRestOfTheRunGoesBackToTheRing()
    {
        final DispatchChannel channel = channel(DispatchChannel.builder().slabCapacity(8));
        final long[] handles = new long[5];
        for (int i = 0; i < handles.length; i++)
        {
            handles[i] = channel.dispatcher().dispatch(0, i, 0, 0, 0, NO_BYTES);
        }
        final Poller thrower = channel.newPoller();
        final List<Long> given = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> thrower.pollBatch(event -> {
            given.add(event.handle());
            if (given.size() == 2)
            {
                throw new IllegalStateException("a handler's failure");
            }
        }, 8));
        assertEquals(List.of(handles[0], handles[1]), given);
        final List<Long> rest = new ArrayList<>();
        assertEquals(3, channel.newPoller().pollBatch(event -> rest.add(event.handle()), 8));
        assertEquals(List.of(handles[2], handles[3], handles[4]), rest, "the run's rest, back in the ring for any handler");
        assertEquals(ErrorCode.OK, thrower.complete(handles[1], 0, NO_BYTES), "what it was given stays the thrower's");
        assertEquals(ErrorCode.EALREADY, channel.newPoller().complete(handles[1], 0, NO_BYTES));
    }

    @Test
    void aFullSlabIsBackpressureNotFailure()
    {
        final DispatchChannel channel = channel();
        final Poller poller = channel.newPoller();
        for (int i = 0; i < 4; i++)
        {
            assertTrue(channel.dispatcher().dispatch(UUID.randomUUID(), CORRELATION, 0, NO_BYTES) > 0);
        }
        assertEquals(ErrorCode.EAGAIN, channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES));
        assertEquals(ErrorCode.EAGAIN, channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES, Duration.ofMillis(5)));

        final PolledEvent event = channel.newPoller().poll();
        poller.complete(event.handle(), 0, NO_BYTES);
        drainInto(channel);
        assertTrue(channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES) > 0, "a drained slot is free again");
    }

    @Test
    void aFullDispatchRingIsBackpressureAndLeavesTheSlotFree()
    {
        final DispatchChannel channel = channel(DispatchChannel.builder().slabCapacity(4).dispatchRingCapacity(2));
        final long first = channel.dispatcher().dispatch(UUID.randomUUID(), CORRELATION, 0, NO_BYTES);
        final long second = channel.dispatcher().dispatch(UUID.randomUUID(), CORRELATION, 0, NO_BYTES);
        assertEquals(ErrorCode.ENOSPC, channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES));
        assertEquals(2, channel.metrics().waitingCount(), "the refused dispatch left its slot free");

        assertEquals(ErrorCode.OK, channel.dispatcher().cancel(first));
        final long third = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        assertTrue(third > 0, "the cancelled event's entry was garbage: the dispatch dropped it");
        final Poller poller = channel.newPoller();
        assertEquals(second, poller.poll().handle());
        assertEquals(third, poller.poll().handle());
        assertNull(poller.poll());
    }

    /**
     * A writer outside this library rewrites a record to name the result block another outcome's
     * publisher took: the drain delivers the owner's bytes, rejects and counts the forged record
     * without reading or freeing the block (its stamp names the owner), and the block is handed out
     * once more, intact (C: a_record_naming_a_block_its_writer_never_took_is_rejected).
     */
    @Test
    void aRecordNamingABlockItsWriterNeverTookIsRejected()
    {
        final DispatchChannel channel = channel();
        final MemorySegment memory = channel.memory();
        final Poller poller = channel.newPoller();
        final byte[] owners = new byte[10_000]; // past a record's inline room: a block
        final byte[] forgers = new byte[10_000];
        Arrays.fill(owners, (byte)1);
        Arrays.fill(forgers, (byte)2);
        final long owner = channel.dispatcher().dispatch(0, 1, 0, 0, 0, NO_BYTES);
        final long forger = channel.dispatcher().dispatch(0, 2, 0, 0, 0, NO_BYTES);
        assertEquals(owner, poller.poll().handle());
        assertEquals(forger, poller.poll().handle());
        assertEquals(ErrorCode.OK, poller.complete(owner, 200, MemorySegment.ofArray(owners)));
        assertEquals(ErrorCode.OK, poller.complete(forger, 200, MemorySegment.ofArray(forgers)));
        final long ring = (long)HeaderDescriptor.COMPLETION_RING_OFFSET_HANDLE.get(memory, 0L);
        final int capacity = (int)HeaderDescriptor.COMPLETION_RING_CAPACITY_HANDLE.get(memory, 0L);
        final long head = memory.get(JAVA_LONG, ring + capacity + CompletionRingDescriptor.HEAD_POSITION_OFFSET);
        final long ownersBody = ring + (head & (capacity - 1)) + CompletionRingDescriptor.RECORD_HEADER_LENGTH;
        final long forgersBody = ownersBody + CompletionRingDescriptor.RECORD_HEADER_LENGTH +
            CompletionRingDescriptor.BLOCK_BODY_LENGTH;
        final int block = (int)CompletionRingDescriptor.BODY_RESULT_BLOCK.get(memory, ownersBody);
        assertNotEquals(0, block);
        assertEquals(forger, (long)CompletionRingDescriptor.BODY_HANDLE.get(memory, forgersBody));
        CompletionRingDescriptor.BODY_RESULT_BLOCK.set(memory, forgersBody, block);

        final List<Long> delivered = new ArrayList<>();
        assertEquals(1, channel.outcomeDrain().drain(outcome ->
        {
            final byte[] result = new byte[outcome.resultLength()];
            outcome.copyResultTo(MemorySegment.ofArray(result), 0);
            assertArrayEquals(owners, result, "the owner's bytes");
            delivered.add(outcome.eventIdLo());
        }, 16));
        assertEquals(List.of(1L), delivered);
        assertEquals(1, channel.metrics().rejectedRecordCount(), "the forged record");
        // The owner's block went back once: the next long result takes it and comes back intact.
        final long next = channel.dispatcher().dispatch(0, 3, 0, 0, 0, NO_BYTES);
        assertEquals(next, poller.poll().handle());
        assertEquals(ErrorCode.OK, poller.complete(next, 200, MemorySegment.ofArray(forgers)));
        assertEquals(1, channel.outcomeDrain().drain(outcome ->
        {
            final byte[] result = new byte[outcome.resultLength()];
            outcome.copyResultTo(MemorySegment.ofArray(result), 0);
            assertArrayEquals(forgers, result);
        }, 16));
    }

    @Test
    void handlesAreCheckedOnEveryOperation()
    {
        final DispatchChannel channel = channel();
        final Poller poller = channel.newPoller();
        final long handle = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        assertEquals(ErrorCode.EPROTO, poller.complete(handle, 0, NO_BYTES), "not claimed yet");
        channel.newPoller().poll();
        assertEquals(ErrorCode.OK, poller.complete(handle, 0, NO_BYTES));
        assertEquals(ErrorCode.EALREADY, poller.complete(handle, 0, NO_BYTES), "double completion");
        assertEquals(ErrorCode.EALREADY, channel.dispatcher().cancel(handle));
        drainInto(channel);
        assertEquals(ErrorCode.ESTALE, poller.complete(handle, 0, NO_BYTES), "the slot moved on");
        assertEquals(ErrorCode.ESTALE, channel.dispatcher().cancel(handle));

        assertEquals(ErrorCode.ENOENT, poller.complete(Handles.handle(1, 4), 0, NO_BYTES), "index beyond the slab");
        assertEquals(ErrorCode.ENOENT, poller.complete(Handles.NONE, 0, NO_BYTES));
        assertEquals(ErrorCode.ENOENT, poller.complete(-1, 0, NO_BYTES));
        assertEquals(ErrorCode.ENOENT, poller.complete(Handles.handle(1, 3), 0, NO_BYTES), "never dispatched");
        assertEquals(ErrorCode.ENOENT, channel.dispatcher().cancel(Handles.handle(7, 99)));
        assertEquals(1, drainedText.size(), "no bad call produced an outcome");
        assertEquals(0, channel.metrics().rejectedRecordCount());
    }

    @Test
    void expiredEventsAreReportedOnceAndLateCompletionsRejected() throws InterruptedException
    {
        final DispatchChannel channel = channel(DispatchChannel.builder().slabCapacity(4)
            .completionTimeout(Duration.ofMillis(1)));
        final long waiting = channel.dispatcher().dispatch(UUID.randomUUID(), CORRELATION, 0, NO_BYTES);
        final long claimed = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        final Poller poller = channel.newPoller();
        assertEquals(waiting, poller.poll().handle());
        Thread.sleep(5); // lets the 1 ms deadline pass; nothing here measures time
        assertEquals(2, channel.reclaimExpired());
        assertEquals(0, channel.reclaimExpired(), "an event times out once");
        assertEquals(ErrorCode.ETIMEDOUT, poller.complete(waiting, 0, NO_BYTES));

        assertEquals(2, drainInto(channel));
        assertTrue(drainedText.stream().allMatch(text -> text.contains(":true:" + ErrorCode.ETIMEDOUT + ":")));
        assertEquals(ErrorCode.ESTALE, poller.complete(waiting, 0, NO_BYTES));
        assertNull(poller.poll(), "the timed-out event left in the ring is skipped");
        assertEquals(2, channel.metrics().timedOutCount());
        assertEquals(0, channel.metrics().pendingCount());
        assertEquals(0, channel.metrics().latency().count(), "timeouts are not latencies");
        assertTrue(claimed > 0);
    }

    @Test
    void cancelFreesAPendingEventAtOnce()
    {
        final DispatchChannel channel = channel();
        final Poller poller = channel.newPoller();
        final long handle = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, bytes("gone"));
        final PolledEvent event = channel.newPoller().poll();
        assertEquals(ErrorCode.OK, channel.dispatcher().cancel(handle));
        assertEquals(ErrorCode.ESTALE, poller.complete(handle, 0, NO_BYTES));
        assertEquals(ErrorCode.ESTALE, event.readPayload(MemorySegment.ofArray(new byte[16]), 0),
            "a checked read of a cancelled event is refused");
        assertEquals(0, drainInto(channel), "a cancelled event is not reported again");
        assertEquals(1, channel.metrics().cancelledCount());
        assertEquals(0, channel.metrics().pendingCount());
    }

    @Test
    void cancelSucceedsWhileAHandlerClaimsTheSameEvent() throws InterruptedException
    {
        final DispatchChannel channel = channel(DispatchChannel.builder().slabCapacity(4));
        final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        final Thread claimer = Thread.ofPlatform().start(() -> {
            final Poller poller = channel.newPoller();
            while (running.get())
            {
                poller.poll(); // claims whatever is dispatched, never completes it
            }
        });
        try
        {
            for (int i = 0; i < 50_000; i++)
            {
                long handle;
                while (ErrorCode.isBackpressure(handle = channel.dispatcher().dispatch(i, i, 0, 0, 0, NO_BYTES)))
                {
                    Thread.yield(); // cancelled entries leave the ring only as the poller skips them
                }
                assertTrue(handle > 0, ErrorCode.describe((int)handle));
                final int cancelled = channel.dispatcher().cancel(handle);
                assertEquals(ErrorCode.OK, cancelled,
                    () -> "cancel of a pending event, dispatched or claimed: " + ErrorCode.describe(cancelled));
            }
        }
        finally
        {
            running.set(false);
            claimer.join();
        }
        assertEquals(50_000, channel.metrics().cancelledCount());
        assertEquals(0, channel.metrics().pendingCount());
    }

    @Test
    void anInstrumentedChannelCountsWhatItDid()
    {
        final DispatchChannel channel = channel(DispatchChannel.builder().slabCapacity(2).instrumented(true));
        final Poller poller = channel.newPoller();
        final long first = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        final long second = channel.dispatcher().dispatch(CORRELATION, EVENT, 0, NO_BYTES);
        assertEquals(ErrorCode.EAGAIN, channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES));
        channel.dispatcher().cancel(first);
        final PolledEvent event = channel.newPoller().poll(); // skips the cancelled entry, claims the second
        assertEquals(second, event.handle());
        assertEquals(ErrorCode.OK, poller.complete(second, 0, NO_BYTES));
        assertEquals(ErrorCode.EALREADY, poller.complete(second, 0, NO_BYTES));
        drainInto(channel);

        final ChannelActivity activity = channel.activity();
        assertEquals(2, activity.dispatched());
        assertEquals(1, activity.dispatchBackpressure());
        assertEquals(1, activity.staleSkipped());
        assertEquals(1, activity.claimed());
        assertEquals(1, activity.completed());
        assertEquals(1, activity.completionRefused());
        assertEquals(1, activity.drained());
        assertEquals(1, activity.cancelled());
        assertEquals(0, activity.freeListRetries(), "one thread never retries a CAS");
        assertTrue(activity.elapsedNanos() > 0 && activity.perSecond(activity.dispatched()) > 0);
        assertThrows(IllegalStateException.class, () -> channel().activity(), "not instrumented");
    }

    @Test
    void misuseThrowsAndLeavesTheChannelWorking()
    {
        final DispatchChannel channel = channel(DispatchChannel.builder().slabCapacity(2).slotSize(192)
            .withoutBlocks().completionRingCapacity(1024));
        final Poller poller = channel.newPoller();
        assertEquals(64, channel.maxPayloadLength());
        assertEquals(64, channel.inlinePayloadCapacity());
        assertEquals(1024 / 8 - CompletionRingDescriptor.BODY_LENGTH, channel.maxResultLength());
        assertThrows(IllegalArgumentException.class,
            () -> channel.dispatcher().dispatch(EVENT, CORRELATION, 0, MemorySegment.ofArray(new byte[65])));
        assertThrows(NullPointerException.class, () -> channel.dispatcher().dispatch(EVENT, CORRELATION, 0, null));
        assertThrows(NullPointerException.class, () -> channel.outcomeDrain().drain(null, 1));

        final long handle = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, MemorySegment.ofArray(new byte[64]));
        channel.newPoller().poll();
        assertThrows(IllegalArgumentException.class,
            () -> poller.complete(handle, 0, MemorySegment.ofArray(new byte[113])));
        assertThrows(NullPointerException.class, () -> poller.complete(handle, 0, null));
        assertEquals(ErrorCode.OK, poller.complete(handle, 0, MemorySegment.ofArray(new byte[112])));
        assertEquals(1, drainInto(channel));
        assertEquals(List.of(112), drainedResultLengths);
        assertThrows(IllegalStateException.class,
            () -> poller.complete(EVENT, 0, NO_BYTES), "complete(UUID) without the index");
    }

    @Test
    void theBuilderNamesTheBadSize()
    {
        final IllegalArgumentException capacity = assertThrows(IllegalArgumentException.class,
            () -> DispatchChannel.builder().slabCapacity(1000).build());
        assertTrue(capacity.getMessage().contains("slab_capacity"), capacity.getMessage());
        final IllegalArgumentException slot = assertThrows(IllegalArgumentException.class,
            () -> DispatchChannel.builder().slotSize(100).build());
        assertTrue(slot.getMessage().contains("slot_size"), slot.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DispatchChannel.builder().completionRingCapacity(512).build());
        assertThrows(IllegalArgumentException.class, () -> DispatchChannel.builder().completionTimeout(Duration.ZERO));
    }

    private long dispatchAndComplete(final DispatchChannel channel, final int status)
    {
        final Poller poller = channel.newPoller();
        final long handle = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        assertEquals(handle, channel.newPoller().poll().handle());
        assertEquals(ErrorCode.OK, poller.complete(handle, status, NO_BYTES));
        return handle;
    }

    /**
     * Between a drain that delivered and the next one, dispatches are stamped with the time that
     * drain read at its start (the header's cached clock); after a drain that delivered nothing they
     * read the clock. A poll of one event reads the clock; a batch poll stamps its events with the
     * cache as dispatches do (C: test_dispatches_are_stamped_with_the_hosts_cached_clock).
     */
    @Test
    void dispatchesAreStampedWithTheHostsCachedClockUntilADrainFindsNothing()
    {
        final DispatchChannel channel = channel();
        final Poller poller = channel.newPoller();
        dispatchAndComplete(channel, 1);
        final long beforeDrain = System.nanoTime();
        assertEquals(1, drainInto(channel));
        final long afterDrain = System.nanoTime();

        final long first = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        final PolledEvent polled = poller.poll();
        assertEquals(first, polled.handle());
        final long stamp = polled.dispatchedAtNanos();
        assertTrue(stamp >= beforeDrain && stamp <= afterDrain, "stamped with the drain's start: " + stamp);
        assertTrue(polled.polledAtNanos() >= afterDrain, "the poll read the clock, not the cache");
        assertEquals(ErrorCode.OK, poller.complete(first, 0, NO_BYTES));
        final long batched = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        final long[] polledInBatch = new long[2];
        assertEquals(1, poller.pollBatch(event -> {
            polledInBatch[0] = event.handle();
            polledInBatch[1] = event.polledAtNanos();
        }, 2));
        assertEquals(batched, polledInBatch[0]);
        assertEquals(stamp, polledInBatch[1], "a batch poll is stamped with the cache, as the dispatch was");
        assertEquals(ErrorCode.OK, poller.complete(batched, 0, NO_BYTES));

        assertEquals(2, drainInto(channel));
        assertEquals(0, drainInto(channel), "a drain that finds nothing clears the cache");
        final long afterEmptyDrain = System.nanoTime();
        final long second = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        final PolledEvent next = poller.poll();
        assertEquals(second, next.handle());
        assertTrue(next.dispatchedAtNanos() >= afterEmptyDrain, "stamped from the clock, not a cache");
        assertTrue(next.polledAtNanos() >= next.dispatchedAtNanos());
        assertEquals(ErrorCode.OK, poller.complete(second, 0, NO_BYTES));
        final long third = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        final long beforeBatch = System.nanoTime();
        assertEquals(1, poller.pollBatch(event -> polledInBatch[1] = event.polledAtNanos(), 2));
        assertTrue(polledInBatch[1] >= beforeBatch, "no cache: a batch poll read the clock");
        assertEquals(ErrorCode.OK, poller.complete(third, 0, NO_BYTES));
    }

    /**
     * The events the slab holds, listed in their states until the host drains them (a cancelled one
     * is gone at once); once this process closed the channel, the list is refused (C: test_list_events).
     */
    @Test
    void anEventListsItsStateUntilItIsDrained()
    {
        final DispatchChannel channel = channel(DispatchChannel.builder().slabCapacity(8));
        final long[] handles = new long[5];
        for (int id = 0; id < 5; id++)
        {
            handles[id] = channel.dispatcher().dispatch(7, id, 9, 100 + id, id, NO_BYTES);
            assertTrue(handles[id] > 0);
        }
        final Poller poller = channel.newPoller();
        final long first = poller.poll().handle();
        poller.poll();
        poller.poll();
        assertEquals(ErrorCode.OK, poller.complete(first, 0, NO_BYTES));
        assertEquals(ErrorCode.OK, channel.dispatcher().cancel(handles[4]));

        final List<ListedEvent> listed = channel.listEvents();
        final List<ListedEvent.State> expected = List.of(
            ListedEvent.State.COMPLETED, ListedEvent.State.POLLED, ListedEvent.State.POLLED, ListedEvent.State.DISPATCHED);
        assertEquals(4, listed.size());
        for (final ListedEvent event : listed)
        {
            final int id = (int)event.eventId().getLeastSignificantBits();
            assertEquals(handles[id], event.handle());
            assertEquals(expected.get(id), event.state());
            assertEquals(new UUID(7, id), event.eventId());
            assertEquals(new UUID(9, 100 + id), event.correlationId());
            assertEquals(id, event.kind());
            assertTrue(event.dispatchedAtNanos() > 0);
            assertEquals(0, event.redeliveries());
            assertEquals(0, event.yields());
        }
        assertEquals(1, drainInto(channel));
        assertEquals(3, channel.listEvents().size());
        channel.close();
        assertThrows(IllegalStateException.class, channel::listEvents);
    }

    /**
     * Another process writes over the slab's free-list head: the slots on the list are lost to it,
     * and a dispatch that then finds no slot refuses with EUCLEAN (a batch and a claim alike) instead
     * of the backpressure (EAGAIN) that would never end; slots freed later serve dispatches again
     * (C: test_a_scribbled_slab_free_list_is_refused).
     */
    @Test
    void aScribbledFreeListHeadIsRefusedAsCorruptionNotAsBackpressure()
    {
        final DispatchChannel channel = channel(DispatchChannel.builder().slabCapacity(8));
        final Dispatcher dispatcher = channel.dispatcher();
        assertTrue(dispatcher.dispatch(7, 0, 0, 0, 0, NO_BYTES) > 0);
        HeaderDescriptor.FREE_HEAD_HANDLE.setVolatile(channel.memory(), 0L, 0x5C21BB1EL << 32 | 0xFFFFF0L);
        assertEquals(ErrorCode.EUCLEAN, dispatcher.dispatch(7, 1, 0, 0, 0, NO_BYTES));
        final DispatchBatch batch = new DispatchBatch(1).add(7, 2, 0, 0, 0, NO_BYTES);
        assertEquals(0, dispatcher.dispatch(batch));
        assertEquals(ErrorCode.EUCLEAN, batch.handle(0));
        assertEquals(ErrorCode.EUCLEAN, dispatcher.claim(7, 3, 0, 0, 0, 8, TraceContext.NONE, new PayloadClaim()));
        final Poller poller = channel.newPoller();
        assertEquals(ErrorCode.OK, poller.complete(poller.poll().handle(), 0, NO_BYTES));
        assertEquals(1, drainInto(channel));
        assertTrue(dispatcher.dispatch(7, 4, 0, 0, 0, NO_BYTES) > 0, "the slot freed serves again");
        assertEquals(ErrorCode.EUCLEAN, dispatcher.dispatch(7, 5, 0, 0, 0, NO_BYTES));
    }

    @Test
    void aDrainFromInsideItsOwnHandlerIsRefusedAndNothingIsDeliveredTwice()
    {
        final DispatchChannel channel = channel();
        dispatchAndComplete(channel, 1);
        dispatchAndComplete(channel, 2);
        final List<Integer> statuses = new ArrayList<>();
        final List<Integer> inner = new ArrayList<>();
        assertEquals(2, channel.outcomeDrain().drain(completion -> {
            statuses.add(completion.status());
            inner.add(channel.outcomeDrain().drain(again -> statuses.add(-again.status()), 100));
        }, 100));
        assertEquals(List.of(1, 2), statuses);
        assertEquals(List.of(ErrorCode.EBUSY, ErrorCode.EBUSY), inner);
        assertEquals(0, drainInto(channel));
    }

    /**
     * The drain pushes the slots it frees back on the free list a run at a time; a dispatch from its
     * own handler on a full slab still finds every slot the outcomes shown so far freed, one at a
     * time or in a batch (C: test_dispatch_from_a_drain_callback).
     */
    @Test
    void aDispatchFromInsideTheDrainFindsTheSlotsItsOutcomesFreed()
    {
        final DispatchChannel channel = channel();
        for (int i = 0; i < 4; i++)
        {
            dispatchAndComplete(channel, i);
        }
        final DispatchBatch batch = new DispatchBatch(1);
        final List<Long> handles = new ArrayList<>();
        assertEquals(4, channel.outcomeDrain().drain(completion -> {
            if (completion.status() % 2 == 0)
            {
                handles.add(channel.dispatcher().dispatch(UUID.randomUUID(), CORRELATION, 0, NO_BYTES));
            }
            else
            {
                batch.clear();
                batch.add(0, 0, 0, 0, 0, NO_BYTES);
                channel.dispatcher().dispatch(batch);
                handles.add(batch.handle(0));
            }
        }, 100));
        assertEquals(ErrorCode.EAGAIN, (long)handles.get(0), "the first outcome's slot is freed after its handler");
        assertTrue(handles.subList(1, 4).stream().allMatch(handle -> handle > 0), handles.toString());
        assertTrue(channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES) > 0, "the last outcome's slot is back");
        assertEquals(ErrorCode.EAGAIN, channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES));
    }

    @Test
    void anOutcomeWhoseHandlerThrowsIsDeliveredAgainByTheNextDrain()
    {
        final DispatchChannel channel = channel();
        final Poller poller = channel.newPoller();
        final long first = dispatchAndComplete(channel, 1);
        final long second = dispatchAndComplete(channel, 2);
        final IllegalStateException failure = new IllegalStateException("host failed");
        final List<Long> seen = new ArrayList<>();
        assertSame(failure, assertThrows(IllegalStateException.class, () -> channel.outcomeDrain().drain(completion -> {
            seen.add(completion.handle());
            if (completion.handle() == second)
            {
                throw failure;
            }
        }, 100)));
        assertEquals(List.of(first, second), seen);
        assertEquals(1, channel.metrics().awaitingDrainCount(), "the outcome is still there");
        for (int i = 0; i < 3; i++)
        {
            assertTrue(channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES) > 0, "the first one's slot is back");
        }
        assertEquals(ErrorCode.EAGAIN, channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES));
        assertEquals(1, drainInto(channel));
        assertEquals(ErrorCode.ESTALE, poller.complete(second, 0, NO_BYTES), "delivered once, then freed");
        assertEquals(2, channel.metrics().completedCount());
    }

    @Test
    void endedEventsNeverFillTheDispatchRing()
    {
        final DispatchChannel channel = channel(); // 4 slots, 8 ring cells, no handler polling
        for (int i = 0; i < 100; i++)
        {
            final long handle = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
            assertTrue(handle > 0, () -> ErrorCode.describe(handle));
            assertEquals(ErrorCode.OK, channel.dispatcher().cancel(handle));
        }
    }

    @Test
    void aCellADeadConsumerHeldIsReleasedAfterThePatienceAndItsEventTimesOutOnce() throws InterruptedException
    {
        final DispatchChannel channel = channel(
            DispatchChannel.builder().slabCapacity(4).completionTimeout(Duration.ofMillis(20))); // patience 1 s
        assertTrue(channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES) > 0);
        // A consumer takes position 0 and dies before releasing the cell.
        final long ring = HeaderDescriptor.LENGTH;
        assertTrue(DispatchRingDescriptor.CONSUMER_INDEX.compareAndSet(channel.memory(), ring, 0L, 1L));
        final Poller poller = channel.newPoller();
        final int[] outcomes = new int[2]; // completed, timed out
        int dispatched = 1;
        int refused = 0;
        for (int turn = 0; turn < 2000 && dispatched < 12; turn++)
        {
            final long handle = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
            if (handle == ErrorCode.ENOSPC)
            {
                refused++;
                Thread.sleep(5);
            }
            else
            {
                assertTrue(handle > 0, () -> ErrorCode.describe(handle));
                dispatched++;
                assertEquals(handle, poller.poll().handle());
                assertEquals(ErrorCode.OK, poller.complete(handle, 0, NO_BYTES));
            }
            channel.reclaimExpired();
            channel.outcomeDrain().drain(completion -> outcomes[completion.timedOut() ? 1 : 0]++, 16);
        }
        assertEquals(12, dispatched, "the ring was repaired");
        assertTrue(refused > 0, "dispatches were refused while the dead consumer held the cell");
        assertEquals(11, outcomes[0]);
        assertEquals(1, outcomes[1], "the event the dead consumer took timed out, once");
    }

    @Test
    void aHandleOfGenerationZeroIsUnknown()
    {
        final DispatchChannel channel = channel();
        final Poller poller = channel.newPoller();
        final long generationZero = 3; // slot 3, generation 0
        assertEquals(ErrorCode.ENOENT, poller.complete(generationZero, 0, NO_BYTES));
        assertEquals(ErrorCode.ENOENT, channel.dispatcher().cancel(generationZero));
    }

    @Test
    void aClosedChannelReachesHandlersAsEshutdownAndDispatchersAndTheHostAsMisuse()
    {
        final DispatchChannel channel = channel();
        final long handle = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        final Poller poller = channel.newPoller();
        final PolledEvent claimed = poller.poll();
        channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        channel.close();
        channel.close();
        assertTrue(channel.isClosed());
        assertNull(poller.poll());
        assertEquals(ErrorCode.ESHUTDOWN, poller.pollBatch(event -> fail("no event after close"), 16));
        assertEquals(ErrorCode.ESHUTDOWN, poller.awaitEvents(Duration.ofSeconds(60)));
        assertEquals(ErrorCode.ESHUTDOWN, poller.complete(handle, 0, NO_BYTES));
        assertEquals(ErrorCode.ESHUTDOWN, claimed.readPayload(MemorySegment.ofArray(new byte[8]), 0));
        assertThrows(IllegalStateException.class, () -> channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES));
        assertThrows(IllegalStateException.class, () -> channel.outcomeDrain().drain(completion -> { }, 1));
        assertThrows(IllegalStateException.class, channel::reclaimExpired);
        assertThrows(IllegalStateException.class, channel::metrics);
        assertThrows(IllegalStateException.class, () -> channel.dispatcher().cancel(handle));
    }

    @Test
    void uuidIndexCompletesByEventIdAndForgetsEndedEvents()
    {
        final DispatchChannel channel = channel(DispatchChannel.builder().slabCapacity(4).uuidIndex(true));
        final Poller poller = channel.newPoller();
        final long handle = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        assertEquals(ErrorCode.EPROTO, poller.complete(EVENT, 0, NO_BYTES));
        channel.newPoller().poll();
        assertEquals(ErrorCode.OK, poller.complete(EVENT, 3, bytes("by-uuid")));
        assertEquals(ErrorCode.EALREADY, poller.complete(EVENT, 3, NO_BYTES));
        drainInto(channel);
        assertEquals(List.of(handle + ":false:3:by-uuid:" + EVENT), drainedText);
        assertEquals(ErrorCode.ENOENT, poller.complete(EVENT, 0, NO_BYTES), "drained events leave the index");

        final long cancelled = channel.dispatcher().dispatch(CORRELATION, EVENT, 0, NO_BYTES);
        channel.dispatcher().cancel(cancelled);
        assertEquals(ErrorCode.ENOENT, poller.complete(CORRELATION, 0, NO_BYTES), "cancelled events too");
    }

    @Test
    void metricsReportPendingAgesOldestIdAndStarvation() throws InterruptedException
    {
        final DispatchChannel channel = channel(DispatchChannel.builder().slabCapacity(8)
            .starvationThreshold(Duration.ofMillis(1)));
        final ChannelMetrics empty = channel.metrics();
        assertEquals(0, empty.pendingCount());
        assertNull(empty.oldestEventId());
        assertFalse(empty.starvationDetected());
        assertEquals(8, empty.capacity());

        channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        Thread.sleep(5); // the first event is now past the 1 ms starvation threshold
        channel.dispatcher().dispatch(UUID.randomUUID(), CORRELATION, 0, NO_BYTES);
        final long third = channel.dispatcher().dispatch(UUID.randomUUID(), CORRELATION, 0, NO_BYTES);
        channel.newPoller().poll();
        final ChannelMetrics metrics = channel.metrics();
        assertEquals(3, metrics.pendingCount());
        assertEquals(2, metrics.waitingCount());
        assertEquals(1, metrics.inProgressCount());
        assertEquals(EVENT, metrics.oldestEventId());
        assertTrue(metrics.oldestPendingAgeMillis() >= 5, "age " + metrics.oldestPendingAgeMillis());
        assertTrue(metrics.oldestPendingAgeMillis() >= metrics.newestPendingAgeMillis());
        assertTrue(metrics.starvationDetected());
        assertTrue(metrics.starvingEventCount() >= 1);

        channel.dispatcher().cancel(third);
        assertEquals(2, channel.metrics().pendingCount());
    }

    @Test
    void theHeaderRecordsTheChannelForNativeAttachers()
    {
        final DispatchChannel channel = channel(DispatchChannel.builder().slabCapacity(16).slotSize(192));
        final MemorySegment memory = channel.memory();
        assertEquals(HeaderDescriptor.MAGIC, memory.get(ValueLayout.JAVA_LONG, 0));
        assertArrayEquals("BATONCH1".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            memory.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(HeaderDescriptor.ABI_VERSION, memory.get(ValueLayout.JAVA_INT, 8));
        assertEquals(16, memory.get(ValueLayout.JAVA_INT, 16));
        assertEquals(192, memory.get(ValueLayout.JAVA_INT, 20));
        assertEquals(memory.byteSize(), memory.get(ValueLayout.JAVA_LONG, 56));
        assertEquals(HeaderDescriptor.CHANNEL_OPEN, memory.get(ValueLayout.JAVA_INT, 88));
        assertEquals(0, memory.address() % HeaderDescriptor.SEGMENT_ALIGNMENT);
        final long slabOffset = memory.get(ValueLayout.JAVA_LONG, 32);
        final long completionOffset = memory.get(ValueLayout.JAVA_LONG, 48);
        assertEquals(0, slabOffset % 128);
        assertEquals(slabOffset + 16 * 192, completionOffset);
    }

    @Test
    void theJvmHasLibbatonExactlyWhenTheBuildSaysSo()
    {
        assertEquals(!"false".equals(System.getProperty("baton.expect.native")),
            dev.baton.internal.ffi.NativeLibrary.isAvailable(), "this JVM runs the channel with or without libbaton");
    }

    @Test
    void awaitOutcomesReturnsOnceAnOutcomeIsReadyAndFalseAfterItsTimeout()
    {
        final DispatchChannel channel = channel();
        final Poller poller = channel.newPoller();
        assertFalse(channel.outcomeDrain().awaitOutcomes(Duration.ofMillis(2)), "nothing to drain");
        final long handle = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, NO_BYTES);
        channel.newPoller().poll();
        poller.complete(handle, 0, NO_BYTES);
        assertTrue(channel.outcomeDrain().awaitOutcomes(Duration.ofSeconds(60)));
        assertEquals(1, drainInto(channel));
        channel.close();
        assertThrows(IllegalStateException.class, () -> channel.outcomeDrain().awaitOutcomes(Duration.ofMillis(1)));
    }

    @Test
    void resultAndPayloadViewsAreReadOnlyCopies()
    {
        final DispatchChannel channel = channel();
        final Poller poller = channel.newPoller();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment payload = arena.allocateFrom("native payload");
            final long handle = channel.dispatcher().dispatch(EVENT, CORRELATION, 0, payload);
            final PolledEvent event = channel.newPoller().poll();
            assertEquals("native payload", event.payload().getString(0));
            assertTrue(event.payload().isReadOnly());
            poller.complete(handle, 0, payload);
            channel.outcomeDrain().drain(completion -> assertEquals("native payload", completion.result().getString(0)), 1);
        }
    }
}
