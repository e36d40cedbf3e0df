package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import dev.baton.internal.layout.ChannelGeometry;
import dev.baton.internal.layout.Errno;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.internal.layout.SlotDescriptor;

import static dev.baton.internal.layout.SlotDescriptor.POLLED;
import static dev.baton.internal.layout.SlotDescriptor.COMPLETED;
import static dev.baton.internal.layout.SlotDescriptor.DISPATCHED;
import static dev.baton.internal.layout.SlotDescriptor.FREE;
import static dev.baton.internal.layout.SlotDescriptor.HOLDER_SHIFT;
import static dev.baton.internal.layout.SlotDescriptor.TIMED_OUT;
import static dev.baton.internal.layout.SlotDescriptor.YIELDING;
import static dev.baton.internal.layout.SlotDescriptor.generation;
import static dev.baton.internal.layout.SlotDescriptor.state;
import static dev.baton.internal.layout.SlotDescriptor.stateWord;

/**
 * The slab: fixed-size slots with a generation-checked state word each, and a lock-free free list.
 * The C twin is {@code native/slab.c}.
 *
 * <p>The free list ({@link FreeList}) is threaded through the slots' {@code next_free} links; its
 * head is the channel header's {@code free_head}. The threads of this process that take and free
 * slots keep some in magazines of their own ({@link SlotMagazines}), trading with the list a run at
 * a time. The slab also owns the block a slot's {@code payload_block} names: whoever frees the slot
 * releases it.
 *
 * <p>Every state transition another party could race is a CAS of the whole state word, so it
 * succeeds only for the generation the caller's handle names; a slot's generation moves on each
 * time it is freed. Two are release stores by the slot's only owner ({@link #publish} and
 * {@link #freeOwned}), as {@code baton.h} draws them.
 */
public final class Slab
{
    private static final VarHandle STATE = SlotDescriptor.STATE;

    private final MemorySegment memory;
    private final long slabOffset;
    private final int capacity;
    private final int slotSize;
    private final FreeList freeList;
    private final SlotMagazines magazines;
    private final BlockPools blocks;

    public Slab(final MemorySegment memory, final ChannelGeometry geometry)
    {
        this(memory, geometry, new BlockPools(memory, geometry, 0, null), null);
    }

    /**
     * @param blocks   where a slot's payload block is released when the slot is freed.
     * @param counters where failed CASes are counted, or null.
     */
    public Slab(
        final MemorySegment memory,
        final ChannelGeometry geometry,
        final BlockPools blocks,
        final ChannelCounters counters)
    {
        this.memory = memory;
        this.slabOffset = geometry.slabOffset();
        this.capacity = geometry.slabCapacity();
        this.slotSize = geometry.slotSize();
        this.blocks = blocks;
        this.freeList = new FreeList(
            memory, HeaderDescriptor.FREE_HEAD_OFFSET, slabOffset + SlotDescriptor.offset("next_free"), slotSize,
            capacity, counters);
        this.magazines = new SlotMagazines(freeList);
    }

    /** Puts every slot in FREE(1) and threads them all onto the free list, slot 0 on top. */
    public void format()
    {
        for (int i = 0; i < capacity; i++)
        {
            STATE.set(memory, slotOffset(i), stateWord(1, FREE));
            SlotFields.forgetEvent(memory, slotOffset(i));
        }
        freeList.format();
    }

    public int capacity()
    {
        return capacity;
    }

    public long slotOffset(final int index)
    {
        return slabOffset + (long)index * slotSize;
    }

    /**
     * @param handle any long.
     * @return whether it could name a slot of this slab: a generation (never 0) and an index in
     * range (it may still be stale).
     */
    public boolean isInRange(final long handle)
    {
        final int index = Handles.index(handle);
        return handle > 0 && Handles.generation(handle) != 0 && index >= 0 && index < capacity;
    }

    /**
     * Takes a free slot for the calling thread: from its magazine with plain operations, or from the
     * free list ({@link SlotMagazines#take}). Lock-free.
     *
     * @return the slot's index, now owned by the caller, or -1 when none is free to it.
     */
    public int tryAcquire()
    {
        return magazines.take();
    }

    /**
     * Whether the free list is corrupted ({@link FreeList#corrupted}): why a take found no slot, when
     * it is not that every slot is in use. Off the take's path.
     */
    public boolean freeListCorrupted()
    {
        return freeList.corrupted();
    }

