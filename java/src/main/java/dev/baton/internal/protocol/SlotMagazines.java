package dev.baton.internal.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Free slots kept by the threads of this process that take and free them, so that a thread taking
 * back the slots it freed touches no shared word for them: Bonwick's magazines, with the slab's
 * free list as the depot. Up to {@link #MAGAZINES} threads own one each; any other thread takes from
 * and frees to the free list directly. A magazine trades with the list a run at a time, one CAS per
 * run: its owner refills it with {@code keep} slots when it finds it empty, and a free that fills it
 * to twice that pushes back the oldest {@code keep}.
 *
 * <p>Only its owner reads or writes a magazine's slots. The owner is the first thread to take or
 * free a slot while the magazine had none, until that thread ends: its last write happens-before
 * {@link Thread#isAlive()} returning false, so a later claimant may then use what it left.
 *
 * <p>No slot is kept from a thread that needs it for long. A drain's end keeps at most {@code keep}
 * ({@link #endDrain}), and none for a thread that took no slot since its last drain (a host thread
 * that only drains keeps nothing from those that dispatch). A thread that finds its magazine and the
 * list empty asks the other owners, each of which pushes back all it holds at its next take, free or
 * drain's end, and pushes back itself what the magazine of an ended thread holds. So the slots a
 * thread cannot have are those of live owners that have not called since: fewer than 2 × keep each,
 * with keep a 64th of the slab, so under an eighth of it in all.
 *
 * <p>A slot in a magazine is FREE and on no list, as between a pop and its publication: a host that
 * dies leaves it to its adopter's audit ({@code baton__slab_recover_free}), which puts back every
 * FREE slot on no list. libbaton keeps one magazine, its draining thread's ({@code baton__freed_slots}).
 */
public final class SlotMagazines
{
    /** How many threads of one process get a magazine. */
    public static final int MAGAZINES = 4;
    /** The most slots a magazine keeps past a take or a drain. */
    private static final int KEEP_MAX = 32;
    /** Stands as the owner while another thread pushes back what an ended owner left. */
    private static final Thread RECLAIMING = Thread.ofVirtual().unstarted(() -> { });
    private static final VarHandle OWNER;

    static
    {
        try
        {
            OWNER = MethodHandles.lookup().findVarHandle(Magazine.class, "owner", Thread.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** One thread's slots. */
    private static final class Magazine
    {
        // Claimed by CAS (from no owner, or from an ended one); read by every thread looking for its own.
        volatile Thread owner;
        // Set by a thread that found its magazine and the list empty; cleared by the owner as it answers.
        volatile boolean asked;
        // The owner's alone: FREE slots on no list, the oldest first.
        final int[] slots;
        int count;
        /** Whether the owner took a slot since its last drain's end. */
        boolean took;

        Magazine(final int keep)
        {
            slots = new int[2 * keep];
        }
    }

    private final FreeList freeList;
    private final int keep;
    private final Magazine[] magazines;

    /** @param freeList the slab's free list, which the magazines trade with. */
    SlotMagazines(final FreeList freeList)
    {
        this.freeList = freeList;
        this.keep = Math.min(KEEP_MAX, freeList.capacity() / 64);
        this.magazines = new Magazine[keep == 0 ? 0 : MAGAZINES];
        for (int i = 0; i < magazines.length; i++)
        {
            magazines[i] = new Magazine(keep);
        }
    }

    /**
     * Takes a free slot: the newest in the caller's magazine, or else the top of a run refilled from
     * the list with one CAS. Lock-free.
     *
     * @return the slot's index, now the caller's, or -1 when none is free to it.
     */
    int take()
    {
        final Magazine magazine = mine();
        if (magazine == null)
        {
            final int index = freeList.pop();
            return index >= 0 || !askOthers(null) ? index : freeList.pop();
        }
        magazine.took = true;
        if (magazine.asked)
        {
            // Everything back, and one slot from the list, not a run: a refill now would take back
            // what the asker is waiting for.
            answer(magazine);
            return freeList.pop();
        }
        if (magazine.count == 0)
        {
            magazine.count = freeList.popRun(magazine.slots, 0, keep);
            if (magazine.count == 0 && askOthers(magazine))
            {
                magazine.count = freeList.popRun(magazine.slots, 0, keep);
            }
        }
        return magazine.count == 0 ? -1 : magazine.slots[--magazine.count];
    }

    /**
     * Takes up to {@code max} free slots (at least 1): the caller's magazine's, then a run popped
     * from the list with one CAS. Lock-free.
     *
     * @return how many went into {@code into}, from index 0; 0 when none is free to the caller.
     */
    int takeRun(final int[] into, final int max)
    {
        final Magazine magazine = mine();
        int taken = 0;
        if (magazine != null)
        {
            magazine.took = true;
            if (magazine.asked)
            {
                answer(magazine);
            }
            taken = Math.min(max, magazine.count);
            magazine.count -= taken;
            System.arraycopy(magazine.slots, magazine.count, into, 0, taken);
        }
        if (taken < max)
        {
            taken += freeList.popRun(into, taken, max - taken);
        }
        return taken > 0 || !askOthers(magazine) ? taken : freeList.popRun(into, 0, max);
    }

    /**
     * Puts a slot the caller owns (FREE, its block released) into the caller's magazine, or on the
     * list when it has none. Lock-free.
     */
    void put(final int index)
    {
        final Magazine magazine = mine();
        if (magazine == null)
        {
            freeList.push(index);
            return;
        }
        add(magazine, index);
    }

    /**
     * As {@link #put}, for {@code count} slots (at least 1) from {@code indices[from]}: with one CAS,
     * {@code indices[from]} on top, when the caller has no magazine.
     */
    void putRun(final int[] indices, final int from, final int count)
    {
        final Magazine magazine = mine();
        if (magazine == null)
        {
            freeList.pushRun(indices, from, count);
            return;
        }
        for (int i = from; i < from + count; i++)
        {
            add(magazine, indices[i]);
        }
    }

    /** Adds a slot to the owner's magazine: all go back if it was asked, its oldest run once it is full. */
    private void add(final Magazine magazine, final int index)
    {
        magazine.slots[magazine.count++] = index;
        if (magazine.asked)
        {
            answer(magazine);
        }
        else if (magazine.count == magazine.slots.length)
        {
            pushBackOldest(magazine, keep);
        }
    }

    /**
     * A drain's end on the calling thread: its magazine keeps at most {@code keep} slots, and none
     * when it took no slot since its last drain's end or was asked.
     *
     * @return how many went back on the list.
     */
    int endDrain()
    {
        final Magazine magazine = owned(Thread.currentThread());
        if (magazine == null)
        {
            return 0;
        }
        final boolean took = magazine.took;
        magazine.took = false;
        if (magazine.asked || !took)
        {
            return answer(magazine);
        }
        final int excess = magazine.count - keep;
        if (excess > 0)
        {
            pushBackOldest(magazine, excess);
        }
        return Math.max(0, excess);
    }

    /**
     * As this process leaves a channel others go on using: pushes back what the caller's magazine and
     * those of ended threads hold, and asks the other owners, who may be taking from theirs still.
     * What they hold stays FREE and on no list for an adopter's audit unless they call again.
     */
    void returnAll()
    {
        final Thread caller = Thread.currentThread();
        for (final Magazine magazine : magazines)
        {
            final Thread owner = magazine.owner;
            if (owner == caller || ended(owner))
            {
                reclaim(magazine, owner);
            }
            else if (owner != null && owner != RECLAIMING)
            {
                magazine.asked = true;
            }
        }
    }

    /** @return the calling thread's magazine, claimed now if it had none and one is unowned or its owner ended; or null. */
    private Magazine mine()
    {
        final Thread thread = Thread.currentThread();
        final Magazine owned = owned(thread);
        return owned != null ? owned : claim(thread);
    }

    private Magazine owned(final Thread thread)
    {
        for (final Magazine magazine : magazines)
        {
            if (magazine.owner == thread)
            {
                return magazine;
            }
        }
        return null;
    }

    private Magazine claim(final Thread thread)
    {
        for (final Magazine magazine : magazines)
        {
            final Thread owner = magazine.owner;
            // CAS: one claimant wins an unowned or ended owner's magazine. Its slots are then the
            // claimant's: an ended owner's last writes happen-before isAlive() returned false, and a
            // reclaimer's, which emptied it, before its volatile write of no owner that this read.
            if ((owner == null || ended(owner)) && OWNER.compareAndSet(magazine, owner, thread))
            {
                magazine.took = false;
                return magazine;
            }
        }
        return null;
    }

    /**
     * A thread found its magazine and the list empty: each other live owner is asked to push back
     * what it holds, and what an ended owner left is pushed back now.
     *
     * @return whether slots went back on the list, so that a pop now may find one.
     */
    private boolean askOthers(final Magazine asker)
    {
        boolean returned = false;
        for (final Magazine magazine : magazines)
        {
            final Thread owner = magazine.owner;
            if (magazine == asker || owner == null || owner == RECLAIMING)
            {
                continue;
            }
            if (ended(owner))
            {
                returned |= reclaim(magazine, owner) > 0;
            }
            else if (!magazine.asked)
            {
                magazine.asked = true; // written only when clear: askers do not bounce the line
            }
        }
        return returned;
    }

    /**
     * Takes a magazine from its owner (the caller, or one that ended), pushes back what it holds and
     * leaves it unowned.
     *
     * @return how many went back; 0 also when another thread claimed it first.
     */
    private int reclaim(final Magazine magazine, final Thread owner)
    {
        if (!OWNER.compareAndSet(magazine, owner, RECLAIMING))
        {
            return 0;
        }
        final int returned = answer(magazine);
        magazine.owner = null; // volatile: the emptied magazine goes to the next claimant
        return returned;
    }

    /** @return whether a magazine's owner is a thread that ended (not none, nor a reclaimer's mark). */
    private static boolean ended(final Thread owner)
    {
        return owner != null && owner != RECLAIMING && !owner.isAlive();
    }

    /** The owner answers an ask: everything it holds goes back. @return how many. */
    private int answer(final Magazine magazine)
    {
        magazine.asked = false; // cleared first: an ask after the push below is answered next time
        final int returned = magazine.count;
        if (returned > 0)
        {
            pushBackOldest(magazine, returned);
        }
        return returned;
    }

    /** Pushes back the oldest {@code n} slots (at least 1) with one CAS; the newest, likelier in cache, stay. */
    private void pushBackOldest(final Magazine magazine, final int n)
    {
        freeList.pushRun(magazine.slots, 0, n);
        magazine.count -= n;
        System.arraycopy(magazine.slots, n, magazine.slots, 0, magazine.count);
    }
}
