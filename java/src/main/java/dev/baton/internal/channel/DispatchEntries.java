package dev.baton.internal.channel;

import java.lang.foreign.MemorySegment;

/**
 * The events of a dispatch batch as {@link DispatchBatchOps#dispatchBatch} reads them, where it writes
 * each one's handle, and the scratch it works in: the public {@code DispatchBatch} is the one
 * implementation, so the calls inline.
 */
public interface DispatchEntries
{
    long eventIdHi(int entry);

    long eventIdLo(int entry);

    long correlationIdHi(int entry);

    long correlationIdLo(int entry);

    int kind(int entry);

    MemorySegment payload(int entry);

    long traceIdHi(int entry);

    long traceIdLo(int entry);

    long parentSpanId(int entry);

    int traceFlags(int entry);

    /**
     * @return the redeliveries the event carries from another channel, 0 for a new event: baton.h's
     * uint32_t, in an int's bits.
     */
    int redeliveries(int entry);

    /** Records an entry's handle, or why it was not dispatched (negative). */
    void handle(int entry, long handle);

    /** @return scratch for the rooms of one run; its length is the most events a run claims. */
    long[] rooms();

    /** @return scratch for the slots popped for one run, as long as {@link #rooms()}. */
    int[] slots();

    /** @return scratch for the ring positions of one run, as long as {@link #rooms()}. */
    long[] positions();
}