    /**
     * Takes up to {@code max} free slots (at least 1) for the calling thread: its magazine's, then a
     * run popped from the free list with one CAS ({@link SlotMagazines#takeRun}). Lock-free.
     *
     * @param indices where their indices go, each now owned by the caller.
     * @return how many, 0 when none is free to the caller.
     */
    public int tryAcquireRun(final int[] indices, final int max)
    {
        return magazines.takeRun(indices, max);
    }

    /**
     * Gives back a slot the caller owns (state FREE), with the block its payload took, if any: into
     * the calling thread's magazine, or onto the free list ({@link SlotMagazines#put}). Lock-free.
     *
     * @param index the slot.
     */
    public void release(final int index)
    {
        releaseBlock(index);
        magazines.put(index);
    }

    /**
     * As {@link #release}, for {@code count} slots (at least 1) from {@code indices[from]}: with one
     * CAS when the caller has no magazine ({@link SlotMagazines#putRun}). Lock-free.
     */
    public void releaseRun(final int[] indices, final int from, final int count)
    {
        for (int i = from; i < from + count; i++)
        {
            releaseBlock(indices[i]);
        }
        magazines.putRun(indices, from, count);
    }

    /**
     * A drain's end on the calling thread: its magazine keeps at most a 64th of the slab, none when it
     * took no slot since its last drain's end ({@link SlotMagazines#endDrain}).
     *
     * @return how many went back on the free list.
     */
    public int endDrain()
    {
        return magazines.endDrain();
    }

    /**
     * As this process leaves a channel others go on using: the slots in its magazines go back on the
     * free list, those of owners still taking from them once they call again
     * ({@link SlotMagazines#returnAll}).
     */
    public void returnMagazines()
    {
        magazines.returnAll();
    }

    /** Releases the block a slot the caller owns (state FREE, off the list) took for its payload, if any. */
    private void releaseBlock(final int index)
    {
        final long slot = slotOffset(index);
        // plain (C: relaxed): the slot is ours (FREE, off the list); a handler of its last event may
        // read the reference racily, and validates what it read against the state word, which moved
        // first (the fence orders that move before the reference's reset).
        final int block = (int)SlotDescriptor.PAYLOAD_BLOCK.get(memory, slot);
        if (block != 0)
        {
            SlotFields.fenceBeforeRewrite();
            SlotDescriptor.PAYLOAD_BLOCK.set(memory, slot, 0);
            blocks.release(block);
        }
    }

    /**
     * Marks a slot the caller popped as held by its dispatch claim: {@code next_free} takes
     * {@link SlotDescriptor#CLAIM_MARK} and the claimer's tag, a value no free-list link takes.
     * Opaque (C: relaxed): the slot is ours; a pop that read its link before ours fails its CAS on
     * the tagged head, whatever it read.
     *
     * @param index the slot.
     * @param tag   the claimer's attachment tag, 0 for none.
     */
    public void markClaim(final int index, final int tag)
    {
        SlotDescriptor.NEXT_FREE.setOpaque(memory, slotOffset(index), SlotDescriptor.CLAIM_MARK | tag);
    }

    /**
     * @param token a claim token in range, whose slot the caller found FREE in the token's generation.
     * @return whether a dispatch claim holds the slot.
     */
    public boolean isClaim(final long token)
    {
        return ((int)SlotDescriptor.NEXT_FREE.getOpaque(memory, slotOffset(Handles.index(token))) &
            SlotDescriptor.CLAIM_MARK) != 0;
    }

    /**
     * Ends the dispatch claim on the token's slot, by CAS of its mark to 0, so of two ends with one
     * token exactly one wins; the winner then holds the slot alone.
     *
     * @param token a claim token in range.
     * @return whether this call ended the claim.
     */
    public boolean endClaim(final long token)
    {
        final long slot = slotOffset(Handles.index(token));
        final int mark = (int)SlotDescriptor.NEXT_FREE.getOpaque(memory, slot);
        // CAS (C: acq_rel): the winner sees what the claimer wrote in place before handing over.
        return (mark & SlotDescriptor.CLAIM_MARK) != 0 && SlotDescriptor.NEXT_FREE.compareAndSet(memory, slot, mark, 0);
    }

