package dev.baton.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.baton.internal.layout.ChannelGeometry;
import dev.baton.internal.layout.DispatchRingDescriptor;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.DispatchRing;
import dev.baton.internal.protocol.Slab;
import dev.baton.internal.protocol.SlotFields;

/**
 * Gives the benchmarks Baton's structures on their own: the slab as a pending-event store and the
 * dispatch ring as a queue, each in memory of its own, so that they can be measured against the
 * collections they replace. Reaches the library's internal
 * packages through the class path, where the benchmarks run.
 */
public final class BenchAccess
{
    private BenchAccess()
    {
    }

    /** The slab as a store of pending events keyed by handle. */
    public static final class SlabStore
    {
        private final Slab slab;
        private final MemorySegment memory;

        /**
         * @param capacity slots, a power of two.
         * @param arena    owns the memory.
         */
        public SlabStore(final int capacity, final Arena arena)
        {
            final ChannelGeometry geometry = new ChannelGeometry(capacity, 128, 2, 1024, 2, 1);
            final ChannelMemory channel = new ChannelMemory(
                arena.allocate(geometry.segmentLength(), HeaderDescriptor.SEGMENT_ALIGNMENT), geometry, null);
            channel.format(Long.MAX_VALUE, Long.MAX_VALUE, 0, HeaderDescriptor.YIELD_LIMIT_DEFAULT);
            memory = channel.memory();
            slab = channel.slab();
        }

        /**
         * Inserts a pending event: pops a slot, writes its id and time, publishes it. Lock-free.
         *
         * @return its handle, or -1 when full.
         */
        public long insert(final long eventIdHi, final long eventIdLo, final long nowNanos)
        {
            final int index = slab.tryAcquire();
            if (index < 0)
            {
                return -1;
            }
            final long slot = slab.slotOffset(index);
            SlotFields.writeEvent(memory, slot, 0, eventIdHi, eventIdLo, 0, 0, nowNanos, Long.MAX_VALUE);
            SlotFields.placePayload(memory, slot, 0, 0);
            return slab.publish(index);
        }

        /**
         * Removes a pending event by handle (a generation-checked CAS, then the free list).
         *
         * @return whether it was there.
         */
        public boolean remove(final long handle)
        {
            return slab.free(handle, SlotDescriptor.DISPATCHED, 0);
        }

        /** @return pending events and the oldest one's dispatch time, from a scan of the state words. */
        public long scanPendingOldest(final long[] oldestOut)
        {
            long pending = 0;
            long oldest = Long.MAX_VALUE;
            for (int index = 0; index < slab.capacity(); index++)
            {
                if (SlotDescriptor.state(slab.loadState(index)) == SlotDescriptor.DISPATCHED)
                {
                    pending++;
                    oldest = Math.min(oldest, SlotFields.dispatchedAtOpaque(memory, slab.slotOffset(index)));
                }
            }
            oldestOut[0] = oldest;
            return pending;
        }
    }

    /** The dispatch ring as a bounded MPMC queue of longs. */
    public static final class RingQueue
    {
        private final DispatchRing ring;

        /**
         * @param capacity cells, a power of two.
         * @param arena    owns the memory.
         */
        public RingQueue(final int capacity, final Arena arena)
        {
            final MemorySegment memory =
                arena.allocate(DispatchRingDescriptor.length(capacity), HeaderDescriptor.SEGMENT_ALIGNMENT);
            ring = new DispatchRing(memory, 0, capacity);
            ring.format();
        }

        /** @return whether the value (non-zero) was queued. */
        public boolean offer(final long value)
        {
            final long position = ring.claim();
            if (position < 0)
            {
                return false;
            }
            ring.commit(position, value);
            return true;
        }

        /** @return the oldest value, or 0 when none is ready. */
        public long poll()
        {
            return ring.poll();
        }
    }
}
