package dev.baton.aeron.internal;

import java.nio.ByteOrder;

import dev.baton.SlotView;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The bridge's messages, as they cross Aeron: little-endian, each starting with its type. A host
 * sends LEASE and EVENT on a publication per node; every node sends HELLO, HEARTBEAT, OUTCOME and
 * EXPIRED on one stream the host subscribes to. An EVENT or OUTCOME longer than Aeron's MTU is
 * fragmented by Aeron and reassembled by the receiver's fragment assembler.
 *
 * <pre>
 * HELLO (node to host): a node asks for a lease, repeated until one comes.
 *   0        4         8        16            24         28         32                 36              40
 *   | type=1 | version | nodeId | incarnation | capacity | streamId | maxPayloadLength | channelLength | channel |
 *   (the channel, in ASCII, is where the node receives its events: the host publishes to it)
 *
 * LEASE (host to node): a lease granted or renewed; the epoch names it.
 *   0        4      8        16            24      32
 *   | type=2 | 0    | nodeId | incarnation | epoch | leaseNanos |
 *
 * HEARTBEAT (node to host): the node lives and holds the lease of this epoch.
 *   0        4      8        16            24
 *   | type=3 | 0    | nodeId | incarnation | epoch |
 *
 * EVENT (host to node): one event, delivered under a lease.
 *   0        4      8       16           24                   40                         56
 *   | type=4 | kind | epoch | hostHandle | eventId (hi, lo)   | correlationId (hi, lo)   |
 *   56                 72       80           84             88               96              100   104
 *   | traceId (hi, lo) | spanId | traceFlags | redeliveries | remainingNanos | payloadLength | 0   | payload |
 *   (redeliveries is unsigned, as baton.h's uint32_t.)
 *
 * OUTCOME (node to host): a handler's completion of an EVENT, under the epoch it was delivered in.
 *   0        4        8       16           24              32             36    40
 *   | type=5 | status | epoch | hostHandle | handlerSpanId | resultLength   | 0   | result |
 *
 * EXPIRED (node to host): the event's time ran out before a handler answered; the host's own
 * expiry times it out.
 *   0        4      8       16           24
 *   | type=6 | 0    | epoch | hostHandle |
 * </pre>
 */
public final class WireFormat
{
    /** The version a HELLO names; a host refuses a node of another. */
    public static final int VERSION = 1;

    public static final int HELLO = 1;
    public static final int LEASE = 2;
    public static final int HEARTBEAT = 3;
    public static final int EVENT = 4;
    public static final int OUTCOME = 5;
    public static final int EXPIRED = 6;

    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    public static final int TYPE_OFFSET = 0;

    public static final int HELLO_VERSION_OFFSET = 4;
    public static final int HELLO_NODE_ID_OFFSET = 8;
    public static final int HELLO_INCARNATION_OFFSET = 16;
    public static final int HELLO_CAPACITY_OFFSET = 24;
    public static final int HELLO_STREAM_ID_OFFSET = 28;
    public static final int HELLO_MAX_PAYLOAD_OFFSET = 32;
    public static final int HELLO_CHANNEL_LENGTH_OFFSET = 36;
    public static final int HELLO_CHANNEL_OFFSET = 40;

    public static final int LEASE_NODE_ID_OFFSET = 8;
    public static final int LEASE_INCARNATION_OFFSET = 16;
    public static final int LEASE_EPOCH_OFFSET = 24;
    public static final int LEASE_NANOS_OFFSET = 32;
    public static final int LEASE_LENGTH = 40;

    public static final int HEARTBEAT_NODE_ID_OFFSET = 8;
    public static final int HEARTBEAT_INCARNATION_OFFSET = 16;
    public static final int HEARTBEAT_EPOCH_OFFSET = 24;
    public static final int HEARTBEAT_LENGTH = 32;

    public static final int EVENT_KIND_OFFSET = 4;
    public static final int EVENT_EPOCH_OFFSET = 8;
    public static final int EVENT_HOST_HANDLE_OFFSET = 16;
    public static final int EVENT_ID_HI_OFFSET = 24;
    public static final int EVENT_ID_LO_OFFSET = 32;
    public static final int EVENT_CORRELATION_HI_OFFSET = 40;
    public static final int EVENT_CORRELATION_LO_OFFSET = 48;
    public static final int EVENT_TRACE_HI_OFFSET = 56;
    public static final int EVENT_TRACE_LO_OFFSET = 64;
    public static final int EVENT_SPAN_ID_OFFSET = 72;
    public static final int EVENT_TRACE_FLAGS_OFFSET = 80;
    public static final int EVENT_REDELIVERIES_OFFSET = 84;
    public static final int EVENT_REMAINING_NANOS_OFFSET = 88;
    public static final int EVENT_PAYLOAD_LENGTH_OFFSET = 96;
    public static final int EVENT_PAYLOAD_OFFSET = 104;

    public static final int OUTCOME_STATUS_OFFSET = 4;
    public static final int OUTCOME_EPOCH_OFFSET = 8;
    public static final int OUTCOME_HOST_HANDLE_OFFSET = 16;
    public static final int OUTCOME_SPAN_ID_OFFSET = 24;
    public static final int OUTCOME_RESULT_LENGTH_OFFSET = 32;
    public static final int OUTCOME_RESULT_OFFSET = 40;

    public static final int EXPIRED_EPOCH_OFFSET = 8;
    public static final int EXPIRED_HOST_HANDLE_OFFSET = 16;
    public static final int EXPIRED_LENGTH = 24;

    /** The longest channel string a HELLO carries. */
    public static final int MAX_CHANNEL_LENGTH = 1024;

    private WireFormat()
    {
    }

    /** @return the message's type, or 0 when it is shorter than a type. */
    public static int type(final DirectBuffer buffer, final int offset, final int length)
    {
        return length < 4 ? 0 : buffer.getInt(offset + TYPE_OFFSET, ORDER);
    }

    /** @return a HELLO's length, written at {@code offset}. */
    public static int writeHello(
        final MutableDirectBuffer buffer,
        final int offset,
        final long nodeId,
        final long incarnation,
        final int capacity,
        final int streamId,
        final int maxPayloadLength,
        final String channel)
    {
        buffer.putInt(offset + TYPE_OFFSET, HELLO, ORDER);
        buffer.putInt(offset + HELLO_VERSION_OFFSET, VERSION, ORDER);
        buffer.putLong(offset + HELLO_NODE_ID_OFFSET, nodeId, ORDER);
        buffer.putLong(offset + HELLO_INCARNATION_OFFSET, incarnation, ORDER);
        buffer.putInt(offset + HELLO_CAPACITY_OFFSET, capacity, ORDER);
        buffer.putInt(offset + HELLO_STREAM_ID_OFFSET, streamId, ORDER);
        buffer.putInt(offset + HELLO_MAX_PAYLOAD_OFFSET, maxPayloadLength, ORDER);
        final int channelLength = buffer.putStringWithoutLengthAscii(offset + HELLO_CHANNEL_OFFSET, channel);
        buffer.putInt(offset + HELLO_CHANNEL_LENGTH_OFFSET, channelLength, ORDER);
        return HELLO_CHANNEL_OFFSET + channelLength;
    }

    /** @return a HELLO's channel, or null when its length field does not fit the message. */
    public static String helloChannel(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < HELLO_CHANNEL_OFFSET)
        {
            return null;
        }
        final int channelLength = buffer.getInt(offset + HELLO_CHANNEL_LENGTH_OFFSET, ORDER);
        if (channelLength < 0 || channelLength > MAX_CHANNEL_LENGTH || HELLO_CHANNEL_OFFSET + channelLength > length)
        {
            return null;
        }
        return buffer.getStringWithoutLengthAscii(offset + HELLO_CHANNEL_OFFSET, channelLength);
    }

    /** @return a LEASE's length, written at {@code offset}. */
    public static int writeLease(
        final MutableDirectBuffer buffer,
        final int offset,
        final long nodeId,
        final long incarnation,
        final long epoch,
        final long leaseNanos)
    {
        buffer.putInt(offset + TYPE_OFFSET, LEASE, ORDER);
        buffer.putInt(offset + 4, 0, ORDER);
        buffer.putLong(offset + LEASE_NODE_ID_OFFSET, nodeId, ORDER);
        buffer.putLong(offset + LEASE_INCARNATION_OFFSET, incarnation, ORDER);
        buffer.putLong(offset + LEASE_EPOCH_OFFSET, epoch, ORDER);
        buffer.putLong(offset + LEASE_NANOS_OFFSET, leaseNanos, ORDER);
        return LEASE_LENGTH;
    }

    /** @return a HEARTBEAT's length, written at {@code offset}. */
    public static int writeHeartbeat(
        final MutableDirectBuffer buffer, final int offset, final long nodeId, final long incarnation, final long epoch)
    {
        buffer.putInt(offset + TYPE_OFFSET, HEARTBEAT, ORDER);
        buffer.putInt(offset + 4, 0, ORDER);
        buffer.putLong(offset + HEARTBEAT_NODE_ID_OFFSET, nodeId, ORDER);
        buffer.putLong(offset + HEARTBEAT_INCARNATION_OFFSET, incarnation, ORDER);
        buffer.putLong(offset + HEARTBEAT_EPOCH_OFFSET, epoch, ORDER);
        return HEARTBEAT_LENGTH;
    }

    /**
     * Writes an EVENT's header from the event's slot; the payload follows at {@link #EVENT_PAYLOAD_OFFSET}.
     *
     * @return the header's length.
     */
    public static int writeEventHeader(
        final MutableDirectBuffer buffer,
        final long epoch,
        final SlotView event,
        final long redeliveries,
        final long remainingNanos,
        final int payloadLength)
    {
        buffer.putInt(TYPE_OFFSET, EVENT, ORDER);
        buffer.putInt(EVENT_KIND_OFFSET, event.kind(), ORDER);
        buffer.putLong(EVENT_EPOCH_OFFSET, epoch, ORDER);
        buffer.putLong(EVENT_HOST_HANDLE_OFFSET, event.handle(), ORDER);
        buffer.putLong(EVENT_ID_HI_OFFSET, event.eventIdHi(), ORDER);
        buffer.putLong(EVENT_ID_LO_OFFSET, event.eventIdLo(), ORDER);
        buffer.putLong(EVENT_CORRELATION_HI_OFFSET, event.correlationIdHi(), ORDER);
        buffer.putLong(EVENT_CORRELATION_LO_OFFSET, event.correlationIdLo(), ORDER);
        buffer.putLong(EVENT_TRACE_HI_OFFSET, event.traceIdHi(), ORDER);
        buffer.putLong(EVENT_TRACE_LO_OFFSET, event.traceIdLo(), ORDER);
        buffer.putLong(EVENT_SPAN_ID_OFFSET, event.parentSpanId(), ORDER);
        buffer.putInt(EVENT_TRACE_FLAGS_OFFSET, event.traceFlags(), ORDER);
        buffer.putInt(EVENT_REDELIVERIES_OFFSET, (int)redeliveries, ORDER); // a uint32_t count's bits
        buffer.putLong(EVENT_REMAINING_NANOS_OFFSET, remainingNanos, ORDER);
        buffer.putInt(EVENT_PAYLOAD_LENGTH_OFFSET, payloadLength, ORDER);
        buffer.putInt(EVENT_PAYLOAD_LENGTH_OFFSET + 4, 0, ORDER);
        return EVENT_PAYLOAD_OFFSET;
    }

    /** @return an OUTCOME's header length, written at {@code offset}; the result follows at {@link #OUTCOME_RESULT_OFFSET}. */
    public static int writeOutcomeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final long epoch,
        final long hostHandle,
        final int status,
        final long handlerSpanId,
        final int resultLength)
    {
        buffer.putInt(offset + TYPE_OFFSET, OUTCOME, ORDER);
        buffer.putInt(offset + OUTCOME_STATUS_OFFSET, status, ORDER);
        buffer.putLong(offset + OUTCOME_EPOCH_OFFSET, epoch, ORDER);
        buffer.putLong(offset + OUTCOME_HOST_HANDLE_OFFSET, hostHandle, ORDER);
        buffer.putLong(offset + OUTCOME_SPAN_ID_OFFSET, handlerSpanId, ORDER);
        buffer.putInt(offset + OUTCOME_RESULT_LENGTH_OFFSET, resultLength, ORDER);
        buffer.putInt(offset + OUTCOME_RESULT_LENGTH_OFFSET + 4, 0, ORDER);
        return OUTCOME_RESULT_OFFSET;
    }

    /** @return an EXPIRED's length, written at {@code offset}. */
    public static int writeExpired(final MutableDirectBuffer buffer, final int offset, final long epoch, final long hostHandle)
    {
        buffer.putInt(offset + TYPE_OFFSET, EXPIRED, ORDER);
        buffer.putInt(offset + 4, 0, ORDER);
        buffer.putLong(offset + EXPIRED_EPOCH_OFFSET, epoch, ORDER);
        buffer.putLong(offset + EXPIRED_HOST_HANDLE_OFFSET, hostHandle, ORDER);
        return EXPIRED_LENGTH;
    }

    /**
     * @return whether a message of this type is long enough for its fixed fields and, for EVENT and
     * OUTCOME, for the payload or result length it names; and, for EVENT, whether its trace flags fit
     * a byte, as every bridge writes them.
     */
    public static boolean isWellFormed(final DirectBuffer buffer, final int offset, final int length, final int type)
    {
        return switch (type)
        {
            case HELLO -> helloChannel(buffer, offset, length) != null;
            case LEASE -> length >= LEASE_LENGTH;
            case HEARTBEAT -> length >= HEARTBEAT_LENGTH;
            case EXPIRED -> length >= EXPIRED_LENGTH;
            case EVENT -> length >= EVENT_PAYLOAD_OFFSET &&
                fits(buffer.getInt(offset + EVENT_PAYLOAD_LENGTH_OFFSET, ORDER), length - EVENT_PAYLOAD_OFFSET) &&
                (buffer.getInt(offset + EVENT_TRACE_FLAGS_OFFSET, ORDER) & ~0xFF) == 0; // W3C flags: one byte
            case OUTCOME -> length >= OUTCOME_RESULT_OFFSET &&
                fits(buffer.getInt(offset + OUTCOME_RESULT_LENGTH_OFFSET, ORDER), length - OUTCOME_RESULT_OFFSET);
            default -> false;
        };
    }

    private static boolean fits(final int length, final int room)
    {
        return length >= 0 && length <= room;
    }

    /** @return an EVENT's redelivery count, at {@code offset}: unsigned, as baton.h's uint32_t. */
    public static long eventRedeliveries(final DirectBuffer buffer, final int offset)
    {
        return Integer.toUnsignedLong(buffer.getInt(offset + EVENT_REDELIVERIES_OFFSET, ORDER));
    }
}
