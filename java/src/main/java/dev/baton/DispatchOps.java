package dev.baton;

import java.lang.foreign.MemorySegment;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.BlockPools;
import dev.baton.internal.protocol.ChannelCounters;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.DispatchRing;
import dev.baton.internal.protocol.Slab;
import dev.baton.internal.protocol.SlotFields;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import static dev.baton.internal.layout.SlotDescriptor.CLAIMED;
import static dev.baton.internal.layout.SlotDescriptor.DISPATCHED;
import static dev.baton.internal.layout.SlotDescriptor.generation;
import static dev.baton.internal.layout.SlotDescriptor.state;

/**
 * The dispatchers' side of a channel: dispatch into a free slot (and a block for a long payload)
 * and the dispatch ring, and cancel. Any number of threads; lock-free. The C twin is
 * {@code native/dispatch_ops.c}.
 */
final class DispatchOps
{
    private final MemorySegment memory;
    private final Slab slab;
    private final BlockPools blocks;
    private final DispatchRing dispatchRing;
    private final ChannelLifecycle lifecycle;
    private final UuidIndex uuidIndex;
    private final ChannelCounters counters;
    private final int inlinePayloadCapacity;
    private final int maxPayloadLength;
    private final long completionTimeoutNanos;
    private final long unblockPatienceNanos;
    private final LongPredicate stale = this::isStale;
    private final AtomicLong cancelledCount = new AtomicLong();

    DispatchOps(
        final ChannelMemory parts,
        final ChannelLifecycle lifecycle,
        final UuidIndex uuidIndex,
        final ChannelCounters counters,
        final long completionTimeoutNanos,
        final long unblockPatienceNanos)
    {
        this.memory = parts.memory();
        this.slab = parts.slab();
        this.blocks = parts.payloadBlocks();
        this.dispatchRing = parts.dispatchRing();
        this.lifecycle = lifecycle;
        this.uuidIndex = uuidIndex;
        this.counters = counters;
        this.inlinePayloadCapacity = parts.geometry().inlinePayloadCapacity();
        this.maxPayloadLength = parts.geometry().maxPayloadLength();
        this.completionTimeoutNanos = completionTimeoutNanos;
        this.unblockPatienceNanos = unblockPatienceNanos;
    }

    /** See {@link DispatchChannel#tryDispatch(long, long, long, long, int, MemorySegment, TraceContext)}. */
    long tryDispatch(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final MemorySegment payload,
        final TraceContext trace)
    {
        lifecycle.ensureOpen();
        final long length = payload.byteSize();
        if (length > maxPayloadLength)
        {
            throw new IllegalArgumentException(
                "payload of " + length + " bytes exceeds the channel's largest, " + maxPayloadLength);
        }
        final int index = slab.tryAcquire();
        if (index < 0)
        {
            ChannelCounters.increment(counters == null ? null : counters.dispatchBackpressure);
            return ErrorCode.EAGAIN;
        }

        // The slot is ours from the pop until publish() below releases it, and so is the block it
        // takes for a payload longer than its inline room: releasing the slot releases the block.
        final long slot = slab.slotOffset(index);
        int block = 0;
        long payloadAt = slot + SlotDescriptor.PAYLOAD_OFFSET;
        if (length > inlinePayloadCapacity)
        {
            block = blocks.take((int)length);
            if (block == 0)
            {
                slab.release(index);
                ChannelCounters.increment(counters == null ? null : counters.dispatchBackpressure);
                return ErrorCode.EAGAIN;
            }
            payloadAt = blocks.offset(block);
        }
        final long now = System.nanoTime();
        SlotFields.writeEvent(
            memory, slot, kind, eventIdHi, eventIdLo, correlationIdHi, correlationIdLo,
            now, now + completionTimeoutNanos, block, payloadAt, payload);
        SlotFields.writeTrace(memory, slot, trace.traceIdHi(), trace.traceIdLo(), trace.spanId(), trace.flags());

        // Claim the ring cell before publishing the slot: if the ring is full the slot is still FREE
        // and goes straight back, unseen by expiry, cancel or the metrics scan.
        final long position = claimCell();
        if (position < 0)
        {
            slab.release(index);
            ChannelCounters.increment(counters == null ? null : counters.dispatchBackpressure);
            return ErrorCode.ENOSPC;
        }
        final long handle = slab.publish(index);
        if (uuidIndex != null && handle != Handles.NONE)
        {
            uuidIndex.put(eventIdHi, eventIdLo, handle);
        }
        // A claimed cell is always committed, or it blocks the ring; NONE is skipped by pollers.
        dispatchRing.commit(position, handle);
        if (handle == Handles.NONE)
        {
            return ErrorCode.EPROTO;
        }
        lifecycle.afterDispatch();
        ChannelCounters.increment(counters == null ? null : counters.dispatched);
        return handle;
    }

    /**
     * See {@link DispatchChannel#dispatch(java.util.UUID, java.util.UUID, int, MemorySegment, java.time.Duration)}:
     * tries, then backs off (an idle strategy made only once the channel is full) until the timeout.
     */
    long dispatchWithin(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final MemorySegment payload,
        final long timeoutNanos)
    {
        long result = tryDispatch(eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, kind, payload, TraceContext.NONE);
        if (!ErrorCode.isBackpressure(result))
        {
            return result;
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        final IdleStrategy idle = new BackoffIdleStrategy();
        while (ErrorCode.isBackpressure(result) && deadline - System.nanoTime() > 0)
        {
            idle.idle();
            result = tryDispatch(eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, kind, payload, TraceContext.NONE);
        }
        return result;
    }

    /**
     * A ring position for a new handle, or -1 when the ring is full of live work. A full ring first
     * drops the handles of ended events at its head, and releases a cell that a dead consumer has
     * held for longer than the patience; each step frees one cell, so at most capacity of them.
     */
    private long claimCell()
    {
        long position = dispatchRing.tryClaim();
        for (int repairs = 0; position < 0 && repairs < dispatchRing.capacity(); repairs++)
        {
            if (!dispatchRing.dropStale(stale) && !dispatchRing.unblockIfStalled(unblockPatienceNanos))
            {
                break;
            }
            position = dispatchRing.tryClaim();
        }
        return position;
    }

    /** @return whether a handle in the dispatch ring names an event that ended, or nothing. */
    private boolean isStale(final long handle)
    {
        return !slab.isInRange(handle) ||
            slab.loadState(Handles.index(handle)) != SlotDescriptor.stateWord(Handles.generation(handle), DISPATCHED);
    }

    /** See {@link DispatchChannel#cancel(long)}. */
    int cancel(final long handle)
    {
        lifecycle.ensureOpen();
        if (!slab.isInRange(handle))
        {
            return ErrorCode.ENOENT;
        }
        final int index = Handles.index(handle);
        final long slot = slab.slotOffset(index);
        while (true)
        {
            final long word = slab.loadState(index);
            final int state = state(word);
            if (generation(word) != Handles.generation(handle) || (state != DISPATCHED && state != CLAIMED))
            {
                return Slab.rejection(handle, word, DISPATCHED);
            }
            // The id is needed only by the UUID index, and must be read before the slot is freed.
            final UUID eventId = uuidIndex == null ? null :
                new UUID(SlotFields.eventIdHiPlain(memory, slot), SlotFields.eventIdLoPlain(memory, slot));
            if (slab.free(handle, state))
            {
                if (eventId != null)
                {
                    uuidIndex.remove(eventId, handle);
                }
                cancelledCount.incrementAndGet();
                return ErrorCode.OK;
            }
        }
    }

    long cancelledCount()
    {
        return cancelledCount.get();
    }
}
