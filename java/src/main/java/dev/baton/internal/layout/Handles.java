package dev.baton.internal.layout;

/**
 * A handle names one dispatch of one slot, as {@code baton.h} draws it:
 * <pre>
 *    63 62                 32 31                                  0
 *   +--+---------------------+-------------------------------------+
 *   | 0|   generation (31)   |            slot index (32)          |
 *   +--+---------------------+-------------------------------------+
 * </pre>
 * The generation is never 0, so a valid handle is always positive: {@link #NONE} (0) means
 * "no handle" and negative values are {@link Errno}s.
 */
public final class Handles
{
    /** "No handle". */
    public static final long NONE = 0;
    /** The largest generation; the next one after it is 1. */
    public static final int GENERATION_MAX = 0x7FFFFFFF;

    private Handles()
    {
    }

    /**
     * @param generation in 1..{@link #GENERATION_MAX}.
     * @param index      slot index.
     * @return the handle.
     */
    public static long handle(final int generation, final int index)
    {
        return ((long)generation << 32) | (index & 0xFFFF_FFFFL);
    }

    /**
     * @param handle a handle.
     * @return its generation.
     */
    public static int generation(final long handle)
    {
        return (int)(handle >>> 32);
    }

    /**
     * @param handle a handle.
     * @return its slot index.
     */
    public static int index(final long handle)
    {
        return (int)handle;
    }

    /**
     * @param generation a generation.
     * @return the generation that follows it, skipping 0.
     */
    public static int nextGeneration(final int generation)
    {
        return generation == GENERATION_MAX ? 1 : generation + 1;
    }
}
