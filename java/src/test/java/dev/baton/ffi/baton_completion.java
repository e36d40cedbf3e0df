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
 * {@code struct baton_completion} of baton.h: one entry of {@code baton_complete_batch}. Written by
 * hand in jextract's style.
 */
public final class baton_completion
{
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("handle"),
        JAVA_INT.withName("status"),
        JAVA_INT.withName("result_length"),
        ADDRESS.withName("result"),
        JAVA_LONG.withName("handler_span_id"))
        .withName("baton_completion");

    private static final long HANDLE = LAYOUT.byteOffset(groupElement("handle"));
    private static final long STATUS = LAYOUT.byteOffset(groupElement("status"));
    private static final long RESULT_LENGTH = LAYOUT.byteOffset(groupElement("result_length"));
    private static final long RESULT = LAYOUT.byteOffset(groupElement("result"));
    private static final long HANDLER_SPAN_ID = LAYOUT.byteOffset(groupElement("handler_span_id"));

    private baton_completion()
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
     * Fills entry {@code index} of an array.
     *
     * @return the array.
     */
    public static MemorySegment set(
        final MemorySegment array, final int index, final long handle, final int status, final MemorySegment result,
        final long handlerSpanId)
    {
        final MemorySegment entry = array.asSlice(index * LAYOUT.byteSize(), LAYOUT.byteSize());
        entry.set(JAVA_LONG, HANDLE, handle);
        entry.set(JAVA_INT, STATUS, status);
        entry.set(JAVA_INT, RESULT_LENGTH, (int)result.byteSize());
        entry.set(ADDRESS, RESULT, result);
        entry.set(JAVA_LONG, HANDLER_SPAN_ID, handlerSpanId);
        return array;
    }
}
