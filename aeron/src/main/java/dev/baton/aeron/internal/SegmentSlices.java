package dev.baton.aeron.internal;

import java.lang.foreign.MemorySegment;

/**
 * Views of a scratch segment's first bytes, one per length, made once and kept: the channel's calls
 * take a payload or result as a segment of its exact length, and a view made per event would be
 * garbage. Lengths below {@link #KEPT_LENGTHS} are kept (a few dozen bytes each, for the lengths
 * seen); a longer one gets a new view each time, beside the kilobytes it copies. One thread.
 */
public final class SegmentSlices
{
    /** Views of lengths below this are kept. */
    public static final int KEPT_LENGTHS = 4096;

    private final MemorySegment scratch;
    private final MemorySegment[] byLength;

    /** @param scratch the segment the views are of. */
    public SegmentSlices(final MemorySegment scratch)
    {
        this.scratch = scratch;
        this.byLength = new MemorySegment[(int)Math.min(KEPT_LENGTHS, scratch.byteSize() + 1)];
    }

    /** @return the scratch segment's first {@code length} bytes. */
    public MemorySegment first(final int length)
    {
        if (length >= byLength.length)
        {
            return scratch.asSlice(0, length);
        }
        MemorySegment view = byLength[length];
        if (view == null)
        {
            view = scratch.asSlice(0, length);
            byLength[length] = view;
        }
        return view;
    }
}
