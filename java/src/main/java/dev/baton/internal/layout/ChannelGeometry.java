package dev.baton.internal.layout;

/**
 * Sizes of a channel's parts and the offsets derived from them, as the header records them.
 *
 * @param slabCapacity           slots: a power of two, the bound on events in flight.
 * @param slotSize               bytes per slot: a multiple of 64, at least 128.
 * @param dispatchRingCapacity   cells of the dispatch ring: a power of two.
 * @param completionRingCapacity bytes of the completion ring's record area: a power of two, at least 1024.
 * @param latencyRingCapacity    entries of the latency ring: a power of two, at least 2.
 * @param attachmentCapacity     entries of the attachment table: attachments at once, in [1, 1024].
 */
public record ChannelGeometry(
    int slabCapacity,
    int slotSize,
    int dispatchRingCapacity,
    int completionRingCapacity,
    int latencyRingCapacity,
    int attachmentCapacity)
{
    public static final int SLAB_CAPACITY_MAX = 1 << 24;
    public static final int SLOT_SIZE_MAX = 1 << 20;
    public static final int DISPATCH_RING_CAPACITY_MAX = 1 << 26;
    public static final int COMPLETION_RING_CAPACITY_MAX = 1 << 30;
    public static final int LATENCY_RING_CAPACITY_MAX = 1 << 24;

    public ChannelGeometry
    {
        checkPowerOfTwo("slabCapacity", slabCapacity, 1, SLAB_CAPACITY_MAX);
        checkPowerOfTwo("dispatchRingCapacity", dispatchRingCapacity, 2, DISPATCH_RING_CAPACITY_MAX);
        checkPowerOfTwo(
            "completionRingCapacity", completionRingCapacity, CompletionRingDescriptor.CAPACITY_MIN,
            COMPLETION_RING_CAPACITY_MAX);
        checkPowerOfTwo(
            "latencyRingCapacity", latencyRingCapacity, LatencyRingDescriptor.CAPACITY_MIN, LATENCY_RING_CAPACITY_MAX);
        if (attachmentCapacity < 1 || attachmentCapacity > AttachmentTableDescriptor.CAPACITY_MAX)
        {
            throw new IllegalArgumentException(
                "attachmentCapacity must be in [1, " + AttachmentTableDescriptor.CAPACITY_MAX + "]: " +
                attachmentCapacity);
        }
        if (slotSize < SlotDescriptor.SLOT_SIZE_MIN || slotSize > SLOT_SIZE_MAX ||
            slotSize % HeaderDescriptor.CACHE_LINE_LENGTH != 0)
        {
            throw new IllegalArgumentException(
                "slotSize must be a multiple of " + HeaderDescriptor.CACHE_LINE_LENGTH + " in [" +
                SlotDescriptor.SLOT_SIZE_MIN + ", " + SLOT_SIZE_MAX + "]: " + slotSize);
        }
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

    public long segmentLength()
    {
        return attachmentTableOffset() + AttachmentTableDescriptor.length(attachmentCapacity);
    }

    /** @return the longest payload a slot holds. */
    public int payloadCapacity()
    {
        return slotSize - SlotDescriptor.HEADER_LENGTH;
    }

    /** @return the longest result a completion record holds. */
    public int maxResultLength()
    {
        return CompletionRingDescriptor.maxBodyLength(completionRingCapacity) - CompletionRingDescriptor.BODY_LENGTH;
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
                name + " must be a power of two in [" + min + ", " + max + "]: " + value);
        }
    }
}
