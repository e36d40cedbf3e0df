package dev.baton.ffi;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfLong;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct baton_drain_counts} of baton.h: what an attachment's drains saw. Written by hand in
 * jextract's style.
 */
public final class baton_drain_counts
{
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("completed_count"),
        JAVA_LONG.withName("timed_out_count"),
        JAVA_LONG.withName("rejected_record_count"),
        JAVA_LONG.withName("unblocked_record_count"))
        .withName("baton_drain_counts");

    private baton_drain_counts()
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

    private static final OfLong completed_count$LAYOUT = (OfLong)LAYOUT.select(groupElement("completed_count"));
    /** Offset of {@code completed_count}. */
    public static final long completed_count$OFFSET = LAYOUT.byteOffset(groupElement("completed_count"));

    /**
     * @param struct a {@code baton_drain_counts}.
     * @return its {@code completed_count}.
     */
    public static long completed_count(final MemorySegment struct)
    {
        return struct.get(completed_count$LAYOUT, completed_count$OFFSET);
    }

    private static final OfLong timed_out_count$LAYOUT = (OfLong)LAYOUT.select(groupElement("timed_out_count"));
    /** Offset of {@code timed_out_count}. */
    public static final long timed_out_count$OFFSET = LAYOUT.byteOffset(groupElement("timed_out_count"));

    /**
     * @param struct a {@code baton_drain_counts}.
     * @return its {@code timed_out_count}.
     */
    public static long timed_out_count(final MemorySegment struct)
    {
        return struct.get(timed_out_count$LAYOUT, timed_out_count$OFFSET);
    }

    private static final OfLong rejected_record_count$LAYOUT =
        (OfLong)LAYOUT.select(groupElement("rejected_record_count"));
    /** Offset of {@code rejected_record_count}. */
    public static final long rejected_record_count$OFFSET = LAYOUT.byteOffset(groupElement("rejected_record_count"));

    /**
     * @param struct a {@code baton_drain_counts}.
     * @return its {@code rejected_record_count}.
     */
    public static long rejected_record_count(final MemorySegment struct)
    {
        return struct.get(rejected_record_count$LAYOUT, rejected_record_count$OFFSET);
    }

    private static final OfLong unblocked_record_count$LAYOUT =
        (OfLong)LAYOUT.select(groupElement("unblocked_record_count"));
    /** Offset of {@code unblocked_record_count}. */
    public static final long unblocked_record_count$OFFSET =
        LAYOUT.byteOffset(groupElement("unblocked_record_count"));

    /**
     * @param struct a {@code baton_drain_counts}.
     * @return its {@code unblocked_record_count}.
     */
    public static long unblocked_record_count(final MemorySegment struct)
    {
        return struct.get(unblocked_record_count$LAYOUT, unblocked_record_count$OFFSET);
    }
}
