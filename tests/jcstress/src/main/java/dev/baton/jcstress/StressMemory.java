package dev.baton.jcstress;

import java.lang.foreign.Arena;

import dev.baton.internal.layout.ChannelGeometry;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.internal.protocol.ChannelMemory;

/** Small channels for jcstress states: freed by the garbage collector, as states are not closed. */
final class StressMemory
{
    private static final long ONE_SECOND_NANOS = 1_000_000_000L;

    private StressMemory()
    {
    }

    /**
     * @return a formatted channel of 128-byte slots and a 1 KiB completion ring, in memory of its own.
     */
    static ChannelMemory channel(final int slabCapacity, final int dispatchRingCapacity, final int latencyRingCapacity)
    {
        return channel(new ChannelGeometry(slabCapacity, 128, dispatchRingCapacity, 1024, latencyRingCapacity, 1));
    }

    /**
     * @param blockCounts blocks of each size class, for payloads and as many for results.
     * @return a formatted channel of 128-byte slots (no inline room: every payload takes a block).
     */
    static ChannelMemory channelWithBlocks(final int slabCapacity, final int[] blockCounts)
    {
        return channel(new ChannelGeometry(slabCapacity, 128, 2 * slabCapacity, 1024, 2, 1, blockCounts));
    }

    private static ChannelMemory channel(final ChannelGeometry geometry)
    {
        final ChannelMemory channel = new ChannelMemory(
            Arena.ofAuto().allocate(geometry.segmentLength(), HeaderDescriptor.SEGMENT_ALIGNMENT), geometry, null);
        channel.format(ONE_SECOND_NANOS, ONE_SECOND_NANOS, 0, HeaderDescriptor.YIELD_LIMIT_DEFAULT);
        return channel;
    }
}
