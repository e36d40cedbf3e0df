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
            if (top == 0)
            {
                return -1;
            }
            if (Integer.compareUnsigned(top, capacity) > 0)
            {
                return -1; // a corrupted head: refuse rather than index outside the items
            }
            // plain (C: relaxed): the top item may be popped and pushed back by another thread
            // while we read its link; the tag makes the CAS below fail in that case. An aligned int
            // is read whole, and Java, unlike C, lets a plain read race.
            final int next = (int)LINK.get(memory, linkOffset(top - 1));
            if (HEAD.compareAndSet(memory, headOffset, head, nextTag(head) | (next & 0xFFFF_FFFFL)))
            {
                return top - 1;
            }
            countRetry();
        }
    }

    /**
     * Pushes an item the caller owns back on the list. Lock-free.
     *
     * @param index the item.
     */
    public void push(final int index)
    {
        final long link = linkOffset(index);
        while (true)
        {
            final long head = (long)HEAD.getAcquire(memory, headOffset);
            // plain (C: relaxed): a pop that still holds an older head may read this link
            // concurrently; it then fails its CAS on the tag.
            LINK.set(memory, link, (int)head);
            // CAS (seq_cst): releases the link above to the pop that acquires this head.
            if (HEAD.compareAndSet(memory, headOffset, head, nextTag(head) | (index + 1)))
            {
                return;
            }
            countRetry();
        }
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

    private static long nextTag(final long head)
    {
        return ((head >>> 32) + 1) << 32;
    }
}
