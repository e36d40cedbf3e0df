package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import dev.baton.internal.layout.SlotDescriptor;

/**
 * The fields of a slot, read and written in the access mode each name carries, so that no caller
 * above the protocol touches a {@link java.lang.invoke.VarHandle}:
 * <ul>
 *   <li>{@code …Plain}: the caller owns the slot now (popped from the free list, claimed, or in an
 *       end state the host is draining); C reads and writes these fields plainly or relaxed.</li>
 *   <li>{@code …Opaque}: C's {@code memory_order_relaxed}; for fields that another thread reads
 *       racily and validates afterwards against the state word (the metrics scan, expiry, a handler
 *       of the slot's previous event).</li>
 * </ul>
 * The state word itself belongs to {@link Slab}, which moves it only by CAS.
 *
 * <p>The C twin is {@code native/slot_fields.c}.
 */
public final class SlotFields
{
    private SlotFields()
    {
    }

    /**
     * Writes a new event's fields but its payload ({@link #writePayload}) into a slot the caller
     * popped from the free list, before {@link Slab#publish} releases it. Each field is opaque (C:
     * relaxed), because a handler of the slot's previous event, the metrics scan or expiry may still
     * read it; they validate what they read against the state word.
     *
     * @param memory        the channel memory.
     * @param slot          the slot's offset.
     * @param kind          the caller-defined event type.
     * @param eventIdHi     the event id's most significant bits.
     * @param eventIdLo     the event id's least significant bits.
     * @param correlationIdHi the correlation id's most significant bits.
     * @param correlationIdLo the correlation id's least significant bits.
     * @param dispatchedAt  the dispatch time, {@link System#nanoTime()}.
     * @param deadline      when the event times out.
     */
    public static void writeEvent(
        final MemorySegment memory,
        final long slot,
        final int kind,
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final long dispatchedAt,
        final long deadline)
    {
        SlotDescriptor.KIND.setOpaque(memory, slot, kind);
        SlotDescriptor.EVENT_ID_HI.setOpaque(memory, slot, eventIdHi);
        SlotDescriptor.EVENT_ID_LO.setOpaque(memory, slot, eventIdLo);
        SlotDescriptor.CORRELATION_ID_HI.setOpaque(memory, slot, correlationIdHi);
        SlotDescriptor.CORRELATION_ID_LO.setOpaque(memory, slot, correlationIdLo);
        SlotDescriptor.DISPATCHED_AT.setOpaque(memory, slot, dispatchedAt);
        SlotDescriptor.CLAIMED_AT.setOpaque(memory, slot, 0L);
        SlotDescriptor.DEADLINE.setOpaque(memory, slot, deadline);
        SlotDescriptor.REDELIVERIES.setOpaque(memory, slot, 0);
        SlotDescriptor.YIELDS.setOpaque(memory, slot, 0);
    }

    /**
     * Writes where an event's payload lies and how long it is, for a payload the caller then writes
     * in place (a dispatch claim) or copies ({@link #writePayload}). The caller holds the slot
     * unseen (FREE, off the list) or YIELDING.
     *
     * @param memory       the channel memory.
     * @param slot         the slot's offset.
     * @param payloadBlock 0 for a payload inline, else the block holding it, which the caller took.
     * @param length       the payload's length; it fits there.
     */
    public static void placePayload(final MemorySegment memory, final long slot, final int payloadBlock, final int length)
    {
        SlotDescriptor.PAYLOAD_LENGTH.setOpaque(memory, slot, length);
        SlotDescriptor.PAYLOAD_BLOCK.setOpaque(memory, slot, payloadBlock);
        // release fence (C: atomic_thread_fence(memory_order_release)), the seqlock writer's: a handler
        // of the slot's (or the block's) previous event that reads any of the bytes written after
        // this, then an acquire fence, then the state word, sees the state word's move that freed
        // them, and so rejects its copy (ClaimedEvent.readPayload).
        VarHandle.releaseFence();
    }