    /**
     * FREE(g) to DISPATCHED(g) for a slot the caller popped and filled.
     *
     * @param index the slot.
     * @return the handle of this dispatch, or {@link Handles#NONE} when the slot was not FREE or its
     * generation is out of range (the memory was corrupted: a handle must be positive).
     */
    public long publish(final int index)
    {
        final long slot = slotOffset(index);
        // plain (C: relaxed): the slot is ours since we popped it, and no other party moves a FREE
        // word.
        final long free = (long)STATE.get(memory, slot);
        if (state(free) != FREE)
        {
            return Handles.NONE; // another process wrote over the word: the event stays, expiry settles it
        }
        // A FREE word with a holder or a generation no handle names, written over alike, is published
        // under a generation a handle names.
        final int generation = namedGeneration(generation(free));
        // release, not a CAS (C: the same): the slot is ours alone, so no one else's move can race
        // this one. It releases the event's fields, written before it, to every thread that acquires
        // the state word and reads DISPATCHED(g): pollers, cancel, expiry, the metrics scan.
        STATE.setRelease(memory, slot, stateWord(generation, DISPATCHED));
        return Handles.handle(generation, index);
    }

    /** The generation a handle can name for a word whose own another process wrote over. */
    private static int namedGeneration(final int generation)
    {
        final int named = generation & Handles.GENERATION_MAX;
        return named == 0 ? 1 : named;
    }

    /**
     * @return whether a state word is one no protocol writes (another process wrote over it): a state
     * past YIELDING, a holder tag on a state that carries none, or a generation no handle names (0, or
     * past {@link Handles#GENERATION_MAX}). The C twin is {@code baton__slab_word_corrupted}.
     */
    public static boolean wordCorrupted(final long word)
    {
        final int state = state(word);
        final int generation = generation(word);
        return state > YIELDING || ((int)word >>> HOLDER_SHIFT != 0 && state != POLLED && state != YIELDING) ||
            generation <= 0;
    }

    /**
     * @param word a corrupted state word ({@link #wordCorrupted}) read at {@code index}.
     * @return it, with a generation a handle can name: the word itself, or, for a generation no handle
     * names, the word it was moved to by CAS (the same low half under generation 1 to
     * {@link Handles#GENERATION_MAX}), or 0 when the slot moved meanwhile.
     */
    public long normalizeCorrupted(final int index, final long word)
    {
        final int generation = generation(word);
        if (generation > 0)
        {
            return word;
        }
        final long normalized = stateWord(namedGeneration(generation), (int)word);
        return STATE.compareAndSet(memory, slotOffset(index), word, normalized) ? normalized : 0L;
    }

    /**
     * @param handle an in-range handle.
     * @param from   a state, which matches whatever holder a POLLED word names, or the low half
     *               of a state word with a holder tag, which matches only that holder.
     * @return the state word a CAS from {@code from} must expect for the handle's generation, or 0
     * when the slot is not in {@code from} (never a word in {@code from}: generation 0 names no
     * event). Only POLLED carries a holder, so only it is read first. C: load_if_in.
     */
    private long loadIfIn(final long handle, final int from)
    {
        if (from != POLLED && (from & ~SlotDescriptor.STATE_MASK) == 0)
        {
            return stateWord(Handles.generation(handle), from);
        }
        final long word = loadState(Handles.index(handle));
        final boolean matches = (from & ~SlotDescriptor.STATE_MASK) != 0 ? (int)word == from : state(word) == from;
        return matches && generation(word) == Handles.generation(handle) ? word : 0L;
    }

    /**
     * Moves the handle's slot from one state to another, keeping its generation. Lock-free (one CAS,
     * which expects the word as read, holder and all, so a word that moved since fails it).
     *
     * @param handle an in-range handle.
     * @param from   the state the slot must be in (see {@link #loadIfIn}).
     * @param to     the state to move it to: a state, or {@link SlotDescriptor#polledBy} a holder.
     * @return whether this call made the transition.
     */
    public boolean transition(final long handle, final int from, final int to)
    {
        final long expected = loadIfIn(handle, from);
        return expected != 0L && STATE.compareAndSet(
            memory, slotOffset(Handles.index(handle)), expected, stateWord(Handles.generation(handle), to));
    }

