package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;

import dev.baton.internal.layout.CompletionRingDescriptor;
import dev.baton.internal.layout.Errno;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.SlotDescriptor;

import static dev.baton.internal.layout.CompletionRingDescriptor.BLOCK_BODY_LENGTH;
import static dev.baton.internal.layout.CompletionRingDescriptor.BLOCK_RESULT_LENGTH;
import static dev.baton.internal.layout.CompletionRingDescriptor.BODY_HANDLE;
import static dev.baton.internal.layout.CompletionRingDescriptor.BODY_RESULT_BLOCK;
import static dev.baton.internal.layout.CompletionRingDescriptor.BODY_LENGTH;
import static dev.baton.internal.layout.CompletionRingDescriptor.BODY_STATUS;
import static dev.baton.internal.layout.CompletionRingDescriptor.RESULT_OFFSET;

/**
 * Publishes an event's outcome exactly once. It claims a completion record, moves the slot's state
 * by CAS, and commits the record only if this call made the move; otherwise it aborts the record
 * into padding. So a COMPLETED or TIMED_OUT slot always has exactly one committed record, and of a
 * completion and a timeout racing for one event, exactly one wins. The C twin is
 * {@code native/outcome_publisher.c}.
 *
 * <p>The body is written before the state moves, so a publisher that dies after the move leaves a
 * complete record: {@link #judge} lets the ring's {@code unblock} commit it, and the event is
 * still reported exactly once.
 */
public final class OutcomePublisher implements AbandonedRecordJudge
{

    private final MemorySegment memory;
    private final Slab slab;
    private final BlockPools blocks;
    private final CompletionRing ring;
    private final AttachmentTable attachments;
    private final int inlineResultCapacity;

    public OutcomePublisher(
        final MemorySegment memory,
        final Slab slab,
        final BlockPools blocks,
        final CompletionRing ring,
        final AttachmentTable attachments)
    {
        this.memory = memory;
        this.slab = slab;
        this.blocks = blocks;
        this.ring = ring;
        this.attachments = attachments;
        this.inlineResultCapacity = CompletionRingDescriptor.maxBodyLength(ring.capacity()) - BODY_LENGTH;
    }

    /**
     * Lock-free, allocation-free.
     *
     * @param handle an in-range handle.
     * @param from   the state the slot must be in: POLLED for a completion, DISPATCHED or POLLED
     *               for a timeout.
     * @param to     {@link SlotDescriptor#COMPLETED} or {@link SlotDescriptor#TIMED_OUT}.
     * @param status the status the host sees.
     * @param result    the result bytes: inline in the record when they fit its room, else in a
     *                  block; at most the larger of the two.
     * @param publisher the tag of this process's attachment (0 without libbaton), so that the host
     *                  unblocks the record at once if this process dies before the commit.
     * @param handlerSpanId the handler's span for the host to read, or 0.
     * @return {@link Errno#OK}; {@link Errno#ENOBUFS} when the ring, or the block area for a long
     * result, has no room (nothing changed); {@link Errno#EUCLEAN} when its positions, or a free list
     * of the blocks, are corrupted; or why the slot could not be moved (another thread moved it first).
     */
    public int publish(
        final long handle, final int from, final int to, final int status, final MemorySegment result,
        final int publisher, final long handlerSpanId)
    {
        final int type = to == SlotDescriptor.TIMED_OUT ? CompletionRingDescriptor.TIMED_OUT :
            CompletionRingDescriptor.COMPLETED;
        final int length = (int)result.byteSize();
        // A result longer than the record's inline room goes to a block, taken and written first:
        // the block is ours until the commit hands it to the host, and ours to release if we lose.
        final int block = length > inlineResultCapacity ? resultBlock(result, length, handle) : 0;
        if (block < 0)
        {
            return block;
        }
        // Claim the record, write it, then move the state, then commit: a lost race leaves only
        // padding, and a publisher that dies after the move leaves a record unblock can commit.
        // The claim names this process's attachment as the record's publisher, so the host can
        // unblock the record at once if this process dies before the commit.
        final long body = ring.claim(
            type, block != 0 ? BLOCK_BODY_LENGTH : BODY_LENGTH + length, publisher);
        if (body < 0)
        {
            blocks.release(block);
            return body == CompletionRing.CORRUPTED ? Errno.EUCLEAN : Errno.ENOBUFS;
        }
        return settle(body, handle, from, to, status, result, length, block, handlerSpanId);
    }

