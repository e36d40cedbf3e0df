package dev.baton;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.UUID;

import dev.baton.internal.protocol.BlockPools;
import dev.baton.internal.protocol.SlotFields;

/**
 * Read access to the slot of one event: a flyweight that is re-pointed at each event and never
 * allocates, except where a method says so. It is valid while its event is held: by a handler
 * until it completes the event, by a completion handler during its call. If an event times out or
 * is cancelled while a handler still reads it, the slot can be reused and the handler may read the
 * next event's fields; its completion is then rejected as stale, so such a read never counts.
 * {@link PolledEvent#readPayload} gives a checked copy instead.
 */
public abstract sealed class SlotView permits PolledEvent, Outcome
{
    private final MemorySegment memory;
    private final BlockPools payloadBlocks;
    private final int inlinePayloadCapacity;
    private long slot;
    private long handle;
    /** Where the payload is, found at the first look at it after a wrap ({@link #UNRESOLVED} until then). */
    private long payloadOffset;
    private int payloadLength;

    private static final long UNRESOLVED = -1;

    /**
     * @param memory                the channel memory.
     * @param payloadBlocks         where a payload longer than the slot's inline room is.
     * @param inlinePayloadCapacity the slot's inline room.
     */
    SlotView(final MemorySegment memory, final BlockPools payloadBlocks, final int inlinePayloadCapacity)
    {
        this.memory = memory;
        this.payloadBlocks = payloadBlocks;
        this.inlinePayloadCapacity = inlinePayloadCapacity;
    }

    /** Points the view at an event: its slot's offset and its handle. */
    final void wrapSlot(final long slot, final long handle)
    {
        this.slot = slot;
        this.handle = handle;
        this.payloadOffset = UNRESOLVED;
    }

    /** @return the channel memory the view reads. */
    final MemorySegment memory()
    {
        return memory;
    }

    private long resolvedPayloadOffset()
    {
        resolvePayload();
        return payloadOffset;
    }

    /** Finds where the payload is, and its length bounded by that room, once per wrap: a view that never looks at the payload reads neither. */
    private void resolvePayload()
    {
        if (payloadOffset == UNRESOLVED)
        {
            final int block = SlotFields.payloadBlockPlain(memory, slot);
            payloadLength = SlotFields.payloadLength(memory, slot, payloadBlocks, inlinePayloadCapacity, block);
            payloadOffset = SlotFields.payloadOffset(slot, payloadBlocks, block);
        }
    }

    /** @return the slot's state word after the reads before it: a seqlock's second read. */
    final long stateWordAfterReads()
    {
        return SlotFields.stateAfterReads(memory, slot);
    }

    /** @return the handle of this dispatch. */
    public final long handle()
    {
        return handle;
    }

    /** @return the caller-defined event type given at dispatch. */
    public final int kind()
    {
        return SlotFields.kindPlain(memory, slot);
    }

    /** @return the event id's most significant 64 bits. */
    public final long eventIdHi()
    {
        return SlotFields.eventIdHiPlain(memory, slot);
    }

    /** @return the event id's least significant 64 bits. */
    public final long eventIdLo()
    {
        return SlotFields.eventIdLoPlain(memory, slot);
    }

    /** @return the event id, as a new {@link UUID} (allocates). */
    public final UUID eventId()
    {
        return new UUID(eventIdHi(), eventIdLo());
    }

    /** @return the correlation id's most significant 64 bits. */
    public final long correlationIdHi()
    {
        return SlotFields.correlationIdHiPlain(memory, slot);
    }

    /** @return the correlation id's least significant 64 bits. */
    public final long correlationIdLo()
    {
        return SlotFields.correlationIdLoPlain(memory, slot);
    }

    /** @return the correlation id, as a new {@link UUID} (allocates). */
    public final UUID correlationId()
    {
        return new UUID(correlationIdHi(), correlationIdLo());
    }

    /** @return when the event was dispatched, in {@link System#nanoTime()} (CLOCK_MONOTONIC). */
    public final long dispatchedAtNanos()
    {
        return SlotFields.dispatchedAtPlain(memory, slot);
    }

    /** @return when a handler claimed the event, or 0 if none has. */
    public final long polledAtNanos()
    {
        return SlotFields.polledAtOpaque(memory, slot);
    }

    /** @return when the event times out, in {@link System#nanoTime()}. */
    public final long deadlineNanos()
    {
        return SlotFields.deadlinePlain(memory, slot);
    }

    /**
     * @return 0 on the event's first delivery; then how often it was dispatched again because the
     * process of the handler that had claimed it died ({@link DispatchChannelBuilder#redeliveryLimit}),
     * or elsewhere before it came here; at most {@link DispatchChannel#MAX_COUNT}.
     */
    public final long redeliveries()
    {
        return SlotFields.redeliveriesPlain(memory, slot);
    }

    /**
     * @return 0 on the event's first delivery; then how often a handler yielded it with a
     * continuation ({@link Poller#yieldEvent}); at most {@link DispatchChannel#MAX_COUNT}. Unchecked,
     * as every accessor here: read it before {@link PolledEvent#readPayload}, whose check then covers
     * it.
     */
    public final long yields()
    {
        return SlotFields.yieldsOpaque(memory, slot);
    }

    /** @return the trace context the event was dispatched with, {@link TraceContext#NONE} without one (allocates). */
    public final TraceContext traceContext()
    {
        return new TraceContext(traceIdHi(), traceIdLo(), parentSpanId(), traceFlags());
    }

    /** @return the trace id's most significant 64 bits; 0 with {@link #traceIdLo()} for no trace. */
    public final long traceIdHi()
    {
        return SlotFields.traceIdHiPlain(memory, slot);
    }

    /** @return the trace id's least significant 64 bits. */
    public final long traceIdLo()
    {
        return SlotFields.traceIdLoPlain(memory, slot);
    }

    /** @return the span the event was dispatched under: its handler's parent. */
    public final long parentSpanId()
    {
        return SlotFields.parentSpanIdPlain(memory, slot);
    }

    /** @return the W3C trace flags the event was dispatched with. */
    public final int traceFlags()
    {
        return SlotFields.traceFlagsPlain(memory, slot);
    }

    /** @return the span its handler named when it completed the event, or 0: for the host's view. */
    public final long handlerSpanId()
    {
        return SlotFields.handlerSpanIdPlain(memory, slot);
    }

    /** @return payload bytes: up to the slot's inline room, or a block's for a longer payload. */
    public final int payloadLength()
    {
        resolvePayload();
        return payloadLength;
    }

    /**
     * Copies the payload.
     *
     * @param destination where to copy to; needs {@link #payloadLength()} bytes from {@code offset}.
     * @param offset      where in {@code destination}.
     */
    public final void copyPayloadTo(final MemorySegment destination, final long offset)
    {
        resolvePayload();
        MemorySegment.copy(memory, payloadOffset, destination, offset, payloadLength);
    }

    /**
     * Copies the payload.
     *
     * @param destination where to copy to; needs {@link #payloadLength()} bytes from {@code index}.
     * @param index       where in {@code destination}.
     */
    public final void copyPayloadTo(final byte[] destination, final int index)
    {
        MemorySegment.copy(
            memory, ValueLayout.JAVA_BYTE, resolvedPayloadOffset(), destination, index, payloadLength);
    }

    /**
     * @return a read-only, zero-copy view of the payload where it lies, in the slot or its block
     * (allocates the view). Unchecked, as every accessor here: see {@link PolledEvent#readPayload}.
     */
    public final MemorySegment payload()
    {
        resolvePayload();
        return memory.asSlice(payloadOffset, payloadLength).asReadOnly();
    }
}
