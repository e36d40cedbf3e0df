package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;

import dev.baton.internal.layout.AttachmentTableDescriptor;

import static dev.baton.internal.layout.AttachmentTableDescriptor.ACQUIRING;
import static dev.baton.internal.layout.AttachmentTableDescriptor.LIVE;
import static dev.baton.internal.layout.AttachmentTableDescriptor.REAPING;
import static dev.baton.internal.layout.AttachmentTableDescriptor.TAG_EPOCH_MASK;
import static dev.baton.internal.layout.AttachmentTableDescriptor.TAG_INDEX_BITS;

/**
 * The reader's view of the attachment table (drawn in baton.h): whether the attachment a tag names
 * is gone. Taking, judging and freeing entries is libbaton's ({@code native/attachment_table.c},
 * whose {@code baton__attachment_gone} this mirrors): it takes /proc.
 */
public final class AttachmentTable
{
    private final MemorySegment memory;
    private final long offset;
    private final int capacity;

    public AttachmentTable(final MemorySegment memory, final long offset, final int capacity)
    {
        this.memory = memory;
        this.offset = offset;
        this.capacity = capacity;
    }

    /**
     * @param tag a claimant or publisher tag: {@code (epoch & 0xFFF) << 12 | (entry index + 1)}.
     * @return whether the attachment it names is gone, detached or reaped, so that no call of it runs
     * any more: its entry is neither LIVE nor ACQUIRING under the tag's epoch. False for a tag that
     * names no entry (0: a publisher without an attachment), which only patience may presume dead.
     */
    public boolean isGone(final int tag)
    {
        final long entry = entryOf(tag);
        return entry >= 0 && !entryHolds(entry, tag, false);
    }

    /**
     * @param tag a holder tag, not 0.
     * @return whether no attachment holds anything under the tag, or is having it settled: the tag
     * names no entry, or its entry is neither LIVE, ACQUIRING nor REAPING under the tag's epoch (the
     * attachment detached, or was reaped, and what it held was settled then). The C twin is
     * {@code baton__attachment_released}.
     */
    public boolean isReleased(final int tag)
    {
        final long entry = entryOf(tag);
        return entry < 0 || !entryHolds(entry, tag, true);
    }

    /** @return the offset of the entry a tag names, or -1 for a tag that names none. */
    private long entryOf(final int tag)
    {
        final int number = tag & ((1 << TAG_INDEX_BITS) - 1);
        return number == 0 || number > capacity ? -1L : offset + (long)(number - 1) * AttachmentTableDescriptor.ENTRY_LENGTH;
    }

    /**
     * @return whether the entry is under the tag's epoch in a state it holds something in: LIVE or
     * ACQUIRING, or also REAPING (a reaper settling what it left) when counting reaping.
     */
    private boolean entryHolds(final long entry, final int tag, final boolean countingReaping)
    {
        // acquire: pairs with libbaton's release of LIVE, so the epoch read after it is the attacher's.
        final int state = (int)(long)AttachmentTableDescriptor.OWNER.getAcquire(memory, entry);
        final int epoch = (int)AttachmentTableDescriptor.EPOCH.getOpaque(memory, entry);
        return (state == LIVE || state == ACQUIRING || (countingReaping && state == REAPING)) &&
            (epoch & TAG_EPOCH_MASK) == tag >>> TAG_INDEX_BITS;
    }
}
