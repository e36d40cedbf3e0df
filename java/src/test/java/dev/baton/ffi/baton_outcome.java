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
 * {@code struct baton_outcome} of baton.h: an outcome copied out by {@code baton_drain_outcomes}.
 * Written by hand in jextract's style.
 */
public final class baton_outcome
{
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("handle"),
        JAVA_INT.withName("status"),
        JAVA_INT.withName("result_length"),
        JAVA_INT.withName("timed_out"),
        JAVA_INT.withName("kind"),
        JAVA_LONG.withName("event_id_hi"),
        JAVA_LONG.withName("event_id_lo"),
        JAVA_LONG.withName("latency_ns"),
        JAVA_INT.withName("result_offset"),
        JAVA_INT.withName("reserved"))
        .withName("baton_outcome");

    private baton_outcome()
    {
    }

    /** @return the layout of the struct. */
    public static GroupLayout layout()
    {
        return LAYOUT;
    }

    /**
     * @param arena where to allocate.
     * @param count how many structs.
     * @return a zeroed array of them.
     */
    public static MemorySegment allocateArray(final SegmentAllocator arena, final int count)
    {
        return arena.allocate(LAYOUT, count);
    }

    /**
     * @param array an array of {@code baton_outcome}.
     * @param index an element's index.
     * @return that element.
     */
    public static MemorySegment asSlice(final MemorySegment array, final long index)
    {
        return array.asSlice(index * LAYOUT.byteSize(), LAYOUT);
    }

    private static final OfLong handle$LAYOUT = (OfLong)LAYOUT.select(groupElement("handle"));
    /** Offset of {@code handle}. */
    public static final long handle$OFFSET = LAYOUT.byteOffset(groupElement("handle"));

    /**
     * @param struct a {@code baton_outcome}.
     * @return its {@code handle}.
     */
    public static long handle(final MemorySegment struct)
    {
        return struct.get(handle$LAYOUT, handle$OFFSET);
    }

    private static final OfInt status$LAYOUT = (OfInt)LAYOUT.select(groupElement("status"));
    /** Offset of {@code status}. */
    public static final long status$OFFSET = LAYOUT.byteOffset(groupElement("status"));

    /**
     * @param struct a {@code baton_outcome}.
     * @return its {@code status}.
     */
    public static int status(final MemorySegment struct)
    {
        return struct.get(status$LAYOUT, status$OFFSET);
    }

    private static final OfInt result_length$LAYOUT = (OfInt)LAYOUT.select(groupElement("result_length"));
    /** Offset of {@code result_length}. */
    public static final long result_length$OFFSET = LAYOUT.byteOffset(groupElement("result_length"));

    /**
     * @param struct a {@code baton_outcome}.
     * @return its {@code result_length}.
     */
    public static int result_length(final MemorySegment struct)
    {
        return struct.get(result_length$LAYOUT, result_length$OFFSET);
    }

    private static final OfInt timed_out$LAYOUT = (OfInt)LAYOUT.select(groupElement("timed_out"));
    /** Offset of {@code timed_out}. */
    public static final long timed_out$OFFSET = LAYOUT.byteOffset(groupElement("timed_out"));

    /**
     * @param struct a {@code baton_outcome}.
     * @return its {@code timed_out}.
     */
    public static int timed_out(final MemorySegment struct)
    {
        return struct.get(timed_out$LAYOUT, timed_out$OFFSET);
    }

    private static final OfInt kind$LAYOUT = (OfInt)LAYOUT.select(groupElement("kind"));
    /** Offset of {@code kind}. */
    public static final long kind$OFFSET = LAYOUT.byteOffset(groupElement("kind"));

    /**
     * @param struct a {@code baton_outcome}.
     * @return its {@code kind}.
     */
    public static int kind(final MemorySegment struct)
    {
        return struct.get(kind$LAYOUT, kind$OFFSET);
    }

    private static final OfLong event_id_hi$LAYOUT = (OfLong)LAYOUT.select(groupElement("event_id_hi"));
    /** Offset of {@code event_id_hi}. */
    public static final long event_id_hi$OFFSET = LAYOUT.byteOffset(groupElement("event_id_hi"));

    /**
     * @param struct a {@code baton_outcome}.
     * @return its {@code event_id_hi}.
     */
    public static long event_id_hi(final MemorySegment struct)
    {
        return struct.get(event_id_hi$LAYOUT, event_id_hi$OFFSET);
    }

    private static final OfLong event_id_lo$LAYOUT = (OfLong)LAYOUT.select(groupElement("event_id_lo"));
    /** Offset of {@code event_id_lo}. */
    public static final long event_id_lo$OFFSET = LAYOUT.byteOffset(groupElement("event_id_lo"));

    /**
     * @param struct a {@code baton_outcome}.
     * @return its {@code event_id_lo}.
     */
    public static long event_id_lo(final MemorySegment struct)
    {
        return struct.get(event_id_lo$LAYOUT, event_id_lo$OFFSET);
    }

    private static final OfLong latency_ns$LAYOUT = (OfLong)LAYOUT.select(groupElement("latency_ns"));
    /** Offset of {@code latency_ns}. */
    public static final long latency_ns$OFFSET = LAYOUT.byteOffset(groupElement("latency_ns"));

    /**
     * @param struct a {@code baton_outcome}.
     * @return its {@code latency_ns}.
     */
    public static long latency_ns(final MemorySegment struct)
    {
        return struct.get(latency_ns$LAYOUT, latency_ns$OFFSET);
    }

    private static final OfInt result_offset$LAYOUT = (OfInt)LAYOUT.select(groupElement("result_offset"));
    /** Offset of {@code result_offset}. */
    public static final long result_offset$OFFSET = LAYOUT.byteOffset(groupElement("result_offset"));

    /**
     * @param struct a {@code baton_outcome}.
     * @return its {@code result_offset}.
     */
    public static int result_offset(final MemorySegment struct)
    {
        return struct.get(result_offset$LAYOUT, result_offset$OFFSET);
    }

    private static final OfInt reserved$LAYOUT = (OfInt)LAYOUT.select(groupElement("reserved"));
    /** Offset of {@code reserved}. */
    public static final long reserved$OFFSET = LAYOUT.byteOffset(groupElement("reserved"));

    /**
     * @param struct a {@code baton_outcome}.
     * @return its {@code reserved}.
     */
    public static int reserved(final MemorySegment struct)
    {
        return struct.get(reserved$LAYOUT, reserved$OFFSET);
    }
}
