package dev.baton;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of what a channel did, kept only when the channel is built with
 * {@link DispatchChannel.Builder#instrumented(boolean)}: operations, and the CAS retries inside the
 * slab's free list and the two rings. When off, each counting site costs one null check; when on,
 * an uncontended {@link LongAdder} increment.
 */
final class ChannelCounters
{
    final LongAdder dispatched = new LongAdder();
    final LongAdder dispatchBackpressure = new LongAdder();
    final LongAdder claimed = new LongAdder();
    final LongAdder staleSkipped = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder completionRefused = new LongAdder();
    final LongAdder drained = new LongAdder();
    final LongAdder freeListRetries = new LongAdder();
    final LongAdder dispatchRingRetries = new LongAdder();
    final LongAdder completionRingRetries = new LongAdder();
    private final long createdAtNanos = System.nanoTime();

    ChannelActivity snapshot(final long timedOut, final long cancelled)
    {
        return new ChannelActivity(
            System.nanoTime() - createdAtNanos,
            dispatched.sum(), dispatchBackpressure.sum(), claimed.sum(), staleSkipped.sum(), completed.sum(),
            completionRefused.sum(), drained.sum(), timedOut, cancelled,
            freeListRetries.sum(), dispatchRingRetries.sum(), completionRingRetries.sum());
    }
}
