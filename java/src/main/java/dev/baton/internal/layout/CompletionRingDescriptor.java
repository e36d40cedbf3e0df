package dev.baton.internal.layout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The completion ring: a record area of {@code capacity} bytes (a power of two) followed by a
 * trailer, in the binary format of Agrona's {@code ManyToOneRingBuffer}
 * ({@code baton_completion_trailer} in {@code baton.h}).
 *
 * <pre>
 * trailer, after the record area:
 *  offset  size  field
 *       0   128  padding
 *     128     8  tail_position        hot: producers claim space by CAS
 *     256     8  head_cache_position  producers' cached head
 *     384     8  head_position        hot: the consumer releases space
 *     512     8  correlation_counter  kept for the format
 *     640     8  consumer_heartbeat   kept for the format
 *
 * record (8-byte aligned), then a Baton completion body:
 *    0        4        8                 16        24
 *   +--------+--------+-----------------+--------+--------+---------------+
 *   | length |  type  |     handle      | status |reserved| result ...    |
 *   +--------+--------+-----------------+--------+--------+---------------+
 * </pre>
 * {@code length} counts the 8-byte record header; it is negative while the record is being
 * written, and then the bits of {@code type} above its low 8 name the publisher's attachment tag. {@code type} {@link #PADDING} fills the end of the area before a wrap.
 */
public final class CompletionRingDescriptor
{
    public static final StructLayout TRAILER_LAYOUT = HotFields.layout(
        "baton_completion_trailer", HeaderDescriptor.HOT_FIELD_PADDING,
        "tail_position", "head_cache_position", "head_position", "correlation_counter", "consumer_heartbeat");

    public static final int TRAILER_LENGTH = (int)TRAILER_LAYOUT.byteSize();
    public static final long TAIL_POSITION_OFFSET = TRAILER_LAYOUT.byteOffset(groupElement("tail_position"));
    public static final long HEAD_CACHE_POSITION_OFFSET = TRAILER_LAYOUT.byteOffset(groupElement("head_cache_position"));
    public static final long HEAD_POSITION_OFFSET = TRAILER_LAYOUT.byteOffset(groupElement("head_position"));
    public static final long CORRELATION_COUNTER_OFFSET = TRAILER_LAYOUT.byteOffset(groupElement("correlation_counter"));
    public static final long CONSUMER_HEARTBEAT_OFFSET = TRAILER_LAYOUT.byteOffset(groupElement("consumer_heartbeat"));

    public static final VarHandle TAIL_POSITION = TRAILER_LAYOUT.varHandle(groupElement("tail_position"));
    public static final VarHandle HEAD_CACHE_POSITION = TRAILER_LAYOUT.varHandle(groupElement("head_cache_position"));
    public static final VarHandle HEAD_POSITION = TRAILER_LAYOUT.varHandle(groupElement("head_position"));

    public static final int CAPACITY_MIN = 1024;

    /** Record header: {@code int length} then {@code int type}, read and written as one long. */
    public static final int RECORD_HEADER_LENGTH = 8;
    public static final int RECORD_ALIGNMENT = 8;
    public static final int PADDING = -1;
    public static final int COMPLETED = 1;
    public static final int TIMED_OUT = 2;
    /** The least time a claim may hold the consumer before its producer is presumed dead. */
    public static final long UNBLOCK_PATIENCE_MIN_NANOS = 1_000_000_000L;

    /** The record header as one 64-bit word: length in the low half, type in the high half. */
    public static final VarHandle RECORD_HEADER = JAVA_LONG.varHandle();

    public static final StructLayout BODY_LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("handle"),
        JAVA_INT.withName("status"),
        JAVA_INT.withName("result_block"))
        .withName("baton_completion_body");

    public static final int BODY_LENGTH = (int)BODY_LAYOUT.byteSize();
    /** A body whose result is in a block: the body, then the result's length (4) and 4 zero bytes. */
    public static final int BLOCK_BODY_LENGTH = BODY_LENGTH + 8;
    public static final VarHandle BODY_HANDLE = BODY_LAYOUT.varHandle(groupElement("handle"));
    public static final VarHandle BODY_STATUS = BODY_LAYOUT.varHandle(groupElement("status"));
    public static final VarHandle BODY_RESULT_BLOCK = BODY_LAYOUT.varHandle(groupElement("result_block"));
    /** The result length of a body whose result is in a block, at {@link #RESULT_OFFSET}; 4 zero bytes follow. */
    public static final VarHandle BLOCK_RESULT_LENGTH = JAVA_INT.varHandle();
    public static final long RESULT_OFFSET = BODY_LENGTH;
    public static final ValueLayout.OfByte RESULT_ELEMENT = ValueLayout.JAVA_BYTE;

    private CompletionRingDescriptor()
    {
    }

    public static long makeHeader(final int length, final int type)
    {
        return ((long)type << 32) | (length & 0xFFFF_FFFFL);
    }

    public static int recordLength(final long header)
    {
        return (int)header;
    }

    public static int recordType(final long header)
    {
        return (int)(header >>> 32);
    }

    public static int align(final int length)
    {
        return (length + RECORD_ALIGNMENT - 1) & -RECORD_ALIGNMENT;
    }

    /**
     * @param length a record header's length.
     * @param room   the bytes of the area left from the record's index to its end.
     * @return whether it is a length no producer writes there: committed or in progress, shorter than a
     * header or longer than the room (zero is a claim whose header is still to come).
     */
    public static boolean lengthCorrupted(final int length, final int room)
    {
        final long size = Math.abs((long)length);
        return length != 0 && (size < RECORD_HEADER_LENGTH || size > room);
    }

    /**
     * The longest record body a ring of this capacity accepts: an eighth of it, as Agrona's maxMsgLength.
     *
     * @param capacity record area bytes.
     * @return bytes.
     */
    public static int maxBodyLength(final int capacity)
    {
        return capacity / 8;
    }
}
