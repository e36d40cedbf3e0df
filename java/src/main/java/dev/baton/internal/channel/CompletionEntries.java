package dev.baton.internal.channel;

import java.lang.foreign.MemorySegment;

/**
 * The outcomes of a completion batch as {@link HandlerOps#completeBatch} reads them, and where it
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
}
