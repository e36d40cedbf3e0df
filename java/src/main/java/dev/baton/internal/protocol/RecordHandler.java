package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;

import dev.baton.internal.layout.CompletionRingDescriptor;

/** Receives the committed records a {@link CompletionRing} reads. The body is valid only during the call. */
@FunctionalInterface
public interface RecordHandler
{
    /**
     * @param type       the record type (never {@link CompletionRingDescriptor#PADDING}).
     * @param memory     the channel memory.
     * @param bodyOffset offset of the body in {@code memory}.
     * @param bodyLength body bytes.
     */
    void onRecord(int type, MemorySegment memory, long bodyOffset, int bodyLength);
}
