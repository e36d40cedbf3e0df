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
 * {@code struct baton_outcome} of baton.h: an outcome, as a drain shows it to the host. Written by hand in jextract's style.
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
        ADDRESS.withName("result"))
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
     * @param struct a {@code baton_outcome}.
     * @return its {@code handle}.
     */
    public static long handle(final MemorySegment struct)
    {
        return struct.get(handle$LAYOUT, handle$OFFSET);
    }

    /**
     * @param struct a {@code baton_outcome}.
     * @param value  the new {@code handle}.
     */
    public static void handle(final MemorySegment struct, final long value)
    {
        struct.set(handle$LAYOUT, handle$OFFSET, value);
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

    /**
     * @param struct a {@code baton_outcome}.
     * @param value  the new {@code status}.
     */
    public static void status(final MemorySegment struct, final int value)
    {
        struct.set(status$LAYOUT, status$OFFSET, value);
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

    /**
     * @param struct a {@code baton_outcome}.
     * @param value  the new {@code result_length}.
     */
    public static void result_length(final MemorySegment struct, final int value)
    {
        struct.set(result_length$LAYOUT, result_length$OFFSET, value);
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

    /**
     * @param struct a {@code baton_outcome}.
     * @param value  the new {@code timed_out}.
     */
    public static void timed_out(final MemorySegment struct, final int value)
    {
        struct.set(timed_out$LAYOUT, timed_out$OFFSET, value);
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

    /**
     * @param struct a {@code baton_outcome}.
     * @param value  the new {@code kind}.
     */
    public static void kind(final MemorySegment struct, final int value)
    {
        struct.set(kind$LAYOUT, kind$OFFSET, value);
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

    /**
     * @param struct a {@code baton_outcome}.
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
     * @param struct a {@code baton_outcome}.
     * @return its {@code event_id_lo}.
     */
    public static long event_id_lo(final MemorySegment struct)
    {
        return struct.get(event_id_lo$LAYOUT, event_id_lo$OFFSET);
    }

    /**
     * @param struct a {@code baton_outcome}.
     * @param value  the new {@code event_id_lo}.
     */
    public static void event_id_lo(final MemorySegment struct, final long value)
    {
        struct.set(event_id_lo$LAYOUT, event_id_lo$OFFSET, value);
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

    /**
     * @param struct a {@code baton_outcome}.
     * @param value  the new {@code latency_ns}.
     */
    public static void latency_ns(final MemorySegment struct, final long value)
    {
        struct.set(latency_ns$LAYOUT, latency_ns$OFFSET, value);
    }

    private static final AddressLayout result$LAYOUT = (AddressLayout)LAYOUT.select(groupElement("result"));
    /** Offset of {@code result}. */
    public static final long result$OFFSET = LAYOUT.byteOffset(groupElement("result"));

    /**
     * @param struct a {@code baton_outcome}.
     * @return its {@code result}.
     */
    public static MemorySegment result(final MemorySegment struct)
    {
        return struct.get(result$LAYOUT, result$OFFSET);
    }

    /**
     * @param struct a {@code baton_outcome}.
     * @param value  the new {@code result}.
     */
    public static void result(final MemorySegment struct, final MemorySegment value)
    {
        struct.set(result$LAYOUT, result$OFFSET, value);
    }
}
