package dev.baton.internal.protocol;

import dev.baton.internal.layout.DispatchRingDescriptor;
import dev.baton.internal.layout.Handles;
import dev.baton.testing.TestMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DispatchRingTest
{
    private static final int CAPACITY = 4;
    private static final long OFFSET = 128;
    private TestMemory memory;
    private DispatchRing ring;

    @BeforeEach
    void format()
    {
        memory = new TestMemory(OFFSET + DispatchRingDescriptor.length(CAPACITY));
        ring = new DispatchRing(memory.segment, OFFSET, CAPACITY);
        ring.format();
    }

    @AfterEach
    void free()
    {
        memory.close();
    }

    private void offer(final long handle)
    {
        final long position = ring.claim();
        assertTrue(position >= 0, "ring full at " + handle);
        ring.commit(position, handle);
    }

    @Test
    void aPositionTakenAndNeverMarkedIsCommittedAsItIsOnceFoundSoForThePatience() throws InterruptedException
    {
        // A producer takes position 0 and dies before its mark: nothing names it.
        memory.segment.set(JAVA_LONG, OFFSET + DispatchRingDescriptor.PRODUCER_INDEX_OFFSET, 1L);
        offer(9);
        assertEquals(Handles.NONE, ring.poll(), "consumers stop at the unmarked cell");
        assertFalse(ring.unblockUnmarked(1_000_000L), "first found so: the patience starts");
        Thread.sleep(5);
        assertTrue(ring.unblockUnmarked(1_000_000L), "found so past the patience: committed as it is");
        assertEquals(1, sequenceAt(0), "full, with the handle it held (none: consumers drop it)");
        assertEquals(Handles.NONE, ring.poll());
        assertEquals(9, ring.poll(), "the event behind it is polled");
    }

    @Test
    void emptyRingPollsNone()
    {
        assertEquals(Handles.NONE, ring.poll());
        assertEquals(0, ring.size());
    }

    @Test
    void aClaimedCellIsMarkedWithItsClaimantsTagUntilItsCommit()
    {
        final long unattached = ring.claim();
        assertEquals(DispatchRingDescriptor.claimedBy(0), sequenceAt(unattached));
        ring.commit(unattached, 7);
        assertEquals(unattached + 1, sequenceAt(unattached));
        ring.markClaimsAs(0x3002);
        final long attached = ring.claim();
        assertEquals(DispatchRingDescriptor.claimedBy(0x3002), sequenceAt(attached));
        assertTrue(DispatchRingDescriptor.isClaimMark(sequenceAt(attached)), "a mark is never a position");
        assertEquals(7, ring.poll());
        assertEquals(Handles.NONE, ring.poll(), "consumers stop at the claimed cell");
        ring.commit(attached, 8);
        assertEquals(8, ring.poll());
    }

    @Test
    void aMarkedCellOfThePreviousLapIsFullToProducers()
    {
        final long first = ring.claim();
        for (int i = 1; i < CAPACITY; i++)
        {
            ring.commit(ring.claim(), i);
        }
        assertEquals(Handles.NONE, ring.poll(), "stopped at the first, claimed cell");
        assertEquals(-1, ring.claim(), "full: the next lap's producer meets a claimant's mark");
        ring.commit(first, 100);
        assertEquals(100, ring.poll());
        assertTrue(ring.claim() >= 0);
    }

    private long sequenceAt(final long position)
    {
        return (long)DispatchRingDescriptor.SEQUENCE.get(
            memory.segment, OFFSET + DispatchRingDescriptor.CELLS_OFFSET + (position & (CAPACITY - 1)) * DispatchRingDescriptor.CELL_LENGTH);
    }

    @Test
    void fillsToCapacityThenRefusesAndIsFifo()
    {
        for (long handle = 1; handle <= CAPACITY; handle++)
        {
            offer(handle);
        }
        assertEquals(-1, ring.claim());
        assertEquals(CAPACITY, ring.size());
        for (long handle = 1; handle <= CAPACITY; handle++)
        {
            assertEquals(handle, ring.poll());
        }
        assertEquals(Handles.NONE, ring.poll());
    }

    @Test
    void wrapsAroundForManyLaps()
    {
        long next = 1;
        long expected = 1;
        for (int lap = 0; lap < 50; lap++)
        {
            offer(next++);
            offer(next++);
            offer(next++);
            assertEquals(expected++, ring.poll());
            assertEquals(expected++, ring.poll());
            assertEquals(expected++, ring.poll());
        }
        assertEquals(151, next);
        assertEquals(Handles.NONE, ring.poll());
    }

    @Test
    void aClaimedButUncommittedCellHidesItselfAndLaterCells()
    {
        final long first = ring.claim();
        offer(42);
        assertEquals(Handles.NONE, ring.poll(), "the first position is claimed but not committed");
        ring.commit(first, 41);
        assertEquals(41, ring.poll());
        assertEquals(42, ring.poll());
    }

    @Test
    void indicesLiveOnSeparateCacheLinePairs()
    {
        assertEquals(128, DispatchRingDescriptor.CONSUMER_INDEX_OFFSET - DispatchRingDescriptor.PRODUCER_INDEX_OFFSET);
        assertEquals(256, DispatchRingDescriptor.CELLS_OFFSET);
    }
}
