package dev.baton.ffi;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct baton_dispatch_entry} of baton.h: one entry of {@code baton_dispatch_batch}. Written
 * by hand in jextract's style.
 */
public final class baton_dispatch_entry
{
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("event_id_hi"),
        JAVA_LONG.withName("event_id_lo"),
        JAVA_LONG.withName("correlation_id_hi"),
        JAVA_LONG.withName("correlation_id_lo"),
        JAVA_LONG.withName("trace_id_hi"),
        JAVA_LONG.withName("trace_id_lo"),
        JAVA_LONG.withName("parent_span_id"),
        JAVA_INT.withName("trace_flags"),
        JAVA_INT.withName("kind"),
        ADDRESS.withName("payload"),
        JAVA_INT.withName("payload_length"),
        JAVA_INT.withName("reserved"))
        .withName("baton_dispatch_entry");

    private static final long EVENT_ID_LO = LAYOUT.byteOffset(groupElement("event_id_lo"));
    private static final long KIND = LAYOUT.byteOffset(groupElement("kind"));
    private static final long PAYLOAD = LAYOUT.byteOffset(groupElement("payload"));
    private static final long PAYLOAD_LENGTH = LAYOUT.byteOffset(groupElement("payload_length"));

    private baton_dispatch_entry()
    {
    }

    /** @return the layout of the struct. */
    public static GroupLayout layout()
    {
        return LAYOUT;
    }

    /**
     * @param arena where to allocate.
     * @param count entries.
     * @return a zeroed array of {@code count} structs.
     */
    public static MemorySegment allocateArray(final SegmentAllocator arena, final int count)
    {
        return arena.allocate(LAYOUT, count);
    }

    /**
     * Fills entry {@code index} of an array: an event with no correlation id and no trace context.
     *
     * @return the array.
     */
    public static MemorySegment set(
        final MemorySegment array, final int index, final long eventIdLo, final int kind, final MemorySegment payload)
    {
        final MemorySegment entry = array.asSlice(index * LAYOUT.byteSize(), LAYOUT.byteSize());
        entry.set(JAVA_LONG, EVENT_ID_LO, eventIdLo);
        entry.set(JAVA_INT, KIND, kind);
        entry.set(ADDRESS, PAYLOAD, payload);
        entry.set(JAVA_INT, PAYLOAD_LENGTH, (int)payload.byteSize());
        return array;
    }
}