    /**
     * Moves the handle's slot from {@code from} to FREE with the next generation and pushes it on the
     * free list. Lock-free. Every handle of the old generation is stale from here on. The CAS leaves
     * the freer's tag on the FREE word until the slot has forgotten its event (before the CAS, a lost
     * one would leave a live event forgotten): expiry times out an event under a FREE word past the
     * patience, but not under a live attachment's tag (baton.h, the slot's states). Then a release
     * store of the clean word, the slot's own: it orders the forgetting before it. C: the same.
     *
     * @param handle an in-range handle.
     * @param from   the state the slot must be in (see {@link #loadIfIn}).
     * @param tag    the freer's attachment tag; 0 without libbaton.
     * @return whether this call freed the slot.
     */
    public boolean free(final long handle, final int from, final int tag)
    {
        final int index = Handles.index(handle);
        final long slot = slotOffset(index);
        final long freed = stateWord(Handles.nextGeneration(Handles.generation(handle)), FREE);
        final long expected = loadIfIn(handle, from);
        if (expected != 0L && STATE.compareAndSet(memory, slot, expected, freed | (long)tag << HOLDER_SHIFT))
        {
            SlotFields.forgetEvent(memory, slot);
            STATE.setRelease(memory, slot, freed);
            release(index);
            return true;
        }
        return false;
    }

    /**
     * Frees a slot that only its caller can move: FREE(g+1), so every handle or token of generation g
     * is stale, then given back with its block ({@link #release}). The caller is the drain, with a slot in the
     * end state its outcome's record reports (cancel, expiry, completion and the reaper all need
     * DISPATCHED or POLLED), or the end of a dispatch claim, whose FREE(g) slot no other party moves.
     * A release store, not a CAS (C: the same): it orders the caller's reads of the slot (ids,
     * result, trace) before the FREE word, after which a dispatcher may pop and rewrite it.
     *
     * @param handle the handle or claim token of the slot and its generation.
     */
    public void freeOwned(final long handle)
    {
        markFree(handle);
        release(Handles.index(handle));
    }

    /** FREE(g+1) by a release store, for a slot only its caller moves (see {@link #freeOwned}). */
    private void markFree(final long handle)
    {
        final long slot = slotOffset(Handles.index(handle));
        SlotFields.forgetEvent(memory, slot); // ordered before the FREE word by its release
        STATE.setRelease(memory, slot, stateWord(Handles.nextGeneration(Handles.generation(handle)), FREE));
    }

    /**
     * @param index a slot.
     * @return its state word, with acquire: pairs with the CAS that last moved it, so the fields
     * written before that CAS are visible.
     */
    public long loadState(final int index)
    {
        return (long)STATE.getAcquire(memory, slotOffset(index));
    }

    /**
     * For the scans that act on events from their state words alone (expiry, the metrics, the list
     * of events): the word of a free slot that another process wrote over names no event, and acting
     * on it would report or list the slot's last event a second time. C: baton__slab_load_held.
     *
     * @param index a slot.
     * @return the state word of a slot that holds an event ({@link SlotFields#holdsEvent}), read with
     * acquire as {@link #loadState} reads it; 0 for a slot that holds none, whatever its word says.
     * 0 is no word of an event (generation 0 names none), and reads as FREE.
     */
    public long loadHeld(final int index)
    {
        final long word = loadState(index);
        return state(word) != FREE && !SlotFields.holdsEvent(memory, slotOffset(index)) ? 0L : word;
    }

    /**
     * Why an operation that needed the handle's slot in {@code expected} could not act on it, from
     * the slot's state word as it is now.
     *
     * @param handle   an in-range handle.
     * @param expected the state the operation needed.
     * @return the {@link Errno}.
     */
    public int rejection(final long handle, final int expected)
    {
        return rejection(handle, loadState(Handles.index(handle)), expected);
    }

    /**
     * Why an operation that needed the handle's slot in {@code expected} cannot act on it, given a
     * state word the caller read.
     *
     * @param handle   an in-range handle.
     * @param word     the slot's state word.
     * @param expected the state the operation needed.
     * @return the {@link Errno}.
     */
    public static int rejection(final long handle, final long word, final int expected)
    {
        if (generation(word) != Handles.generation(handle))
        {
            return Errno.ESTALE;
        }
        return switch (state(word))
        {
            case FREE -> Errno.ENOENT;
            case COMPLETED -> Errno.EALREADY;
            case TIMED_OUT -> Errno.ETIMEDOUT;
            case DISPATCHED, POLLED -> expected == state(word) ? Errno.ESTALE : Errno.EPROTO;
            case SlotDescriptor.YIELDING -> Errno.EAGAIN; // being yielded: dispatched again in a moment
            default -> Errno.EPROTO; // a corrupted state word: refuse to act on it
        };
    }

}
