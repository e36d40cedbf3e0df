package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import dev.baton.internal.layout.CompletionRingDescriptor;

import static dev.baton.internal.layout.CompletionRingDescriptor.PADDING;
import static dev.baton.internal.layout.CompletionRingDescriptor.RECORD_ALIGNMENT;
import static dev.baton.internal.layout.CompletionRingDescriptor.RECORD_HEADER_LENGTH;
import static dev.baton.internal.layout.CompletionRingDescriptor.align;
import static dev.baton.internal.layout.CompletionRingDescriptor.makeHeader;
import static dev.baton.internal.layout.CompletionRingDescriptor.recordLength;
import static dev.baton.internal.layout.CompletionRingDescriptor.recordType;

/**
 * The completion ring: a many-to-one ring of variable-length records in the binary format of
 * Agrona's {@code ManyToOneRingBuffer}, so that Agrona (or Aeron's C {@code aeron_mpsc_rb}) can read
 * and write the same memory. The C twin is {@code native/completion_ring.c}.
 *
 * <p>Writing is two-phase: {@link #claim} reserves space and writes the record header with a
 * negative length, the caller writes the body, then {@link #commit} stores the positive length (or
 * {@link #abort} turns the record into padding). The single consumer {@link #read}s committed
 * records in order, zeroes what it consumed and releases the space by moving {@code head_position};
 * unlike Agrona's reader, one read continues past the wrap.
 *
 * <p>Progress: claiming is lock-free (a failed CAS on {@code tail_position} means another producer
 * claimed); commit and abort are wait-free; reading is wait-free but stops at the first record not
 * yet committed, so a producer preempted between claim and commit holds back the records behind it.
 * A producer that dies there would hold them back for ever: {@link #unblock} frees the consumer, as
 * Agrona's {@code unblock} does.
 */
public final class CompletionRing
{
    /** {@link #claim} and {@link #read}: the ring's positions are corrupted (C: BATON_EPROTO). */
    public static final int CORRUPTED = -2;
    /** {@link #unblock}: the head record was not abandoned (or a producer finished it meanwhile). */
    public static final int NOT_BLOCKED = 0;
    /** {@link #unblock}: the abandoned record was committed as its producer wrote it. */
    public static final int UNBLOCKED_BY_COMMIT = 1;
    /** {@link #unblock}: the abandoned record (or unwritten claims) became padding. */
    public static final int UNBLOCKED_BY_PADDING = 2;

    private static final VarHandle TAIL_POSITION = CompletionRingDescriptor.TAIL_POSITION;
    private static final VarHandle HEAD_CACHE_POSITION = CompletionRingDescriptor.HEAD_CACHE_POSITION;
    private static final VarHandle HEAD_POSITION = CompletionRingDescriptor.HEAD_POSITION;
    private static final VarHandle RECORD_HEADER = CompletionRingDescriptor.RECORD_HEADER;
    /** A record type fits 8 bits; while a record is in progress, the bits above name its publisher. */
    private static final int TYPE_MASK = 0xFF;
    private static final int PUBLISHER_SHIFT = 8;
    /** The longest the consumer waits on zeroes at the head before padding them (C: the same). */
    static final long UNWRITTEN_CLAIM_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final MemorySegment memory;
    private final long ringOffset;
    private final long trailerOffset;
    private final int capacity;
    private final int mask;
    private final int maxBodyLength;
    private final ChannelCounters counters;
    // Consumer only: the head position the consumer last found blocked, and since when.
    private long blockedHead = -1L;
    private long blockedSinceNanos;

    public CompletionRing(final MemorySegment memory, final long ringOffset, final int capacity)
    {
        this(memory, ringOffset, capacity, null);
    }

    public CompletionRing(final MemorySegment memory, final long ringOffset, final int capacity, final ChannelCounters counters)
    {
        this.counters = counters;
        this.memory = memory;
        this.ringOffset = ringOffset;
        this.trailerOffset = ringOffset + capacity;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxBodyLength = CompletionRingDescriptor.maxBodyLength(capacity);
    }

    /** Zeroes the record area and the trailer: empty, positions 0. */
    public void format()
    {
        memory.asSlice(ringOffset, capacity + CompletionRingDescriptor.TRAILER_LENGTH).fill((byte)0);
    }

