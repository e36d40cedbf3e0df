package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;

import dev.baton.internal.layout.ChannelGeometry;
import dev.baton.testing.TestMemory;

/** A slab of its own, formatted (every slot FREE and on the list), in memory freed by close(). */
final class FormattedSlab implements AutoCloseable
{
    private final TestMemory memory;
    final Slab slab;

    /** @param capacity slots, a power of two. */
    FormattedSlab(final int capacity)
    {
        final ChannelGeometry geometry = new ChannelGeometry(capacity, 128, 16, 1024, 16, 1);
        memory = new TestMemory(geometry.segmentLength());
        slab = new Slab(memory.segment, geometry);
        slab.format();
    }

    /** @return the channel's memory, the slab's header words among it. */
    MemorySegment segment()
    {
        return memory.segment;
    }

    @Override
    public void close()
    {
        memory.close();
    }
}
