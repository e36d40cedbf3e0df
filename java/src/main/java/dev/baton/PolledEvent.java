package dev.baton;

import java.lang.foreign.MemorySegment;

import dev.baton.internal.channel.ChannelLifecycle;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.BlockPools;
import dev.baton.internal.protocol.Slab;

/**
 * An event a handler claimed, as a {@link Poller} shows it. Complete it with
 * {@link Poller#complete(long, int, java.lang.foreign.MemorySegment)} and its {@link #handle()}.
 */
public final class PolledEvent extends SlotView
{
    private final ChannelLifecycle lifecycle;

    PolledEvent(
        final ChannelLifecycle lifecycle,
        final MemorySegment memory,
        final BlockPools payloadBlocks,
        final int inlinePayloadCapacity)
    {
        super(memory, payloadBlocks, inlinePayloadCapacity);
        this.lifecycle = lifecycle;
    }

    /**
     * Copies the payload, then checks that the slot still holds this event (a seqlock read, the twin
     * of C's {@code baton_read_payload}): the copy is never torn or another event's. Allocation-free.
     *
     * @param destination where to copy to; needs {@link #payloadLength()} bytes from {@code offset}.
     * @param offset      where in {@code destination}.
     * @return the payload length, or {@link ErrorCode#ETIMEDOUT} or {@link ErrorCode#ESTALE} when the
     * event ended (and its slot may have been reused) while it was copied, or
     * {@link ErrorCode#ESHUTDOWN} when the channel was closed.
     */
    public int readPayload(final MemorySegment destination, final long offset)
    {
        if (lifecycle.isClosed())
        {
            return ErrorCode.ESHUTDOWN;
        }
        try
        {
            return checkedRead(destination, offset);
        }
        catch (final IllegalStateException closedUnderUs)
        {
            return lifecycle.shutdownOr(closedUnderUs);
        }
    }

    private int checkedRead(final MemorySegment destination, final long offset)
    {
        final int length = payloadLength();
        copyPayloadTo(destination, offset);
        // A seqlock read: the copy counts only if the slot still holds this event afterwards.
        final long word = stateWordAfterReads();
        final int state = SlotDescriptor.state(word);
        if (SlotDescriptor.generation(word) != Handles.generation(handle()) ||
            (state != SlotDescriptor.POLLED && state != SlotDescriptor.COMPLETED))
        {
            return Slab.rejection(handle(), word, SlotDescriptor.POLLED);
        }
        return length;
    }

    @Override
    public String toString()
    {
        return "PolledEvent{handle=" + handle() + ", kind=" + kind() + ", eventId=" + eventId() +
            ", payloadLength=" + payloadLength() + '}';
    }
}
