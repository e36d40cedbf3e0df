package dev.baton.internal.protocol;

/**
 * Slots one thread freed and holds off the free list until it pushes them back with one CAS
 * ({@link Slab#freeOwnedInto}, {@link Slab#flushFreed}): the host's drain gathers a run of them. The
 * thread holding the run is named, so that a dispatch from inside the drain's sink can flush it
 * first and never find the slab fuller than the outcomes it was shown left it. The C twin is
 * {@code baton__freed_slots}.
 */
public final class FreedSlots
{
    /** The most slots a run holds before it is pushed back. The C twin is {@code BATON_FREED_RUN}. */
    public static final int RUN = 64;

    private final int[] indices = new int[RUN];
    private int count;
    // Written by the holder only; read by any dispatching thread, which can find itself here only
    // when it wrote itself here: another thread's stale read never names it.
    private Thread holder;

    /**
     * Names the thread that frees into this run until the next call, or null for none.
     */
    public void holdBy(final Thread thread)
    {
        holder = thread;
    }

    /**
     * @return whether {@code thread} holds this run.
     */
    public boolean isHeldBy(final Thread thread)
    {
        return holder == thread;
    }

    /**
     * @return whether the run is now full.
     */
    boolean add(final int index)
    {
        indices[count++] = index;
        return count == RUN;
    }

    int count()
    {
        return count;
    }

    int[] indices()
    {
        return indices;
    }

    void clear()
    {
        count = 0;
    }
}
