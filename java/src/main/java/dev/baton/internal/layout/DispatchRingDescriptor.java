package dev.baton.internal.layout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The dispatch ring: {@code baton_dispatch_ring} in {@code baton.h}.
 *
 * <pre>
 *  offset  size  field
 *       0     8  producer_index   hot: dispatchers
 *     128     8  consumer_index   hot: handlers
 *     256    16  cells[capacity]  { sequence, handle }
 * </pre>
 * While a cell is claimed and not yet committed, its sequence is {@link #claimedBy} its claimant's tag.
 */
public final class DispatchRingDescriptor
{
    public static final StructLayout INDICES_LAYOUT =
        HotFields.layout("baton_dispatch_ring", 0, "producer_index", "consumer_index");

    public static final StructLayout CELL_LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("sequence"),
        JAVA_LONG.withName("handle"))
        .withName("baton_dispatch_cell");

    public static final long PRODUCER_INDEX_OFFSET = INDICES_LAYOUT.byteOffset(groupElement("producer_index"));
    public static final long CONSUMER_INDEX_OFFSET = INDICES_LAYOUT.byteOffset(groupElement("consumer_index"));
    public static final long CELLS_OFFSET = INDICES_LAYOUT.byteSize();
    public static final int CELL_LENGTH = (int)CELL_LAYOUT.byteSize();

    public static final VarHandle PRODUCER_INDEX = INDICES_LAYOUT.varHandle(groupElement("producer_index"));
    public static final VarHandle CONSUMER_INDEX = INDICES_LAYOUT.varHandle(groupElement("consumer_index"));
    public static final VarHandle SEQUENCE = CELL_LAYOUT.varHandle(groupElement("sequence"));
    public static final VarHandle HANDLE = CELL_LAYOUT.varHandle(groupElement("handle"));

    /**
     * @param tag a claimant tag, 0 for a process without an attachment.
     * @return {@code BATON_CELL_CLAIMED_BY(tag)}: the sequence of a cell claimed under it and not yet
     * committed; negative, so never a position.
     */
    public static long claimedBy(final int tag)
    {
        return Long.MIN_VALUE | (tag & 0xFFFF_FFFFL);
    }

    /**
     * @param sequence a cell's sequence.
     * @return whether it is a claimant's mark ({@link #claimedBy}).
     */
    public static boolean isClaimMark(final long sequence)
    {
        return sequence < 0;
    }

    private DispatchRingDescriptor()
    {
    }

    /**
     * @param capacity cells.
     * @return bytes the ring occupies.
     */
    public static long length(final int capacity)
    {
        return CELLS_OFFSET + (long)capacity * CELL_LENGTH;
    }
}
