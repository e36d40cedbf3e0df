package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;

/**
 * Decides a record left in progress at a {@link CompletionRing}'s head by a producer presumed dead.
 * The C twin is the judge that {@code baton__completion_ring_unblock} takes.
 */
@FunctionalInterface
public interface AbandonedRecordJudge
{
    /**
     * @param type       the record type the producer claimed.
     * @param memory     the channel memory.
     * @param bodyOffset offset of the body in {@code memory}.
     * @param bodyLength body bytes.
     * @return whether the producer got far enough that its record must be committed as written;
     * otherwise it becomes padding.
     */
    boolean mustCommit(int type, MemorySegment memory, long bodyOffset, int bodyLength);
}
