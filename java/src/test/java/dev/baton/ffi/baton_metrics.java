package dev.baton.ffi;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout.OfLong;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct baton_metrics} of baton.h: the pending-event metrics from one scan of the slab. Written by hand in jextract's style.
 */
public final class baton_metrics
{
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("pending_count"),
        JAVA_LONG.withName("waiting_count"),
        JAVA_LONG.withName("in_progress_count"),
        JAVA_LONG.withName("awaiting_drain_count"),
        JAVA_LONG.withName("starving_count"),
        JAVA_LONG.withName("oldest_pending_age_ns"),
        JAVA_LONG.withName("newest_pending_age_ns"),
        JAVA_LONG.withName("oldest_event_id_hi"),
        JAVA_LONG.withName("oldest_event_id_lo"))
        .withName("baton_metrics");

    private baton_metrics()
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

    private static final OfLong pending_count$LAYOUT = (OfLong)LAYOUT.select(groupElement("pending_count"));
    /** Offset of {@code pending_count}. */
    public static final long pending_count$OFFSET = LAYOUT.byteOffset(groupElement("pending_count"));

    /**
     * @param struct a {@code baton_metrics}.
     * @return its {@code pending_count}.
     */
    public static long pending_count(final MemorySegment struct)
    {
        return struct.get(pending_count$LAYOUT, pending_count$OFFSET);
    }

    /**
     * @param struct a {@code baton_metrics}.
     * @param value  the new {@code pending_count}.
     */
    public static void pending_count(final MemorySegment struct, final long value)
    {
        struct.set(pending_count$LAYOUT, pending_count$OFFSET, value);
    }

    private static final OfLong waiting_count$LAYOUT = (OfLong)LAYOUT.select(groupElement("waiting_count"));
    /** Offset of {@code waiting_count}. */
    public static final long waiting_count$OFFSET = LAYOUT.byteOffset(groupElement("waiting_count"));

    /**
     * @param struct a {@code baton_metrics}.
     * @return its {@code waiting_count}.
     */
    public static long waiting_count(final MemorySegment struct)
    {
        return struct.get(waiting_count$LAYOUT, waiting_count$OFFSET);
    }

    /**
     * @param struct a {@code baton_metrics}.
     * @param value  the new {@code waiting_count}.
     */
    public static void waiting_count(final MemorySegment struct, final long value)
    {
        struct.set(waiting_count$LAYOUT, waiting_count$OFFSET, value);
    }

    private static final OfLong in_progress_count$LAYOUT = (OfLong)LAYOUT.select(groupElement("in_progress_count"));
    /** Offset of {@code in_progress_count}. */
    public static final long in_progress_count$OFFSET = LAYOUT.byteOffset(groupElement("in_progress_count"));

    /**
     * @param struct a {@code baton_metrics}.
     * @return its {@code in_progress_count}.
     */
    public static long in_progress_count(final MemorySegment struct)
    {
        return struct.get(in_progress_count$LAYOUT, in_progress_count$OFFSET);
    }

    /**
     * @param struct a {@code baton_metrics}.
     * @param value  the new {@code in_progress_count}.
     */
    public static void in_progress_count(final MemorySegment struct, final long value)
    {
        struct.set(in_progress_count$LAYOUT, in_progress_count$OFFSET, value);
    }

    private static final OfLong awaiting_drain_count$LAYOUT = (OfLong)LAYOUT.select(groupElement("awaiting_drain_count"));
    /** Offset of {@code awaiting_drain_count}. */
    public static final long awaiting_drain_count$OFFSET = LAYOUT.byteOffset(groupElement("awaiting_drain_count"));

    /**
     * @param struct a {@code baton_metrics}.
     * @return its {@code awaiting_drain_count}.
     */
    public static long awaiting_drain_count(final MemorySegment struct)
    {
        return struct.get(awaiting_drain_count$LAYOUT, awaiting_drain_count$OFFSET);
    }

    /**
     * @param struct a {@code baton_metrics}.
     * @param value  the new {@code awaiting_drain_count}.
     */
    public static void awaiting_drain_count(final MemorySegment struct, final long value)
    {
        struct.set(awaiting_drain_count$LAYOUT, awaiting_drain_count$OFFSET, value);
    }

    private static final OfLong starving_count$LAYOUT = (OfLong)LAYOUT.select(groupElement("starving_count"));
    /** Offset of {@code starving_count}. */
    public static final long starving_count$OFFSET = LAYOUT.byteOffset(groupElement("starving_count"));

    /**
     * @param struct a {@code baton_metrics}.
     * @return its {@code starving_count}.
     */
    public static long starving_count(final MemorySegment struct)
    {
        return struct.get(starving_count$LAYOUT, starving_count$OFFSET);
    }

    /**
     * @param struct a {@code baton_metrics}.
     * @param value  the new {@code starving_count}.
     */
    public static void starving_count(final MemorySegment struct, final long value)
    {
        struct.set(starving_count$LAYOUT, starving_count$OFFSET, value);
    }

    private static final OfLong oldest_pending_age_ns$LAYOUT = (OfLong)LAYOUT.select(groupElement("oldest_pending_age_ns"));
    /** Offset of {@code oldest_pending_age_ns}. */
    public static final long oldest_pending_age_ns$OFFSET = LAYOUT.byteOffset(groupElement("oldest_pending_age_ns"));

    /**
     * @param struct a {@code baton_metrics}.
     * @return its {@code oldest_pending_age_ns}.
     */
    public static long oldest_pending_age_ns(final MemorySegment struct)
    {
        return struct.get(oldest_pending_age_ns$LAYOUT, oldest_pending_age_ns$OFFSET);
    }

    /**
     * @param struct a {@code baton_metrics}.
     * @param value  the new {@code oldest_pending_age_ns}.
     */
    public static void oldest_pending_age_ns(final MemorySegment struct, final long value)
    {
        struct.set(oldest_pending_age_ns$LAYOUT, oldest_pending_age_ns$OFFSET, value);
    }

    private static final OfLong newest_pending_age_ns$LAYOUT = (OfLong)LAYOUT.select(groupElement("newest_pending_age_ns"));
    /** Offset of {@code newest_pending_age_ns}. */
    public static final long newest_pending_age_ns$OFFSET = LAYOUT.byteOffset(groupElement("newest_pending_age_ns"));

    /**
     * @param struct a {@code baton_metrics}.
     * @return its {@code newest_pending_age_ns}.
     */
    public static long newest_pending_age_ns(final MemorySegment struct)
    {
        return struct.get(newest_pending_age_ns$LAYOUT, newest_pending_age_ns$OFFSET);
    }

    /**
     * @param struct a {@code baton_metrics}.
     * @param value  the new {@code newest_pending_age_ns}.
     */
    public static void newest_pending_age_ns(final MemorySegment struct, final long value)
    {
        struct.set(newest_pending_age_ns$LAYOUT, newest_pending_age_ns$OFFSET, value);
    }

    private static final OfLong oldest_event_id_hi$LAYOUT = (OfLong)LAYOUT.select(groupElement("oldest_event_id_hi"));
    /** Offset of {@code oldest_event_id_hi}. */
    public static final long oldest_event_id_hi$OFFSET = LAYOUT.byteOffset(groupElement("oldest_event_id_hi"));

    /**
     * @param struct a {@code baton_metrics}.
     * @return its {@code oldest_event_id_hi}.
     */
    public static long oldest_event_id_hi(final MemorySegment struct)
    {
        return struct.get(oldest_event_id_hi$LAYOUT, oldest_event_id_hi$OFFSET);
    }

    /**
     * @param struct a {@code baton_metrics}.
     * @param value  the new {@code oldest_event_id_hi}.
     */
    public static void oldest_event_id_hi(final MemorySegment struct, final long value)
    {
        struct.set(oldest_event_id_hi$LAYOUT, oldest_event_id_hi$OFFSET, value);
    }

    private static final OfLong oldest_event_id_lo$LAYOUT = (OfLong)LAYOUT.select(groupElement("oldest_event_id_lo"));
    /** Offset of {@code oldest_event_id_lo}. */
    public static final long oldest_event_id_lo$OFFSET = LAYOUT.byteOffset(groupElement("oldest_event_id_lo"));

    /**
     * @param struct a {@code baton_metrics}.
     * @return its {@code oldest_event_id_lo}.
     */
    public static long oldest_event_id_lo(final MemorySegment struct)
    {
        return struct.get(oldest_event_id_lo$LAYOUT, oldest_event_id_lo$OFFSET);
    }

    /**
     * @param struct a {@code baton_metrics}.
     * @param value  the new {@code oldest_event_id_lo}.
     */
    public static void oldest_event_id_lo(final MemorySegment struct, final long value)
    {
        struct.set(oldest_event_id_lo$LAYOUT, oldest_event_id_lo$OFFSET, value);
    }
}
