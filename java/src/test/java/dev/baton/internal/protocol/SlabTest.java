package dev.baton.internal.protocol;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import dev.baton.ErrorCode;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.internal.layout.SlotDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.baton.internal.layout.SlotDescriptor.POLLED;
import static dev.baton.internal.layout.SlotDescriptor.COMPLETED;
import static dev.baton.internal.layout.SlotDescriptor.DISPATCHED;
import static dev.baton.internal.layout.SlotDescriptor.FREE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlabTest
{
    private static final int CAPACITY = 8;
    private final FormattedSlab formatted = new FormattedSlab(CAPACITY);
    private final Slab slab = formatted.slab;

    @AfterEach
    void free()
    {
        formatted.close();
    }

    @Test
    void acquiresEverySlotOnceThenReportsFull()
    {
        final Set<Integer> taken = new HashSet<>();
        for (int i = 0; i < CAPACITY; i++)
        {
            final int index = slab.tryAcquire();
            assertTrue(index >= 0 && index < CAPACITY, "index " + index);
            assertTrue(taken.add(index), "slot " + index + " handed out twice");
        }
        assertEquals(-1, slab.tryAcquire());
        slab.release(3);
        assertEquals(3, slab.tryAcquire(), "the free list is a stack: the last slot released comes back first");
        assertEquals(-1, slab.tryAcquire());
    }

    @Test
    void publishStartsAtGenerationOneAndFreeMovesTheGenerationOn()
    {
        final int index = slab.tryAcquire();
        final long handle = slab.publish(index);
        assertEquals(1, Handles.generation(handle));
        assertEquals(index, Handles.index(handle));
        assertEquals(SlotDescriptor.stateWord(1, DISPATCHED), slab.loadState(index));

        assertTrue(slab.transition(handle, DISPATCHED, POLLED));
        assertFalse(slab.transition(handle, DISPATCHED, POLLED), "a transition happens once");
        assertTrue(slab.transition(handle, POLLED, COMPLETED));
        assertTrue(slab.free(handle, COMPLETED, 0));
        assertEquals(SlotDescriptor.stateWord(2, FREE), slab.loadState(index));

        assertEquals(index, slab.tryAcquire());
        final long next = slab.publish(index);
        assertEquals(2, Handles.generation(next));
        assertFalse(slab.transition(handle, DISPATCHED, POLLED), "the old generation's handle is stale");
        assertEquals(ErrorCode.ESTALE, slab.rejection(handle, POLLED));
        assertTrue(slab.transition(next, DISPATCHED, POLLED));
    }

    @Test
    void rejectionNamesWhyAHandleCannotAct()
    {
        final long handle = slab.publish(slab.tryAcquire());
        assertEquals(ErrorCode.EPROTO, slab.rejection(handle, POLLED), "dispatched, not claimed");
        slab.transition(handle, DISPATCHED, POLLED);
        slab.transition(handle, POLLED, COMPLETED);
        assertEquals(ErrorCode.EALREADY, slab.rejection(handle, POLLED));
        slab.transition(handle, COMPLETED, SlotDescriptor.TIMED_OUT);
        assertEquals(ErrorCode.ETIMEDOUT, slab.rejection(handle, POLLED));
        final long neverDispatched = Handles.handle(1, 5);
        assertEquals(ErrorCode.ENOENT, slab.rejection(neverDispatched, POLLED));
    }

    @Test
    void generationWrapsToOneAndSkipsZero()
    {
        assertEquals(1, Handles.nextGeneration(Handles.GENERATION_MAX));
        assertTrue(Handles.handle(Handles.GENERATION_MAX, Integer.MAX_VALUE) > 0, "handles stay positive");
    }

    @Test
    void rangeCheckRejectsIndicesOutsideTheSlabAndNonPositiveHandles()
    {
        assertTrue(slab.isInRange(Handles.handle(1, CAPACITY - 1)));
        assertFalse(slab.isInRange(Handles.handle(1, CAPACITY)));
        assertFalse(slab.isInRange(Handles.handle(1, -1)));
        assertFalse(slab.isInRange(Handles.NONE));
        assertFalse(slab.isInRange(-5));
    }

    @Test
    void publishOfASlotThatIsNotFreeIsReportedAsCorruption()
    {
        final int index = slab.tryAcquire();
        slab.publish(index);
        assertEquals(Handles.NONE, slab.publish(index));
    }

    @Test
    void runsArePoppedInOrderAndPushedBackWithTheirBlocks()
    {
        final int[] slots = new int[CAPACITY + 2];
        assertEquals(3, slab.tryAcquireRun(slots, 3));
        assertArrayEquals(new int[] {0, 1, 2}, Arrays.copyOf(slots, 3));
        assertEquals(CAPACITY - 3, slab.tryAcquireRun(slots, slots.length), "a run stops where the list ends");
        assertEquals(3, slots[0]);
        assertEquals(CAPACITY - 1, slots[CAPACITY - 4]);
        assertEquals(0, slab.tryAcquireRun(slots, 4));
        assertEquals(-1, slab.tryAcquire());

        slab.releaseRun(new int[] {9, 6, 2, 4}, 1, 3);
        slab.release(1);
        assertEquals(1, slab.tryAcquire());
        assertEquals(3, slab.tryAcquireRun(slots, CAPACITY));
        assertArrayEquals(new int[] {6, 2, 4}, Arrays.copyOf(slots, 3), "a run goes back in its order, on top");
        assertEquals(0, slab.tryAcquireRun(slots, CAPACITY));
    }

    @Test
    void aLinkScribbledInsideARunEndsTheRunAndIsRefusedNext()
    {
        final int[] slots = new int[CAPACITY];
        assertEquals(CAPACITY, slab.tryAcquireRun(slots, CAPACITY));
        slab.releaseRun(new int[] {6, 2, 4}, 0, 3);
        SlotDescriptor.NEXT_FREE.set(formatted.segment(), slab.slotOffset(2), CAPACITY + 9);
        assertEquals(2, slab.tryAcquireRun(slots, CAPACITY));
        assertArrayEquals(new int[] {6, 2}, Arrays.copyOf(slots, 2));
        assertEquals(0, slab.tryAcquireRun(slots, CAPACITY));
        assertEquals(-1, slab.tryAcquire());
    }

    private long[] fill()
    {
        final long[] handles = new long[CAPACITY];
        for (int i = 0; i < CAPACITY; i++)
        {
            handles[i] = slab.publish(slab.tryAcquire());
        }
        return handles;
    }

    @Test
    void aFreeListHeadScribbledPastTheCapacityIsRefusedNotFollowed()
    {
        final long scribbled = (1L << 32) | (CAPACITY + 5);
        HeaderDescriptor.FREE_HEAD_HANDLE.set(formatted.segment(), 0L, scribbled);
        assertEquals(-1, slab.tryAcquire());
        assertEquals(scribbled, (long)HeaderDescriptor.FREE_HEAD_HANDLE.get(formatted.segment(), 0L));
        assertTrue(slab.freeListCorrupted(), "why the take found nothing");
    }

    @Test
    void aFullSlabIsNotACorruptedOne()
    {
        assertFalse(slab.freeListCorrupted());
        fill();
        assertEquals(-1, slab.tryAcquire());
        assertFalse(slab.freeListCorrupted(), "every slot is in use: backpressure, not corruption");
    }

    @Test
    void aStateWordNoProtocolWritesIsRefusedAsEproto()
    {
        final long handle = Handles.handle(1, 0);
        assertEquals(ErrorCode.EPROTO, Slab.rejection(handle, SlotDescriptor.stateWord(1, 99), POLLED));
    }
}
