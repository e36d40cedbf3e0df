package dev.baton;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

import dev.baton.internal.channel.CompletionBatchOps;
import dev.baton.internal.channel.HandlerOps;
import dev.baton.internal.channel.UuidIndex;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * A handler's side of a channel ({@link DispatchChannel#newPoller()}): polls dispatched events, one
 * at a time or in batches, awaits them without spinning, and completes or yields each. Each handler
 * thread owns one poller (its {@link PolledEvent} view and its idle strategy are reused); any number
 * of pollers poll one channel concurrently. Completing and yielding are safe from any thread that
 * holds the event's handle.
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
    private final CompletionBatchOps completionBatches;
    private final UuidIndex uuidIndex;
    private final PolledEvent event;
    private final IdleStrategy idle = new BackoffIdleStrategy();
    /** The handles of the run a batch's poll took from the ring and has not yet delivered. */
    private final long[] run = new long[64];

    Poller(
        final HandlerOps handlerOps, final CompletionBatchOps completionBatches, final UuidIndex uuidIndex,
        final PolledEvent event)
    {
        this.handlerOps = handlerOps;
        this.completionBatches = completionBatches;
        this.uuidIndex = uuidIndex;
        this.event = event;
    }

    /**
     * Takes the oldest dispatched event, DISPATCHED to POLLED; never waits. Lock-free; skips entries
     * whose event timed out or was cancelled before any handler took it. Allocation-free.
     *
     * @return this poller's view of the polled event, or null when none is ready or the channel is
     * closed ({@link #pollBatch} and {@link #awaitEvents} tell the two apart).
     */
    public PolledEvent poll()
    {
        return take(System.nanoTime()) == 1 ? event : null;
    }

    /**
     * Takes up to {@code limit} ready events and passes each to {@code handler}; never waits.
     * Lock-free, allocation-free. It takes them from the dispatch ring in runs of up to 64, one claim
     * of the ring's index per run. The handler completes each event (now or later, from any thread)
     * through its handle; an event it never completes times out. If the handler throws, the events
     * already passed to it stay the handler's, and those of the run not yet passed go back to the
     * dispatch ring for any handler.
     *
     * @param handler receives each event.
     * @param limit   the most events to take.
     * @return events taken (fewer than {@code limit} is no error), or {@link ErrorCode#ESHUTDOWN} when
     * the channel was closed before any.
     */
    public int pollBatch(final EventHandler handler, final int limit)
    {
        int taken = 0;
        final long now = handlerOps.batchPolledAtNanos(); // one read of the cached clock for the batch's stamps
        while (taken < limit)
        {
            final int count = handlerOps.pollRun(run, Math.min(limit - taken, run.length));
            if (count <= 0)
            {
                return taken == 0 && count == ErrorCode.ESHUTDOWN ? ErrorCode.ESHUTDOWN : taken;
            }
            taken += deliver(handler, count, now);
        }
        return taken;
    }

    /**
     * Claims each handle of a run and passes its event to the handler; if the handler throws, hands
     * the run's rest back to the ring.
     *
     * @return the events passed to the handler.
     */
    private int deliver(final EventHandler handler, final int count, final long now)
    {
        int delivered = 0;
        int next = 0;
        try
        {
            for (; next < count; next++)
            {
                if (handlerOps.claim(run[next], now))
                {
                    event.wrapSlot(handlerOps.slotOffset(run[next]), run[next]);
                    delivered++;
                    handler.onEvent(event);
                }
            }
        }
        finally
        {
            if (next < count)
            {
                handlerOps.requeue(run, next + 1, count); // the handler threw on run[next], which stays its
            }
        }
        return delivered;
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

    /** @return 1 with the view on the event taken, 0 when none is ready, or ESHUTDOWN. */
    private int take(final long polledAtNanos)
    {
        final long handle = handlerOps.poll(polledAtNanos);
        if (handle <= 0)
        {
            return (int)handle;
        }
        event.wrapSlot(handlerOps.slotOffset(handle), handle);
        return 1;
    }

    /**
     * Completes a polled event: POLLED to COMPLETED, and a completion record for the host. Lock-free,
     * allocation-free. Exactly one of a completion and a timeout of the same event succeeds.
     *
     * @param handle the handle of an event this handler polled.
     * @param status a handler-defined status for the host.
     * @param result copied into the completion record, or into a block when it is longer than the
     *               record's inline room; {@link MemorySegment#NULL} for none.
     * @return {@link ErrorCode#OK}; {@link ErrorCode#ENOENT} for a handle that names no slot or no
     * dispatch; {@link ErrorCode#ESTALE} when the slot has moved on; {@link ErrorCode#ETIMEDOUT}
     * when the event timed out; {@link ErrorCode#EALREADY} when it was already completed;
     * {@link ErrorCode#EPROTO} when it was not polled; {@link ErrorCode#ENOBUFS} when the
     * completion ring is full, or no block is free for the result (retry once the host drains);
     * {@link ErrorCode#EUCLEAN} when another process wrote over the ring's positions;
     * {@link ErrorCode#ESHUTDOWN} once the channel is closed.
     * @throws NullPointerException     if result is null.
     * @throws IllegalArgumentException if result is longer than {@link DispatchChannel#maxResultLength()}.
     */
    public int complete(final long handle, final int status, final MemorySegment result)
    {
        return handlerOps.complete(handle, status, result, 0);
    }

    /**
     * {@link #complete(long, int, MemorySegment)}, naming the handler's span, which the host reads
     * ({@link SlotView#handlerSpanId()}).
     *
     * @param handlerSpanId the handler's span id; 0 for none.
     * @return as {@link #complete(long, int, MemorySegment)}.
     */
    public int complete(final long handle, final int status, final MemorySegment result, final long handlerSpanId)
    {
        return handlerOps.complete(handle, status, result, handlerSpanId);
    }

    /**
     * Points this poller's view at an event it polled and still holds, to read it again: a handler
     * that forwards events elsewhere re-reads one it must send again. The view is the one
     * {@link #poll()} returns, so the next poll re-points it. Allocation-free.
     *
     * @param handle the handle of an event this handler polled.
     * @return the view, or null when the handle names no polled event (it was completed, yielded or
     * timed out, or the handle is stale); {@link PolledEvent#readPayload} still checks each copy.
     */
    public PolledEvent heldEvent(final long handle)
    {
        if (handlerOps.checkPolled(handle) != ErrorCode.OK)
        {
            return null;
        }
        event.wrapSlot(handlerOps.slotOffset(handle), handle);
        return event;
    }

    /**
     * Completes a batch of polled events in order, each as
     * {@link #complete(long, int, MemorySegment, long)} does, in one call: one check that the channel
     * is open and one wake-up of a sleeping host for the batch. One entry refused does not stop the
     * rest: {@link CompletionBatch#code(int)} says what became of each. Lock-free, allocation-free.
     *
     * @param batch the outcomes; each one's code is written into it.
     * @return the number settled (completed or refused), from the first entry: fewer than the batch
     * only when the entry after them found the completion ring, or the blocks, without room (its code
     * {@link ErrorCode#ENOBUFS}; complete again from there with {@link #completeBatch(CompletionBatch, int)});
     * or {@link ErrorCode#ESHUTDOWN} once the channel is closed.
     * @throws IllegalArgumentException if a result is longer than {@link DispatchChannel#maxResultLength()}
     *                                  (then none is completed).
     */
    public int completeBatch(final CompletionBatch batch)
    {
        return completeBatch(batch, 0);
    }

    /**
     * {@link #completeBatch(CompletionBatch)} from entry {@code from}: the rest of a partial batch.
     *
     * @param batch the outcomes.
     * @param from  the first entry to complete.
     * @return the number settled, from {@code from}, or {@link ErrorCode#ESHUTDOWN}.
     * @throws IndexOutOfBoundsException if from is not within [0, batch.size()].
     */
    public int completeBatch(final CompletionBatch batch, final int from)
    {
        Objects.checkFromToIndex(from, batch.size(), batch.size());
        return completionBatches.completeBatch(batch.entries(), from, batch.size());
    }

    /**
     * Completes a polled event by its event id, through the UUID index.
     *
     * @param eventId the event id given at dispatch.
     * @param status  a handler-defined status.
     * @param result  the result.
     * @return as {@link #complete(long, int, MemorySegment)}; {@link ErrorCode#ENOENT} when no live
     * event has this id.
     * @throws IllegalStateException if the channel was built without
     *                               {@link DispatchChannelBuilder#uuidIndex(boolean)}.
     */
    public int complete(final UUID eventId, final int status, final MemorySegment result)
    {
        if (uuidIndex == null)
        {
            throw new IllegalStateException("complete(UUID) needs the UUID index: build with uuidIndex(true)");
        }
        final Long handle = uuidIndex.find(eventId);
        return handle == null ? ErrorCode.ENOENT : complete(handle, status, result);
    }

    /**
     * Yields a polled event: hands it back to be dispatched again with a continuation payload (a
     * checkpoint yield). Its handle, ids and trace context stay, its yield count rises
     * ({@link SlotView#yields()}), and it joins the back of the dispatch ring. The caller holds it no
     * longer. A yield is neither a completion nor a loss; the event still ends exactly once. Past the
     * channel's {@link DispatchChannelBuilder#yieldLimit yield limit} the event is completed with
     * status {@link ErrorCode#ELOOP} instead. Lock-free, allocation-free.
     *
     * @param handle       the handle of an event this handler polled.
     * @param continuation the payload the next delivery sees; it may be a part of the event's own payload.
     * @return {@link ErrorCode#OK}; {@link ErrorCode#ELOOP} when the event ended at the yield limit;
     * with the event kept: {@link ErrorCode#EAGAIN} (no block free for the continuation),
     * {@link ErrorCode#ENOSPC} (dispatch ring full), {@link ErrorCode#ENOBUFS} (no room for the ELOOP
     * completion); or as {@link #complete(long, int, MemorySegment)}.
     * @throws IllegalArgumentException if the continuation is longer than {@link DispatchChannel#maxPayloadLength()}.
     */
    public int yieldEvent(final long handle, final MemorySegment continuation)
    {
        return handlerOps.yieldEvent(handle, continuation);
    }
}