    /**
     * {@link #placePayload}, then copies the payload there: plainly, since payload bytes are read by
     * the handler that claims the event (after the claim's CAS acquired the publishing release), and
     * a checked read validates them. A payload that is part of the slot's own last payload (a
     * continuation cut from it) is copied as if through a temporary buffer.
     */
    public static void writePayload(
        final MemorySegment memory,
        final long slot,
        final int payloadBlock,
        final long payloadAt,
        final MemorySegment payload)
    {
        placePayload(memory, slot, payloadBlock, (int)payload.byteSize());
        MemorySegment.copy(payload, 0L, memory, payloadAt, payload.byteSize());
    }

    /** @return how often the event in a slot the caller holds was handed back. Opaque (C: relaxed). */
    public static int yieldsOpaque(final MemorySegment memory, final long slot)
    {
        return (int)SlotDescriptor.YIELDS.getOpaque(memory, slot);
    }

    /**
     * Counts one more hand-back of the event in a YIELDING slot the caller holds; the dispatch
     * ring's commit, after the state's move back to DISPATCHED, releases it to the next claimant.
     */
    public static void countYield(final MemorySegment memory, final long slot)
    {
        SlotDescriptor.YIELDS.setOpaque(memory, slot, yieldsOpaque(memory, slot) + 1);
    }

    /**
     * Records, in a YIELDING slot's {@code claimed_at_ns}, the dispatch ring position its hand-back
     * claimed (plus one), for the reaper that settles the slot if this process dies before the
     * commit. Opaque (C: relaxed): read only after this process died.
     */
    public static void recordYieldCell(final MemorySegment memory, final long slot, final long position)
    {
        SlotDescriptor.CLAIMED_AT.setOpaque(memory, slot, position + 1);
    }

    /**
     * Writes a new event's trace context beside {@link #writeEvent}, before {@link Slab#publish}
     * releases it; the handler's span is 0 until its completion. Opaque (C: relaxed), as the event's
     * other fields. The C twin is {@code baton__slot_write_trace}.
     */
    public static void writeTrace(
        final MemorySegment memory,
        final long slot,
        final long traceIdHi,
        final long traceIdLo,
        final long parentSpanId,
        final int flags)
    {
        SlotDescriptor.TRACE_FLAGS.setOpaque(memory, slot, flags);
        SlotDescriptor.TRACE_ID_HI.setOpaque(memory, slot, traceIdHi);
        SlotDescriptor.TRACE_ID_LO.setOpaque(memory, slot, traceIdLo);
        SlotDescriptor.PARENT_SPAN_ID.setOpaque(memory, slot, parentSpanId);
        SlotDescriptor.HANDLER_SPAN_ID.setOpaque(memory, slot, 0L);
    }

    /**
     * The handler's span, written by the publisher that moved the slot to COMPLETED, before its
     * record's commit releases it to the host. Opaque (C: relaxed).
     */
    public static void setHandlerSpanOpaque(final MemorySegment memory, final long slot, final long handlerSpanId)
    {
        SlotDescriptor.HANDLER_SPAN_ID.setOpaque(memory, slot, handlerSpanId);
    }

    public static long traceIdHiPlain(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.TRACE_ID_HI.get(memory, slot);
    }

    public static long traceIdLoPlain(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.TRACE_ID_LO.get(memory, slot);
    }

    public static long parentSpanIdPlain(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.PARENT_SPAN_ID.get(memory, slot);
    }

    public static long handlerSpanIdPlain(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.HANDLER_SPAN_ID.get(memory, slot);
    }

    public static int traceFlagsPlain(final MemorySegment memory, final long slot)
    {
        return (int)SlotDescriptor.TRACE_FLAGS.get(memory, slot);
    }

    /** @return the block the slot's payload is in, 0 for inline. Opaque (C: relaxed). */
    public static int payloadBlockOpaque(final MemorySegment memory, final long slot)
    {
        return (int)SlotDescriptor.PAYLOAD_BLOCK.getOpaque(memory, slot);
    }

