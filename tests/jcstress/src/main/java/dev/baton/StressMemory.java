package dev.baton;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Small channel memory for one jcstress state: freed by the garbage collector, as states are not closed. */
final class StressMemory
{
    final ChannelGeometry geometry;
    final MemorySegment memory;
    final Slab slab;
    final DispatchRing dispatchRing;
    final CompletionRing completionRing;
    final LatencyRing latencyRing;

    StressMemory(final int slabCapacity, final int dispatchRingCapacity, final int latencyRingCapacity)
    {
        geometry = new ChannelGeometry(slabCapacity, 128, dispatchRingCapacity, 1024, latencyRingCapacity);
        memory = Arena.ofAuto().allocate(geometry.segmentLength(), HeaderDescriptor.SEGMENT_ALIGNMENT);
        slab = new Slab(memory, geometry);
        slab.format();
        dispatchRing = new DispatchRing(memory, geometry.dispatchRingOffset(), dispatchRingCapacity);
        dispatchRing.format();
        completionRing = new CompletionRing(memory, geometry.completionRingOffset(), 1024);
        completionRing.format();
        latencyRing = new LatencyRing(memory, geometry.latencyRingOffset(), latencyRingCapacity);
        latencyRing.format();
    }
}
