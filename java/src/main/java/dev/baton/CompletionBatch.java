package dev.baton;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;

import dev.baton.internal.channel.CompletionEntries;

/**
 * Outcomes of polled events to complete in one call ({@link Poller#completeBatch(CompletionBatch)}),
 * and what became of each: the C twin is {@code baton_complete_batch} with its array of
 * {@code baton_completion}. Add up to {@link #capacity()} outcomes, complete them, read each one's
 * {@link #code(int)}, then {@link #clear()} and reuse it: it allocates nothing after construction. It
 * holds the result segments it is given, not copies, until they are completed. Not thread-safe: one
 * batch per handler thread.
 */
public final class CompletionBatch
{
    /** The most outcomes whose records one claim of the completion ring takes (C: BATON_COMPLETION_RUN). */
    private static final int RUN = 64;

    private final long[] handles;
    private final long[] handlerSpanIds;
    private final int[] statuses;
    private final int[] codes;
    private final MemorySegment[] results;
    private final Entries entries;
    private int size;

    /**
     * @param capacity the most outcomes the batch holds.
     * @throws IllegalArgumentException if capacity is not positive.
     */
    public CompletionBatch(final int capacity)
    {
        if (capacity <= 0)
        {
            throw new IllegalArgumentException("a batch holds at least one outcome, not " + capacity);
        }
        handles = new long[capacity];
        handlerSpanIds = new long[capacity];
        statuses = new int[capacity];
        codes = new int[capacity];
        results = new MemorySegment[capacity];
        entries = new Entries(); // after the arrays it sizes its scratch by
    }

    /** @return the most outcomes the batch holds. */
    public int capacity()
    {
        return handles.length;
    }

    /** @return the outcomes added since the last {@link #clear()}. */
    public int size()
    {
        return size;
    }

    /** Empties the batch for reuse, letting go of its result segments. */
    public void clear()
    {
        Arrays.fill(results, 0, size, null);
        size = 0;
    }

    /**
     * Adds an outcome, as {@link Poller#complete(long, int, MemorySegment)} takes it.
     *
     * @return this batch.
     * @throws IllegalStateException if the batch is full.
     * @throws NullPointerException  if result is null.
     */
    public CompletionBatch add(final long handle, final int status, final MemorySegment result)
    {
        return add(handle, status, result, 0);
    }

    /**
     * Adds an outcome naming the handler's span, as
     * {@link Poller#complete(long, int, MemorySegment, long)} takes it.
     *
     * @return this batch.
     * @throws IllegalStateException if the batch is full.
     * @throws NullPointerException  if result is null.
     */
    public CompletionBatch add(final long handle, final int status, final MemorySegment result, final long handlerSpanId)
    {
        Objects.requireNonNull(result, "result");
        if (size == handles.length)
        {
            throw new IllegalStateException("the batch is full: " + size + " outcomes");
        }
        final int entry = size++;
        handles[entry] = handle;
        statuses[entry] = status;
        results[entry] = result;
        handlerSpanIds[entry] = handlerSpanId;
        codes[entry] = ErrorCode.OK;
        return this;
    }

    /**
     * @param entry an outcome's place in the batch, in the order added.
     * @return after a completion: {@link ErrorCode#OK}, or why that entry was refused (as
     * {@link Poller#complete(long, int, MemorySegment)} returns it); {@link ErrorCode#ENOBUFS} for
     * the entry a partial batch stopped at.
     */
    public int code(final int entry)
    {
        Objects.checkIndex(entry, size);
        return codes[entry];
    }

    /** @return the entries as the completion reads them. */
    CompletionEntries entries()
    {
        return entries;
    }

    /** The batch as {@code HandlerOps} reads it; not part of the API. */
    private final class Entries implements CompletionEntries
    {
        private final int[] runLengths = new int[Math.min(RUN, handles.length)];
        private final long[] runBodies = new long[runLengths.length];

        @Override
        public long handle(final int entry)
        {
            return handles[entry];
        }

        @Override
        public int status(final int entry)
        {
            return statuses[entry];
        }

        @Override
        public MemorySegment result(final int entry)
        {
            return results[entry];
        }

        @Override
        public long handlerSpanId(final int entry)
        {
            return handlerSpanIds[entry];
        }

        @Override
        public void code(final int entry, final int code)
        {
            codes[entry] = code;
        }

        @Override
        public int[] runLengths()
        {
            return runLengths;
        }

        @Override
        public long[] runBodies()
        {
            return runBodies;
        }
    }
}
