package dev.baton.internal.channel;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.baton.internal.layout.CompletionRingDescriptor;
import dev.baton.internal.layout.Errno;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.protocol.BlockPools;
import dev.baton.internal.protocol.ChannelClock;
import dev.baton.internal.protocol.ChannelCounters;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.CompletionRing;
import dev.baton.internal.protocol.CompletionRingUnblocker;
import dev.baton.internal.protocol.DispatchRing;
import dev.baton.internal.protocol.OutcomePublisher;
import dev.baton.internal.protocol.RecordHandler;
import dev.baton.internal.protocol.Slab;
import dev.baton.internal.protocol.SlotFields;
import dev.baton.latency.LatencyRecorder;
import org.agrona.concurrent.IdleStrategy;

import static dev.baton.internal.layout.CompletionRingDescriptor.BLOCK_BODY_LENGTH;
import static dev.baton.internal.layout.CompletionRingDescriptor.BODY_LENGTH;
import static dev.baton.internal.layout.CompletionRingDescriptor.RESULT_OFFSET;
import static dev.baton.internal.layout.SlotDescriptor.TIMED_OUT;

/**
 * The host's end of the completion ring: drains outcomes to an {@link OutcomeSink}, frees their
 * slots, records latencies and counts what it saw. A drain called from inside a drain's sink is
 * refused ({@link Errno#EBUSY}); a sink that throws leaves its outcome to the next drain. The ring keeps the mechanism of unblocking a
 * publisher that died mid-record; the policy, how long to wait before presuming it dead, is here.
 * One host thread at a time; the counts may be read from any thread.
 *
 * <p>The C twin is {@code native/host_drain.c}.
 */
public final class HostDrain
{
    private final MemorySegment memory;
    private final Slab slab;
    private final BlockPools resultBlocks;
    private final DispatchRing dispatchRing;
    private final CompletionRing completionRing;
    private final CompletionRingUnblocker unblocker;
    private final OutcomePublisher outcomes;
    private final LatencyRecorder latencyRecorder;
    private final UuidIndex uuidIndex;
    private final ChannelCounters counters;
    private final ChannelClock clock;
    private final long unblockPatienceNanos;

    private final RecordHandler onRecord = this::onRecord;
    private OutcomeSink sink;
    private int delivered;
    /** When this drain began: read once per drain (see drain). */
    private long drainStartNanos;

    // Written by the draining host thread only (release), read by metrics() on any thread (acquire).
    private final AtomicLong completedCount = new AtomicLong();
    private final AtomicLong timedOutCount = new AtomicLong();
    private final AtomicLong rejectedRecordCount = new AtomicLong();
    private final AtomicLong unblockedRecordCount = new AtomicLong();

    public HostDrain(
        final ChannelMemory parts,
        final LatencyRecorder latencyRecorder,
        final UuidIndex uuidIndex,
        final ChannelCounters counters,
        final long unblockPatienceNanos)
    {
        this.memory = parts.memory();
        this.slab = parts.slab();
        this.resultBlocks = parts.resultBlocks();
        this.completionRing = parts.completionRing();
        this.dispatchRing = parts.dispatchRing();
        this.unblocker = new CompletionRingUnblocker(completionRing);
        this.outcomes = parts.outcomes();
        this.latencyRecorder = latencyRecorder;
        this.uuidIndex = uuidIndex;
        this.counters = counters;
        this.clock = parts.clock();
        this.unblockPatienceNanos = unblockPatienceNanos;
    }

    /**
     * @param sink  receives each outcome.
     * @param limit the most outcomes to drain.
     * @return outcomes delivered, {@link Errno#EBUSY} when called from inside a drain's sink, or
     * {@link Errno#EUCLEAN} when the completion ring's positions are corrupted.
     */
    public int drain(final OutcomeSink sink, final int limit)
    {
        Objects.requireNonNull(sink, "sink");
        if (this.sink != null)
        {
            return Errno.EBUSY; // re-entrant: the outer drain still holds the record it delivers
        }
        this.sink = sink;
        delivered = 0;
        // One clock read per drain, not per outcome: each outcome's latency runs from its dispatch
        // to the start of the drain that delivers it, which is when the host looked.
        drainStartNanos = System.nanoTime();
        try
        {
            final int read = completionRing.read(onRecord, limit);
            if (read == CompletionRing.CORRUPTED)
            {
                return Errno.EUCLEAN; // the ring's positions are ones no producer or consumer writes
            }
            // A publisher that died between claim and commit blocks the ring; after the patience (the
            // completion timeout, at least a second) it is presumed dead, and its record is
            // committed or skipped.
            if (read == 0 &&
                unblocker.unblockIfStalled(outcomes, unblockPatienceNanos) != CompletionRingUnblocker.NOT_BLOCKED)
            {
                unblockedRecordCount.incrementAndGet();
            }
            // A drain that found nothing also looks at the dispatch ring's head: a cell a producer
            // took and died before marking stops the handlers and names no one a reaper could find,
            // so the host commits it once found so for the patience. Handlers asleep find it at their
            // next look (a native wait looks at least every 250 ms).
            if (read == 0 && delivered == 0)
            {
                dispatchRing.unblockUnmarked(CompletionRingDescriptor.UNBLOCK_PATIENCE_MIN_NANOS);
            }
            clock.afterDrain(drainStartNanos, delivered);
            return delivered;
        }
        finally
        {
            // Whatever the sink threw, the slots this drain freed past what its thread's magazine
            // keeps go back on the list together.
            slab.endDrain();
            latencyRecorder.endDrainRun();
            this.sink = null;
        }
    }