    /**
     * Where the event's payload is: the slot's inline room, or the block the caller read from
     * {@code payload_block} ({@link #payloadBlockOpaque}, read once for this and
     * {@link #payloadLength}). A reference that names no block gives the inline room, whose length
     * {@link #payloadLength} then bounds to it. The C twin is {@code baton__slot_payload}.
     *
     * @return the payload's offset in the channel.
     */
    public static long payloadOffset(final long slot, final BlockPools blocks, final int block)
    {
        return block == 0 || blocks.size(block) == 0 ? slot + SlotDescriptor.PAYLOAD_OFFSET : blocks.offset(block);
    }

    /**
     * The payload's length, bounded by the room that holds it (the slot's inline room, or the block
     * the caller read), so memory another process scribbled on cannot point a read outside the
     * channel; a reference that names no block gives 0. Opaque (C: relaxed): the caller owns the
     * event, or validates afterwards.
     *
     * @return the payload's length.
     */
    public static int payloadLength(
        final MemorySegment memory, final long slot, final BlockPools blocks, final int inlineCapacity, final int block)
    {
        final int written = (int)SlotDescriptor.PAYLOAD_LENGTH.getOpaque(memory, slot);
        final int room = block == 0 ? inlineCapacity : blocks.size(block);
        return Integer.compareUnsigned(written, room) <= 0 ? written : room;
    }

    /**
     * The second read of a seqlock: the state word again, after reading fields it guards. An
     * acquire fence (C: {@code atomic_thread_fence(memory_order_acquire)}) orders the caller's reads
     * before this opaque (C: relaxed) load, so fields read under an unchanged word belong to it.
     *
     * @return the state word now.
     */
    public static long stateAfterReads(final MemorySegment memory, final long slot)
    {
        VarHandle.loadLoadFence();
        return (long)SlotDescriptor.STATE.getOpaque(memory, slot);
    }

    public static int kindPlain(final MemorySegment memory, final long slot)
    {
        return (int)SlotDescriptor.KIND.get(memory, slot);
    }

    public static int kindOpaque(final MemorySegment memory, final long slot)
    {
        return (int)SlotDescriptor.KIND.getOpaque(memory, slot);
    }

    public static long eventIdHiPlain(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.EVENT_ID_HI.get(memory, slot);
    }

    public static long eventIdLoPlain(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.EVENT_ID_LO.get(memory, slot);
    }

    public static long eventIdHiOpaque(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.EVENT_ID_HI.getOpaque(memory, slot);
    }

    public static long eventIdLoOpaque(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.EVENT_ID_LO.getOpaque(memory, slot);
    }

    public static long correlationIdHiPlain(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.CORRELATION_ID_HI.get(memory, slot);
    }

    public static long correlationIdLoPlain(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.CORRELATION_ID_LO.get(memory, slot);
    }

    public static long dispatchedAtPlain(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.DISPATCHED_AT.get(memory, slot);
    }

    public static long dispatchedAtOpaque(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.DISPATCHED_AT.getOpaque(memory, slot);
    }

    public static long claimedAtOpaque(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.CLAIMED_AT.getOpaque(memory, slot);
    }

    /** Opaque (C: relaxed): read racily by the metrics scan; the claiming handler owns the slot. */
    public static void setClaimedAtOpaque(final MemorySegment memory, final long slot, final long claimedAt)
    {
        SlotDescriptor.CLAIMED_AT.setOpaque(memory, slot, claimedAt);
    }

    public static long deadlinePlain(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.DEADLINE.get(memory, slot);
    }

    /** Opaque (C: relaxed): expiry reads it racily; the CAS on the state word validates it. */
    public static long deadlineOpaque(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.DEADLINE.getOpaque(memory, slot);
    }

    /** Written only by libbaton's reaper, before the dispatch ring's release hands the event on. */
    public static int redeliveriesPlain(final MemorySegment memory, final long slot)
    {
        return (int)SlotDescriptor.REDELIVERIES.get(memory, slot);
    }

}
