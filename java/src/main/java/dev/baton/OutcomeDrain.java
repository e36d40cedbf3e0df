package dev.baton;

import java.time.Duration;
import java.util.Objects;

import dev.baton.internal.channel.ChannelLifecycle;
import dev.baton.internal.channel.HostDrain;
import dev.baton.internal.channel.OutcomeSink;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The host's outcome side of a channel ({@link DispatchChannel#outcomeDrain()}): drain the outcomes,
 * completed or timed out, each exactly once; await the next one; or run both as an Agrona agent.
 * One host thread at a time.
 *
 * <p>A drain frees each outcome's slot after the handler returns. The thread of the channel's first
 * drain, until it ends, keeps the slots its drains free for its own dispatches, which take them back
 * without a locked instruction; after each drain it keeps at most a sixteenth of the slab (64 at
 * most), none when it did not dispatch since its last drain, and pushes the rest back on the free
 * list together. A dispatch on another thread that finds the free list empty asks for them, and the
 * owner's next drain pushes them all back.
 *
 * <p>A handler that throws leaves its outcome in place (slot and record): the exception propagates
 * and the next drain delivers that outcome again, so none is lost. A drain called from inside a
 * handler is refused ({@link ErrorCode#EBUSY}).
 *
 * <p>The C twin is {@code native/channel.c} with {@code native/host_drain.c}: {@code baton_drain},
 * {@code baton_drain_each}, {@code baton_await_outcomes}.
 */
public final class OutcomeDrain
{
    private final DispatchChannel channel;
    private final ChannelLifecycle lifecycle;
    private final HostDrain hostDrain;
    private final IdleStrategy idle = new BackoffIdleStrategy();
    private final Outcome outcome;
    private final OutcomeSink sink = this::deliver;
    private OutcomeHandler handler;

    OutcomeDrain(
        final DispatchChannel channel,
        final ChannelLifecycle lifecycle,
        final HostDrain hostDrain,
        final Outcome outcome)
    {
        this.channel = channel;
        this.lifecycle = lifecycle;
        this.hostDrain = hostDrain;
        this.outcome = outcome;
    }

    /**
     * Drains completed and timed-out events to the host, in ring order, freeing each slot after the
     * handler returns. Host thread only. Wait-free per record; allocation-free unless the UUID index
     * is on. A drain that finds nothing also checks whether a dead publisher has held the ring for a
     * completion timeout, and unblocks it ({@link ChannelMetrics#unblockedRecordCount()}).
     *
     * @param handler receives each outcome.
     * @param limit   the most outcomes to drain.
     * @return outcomes delivered (fewer than {@code limit} is no error), {@link ErrorCode#EBUSY}
     * when called from inside a drain, or {@link ErrorCode#EUCLEAN} when another process wrote
     * over the completion ring's positions (the events to account for:
     * {@link DispatchChannel#listEvents()}).
     * @throws IllegalStateException if the channel is closed.
     */
    public int drain(final OutcomeHandler handler, final int limit)
    {
        lifecycle.ensureOpen();
        Objects.requireNonNull(handler, "handler");
        final OutcomeHandler outer = this.handler;
        this.handler = handler;
        try
        {
            return hostDrain.drain(sink, limit);
        }
        finally
        {
            this.handler = outer;
        }
    }

    private void deliver(
        final long slot,
        final long handle,
        final boolean timedOut,
        final int status,
        final long resultOffset,
        final int resultLength,
        final long latencyNanos)
    {
        outcome.wrap(slot, handle, timedOut, status, resultOffset, resultLength, latencyNanos);
        handler.onOutcome(outcome);
    }

    /**
     * Waits until an outcome is ready to drain, without draining it. Host thread only. With libbaton
     * loaded the thread sleeps on the channel's futex word, woken by the completion that publishes
     * (Java's or a native handler's); without it, it backs off (spin, yield, park).
     *
     * @param timeout the longest wait.
     * @return whether an outcome is ready.
     * @throws IllegalStateException if the channel is closed, before or during the wait.
     */
    public boolean awaitOutcomes(final Duration timeout)
    {
        final int result = hostDrain.awaitOutcomes(lifecycle, timeout.toNanos(), idle);
        if (result == ErrorCode.ESHUTDOWN)
        {
            throw new IllegalStateException("channel closed");
        }
        return result == 1;
    }

    /**
     * The host's duty cycle as an Agrona agent: each {@link org.agrona.concurrent.Agent#doWork()}
     * drains up to {@code drainLimit} outcomes to {@code handler} and, every
     * {@code reclaimInterval}, times out the events past their deadline and reaps dead processes'
     * attachments. It ends (with Agrona's {@link org.agrona.concurrent.AgentTerminationException})
     * once the channel is closed. Run it with {@link #idleStrategy} on one
     * {@link org.agrona.concurrent.AgentRunner}: it is the host thread.
     *
     * @param handler         receives each outcome.
     * @param drainLimit      the most outcomes one duty cycle drains.
     * @param reclaimInterval how often to look for expired events and dead processes.
     * @return the agent.
     */
    public HostAgent agent(final OutcomeHandler handler, final int drainLimit, final Duration reclaimInterval)
    {
        return new HostAgent(channel, handler, drainLimit, reclaimInterval.toNanos());
    }

    /**
     * An idle strategy for the host's agent: after a duty cycle that did no work, it sleeps until an
     * outcome is ready (on the channel's futex with libbaton, backing off without) or for at most
     * {@code longestSleep}, so expired events are still reclaimed on time.
     *
     * @param longestSleep the longest one idle call sleeps.
     * @return the strategy; it keeps no state of its own, so one per host thread.
     */
    public IdleStrategy idleStrategy(final Duration longestSleep)
    {
        return new OutcomeIdleStrategy(lifecycle, hostDrain, longestSleep.toNanos());
    }
}
