package dev.baton.internal.layout;

import java.util.Arrays;
import java.util.Objects;

/**
 * Sizes of a channel's parts and the offsets derived from them, as the header records them.
 *
 * @param slabCapacity           slots: a power of two, the bound on events in flight.
 * @param slotSize               bytes per slot: a multiple of 64, at least 128 (the slot's header:
 *                               no inline room, every payload in a block).
 * @param dispatchRingCapacity   cells of the dispatch ring: a power of two.
 * @param completionRingCapacity bytes of the completion ring's record area: a power of two, at least 1024.
 * @param latencyRingCapacity    entries of the latency ring: a power of two, at least 2.
 * @param attachmentCapacity     entries of the attachment table: attachments at once, in [1, 1024].
 * @param blockCounts            blocks of each size class of the block area: class k holds
 *                               {@code 1 KiB << k} bytes; {@link BlockAreaDescriptor#CLASSES} counts.
 */
public record ChannelGeometry(
    int slabCapacity,
    int slotSize,
    int dispatchRingCapacity,
    int completionRingCapacity,
    int latencyRingCapacity,
    int attachmentCapacity,
    int[] blockCounts)
{
    public static final int SLAB_CAPACITY_MAX = 1 << 24;
    public static final int SLOT_SIZE_MAX = 1 << 20;
    public static final int DISPATCH_RING_CAPACITY_MAX = 1 << 26;
    public static final int COMPLETION_RING_CAPACITY_MAX = 1 << 30;
    public static final int LATENCY_RING_CAPACITY_MAX = 1 << 24;

    public ChannelGeometry
    {
        // The messages name each field as baton.h does, in the words of libbaton's detail
        // (baton_error_detail), so that a configuration is refused alike from every language.
        checkPowerOfTwo("slab_capacity", slabCapacity, 1, SLAB_CAPACITY_MAX);
        checkPowerOfTwo("dispatch_ring_capacity", dispatchRingCapacity, 2, DISPATCH_RING_CAPACITY_MAX);
        checkPowerOfTwo(
            "completion_ring_capacity", completionRingCapacity, CompletionRingDescriptor.CAPACITY_MIN,
            COMPLETION_RING_CAPACITY_MAX);
        checkPowerOfTwo(
            "latency_ring_capacity", latencyRingCapacity, LatencyRingDescriptor.CAPACITY_MIN, LATENCY_RING_CAPACITY_MAX);
        if (attachmentCapacity < 1 || attachmentCapacity > AttachmentTableDescriptor.CAPACITY_MAX)
        {
            throw new IllegalArgumentException(
                "attachment_capacity must be in [1, " + AttachmentTableDescriptor.CAPACITY_MAX + "]: " +
                Integer.toUnsignedString(attachmentCapacity));
        }
        if (slotSize < SlotDescriptor.SLOT_SIZE_MIN || slotSize > SLOT_SIZE_MAX ||
            slotSize % HeaderDescriptor.CACHE_LINE_LENGTH != 0)
        {
            throw new IllegalArgumentException(
                "slot_size must be a multiple of " + HeaderDescriptor.CACHE_LINE_LENGTH + " in [" +
                SlotDescriptor.SLOT_SIZE_MIN + ", " + SLOT_SIZE_MAX + "]: " + Integer.toUnsignedString(slotSize));
        }
        if (blockCounts.length != BlockAreaDescriptor.CLASSES)
        {
            throw new IllegalArgumentException(
                "block_counts must have " + BlockAreaDescriptor.CLASSES + " entries: " + blockCounts.length);
        }
        blockCounts = blockCounts.clone();
        for (int k = 0; k < BlockAreaDescriptor.CLASSES; k++)
        {
            if (blockCounts[k] < 0 || blockCounts[k] > BlockAreaDescriptor.BLOCK_COUNT_MAX)
            {
                throw new IllegalArgumentException(
                    "block_counts[" + k + "] must be in [0, " + BlockAreaDescriptor.BLOCK_COUNT_MAX + "]: " +
                    Integer.toUnsignedString(blockCounts[k]));
            }
        }
    }

    /** A channel without a block area: every payload and result inline. */
    public ChannelGeometry(
        final int slabCapacity,
        final int slotSize,
        final int dispatchRingCapacity,
        final int completionRingCapacity,
        final int latencyRingCapacity,
        final int attachmentCapacity)
    {
        this(slabCapacity, slotSize, dispatchRingCapacity, completionRingCapacity, latencyRingCapacity,
            attachmentCapacity, new int[BlockAreaDescriptor.CLASSES]);
    }

    /** @return a copy of the block counts, one per size class. */
    @Override
    public int[] blockCounts()
    {
        return blockCounts.clone();
    }

    /** @return the blocks of size class k. */
    public int blockCount(final int k)
    {
        return blockCounts[k];
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof ChannelGeometry that && slabCapacity == that.slabCapacity &&
            slotSize == that.slotSize && dispatchRingCapacity == that.dispatchRingCapacity &&
            completionRingCapacity == that.completionRingCapacity && latencyRingCapacity == that.latencyRingCapacity &&
            attachmentCapacity == that.attachmentCapacity && Arrays.equals(blockCounts, that.blockCounts);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(slabCapacity, slotSize, dispatchRingCapacity, completionRingCapacity,
            latencyRingCapacity, attachmentCapacity, Arrays.hashCode(blockCounts));
    }

    @Override
    public String toString()
    {
        return "ChannelGeometry[slabCapacity=" + slabCapacity + ", slotSize=" + slotSize + ", dispatchRingCapacity=" +
            dispatchRingCapacity + ", completionRingCapacity=" + completionRingCapacity + ", latencyRingCapacity=" +
            latencyRingCapacity + ", attachmentCapacity=" + attachmentCapacity + ", blockCounts=" +
            Arrays.toString(blockCounts) + "]";
    }

    public long dispatchRingOffset()
    {
        return HeaderDescriptor.LENGTH;
    }

    public long slabOffset()
    {
        return alignToHotPadding(dispatchRingOffset() + DispatchRingDescriptor.length(dispatchRingCapacity));
    }

    public long completionRingOffset()
    {
        return alignToHotPadding(slabOffset() + (long)slabCapacity * slotSize);
    }

    public long latencyRingOffset()
    {
        return alignToHotPadding(completionRingOffset() + completionRingCapacity + CompletionRingDescriptor.TRAILER_LENGTH);
    }

    public long attachmentTableOffset()
    {
        return alignToHotPadding(latencyRingOffset() + LatencyRingDescriptor.length(latencyRingCapacity));
    }

    public long blockAreaOffset()
    {
        return alignToHotPadding(attachmentTableOffset() + AttachmentTableDescriptor.length(attachmentCapacity));
    }

    /** @return the length of each half of the block area, payloads' then results': 0 without blocks. */
    public long blockHalfLength()
    {
        return largestBlock() == 0 ? 0 : blockAreaLengthBefore(BlockAreaDescriptor.CLASSES);
    }

    /** @return where class k's links start, from the start of a half of the block area. */
    public long blockLinksOffset(final int k)
    {
        return blockAreaLengthBefore(k);
    }

    /** @return where class k's blocks start, from the start of a half of the block area. */
    public long blockBlocksOffset(final int k)
    {
        return alignToHotPadding(blockAreaLengthBefore(k) + (long)blockCounts[k] * BlockAreaDescriptor.LINK_LENGTH);
    }

    public long segmentLength()
    {
        return blockAreaOffset() + 2 * blockHalfLength();
    }

    /** @return the longest payload a slot holds inline. */
    public int inlinePayloadCapacity()
    {
        return slotSize - SlotDescriptor.HEADER_LENGTH;
    }

    /** @return the longest result a completion record holds inline. */
    public int inlineResultCapacity()
    {
        return CompletionRingDescriptor.maxBodyLength(completionRingCapacity) - CompletionRingDescriptor.BODY_LENGTH;
    }

    /** @return the bytes of the largest block class with blocks, or 0 without any. */
    public int largestBlock()
    {
        for (int k = BlockAreaDescriptor.CLASSES - 1; k >= 0; k--)
        {
            if (blockCounts[k] != 0)
            {
                return BlockAreaDescriptor.blockSize(k);
            }
        }
        return 0;
    }

    /** @return the longest payload a dispatch accepts: inline, or in the largest block. */
    public int maxPayloadLength()
    {
        return Math.max(inlinePayloadCapacity(), largestBlock());
    }

    /** @return the longest result a completion accepts: inline, or in the largest block. */
    public int maxResultLength()
    {
        return Math.max(inlineResultCapacity(), largestBlock());
    }

    /** The block area's length up to class k: its free heads, then each class below k with blocks. */
    private long blockAreaLengthBefore(final int k)
    {
        long length = BlockAreaDescriptor.LINKS_OFFSET;
        for (int c = 0; c < k; c++)
        {
            if (blockCounts[c] != 0)
            {
                length = alignToHotPadding(length + (long)blockCounts[c] * BlockAreaDescriptor.LINK_LENGTH);
                length += (long)blockCounts[c] * BlockAreaDescriptor.blockSize(c);
            }
        }
        return length;
    }

    private static long alignToHotPadding(final long offset)
    {
        final long alignment = HeaderDescriptor.HOT_FIELD_PADDING;
        return (offset + alignment - 1) & -alignment;
    }

    private static void checkPowerOfTwo(final String name, final int value, final int min, final int max)
    {
        if (value < min || value > max || Integer.bitCount(value) != 1)
        {
            throw new IllegalArgumentException(
                name + " must be a power of two in [" + min + ", " + max + "]: " + Integer.toUnsignedString(value));
        }
    }
}