    public int capacity()
    {
        return capacity;
    }

    public int maxBodyLength()
    {
        return maxBodyLength;
    }

    /**
     * Reserves space for a record and marks it in progress. Lock-free.
     *
     * @param type       record type, at least 1.
     * @param bodyLength body bytes, at most {@link #maxBodyLength()}.
     * @return offset of the body in the channel memory, -1 when the ring has no room, or
     * {@link #CORRUPTED} when its positions are ones no producer or consumer writes.
     */
    public long claim(final int type, final int bodyLength)
    {
        return claim(type, bodyLength, 0);
    }

    /**
     * As {@link #claim(int, int)}, naming the record's publisher in the upper 24 bits of the
     * in-progress header's type, written in the same store as the header: no record is ever in
     * progress without it.
     *
     * @param type       the record type, below 256.
     * @param bodyLength body bytes.
     * @param publisher  the publisher's attachment tag, below 2^24; 0 for none.
     * @return as {@link #claim(int, int)}.
     */
    public long claim(final int type, final int bodyLength, final int publisher)
    {
        final int recordLength = bodyLength + RECORD_HEADER_LENGTH;
        final int recordIndex = claimCapacity(align(recordLength));
        if (recordIndex < 0)
        {
            return recordIndex;
        }
        final long record = ringOffset + recordIndex;
        // release: the consumer zeroed this space and then released head_position, which
        // claimCapacity acquired; the negative length tells the consumer to stop here.
        RECORD_HEADER.setRelease(memory, record, makeHeader(-recordLength, type | publisher << PUBLISHER_SHIFT));
        return record + RECORD_HEADER_LENGTH;
    }

    /**
     * Makes a claimed record visible to the consumer. Wait-free.
     *
     * @param bodyOffset from {@link #claim}.
     */
    public void commit(final long bodyOffset)
    {
        finish(bodyOffset, false);
    }

    /**
     * Turns a claimed record into padding that the consumer skips. Wait-free.
     *
     * @param bodyOffset from {@link #claim}.
     */
    public void abort(final long bodyOffset)
    {
        finish(bodyOffset, true);
    }

    /**
     * Ends a claimed record: its header becomes the committed (or padding) header of its length,
     * unless the consumer unblocked it after presuming its producer dead; then it stays as the
     * consumer decided.
     */
    private void finish(final long bodyOffset, final boolean padding)
    {
        final long record = bodyOffset - RECORD_HEADER_LENGTH;
        // opaque: our own store, unless the consumer unblocked the record meanwhile.
        final long inProgress = (long)RECORD_HEADER.getOpaque(memory, record);
        final int length = recordLength(inProgress);
        if (length < 0)
        {
            final int type = padding ? PADDING : recordType(inProgress) & TYPE_MASK;
            // CAS (volatile, so release): the body is visible before the positive length, to the
            // consumer's acquire of the header; from the value read, so an unblock that came first
            // keeps its decision.
            RECORD_HEADER.compareAndSet(memory, record, inProgress, makeHeader(-length, type));
        }
    }

    /**
     * Reads committed records in order. Single consumer only. If the handler throws, the records
     * before it are consumed and the one it threw on is not: the next read delivers it again.
     *
     * @param handler receives each record.
     * @param limit   the most records to read.
     * @return records read (padding excluded), or {@link #CORRUPTED} when the head position is one no
     * consumer writes.
     */
    public int read(final RecordHandler handler, final int limit)
    {
        final long head = (long)HEAD_POSITION.get(memory, trailerOffset); // plain: only we write it
        if (!aligned(head))
        {
            return CORRUPTED;
        }
        int records = readContiguous(head, handler, limit);
        final long next = (long)HEAD_POSITION.get(memory, trailerOffset);
        // A block that ran to the end of the area (often on a padding record) leaves the records
        // after the wrap to a second block, so a call never reports 0 while records wait at index 0.
        if (records < limit && ((int)head & mask) != 0 && ((int)next & mask) == 0)
        {
            records += readContiguous(next, handler, limit - records);
        }
        return records;
    }