    private void onRecord(final int type, final MemorySegment records, final long body, final int bodyLength)
    {
        final long handle = OutcomePublisher.recordHandle(records, body);
        final int block = bodyLength < BODY_LENGTH ? 0 : OutcomePublisher.recordResultBlock(records, body);
        if (bodyLength < BODY_LENGTH || (block != 0 && bodyLength < BLOCK_BODY_LENGTH) ||
            !outcomes.reportsOutcome(handle, type) || (block != 0 && !resultBlocks.ownedBy(block, handle)))
        {
            // Only a writer outside this protocol produces such a record (or names a block it never
            // took); count it and move on: libbaton's reaper settles its event (orphaned_outcomes.c).
            rejectedRecordCount.incrementAndGet();
            return;
        }
        final long slot = slab.slotOffset(Handles.index(handle));
        // 0 for an event dispatched after the drain began (by another thread) and already completed
        final long latency = Math.max(0, drainStartNanos - SlotFields.dispatchedAtPlain(memory, slot));
        final int endState = OutcomePublisher.endState(type);
        final int status = OutcomePublisher.recordStatus(records, body);
        if (block == 0)
        {
            sink.onOutcome(
                slot, handle, endState == TIMED_OUT, status, body + RESULT_OFFSET, bodyLength - BODY_LENGTH, latency);
        }
        else
        {
            deliverBlockResult(slot, handle, endState, status, records, body, block, latency);
        }
        // A sink that throws leaves the outcome where it is: the slot is not freed and the ring
        // delivers the record again on the next drain, so no outcome is lost.
        settle(slot, handle, endState, block, latency);
    }

    /**
     * Delivers an outcome whose result is in a block. The block's bytes were written before the
     * commit the ring's read acquired, and its stamp names this event. A length another process
     * scribbled on gives an empty result, never a read outside the block.
     */
    private void deliverBlockResult(
        final long slot,
        final long handle,
        final int endState,
        final int status,
        final MemorySegment records,
        final long body,
        final int block,
        final long latency)
    {
        final long written = OutcomePublisher.recordBlockResultLength(records, body);
        final int room = resultBlocks.size(block);
        sink.onOutcome(
            slot, handle, endState == TIMED_OUT, status, resultBlocks.offset(block), written <= room ? (int)written : 0,
            latency);
    }

    /** After its delivery, frees an outcome's slot and result block, and counts it. */
    private void settle(final long slot, final long handle, final int endState, final int block, final long latency)
    {
        delivered++;
        ChannelCounters.increment(counters == null ? null : counters.drained);
        if (uuidIndex != null)
        {
            uuidIndex.remove(
                new UUID(SlotFields.eventIdHiPlain(memory, slot), SlotFields.eventIdLoPlain(memory, slot)), handle);
        }
        slab.freeOwned(handle); // into this thread's magazine (SlotMagazines)
        if (block != 0)
        {
            resultBlocks.release(block);
        }
        if (endState == TIMED_OUT)
        {
            timedOutCount.setRelease(timedOutCount.getPlain() + 1);
        }
        else
        {
            latencyRecorder.recordFromDrain(latency);
            completedCount.setRelease(completedCount.getPlain() + 1);
        }
    }

    /**
     * As the attachment leaves a channel others go on using: pushes back the slots in this process's
     * magazines that the calling thread may touch (its own, and those of ended threads). Another
     * owner may be dispatching from its magazine still: it is asked, and its slots stay FREE and off
     * the list for an adopter's audit unless it calls again. Not from inside a drain's sink.
     */
    public void returnKeptSlots()
    {
        if (sink == null)
        {
            slab.returnMagazines();
        }
    }

    /**
     * Waits until an outcome is ready to drain, first clearing the channel's cached clock: while the
     * host waits, dispatches read the clock.
     *
     * @return 1 when an outcome is ready, 0 after the timeout, {@link Errno#ESHUTDOWN} once closed.
     */
    public int awaitOutcomes(final ChannelLifecycle lifecycle, final long timeoutNanos, final IdleStrategy idle)
    {
        clock.clear();
        return lifecycle.awaitOutcomes(completionRing::hasReady, timeoutNanos, idle);
    }

    public long completedCount()
    {
        return completedCount.getAcquire();
    }

    public long timedOutCount()
    {
        return timedOutCount.getAcquire();
    }

    public long rejectedRecordCount()
    {
        return rejectedRecordCount.get();
    }

    public long unblockedRecordCount()
    {
        return unblockedRecordCount.get();
    }
}
