package dev.baton;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

import dev.baton.internal.channel.DispatchBatchOps;
import dev.baton.internal.channel.DispatchOps;
import dev.baton.internal.channel.PayloadClaimOps;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The host's sending side of a channel ({@link DispatchChannel#dispatcher()}): dispatch an event by
 * copying its payload, or claim room to write it in place and commit it, and cancel a pending one.
 * Any number of threads; lock-free; allocation-free unless the UUID index is on. A call without a
 * timeout never waits: backpressure comes back as {@link ErrorCode#EAGAIN} (the slab, or the blocks
 * for a long payload, are full) or {@link ErrorCode#ENOSPC} (the dispatch ring is full).
 *
 * <p>The C twin is {@code native/dispatch_ops.c}: {@code baton_dispatch}, {@code baton_claim},
 * {@code baton_commit}, {@code baton_abort}, {@code baton_cancel}.
 */
public final class Dispatcher
{
    private final DispatchOps ops;
    private final DispatchBatchOps batches;
    private final PayloadClaimOps claims;

    Dispatcher(final DispatchOps ops, final DispatchBatchOps batches, final PayloadClaimOps claims)
    {
        this.ops = ops;
        this.batches = batches;
        this.claims = claims;
    }

    /**
     * Dispatches an event if there is room; never waits.
     *
     * @param eventIdHi       the event id's most significant bits.
     * @param eventIdLo       the event id's least significant bits.
     * @param correlationIdHi the correlation id's most significant bits.
     * @param correlationIdLo the correlation id's least significant bits.
     * @param kind            a caller-defined event type.
     * @param payload         copied into the slot, or into a block of the block area when it is
     *                        longer than the slot's inline room; at most
     *                        {@link DispatchChannel#maxPayloadLength()} bytes.
     * @return the event's handle (positive), or {@link ErrorCode#EAGAIN} when the slab is full or no
     * block is free for the payload, {@link ErrorCode#ENOSPC} when the dispatch ring is full,
     * {@link ErrorCode#EPROTO} when a slot's state word was corrupted, or {@link ErrorCode#EUCLEAN}
     * when the free list of the slab or of the payload blocks was (another process wrote over it:
     * list the events to account for with {@link DispatchChannel#listEvents()}).
     * @throws NullPointerException     if payload is null.
     * @throws IllegalArgumentException if payload is longer than {@link DispatchChannel#maxPayloadLength()}.
     * @throws IllegalStateException    if the channel is closed.
     */
    public long dispatch(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final MemorySegment payload)
    {
        return dispatch(eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, kind, payload, TraceContext.NONE);
    }

    /**
     * {@link #dispatch(long, long, long, long, int, MemorySegment)} with the event's trace context,
     * which its handler reads ({@link SlotView#traceContext()}, C's {@code baton_read_trace}).
     *
     * @param trace the trace context, or {@link TraceContext#NONE}.
     * @return as {@link #dispatch(long, long, long, long, int, MemorySegment)}.
     */
    public long dispatch(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final MemorySegment payload,
        final TraceContext trace)
    {
        return dispatch(
            eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, kind, payload,
            trace.traceIdHi(), trace.traceIdLo(), trace.spanId(), trace.flags());
    }

    /**
     * {@link #dispatch(long, long, long, long, int, MemorySegment, TraceContext)} with the trace
     * context's fields as numbers, for a caller that carries them so (a bridge from another
     * transport): nothing is allocated for them.
     *
     * @param traceIdHi    the trace id's most significant bits; with {@code traceIdLo} 0 for none.
     * @param traceIdLo    the trace id's least significant bits.
     * @param parentSpanId the span the event was dispatched in.
     * @param traceFlags   the W3C trace flags.
     * @return as {@link #dispatch(long, long, long, long, int, MemorySegment)}.
     * @throws IllegalArgumentException if the trace flags are more than one byte, as {@link TraceContext}'s.
     */
    public long dispatch(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final MemorySegment payload,
        final long traceIdHi,
        final long traceIdLo,
        final long parentSpanId,
        final int traceFlags)
    {
        TraceContext.checkFlags(traceFlags);
        return ops.dispatch(
            eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, kind, payload, traceIdHi, traceIdLo, parentSpanId, traceFlags);
    }

    /**
     * {@link #dispatch(long, long, long, long, int, MemorySegment)} with {@link UUID}s; never waits.
     *
     * @param eventId       the event id.
     * @param correlationId the correlation id.
     * @param kind          a caller-defined event type.
     * @param payload       copied into the slot.
     * @return the handle, or {@link ErrorCode#EAGAIN}, {@link ErrorCode#ENOSPC} or {@link ErrorCode#EUCLEAN}.
     */
    public long dispatch(final UUID eventId, final UUID correlationId, final int kind, final MemorySegment payload)
    {
        return dispatch(
            eventId.getMostSignificantBits(), eventId.getLeastSignificantBits(),
            correlationId.getMostSignificantBits(), correlationId.getLeastSignificantBits(), kind, payload);
    }

    /**
     * Dispatches a batch's events in order, each as
     * {@link #dispatch(long, long, long, long, int, MemorySegment, TraceContext)} does, in one call:
     * one read of the cached clock, one claim of dispatch-ring cells per 64 events, and one wake-up of
     * the handlers for the batch. Never waits; lock-free, allocation-free. It stops at the first event
     * that cannot be dispatched: {@link DispatchBatch#handle(int)} of that entry says why
     * ({@link ErrorCode#EAGAIN}, {@link ErrorCode#ENOSPC}, {@link ErrorCode#EUCLEAN}); dispatch again from there with
     * {@link #dispatch(DispatchBatch, int)}.
     *
     * @param batch the events; each dispatched one's handle is written into it.
     * @return the number dispatched, from the first entry.
     * @throws IllegalArgumentException if a payload is longer than {@link DispatchChannel#maxPayloadLength()}
     *                                  (then none is dispatched).
     * @throws IllegalStateException    if the channel is closed.
     */
    public int dispatch(final DispatchBatch batch)
    {
        return dispatch(batch, 0);
    }

    /**
     * {@link #dispatch(DispatchBatch)} from entry {@code from}: the rest of a partial batch.
     *
     * @param batch the events.
     * @param from  the first entry to dispatch.
     * @return the number dispatched, from {@code from}.
     * @throws IndexOutOfBoundsException if from is not within [0, batch.size()].
     */
    public int dispatch(final DispatchBatch batch, final int from)
    {
        Objects.checkFromToIndex(from, batch.size(), batch.size());
        return batches.dispatchBatch(batch.entries(), from, batch.size());
    }

    /**
     * Dispatches an event, waiting up to {@code timeout} for room: it backs off with an idle
     * strategy (Agrona's {@link BackoffIdleStrategy}: spin, yield, then park), made only once the
     * channel is found full.
     *
     * @param eventId       the event id.
     * @param correlationId the correlation id.
     * @param kind          a caller-defined event type.
     * @param payload       copied into the slot.
     * @param timeout       how long to wait for room.
     * @return the handle, or the last backpressure code when the timeout passed first.
     */
    public long dispatch(
        final UUID eventId,
        final UUID correlationId,
        final int kind,
        final MemorySegment payload,
        final Duration timeout)
    {
        long result = dispatch(eventId, correlationId, kind, payload);
        if (!ErrorCode.isBackpressure(result))
        {
            return result;
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        final IdleStrategy idle = new BackoffIdleStrategy();
        while (ErrorCode.isBackpressure(result) && deadline - System.nanoTime() > 0)
        {
            idle.idle();
            result = dispatch(eventId, correlationId, kind, payload);
        }
        return result;
    }

    /**
     * Claims room for an event's payload to write in place, then commit or abort through the claim,
     * as Agrona's {@code tryClaim}: the zero-copy dispatch. The event's fields and trace context are
     * written now; it is invisible until {@link PayloadClaim#commit()}. Never waits; lock-free,
     * allocation-free.
     *
     * @param length the payload's length, at most {@link DispatchChannel#maxPayloadLength()}.
     * @param trace  the trace context, or {@link TraceContext#NONE}.
     * @param claim  filled with where to write; reusable.
     * @return {@link ErrorCode#OK}, or {@link ErrorCode#EAGAIN} when the slab is full or no block is
     * free for the payload, {@link ErrorCode#EUCLEAN} when a free list was corrupted.
     * @throws IllegalArgumentException if length is longer than {@link DispatchChannel#maxPayloadLength()}.
     * @throws IllegalStateException    if the channel is closed.
     */
    public int claim(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final int length,
        final TraceContext trace,
        final PayloadClaim claim)
    {
        final long token = claims.claim(
            eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, kind, length,
            trace.traceIdHi(), trace.traceIdLo(), trace.spanId(), trace.flags());
        if (token < 0)
        {
            return (int)token;
        }
        claim.hold(claims, token, claims.memory(), claims.claimedPayloadOffset(token), length);
        return ErrorCode.OK;
    }

    /**
     * Cancels a pending event (dispatched or polled): its slot is freed at once and the host is not
     * told again. Lock-free: a failed CAS means the event moved on (a handler polled it, or it
     * completed or timed out), and the loop looks again.
     *
     * @param handle the event's handle.
     * @return {@link ErrorCode#OK}; {@link ErrorCode#EALREADY} when it was completed first,
     * {@link ErrorCode#ETIMEDOUT} when it timed out first, {@link ErrorCode#EAGAIN} while its handler
     * yields it (try again: it is dispatched again in a moment), {@link ErrorCode#ESTALE} or
     * {@link ErrorCode#ENOENT} for a handle that names no pending event.
     * @throws IllegalStateException if the channel is closed.
     */
    public int cancel(final long handle)
    {
        return ops.cancel(handle);
    }
}
