package dev.baton.internal.channel;

import java.lang.foreign.MemorySegment;

import dev.baton.internal.layout.Errno;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.BlockPools;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.Slab;
import dev.baton.internal.protocol.SlotFields;

/**
 * Zero-copy dispatch: a claim takes a slot and writes the event's fields, the caller writes its
 * payload in place, and a commit publishes it (or an abort gives the room back unseen), over the
 * steps of {@link DispatchOps}. A claim is held by its slot's {@code next_free} mark, which a commit
 * or an abort ends by CAS, so one token goes on once. Any number of threads; lock-free. The C twin
 * is {@code baton_claim}, {@code baton_commit} and {@code baton_abort} in
 * {@code native/dispatch_ops.c}.
 */
public final class PayloadClaimOps
{
    private final DispatchOps ops;
    private final MemorySegment memory;
    private final Slab slab;
    private final BlockPools blocks;
    private final ChannelLifecycle lifecycle;
    private final UuidIndex uuidIndex;

    public PayloadClaimOps(
        final DispatchOps ops, final ChannelMemory parts, final ChannelLifecycle lifecycle, final UuidIndex uuidIndex)
    {
        this.ops = ops;
        this.memory = parts.memory();
        this.slab = parts.slab();
        this.blocks = parts.payloadBlocks();
        this.lifecycle = lifecycle;
        this.uuidIndex = uuidIndex;
    }

    /**
     * Claims room for an event's payload to write in place (zero-copy dispatch): the event's fields
     * and trace are written now; it is invisible until {@link #commit}. Never waits.
     *
     * @return the claim's token (positive: the slot and its generation), or {@link Errno#EAGAIN},
     * {@link Errno#EUCLEAN} (a corrupted free list).
     */
    public long claim(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final int length,
        final long traceIdHi,
        final long traceIdLo,
        final long parentSpanId,
        final int traceFlags)
    {
        lifecycle.ensureOpen();
        final long room = ops.takeAndWrite(
            eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, kind, traceIdHi, traceIdLo, parentSpanId, traceFlags,
            null, length, ops.dispatchTime());
        if (room < 0)
        {
            return ops.noRoom(room);
        }
        final int index = (int)room;
        slab.markClaim(index, lifecycle.tag());
        return Handles.handle(SlotDescriptor.generation(slab.loadState(index)), index);
    }

    /** @return where the payload of a claim its caller holds goes, in the channel's memory. */
    public long claimedPayloadOffset(final long token)
    {
        final long slot = slab.slotOffset(Handles.index(token));
        return SlotFields.payloadOffset(slot, blocks, SlotFields.payloadBlockPlain(memory, slot));
    }

    /** @return the channel's memory, where claimed payloads are written. */
    public MemorySegment memory()
    {
        return memory;
    }

    /** Publishes a claimed dispatch: the handle, or why not (the claim is kept on {@link Errno#ENOSPC}). */
    public long commit(final long token)
    {
        lifecycle.ensureOpen();
        final int checked = checkClaim(token);
        if (checked != Errno.OK)
        {
            return checked;
        }
        // The cell first, as dispatch does: a full ring keeps the claim for another commit.
        final long position = ops.claimCell();
        if (position < 0)
        {
            return ops.backpressure(Errno.ENOSPC);
        }
        // Ending the claim is a CAS of its mark, so of two commits (or a commit and an abort) with
        // one token exactly one goes on.
        if (!slab.endClaim(token))
        {
            ops.commitCell(position, Handles.NONE);
            return Errno.EALREADY;
        }
        final int index = Handles.index(token);
        final long slot = slab.slotOffset(index);
        // The event id is read back only for the UUID index, the one user of it here.
        return uuidIndex == null ? ops.publishInto(index, position, 0, 0) :
            ops.publishInto(index, position, SlotFields.eventIdHiPlain(memory, slot), SlotFields.eventIdLoPlain(memory, slot));
    }

    /** Gives a claimed dispatch's room back unseen: {@link Errno#OK}, or why not. */
    public int abort(final long token)
    {
        lifecycle.ensureOpen();
        final int checked = checkClaim(token);
        if (checked != Errno.OK)
        {
            return checked;
        }
        if (!slab.endClaim(token))
        {
            return Errno.EALREADY;
        }
        slab.freeOwned(token);
        return Errno.OK;
    }

    /** @return whether a token names a dispatch claim still held: {@link Errno#OK}, or why not. */
    private int checkClaim(final long token)
    {
        if (token == 0)
        {
            return Errno.EALREADY;
        }
        if (!slab.isInRange(token))
        {
            return Errno.ENOENT;
        }
        final long word = slab.loadState(Handles.index(token));
        if (SlotDescriptor.generation(word) != Handles.generation(token))
        {
            return Errno.ESTALE;
        }
        return SlotDescriptor.state(word) == SlotDescriptor.FREE && slab.isClaim(token) ? Errno.OK : Errno.EALREADY;
    }
}
