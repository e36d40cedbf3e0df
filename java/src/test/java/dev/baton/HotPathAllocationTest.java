package dev.baton;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot path (dispatch, poll, complete, drain) allocates nothing once compiled: the JVM's count of
 * bytes this thread allocated does not move across a hundred thousand round trips. This counts
 * bytes, not time; JMH's -prof gc gives the same figure per operation in the benchmarks.
 */
class HotPathAllocationTest
{
    private static final int WARM_UP_ROUNDS = 200_000;
    private static final int MEASURED_ROUNDS = 100_000;

    private long checksum;

    @Test
    void dispatchPollCompleteDrainAllocateNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(64).build();
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment payload = arena.allocate(64);
            final MemorySegment result = arena.allocate(16);
            final Poller poller = channel.newPoller();
            final CompletionHandler onCompletion = completion -> checksum += completion.status() + completion.kind();

            roundTrips(channel, poller, payload, result, onCompletion, WARM_UP_ROUNDS);
            final long threadId = Thread.currentThread().threadId();
            final long before = threads.getThreadAllocatedBytes(threadId);
            roundTrips(channel, poller, payload, result, onCompletion, MEASURED_ROUNDS);
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

            assertEquals(0, allocated, "bytes allocated over " + MEASURED_ROUNDS + " round trips");
            assertEquals((long)(WARM_UP_ROUNDS + MEASURED_ROUNDS) * (7 + 3), checksum);
        }
    }

    private static void roundTrips(
        final DispatchChannel channel,
        final Poller poller,
        final MemorySegment payload,
        final MemorySegment result,
        final CompletionHandler onCompletion,
        final int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            final long handle = channel.tryDispatch(i, i, 0, 0, 3, payload);
            final Event event = poller.poll();
            if (handle <= 0 || event == null || event.handle() != handle ||
                channel.complete(handle, 7, result) != ErrorCode.OK ||
                channel.drainCompletions(1, onCompletion) != 1)
            {
                throw new AssertionError("round trip " + i + " failed: " + handle);
            }
        }
    }
}
