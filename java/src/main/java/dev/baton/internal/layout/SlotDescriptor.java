package dev.baton.internal.layout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One slot of the slab: {@code baton_slot} in {@code baton.h}.
 *
 * <pre>
 *  offset  size  field
 *       0     8  state               generation &lt;&lt; 32 | holder tag &lt;&lt; 8 | state
 *       8     4  next_free           free-list link: slot index + 1, 0 = end of list
 *      12     4  kind
 *      16     8  event_id_hi         UUID, most significant bits
 *      24     8  event_id_lo         UUID, least significant bits
 *      32     8  correlation_id_hi
 *      40     8  correlation_id_lo
 *      48     8  dispatched_at_ns    CLOCK_MONOTONIC, as System.nanoTime reads it on Linux
 *      56     8  polled_at_ns        CLOCK_MONOTONIC, 0 until polled
 *      64     8  deadline_ns
 *      72     4  payload_length
 *      76     4  redeliveries        times dispatched again after its holder died
 *      80     4  payload_block       0: the payload is inline, below; else the block holding it
 *      84     4  trace_flags         W3C trace flags, set at dispatch
 *      88     8  trace_id_hi         W3C trace id; 0 with trace_id_lo: none
 *      96     8  trace_id_lo
 *     104     8  parent_span_id      the dispatcher's span
 *     112     8  handler_span_id     the handler's span, set by its completion; 0 until then
 *     120     4  yields              times yielded by a handler; 0 at dispatch
 *     124     4  reserved
 *     128     -  payload             inline: slot_size - 128 bytes
 * </pre>
 *
 * The state word packs a 31-bit generation above a 24-bit holder tag and an 8-bit state, so that
 * one CAS checks them all:
 * <pre>
 *   FREE(g) -&gt; DISPATCHED(g) -&gt; POLLED(g, tag) -&gt; COMPLETED(g) -&gt; FREE(g+1)
 *                  |   ^             |
 *                  |   +-- redeliver-+  (its holder's process died)
 *                  |   +-- YIELDING(g, tag) &lt;-- yield (a continuation written, back in the ring)
 *                  +-- expire -------+--&gt; TIMED_OUT(g) -&gt; FREE(g+1)
 *                  +-- cancel -------+--&gt; FREE(g+1)
 * </pre>
 * The holder tag names the attachment whose handler polled the event (see baton.h's attachment
 * table), 0 for a poll made without one; it is 0 in every other state but YIELDING, a yield in
 * progress.
 * While a dispatch claim holds a FREE slot off the free list, next_free holds {@link #CLAIM_MARK}
 * and the claimer's tag, a value no free-list link takes.
 */
public final class SlotDescriptor
{
    public static final int FREE = 0;
    public static final int DISPATCHED = 1;
    public static final int POLLED = 2;
    public static final int COMPLETED = 3;
    public static final int TIMED_OUT = 4;
    public static final int YIELDING = 5;
    public static final int STATE_MASK = 0xFF;
    public static final int HOLDER_SHIFT = 8;
    public static final int CLAIM_MARK = 0x8000_0000;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("state"),
        JAVA_INT.withName("next_free"),
        JAVA_INT.withName("kind"),
        JAVA_LONG.withName("event_id_hi"),
        JAVA_LONG.withName("event_id_lo"),
        JAVA_LONG.withName("correlation_id_hi"),
        JAVA_LONG.withName("correlation_id_lo"),
        JAVA_LONG.withName("dispatched_at_ns"),
        JAVA_LONG.withName("polled_at_ns"),
        JAVA_LONG.withName("deadline_ns"),
        JAVA_INT.withName("payload_length"),
        JAVA_INT.withName("redeliveries"),
        JAVA_INT.withName("payload_block"),
        JAVA_INT.withName("trace_flags"),
        JAVA_LONG.withName("trace_id_hi"),
        JAVA_LONG.withName("trace_id_lo"),
        JAVA_LONG.withName("parent_span_id"),
        JAVA_LONG.withName("handler_span_id"),
        JAVA_INT.withName("yields"),
        MemoryLayout.paddingLayout(4))
        .withName("baton_slot");

    /** Bytes before the payload. */
    public static final int HEADER_LENGTH = (int)LAYOUT.byteSize();
    public static final long PAYLOAD_OFFSET = HEADER_LENGTH;
    public static final int SLOT_SIZE_MIN = 128;

    public static final VarHandle STATE = handle("state");
    public static final VarHandle KIND = handle("kind");
    public static final VarHandle EVENT_ID_HI = handle("event_id_hi");
    public static final VarHandle EVENT_ID_LO = handle("event_id_lo");
    public static final VarHandle CORRELATION_ID_HI = handle("correlation_id_hi");
    public static final VarHandle CORRELATION_ID_LO = handle("correlation_id_lo");
    public static final VarHandle DISPATCHED_AT = handle("dispatched_at_ns");
    public static final VarHandle POLLED_AT = handle("polled_at_ns");
    public static final VarHandle DEADLINE = handle("deadline_ns");
    public static final VarHandle PAYLOAD_LENGTH = handle("payload_length");
    public static final VarHandle REDELIVERIES = handle("redeliveries");
    public static final VarHandle PAYLOAD_BLOCK = handle("payload_block");
    public static final VarHandle TRACE_FLAGS = handle("trace_flags");
    public static final VarHandle TRACE_ID_HI = handle("trace_id_hi");
    public static final VarHandle TRACE_ID_LO = handle("trace_id_lo");
    public static final VarHandle PARENT_SPAN_ID = handle("parent_span_id");
    public static final VarHandle HANDLER_SPAN_ID = handle("handler_span_id");
    public static final VarHandle YIELDS = handle("yields");
    public static final VarHandle NEXT_FREE = handle("next_free");

    private SlotDescriptor()
    {
    }

    public static long stateWord(final int generation, final int state)
    {
        return ((long)generation << 32) | Integer.toUnsignedLong(state); // a claimant tag may fill bit 31
    }

    public static int generation(final long stateWord)
    {
        return (int)(stateWord >>> 32);
    }

    public static int state(final long stateWord)
    {
        return (int)stateWord & STATE_MASK;
    }

    /**
     * @param tag the holder's tag: 0 for none, or an attachment's, below 2^24.
     * @return the low half of a POLLED state word that names the holder.
     */
    public static int polledBy(final int tag)
    {
        return POLLED | (tag << HOLDER_SHIFT);
    }

    /**
     * @param polled the low half of a POLLED state word.
     * @return the low half of the YIELDING state word of the same holder.
     */
    public static int yieldingFrom(final int polled)
    {
        return YIELDING | (polled & ~STATE_MASK);
    }

    public static long offset(final String field)
    {
        return LAYOUT.byteOffset(groupElement(field));
    }

    private static VarHandle handle(final String field)
    {
        return LAYOUT.varHandle(groupElement(field));
    }
}
