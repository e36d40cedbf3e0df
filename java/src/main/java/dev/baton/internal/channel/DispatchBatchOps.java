package dev.baton.internal.channel;

import java.lang.foreign.MemorySegment;

import dev.baton.internal.layout.Errno;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.DispatchRing;
import dev.baton.internal.protocol.Slab;
import dev.baton.internal.protocol.SlotFields;

/**
 * Dispatches batches: the steps of {@link DispatchOps} taken a run at a time, with one pop of the
 * free list, one claim of dispatch-ring cells and one read of the cached clock per run, and one
 * wake-up of the handlers per batch. Any number of threads, each with its own batch; lock-free. The
 * C twin is {@code baton_dispatch_batch} in {@code native/dispatch_ops.c}.
 */
public final class DispatchBatchOps
{
    private final DispatchOps ops;
    private final MemorySegment memory;
    private final Slab slab;
    private final DispatchRing dispatchRing;
    private final ChannelLifecycle lifecycle;

    public DispatchBatchOps(final DispatchOps ops, final ChannelMemory parts, final ChannelLifecycle lifecycle)
    {
        this.ops = ops;
        this.memory = parts.memory();
        this.slab = parts.slab();
        this.dispatchRing = parts.dispatchRing();
        this.lifecycle = lifecycle;
    }

    /**
     * Dispatches entries {@code from} to {@code to} of a batch in order, each as
     * {@link DispatchOps#dispatch} does, with one pop of the free list per run, with one read of the
     * cached clock, one claim of ring cells per run of up to {@code entries.positions().length}
     * events, and one wake-up of the handlers for the batch. Stops at the first entry that cannot be
     * dispatched, whose handle is then why ({@link Errno#EAGAIN}, {@link Errno#ENOSPC}). Never waits.
     * The C twin is {@code baton_dispatch_batch}.
     *
     * @return the number dispatched.
     * @throws IllegalArgumentException if a payload is longer than the channel's largest (nothing is
     *                                  dispatched then).
     */
    public int dispatchBatch(final DispatchEntries entries, final int from, final int to)
    {
        lifecycle.ensureOpen();
        for (int i = from; i < to; i++)
        {
            ops.checkPayloadLength(entries.payload(i).byteSize());
        }
        final long now = ops.dispatchTime();
        final long[] rooms = entries.rooms();
        final int[] slots = entries.slots();
        int next = from;
        long refusal = 0;
        while (next < to && refusal == 0)
        {
            // The slots kept for this thread, or one pop of the free list for the run; fewer slots than
            // wanted, and the loop asks again.
            final int popped = ops.takeSlots(slots, Math.min(to - next, rooms.length));
            int taken = 0;
            while (taken < popped && (rooms[taken] = writeEvent(entries, next + taken, slots[taken], now)) >= 0)
            {
                taken++;
            }
            if (taken < popped)
            {
                slab.releaseRun(slots, taken, popped - taken); // no block for the payload of entry taken
            }
            refusal = popped == 0 ? ops.noSlot() : taken < popped ? rooms[taken] : 0;
            final int published = publishRun(entries, next, taken);
            if (published < taken)
            {
                refusal = Errno.ENOSPC;
            }
            next += published;
        }
        if (next > from)
        {
            lifecycle.afterDispatch(); // once, after the batch's last commit
        }
        if (refusal != 0)
        {
            entries.handle(next, ops.noRoom(refusal));
        }
        return next - from;
    }

    private long writeEvent(final DispatchEntries entries, final int i, final int index, final long now)
    {
        final MemorySegment payload = entries.payload(i);
        final long room = ops.writeEvent(
            index, entries.eventIdHi(i), entries.eventIdLo(i), entries.correlationIdHi(i), entries.correlationIdLo(i),
            entries.kind(i), entries.traceIdHi(i), entries.traceIdLo(i), entries.parentSpanId(i), entries.traceFlags(i),
            payload, payload.byteSize(), now);
        if (room >= 0)
        {
            SlotFields.carryRedeliveries(memory, slab.slotOffset(index), entries.redeliveries(i));
        }
        return room;
    }

    /**
     * Publishes {@code count} filled rooms of a batch, from entry {@code first}: in one run claim when
     * the ring has room for all of them, else one cell at a time (with the repairs of a full ring).
     *
     * @return the number published; the rooms after it go back to the slab (the ring is full).
     */
    private int publishRun(final DispatchEntries entries, final int first, final int count)
    {
        final long[] rooms = entries.rooms();
        final long[] positions = entries.positions();
        final int claimed = dispatchRing.claimRun(count, positions);
        int published = 0;
        for (; published < count; published++)
        {
            final long position = published < claimed ? positions[published] : ops.claimCell();
            if (position < 0)
            {
                break;
            }
            final int entry = first + published;
            entries.handle(entry, ops.publishUnsignalled(
                (int)rooms[published], position, entries.eventIdHi(entry), entries.eventIdLo(entry)));
        }
        for (int unpublished = published; unpublished < count; unpublished++)
        {
            slab.release((int)rooms[unpublished]);
        }
        return published;
    }
}
