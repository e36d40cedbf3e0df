package dev.baton.internal.protocol;

/**
 * The slots the host's drain freed, kept off the free list for the same thread's next dispatches:
 * a drain puts each slot it frees here and a dispatch takes one back with plain operations, where
 * the free list costs a CAS for each push and each pop (mimalloc's thread-local free list, with
 * the shared list as the other threads' heap).
 *
 * <p>One thread owns the slots kept: the first to drain, until it dies; only the owner reads or
 * writes them. A drain on another thread while the owner lives frees to the free list instead
 * ({@link Slab#freeOwned}). After a drain the owner keeps at most {@link #keep} slots and pushes
 * the rest back with one CAS ({@link Slab#trimFreed}); it pushes back all of them when it has not
 * dispatched since its last drain (a host thread that only drains keeps nothing from the threads
 * that dispatch), and after another thread found the free list empty and asked ({@link #ask}). So
 * the slots another thread cannot have are at most {@code keep}, and only until the owner's next
 * drain or its death. An attachment that leaves a channel others go on using pushes back what it
 * kept ({@code HostDrain.returnKeptSlots}, C's {@code baton_detach}).
 *
 * <p>A slot kept is FREE and on no list, as between a pop and its publication: a host that dies
 * leaves it to its adopter's audit ({@code baton__slab_recover_free}), which puts back every FREE
 * slot on no list. The C twin is {@code baton__freed_slots}.
 */
public final class FreedSlots
{
    /** The most slots held before they are pushed back together. The C twin is {@code BATON_FREED_RUN}. */
    public static final int RUN = 64;

    private final int[] indices = new int[RUN];
    private final int keep;
    private int count;
    /** The owner's: whether it dispatched since its last drain's end. */
    private boolean ownerDispatched;
    // Written by drains (one host thread at a time), read by every dispatching thread. A thread
    // reads itself here only when it wrote itself here, so a stale read never names the reader.
    private volatile Thread owner;
    // Set by a dispatch that found the free list empty; cleared by the owner as it pushes back.
    private volatile boolean asked;

    /** @param slabCapacity the slab's slots: a sixteenth of them, at most {@link #RUN}, are kept past a drain. */
    public FreedSlots(final int slabCapacity)
    {
        this.keep = Math.min(RUN, slabCapacity / 16);
    }

    /**
     * A drain's start: makes the calling thread the owner when there is none, or the owner died
     * (its last write happens-before {@link Thread#isAlive()} returning false, so its kept slots
     * are then the caller's).
     *
     * @return whether the caller owns the slots kept, and frees into them.
     */
    public boolean own(final Thread thread)
    {
        final Thread current = owner;
        if (current == thread)
        {
            return true;
        }
        if (current != null && current.isAlive())
        {
            return false;
        }
        owner = thread;
        ownerDispatched = false;
        return true;
    }

    /** @return whether {@code thread} owns the slots kept (only then may it {@link #take} them). */
    public boolean isOwnedBy(final Thread thread)
    {
        return owner == thread;
    }

    /** @return a slot kept, now the owner's to dispatch into, or -1 when none is. Owner only, dispatching. */
    public int take()
    {
        ownerDispatched = true;
        return count == 0 ? -1 : indices[--count];
    }

    /**
     * Takes up to {@code max} slots kept. Owner only.
     *
     * @return how many went into {@code into}, from index 0.
     */
    public int take(final int[] into, final int max)
    {
        ownerDispatched = true;
        final int taken = Math.min(max, count);
        count -= taken;
        System.arraycopy(indices, count, into, 0, taken);
        return taken;
    }

    /** Another thread found the free list empty: the owner pushes back every slot kept after its drain. */
    public void ask()
    {
        if (!asked)
        {
            asked = true;
        }
    }

    /** @return whether the run is now full. Owner only. */
    boolean add(final int index)
    {
        indices[count++] = index;
        return count == RUN;
    }

    /**
     * @return how many of the slots held a drain's end pushes back: all once asked or when the owner
     * did not dispatch since its last drain, else those past {@link #keep}.
     */
    int excess()
    {
        final boolean dispatched = ownerDispatched;
        ownerDispatched = false;
        if (asked)
        {
            asked = false;
            return count;
        }
        return dispatched ? Math.max(0, count - keep) : count;
    }

    int count()
    {
        return count;
    }

    int[] indices()
    {
        return indices;
    }

    /** Forgets the newest {@code n} slots held, which the caller pushed back. */
    void drop(final int n)
    {
        count -= n;
    }
}
