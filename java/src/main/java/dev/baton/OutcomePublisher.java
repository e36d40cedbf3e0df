package dev.baton;

import java.lang.foreign.MemorySegment;

import static dev.baton.CompletionRingDescriptor.BODY_HANDLE;
import static dev.baton.CompletionRingDescriptor.BODY_LENGTH;
import static dev.baton.CompletionRingDescriptor.BODY_STATUS;
import static dev.baton.CompletionRingDescriptor.RESULT_OFFSET;

/**
 * Publishes an event's outcome exactly once. It claims a completion record, moves the slot's state
 * by CAS, and commits the record only if this call made the move; otherwise it aborts the record
 * into padding. So a COMPLETED or TIMED_OUT slot always has exactly one committed record, and of a
 * completion and a timeout racing for one event, exactly one wins. The C twin is
 * {@code publish_outcome} in {@code native/channel.c}.
 */
final class OutcomePublisher
{
    private final MemorySegment memory;
    private final Slab slab;
    private final CompletionRing ring;

    OutcomePublisher(final MemorySegment memory, final Slab slab, final CompletionRing ring)
    {
        this.memory = memory;
        this.slab = slab;
        this.ring = ring;
    }

    /**
     * Lock-free, allocation-free.
     *
     * @param handle an in-range handle.
     * @param from   the state the slot must be in: CLAIMED for a completion, DISPATCHED or CLAIMED
     *               for a timeout.
     * @param to     {@link SlotDescriptor#COMPLETED} or {@link SlotDescriptor#TIMED_OUT}.
     * @param status the status the host sees.
     * @param result the result bytes; they must fit the ring's largest record.
     * @return {@link ErrorCode#OK}; {@link ErrorCode#ENOBUFS} when the ring has no room (nothing
     * changed); or why the slot could not be moved (another thread moved it first).
     */
    int publish(final long handle, final int from, final int to, final int status, final MemorySegment result)
    {
        final int type = to == SlotDescriptor.TIMED_OUT ? CompletionRingDescriptor.TIMED_OUT :
            CompletionRingDescriptor.COMPLETED;
        final long length = result.byteSize();
        // Claim the record first, then move the state, then commit: a lost race leaves only padding.
        final long body = ring.tryClaim(type, BODY_LENGTH + (int)length);
        if (body < 0)
        {
            return ErrorCode.ENOBUFS;
        }
        if (!slab.transition(handle, from, to))
        {
            ring.abort(body);
            return slab.rejection(handle, from);
        }
        // plain: the claimed record is ours until commit releases it.
        BODY_HANDLE.set(memory, body, handle);
        BODY_STATUS.set(memory, body, status);
        MemorySegment.copy(result, 0L, memory, body + RESULT_OFFSET, length);
        ring.commit(body);
        return ErrorCode.OK;
    }
}
