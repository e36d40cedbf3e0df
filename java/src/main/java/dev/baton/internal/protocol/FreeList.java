package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A lock-free free list of numbered items: a Treiber stack whose links live wherever the caller
 * keeps them (the slab threads it through its slots, each block class through an array). The C
 * twin is {@code native/free_list.c}.
 *
 * <p>The head word is {@code tag << 32 | (top index + 1)}, 0 = empty; every push and pop
 * increments the tag, so a pop that read a link from an item that was popped and pushed back
 * meanwhile fails its CAS instead of installing a stale link (the ABA problem). The tag wraps after
 * 2^32 operations: a pop would have to stall across exactly that many for ABA to recur.
 */
public final class FreeList
{
    private static final VarHandle HEAD = JAVA_LONG.varHandle();
    private static final VarHandle LINK = JAVA_INT.varHandle();

    private final MemorySegment memory;
    private final long headOffset;
    private final long linksOffset;
    private final int stride;
    private final int capacity;
    private final ChannelCounters counters;

    /**
     * @param headOffset  where the head word is: 8-byte aligned.
     * @param linksOffset where item 0's link (a 4-byte int) is.
     * @param stride      bytes from one item's link to the next one's.
     * @param capacity    items.
     * @param counters    where failed CASes are counted, or null.
     */
    public FreeList(
        final MemorySegment memory,
        final long headOffset,
        final long linksOffset,
        final int stride,
        final int capacity,
        final ChannelCounters counters)
    {
        this.memory = memory;
        this.headOffset = headOffset;
        this.linksOffset = linksOffset;
        this.stride = stride;
        this.capacity = capacity;
        this.counters = counters;
    }

    /**
     * Threads every item onto the list, item 0 on top. Before any other thread sees the memory. A
     * list of no items is never popped or pushed, and its head may lie outside the channel: it is
     * left alone.
     */
    public void format()
    {
        if (capacity == 0)
        {
            return;
        }
        for (int i = 0; i < capacity; i++)
        {
            LINK.set(memory, linkOffset(i), i + 1 < capacity ? i + 2 : 0);
        }
        HEAD.set(memory, headOffset, 1L);
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * Writes a word of the caller's into the link of an item it popped, which the link no longer
     * needs while the item is off the list (a result block's owner stamp). Plain (C: relaxed): a pop
     * that reads it from a stale head fails its CAS on the tag; a reader orders it by what publishes
     * the item.
     */
    public void setOwnWord(final int index, final int word)
    {
        LINK.set(memory, linkOffset(index), word);
    }

    /** @return the word in an item's link: its link while on the list, its owner's word while off. */
    public int ownWord(final int index)
    {
        return (int)LINK.get(memory, linkOffset(index));
    }

    /**
     * Pops an item. Lock-free: a failed CAS means another thread's push or pop succeeded.
     *
     * @return the item's index, now owned by the caller, or -1 when the list is empty.
     */
    public int pop()
    {
        while (true)
        {
            // acquire: pairs with the CAS in push() that pushed the top item, so its link, written
            // before that CAS, is visible here.
            final long head = (long)HEAD.getAcquire(memory, headOffset);
            final int top = (int)head;
            if (top == 0 || Integer.compareUnsigned(top, capacity) > 0)
            {
                return -1; // empty, or a corrupted head: refuse rather than index outside the items
            }
            // plain (C: relaxed): the top item may be popped and pushed back by another thread
            // while we read its link; the tag makes the CAS below fail in that case. An aligned int
            // is read whole, and Java, unlike C, lets a plain read race.
            if (cut(head, (int)LINK.get(memory, linkOffset(top - 1))))
            {
                return top - 1;
            }
        }
    }

    /**
     * Pops up to {@code max} items (at least 1) with one CAS. Lock-free. The C twin is
     * {@code baton__free_list_pop_run}.
     *
     * @param items where their indices go, from {@code items[from]} on, from the top down, each now
     *              owned by the caller.
     * @return how many, 0 when the list is empty.
     */
    public int popRun(final int[] items, final int from, final int max)
    {
        while (true)
        {
            // acquire: pairs with the CAS of the push that put the top item there. Every change of
            // the head is a CAS, so this also follows every earlier push: the links of all the items
            // below, each written before its push, are visible here.
            final long head = (long)HEAD.getAcquire(memory, headOffset);
            int item = (int)head;
            int taken = 0;
            // An item past the capacity is a corrupted link: the walk stops before it, and it
            // becomes the head, which the next pop refuses rather than index outside the items.
            while (taken < max && item != 0 && Integer.compareUnsigned(item, capacity) <= 0)
            {
                items[from + taken++] = item - 1;
                // plain (C: relaxed): the items may be popped and pushed back meanwhile; the tag
                // then makes the CAS fail whatever was read. An unchanged tag means no push or pop
                // came between: every link walked is the one its push wrote.
                item = (int)LINK.get(memory, linkOffset(item - 1));
            }
            if (taken == 0)
            {
                return 0;
            }
            if (cut(head, item))
            {
                return taken;
            }
        }
    }

    /**
     * Pushes an item the caller owns back on the list. Lock-free.
     *
     * @param index the item.
     */
    public void push(final int index)
    {
        splice(index, linkOffset(index));
    }

    /**
     * Pushes {@code count} items (at least 1) the caller owns back on the list with one CAS,
     * {@code items[from]} on top. Lock-free. The C twin is {@code baton__free_list_push_run}.
     */
    public void pushRun(final int[] items, final int from, final int count)
    {
        final int last = from + count - 1;
        for (int i = from; i < last; i++)
        {
            // plain (C: relaxed): the items are the caller's; the CAS in splice releases their links.
            LINK.set(memory, linkOffset(items[i]), items[i + 1] + 1);
        }
        splice(items[from], linkOffset(items[last]));
    }

    /** Puts a chain of the caller's items, linked from {@code top} down to the link at {@code lastLink}, on top. */
    private void splice(final int top, final long lastLink)
    {
        while (true)
        {
            final long head = (long)HEAD.getAcquire(memory, headOffset);
            // plain (C: relaxed): a pop that still holds an older head may read this link
            // concurrently; it then fails its CAS on the tag.
            LINK.set(memory, lastLink, (int)head);
            // CAS (seq_cst): releases the links above to the pop that acquires this head.
            if (HEAD.compareAndSet(memory, headOffset, head, nextTag(head) | (top + 1)))
            {
                return;
            }
            countRetry();
        }
    }

    /** Replaces the head a pop read with {@code next}: whether no push or pop came between. */
    private boolean cut(final long head, final int next)
    {
        if (HEAD.compareAndSet(memory, headOffset, head, nextTag(head) | (next & 0xFFFF_FFFFL)))
        {
            return true;
        }
        countRetry();
        return false;
    }

    private long linkOffset(final int index)
    {
        return linksOffset + (long)index * stride;
    }

    private void countRetry()
    {
        if (counters != null)
        {
            counters.freeListRetries.increment();
        }
    }

    /**
     * Whether the head names an item past the capacity, which no push or pop writes: another process
     * wrote over it, or over a link that a pop then made the head. The items below it are lost to
     * the list; a push still puts items on top, and pops take those. For a caller whose pop found
     * nothing, off the pop's path. The C twin is {@code baton__free_list_corrupted}.
     */
    public boolean corrupted()
    {
        // acquire: as a pop's load of the head.
        final int top = (int)(long)HEAD.getAcquire(memory, headOffset);
        return Integer.compareUnsigned(top, capacity) > 0;
    }

    private static long nextTag(final long head)
    {
        return ((head >>> 32) + 1) << 32;
    }
}
