package dev.baton.internal.protocol;

import dev.baton.internal.layout.DispatchRingDescriptor;
import dev.baton.internal.layout.Handles;
import dev.baton.testing.TestMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        final long position = ring.tryClaim();
        assertTrue(position >= 0, "ring full at " + handle);
        ring.commit(position, handle);
    }

    @Test
    void emptyRingPollsNone()
    {
        assertEquals(Handles.NONE, ring.poll());
        assertEquals(0, ring.size());
    }

    @Test
    void fillsToCapacityThenRefusesAndIsFifo()
    {
        for (long handle = 1; handle <= CAPACITY; handle++)
        {
            offer(handle);
        }
        assertEquals(-1, ring.tryClaim());
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
        final long first = ring.tryClaim();
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
