package dev.baton.ffi;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct baton_event} of baton.h: an event a handler claimed. Written by hand in jextract's style.
 */
public final class baton_event
{
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("handle"),
        JAVA_INT.withName("kind"),
        JAVA_INT.withName("payload_length"),
        JAVA_LONG.withName("event_id_hi"),
        JAVA_LONG.withName("event_id_lo"),
        JAVA_LONG.withName("correlation_id_hi"),
        JAVA_LONG.withName("correlation_id_lo"),
        JAVA_LONG.withName("dispatched_at_ns"),
        JAVA_LONG.withName("deadline_ns"),
        JAVA_INT.withName("redeliveries"),
        JAVA_INT.withName("yields"),
        ADDRESS.withName("payload"))
        .withName("baton_event");

    private baton_event()
    {
    }

    /** @return the layout of the struct. */
    public static GroupLayout layout()
    {
        return LAYOUT;
    }

    /**
     * @param arena where to allocate.
     * @return a zeroed struct.
     */
    public static MemorySegment allocate(final java.lang.foreign.SegmentAllocator arena)
    {
        return arena.allocate(LAYOUT);
    }

    private static final OfLong handle$LAYOUT = (OfLong)LAYOUT.select(groupElement("handle"));
    /** Offset of {@code handle}. */
    public static final long handle$OFFSET = LAYOUT.byteOffset(groupElement("handle"));

    /**
     * @param struct a {@code baton_event}.
     * @return its {@code handle}.
     */
    public static long handle(final MemorySegment struct)
    {
        return struct.get(handle$LAYOUT, handle$OFFSET);
    }

    /**
     * @param struct a {@code baton_event}.
     * @param value  the new {@code handle}.
     */
    public static void handle(final MemorySegment struct, final long value)
    {
        struct.set(handle$LAYOUT, handle$OFFSET, value);
    }

    private static final OfInt kind$LAYOUT = (OfInt)LAYOUT.select(groupElement("kind"));
    /** Offset of {@code kind}. */
    public static final long kind$OFFSET = LAYOUT.byteOffset(groupElement("kind"));

    /**
     * @param struct a {@code baton_event}.
     * @return its {@code kind}.
     */
    public static int kind(final MemorySegment struct)
    {
        return struct.get(kind$LAYOUT, kind$OFFSET);
    }

    /**
     * @param struct a {@code baton_event}.
     * @param value  the new {@code kind}.
     */
    public static void kind(final MemorySegment struct, final int value)
    {
        struct.set(kind$LAYOUT, kind$OFFSET, value);
    }

    private static final OfInt payload_length$LAYOUT = (OfInt)LAYOUT.select(groupElement("payload_length"));
    /** Offset of {@code payload_length}. */
    public static final long payload_length$OFFSET = LAYOUT.byteOffset(groupElement("payload_length"));

    /**
     * @param struct a {@code baton_event}.
     * @return its {@code payload_length}.
     */
    public static int payload_length(final MemorySegment struct)
    {
        return struct.get(payload_length$LAYOUT, payload_length$OFFSET);
    }

    /**
     * @param struct a {@code baton_event}.
     * @param value  the new {@code payload_length}.
     */
    public static void payload_length(final MemorySegment struct, final int value)
    {
        struct.set(payload_length$LAYOUT, payload_length$OFFSET, value);
    }

    private static final OfLong event_id_hi$LAYOUT = (OfLong)LAYOUT.select(groupElement("event_id_hi"));
    /** Offset of {@code event_id_hi}. */
    public static final long event_id_hi$OFFSET = LAYOUT.byteOffset(groupElement("event_id_hi"));

    /**
     * @param struct a {@code baton_event}.
     * @return its {@code event_id_hi}.
     */
    public static long event_id_hi(final MemorySegment struct)
    {
        return struct.get(event_id_hi$LAYOUT, event_id_hi$OFFSET);
    }

    /**
     * @param struct a {@code baton_event}.
     * @param value  the new {@code event_id_hi}.
     */
    public static void event_id_hi(final MemorySegment struct, final long value)
    {
        struct.set(event_id_hi$LAYOUT, event_id_hi$OFFSET, value);
    }

    private static final OfLong event_id_lo$LAYOUT = (OfLong)LAYOUT.select(groupElement("event_id_lo"));
    /** Offset of {@code event_id_lo}. */
    public static final long event_id_lo$OFFSET = LAYOUT.byteOffset(groupElement("event_id_lo"));

    /**
     * @param struct a {@code baton_event}.
     * @return its {@code event_id_lo}.
     */
    public static long event_id_lo(final MemorySegment struct)
    {
        return struct.get(event_id_lo$LAYOUT, event_id_lo$OFFSET);
    }

    /**
     * @param struct a {@code baton_event}.
     * @param value  the new {@code event_id_lo}.
     */
    public static void event_id_lo(final MemorySegment struct, final long value)
    {
        struct.set(event_id_lo$LAYOUT, event_id_lo$OFFSET, value);
    }

    private static final OfLong correlation_id_hi$LAYOUT = (OfLong)LAYOUT.select(groupElement("correlation_id_hi"));
    /** Offset of {@code correlation_id_hi}. */
    public static final long correlation_id_hi$OFFSET = LAYOUT.byteOffset(groupElement("correlation_id_hi"));

    /**
     * @param struct a {@code baton_event}.
     * @return its {@code correlation_id_hi}.
     */
    public static long correlation_id_hi(final MemorySegment struct)
    {
        return struct.get(correlation_id_hi$LAYOUT, correlation_id_hi$OFFSET);
    }

    /**
     * @param struct a {@code baton_event}.
     * @param value  the new {@code correlation_id_hi}.
     */
    public static void correlation_id_hi(final MemorySegment struct, final long value)
    {
        struct.set(correlation_id_hi$LAYOUT, correlation_id_hi$OFFSET, value);
    }

    private static final OfLong correlation_id_lo$LAYOUT = (OfLong)LAYOUT.select(groupElement("correlation_id_lo"));
    /** Offset of {@code correlation_id_lo}. */
    public static final long correlation_id_lo$OFFSET = LAYOUT.byteOffset(groupElement("correlation_id_lo"));

    /**
     * @param struct a {@code baton_event}.
     * @return its {@code correlation_id_lo}.
     */
    public static long correlation_id_lo(final MemorySegment struct)
    {
        return struct.get(correlation_id_lo$LAYOUT, correlation_id_lo$OFFSET);
    }

    /**
     * @param struct a {@code baton_event}.
     * @param value  the new {@code correlation_id_lo}.
     */
    public static void correlation_id_lo(final MemorySegment struct, final long value)
    {
        struct.set(correlation_id_lo$LAYOUT, correlation_id_lo$OFFSET, value);
    }

    private static final OfLong dispatched_at_ns$LAYOUT = (OfLong)LAYOUT.select(groupElement("dispatched_at_ns"));
    /** Offset of {@code dispatched_at_ns}. */
    public static final long dispatched_at_ns$OFFSET = LAYOUT.byteOffset(groupElement("dispatched_at_ns"));

    /**
     * @param struct a {@code baton_event}.
     * @return its {@code dispatched_at_ns}.
     */
    public static long dispatched_at_ns(final MemorySegment struct)
    {
        return struct.get(dispatched_at_ns$LAYOUT, dispatched_at_ns$OFFSET);
    }

    /**
     * @param struct a {@code baton_event}.
     * @param value  the new {@code dispatched_at_ns}.
     */
    public static void dispatched_at_ns(final MemorySegment struct, final long value)
    {
        struct.set(dispatched_at_ns$LAYOUT, dispatched_at_ns$OFFSET, value);
    }

    private static final OfLong deadline_ns$LAYOUT = (OfLong)LAYOUT.select(groupElement("deadline_ns"));
    /** Offset of {@code deadline_ns}. */
    public static final long deadline_ns$OFFSET = LAYOUT.byteOffset(groupElement("deadline_ns"));

    /**
     * @param struct a {@code baton_event}.
     * @return its {@code deadline_ns}.
     */
    public static long deadline_ns(final MemorySegment struct)
    {
        return struct.get(deadline_ns$LAYOUT, deadline_ns$OFFSET);
    }

    /**
     * @param struct a {@code baton_event}.
     * @param value  the new {@code deadline_ns}.
     */
    public static void deadline_ns(final MemorySegment struct, final long value)
    {
        struct.set(deadline_ns$LAYOUT, deadline_ns$OFFSET, value);
    }

    private static final AddressLayout payload$LAYOUT = (AddressLayout)LAYOUT.select(groupElement("payload"));
    /** Offset of {@code payload}. */
    public static final long payload$OFFSET = LAYOUT.byteOffset(groupElement("payload"));

    /**
     * @param struct a {@code baton_event}.
     * @return its {@code payload}.
     */
    public static MemorySegment payload(final MemorySegment struct)
    {
        return struct.get(payload$LAYOUT, payload$OFFSET);
    }

    /**
     * @param struct a {@code baton_event}.
     * @param value  the new {@code payload}.
     */
    public static void payload(final MemorySegment struct, final MemorySegment value)
    {
        struct.set(payload$LAYOUT, payload$OFFSET, value);
    }

    private static final OfInt redeliveries$LAYOUT = (OfInt)LAYOUT.select(groupElement("redeliveries"));
    /** Offset of {@code redeliveries}. */
    public static final long redeliveries$OFFSET = LAYOUT.byteOffset(groupElement("redeliveries"));

    /**
     * @param struct a {@code baton_event}.
     * @return its {@code redeliveries}.
     */
    public static int redeliveries(final MemorySegment struct)
    {
        return struct.get(redeliveries$LAYOUT, redeliveries$OFFSET);
    }

    /**
     * @param struct a {@code baton_event}.
     * @param value  the new {@code redeliveries}.
     */
    public static void redeliveries(final MemorySegment struct, final int value)
    {
        struct.set(redeliveries$LAYOUT, redeliveries$OFFSET, value);
    }

    private static final OfInt yields$LAYOUT = (OfInt)LAYOUT.select(groupElement("yields"));
    /** Offset of {@code yields}. */
    public static final long yields$OFFSET = LAYOUT.byteOffset(groupElement("yields"));

    /**
     * @param struct a {@code baton_event}.
     * @return its {@code yields}.
     */
    public static int yields(final MemorySegment struct)
    {
        return struct.get(yields$LAYOUT, yields$OFFSET);
    }

    /**
     * @param struct a {@code baton_event}.
     * @param value  the new {@code yields}.
     */
    public static void yields(final MemorySegment struct, final int value)
    {
        struct.set(yields$LAYOUT, yields$OFFSET, value);
    }
}
