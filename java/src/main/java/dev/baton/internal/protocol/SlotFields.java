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
 *   <li>A new event's fields ({@link #writeEvent}, {@link #writeTrace}, {@link #placePayload}) are
 *       written plainly after one release fence ({@link #fenceBeforeRewrite}) rather than each
 *       opaque: each ordered access to native memory costs the JIT a barrier that reloads the
 *       segment's bounds and session, and a fence before them gives the racy readers what they need
 *       (C writes them relaxed, after the same fence).</li>
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
     * The seqlock writer's release fence (C: {@code atomic_thread_fence(memory_order_release)}), after
     * taking a slot (or a block) whose previous event a stale reader may still be reading, and before
     * the first write into it. The move that ended that event (the CAS that freed the slot, or moved
     * it to YIELDING) happens before this fence; a reader that reads any field or byte written after
     * it, then an acquire fence ({@link #stateAfterReads}), then the state word, sees that move, and
     * so rejects what it read (PolledEvent.readPayload). The fields themselves are then written
     * plainly (C: relaxed): Java, unlike C, lets a plain write race with a reader, an aligned field
     * is written whole, and one fence here costs less than an ordered store per field.
     */
    public static void fenceBeforeRewrite()
    {
        VarHandle.releaseFence();
    }

    /**
     * Writes a new event's fields but its payload ({@link #writePayload}) into a slot the caller
     * popped from the free list, after {@link #fenceBeforeRewrite} and before {@link Slab#publish}
     * releases it. Plain (C: relaxed): a handler of the slot's previous event, the metrics scan or
     * expiry may still read a field; they validate what they read against the state word.
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
        SlotDescriptor.KIND.set(memory, slot, kind);
        SlotDescriptor.EVENT_ID_HI.set(memory, slot, eventIdHi);
        SlotDescriptor.EVENT_ID_LO.set(memory, slot, eventIdLo);
        SlotDescriptor.CORRELATION_ID_HI.set(memory, slot, correlationIdHi);
        SlotDescriptor.CORRELATION_ID_LO.set(memory, slot, correlationIdLo);
        SlotDescriptor.DISPATCHED_AT.set(memory, slot, dispatchedAt);
        SlotDescriptor.POLLED_AT.set(memory, slot, 0L);
        SlotDescriptor.DEADLINE.set(memory, slot, deadline);
        SlotDescriptor.REDELIVERIES.set(memory, slot, 0);
        SlotDescriptor.YIELDS.set(memory, slot, 0);
    }

    /**
     * Writes where an event's payload lies and how long it is, for a payload the caller then writes
     * in place (a dispatch claim) or copies ({@link #writePayload}). The caller holds the slot
     * unseen (FREE, off the list) or YIELDING, and has fenced ({@link #fenceBeforeRewrite}); plain
     * (C: relaxed), as {@link #writeEvent}.
     *
     * @param memory       the channel memory.
     * @param slot         the slot's offset.
     * @param payloadBlock 0 for a payload inline, else the block holding it, which the caller took.
     * @param length       the payload's length; it fits there.
     */
    public static void placePayload(final MemorySegment memory, final long slot, final int payloadBlock, final int length)
    {
        SlotDescriptor.PAYLOAD_LENGTH.set(memory, slot, length);
        SlotDescriptor.PAYLOAD_BLOCK.set(memory, slot, payloadBlock);
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

    /**
     * @return how often the event in a slot the caller holds was yielded: baton.h's uint32_t, read
     * unsigned. Opaque (C: relaxed).
     */
    public static long yieldsOpaque(final MemorySegment memory, final long slot)
    {
        return Integer.toUnsignedLong((int)SlotDescriptor.YIELDS.getOpaque(memory, slot));
    }

    /**
     * Counts one more yield of the event in a YIELDING slot the caller holds; the dispatch
     * ring's commit, after the state's move back to DISPATCHED, releases it to the next claimant.
     */
    public static void countYield(final MemorySegment memory, final long slot)
    {
        SlotDescriptor.YIELDS.setOpaque(memory, slot, (int)SlotDescriptor.YIELDS.getOpaque(memory, slot) + 1);
    }

    /**
     * Writes a new event's trace context beside {@link #writeEvent}, before {@link Slab#publish}
     * releases it; the handler's span is 0 until its completion. Plain (C: relaxed), as the event's
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
        SlotDescriptor.TRACE_FLAGS.set(memory, slot, flags);
        SlotDescriptor.TRACE_ID_HI.set(memory, slot, traceIdHi);
        SlotDescriptor.TRACE_ID_LO.set(memory, slot, traceIdLo);
        SlotDescriptor.PARENT_SPAN_ID.set(memory, slot, parentSpanId);
        SlotDescriptor.HANDLER_SPAN_ID.set(memory, slot, 0L);
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

    /**
     * @return the block the slot's payload is in, 0 for inline. Plain (C: relaxed): the caller owns
     * the event, or validates what it read against the state word afterwards.
     */
    public static int payloadBlockPlain(final MemorySegment memory, final long slot)
    {
        return (int)SlotDescriptor.PAYLOAD_BLOCK.get(memory, slot);
    }

    /**
     * Where the event's payload is: the slot's inline room, or the block the caller read from
     * {@code payload_block} ({@link #payloadBlockPlain}, read once for this and
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
     * channel; a reference that names no block gives 0. Plain (C: relaxed): the caller owns the
     * event, or validates afterwards.
     *
     * @return the payload's length.
     */
    public static int payloadLength(
        final MemorySegment memory, final long slot, final BlockPools blocks, final int inlineCapacity, final int block)
    {
        final int written = (int)SlotDescriptor.PAYLOAD_LENGTH.get(memory, slot);
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

    public static long correlationIdHiOpaque(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.CORRELATION_ID_HI.getOpaque(memory, slot);
    }

    public static long correlationIdLoOpaque(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.CORRELATION_ID_LO.getOpaque(memory, slot);
    }

    public static long dispatchedAtPlain(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.DISPATCHED_AT.get(memory, slot);
    }

    public static long dispatchedAtOpaque(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.DISPATCHED_AT.getOpaque(memory, slot);
    }

    public static long polledAtOpaque(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.POLLED_AT.getOpaque(memory, slot);
    }

    /**
     * Plain (C: relaxed): the claiming handler owns the slot; the metrics scan reads it racily
     * (opaque) and validates what it read.
     */
    public static void setPolledAtPlain(final MemorySegment memory, final long slot, final long polledAt)
    {
        SlotDescriptor.POLLED_AT.set(memory, slot, polledAt);
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

    /**
     * Forgets the event the slot held, as it is freed: its deadline becomes 0, which no event's is
     * (a dispatch writes now + the completion timeout on the monotonic clock), so a slot holds an
     * event exactly while its deadline is not 0 (baton.h). The caller owns the slot (it moved it to
     * FREE, or is about to by a release store, which orders this store before it). Opaque (C:
     * relaxed): the FREE word, or the push that hands the slot to the next dispatcher, publishes it.
     */
    public static void forgetEvent(final MemorySegment memory, final long slot)
    {
        SlotDescriptor.DEADLINE.setOpaque(memory, slot, 0L);
    }

    /**
     * Whether the slot holds an event, whatever its state word says: its deadline is not 0. A scan
     * calls it after an acquire of the state word; for a word a dispatch or a yield released, the
     * deadline it reads is that event's. A word another process wrote over a free slot orders
     * nothing, and finds the 0 its last free wrote. Opaque (C: relaxed): the state word's acquire
     * orders it.
     */
    public static boolean holdsEvent(final MemorySegment memory, final long slot)
    {
        return (long)SlotDescriptor.DEADLINE.getOpaque(memory, slot) != 0L;
    }

    /**
     * Sets the redeliveries a dispatch carries from another channel on the event just written into a
     * slot the caller holds unseen; plain (C: relaxed): the slab's publish releases it. C:
     * {@code baton__slot_carry_redeliveries}.
     *
     * @param redeliveries baton.h's uint32_t, in an int's bits.
     */
    public static void carryRedeliveries(final MemorySegment memory, final long slot, final int redeliveries)
    {
        SlotDescriptor.REDELIVERIES.set(memory, slot, redeliveries);
    }

    /**
     * Written by the dispatch ({@link #carryRedeliveries}) before its publish, and by libbaton's reaper
     * before the dispatch ring's release hands the event on. baton.h's uint32_t, read unsigned.
     */
    public static long redeliveriesPlain(final MemorySegment memory, final long slot)
    {
        return Integer.toUnsignedLong((int)SlotDescriptor.REDELIVERIES.get(memory, slot));
    }

    /** As {@link #redeliveriesPlain}, opaque (C: relaxed), for a scan racing the slot's holder. */
    public static long redeliveriesOpaque(final MemorySegment memory, final long slot)
    {
        return Integer.toUnsignedLong((int)SlotDescriptor.REDELIVERIES.getOpaque(memory, slot));
    }

}
