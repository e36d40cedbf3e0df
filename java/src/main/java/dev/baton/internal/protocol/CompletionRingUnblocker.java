package dev.baton.internal.protocol;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import dev.baton.internal.layout.CompletionRingDescriptor;

import static dev.baton.internal.layout.CompletionRingDescriptor.PADDING;
import static dev.baton.internal.layout.CompletionRingDescriptor.RECORD_ALIGNMENT;
import static dev.baton.internal.layout.CompletionRingDescriptor.RECORD_HEADER_LENGTH;
import static dev.baton.internal.layout.CompletionRingDescriptor.lengthCorrupted;
import static dev.baton.internal.layout.CompletionRingDescriptor.makeHeader;
import static dev.baton.internal.layout.CompletionRingDescriptor.recordLength;
import static dev.baton.internal.layout.CompletionRingDescriptor.recordType;

/**
 * Frees a completion ring's reader from a producer that died between claim and commit, as Agrona's
 * {@code unblock} does: the mechanism. When to presume a producer dead (the patience, and the judge
 * that knows whether its attachment is gone) is the caller's policy, the host's drain. The rule is
 * drawn once in {@code include/baton.h} (completion ring). Reader only; the C twin is the unblock of
 * {@code native/completion_ring.c}.
 */
public final class CompletionRingUnblocker
{
    /** {@link #unblock}: the head record was not abandoned (or a producer finished it meanwhile). */
    public static final int NOT_BLOCKED = 0;
    /** {@link #unblock}: the abandoned record was committed as its producer wrote it. */
    public static final int UNBLOCKED_BY_COMMIT = 1;
    /** {@link #unblock}: the abandoned record (or unwritten claims) became padding. */
    public static final int UNBLOCKED_BY_PADDING = 2;
    /** The longest the reader waits on zeroes at the head before padding them (C: the same). */
    static final long UNWRITTEN_CLAIM_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final VarHandle TAIL_POSITION = CompletionRingDescriptor.TAIL_POSITION;
    private static final VarHandle HEAD_POSITION = CompletionRingDescriptor.HEAD_POSITION;
    private static final VarHandle RECORD_HEADER = CompletionRingDescriptor.RECORD_HEADER;

    private final CompletionRing ring;
    private long blockedHead = -1L;
    private long blockedSinceNanos;

    /** @param ring the ring whose reader this unblocker serves. */
    public CompletionRingUnblocker(final CompletionRing ring)
    {
        this.ring = ring;
    }

