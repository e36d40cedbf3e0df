package dev.baton.internal.channel;

import java.lang.foreign.MemorySegment;

/**
 * The outcomes of a completion batch as {@link CompletionBatchOps#completeBatch} reads them, and where it
 * writes each one's code: the public {@code CompletionBatch} is the one implementation, so the
 * calls inline.
 */
public interface CompletionEntries
{
    long handle(int entry);

    int status(int entry);

    MemorySegment result(int entry);

    long handlerSpanId(int entry);

    /** Records an entry's code: OK, or why it was refused. */
    void code(int entry, int code);

    /** @return scratch for the result lengths of one run of records claimed together. */
    int[] runLengths();

    /** @return scratch for the record bodies of one run, as long as {@link #runLengths()}. */
    long[] runBodies();
}
