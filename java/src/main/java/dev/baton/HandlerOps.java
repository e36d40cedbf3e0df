package dev.baton;

import java.lang.foreign.MemorySegment;
import java.util.function.BooleanSupplier;

import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.BlockPools;
import dev.baton.internal.protocol.ChannelCounters;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.DispatchRing;
import dev.baton.internal.protocol.OutcomePublisher;
import dev.baton.internal.protocol.Slab;
import dev.baton.internal.protocol.SlotFields;
import org.agrona.concurrent.IdleStrategy;

import static dev.baton.internal.layout.SlotDescriptor.CLAIMED;
import static dev.baton.internal.layout.SlotDescriptor.COMPLETED;
import static dev.baton.internal.layout.SlotDescriptor.DISPATCHED;

/**
 * The handlers' side of a channel: claim the oldest dispatched event, wait for one, complete it.
 * Any number of threads; lock-free. A channel closed under a call, even mid-way, is reported as
 * {@link ErrorCode#ESHUTDOWN}, as C and Rust handlers see it. The C twin is
 * {@code native/handler_ops.c}.
 */
final class HandlerOps
{
    private final MemorySegment memory;
    private final Slab slab;
    private final BlockPools blocks;
    private final int inlinePayloadCapacity;
    private final DispatchRing dispatchRing;
    private final OutcomePublisher outcomes;
    private final ChannelLifecycle lifecycle;
    private final ChannelCounters counters;
    private final int maxResultLength;
    private final BooleanSupplier dispatchReady;

    HandlerOps(final ChannelMemory parts, final ChannelLifecycle lifecycle, final ChannelCounters counters)
    {
        this.memory = parts.memory();
        this.slab = parts.slab();
        this.blocks = parts.payloadBlocks();
        this.inlinePayloadCapacity = parts.geometry().inlinePayloadCapacity();
        this.dispatchRing = parts.dispatchRing();
        this.outcomes = parts.outcomes();
        this.lifecycle = lifecycle;
        this.counters = counters;
        this.maxResultLength = parts.geometry().maxResultLength();
        this.dispatchReady = dispatchRing::hasReady;
    }

    /**
     * Claims the oldest dispatched event into a view, skipping entries whose event ended while it
     * waited in the ring.
     *
     * @param event the poller's view.
     * @return 1 when an event was claimed, 0 when none is ready, {@link ErrorCode#ESHUTDOWN} once closed.
     */
    int claim(final ClaimedEvent event)
    {
        if (lifecycle.isClosed())
        {
            return ErrorCode.ESHUTDOWN;
        }
        try
        {
            while (true)
            {
                final long handle = dispatchRing.poll();
                if (handle == Handles.NONE)
                {
                    return 0;
                }
                if (slab.isInRange(handle) && slab.transition(handle, DISPATCHED, lifecycle.claimedState()))
                {
                    final long slot = slab.slotOffset(Handles.index(handle));
                    SlotFields.setClaimedAtOpaque(memory, slot, System.nanoTime());
                    event.wrapSlot(memory, slot, handle, blocks, inlinePayloadCapacity);
                    ChannelCounters.increment(counters == null ? null : counters.claimed);
                    return 1;
                }
                ChannelCounters.increment(counters == null ? null : counters.staleSkipped);
            }
        }
        catch (final IllegalStateException closedUnderUs)
        {
            return lifecycle.shutdownOr(closedUnderUs);
        }
    }

    /**
     * @param timeoutNanos the longest wait.
     * @param idle         the poller's idle strategy, used without libbaton.
     * @return 1 when an event is ready, 0 after the timeout, {@link ErrorCode#ESHUTDOWN} once closed.
     */
    int awaitDispatch(final long timeoutNanos, final IdleStrategy idle)
    {
        return lifecycle.awaitDispatch(dispatchReady, timeoutNanos, idle);
    }

    /** @return the channel's lifecycle, which a poller's event view asks whether the channel closed. */
    ChannelLifecycle lifecycle()
    {
        return lifecycle;
    }

    /** See {@link DispatchChannel#complete(long, int, MemorySegment, long)}. */
    int complete(final long handle, final int status, final MemorySegment result, final long handlerSpanId)
    {
        final int outcome = publishCompletion(handle, status, result, handlerSpanId);
        if (counters != null)
        {
            (outcome == ErrorCode.OK ? counters.completed : counters.completionRefused).increment();
        }
        return outcome;
    }

    private int publishCompletion(
        final long handle, final int status, final MemorySegment result, final long handlerSpanId)
    {
        final long length = result.byteSize();
        if (length > maxResultLength)
        {
            throw new IllegalArgumentException(
                "result of " + length + " bytes exceeds the channel's largest, " + maxResultLength);
        }
        if (lifecycle.isClosed())
        {
            return ErrorCode.ESHUTDOWN;
        }
        if (!slab.isInRange(handle))
        {
            return ErrorCode.ENOENT;
        }
        try
        {
            // acquire: a cheap early answer for stale handles, before any ring space is claimed.
            final long word = slab.loadState(Handles.index(handle));
            if (SlotDescriptor.generation(word) != Handles.generation(handle) || SlotDescriptor.state(word) != CLAIMED)
            {
                return Slab.rejection(handle, word, CLAIMED);
            }
            final int published =
                outcomes.publish(handle, CLAIMED, COMPLETED, status, result, lifecycle.tag(), handlerSpanId);
            if (published == ErrorCode.OK)
            {
                lifecycle.afterCompletion();
            }
            return published;
        }
        catch (final IllegalStateException closedUnderUs)
        {
            return lifecycle.shutdownOr(closedUnderUs);
        }
    }
}
