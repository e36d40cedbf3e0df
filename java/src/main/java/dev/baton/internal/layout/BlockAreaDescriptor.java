package dev.baton.internal.layout;

/**
 * The block area: {@code BATON_BLOCK_*} in {@code baton.h}, where payloads and results longer than
 * their inline room are held. It has two halves of the same classes, payloads' then results', so
 * that a completion waiting for a block never waits on events that hold payload blocks. Each half:
 *
 * <pre>
 *  offset  size  field
 *       0  2048  free heads              class k's head at k * 128 (hot: alone in 128 bytes)
 *    2048     -  for each class k with blocks, in order of k:
 *                  links                 block_counts[k] * 4 bytes, from an offset aligned to 128
 *                  blocks                block_counts[k] * (1 KiB &lt;&lt; k) bytes, from an offset aligned to 128
 * </pre>
 *
 * A block reference packs a class above the block's index + 1, and 0 names no block:
 * <pre>
 *    31       24 23                                        0
 *   +-----------+-------------------------------------------+
 *   | class (8) |          block index + 1 (24)             |
 *   +-----------+-------------------------------------------+
 * </pre>
 */
public final class BlockAreaDescriptor
{
    public static final int CLASSES = 16;
    public static final int BLOCK_SIZE_MIN = 1024;
    public static final int BLOCK_COUNT_MAX = 1 << 24;
    public static final int LINKS_OFFSET = CLASSES * HeaderDescriptor.HOT_FIELD_PADDING;
    public static final int LINK_LENGTH = 4;
    public static final int CLASS_SHIFT = 24;
    public static final int INDEX_MASK = 0xFF_FFFF;
    /** A taken result block's link holds its owner's stamp: this bit, never set in a link. */
    public static final int OWNED = 0x8000_0000;
    public static final int STAMP_GENERATION_SHIFT = 24;
    public static final int STAMP_GENERATION_MASK = 0x7F;

    private BlockAreaDescriptor()
    {
    }

    /** @return the bytes of a block of class k. */
    public static int blockSize(final int k)
    {
        return BLOCK_SIZE_MIN << k;
    }

    /** @return where class k's free-list head is, from the block area's start. */
    public static long headOffset(final int k)
    {
        return (long)k * HeaderDescriptor.HOT_FIELD_PADDING;
    }

    public static int reference(final int k, final int index)
    {
        return (k << CLASS_SHIFT) | (index + 1);
    }

    public static int classOf(final int reference)
    {
        return reference >>> CLASS_SHIFT;
    }

    public static int indexOf(final int reference)
    {
        return (reference & INDEX_MASK) - 1;
    }

    /** @return the stamp naming the outcome of the event {@code handle} as a result block's owner (baton.h). */
    public static int ownerStamp(final long handle)
    {
        final int generation = (int)(handle >>> 32) & STAMP_GENERATION_MASK;
        return OWNED | generation << STAMP_GENERATION_SHIFT | (int)handle;
    }
}
