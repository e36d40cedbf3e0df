package dev.baton;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Zero-copy dispatch and yields, the twin of tests/c/test_yield.c: a payload claimed,
 * written in place and committed or aborted, with spent and forged tokens refused; an event
 * yielded with a continuation, dispatched again with its handle, ids and trace, its yields counted,
 * until the channel's yield limit ends it with ELOOP.
 */
class YieldTest
{
    private static final int LARGEST = 64 * 1024;

    private static DispatchChannel channel(final long yieldLimit)
    {
        return DispatchChannel.builder().slabCapacity(4).slotSize(192).withoutBlocks()
            .blocks(1024, 4).blocks(LARGEST, 2).yieldLimit(yieldLimit).build();
    }

    private static MemorySegment pattern(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed + i * 13);
        }
        return MemorySegment.ofArray(bytes);
    }

    /** Dispatches as many events as the slab holds and cancels them: every slot came back. */
    private static boolean slabRefills(final DispatchChannel channel)
    {
        final List<Long> handles = new ArrayList<>();
        long handle;
        while (handles.size() < channel.capacity() &&
            (handle = channel.dispatcher().dispatch(9, handles.size(), 0, 0, 0, pattern(1, 0))) > 0)
        {
            handles.add(handle);
        }
        handles.forEach(channel.dispatcher()::cancel);
        return handles.size() == channel.capacity();
    }

    @Test
    void aClaimedPayloadIsWrittenInPlaceAndCommitted()
    {
        try (DispatchChannel channel = channel(100))
        {
            final Poller poller = channel.newPoller();
            final PayloadClaim claim = new PayloadClaim();
            final TraceContext trace = new TraceContext(1, 2, 3, 1);
            for (final int length : new int[] {0, 5, 64, 65, 1025, 40_000})
            {
                assertEquals(ErrorCode.OK, channel.dispatcher().claim(4, length, 5, 6, 7, length, trace, claim));
                assertTrue(claim.isHeld());
                assertEquals(length, claim.length());
                final MemorySegment expected = pattern(length, length);
                MemorySegment.copy(expected, 0, claim.buffer(), claim.offset(), length);
                assertNull(poller.poll(), "unseen until committed");
                final long handle = claim.commit();
                assertTrue(handle > 0, () -> ErrorCode.describe(handle));
                assertFalse(claim.isHeld());
                final PolledEvent event = poller.poll();
                assertNotNull(event);
                assertEquals(handle, event.handle());
                assertEquals(length, event.eventIdLo());
                assertEquals(7, event.kind());
                assertEquals(0, event.yields());
                assertEquals(-1, event.payload().mismatch(expected), length + " bytes");
                assertEquals(trace, event.traceContext());
                assertEquals(ErrorCode.OK, channel.dispatcher().cancel(handle));
                assertEquals(ErrorCode.EALREADY, claim.commit(), "a spent claim");
                claim.forgeToken(handle);
                assertEquals(ErrorCode.ESTALE, claim.commit(), "its token replayed");
                assertEquals(ErrorCode.ESTALE, claim.abort());
            }
            assertTrue(slabRefills(channel));
        }
    }

    @Test
    void anAbortedClaimGivesItsRoomBack()
    {
        try (DispatchChannel channel = channel(100))
        {
            final PayloadClaim[] claims = new PayloadClaim[4];
            for (int i = 0; i < claims.length; i++)
            {
                claims[i] = new PayloadClaim();
                assertEquals(ErrorCode.OK, channel.dispatcher().claim(1, i, 0, 0, 0, LARGEST / 2 * (i % 2), TraceContext.NONE, claims[i]));
            }
            assertEquals(ErrorCode.EAGAIN, channel.dispatcher().claim(1, 9, 0, 0, 0, 1, TraceContext.NONE, new PayloadClaim()));
            for (final PayloadClaim claim : claims)
            {
                final long token = claim.token();
                assertEquals(ErrorCode.OK, claim.abort());
                claim.forgeToken(token);
                assertEquals(ErrorCode.ESTALE, claim.commit(), "the abort moved the generation on");
            }
            assertNull(channel.newPoller().poll());
            assertTrue(slabRefills(channel));
            for (final PayloadClaim claim : new PayloadClaim[] {claims[0], claims[1]})
            {
                assertEquals(ErrorCode.OK, channel.dispatcher().claim(1, 1, 0, 0, 0, LARGEST, TraceContext.NONE, claim));
            }
            assertEquals(ErrorCode.OK, claims[0].abort());
            assertEquals(ErrorCode.OK, claims[1].abort());
        }
    }

    @Test
    void badClaimsGetClearErrors()
    {
        final DispatchChannel channel = channel(100);
        try
        {
            final PayloadClaim claim = new PayloadClaim();
            assertThrows(IllegalArgumentException.class,
                () -> channel.dispatcher().claim(1, 1, 0, 0, 0, LARGEST + 1, TraceContext.NONE, claim));
            assertEquals(ErrorCode.EALREADY, claim.commit(), "never claimed");
            final long dispatched = channel.dispatcher().dispatch(1, 1, 0, 0, 0, pattern(1, 0));
            assertEquals(ErrorCode.OK, channel.dispatcher().claim(1, 2, 0, 0, 0, 1, TraceContext.NONE, claim));
            final long held = claim.token();
            claim.forgeToken(dispatched);
            assertEquals(ErrorCode.EALREADY, claim.commit(), "a dispatched event's handle");
            claim.forgeToken((1L << 32) | 99);
            assertEquals(ErrorCode.ENOENT, claim.commit());
            claim.forgeToken(held);
            assertTrue(claim.commit() > 0);
        }
        finally
        {
            channel.close();
        }
        final PayloadClaim spent = new PayloadClaim();
        assertThrows(IllegalStateException.class,
            () -> channel.dispatcher().claim(1, 3, 0, 0, 0, 1, TraceContext.NONE, spent), "use after close");
    }

    @Test
    void aYieldedEventComesBackWithItsContinuation()
    {
        try (DispatchChannel channel = channel(100))
        {
            final Poller poller = channel.newPoller();
            final TraceContext trace = new TraceContext(8, 9, 10, 1);
            final MemorySegment first = MemorySegment.ofArray("cursor=0;rest".getBytes());
            final long handle = channel.dispatcher().dispatch(11, 12, 13, 14, 15, first, trace);
            PolledEvent event = poller.poll();
            // a continuation cut from the event's own payload, written where it lies
            assertEquals(ErrorCode.OK, poller.yieldEvent(event.handle(), event.payload().asSlice(5)));
            MemorySegment expected = first.asSlice(5);
            int round = 0;
            for (final int length : new int[] {3000, 50_000, 0, 20})
            {
                event = poller.poll();
                assertNotNull(event);
                round++;
                assertEquals(handle, event.handle());
                assertEquals(round, event.yields());
                assertEquals(12, event.eventIdLo());
                assertEquals(15, event.kind());
                assertEquals(trace, event.traceContext());
                assertEquals(-1, event.payload().mismatch(expected), "round " + round);
                expected = pattern(length, round);
                assertEquals(ErrorCode.OK, poller.yieldEvent(event.handle(), expected));
                assertEquals(ErrorCode.EPROTO, poller.complete(event.handle(), 0, MemorySegment.NULL),
                    "the yielder holds it no longer");
                assertEquals(ErrorCode.EPROTO, poller.yieldEvent(event.handle(), MemorySegment.NULL));
            }
            event = poller.poll();
            assertEquals(-1, event.payload().mismatch(expected));
            assertEquals(ErrorCode.OK, poller.complete(event.handle(), 5, MemorySegment.NULL));
            final List<Integer> statuses = new ArrayList<>();
            assertEquals(1, channel.outcomeDrain().drain(completion -> statuses.add(completion.status()), 4));
            assertEquals(List.of(5), statuses);
            assertTrue(slabRefills(channel));
            final PayloadClaim[] large = {new PayloadClaim(), new PayloadClaim()};
            for (final PayloadClaim claim : large)
            {
                assertEquals(ErrorCode.OK, channel.dispatcher().claim(1, 1, 0, 0, 0, LARGEST, TraceContext.NONE, claim),
                    "every large block came back");
            }
            for (final PayloadClaim claim : large)
            {
                assertEquals(ErrorCode.OK, claim.abort());
            }
        }
    }

    @Test
    void anEndlessYieldEndsWithEloop()
    {
        try (DispatchChannel channel = channel(3))
        {
            final Poller poller = channel.newPoller();
            final long handle = channel.dispatcher().dispatch(1, 2, 0, 0, 0, pattern(8, 1));
            int yields = 0;
            int last;
            do
            {
                final PolledEvent event = poller.poll();
                last = poller.yieldEvent(event.handle(), event.payload());
                yields += last == ErrorCode.OK ? 1 : 0;
            }
            while (last == ErrorCode.OK && yields <= 3);
            assertEquals(ErrorCode.ELOOP, last);
            assertEquals(3, yields);
            assertNull(poller.poll());
            final List<Integer> statuses = new ArrayList<>();
            assertEquals(1, channel.outcomeDrain().drain(completion -> {
                assertEquals(handle, completion.handle());
                statuses.add(completion.status());
            }, 4));
            assertEquals(List.of(ErrorCode.ELOOP), statuses);
            assertThrows(IllegalArgumentException.class, () -> DispatchChannel.builder().yieldLimit(0));
        }
    }

    @Test
    void aYieldLimitPastAnIntsRangeIsReadUnsigned()
    {
        // The largest limit baton.h's uint32_t holds, as a C host may format it: an int would read -1
        // and end the first yield.
        try (DispatchChannel channel = channel(DispatchChannel.MAX_COUNT))
        {
            final Poller poller = channel.newPoller();
            channel.dispatcher().dispatch(1, 2, 0, 0, 0, pattern(8, 1));
            for (long round = 0; round < 3; round++)
            {
                final PolledEvent event = poller.poll();
                assertEquals(round, event.yields());
                assertEquals(ErrorCode.OK, poller.yieldEvent(event.handle(), event.payload()), "yield " + round);
            }
            assertEquals(3, poller.poll().yields());
        }
        final IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
            () -> DispatchChannel.builder().yieldLimit(DispatchChannel.MAX_COUNT + 1));
        assertEquals("yieldLimit must be in [1, 4294967295]: 4294967296", tooLarge.getMessage());
        try (DispatchChannel channel = DispatchChannel.builder().redeliveryLimit(DispatchChannel.MAX_COUNT).build())
        {
            assertEquals(DispatchChannel.MAX_COUNT, channel.redeliveryLimit());
        }
        assertThrows(IllegalArgumentException.class, () -> DispatchChannel.builder().redeliveryLimit(-1));
    }

    @Test
    void badYieldsGetClearErrors()
    {
        try (DispatchChannel channel = channel(100))
        {
            final Poller poller = channel.newPoller();
            final long handle = channel.dispatcher().dispatch(1, 2, 0, 0, 0, pattern(1, 1));
            assertEquals(ErrorCode.EPROTO, poller.yieldEvent(handle, pattern(1, 2)), "dispatched, not claimed");
            final PolledEvent event = poller.poll();
            assertThrows(IllegalArgumentException.class,
                () -> poller.yieldEvent(event.handle(), MemorySegment.ofArray(new byte[LARGEST + 1])));
            assertEquals(ErrorCode.ENOENT, poller.yieldEvent(0, MemorySegment.NULL));
            assertEquals(ErrorCode.ESTALE, poller.yieldEvent(event.handle() + (1L << 32), MemorySegment.NULL));
            final PayloadClaim[] large = {new PayloadClaim(), new PayloadClaim()};
            for (final PayloadClaim claim : large)
            {
                assertEquals(ErrorCode.OK, channel.dispatcher().claim(1, 1, 0, 0, 0, LARGEST, TraceContext.NONE, claim));
            }
            assertEquals(ErrorCode.EAGAIN, poller.yieldEvent(event.handle(), MemorySegment.ofArray(new byte[LARGEST])),
                "no block for the continuation: the claim is kept");
            assertEquals(ErrorCode.OK, poller.yieldEvent(event.handle(), pattern(4, 4)));
            assertEquals(ErrorCode.OK, channel.dispatcher().cancel(handle), "a yielded event can be cancelled while it waits");
            assertNull(poller.poll());
            for (final PayloadClaim claim : large)
            {
                assertEquals(ErrorCode.OK, claim.abort());
            }
            final MemorySegment word = MemorySegment.ofArray(new long[] {42});
            assertTrue(channel.dispatcher().dispatch(1, 3, 0, 0, 0, word) > 0);
            assertEquals(42, poller.poll().payload().get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        }
    }
}
