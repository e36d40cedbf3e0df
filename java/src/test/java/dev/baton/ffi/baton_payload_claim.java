package dev.baton.ffi;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout.OfInt;
import java.lang.foreign.ValueLayout.OfLong;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct baton_payload_claim} of baton.h: room claimed for a payload written in place.
 * Written by hand in jextract's style.
 */
public final class baton_payload_claim
{
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("token"),
        ADDRESS.withName("payload"),
        JAVA_INT.withName("payload_length"),
        JAVA_INT.withName("reserved"))
        .withName("baton_payload_claim");

    private baton_payload_claim()
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

    private static final OfLong token$LAYOUT = (OfLong)LAYOUT.select(groupElement("token"));
    /** Offset of {@code token}. */
    public static final long token$OFFSET = LAYOUT.byteOffset(groupElement("token"));

    /**
     * @param struct a {@code baton_payload_claim}.
     * @return its {@code token}.
     */
    public static long token(final MemorySegment struct)
    {
        return struct.get(token$LAYOUT, token$OFFSET);
    }

    /**
     * @param struct a {@code baton_payload_claim}.
     * @param value  the new {@code token}.
     */
    public static void token(final MemorySegment struct, final long value)
    {
        struct.set(token$LAYOUT, token$OFFSET, value);
    }

    private static final AddressLayout payload$LAYOUT = (AddressLayout)LAYOUT.select(groupElement("payload"));
    /** Offset of {@code payload}. */
    public static final long payload$OFFSET = LAYOUT.byteOffset(groupElement("payload"));

    /**
     * @param struct a {@code baton_payload_claim}.
     * @return its {@code payload}.
     */
    public static MemorySegment payload(final MemorySegment struct)
    {
        return struct.get(payload$LAYOUT, payload$OFFSET);
    }

    /**
     * @param struct a {@code baton_payload_claim}.
     * @param value  the new {@code payload}.
     */
    public static void payload(final MemorySegment struct, final MemorySegment value)
    {
        struct.set(payload$LAYOUT, payload$OFFSET, value);
    }

    private static final OfInt payload_length$LAYOUT = (OfInt)LAYOUT.select(groupElement("payload_length"));
    /** Offset of {@code payload_length}. */
    public static final long payload_length$OFFSET = LAYOUT.byteOffset(groupElement("payload_length"));

    /**
     * @param struct a {@code baton_payload_claim}.
     * @return its {@code payload_length}.
     */
    public static int payload_length(final MemorySegment struct)
    {
        return struct.get(payload_length$LAYOUT, payload_length$OFFSET);
    }

    /**
     * @param struct a {@code baton_payload_claim}.
     * @param value  the new {@code payload_length}.
     */
    public static void payload_length(final MemorySegment struct, final int value)
    {
        struct.set(payload_length$LAYOUT, payload_length$OFFSET, value);
    }

    private static final OfInt reserved$LAYOUT = (OfInt)LAYOUT.select(groupElement("reserved"));
    /** Offset of {@code reserved}. */
    public static final long reserved$OFFSET = LAYOUT.byteOffset(groupElement("reserved"));

    /**
     * @param struct a {@code baton_payload_claim}.
     * @return its {@code reserved}.
     */
    public static int reserved(final MemorySegment struct)
    {
        return struct.get(reserved$LAYOUT, reserved$OFFSET);
    }

    /**
     * @param struct a {@code baton_payload_claim}.
     * @param value  the new {@code reserved}.
     */
    public static void reserved(final MemorySegment struct, final int value)
    {
        struct.set(reserved$LAYOUT, reserved$OFFSET, value);
    }
}