    /**
     * Claims the records of {@code count} completions, each with a result that fits its record
     * inline, with one claim of the ring (one CAS of its tail): then each is settled with
     * {@link #settleCompletion}. The C twin is the claim in {@code baton__publish_completions}.
     *
     * @param resultLengths each completion's result bytes, at most {@link #inlineResultCapacity()};
     *                      overwritten with its record's body bytes.
     * @param count         completions, at least 1.
     * @param publisher     as {@link #publish}.
     * @param bodies        where each record's body offset goes.
     * @return {@link Errno#OK}; {@link Errno#ENOBUFS} when the ring has no room for them all, or
     * {@link Errno#EUCLEAN} when its positions are corrupted (nothing claimed).
     */
    public int claimCompletions(final int[] resultLengths, final int count, final int publisher, final long[] bodies)
    {
        for (int i = 0; i < count; i++)
        {
            resultLengths[i] += BODY_LENGTH;
        }
        final int claimed = ring.claimRun(CompletionRingDescriptor.COMPLETED, resultLengths, count, publisher, bodies);
        return claimed == 0 ? Errno.OK : claimed == CompletionRing.CORRUPTED ? Errno.EUCLEAN : Errno.ENOBUFS;
    }

    /**
     * Settles a completion (POLLED to COMPLETED) into a record {@link #claimCompletions} claimed.
     *
     * @return as {@link #publish}; a record whose move failed becomes padding.
     */
    public int settleCompletion(
        final long body, final long handle, final int status, final MemorySegment result, final long handlerSpanId)
    {
        return settle(
            body, handle, SlotDescriptor.POLLED, SlotDescriptor.COMPLETED, status, result, (int)result.byteSize(), 0,
            handlerSpanId);
    }

    /** @return the most result bytes a record holds inline. */
    public int inlineResultCapacity()
    {
        return inlineResultCapacity;
    }

    /**
     * Writes a claimed record's body, moves the slot's state, and commits the record if this call
     * made the move, else aborts it into padding.
     *
     * @return {@link Errno#OK}, or why the slot could not be moved.
     */
    private int settle(
        final long body, final long handle, final int from, final int to, final int status, final MemorySegment result,
        final int length, final int block, final long handlerSpanId)
    {
        writeBody(body, status, result, length, block);
        // The handle goes last, with release: an unblocking consumer that acquires a handle in a
        // record whose publisher died sees the status and result complete, and a body the publisher
        // died writing names no event (0), so it is never committed.
        BODY_HANDLE.setRelease(memory, body, handle);
        if (!slab.transition(handle, from, to))
        {
            ring.abort(body);
            blocks.release(block);
            return slab.rejection(handle, from);
        }
        // The slot is ours to write from the move until the commit hands it to the host; a publisher
        // that dies in between leaves the span 0, and the outcome is still reported once.
        if (handlerSpanId != 0)
        {
            SlotFields.setHandlerSpanOpaque(memory, slab.slotOffset(Handles.index(handle)), handlerSpanId);
        }
        ring.commit(body);
        return Errno.OK;
    }

    /**
     * Takes a block for a long result, stamps it with its owner, and copies the result into it: kept
     * out of {@link #publish}, whose every completion then stays small enough for the JIT to inline
     * into its caller.
     *
     * @return the block, or {@link Errno#ENOBUFS} when every class that could hold it is taken,
     * {@link Errno#EUCLEAN} when one's free list is corrupted.
     */
    private int resultBlock(final MemorySegment result, final int length, final long handle)
    {
        final int block = blocks.take(length);
        if (block == 0)
        {
            return blocks.listsCorrupted(length) ? Errno.EUCLEAN : Errno.ENOBUFS;
        }
        blocks.stampOwner(block, handle);
        MemorySegment.copy(result, 0L, memory, blocks.offset(block), length);
        return block;
    }

