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
     * Writes a new event into a slot the caller popped from the free list, before
     * {@link Slab#publish} releases it. Each field is opaque (C: relaxed), because a handler of the
     * slot's previous event, the metrics scan or expiry may still read it; they validate what they
     * read against the state word.
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
     * @param payload       copied after the slot's header; it fits the slot.
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
        final long deadline,
        final MemorySegment payload)
    {
        SlotDescriptor.KIND.setOpaque(memory, slot, kind);
        SlotDescriptor.EVENT_ID_HI.setOpaque(memory, slot, eventIdHi);
        SlotDescriptor.EVENT_ID_LO.setOpaque(memory, slot, eventIdLo);
        SlotDescriptor.CORRELATION_ID_HI.setOpaque(memory, slot, correlationIdHi);
        SlotDescriptor.CORRELATION_ID_LO.setOpaque(memory, slot, correlationIdLo);
        SlotDescriptor.DISPATCHED_AT.setOpaque(memory, slot, dispatchedAt);
        SlotDescriptor.CLAIMED_AT.setOpaque(memory, slot, 0L);
        SlotDescriptor.DEADLINE.setOpaque(memory, slot, deadline);
        SlotDescriptor.PAYLOAD_LENGTH.setOpaque(memory, slot, (int)payload.byteSize());
        SlotDescriptor.REDELIVERIES.setOpaque(memory, slot, 0);
        // plain copy: payload bytes are read by the handler that claims the event (after the claim's
        // CAS acquired the publishing release); a checked read validates them (ClaimedEvent.readPayload).
        MemorySegment.copy(payload, 0L, memory, slot + SlotDescriptor.PAYLOAD_OFFSET, payload.byteSize());
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

    public static int payloadLengthPlain(final MemorySegment memory, final long slot)
    {
        return (int)SlotDescriptor.PAYLOAD_LENGTH.get(memory, slot);
    }
}
