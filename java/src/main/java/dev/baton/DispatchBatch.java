package dev.baton;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

import dev.baton.internal.channel.DispatchEntries;

/**
 * Events to dispatch in one call ({@link Dispatcher#dispatch(DispatchBatch)}), and what became of
 * each: the C twin is {@code baton_dispatch_batch} with its array of {@code baton_dispatch_entry}.
 * Add up to {@link #capacity()} events, dispatch, read each one's {@link #handle(int)}, then
 * {@link #clear()} and reuse it: it allocates nothing after construction. It holds the payload
 * segments it is given, not copies, until they are dispatched. Not thread-safe: one batch per
 * dispatching thread.
 */
public final class DispatchBatch
{
    /** The most events one claim of dispatch-ring cells takes; a larger batch claims in runs of this many. */
    private static final int RUN = 64;

    private final long[] ids;
    private final long[] traces;
    private final int[] kinds;
    private final int[] traceFlags;
    private final int[] redeliveries;
    private final MemorySegment[] payloads;
    private final long[] handles;
    private final Entries entries;
    private int size;

    /**
     * @param capacity the most events the batch holds.
     * @throws IllegalArgumentException if capacity is not positive.
     */
    public DispatchBatch(final int capacity)
    {
        if (capacity <= 0)
        {
            throw new IllegalArgumentException("a batch holds at least one event, not " + capacity);
        }
        ids = new long[4 * capacity];
        traces = new long[3 * capacity];
        kinds = new int[capacity];
        traceFlags = new int[capacity];
        redeliveries = new int[capacity];
        payloads = new MemorySegment[capacity];
        handles = new long[capacity];
        entries = new Entries(); // after the arrays it reads
    }

    /** @return the most events the batch holds. */
    public int capacity()
    {
        return kinds.length;
    }

    /** @return the events added since the last {@link #clear()}. */
    public int size()
    {
        return size;
    }

    /** Empties the batch for reuse, letting go of its payload segments. */
    public void clear()
    {
        Arrays.fill(payloads, 0, size, null);
        size = 0;
    }

    /**
     * Adds an event, as {@link Dispatcher#dispatch(long, long, long, long, int, MemorySegment)} takes
     * it.
     *
     * @return this batch.
     * @throws IllegalStateException if the batch is full.
     * @throws NullPointerException  if payload is null.
     */
    public DispatchBatch add(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final MemorySegment payload)
    {
        return add(eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, kind, payload, TraceContext.NONE);
    }

    /**
     * Adds an event with its trace context, as
     * {@link Dispatcher#dispatch(long, long, long, long, int, MemorySegment, TraceContext)} takes it.
     *
     * @return this batch.
     * @throws IllegalStateException if the batch is full.
     * @throws NullPointerException  if payload or trace is null.
     */
    public DispatchBatch add(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final MemorySegment payload,
        final TraceContext trace)
    {
        return add(eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, kind, payload,
            trace.traceIdHi(), trace.traceIdLo(), trace.spanId(), trace.flags(), 0);
    }

    /**
     * Adds an event with its trace context as numbers and the redeliveries it carries, as C's
     * {@code baton_dispatch_entry} holds them: for a bridge that carries an event from another
     * channel, where it was already dispatched again after its handler died. Its handler here reads
     * that count ({@link SlotView#redeliveries()}), and this channel's
     * {@link DispatchChannel#redeliveryLimit() redelivery limit} counts it too. Nothing is allocated.
     *
     * @param traceIdHi    the trace id's most significant bits; with {@code traceIdLo} 0 for none.
     * @param traceIdLo    the trace id's least significant bits.
     * @param parentSpanId the span the event was dispatched in.
     * @param traceFlags   the W3C trace flags.
     * @param redeliveries 0 for a new event; else how often it was dispatched again elsewhere, up to
     *                     {@link DispatchChannel#MAX_COUNT}.
     * @return this batch.
     * @throws IllegalStateException    if the batch is full.
     * @throws NullPointerException     if payload is null.
     * @throws IllegalArgumentException if the trace flags are more than one byte, or redeliveries is
     *                                  negative or above {@link DispatchChannel#MAX_COUNT}.
     */
    public DispatchBatch add(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final MemorySegment payload,
        final long traceIdHi,
        final long traceIdLo,
        final long parentSpanId,
        final int traceFlags,
        final long redeliveries)
    {
        Objects.requireNonNull(payload, "payload");
        TraceContext.checkFlags(traceFlags);
        DispatchChannel.checkCount("redeliveries", redeliveries, 0);
        if (size == kinds.length)
        {
            throw new IllegalStateException("the batch is full: " + size + " events");
        }
        final int entry = size++;
        ids[4 * entry] = eventIdHi;
        ids[4 * entry + 1] = eventIdLo;
        ids[4 * entry + 2] = correlationIdHi;
        ids[4 * entry + 3] = correlationIdLo;
        traces[3 * entry] = traceIdHi;
        traces[3 * entry + 1] = traceIdLo;
        traces[3 * entry + 2] = parentSpanId;
        this.traceFlags[entry] = traceFlags;
        this.redeliveries[entry] = (int)redeliveries; // baton.h's uint32_t, in an int's bits
        kinds[entry] = kind;
        payloads[entry] = payload;
        handles[entry] = 0;
        return this;
    }

    /**
     * @param entry an event's place in the batch, in the order added.
     * @return after a dispatch: its handle (positive); for the entry a partial dispatch stopped at,
     * why ({@link ErrorCode#EAGAIN}, {@link ErrorCode#ENOSPC}); 0 for an entry not reached.
     */
    public long handle(final int entry)
    {
        Objects.checkIndex(entry, size);
        return handles[entry];
    }

    /** @return the entries as the dispatch reads them. */
    DispatchEntries entries()
    {
        return entries;
    }

    /** The batch as {@code DispatchOps} reads it; not part of the API. */
    private final class Entries implements DispatchEntries
    {
        private final long[] rooms = new long[Math.min(RUN, kinds.length)];
        private final long[] positions = new long[rooms.length];
        private final int[] slots = new int[rooms.length];

        @Override
        public long eventIdHi(final int entry)
        {
            return ids[4 * entry];
        }

        @Override
        public long eventIdLo(final int entry)
        {
            return ids[4 * entry + 1];
        }

        @Override
        public long correlationIdHi(final int entry)
        {
            return ids[4 * entry + 2];
        }

        @Override
        public long correlationIdLo(final int entry)
        {
            return ids[4 * entry + 3];
        }

        @Override
        public int kind(final int entry)
        {
            return kinds[entry];
        }

        @Override
        public MemorySegment payload(final int entry)
        {
            return payloads[entry];
        }

        @Override
        public long traceIdHi(final int entry)
        {
            return traces[3 * entry];
        }

        @Override
        public long traceIdLo(final int entry)
        {
            return traces[3 * entry + 1];
        }

        @Override
        public long parentSpanId(final int entry)
        {
            return traces[3 * entry + 2];
        }

        @Override
        public int traceFlags(final int entry)
        {
            return traceFlags[entry];
        }

        @Override
        public int redeliveries(final int entry)
        {
            return redeliveries[entry];
        }

        @Override
        public void handle(final int entry, final long handle)
        {
            handles[entry] = handle;
        }

        @Override
        public long[] rooms()
        {
            return rooms;
        }

        @Override
        public int[] slots()
        {
            return slots;
        }

        @Override
        public long[] positions()
        {
            return positions;
        }
    }
}
