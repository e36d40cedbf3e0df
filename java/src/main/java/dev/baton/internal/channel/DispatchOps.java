package dev.baton.internal.channel;

import java.lang.foreign.MemorySegment;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

import dev.baton.internal.layout.CompletionRingDescriptor;
import dev.baton.internal.layout.Errno;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.BlockPools;
import dev.baton.internal.protocol.ChannelClock;
import dev.baton.internal.protocol.ChannelCounters;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.DispatchRing;
import dev.baton.internal.protocol.Slab;
import dev.baton.internal.protocol.SlotFields;

import static dev.baton.internal.layout.SlotDescriptor.POLLED;
import static dev.baton.internal.layout.SlotDescriptor.DISPATCHED;
import static dev.baton.internal.layout.SlotDescriptor.generation;
import static dev.baton.internal.layout.SlotDescriptor.state;

/**
 * The dispatchers' side of a channel: dispatch into a free slot (and a block for a long payload)
 * and the dispatch ring, and cancel; {@link DispatchBatchOps} dispatches batches and
 * {@link PayloadClaimOps} claims written in place, over the same steps. Any number of threads; lock-free. The C twin is {@code native/dispatch_ops.c}.
 */
public final class DispatchOps
{
    private final MemorySegment memory;
    private final Slab slab;
    private final BlockPools blocks;
    private final DispatchRing dispatchRing;
    private final ChannelLifecycle lifecycle;
    private final UuidIndex uuidIndex;
    private final ChannelCounters counters;
    private final ChannelClock clock;
    private final int inlinePayloadCapacity;
    private final int maxPayloadLength;
    private final long completionTimeoutNanos;
    private final long unblockPatienceNanos;
    private final LongPredicate stale = this::isStale;
    private final AtomicLong cancelledCount = new AtomicLong();

    public DispatchOps(
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
        this.clock = parts.clock();
        this.inlinePayloadCapacity = parts.geometry().inlinePayloadCapacity();
        this.maxPayloadLength = parts.geometry().maxPayloadLength();
        this.completionTimeoutNanos = completionTimeoutNanos;
        this.unblockPatienceNanos = unblockPatienceNanos;
    }

    /**
     * Dispatches an event if there is room: copies it into a free slot (and a block for a long
     * payload) and publishes its handle in the dispatch ring. Never waits.
     *
     * @return the handle, or {@link Errno#EAGAIN} (slab or blocks full), {@link Errno#ENOSPC} (ring
     * full), {@link Errno#EPROTO} (a corrupted state word), {@link Errno#EUCLEAN} (a corrupted free
     * list).
     */
    public long dispatch(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final MemorySegment payload,
        final long traceIdHi,
        final long traceIdLo,
        final long parentSpanId,
        final int traceFlags)
    {
        lifecycle.ensureOpen();
        final long room = takeAndWrite(
            eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, kind, traceIdHi, traceIdLo, parentSpanId, traceFlags,
            payload, payload.byteSize(), dispatchTime());
        if (room < 0)
        {
            return noRoom(room);
        }
        final int index = (int)room;
        // Claim the ring cell before publishing the slot: if the ring is full the slot is still FREE
        // and goes straight back, unseen by expiry, cancel or the metrics scan.
        final long position = claimCell();
        if (position < 0)
        {
            slab.release(index);
            return backpressure(Errno.ENOSPC);
        }
        return publishInto(index, position, eventIdHi, eventIdLo);
    }

    /**
     * Takes a free slot for a new event and writes it there ({@link #writeEvent}).
     *
     * @return the room, the caller's until it is published or released, or why there is none:
     * {@link Errno#EAGAIN}, or {@link Errno#EUCLEAN} when a free list is corrupted.
     * @throws IllegalArgumentException if length is longer than the channel's largest payload.
     */
    long takeAndWrite(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final long traceIdHi,
        final long traceIdLo,
        final long parentSpanId,
        final int traceFlags,
        final MemorySegment payload,
        final long length,
        final long now)
    {
        checkPayloadLength(length);
        final int index = slab.tryAcquire(); // from this thread's magazine, or the list
        if (index < 0)
        {
            return noSlot();
        }
        final long room = writeEvent(
            index, eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, kind, traceIdHi, traceIdLo, parentSpanId,
            traceFlags, payload, length, now);
        if (room < 0)
        {
            slab.release(index);
        }
        return room;
    }

