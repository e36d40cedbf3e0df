package dev.baton;

import java.time.Duration;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * A handler thread's end of a channel: claims dispatched events, one at a time or in batches, and
 * waits for them without spinning. Each handler thread owns one poller (its {@link ClaimedEvent}
 * view and its idle strategy are reused); any number of pollers poll one channel concurrently.
 *
 * <p>A handler loop needs no exception handling for a normal shutdown: once the channel is closed,
 * {@link #drain} and {@link #awaitEvent} return {@link ErrorCode#ESHUTDOWN}, as {@code baton_poll}
 * and {@code baton_poll_wait} do for C and Rust handlers:
 * <pre>{@code
 * while (poller.drain(handler, 16) != ErrorCode.ESHUTDOWN)
 * {
 *     poller.awaitEvent(Duration.ofMillis(100));
 * }
 * }</pre>
 */
public final class Poller
{
    private final HandlerOps handlerOps;
    private final ClaimedEvent event;
    private final IdleStrategy idle = new BackoffIdleStrategy();

    Poller(final HandlerOps handlerOps)
    {
        this.handlerOps = handlerOps;
        this.event = handlerOps.newClaimedEvent();
    }

    /**
     * Claims the oldest dispatched event, DISPATCHED to CLAIMED. Lock-free; skips entries whose
     * event timed out or was cancelled before any handler claimed it. Allocation-free.
     *
     * @return this poller's view of the claimed event, or null when none is ready or the channel is
     * closed ({@link #drain} and {@link #awaitEvent} tell the two apart).
     */
    public ClaimedEvent poll()
    {
        return handlerOps.claim(event) == 1 ? event : null;
    }

    /**
     * Claims up to {@code limit} events and passes each to {@code handler}. Lock-free, allocation-free.
     * The handler completes each event (now or later, from any thread) through its handle; an event
     * it never completes times out. If the handler throws, the events already claimed stay claimed.
     *
     * @param handler receives each event.
     * @param limit   the most events to claim.
     * @return events claimed, or {@link ErrorCode#ESHUTDOWN} when the channel was closed before any.
     */
    public int drain(final EventHandler handler, final int limit)
    {
        int claimed = 0;
        while (claimed < limit)
        {
            final int result = handlerOps.claim(event);
            if (result != 1)
            {
                return claimed == 0 && result == ErrorCode.ESHUTDOWN ? ErrorCode.ESHUTDOWN : claimed;
            }
            claimed++;
            handler.onEvent(event);
        }
        return claimed;
    }

    /**
     * Waits until an event is ready to claim, without claiming it (another handler may still take it
     * first). With libbaton loaded the thread sleeps on the channel's futex word and the dispatch
     * that publishes wakes it; without, it backs off (spin, yield, park). Allocation-free.
     *
     * @param timeout the longest wait.
     * @return 1 when an event is ready, 0 after the timeout, {@link ErrorCode#ESHUTDOWN} once the
     * channel is closed, or {@link ErrorCode#EINTR} when a signal interrupted the futex sleep.
     */
    public int awaitEvent(final Duration timeout)
    {
        return handlerOps.awaitDispatch(timeout.toNanos(), idle);
    }
}
