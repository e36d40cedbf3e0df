package dev.baton.internal.channel;

import java.lang.foreign.MemorySegment;
import java.util.function.BooleanSupplier;

import dev.baton.internal.layout.Errno;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.BlockPools;
import dev.baton.internal.protocol.ChannelClock;
import dev.baton.internal.protocol.ChannelCounters;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.DispatchRing;
import dev.baton.internal.protocol.OutcomePublisher;
import dev.baton.internal.protocol.Slab;
import dev.baton.internal.protocol.SlotFields;
import org.agrona.concurrent.IdleStrategy;

import static dev.baton.internal.layout.SlotDescriptor.POLLED;
import static dev.baton.internal.layout.SlotDescriptor.COMPLETED;
import static dev.baton.internal.layout.SlotDescriptor.DISPATCHED;

/**
 * The handlers' side of a channel: poll the oldest dispatched event, await one, complete it or
 * yield it with a continuation. Any number of threads; lock-free. A channel closed under a call, even mid-way, is reported as
 * {@link Errno#ESHUTDOWN}, as C and Rust handlers see it. The C twin is
 * {@code native/handler_ops.c}.
 */
public final class HandlerOps
{
    private final MemorySegment memory;
    private final Slab slab;
    private final BlockPools blocks;
    private final DispatchRing dispatchRing;
    private final OutcomePublisher outcomes;
    private final ChannelLifecycle lifecycle;
    private final ChannelCounters counters;
    private final int maxResultLength;
    private final int maxPayloadLength;
    private final long yieldLimit;
    private final BooleanSupplier dispatchReady;
    private final DispatchOps dispatchOps;
    private final ChannelClock clock;

    public HandlerOps(
        final ChannelMemory parts,
        final ChannelLifecycle lifecycle,
        final ChannelCounters counters,
        final DispatchOps dispatchOps)
    {
        this.memory = parts.memory();
        this.slab = parts.slab();
        this.blocks = parts.payloadBlocks();
        this.dispatchRing = parts.dispatchRing();
        this.outcomes = parts.outcomes();
        this.lifecycle = lifecycle;
        this.counters = counters;
        this.maxResultLength = parts.geometry().maxResultLength();
        this.maxPayloadLength = parts.geometry().maxPayloadLength();
        this.yieldLimit = parts.yieldLimit();
        this.dispatchOps = dispatchOps;
        this.clock = parts.clock();
        this.dispatchReady = dispatchRing::hasReady;
    }

    /**
     * @return the time a batch's polls stamp their events with: the host's cached clock, or the
     * clock's while none is cached ({@link ChannelClock}). One read of the host's line for the batch;
     * a poll of one event reads the clock instead, since reading the line the host's drain keeps
     * writing would cost each single round trip a pull across cores. The clock's on a channel closed
     * under the caller, whose poll then says ESHUTDOWN.
     */
    public long batchPolledAtNanos()
    {
        try
        {
            return clock.now();
        }
        catch (final IllegalStateException closedUnderUs)
        {
            lifecycle.shutdownOr(closedUnderUs); // rethrows unless the channel closed
            return System.nanoTime();
        }
    }

