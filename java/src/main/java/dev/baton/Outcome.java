package dev.baton;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.baton.internal.protocol.BlockPools;

/**
 * The outcome of one event, shown to the host's {@link OutcomeHandler}: completed by a handler
 * with a status and result bytes, or timed out. Besides the outcome it shows the event's own fields,
 * because the slot is freed only after the handler returns. Valid only during the call.
 */
public final class Outcome extends SlotView
{
    private boolean timedOut;
    private int status;
    private long resultOffset;
    private int resultLength;
    private long latencyNanos;

    /** See {@link SlotView#SlotView}. */
    Outcome(final MemorySegment memory, final BlockPools payloadBlocks, final int inlinePayloadCapacity)
    {
        super(memory, payloadBlocks, inlinePayloadCapacity);
    }

    /**
     * Points the view at an outcome.
     *
     * @param slot         the event's slot.
     * @param handle       the event's handle.
     * @param timedOut     whether it timed out.
     * @param status       the handler's status, or ETIMEDOUT.
     * @param resultOffset where the result is in the channel memory.
     * @param resultLength the result's length.
     * @param latencyNanos from its dispatch to the drain.
     */
    void wrap(
        final long slot,
        final long handle,
        final boolean timedOut,
        final int status,
        final long resultOffset,
        final int resultLength,
        final long latencyNanos)
    {
        wrapSlot(slot, handle);
        this.timedOut = timedOut;
        this.status = status;
        this.resultOffset = resultOffset;
        this.resultLength = resultLength;
        this.latencyNanos = latencyNanos;
    }

    /** @return whether the event timed out instead of being completed. */
    public boolean timedOut()
    {
        return timedOut;
    }

    /** @return the handler's status, or {@link ErrorCode#ETIMEDOUT} for a timeout. */
    public int status()
    {
        return status;
    }

    /** @return dispatch to drain of the completion, in nanoseconds. */
    public long latencyNanos()
    {
        return latencyNanos;
    }

    /** @return result bytes (0 for a timeout). */
    public int resultLength()
    {
        return resultLength;
    }

    /**
     * Copies the result.
     *
     * @param destination where to copy to; needs {@link #resultLength()} bytes from {@code offset}.
     * @param offset      where in {@code destination}.
     */
    public void copyResultTo(final MemorySegment destination, final long offset)
    {
        MemorySegment.copy(memory(), resultOffset, destination, offset, resultLength);
    }

    /**
     * Copies the result.
     *
     * @param destination where to copy to; needs {@link #resultLength()} bytes from {@code index}.
     * @param index       where in {@code destination}.
     */
    public void copyResultTo(final byte[] destination, final int index)
    {
        MemorySegment.copy(memory(), ValueLayout.JAVA_BYTE, resultOffset, destination, index, resultLength);
    }

    /** @return a read-only, zero-copy view of the result in the completion ring or its block (allocates the view). */
    public MemorySegment result()
    {
        return memory().asSlice(resultOffset, resultLength).asReadOnly();
    }

    @Override
    public String toString()
    {
        return "Outcome{handle=" + handle() + ", timedOut=" + timedOut + ", status=" + status +
            ", resultLength=" + resultLength + ", latencyNanos=" + latencyNanos + '}';
    }
}