    /**
     * Writes a new event into a slot the caller took: its fields, its trace context, and its
     * payload, in the slot's inline room or, for a longer payload, a block the slot then owns
     * (releasing the slot releases the block); for a payload of null, where the caller is to write
     * it in place. {@code now} is its dispatch time, from {@link #dispatchTime}.
     *
     * @return the room: the block (0 for none) in the high half and the slot's index in the low, or
     * why there is no block for the payload ({@link #takePayloadRoom}; the slot is untouched, the
     * caller releases it).
     */
    long writeEvent(
        final int index,
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final long traceIdHi,
        final long traceIdLo,
        final long parentSpanId,
        final int traceFlags,
        final MemorySegment payload,
        final long length,
        final long now)
    {
        final int block = takePayloadRoom(index, (int)length);
        if (block < 0)
        {
            return block;
        }
        final long room = ((long)block << 32) | index;
        final long slot = slab.slotOffset(index);
        SlotFields.fenceBeforeRewrite(); // the slot (and block) may still be read by their last event's stale readers
        SlotFields.writeEvent(
            memory, slot, kind, eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, now, now + completionTimeoutNanos);
        SlotFields.writeTrace(memory, slot, traceIdHi, traceIdLo, parentSpanId, traceFlags);
        if (payload == null)
        {
            SlotFields.placePayload(memory, slot, block, (int)length);
        }
        else
        {
            SlotFields.writePayload(memory, slot, block, payloadAt(room), payload);
        }
        return room;
    }

    void checkPayloadLength(final long length)
    {
        if (length > maxPayloadLength || length < 0)
        {
            throw new IllegalArgumentException(
                "payload of " + length + " bytes exceeds the channel's largest, " + maxPayloadLength);
        }
    }

    /**
     * Takes up to {@code max} free slots ({@link Slab#tryAcquireRun}). Fewer
     * than {@code max} is no refusal: the caller asks again.
     *
     * @return how many, 0 when the slab is full.
     */
    int takeSlots(final int[] indices, final int max)
    {
        return slab.tryAcquireRun(indices, max);
    }

    /**
     * Takes the room a payload of {@code length} bytes needs in the slot at {@code index}, which the
     * caller holds: its inline room, or for a longer payload a block, then the caller's, stamped with
     * the event the slot holds or is about to ({@link BlockPools#stampOwner}), so that a reaper or an
     * adopter gives it back should the caller die before the slot names it. A dispatch
     * ({@link #writeEvent}) and a yield (HandlerOps) share it; {@link SlotFields#payloadOffset} says
     * where the payload then goes. The C twin is {@code baton__take_payload_room}.
     *
     * @return the block, 0 for the inline room, or {@link Errno#EAGAIN} when every block class that
     * could hold the payload is empty, {@link Errno#EUCLEAN} when one's free list is corrupted.
     */
    int takePayloadRoom(final int index, final int length)
    {
        if (length <= inlinePayloadCapacity)
        {
            return 0;
        }
        final int block = blocks.take(length);
        if (block == 0)
        {
            return blocks.listsCorrupted(length) ? Errno.EUCLEAN : Errno.EAGAIN;
        }
        // The slot is the caller's (popped FREE(g), or claimed POLLED(g)), so its generation, the
        // event's, holds still.
        blocks.stampOwner(block, Handles.handle(generation(slab.loadState(index)), index));
        return block;
    }

    /**
     * Why no slot was taken: {@link Errno#EAGAIN} when the slab is full, {@link Errno#EUCLEAN} when
     * its free list is corrupted (for good: every later dispatch that finds no slot says so too).
     */
    int noSlot()
    {
        return slab.freeListCorrupted() ? Errno.EUCLEAN : Errno.EAGAIN;
    }

    /** What a dispatch refused for want of room returns: backpressure counted, a corruption as it is. */
    long noRoom(final long refusal)
    {
        return refusal == Errno.EUCLEAN ? refusal : backpressure((int)refusal);
    }

    /** @return where a room's payload goes: its slot's inline room, or its block. */
    private long payloadAt(final long room)
    {
        return SlotFields.payloadOffset(slab.slotOffset((int)room), blocks, (int)(room >>> 32));
    }

    /**
     * Publishes a filled slot the caller holds into the ring cell it claimed, and wakes the handlers.
     *
     * @return the handle, or {@link Errno#EPROTO} when the slot's state word was corrupted.
     */
    long publishInto(final int index, final long position, final long eventIdHi, final long eventIdLo)
    {
        final long published = publishUnsignalled(index, position, eventIdHi, eventIdLo);
        lifecycle.afterDispatch();
        return published;
    }

