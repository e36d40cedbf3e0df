package dev.baton;

import dev.baton.internal.protocol.ChannelCounters;

/**
 * What an instrumented channel did since it was created: the measured access pattern of the pending
 * events, for the analysis. Counts are sums of per-thread cells, read without stopping anyone.
 *
 * @param elapsedNanos          since the channel was created.
 * @param dispatched            events dispatched.
 * @param dispatchBackpressure  dispatch attempts refused for a full slab or ring.
 * @param claimed               events claimed by handlers.
 * @param staleSkipped          ring entries skipped because their event had ended.
 * @param completed             completions accepted.
 * @param completionRefused     completions refused (stale, timed out, already completed, ring full).
 * @param yielded               events yielded by their handlers, each dispatched again.
 * @param drained               outcomes drained by the host.
 * @param timedOut              events timed out.
 * @param cancelled             events cancelled.
 * @param freeListRetries       CAS retries on the slab's free-list head.
 * @param dispatchRingRetries   CAS retries on the dispatch ring's indices.
 * @param completionRingRetries CAS retries on the completion ring's tail.
 */
public record ChannelActivity(
    long elapsedNanos,
    long dispatched,
    long dispatchBackpressure,
    long claimed,
    long staleSkipped,
    long completed,
    long completionRefused,
    long yielded,
    long drained,
    long timedOut,
    long cancelled,
    long freeListRetries,
    long dispatchRingRetries,
    long completionRingRetries)
{
    /**
     * @param count a count of this activity.
     * @return it per second of the channel's life.
     */
    public double perSecond(final long count)
    {
        return elapsedNanos == 0 ? 0 : count * 1e9 / elapsedNanos;
    }

    static ChannelActivity of(final ChannelCounters counters, final long timedOut, final long cancelled)
    {
        return new ChannelActivity(
            System.nanoTime() - counters.createdAtNanos(),
            counters.dispatched.sum(), counters.dispatchBackpressure.sum(), counters.claimed.sum(),
            counters.staleSkipped.sum(), counters.completed.sum(), counters.completionRefused.sum(),
            counters.yielded.sum(), counters.drained.sum(), timedOut, cancelled, counters.freeListRetries.sum(),
            counters.dispatchRingRetries.sum(), counters.completionRingRetries.sum());
    }
}
