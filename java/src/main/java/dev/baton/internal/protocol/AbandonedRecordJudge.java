package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;

/**
 * Decides a record left in progress at a {@link CompletionRing}'s head. The C twin is the judge that
 * {@code baton__completion_ring_unblock} takes; {@link CompletionRingUnblocker} asks it.
 */
@FunctionalInterface
public interface AbandonedRecordJudge
{
    /** The producer may still finish the record: leave it. */
    int WAIT = -1;
    /** Turn the record into padding. */
    int PAD = 0;
    /** Commit the record as written. */
    int COMMIT = 1;

    /**
     * @param type            the record type the producer claimed.
     * @param publisher       the attachment tag its in-progress header names (0 for none).
     * @param memory          the channel memory.
     * @param bodyOffset      offset of the body in {@code memory}.
     * @param bodyLength      body bytes.
     * @param patienceElapsed whether the head has been blocked for longer than any living producer
     *                        holds a claim, so that the producer is presumed dead whatever else is known.
     * @return {@link #WAIT}, {@link #PAD} or {@link #COMMIT}.
     */
    int judge(int type, int publisher, MemorySegment memory, long bodyOffset, int bodyLength, boolean patienceElapsed);
}