    /**
     * Writes a claimed record's status and result, inline or as its block. Plain: the claimed
     * record is ours; commit publishes it to the reader, and with it the block's bytes, written
     * before.
     */
    private void writeBody(final long body, final int status, final MemorySegment result, final int length, final int block)
    {
        BODY_STATUS.set(memory, body, status);
        BODY_RESULT_BLOCK.set(memory, body, block);
        if (block != 0)
        {
            BLOCK_RESULT_LENGTH.set(memory, body + RESULT_OFFSET, length);
            BLOCK_RESULT_LENGTH.set(memory, body + RESULT_OFFSET + Integer.BYTES, 0); // reserved
        }
        else
        {
            MemorySegment.copy(result, 0L, memory, body + RESULT_OFFSET, length);
        }
    }

    /**
     * The record of a publisher presumed dead must be committed exactly when the publisher moved
     * the state: then no other record reports the event. Otherwise the event is still pending (the
     * reaper or the timeout reports it) or another publisher moved it and wrote its own record. The
     * publisher is presumed dead once its attachment is gone (detached or reaped: no call of it runs
     * any more), or once the ring's patience has run out. One corner stays: a second completion of
     * one event whose publisher lost the CAS and died before aborting has its record committed too;
     * if it lies ahead of the winner's, the host sees its status and result, and the winner's record
     * is then skipped as stale. The event is still reported once.
     */
    @Override
    public int judge(
        final int type, final int publisher, final MemorySegment records, final long body, final int bodyLength,
        final boolean patienceElapsed)
    {
        // 0 names no publisher: only patience decides then.
        if (!patienceElapsed && !attachments.isGone(publisher))
        {
            return WAIT;
        }
        if (bodyLength < BODY_LENGTH)
        {
            return PAD;
        }
        // acquire: pairs with the publisher's release of the handle, written after the rest of the
        // body. A publisher that died before writing it left 0 there, and generation 0 never names a
        // slot: that record is not committed (its event is settled by its own record, or the reaper's).
        return reportsOutcome((long)BODY_HANDLE.getAcquire(records, body), type) ? COMMIT : PAD;
    }

    /**
     * @param handle a record's handle, possibly out of range or stale.
     * @param type   the record's type.
     * @return whether the record is of a type this protocol writes and the handle's slot is in the
     * end state that type reports, so the record is the one that reports its event: the drain
     * delivers only such records, and unblock commits only such. A record of another type (a foreign
     * writer's) reports nothing.
     */
    public boolean reportsOutcome(final long handle, final int type)
    {
        return (type == CompletionRingDescriptor.COMPLETED || type == CompletionRingDescriptor.TIMED_OUT) &&
            slab.isInRange(handle) && slab.loadState(Handles.index(handle)) ==
            SlotDescriptor.stateWord(Handles.generation(handle), endState(type));
    }

    /**
     * @param type a record type.
     * @return the slot state it reports: {@link SlotDescriptor#TIMED_OUT} or
     * {@link SlotDescriptor#COMPLETED}.
     */
    public static int endState(final int type)
    {
        return type == CompletionRingDescriptor.TIMED_OUT ? SlotDescriptor.TIMED_OUT : SlotDescriptor.COMPLETED;
    }

    /**
     * @param records the ring's record area.
     * @param body    a committed record's body, which the reader holds until it moves on.
     * @return the handle the record reports (plain: the commit's release was acquired).
     */
    public static long recordHandle(final MemorySegment records, final long body)
    {
        return (long)BODY_HANDLE.get(records, body);
    }

    /**
     * @param records the ring's record area.
     * @param body    a committed record's body.
     * @return the status the record reports (plain, as {@link #recordHandle}).
     */
    public static int recordStatus(final MemorySegment records, final long body)
    {
        return (int)BODY_STATUS.get(records, body);
    }

    /**
     * @param records the ring's record area.
     * @param body    a committed record's body.
     * @return the block holding the record's result, or 0 for a result inline (plain, as
     * {@link #recordHandle}).
     */
    public static int recordResultBlock(final MemorySegment records, final long body)
    {
        return (int)BODY_RESULT_BLOCK.get(records, body);
    }

    /**
     * @param records the ring's record area.
     * @param body    a committed record's body whose result is in a block.
     * @return the result's length as written, unsigned and unchecked (plain, as {@link #recordHandle}).
     */
    public static long recordBlockResultLength(final MemorySegment records, final long body)
    {
        return Integer.toUnsignedLong((int)BLOCK_RESULT_LENGTH.get(records, body + RESULT_OFFSET));
    }
}