    /**
     * Takes the oldest dispatched event, DISPATCHED to POLLED under this process's tag, skipping
     * entries whose event ended while it waited in the ring. Never waits.
     *
     * @param polledAtNanos the time to stamp it with: the clock, read once per call of the caller's,
     *                      or {@link #batchPolledAtNanos()} for a batch's polls.
     * @return the event's handle (positive), 0 when none is ready, {@link Errno#ESHUTDOWN} once closed.
     */
    public long poll(final long polledAtNanos)
    {
        if (lifecycle.isClosed())
        {
            return Errno.ESHUTDOWN;
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
                if (claim(handle, polledAtNanos))
                {
                    return handle;
                }
            }
        }
        catch (final IllegalStateException closedUnderUs)
        {
            return lifecycle.shutdownOr(closedUnderUs);
        }
    }

    /**
     * Takes a run of handles from the dispatch ring with one index claim, for a batch's poll: each
     * must then be claimed ({@link #claim}) or handed back ({@link #requeue}). Never waits.
     *
     * @param handles receives the handles; its length is the most taken.
     * @param max     the most to take, at most {@code handles.length}.
     * @return the number taken, 0 when none is ready, {@link Errno#ESHUTDOWN} once closed.
     */
    public int pollRun(final long[] handles, final int max)
    {
        if (lifecycle.isClosed())
        {
            return Errno.ESHUTDOWN;
        }
        try
        {
            return dispatchRing.pollRun(max, handles);
        }
        catch (final IllegalStateException closedUnderUs)
        {
            return lifecycle.shutdownOr(closedUnderUs);
        }
    }

    /**
     * Claims a handle taken from the ring, DISPATCHED to POLLED under this process's tag, stamped as
     * polled at {@code polledAtNanos}.
     *
     * @return whether it was claimed; false for a stale entry (its event ended while it waited).
     */
    public boolean claim(final long handle, final long polledAtNanos)
    {
        try
        {
            if (slab.isInRange(handle) && slab.transition(handle, DISPATCHED, lifecycle.polledState()))
            {
                SlotFields.setPolledAtPlain(memory, slab.slotOffset(Handles.index(handle)), polledAtNanos);
                ChannelCounters.increment(counters == null ? null : counters.claimed);
                return true;
            }
        }
        catch (final IllegalStateException closedUnderUs)
        {
            lifecycle.shutdownOr(closedUnderUs); // rethrows unless the channel closed; then the next poll says so
            return false;
        }
        ChannelCounters.increment(counters == null ? null : counters.staleSkipped);
        return false;
    }

    /**
     * Hands handles taken from the ring and not claimed back to it, for other handlers: their events
     * are still DISPATCHED. One that finds the ring full stays DISPATCHED in no cell, and times out.
     *
     * @param handles the handles; those from {@code from} to {@code to} go back.
     */
    public void requeue(final long[] handles, final int from, final int to)
    {
        try
        {
            for (int i = from; i < to; i++)
            {
                final long position = dispatchOps.claimCell();
                if (position < 0)
                {
                    return;
                }
                dispatchOps.commitCell(position, handles[i]);
            }
        }
        catch (final IllegalStateException closedUnderUs)
        {
            lifecycle.shutdownOr(closedUnderUs); // rethrows unless the channel closed: nothing is dispatched then
        }
    }

    /**
     * @param timeoutNanos the longest wait.
     * @param idle         the poller's idle strategy, used without libbaton.
     * @return 1 when an event is ready, 0 after the timeout, {@link Errno#ESHUTDOWN} once closed.
     */
    public int awaitEvents(final long timeoutNanos, final IdleStrategy idle)
    {
        return lifecycle.awaitEvents(dispatchReady, timeoutNanos, idle);
    }

    /**
     * Whether a handle names an event in POLLED, not yet completed, yielded or timed out. Acquire.
     *
     * @return {@link Errno#OK}, or why not (as {@code baton_complete} would refuse it).
     */
    public int checkPolled(final long handle)
    {
        final long word = checkClaimed(handle);
        return word < 0 ? (int)word : Errno.OK;
    }

    /** @return the offset in the channel's memory of the slot a handle names. */
    public long slotOffset(final long handle)
    {
        return slab.slotOffset(Handles.index(handle));
    }

    /**
     * Completes a polled event: POLLED to COMPLETED, and a completion record for the host.
     *
     * @return {@link Errno#OK}, or why not (see {@code baton_complete} in baton.h).
     */
    public int complete(final long handle, final int status, final MemorySegment result, final long handlerSpanId)
    {
        checkResultLength(result.byteSize());
        if (lifecycle.isClosed())
        {
            return Errno.ESHUTDOWN;
        }
        try
        {
            final int outcome = publishCompletion(handle, status, result, handlerSpanId);
            if (outcome == Errno.OK)
            {
                lifecycle.afterCompletion();
            }
            return outcome;
        }
        catch (final IllegalStateException closedUnderUs)
        {
            return lifecycle.shutdownOr(closedUnderUs);
        }
    }

    void checkResultLength(final long length)
    {
        if (length > maxResultLength)
        {
            throw new IllegalArgumentException(
                "result of " + length + " bytes exceeds the channel's largest, " + maxResultLength);
        }
    }

    /**
     * Publishes one completion, without waking the host (the caller does, once per call) and without
     * checking the length (the caller did).
     */
    int publishCompletion(
        final long handle, final int status, final MemorySegment result, final long handlerSpanId)
    {
        final long word = checkClaimed(handle);
        final int outcome = word < 0 ? (int)word :
            outcomes.publish(handle, POLLED, COMPLETED, status, result, lifecycle.tag(), handlerSpanId);
        count(outcome);
        return outcome;
    }

    void count(final int outcome)
    {
        if (counters != null)
        {
            (outcome == Errno.OK ? counters.completed : counters.completionRefused).increment();
        }
    }

    /**
     * Yields a polled event: hands it back to be dispatched again with a continuation payload.
     *
     * @return {@link Errno#OK}, {@link Errno#ELOOP} past the yield limit, or why not (see
     * {@code baton_yield} in baton.h).
     */
    public int yieldEvent(final long handle, final MemorySegment continuation)
    {
        final long length = continuation.byteSize();
        if (length > maxPayloadLength)
        {
            throw new IllegalArgumentException(
                "continuation of " + length + " bytes exceeds the channel's largest payload, " + maxPayloadLength);
        }
        if (lifecycle.isClosed())
        {
            return Errno.ESHUTDOWN;
        }
        try
        {
            final long word = checkClaimed(handle);
            final int yielded = word < 0 ? (int)word : yieldWith(handle, word, continuation, (int)length);
            if (counters != null && yielded == Errno.OK)
            {
                counters.yielded.increment();
            }
            return yielded;
        }
        catch (final IllegalStateException closedUnderUs)
        {
            return lifecycle.shutdownOr(closedUnderUs);
        }
    }

    /**
     * Whether the handle names an event in POLLED, for a completion or a yield. Acquire: a cheap
     * early answer for stale handles, before any ring space is claimed.
     *
     * @return its state word (naming its holder; never negative), or why not (an {@link Errno}).
     */
    long checkClaimed(final long handle)
    {
        if (!slab.isInRange(handle))
        {
            return Errno.ENOENT;
        }
        final long word = slab.loadState(Handles.index(handle));
        if (SlotDescriptor.generation(word) != Handles.generation(handle) || SlotDescriptor.state(word) != POLLED)
        {
            return Slab.rejection(handle, word, POLLED);
        }
        return word;
    }

    /** A yield of a POLLED event, whose state word the caller read. */
    private int yieldWith(final long handle, final long word, final MemorySegment continuation, final int length)
    {
        final long slot = slab.slotOffset(Handles.index(handle));
        // A count read while the event is ours; if it ended meanwhile, the CAS below fails.
        if (SlotFields.yieldsOpaque(memory, slot) >= yieldLimit)
        {
            return endEndlessYield(handle, (int)word);
        }
        // A block for a long continuation first: a refusal leaves the claim as it was.
        final int block = dispatchOps.takePayloadRoom(Handles.index(handle), length);
        if (block < 0)
        {
            return block;
        }
        final long payloadAt = SlotFields.payloadOffset(slot, blocks, block);
        // POLLED(g, tag) to YIELDING(g, tag): from here no cancel, expiry or reaper of a live
        // holder frees the slot, so the continuation can be written where the payload was.
        final int yielding = SlotDescriptor.yieldingFrom((int)word);
        if (!slab.transition(handle, (int)word, yielding))
        {
            blocks.release(block);
            return slab.rejection(handle, POLLED);
        }
        // The stale readers of the claimed payload validate against the state word, which moved first.
        SlotFields.fenceBeforeRewrite();
        // Then the ring cell it goes back into; a full ring gives the claim back as it was (POLLED).
        final long position = dispatchOps.claimCell();
        if (position < 0)
        {
            slab.transition(handle, yielding, (int)word);
            blocks.release(block);
            return Errno.ENOSPC;
        }
        // plain (C: relaxed): YIELDING, the slot is ours. The old block goes back after the new
        // payload names its new place: a stale reader of it validates against the state word.
        final int oldBlock = SlotFields.payloadBlockPlain(memory, slot);
        SlotFields.writePayload(memory, slot, block, payloadAt, continuation);
        blocks.release(oldBlock);
        SlotFields.countYield(memory, slot);
        // YIELDING to DISPATCHED (CAS, seq_cst: releases the continuation and the count), then the
        // cell's commit hands the handle to the next claimant. The CAS fails only if a reaper settled
        // the event, having taken this process for dead: then the cell carries nothing.
        if (!slab.transition(handle, yielding, DISPATCHED))
        {
            dispatchOps.commitCell(position, Handles.NONE);
            return slab.rejection(handle, POLLED);
        }
        dispatchOps.commitCell(position, handle);
        return Errno.OK;
    }

    /** The end of a yield past the channel's yield limit: the event completes with ELOOP. */
    private int endEndlessYield(final long handle, final int claimed)
    {
        final int published =
            outcomes.publish(handle, claimed, COMPLETED, Errno.ELOOP, MemorySegment.NULL, lifecycle.tag(), 0L);
        if (published != Errno.OK)
        {
            return published;
        }
        lifecycle.afterCompletion();
        return Errno.ELOOP;
    }
}
