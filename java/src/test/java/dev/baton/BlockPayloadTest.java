package dev.baton;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Payloads and results longer than their inline room travel in blocks of the block area: every size
 * from 0 bytes to the largest block round-trips intact, a full size class falls back to a larger one
 * and then pushes back, and every block is reused many times over.
 */
class BlockPayloadTest
{
    private static final int SMALL_BLOCKS = 4;
    private static final int LARGE_BLOCKS = 2;
    private static final int LARGEST = 1024 * 1024;

    private static DispatchChannel channel()
    {
        return DispatchChannel.builder().slabCapacity(8).withoutBlocks()
            .blocks(4 * 1024, SMALL_BLOCKS).blocks(LARGEST, LARGE_BLOCKS).build();
    }

    private static MemorySegment pattern(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i * 7);
        }
        return MemorySegment.ofArray(bytes);
    }

    /** Dispatch, claim, read, complete with a result as long as the payload, drain: both ways intact. */
    private static void roundTrip(final DispatchChannel channel, final Poller poller, final int length)
    {
        final MemorySegment payload = pattern(length, length);
        final MemorySegment result = pattern(length, length + 1);
        final long handle = channel.dispatcher().dispatch(1, length, 0, 0, 0, payload);
        assertTrue(handle > 0, () -> length + " bytes: " + ErrorCode.describe((int)handle));
        final PolledEvent event = poller.poll();
        assertNotNull(event);
        assertEquals(length, event.payloadLength());
        assertEquals(-1, event.payload().mismatch(payload), "the zero-copy view of " + length + " bytes");
        final MemorySegment copy = MemorySegment.ofArray(new byte[length]);
        assertEquals(length, event.readPayload(copy, 0));
        assertEquals(-1, copy.mismatch(payload), "the checked copy of " + length + " bytes");
        assertEquals(ErrorCode.OK, poller.complete(event.handle(), 7, result));
        final List<Integer> mismatches = new ArrayList<>();
        assertEquals(1, channel.outcomeDrain().drain(completion -> {
            mismatches.add(completion.resultLength() == length ? (int)completion.result().mismatch(result) : -2);
            assertEquals(-1, completion.payload().mismatch(payload), "the host still sees the payload");
        }, 4));
        assertEquals(List.of(-1), mismatches, "the result of " + length + " bytes");
    }

    @Test
    void everySizeUpToTheLargestBlockRoundTrips()
    {
        try (DispatchChannel channel = channel())
        {
            assertEquals(LARGEST, channel.maxPayloadLength());
            assertEquals(LARGEST, channel.maxResultLength());
            final Poller poller = channel.newPoller();
            final int inline = channel.inlinePayloadCapacity();
            for (final int length : new int[] {0, 1, inline, inline + 1, 4096, 4097, LARGEST})
            {
                roundTrip(channel, poller, length);
            }
            // Sizes drawn at random, many more times than there are blocks: each is freed and reused.
            final SplittableRandom random = new SplittableRandom(15);
            for (int i = 0; i < 200; i++)
            {
                roundTrip(channel, poller, random.nextInt(i % 10 == 0 ? LARGEST + 1 : 8193));
            }
            assertThrows(IllegalArgumentException.class,
                () -> channel.dispatcher().dispatch(0, 0, 0, 0, 0, MemorySegment.ofArray(new byte[LARGEST + 1])));
        }
    }

    @Test
    void fullClassesFallBackThenPushBackAndResultsHaveBlocksOfTheirOwn()
    {
        try (DispatchChannel channel = channel())
        {
            final MemorySegment payload = pattern(3000, 1);
            final long[] handles = new long[SMALL_BLOCKS + LARGE_BLOCKS];
            for (int i = 0; i < handles.length; i++)
            {
                handles[i] = channel.dispatcher().dispatch(0, i, 0, 0, 0, payload);
                assertTrue(handles[i] > 0, ErrorCode.describe((int)handles[i]));
            }
            assertEquals(ErrorCode.EAGAIN, channel.dispatcher().dispatch(0, 99, 0, 0, 0, payload), "no block is free");
            assertEquals(handles.length, channel.metrics().pendingCount(), "the refused dispatch left no slot taken");
            assertTrue(channel.dispatcher().dispatch(0, 98, 0, 0, 0, MemorySegment.ofArray(new byte[8])) > 0,
                "an inline payload needs no block");
            assertEquals(ErrorCode.OK, channel.dispatcher().cancel(handles[SMALL_BLOCKS]));
            assertTrue(channel.dispatcher().dispatch(0, 97, 0, 0, 0, payload) > 0, "a cancel gave its block back");

            // Results have blocks of their own, held until the host drains them.
            final Poller poller = channel.newPoller();
            final long[] claimed = {poller.poll().handle(), poller.poll().handle(), poller.poll().handle()};
            final MemorySegment result = pattern(200_000, 2); // longer than a record holds inline
            assertEquals(ErrorCode.OK, poller.complete(claimed[0], 0, result));
            assertEquals(ErrorCode.OK, poller.complete(claimed[1], 0, result));
            assertEquals(ErrorCode.ENOBUFS, poller.complete(claimed[2], 0, result), "no block for the result");
            final long[] mismatch = {0, 0};
            assertEquals(2, channel.outcomeDrain().drain(completion -> mismatch[0] += completion.result().mismatch(result), 2));
            assertEquals(ErrorCode.OK, poller.complete(claimed[2], 0, result), "the drain gave the blocks back");
            assertEquals(1, channel.outcomeDrain().drain(completion -> mismatch[1] = completion.result().mismatch(result), 1));
            assertEquals(-2, mismatch[0], "both results intact (-1 each)");
            assertEquals(-1, mismatch[1]);
        }
    }

    @Test
    void aThrowingOutcomeHandlerKeepsTheResultBlockForTheNextDrain()
    {
        try (DispatchChannel channel = channel())
        {
            final long handle = channel.dispatcher().dispatch(0, 0, 0, 0, 0, MemorySegment.NULL);
        final Poller poller = channel.newPoller();
            channel.newPoller().poll();
            final MemorySegment result = pattern(200_000, 3);
            assertEquals(ErrorCode.OK, poller.complete(handle, 0, result));
            assertThrows(IllegalStateException.class, () -> channel.outcomeDrain().drain(completion -> {
                throw new IllegalStateException("the host's handler failed");
            }, 1));
            final long[] mismatch = {0};
            assertEquals(1, channel.outcomeDrain().drain(completion -> mismatch[0] = completion.result().mismatch(result), 1));
            assertEquals(-1, mismatch[0], "the next drain delivers the same result");
        }
    }
}
