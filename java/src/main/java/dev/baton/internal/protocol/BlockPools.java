package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;

import dev.baton.internal.layout.BlockAreaDescriptor;
import dev.baton.internal.layout.ChannelGeometry;

/**
 * A half of the block area: a free list of fixed-size blocks per size class, for payloads (the first
 * half) or results (the second) longer than their inline room. The C twin is {@code native/block_pools.c}; the methods are in the same
 * order.
 *
 * <p>A block is owned by whoever popped it until it is attached to an event (a slot's
 * {@code payload_block}) or to an outcome (a completion record's {@code result_block}), and then by
 * that event or outcome: the thread that frees the slot, or the host that delivers the outcome,
 * pushes it back. Its link holds the stamp of that event meanwhile, so that a block whose taker died
 * before naming it is found (libbaton's reaper and adopter give it back). A reference read from
 * shared memory is checked against this view's own copy of the class counts before use, and a result
 * block's against the stamp of its owner (baton.h, block area).
 */
public final class BlockPools
{
    private final long[] blocksOffsets = new long[BlockAreaDescriptor.CLASSES];
    /** A free list per class with blocks; null for a class without. */
    private final FreeList[] classes = new FreeList[BlockAreaDescriptor.CLASSES];
    private final int largest;

    /**
     * @param half 0 for the payloads' half of the block area, 1 for the results'.
     */
    public BlockPools(
        final MemorySegment memory, final ChannelGeometry geometry, final int half, final ChannelCounters counters)
    {
        final long area = geometry.blockAreaOffset() + half * geometry.blockHalfLength();
        for (int k = 0; k < BlockAreaDescriptor.CLASSES; k++)
        {
            if (geometry.blockCount(k) != 0)
            {
                blocksOffsets[k] = area + geometry.blockBlocksOffset(k);
                classes[k] = new FreeList(
                    memory, area + BlockAreaDescriptor.headOffset(k), area + geometry.blockLinksOffset(k),
                    BlockAreaDescriptor.LINK_LENGTH, geometry.blockCount(k), counters);
            }
        }
        this.largest = geometry.largestBlock();
    }

    public void format()
    {
        for (final FreeList freeList : classes)
        {
            if (freeList != null)
            {
                freeList.format();
            }
        }
    }

    /**
     * Takes a free block of the smallest class that holds {@code length} bytes and has one free.
     * The caller has checked {@code length} against {@link #largest()}. Lock-free.
     *
     * @return its reference, owned by the caller, or 0 when every class that could hold it is empty.
     */
    public int take(final int length)
    {
        for (int k = 0; k < BlockAreaDescriptor.CLASSES; k++)
        {
            if (BlockAreaDescriptor.blockSize(k) < length || classes[k] == null)
            {
                continue;
            }
            final int index = classes[k].pop();
            if (index >= 0)
            {
                return BlockAreaDescriptor.reference(k, index);
            }
        }
        return 0;
    }

    /**
     * Whether a class that could hold {@code length} bytes has a corrupted free list
     * ({@link FreeList#corrupted}): why a take of that length found nothing, when it is not that
     * every such block is taken. Off the take's path.
     */
    public boolean listsCorrupted(final int length)
    {
        for (int k = 0; k < BlockAreaDescriptor.CLASSES; k++)
        {
            if (BlockAreaDescriptor.blockSize(k) >= length && classes[k] != null && classes[k].corrupted())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Names the event {@code handle} the owner of a block the caller took, for its payload before the
     * slot names the block, or for its outcome before the record that carries it is claimed (whose
     * commit publishes the stamp with the block's bytes).
     */
    public void stampOwner(final int block, final long handle)
    {
        classes[BlockAreaDescriptor.classOf(block)].setOwnWord(
            BlockAreaDescriptor.indexOf(block), BlockAreaDescriptor.ownerStamp(handle));
    }

    /**
     * @return whether a reference names a block whose stamp names the outcome of the event
     * {@code handle}: what a drain checks before it reads or releases a record's block. Read after
     * the acquire of the record's commit.
     */
    public boolean ownedBy(final int block, final long handle)
    {
        return size(block) != 0 && classes[BlockAreaDescriptor.classOf(block)].ownWord(
            BlockAreaDescriptor.indexOf(block)) == BlockAreaDescriptor.ownerStamp(handle);
    }

    /** Pushes back a block the caller owns; a reference that names no block is ignored. Lock-free. */
    public void release(final int block)
    {
        if (size(block) != 0)
        {
            classes[BlockAreaDescriptor.classOf(block)].push(BlockAreaDescriptor.indexOf(block));
        }
    }

    /** @return the bytes of the block a reference names, or 0 when it names none (0, or scribbled). */
    public int size(final int block)
    {
        final int k = BlockAreaDescriptor.classOf(block);
        final int index = BlockAreaDescriptor.indexOf(block);
        if (k >= BlockAreaDescriptor.CLASSES || classes[k] == null || index < 0 || index >= classes[k].capacity())
        {
            return 0;
        }
        return BlockAreaDescriptor.blockSize(k);
    }

    /** @return where the block starts in the channel; the caller has checked it with {@link #size}. */
    public long offset(final int block)
    {
        final int k = BlockAreaDescriptor.classOf(block);
        return blocksOffsets[k] + (long)BlockAreaDescriptor.indexOf(block) * BlockAreaDescriptor.blockSize(k);
    }

    /** @return the longest payload or result a block holds: the largest class with blocks, or 0. */
    public int largest()
    {
        return largest;
    }
}
