package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import dev.baton.internal.layout.CompletionRingDescriptor;

import static dev.baton.internal.layout.CompletionRingDescriptor.PADDING;
import static dev.baton.internal.layout.CompletionRingDescriptor.RECORD_ALIGNMENT;
import static dev.baton.internal.layout.CompletionRingDescriptor.RECORD_HEADER_LENGTH;
import static dev.baton.internal.layout.CompletionRingDescriptor.align;
import static dev.baton.internal.layout.CompletionRingDescriptor.lengthCorrupted;
import static dev.baton.internal.layout.CompletionRingDescriptor.makeHeader;
import static dev.baton.internal.layout.CompletionRingDescriptor.recordLength;
import static dev.baton.internal.layout.CompletionRingDescriptor.recordType;

/**
 * The completion ring as {@code include/baton.h} draws it: a many-to-one ring of variable-length
 * records in the binary format of Agrona's {@code ManyToOneRingBuffer}, so that Agrona (or Aeron's C
 * {@code aeron_mpsc_rb}) can read and write the same memory. The format, the two-phase write
 * ({@link #claim}, then {@link #commit} or {@link #abort}) and the reader are described there once;
 * freeing the reader from a producer that died mid-record is {@link CompletionRingUnblocker}'s. The
 * C twin of both is {@code native/completion_ring.c}; each ordering is commented at its access.
 * Unlike Agrona's reader, one {@link #read} continues past the wrap.
 */
public final class CompletionRing
{
    /** {@link #claim} and {@link #read}: the ring's positions are corrupted (C: BATON_EUCLEAN). */
    public static final int CORRUPTED = -2;

    private static final VarHandle TAIL_POSITION = CompletionRingDescriptor.TAIL_POSITION;
    private static final VarHandle HEAD_CACHE_POSITION = CompletionRingDescriptor.HEAD_CACHE_POSITION;
    private static final VarHandle HEAD_POSITION = CompletionRingDescriptor.HEAD_POSITION;
    private static final VarHandle RECORD_HEADER = CompletionRingDescriptor.RECORD_HEADER;
    /** A record type fits 8 bits; while a record is in progress, the bits above name its publisher. */
    static final int TYPE_MASK = 0xFF;
    static final int PUBLISHER_SHIFT = 8;

    private final MemorySegment memory;
    private final long ringOffset;
    private final long trailerOffset;
    private final int capacity;
    private final int mask;
    private final int maxBodyLength;
    private final ChannelCounters counters;
    // Consumer only: the head position the consumer last found blocked, and since when.

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

    /** @return the channel's memory, for the unblocker. */
    MemorySegment memory()
    {
        return memory;
    }

    /** @return where the record area starts in {@link #memory()}. */
    long ringOffset()
    {
        return ringOffset;
    }

    /** @return where the trailer starts in {@link #memory()}. */
    long trailerOffset()
    {
        return trailerOffset;
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
        return markInProgress(ringOffset + recordIndex, recordLength, type, publisher);
    }

    /**
     * Reserves {@code count} records one after another with one claim (one CAS of the tail for them
     * all) and marks each in progress, in order, at once: the claim and the headers are as adjacent
     * as one record's, so a producer that dies between them leaves zeroes the consumer's unblock
     * pads, as for one record. The C twin is {@code baton__completion_ring_claim_run}.
     *
     * @param type        the records' type, below 256.
     * @param bodyLengths each record's body bytes.
     * @param count       records, at least 1.
     * @param publisher   as {@link #claim(int, int, int)}.
     * @param bodies      where each record's body offset goes.
     * @return 0, -1 when the ring has no room for them all, or {@link #CORRUPTED}; nothing is claimed
     * unless 0.
     */
    public int claimRun(final int type, final int[] bodyLengths, final int count, final int publisher, final long[] bodies)
    {
        long required = 0;
        for (int i = 0; i < count; i++)
        {
            required += align(bodyLengths[i] + RECORD_HEADER_LENGTH);
        }
        if (required > capacity)
        {
            return -1;
        }
        final int recordIndex = claimCapacity((int)required);
        if (recordIndex < 0)
        {
            return recordIndex;
        }
        long record = ringOffset + recordIndex;
        for (int i = 0; i < count; i++)
        {
            final int recordLength = bodyLengths[i] + RECORD_HEADER_LENGTH;
            bodies[i] = markInProgress(record, recordLength, type, publisher);
            record += align(recordLength);
        }
        return 0;
    }

    /** Marks a record the caller claimed in progress, naming its publisher: its body's offset. */
    private long markInProgress(final long record, final int recordLength, final int type, final int publisher)
    {
        // release: the consumer zeroed this space and then released head_position, which
        // claimCapacity acquired; the negative length tells the consumer to stop here. One store
        // names the record's publisher with it, so no record is ever in progress without.
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
            // keeps its decision. Volatile also orders the commit before the publisher's read of the
            // host's waiters count that follows (NativeAttachment.afterCompletion), with no fence.
            RECORD_HEADER.compareAndSet(memory, record, inProgress, makeHeader(-length, type));
        }
    }

    /**
     * Reads committed records in order. Single consumer only. If the handler throws, the records
     * before it are consumed and the one it threw on is not: the next read delivers it again.
     *
     * @param handler receives each record.
     * @param limit   the most records to read.
     * @return records read (padding excluded), or {@link #CORRUPTED} when the ring holds what no
     * producer or consumer writes: a head no consumer wrote, or, when there was nothing to read, a
     * header at the head whose length (committed or in progress) is shorter than a header or longer
     * than the area left, or a tail that is not within a ring's length past the head.
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
        // Nothing read: a header at the head no producer writes stops the consumer for good, and so may
        // a tail that was written over, which producers then refuse and the consumer alone can tell for
        // sure, as the head is its own and a producer only ever claims within a ring's length past it
        // (acquire: pairs with the claims' CAS, as a producer reads it).
        if (records == 0)
        {
            final long now = (long)HEAD_POSITION.get(memory, trailerOffset);
            if (headerCorrupted(now) || inUse(now, (long)TAIL_POSITION.getAcquire(memory, trailerOffset)) < 0)
            {
                return CORRUPTED;
            }
        }
        return records;
    }

    /** @return whether the header at a position is one no producer writes. Acquire, as the reader's. */
    private boolean headerCorrupted(final long position)
    {
        final int index = (int)position & mask;
        return lengthCorrupted(recordLength((long)RECORD_HEADER.getAcquire(memory, ringOffset + index)), capacity - index);
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
                if (length <= 0 || length > contiguous - bytesRead || length < RECORD_HEADER_LENGTH)
                {
                    break; // not written yet, in progress, or a header no producer writes (headerCorrupted)
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
    long inUse(final long head, final long tail)
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
