package dev.baton.internal.protocol;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.testing.TestThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The threads' magazines of free slots, through the slab that owns them ({@link SlotMagazines}). */
class SlotMagazinesTest
{
    /** A magazine keeps a 64th of the slab: 4 slots, and trades with the list 4 at a time. */
    private static final int CAPACITY = 256;
    private static final int KEEP = CAPACITY / 64;
    private final FormattedSlab formatted = new FormattedSlab(CAPACITY);
    private final Slab slab = formatted.slab;

    @AfterEach
    void free()
    {
        formatted.close();
    }

    /** @return the slot on top of the free list, -1 when it is empty. */
    private int listTop()
    {
        return (int)(long)HeaderDescriptor.FREE_HEAD_HANDLE.get(formatted.segment(), 0L) - 1;
    }

    @Test
    void aThreadRefillsItsMagazineARunAtATimeAndTakesBackWhatItFreedWithoutTheList()
    {
        final int first = slab.tryAcquire();
        assertEquals(KEEP - 1, first, "a run of four popped with one CAS; the newest of it taken");
        assertEquals(KEEP, listTop());
        for (int i = 0; i < KEEP - 1; i++)
        {
            assertTrue(slab.tryAcquire() < KEEP, "taken from the magazine");
        }
        assertEquals(KEEP, listTop(), "the list untouched until the magazine ran dry");
        slab.release(first);
        assertEquals(first, slab.tryAcquire(), "the slot just freed comes back first");
        assertEquals(KEEP, listTop());
        assertEquals(2 * KEEP - 1, slab.tryAcquire(), "dry again: the next run");
        assertEquals(2 * KEEP, listTop());
    }

    @Test
    void aFreeThatFillsTheMagazinePushesBackItsOldestRunAndADrainsEndKeepsARun()
    {
        final int[] taken = takeAll();
        for (int i = 0; i < 2 * KEEP - 1; i++)
        {
            slab.release(taken[i]);
        }
        assertEquals(-1, listTop(), "all kept so far");
        slab.release(taken[2 * KEEP - 1]);
        assertEquals(taken[0], listTop(), "full: the oldest four went back, in the order they were freed");
        assertEquals(0, slab.endDrain(), "it took slots since its last drain's end: it keeps four");
        assertEquals(KEEP, slab.endDrain(), "none taken since: a thread that only drains keeps none");
        assertEquals(taken[KEEP], listTop(), "the four it kept, the oldest on top");
    }

    @Test
    void anOwnerAskedByAThreadThatFoundNoSlotPushesBackAllItHoldsAtItsNextCall() throws Exception
    {
        final int[] taken = takeAll();
        slab.release(taken[0]);
        slab.release(taken[1]);
        final AtomicInteger found = new AtomicInteger();
        onAnotherThread(() -> found.set(slab.tryAcquire()));
        assertEquals(-1, found.get(), "both slots are in this thread's magazine: the other thread asks");
        slab.release(taken[2]);
        assertEquals(taken[0], listTop(), "asked: all three went back with that free");
        final Set<Integer> others = new HashSet<>();
        onAnotherThread(() -> {
            for (int index; (index = slab.tryAcquire()) >= 0; )
            {
                others.add(index);
            }
        });
        assertEquals(Set.of(taken[0], taken[1], taken[2]), others);
    }

    @Test
    void anAskedOwnerThatTakesKeepsOneSlotAndLeavesTheRestToTheAsker() throws Exception
    {
        final int[] taken = takeAll();
        slab.release(taken[0]);
        slab.release(taken[1]);
        slab.release(taken[2]);
        onAnotherThread(() -> assertEquals(-1, slab.tryAcquire(), "all three in this thread's magazine: it asks"));
        final int mine = slab.tryAcquire();
        assertTrue(Set.of(taken[0], taken[1], taken[2]).contains(mine));
        final Set<Integer> others = new HashSet<>();
        onAnotherThread(() -> {
            for (int index; (index = slab.tryAcquire()) >= 0; )
            {
                others.add(index);
            }
        });
        assertEquals(2, others.size(), "the take that answered popped one slot, no run");
        assertFalse(others.contains(mine));
    }

    @Test
    void whatAnEndedThreadKeptGoesBackToTheFirstThreadThatFindsNoSlot() throws Exception
    {
        final int[] taken = takeAll();
        onAnotherThread(() -> {
            slab.release(taken[5]);
            slab.release(taken[6]);
        });
        assertEquals(-1, listTop(), "the ended thread's magazine holds both");
        final Set<Integer> found = new HashSet<>();
        for (int index; (index = slab.tryAcquire()) >= 0; )
        {
            found.add(index);
        }
        assertEquals(Set.of(taken[5], taken[6]), found);
    }

    @Test
    void aThreadBeyondTheMagazinesFreesToTheList() throws Exception
    {
        final int[] taken = takeAll();
        final CountDownLatch holding = new CountDownLatch(SlotMagazines.MAGAZINES - 1);
        final CountDownLatch done = new CountDownLatch(1);
        final Thread[] owners = new Thread[SlotMagazines.MAGAZINES - 1];
        for (int i = 0; i < owners.length; i++)
        {
            final int index = taken[10 + i];
            owners[i] = Thread.ofPlatform().start(() -> {
                slab.release(index); // claims a magazine, and holds it while it lives
                holding.countDown();
                TestThreads.awaitOpen(done);
            });
        }
        holding.await();
        assertEquals(-1, listTop(), "this thread and three others own the four magazines");
        onAnotherThread(() -> slab.release(taken[20]));
        assertEquals(taken[20], listTop(), "a fifth thread has none: straight to the list");
        done.countDown();
        for (final Thread owner : owners)
        {
            owner.join();
        }
    }

    @Test
    void leavingTheChannelReturnsTheCallersSlotsAndAsksTheLiveOwners() throws Exception
    {
        final int[] taken = takeAll();
        slab.release(taken[3]);
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch left = new CountDownLatch(1);
        final Thread owner = Thread.ofPlatform().start(() -> {
            slab.release(taken[4]);
            holding.countDown();
            TestThreads.awaitOpen(left);
            slab.release(taken[7]); // its next call answers the ask
        });
        holding.await();
        slab.returnMagazines();
        assertEquals(taken[3], listTop(), "the caller's slot went back; the live owner's stays with it");
        left.countDown();
        owner.join();
        final Set<Integer> found = new HashSet<>();
        for (int index; (index = slab.tryAcquire()) >= 0; )
        {
            found.add(index);
        }
        assertEquals(Set.of(taken[3], taken[4], taken[7]), found);
    }

    /** Takes every slot on this thread, whose magazine is then empty. */
    private int[] takeAll()
    {
        final int[] taken = new int[CAPACITY];
        for (int i = 0; i < CAPACITY; i++)
        {
            taken[i] = slab.tryAcquire();
        }
        assertEquals(-1, slab.tryAcquire());
        assertEquals(CAPACITY, Arrays.stream(taken).distinct().count());
        return taken;
    }

    private static void onAnotherThread(final Runnable task) throws InterruptedException
    {
        final Thread thread = Thread.ofPlatform().start(task);
        thread.join();
    }
}
