package dev.baton.ffi;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct baton_trace_context} of baton.h: an event's W3C trace context and its handler's span.
 * Written by hand in jextract's style.
 */
public final class baton_trace_context
{
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("trace_id_hi"),
        JAVA_LONG.withName("trace_id_lo"),
        JAVA_LONG.withName("parent_span_id"),
        JAVA_LONG.withName("handler_span_id"),
        JAVA_INT.withName("flags"),
        JAVA_INT.withName("reserved"))
        .withName("baton_trace_context");

    private baton_trace_context()
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
    public static MemorySegment allocate(final SegmentAllocator arena)
    {
        return arena.allocate(LAYOUT);
    }

    private static final OfLong trace_id_hi$LAYOUT = (OfLong)LAYOUT.select(groupElement("trace_id_hi"));
    /** Offset of {@code trace_id_hi}. */
    public static final long trace_id_hi$OFFSET = LAYOUT.byteOffset(groupElement("trace_id_hi"));

    /**
     * @param struct a {@code baton_trace_context}.
     * @return its {@code trace_id_hi}.
     */
    public static long trace_id_hi(final MemorySegment struct)
    {
        return struct.get(trace_id_hi$LAYOUT, trace_id_hi$OFFSET);
    }

    /**
     * @param struct a {@code baton_trace_context}.
     * @param value  the new {@code trace_id_hi}.
     */
    public static void trace_id_hi(final MemorySegment struct, final long value)
    {
        struct.set(trace_id_hi$LAYOUT, trace_id_hi$OFFSET, value);
    }

    private static final OfLong trace_id_lo$LAYOUT = (OfLong)LAYOUT.select(groupElement("trace_id_lo"));
    /** Offset of {@code trace_id_lo}. */
    public static final long trace_id_lo$OFFSET = LAYOUT.byteOffset(groupElement("trace_id_lo"));

    /**
     * @param struct a {@code baton_trace_context}.
     * @return its {@code trace_id_lo}.
     */
    public static long trace_id_lo(final MemorySegment struct)
    {
        return struct.get(trace_id_lo$LAYOUT, trace_id_lo$OFFSET);
    }

    /**
     * @param struct a {@code baton_trace_context}.
     * @param value  the new {@code trace_id_lo}.
     */
    public static void trace_id_lo(final MemorySegment struct, final long value)
    {
        struct.set(trace_id_lo$LAYOUT, trace_id_lo$OFFSET, value);
    }

    private static final OfLong parent_span_id$LAYOUT = (OfLong)LAYOUT.select(groupElement("parent_span_id"));
    /** Offset of {@code parent_span_id}. */
    public static final long parent_span_id$OFFSET = LAYOUT.byteOffset(groupElement("parent_span_id"));

    /**
     * @param struct a {@code baton_trace_context}.
     * @return its {@code parent_span_id}.
     */
    public static long parent_span_id(final MemorySegment struct)
    {
        return struct.get(parent_span_id$LAYOUT, parent_span_id$OFFSET);
    }

    /**
     * @param struct a {@code baton_trace_context}.
     * @param value  the new {@code parent_span_id}.
     */
    public static void parent_span_id(final MemorySegment struct, final long value)
    {
        struct.set(parent_span_id$LAYOUT, parent_span_id$OFFSET, value);
    }

    private static final OfLong handler_span_id$LAYOUT = (OfLong)LAYOUT.select(groupElement("handler_span_id"));
    /** Offset of {@code handler_span_id}. */
    public static final long handler_span_id$OFFSET = LAYOUT.byteOffset(groupElement("handler_span_id"));

    /**
     * @param struct a {@code baton_trace_context}.
     * @return its {@code handler_span_id}.
     */
    public static long handler_span_id(final MemorySegment struct)
    {
        return struct.get(handler_span_id$LAYOUT, handler_span_id$OFFSET);
    }

    /**
     * @param struct a {@code baton_trace_context}.
     * @param value  the new {@code handler_span_id}.
     */
    public static void handler_span_id(final MemorySegment struct, final long value)
    {
        struct.set(handler_span_id$LAYOUT, handler_span_id$OFFSET, value);
    }

    private static final OfInt flags$LAYOUT = (OfInt)LAYOUT.select(groupElement("flags"));
    /** Offset of {@code flags}. */
    public static final long flags$OFFSET = LAYOUT.byteOffset(groupElement("flags"));

    /**
     * @param struct a {@code baton_trace_context}.
     * @return its {@code flags}.
     */
    public static int flags(final MemorySegment struct)
    {
        return struct.get(flags$LAYOUT, flags$OFFSET);
    }

    /**
     * @param struct a {@code baton_trace_context}.
     * @param value  the new {@code flags}.
     */
    public static void flags(final MemorySegment struct, final int value)
    {
        struct.set(flags$LAYOUT, flags$OFFSET, value);
    }

    private static final OfInt reserved$LAYOUT = (OfInt)LAYOUT.select(groupElement("reserved"));
    /** Offset of {@code reserved}. */
    public static final long reserved$OFFSET = LAYOUT.byteOffset(groupElement("reserved"));

    /**
     * @param struct a {@code baton_trace_context}.
     * @return its {@code reserved}.
     */
    public static int reserved(final MemorySegment struct)
    {
        return struct.get(reserved$LAYOUT, reserved$OFFSET);
    }

    /**
     * @param struct a {@code baton_trace_context}.
     * @param value  the new {@code reserved}.
     */
    public static void reserved(final MemorySegment struct, final int value)
    {
        struct.set(reserved$LAYOUT, reserved$OFFSET, value);
    }
}