    /**
     * Publishes a filled slot the caller holds into the ring cell it claimed, without waking the
     * handlers: the caller does, once it has committed its last cell ({@link #commitCell} says why
     * every commit must be followed by a wake-up). A claimed cell is always committed, or it blocks
     * the ring; NONE is skipped by pollers.
     *
     * @return the handle, or {@link Errno#EPROTO} when the slot's state word was corrupted.
     */
    long publishUnsignalled(final int index, final long position, final long eventIdHi, final long eventIdLo)
    {
        final long handle = slab.publish(index);
        if (uuidIndex != null && handle != Handles.NONE)
        {
            uuidIndex.put(eventIdHi, eventIdLo, handle);
        }
        dispatchRing.commit(position, handle);
        if (handle == Handles.NONE)
        {
            return Errno.EPROTO;
        }
        ChannelCounters.increment(counters == null ? null : counters.dispatched);
        return handle;
    }

    /** @return the time a dispatch stamps its events with: the host's cached clock (baton.h), early, never late. */
    long dispatchTime()
    {
        return clock.now();
    }

    long backpressure(final int code)
    {
        ChannelCounters.increment(counters == null ? null : counters.dispatchBackpressure);
        return code;
    }

    /**
     * A ring position for a new handle, or -1 when the ring is full of live work. A full ring first
     * drops the handles of ended events at its head, releases a cell that a dead consumer has held
     * for longer than the patience, and commits a cell a dead producer took and never marked (which
     * stops the consumers) once found so for the patience; each step frees one cell, so at most
     * capacity of them. A ring another process scribbled on is audited by the reaper
     * ({@code baton_reap}).
     */
    long claimCell()
    {
        long position = dispatchRing.claim();
        for (int repairs = 0; position < 0 && repairs < dispatchRing.capacity(); repairs++)
        {
            if (!dispatchRing.dropStale(stale) && !dispatchRing.unblockIfStalled(unblockPatienceNanos) &&
                !dispatchRing.unblockUnmarked(CompletionRingDescriptor.UNBLOCK_PATIENCE_MIN_NANOS))
            {
                break;
            }
            position = dispatchRing.claim();
        }
        return position;
    }

    /**
     * Commits a handle (or {@link Handles#NONE}) at a ring position {@link #claimCell} gave, then
     * wakes the native handlers asleep on the ring. Every commit wakes them, of no handle too: while
     * the cell was claimed, consumers stopped at it and the dispatches behind it woke handlers to
     * nothing ready, so only this commit lets them on.
     */
    void commitCell(final long position, final long handle)
    {
        dispatchRing.commit(position, handle);
        lifecycle.afterDispatch();
    }

    /** @return whether a handle in the dispatch ring names an event that ended, or nothing. */
    private boolean isStale(final long handle)
    {
        return !slab.isInRange(handle) ||
            slab.loadState(Handles.index(handle)) != SlotDescriptor.stateWord(Handles.generation(handle), DISPATCHED);
    }

    /**
     * Cancels a pending event (dispatched or polled): its slot is freed at once and the host is not
     * told. A failed CAS means the event moved on, and the loop looks again.
     *
     * @return {@link Errno#OK}, or why not.
     */
    public int cancel(final long handle)
    {
        lifecycle.ensureOpen();
        if (!slab.isInRange(handle))
        {
            return Errno.ENOENT;
        }
        final int index = Handles.index(handle);
        final long slot = slab.slotOffset(index);
        while (true)
        {
            final long word = slab.loadState(index);
            final int state = state(word);
            if (generation(word) != Handles.generation(handle) || (state != DISPATCHED && state != POLLED))
            {
                return Slab.rejection(handle, word, DISPATCHED);
            }
            // The id is needed only by the UUID index, and must be read before the slot is freed.
            final UUID eventId = uuidIndex == null ? null :
                new UUID(SlotFields.eventIdHiPlain(memory, slot), SlotFields.eventIdLoPlain(memory, slot));
            // The CAS expects the word as read, holder tag and all (C: the same): a failed CAS means
            // the event moved on. Expecting a clean DISPATCHED word instead would loop for ever on
            // one whose tag bits another process scribbled.
            if (slab.free(handle, (int)word, lifecycle.tag()))
            {
                if (eventId != null)
                {
                    uuidIndex.remove(eventId, handle);
                }
                cancelledCount.incrementAndGet();
                return Errno.OK;
            }
        }
    }

    public long cancelledCount()
    {
        return cancelledCount.get();
    }
}