    private int readContiguous(final long head, final RecordHandler handler, final int limit)
    {
        final int headIndex = (int)head & mask;
        final int contiguous = capacity - headIndex;
        int bytesRead = 0;
        int records = 0;
        try
        {
            while (bytesRead < contiguous && records < limit)
            {
                final long record = ringOffset + headIndex + bytesRead;
                // acquire: pairs with the release of the positive length in commit() or abort(), and
                // of the padding header in claimCapacity().
                final long header = (long)RECORD_HEADER.getAcquire(memory, record);
                final int length = recordLength(header);
                if (length <= 0)
                {
                    break;
                }
                if (length > contiguous - bytesRead || length < RECORD_HEADER_LENGTH)
                {
                    break; // a corrupted header: stop rather than read past the area
                }
                final int type = recordType(header);
                if (type != PADDING)
                {
                    // A handler that throws leaves its record unconsumed: the next read starts with it.
                    handler.onRecord(type, memory, record + RECORD_HEADER_LENGTH, length - RECORD_HEADER_LENGTH);
                    records++;
                }
                bytesRead += align(length);
            }
        }
        finally
        {
            if (bytesRead > 0)
            {
                zero(ringOffset + headIndex, bytesRead);
                // release: pairs with the producers' acquire of head_position in claimCapacity(): the
                // zeroes are visible before the space is given back.
                HEAD_POSITION.setRelease(memory, trailerOffset, head + bytesRead);
            }
        }
        return records;
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
        final long head = (long)HEAD_POSITION.get(memory, trailerOffset); // plain: only we write it
        final long claimed = inUse(head, (long)TAIL_POSITION.getVolatile(memory, trailerOffset));
        if (claimed <= 0)
        {
            return NOT_BLOCKED; // empty, or positions no producer or consumer writes
        }
        final int headIndex = (int)head & mask;
        final long record = ringOffset + headIndex;
        // acquire: pairs with the producer's release of the in-progress header; with the judge's own
        // acquire of the state the producer moved, the body it wrote before that move is visible.
        final long header = (long)RECORD_HEADER.getAcquire(memory, record);
        final int length = recordLength(header);
        if (length < 0)
        {
            if (-length < RECORD_HEADER_LENGTH || -length > capacity - headIndex)
            {
                return NOT_BLOCKED; // a corrupted header: only a writer outside this protocol makes one
            }
            final int type = recordType(header) & TYPE_MASK;
            final int publisher = recordType(header) >>> PUBLISHER_SHIFT;
            final int verdict = judge.judge(
                type, publisher, memory, record + RECORD_HEADER_LENGTH, -length - RECORD_HEADER_LENGTH, patienceElapsed);
            if (verdict == AbandonedRecordJudge.WAIT)
            {
                return NOT_BLOCKED;
            }
            final boolean commit = verdict == AbandonedRecordJudge.COMMIT;
            // CAS (volatile): the producer's own commit or abort, if it lives, wins or loses as a whole.
            final boolean unblocked = RECORD_HEADER.compareAndSet(
                memory, record, header, makeHeader(-length, commit ? type : PADDING));
            return !unblocked ? NOT_BLOCKED : commit ? UNBLOCKED_BY_COMMIT : UNBLOCKED_BY_PADDING;
        }
        if (length == 0 && gapPatienceElapsed)
        {
            final int gap = unwrittenClaims(headIndex, claimed);
            // CAS (volatile) from zero: a producer that writes its header first keeps its record.
            if (gap > 0 && RECORD_HEADER.compareAndSet(memory, record, 0L, makeHeader(gap, PADDING)))
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
        final long head = (long)HEAD_POSITION.get(memory, trailerOffset); // plain: only we write it
        if ((long)TAIL_POSITION.getVolatile(memory, trailerOffset) == head)
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
        final int toEnd = capacity - headIndex;
        final int limit = (int)Math.min(toEnd, claimed);
        for (int gap = RECORD_ALIGNMENT; gap < limit; gap += RECORD_ALIGNMENT)
        {
            // acquire: a header written after our first look must be seen as written.
            if ((long)RECORD_HEADER.getAcquire(memory, ringOffset + headIndex + gap) != 0L)
            {
                return gap;
            }
        }
        return claimed >= toEnd ? toEnd : 0;
    }

    /**
     * @return whether the next record is committed: what a waiting host checks before sleeping.
     */
    public boolean hasReady()
    {
        final long head = (long)HEAD_POSITION.getAcquire(memory, trailerOffset);
        return aligned(head) && // corrupted otherwise: the drain reports it
            recordLength((long)RECORD_HEADER.getAcquire(memory, ringOffset + ((int)head & mask))) > 0;
    }

    /**
     * @return bytes claimed and not yet consumed, approximately.
     */
    public long size()
    {
        final long head = (long)HEAD_POSITION.getVolatile(memory, trailerOffset);
        final long tail = (long)TAIL_POSITION.getVolatile(memory, trailerOffset);
        return Math.max(0L, tail - head);
    }

    private int claimCapacity(final int required)
    {
        // opaque (C: relaxed): a cache of head_position that may lag; it is only ever trusted to
        // show less room than there is, and re-read with acquire before giving up.
        long head = (long)HEAD_CACHE_POSITION.getOpaque(memory, trailerOffset);
        long tail;
        int tailIndex;
        int padding;
        while (true)
        {
            tail = (long)TAIL_POSITION.getVolatile(memory, trailerOffset);
            long used = inUse(head, tail);
            if (used < 0 || required > capacity - used)
            {
                // The cache may only lag: the positions themselves decide. The tail is read again
                // after the head's acquire, so a legitimate tail is never behind the head it is
                // compared to (the consumer released the head only after producers claimed up to it).
                head = acquireHead();
                tail = (long)TAIL_POSITION.getVolatile(memory, trailerOffset);
                used = inUse(head, tail);
                if (used < 0)
                {
                    // A producer held up between the two loads can find the tail more than a lap
                    // past the head it read: the consumer moved the head on meanwhile and other
                    // producers claimed behind it. Only positions that stay apart while the head
                    // stands still are corrupted; a head that moved is progress: claim again.
                    final long moved = acquireHead();
                    if (moved != head)
                    {
                        head = moved;
                        continue;
                    }
                    return CORRUPTED;
                }
                if (required > capacity - used)
                {
                    return -1;
                }
            }

            padding = 0;
            tailIndex = (int)tail & mask;
            final int toEnd = capacity - tailIndex;
            if (required > toEnd)
            {
                // The record does not fit before the wrap: pad to the end and write at index 0,
                // which needs [0, required) consumed.
                if (required > ((int)head & mask))
                {
                    head = acquireHead();
                    if (required > ((int)head & mask))
                    {
                        return -1;
                    }
                }
                padding = toEnd;
            }
            if (casTail(tail, tail + required + padding))
            {
                break;
            }
        }

        if (padding != 0)
        {
            // release: pairs with the consumer's acquire of the header in read().
            RECORD_HEADER.setRelease(memory, ringOffset + tailIndex, makeHeader(padding, PADDING));
            tailIndex = 0;
        }
        return tailIndex;
    }

    /**
     * @return the bytes claimed and not yet consumed between two positions, or -1 when they are
     * positions no producer or consumer writes (misaligned, or further apart than the ring): memory
     * another process corrupted.
     */
    private long inUse(final long head, final long tail)
    {
        final long used = tail - head;
        return aligned(head) && aligned(tail) && used >= 0 && used <= capacity ? used : -1;
    }

    private static boolean aligned(final long position)
    {
        return (position & (RECORD_ALIGNMENT - 1)) == 0;
    }

    private boolean casTail(final long expected, final long next)
    {
        if (TAIL_POSITION.compareAndSet(memory, trailerOffset, expected, next))
        {
            return true;
        }
        if (counters != null)
        {
            counters.completionRingRetries.increment();
        }
        return false;
    }

    private long acquireHead()
    {
        // acquire: pairs with the consumer's release in read(): the space it freed is zeroed.
        final long head = (long)HEAD_POSITION.getAcquire(memory, trailerOffset);
        HEAD_CACHE_POSITION.setOpaque(memory, trailerOffset, head);
        return head;
    }

    private void zero(final long offset, final int length)
    {
        // plain, 8 bytes at a time (records are 8-aligned): no slice is allocated on the read path.
        for (int i = 0; i < length; i += Long.BYTES)
        {
            RECORD_HEADER.set(memory, offset + i, 0L);
        }
    }
}
