package dev.baton;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.baton.testing.AllocationMeter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot path (dispatch, poll, complete, drain, and the latency recording in drain) allocates
 * nothing once compiled, nor do the zero-copy dispatch (claim, write in place, commit) and the
 * yield: the JVM's count of bytes this thread allocated does not move across a
 * hundred thousand round trips. This counts bytes, not time.
 */
class HotPathAllocationTest
{
    private static final int ROUND_TRIPS = 100_000;

    private long checksum;

    @Test
    void dispatchPollCompleteDrainAllocateNothing()
    {
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(64).build();
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment payload = arena.allocate(64);
            final MemorySegment result = arena.allocate(16);
            final Poller poller = channel.newPoller();
            final OutcomeHandler onOutcome = completion -> checksum += completion.status() + completion.kind();

            final long bytes = AllocationMeter.steadyStateBytes(
                () -> roundTrips(channel, poller, payload, result, onOutcome, ROUND_TRIPS));
            assertEquals(0, bytes, "bytes allocated by " + ROUND_TRIPS + " round trips");
            assertEquals((long)AllocationMeter.RUNS * ROUND_TRIPS * (7 + 3), checksum, "every round of round trips completed");
        }
    }

    @Test
    void payloadsAndResultsInBlocksAllocateNothing()
    {
        final int roundTrips = 20_000;
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(64).build();
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment payload = arena.allocate(3000); // past the slot's inline room: a 4 KiB block
            final MemorySegment result = arena.allocate(5000); // past the record's inline room: a 64 KiB block
            assertTrue(payload.byteSize() > channel.inlinePayloadCapacity());
            final Poller poller = channel.newPoller();
            final OutcomeHandler onOutcome =
                completion -> checksum += completion.status() + completion.kind() + completion.resultLength();

            final long bytes = AllocationMeter.steadyStateBytes(
                () -> roundTrips(channel, poller, payload, result, onOutcome, roundTrips));
            assertEquals(0, bytes, "bytes allocated by " + roundTrips + " round trips");
            assertEquals((long)AllocationMeter.RUNS * roundTrips * (7 + 3 + 5000), checksum, "every round of round trips completed");
        }
    }

    @Test
    void batchesOfDispatchesAndCompletionsAllocateNothing()
    {
        final int batches = 5_000;
        final int size = 32;
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(64).build();
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment payload = arena.allocate(64);
            final MemorySegment result = arena.allocate(16);
            final Poller poller = channel.newPoller();
            final DispatchBatch dispatches = new DispatchBatch(size);
            final CompletionBatch completions = new CompletionBatch(size);
            final EventHandler onEvent = event -> completions.add(event.handle(), 7, result);
            final OutcomeHandler onOutcome = completion -> checksum += completion.status() + completion.kind();

            final long bytes = AllocationMeter.steadyStateBytes(() -> {
                for (int b = 0; b < batches; b++)
                {
                    dispatches.clear();
                    completions.clear();
                    for (int i = 0; i < size; i++)
                    {
                        dispatches.add(b, i, 0, 0, 3, payload);
                    }
                    if (channel.dispatcher().dispatch(dispatches) != size || poller.pollBatch(onEvent, size) != size ||
                        poller.completeBatch(completions) != size || channel.outcomeDrain().drain(onOutcome, size) != size)
                    {
                        throw new AssertionError("batch " + b + " failed");
                    }
                }
            });
            assertEquals(0, bytes, "bytes allocated by " + batches + " batches of " + size);
            assertEquals((long)AllocationMeter.RUNS * batches * size * (7 + 3), checksum, "every round of batches completed");
        }
    }

    @Test
    void claimedDispatchesAndYieldsAllocateNothing()
    {
        final int roundTrips = 50_000;
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(64).build();
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment continuation = arena.allocate(32);
            final MemorySegment result = arena.allocate(16);
            final Poller poller = channel.newPoller();
            final PayloadClaim claim = new PayloadClaim();
            final OutcomeHandler onOutcome = completion -> checksum += completion.status() + completion.kind();

            final long bytes = AllocationMeter.steadyStateBytes(() -> {
                for (int i = 0; i < roundTrips; i++)
                {
                    if (channel.dispatcher().claim(i, i, 0, 0, 3, 48, TraceContext.NONE, claim) != ErrorCode.OK)
                    {
                        throw new AssertionError("claim " + i + " refused");
                    }
                    claim.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, claim.offset(), i);
                    final long handle = claim.commit();
                    final PolledEvent first = poller.poll();
                    if (handle <= 0 || first == null || poller.yieldEvent(handle, continuation) != ErrorCode.OK)
                    {
                        throw new AssertionError("yield " + i + " failed: " + handle);
                    }
                    final PolledEvent second = poller.poll();
                    if (second == null || second.yields() != 1 || poller.complete(handle, 7, result) != ErrorCode.OK ||
                        channel.outcomeDrain().drain(onOutcome, 1) != 1)
                    {
                        throw new AssertionError("round trip " + i + " failed");
                    }
                }
            });
            assertEquals(0, bytes, "bytes allocated by " + roundTrips + " claimed, yielded round trips");
            assertEquals((long)AllocationMeter.RUNS * roundTrips * (7 + 3), checksum, "every round of round trips completed");
        }
    }

    private static void roundTrips(
        final DispatchChannel channel,
        final Poller poller,
        final MemorySegment payload,
        final MemorySegment result,
        final OutcomeHandler onOutcome,
        final int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            final long handle = channel.dispatcher().dispatch(i, i, 0, 0, 3, payload);
            final PolledEvent event = poller.poll();
            if (handle <= 0 || event == null || event.handle() != handle ||
                poller.complete(handle, 7, result) != ErrorCode.OK ||
                channel.outcomeDrain().drain(onOutcome, 1) != 1)
            {
                throw new AssertionError("round trip " + i + " failed: " + handle);
            }
        }
    }
}
