package dev.baton.ffi;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct baton_config} of baton.h: the configuration of a new channel. Written by hand in jextract's style.
 */
public final class baton_config
{
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("slab_capacity"),
        JAVA_INT.withName("slot_size"),
        JAVA_INT.withName("dispatch_ring_capacity"),
        JAVA_INT.withName("completion_ring_capacity"),
        JAVA_INT.withName("latency_ring_capacity"),
        JAVA_INT.withName("attachment_capacity"),
        JAVA_LONG.withName("completion_timeout_ns"),
        JAVA_LONG.withName("starvation_threshold_ns"),
        JAVA_INT.withName("redelivery_limit"),
        JAVA_INT.withName("yield_limit"),
        MemoryLayout.sequenceLayout(16, JAVA_INT).withName("block_counts"))
        .withName("baton_config");

    private baton_config()
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

    private static final OfInt slab_capacity$LAYOUT = (OfInt)LAYOUT.select(groupElement("slab_capacity"));
    /** Offset of {@code slab_capacity}. */
    public static final long slab_capacity$OFFSET = LAYOUT.byteOffset(groupElement("slab_capacity"));

    /**
     * @param struct a {@code baton_config}.
     * @return its {@code slab_capacity}.
     */
    public static int slab_capacity(final MemorySegment struct)
    {
        return struct.get(slab_capacity$LAYOUT, slab_capacity$OFFSET);
    }

    /**
     * @param struct a {@code baton_config}.
     * @param value  the new {@code slab_capacity}.
     */
    public static void slab_capacity(final MemorySegment struct, final int value)
    {
        struct.set(slab_capacity$LAYOUT, slab_capacity$OFFSET, value);
    }

    private static final OfInt slot_size$LAYOUT = (OfInt)LAYOUT.select(groupElement("slot_size"));
    /** Offset of {@code slot_size}. */
    public static final long slot_size$OFFSET = LAYOUT.byteOffset(groupElement("slot_size"));

    /**
     * @param struct a {@code baton_config}.
     * @return its {@code slot_size}.
     */
    public static int slot_size(final MemorySegment struct)
    {
        return struct.get(slot_size$LAYOUT, slot_size$OFFSET);
    }

    /**
     * @param struct a {@code baton_config}.
     * @param value  the new {@code slot_size}.
     */
    public static void slot_size(final MemorySegment struct, final int value)
    {
        struct.set(slot_size$LAYOUT, slot_size$OFFSET, value);
    }

    private static final OfInt dispatch_ring_capacity$LAYOUT = (OfInt)LAYOUT.select(groupElement("dispatch_ring_capacity"));
    /** Offset of {@code dispatch_ring_capacity}. */
    public static final long dispatch_ring_capacity$OFFSET = LAYOUT.byteOffset(groupElement("dispatch_ring_capacity"));

    /**
     * @param struct a {@code baton_config}.
     * @return its {@code dispatch_ring_capacity}.
     */
    public static int dispatch_ring_capacity(final MemorySegment struct)
    {
        return struct.get(dispatch_ring_capacity$LAYOUT, dispatch_ring_capacity$OFFSET);
    }

    /**
     * @param struct a {@code baton_config}.
     * @param value  the new {@code dispatch_ring_capacity}.
     */
    public static void dispatch_ring_capacity(final MemorySegment struct, final int value)
    {
        struct.set(dispatch_ring_capacity$LAYOUT, dispatch_ring_capacity$OFFSET, value);
    }

    private static final OfInt completion_ring_capacity$LAYOUT = (OfInt)LAYOUT.select(groupElement("completion_ring_capacity"));
    /** Offset of {@code completion_ring_capacity}. */
    public static final long completion_ring_capacity$OFFSET = LAYOUT.byteOffset(groupElement("completion_ring_capacity"));

    /**
     * @param struct a {@code baton_config}.
     * @return its {@code completion_ring_capacity}.
     */
    public static int completion_ring_capacity(final MemorySegment struct)
    {
        return struct.get(completion_ring_capacity$LAYOUT, completion_ring_capacity$OFFSET);
    }

    /**
     * @param struct a {@code baton_config}.
     * @param value  the new {@code completion_ring_capacity}.
     */
    public static void completion_ring_capacity(final MemorySegment struct, final int value)
    {
        struct.set(completion_ring_capacity$LAYOUT, completion_ring_capacity$OFFSET, value);
    }

    private static final OfInt latency_ring_capacity$LAYOUT = (OfInt)LAYOUT.select(groupElement("latency_ring_capacity"));
    /** Offset of {@code latency_ring_capacity}. */
    public static final long latency_ring_capacity$OFFSET = LAYOUT.byteOffset(groupElement("latency_ring_capacity"));

    /**
     * @param struct a {@code baton_config}.
     * @return its {@code latency_ring_capacity}.
     */
    public static int latency_ring_capacity(final MemorySegment struct)
    {
        return struct.get(latency_ring_capacity$LAYOUT, latency_ring_capacity$OFFSET);
    }

    /**
     * @param struct a {@code baton_config}.
     * @param value  the new {@code latency_ring_capacity}.
     */
    public static void latency_ring_capacity(final MemorySegment struct, final int value)
    {
        struct.set(latency_ring_capacity$LAYOUT, latency_ring_capacity$OFFSET, value);
    }

    private static final OfInt attachment_capacity$LAYOUT = (OfInt)LAYOUT.select(groupElement("attachment_capacity"));
    /** Offset of {@code attachment_capacity}. */
    public static final long attachment_capacity$OFFSET = LAYOUT.byteOffset(groupElement("attachment_capacity"));

    /**
     * @param struct a {@code baton_config}.
     * @return its {@code attachment_capacity}.
     */
    public static int attachment_capacity(final MemorySegment struct)
    {
        return struct.get(attachment_capacity$LAYOUT, attachment_capacity$OFFSET);
    }

    /**
     * @param struct a {@code baton_config}.
     * @param value  the new {@code attachment_capacity}.
     */
    public static void attachment_capacity(final MemorySegment struct, final int value)
    {
        struct.set(attachment_capacity$LAYOUT, attachment_capacity$OFFSET, value);
    }

    private static final OfLong completion_timeout_ns$LAYOUT = (OfLong)LAYOUT.select(groupElement("completion_timeout_ns"));
    /** Offset of {@code completion_timeout_ns}. */
    public static final long completion_timeout_ns$OFFSET = LAYOUT.byteOffset(groupElement("completion_timeout_ns"));

    /**
     * @param struct a {@code baton_config}.
     * @return its {@code completion_timeout_ns}.
     */
    public static long completion_timeout_ns(final MemorySegment struct)
    {
        return struct.get(completion_timeout_ns$LAYOUT, completion_timeout_ns$OFFSET);
    }

    /**
     * @param struct a {@code baton_config}.
     * @param value  the new {@code completion_timeout_ns}.
     */
    public static void completion_timeout_ns(final MemorySegment struct, final long value)
    {
        struct.set(completion_timeout_ns$LAYOUT, completion_timeout_ns$OFFSET, value);
    }

    private static final OfLong starvation_threshold_ns$LAYOUT = (OfLong)LAYOUT.select(groupElement("starvation_threshold_ns"));
    /** Offset of {@code starvation_threshold_ns}. */
    public static final long starvation_threshold_ns$OFFSET = LAYOUT.byteOffset(groupElement("starvation_threshold_ns"));

    /**
     * @param struct a {@code baton_config}.
     * @return its {@code starvation_threshold_ns}.
     */
    public static long starvation_threshold_ns(final MemorySegment struct)
    {
        return struct.get(starvation_threshold_ns$LAYOUT, starvation_threshold_ns$OFFSET);
    }

    /**
     * @param struct a {@code baton_config}.
     * @param value  the new {@code starvation_threshold_ns}.
     */
    public static void starvation_threshold_ns(final MemorySegment struct, final long value)
    {
        struct.set(starvation_threshold_ns$LAYOUT, starvation_threshold_ns$OFFSET, value);
    }

    private static final OfInt redelivery_limit$LAYOUT = (OfInt)LAYOUT.select(groupElement("redelivery_limit"));
    /** Offset of {@code redelivery_limit}. */
    public static final long redelivery_limit$OFFSET = LAYOUT.byteOffset(groupElement("redelivery_limit"));

    /**
     * @param struct a {@code baton_config}.
     * @return its {@code redelivery_limit}.
     */
    public static int redelivery_limit(final MemorySegment struct)
    {
        return struct.get(redelivery_limit$LAYOUT, redelivery_limit$OFFSET);
    }

    /**
     * @param struct a {@code baton_config}.
     * @param value  the new {@code redelivery_limit}.
     */
    public static void redelivery_limit(final MemorySegment struct, final int value)
    {
        struct.set(redelivery_limit$LAYOUT, redelivery_limit$OFFSET, value);
    }

    private static final OfInt yield_limit$LAYOUT = (OfInt)LAYOUT.select(groupElement("yield_limit"));
    /** Offset of {@code yield_limit}. */
    public static final long yield_limit$OFFSET = LAYOUT.byteOffset(groupElement("yield_limit"));

    /**
     * @param struct a {@code baton_config}.
     * @return its {@code yield_limit}.
     */
    public static int yield_limit(final MemorySegment struct)
    {
        return struct.get(yield_limit$LAYOUT, yield_limit$OFFSET);
    }

    /**
     * @param struct a {@code baton_config}.
     * @param value  the new {@code yield_limit}.
     */
    public static void yield_limit(final MemorySegment struct, final int value)
    {
        struct.set(yield_limit$LAYOUT, yield_limit$OFFSET, value);
    }

    /** Offset of {@code block_counts}. */
    public static final long block_counts$OFFSET = LAYOUT.byteOffset(groupElement("block_counts"));

    /**
     * @param struct a {@code baton_config}.
     * @param k      a size class, below {@code BATON_BLOCK_CLASSES}.
     * @return its {@code block_counts[k]}.
     */
    public static int block_counts(final MemorySegment struct, final long k)
    {
        return struct.getAtIndex(JAVA_INT, block_counts$OFFSET / JAVA_INT.byteSize() + k);
    }

    /**
     * @param struct a {@code baton_config}.
     * @param k      a size class, below {@code BATON_BLOCK_CLASSES}.
     * @param value  the new {@code block_counts[k]}.
     */
    public static void block_counts(final MemorySegment struct, final long k, final int value)
    {
        struct.setAtIndex(JAVA_INT, block_counts$OFFSET / JAVA_INT.byteSize() + k, value);
    }
}