    /**
     * Frees the consumer from a record whose producer died between claim and commit. Consumer only.
     * Like Agrona's {@code unblock}, it presumes the producer dead, but only where that is known: by
     * the judge (the producer's attachment is gone), or once {@code head_position} has not moved for
     * far longer than any producer holds a claim ({@code patienceElapsed}; a publish holds one for
     * well under a microsecond). A producer that wakes after its record was unblocked finds a
     * positive length in commit or abort and leaves the record alone.
     *
     * <ul>
     *   <li>A header in progress (negative length): the judge decides; the record waits, is committed
     *   as written, or is turned into padding.</li>
     *   <li>A zero header: the producer died between moving {@code tail_position} and writing its
     *   header, and nothing names it. Once the head has been blocked for the gap patience (the
     *   patience, at most {@link #UNWRITTEN_CLAIM_PATIENCE_NANOS}: those two steps are adjacent, and
     *   no completion timeout makes a living producer pause between them), the zeroes up to the next
     *   written header (or to the end of the area, when the claims run past it) become one padding
     *   record.</li>
     * </ul>
     * Both changes are a CAS from the header read, so a producer that finishes first wins.
     *
     * @param judge              decides an in-progress record.
     * @param patienceElapsed    whether the head has been blocked for longer than the patience.
     * @param gapPatienceElapsed whether it has been blocked for longer than the gap patience.
     * @return {@link #NOT_BLOCKED}, {@link #UNBLOCKED_BY_COMMIT} or {@link #UNBLOCKED_BY_PADDING}.
     */
    public int unblock(final AbandonedRecordJudge judge, final boolean patienceElapsed, final boolean gapPatienceElapsed)
    {
        final long head = (long)HEAD_POSITION.get(ring.memory(), ring.trailerOffset()); // plain: only we write it
        final long claimed = ring.inUse(head, (long)TAIL_POSITION.getVolatile(ring.memory(), ring.trailerOffset()));
        if (claimed <= 0)
        {
            return NOT_BLOCKED; // empty, or positions no producer or consumer writes
        }
        final int headIndex = (int)head & (ring.capacity() - 1);
        final long record = ring.ringOffset() + headIndex;
        // acquire: pairs with the producer's release of the in-progress header; with the judge's own
        // acquire of the state the producer moved, the body it wrote before that move is visible.
        final long header = (long)RECORD_HEADER.getAcquire(ring.memory(), record);
        final int length = recordLength(header);
        if (length < 0)
        {
            if (lengthCorrupted(length, ring.capacity() - headIndex))
            {
                return NOT_BLOCKED; // a corrupted header: only a writer outside this protocol makes one
            }
            final int type = recordType(header) & CompletionRing.TYPE_MASK;
            final int publisher = recordType(header) >>> CompletionRing.PUBLISHER_SHIFT;
            final int verdict = judge.judge(
                type, publisher, ring.memory(), record + RECORD_HEADER_LENGTH, -length - RECORD_HEADER_LENGTH, patienceElapsed);
            if (verdict == AbandonedRecordJudge.WAIT)
            {
                return NOT_BLOCKED;
            }
            final boolean commit = verdict == AbandonedRecordJudge.COMMIT;
            // CAS (volatile): the producer's own commit or abort, if it lives, wins or loses as a whole.
            final boolean unblocked = RECORD_HEADER.compareAndSet(
                ring.memory(), record, header, makeHeader(-length, commit ? type : PADDING));
            return !unblocked ? NOT_BLOCKED : commit ? UNBLOCKED_BY_COMMIT : UNBLOCKED_BY_PADDING;
        }
        if (length == 0 && gapPatienceElapsed)
        {
            final int gap = unwrittenClaims(headIndex, claimed);
            // CAS (volatile) from zero: a producer that writes its header first keeps its record.
            if (gap > 0 && RECORD_HEADER.compareAndSet(ring.memory(), record, 0L, makeHeader(gap, PADDING)))
            {
                return UNBLOCKED_BY_PADDING;
            }
        }
        return NOT_BLOCKED;
    }

    /**
     * Unblocks the ring when the consumer finds the same head blocked a second time and the judge
     * knows its producer gone, or once it has been blocked for longer than {@code patienceNanos}.
     * Consumer only; call it when a read returned nothing. Allocation-free.
     *
     * @param judge         decides an in-progress record.
     * @param patienceNanos how long a claim may hold the head before its producer is presumed dead.
     * @return as {@link #unblock}.
     */
    public int unblockIfStalled(final AbandonedRecordJudge judge, final long patienceNanos)
    {
        final long head = (long)HEAD_POSITION.get(ring.memory(), ring.trailerOffset()); // plain: only we write it
        if ((long)TAIL_POSITION.getVolatile(ring.memory(), ring.trailerOffset()) == head)
        {
            blockedHead = -1L;
            return NOT_BLOCKED;
        }
        final long now = System.nanoTime();
        if (head != blockedHead)
        {
            blockedHead = head;
            blockedSinceNanos = now;
            return NOT_BLOCKED;
        }
        final long blockedNanos = now - blockedSinceNanos;
        final boolean patienceElapsed = blockedNanos > patienceNanos;
        if (patienceElapsed)
        {
            blockedSinceNanos = now;
        }
        return unblock(judge, patienceElapsed, blockedNanos > Math.min(patienceNanos, UNWRITTEN_CLAIM_PATIENCE_NANOS));
    }

    /**
     * @return bytes of zeroes from the head up to the next written header, or to the end of the area
     * when the claims run past it; 0 when neither is in sight. Producers write a record's header
     * before its body, so the first non-zero word is a header.
     */
    private int unwrittenClaims(final int headIndex, final long claimed)
    {
        final int toEnd = ring.capacity() - headIndex;
        final int limit = (int)Math.min(toEnd, claimed);
        for (int gap = RECORD_ALIGNMENT; gap < limit; gap += RECORD_ALIGNMENT)
        {
            // acquire: a header written after our first look must be seen as written.
            if ((long)RECORD_HEADER.getAcquire(ring.memory(), ring.ringOffset() + headIndex + gap) != 0L)
            {
                return gap;
            }
        }
        return claimed >= toEnd ? toEnd : 0;
    }
}
