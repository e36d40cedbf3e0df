package dev.baton;

import java.time.Duration;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * A handler thread's end of a channel: polls dispatched events, one at a time or in batches, and
 * waits for them without spinning. Each handler thread owns one poller (its {@link PolledEvent}
 * view and its idle strategy are reused); any number of pollers poll one channel concurrently.
 *
 * <p>A handler loop needs no exception handling for a normal shutdown: once the channel is closed,
 * {@link #pollBatch} and {@link #awaitEvents} return {@link ErrorCode#ESHUTDOWN}, as
 * {@code baton_poll} and {@code baton_await_events} do for C and Rust handlers:
 * <pre>{@code
 * while (poller.pollBatch(handler, 16) != ErrorCode.ESHUTDOWN)
 * {
 *     poller.awaitEvents(Duration.ofMillis(100));
 * }
 * }</pre>
 */
public final class Poller
{
    private final HandlerOps handlerOps;
    private final PolledEvent event;
    private final IdleStrategy idle = new BackoffIdleStrategy();

    Poller(final HandlerOps handlerOps)
    {
        this.handlerOps = handlerOps;
        this.event = handlerOps.newPolledEvent();
    }

    /**
     * Takes the oldest dispatched event, DISPATCHED to CLAIMED; never waits. Lock-free; skips entries
     * whose event timed out or was cancelled before any handler took it. Allocation-free.
     *
     * @return this poller's view of the polled event, or null when none is ready or the channel is
     * closed ({@link #pollBatch} and {@link #awaitEvents} tell the two apart).
     */
    public PolledEvent poll()
    {
        return handlerOps.poll(event) == 1 ? event : null;
    }

    /**
     * Takes up to {@code limit} ready events and passes each to {@code handler}; never waits.
     * Lock-free, allocation-free. The handler completes each event (now or later, from any thread)
     * through its handle; an event it never completes times out. If the handler throws, the events
     * already taken stay the handler's.
     *
     * @param handler receives each event.
     * @param limit   the most events to take.
     * @return events taken (fewer than {@code limit} is no error), or {@link ErrorCode#ESHUTDOWN} when
     * the channel was closed before any.
     */
    public int pollBatch(final EventHandler handler, final int limit)
    {
        int taken = 0;
        while (taken < limit)
        {
            final int result = handlerOps.poll(event);
            if (result != 1)
            {
                return taken == 0 && result == ErrorCode.ESHUTDOWN ? ErrorCode.ESHUTDOWN : taken;
            }
            taken++;
            handler.onEvent(event);
        }
        return taken;
    }

    /**
     * Waits until an event is ready to poll, without taking it (another handler may still take it
     * first). With libbaton loaded the thread sleeps on the channel's futex word and the dispatch
     * that publishes wakes it; without, it backs off (spin, yield, park). Allocation-free.
     *
     * @param timeout the longest wait.
     * @return 1 when an event is ready, 0 after the timeout, {@link ErrorCode#ESHUTDOWN} once the
     * channel is closed, or {@link ErrorCode#EINTR} when a signal interrupted the futex sleep.
     */
    public int awaitEvents(final Duration timeout)
    {
        return handlerOps.awaitEvents(timeout.toNanos(), idle);
    }
}
