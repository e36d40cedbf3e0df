package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.baton.internal.layout.AttachmentTableDescriptor;
import dev.baton.internal.layout.BlockAreaDescriptor;
import dev.baton.internal.layout.ChannelGeometry;
import dev.baton.internal.layout.HeaderDescriptor;

/**
 * A channel's parts assembled over one segment, as {@code baton.h} lays them out: the header, the
 * slab, the dispatch ring, the completion ring with its outcome publisher, the latency ring and the
 * block area.
 * The one place that knows where each part lives; the channel, the tests, the jcstress states and
 * the benchmarks all build their view of a channel here.
 *
 * <p>The C twin is {@code native/channel_memory.c}.
 */
public final class ChannelMemory
{
    private final MemorySegment memory;
    private final ChannelGeometry geometry;
    private final Slab slab;
    private final BlockPools payloadBlocks;
    private final BlockPools resultBlocks;
    private final DispatchRing dispatchRing;
    private final CompletionRing completionRing;
    private final OutcomePublisher outcomes;
    private final AttachmentTable attachments;
    private final LatencyRing latencyRing;
    private final ChannelClock clock;

    /**
     * @param memory   at least {@link ChannelGeometry#segmentLength()} bytes, aligned to
     *                 {@link HeaderDescriptor#SEGMENT_ALIGNMENT}.
     * @param geometry the sizes of the parts.
     * @param counters where the parts count CAS retries, or null.
     */
    public ChannelMemory(final MemorySegment memory, final ChannelGeometry geometry, final ChannelCounters counters)
    {
        if (memory.byteSize() < geometry.segmentLength())
        {
            throw new IllegalArgumentException(
                "memory of " + memory.byteSize() + " bytes is shorter than the channel's " + geometry.segmentLength());
        }
        this.memory = memory;
        this.geometry = geometry;
        this.payloadBlocks = new BlockPools(memory, geometry, 0, counters);
        this.resultBlocks = new BlockPools(memory, geometry, 1, counters);
        this.slab = new Slab(memory, geometry, payloadBlocks, counters);
        this.dispatchRing = new DispatchRing(
            memory, geometry.dispatchRingOffset(), geometry.dispatchRingCapacity(), counters);
        this.completionRing = new CompletionRing(
            memory, geometry.completionRingOffset(), geometry.completionRingCapacity(), counters);
        this.attachments = new AttachmentTable(memory, geometry.attachmentTableOffset(), geometry.attachmentCapacity());
        this.outcomes = new OutcomePublisher(memory, slab, resultBlocks, completionRing, attachments);
        this.latencyRing = new LatencyRing(memory, geometry.latencyRingOffset(), geometry.latencyRingCapacity());
        this.clock = new ChannelClock(memory);
    }

    /**
     * @param memory a channel formatted by {@link #format} or {@code baton_format}.
     * @param object what the memory is, for a message: the channel's path.
     * @return a view of its parts, with the geometry its header records.
     * @throws IllegalArgumentException if the memory is not a channel of this ABI major version, or its
     *                                  header's sizes disagree: "object: fault", in the words of
     *                                  {@code baton_open}'s detail ({@code baton_error_detail}).
     */
    public static ChannelMemory bind(final MemorySegment memory, final Object object)
    {
        try
        {
            return new ChannelMemory(memory, readGeometry(memory), null);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(object + ": " + ex.getMessage(), ex);
        }
    }

    /** The geometry the header records, checked as C's {@code baton__channel_read_config} checks it. */
    private static ChannelGeometry readGeometry(final MemorySegment memory)
    {
        // acquire: pairs with the release that format() writes the magic with, last.
        final long magic = (long)HeaderDescriptor.MAGIC_HANDLE.getAcquire(memory, 0L);
        if (magic != HeaderDescriptor.MAGIC)
        {
            throw new IllegalArgumentException(String.format(
                "not a Baton channel: its magic is 0x%016x, a channel's is 0x%016x", magic, HeaderDescriptor.MAGIC));
        }
        final int version = (int)HeaderDescriptor.ABI_VERSION_HANDLE.get(memory, 0L);
        if (version >>> 16 != HeaderDescriptor.ABI_MAJOR)
        {
            throw new IllegalArgumentException("its ABI version is " + (version >>> 16) + "." + (version & 0xFFFF) +
                ", and this library reads major version " + HeaderDescriptor.ABI_MAJOR);
        }
        final ChannelGeometry geometry;
        try
        {
            geometry = new ChannelGeometry(
                (int)HeaderDescriptor.SLAB_CAPACITY_HANDLE.get(memory, 0L),
                (int)HeaderDescriptor.SLOT_SIZE_HANDLE.get(memory, 0L),
                (int)HeaderDescriptor.DISPATCH_RING_CAPACITY_HANDLE.get(memory, 0L),
                (int)HeaderDescriptor.COMPLETION_RING_CAPACITY_HANDLE.get(memory, 0L),
                (int)HeaderDescriptor.LATENCY_RING_CAPACITY_HANDLE.get(memory, 0L),
                (int)HeaderDescriptor.ATTACHMENT_CAPACITY_HANDLE.get(memory, 0L),
                memory.asSlice(HeaderDescriptor.BLOCK_COUNTS_OFFSET, 4L * BlockAreaDescriptor.CLASSES)
                    .toArray(ValueLayout.JAVA_INT));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("its header holds an invalid configuration: " + ex.getMessage(), ex);
        }
        if (geometry.segmentLength() > memory.byteSize())
        {
            throw new IllegalArgumentException(
                "its header claims " + geometry.segmentLength() + " bytes, and it holds " + memory.byteSize());
        }
        // Every size and offset the header claims must follow from the sizes, checked in C's order.
        checkHeaderField("segment_length", (long)HeaderDescriptor.SEGMENT_LENGTH_HANDLE.get(memory, 0L),
            geometry.segmentLength());
        checkHeaderField("header_length", Integer.toUnsignedLong((int)HeaderDescriptor.HEADER_LENGTH_HANDLE.get(memory, 0L)),
            HeaderDescriptor.LENGTH);
        checkHeaderField("dispatch_ring_offset", (long)HeaderDescriptor.DISPATCH_RING_OFFSET_HANDLE.get(memory, 0L),
            geometry.dispatchRingOffset());
        checkHeaderField("slab_offset", (long)HeaderDescriptor.SLAB_OFFSET_HANDLE.get(memory, 0L), geometry.slabOffset());
        checkHeaderField("completion_ring_offset",
            (long)HeaderDescriptor.COMPLETION_RING_OFFSET_HANDLE.get(memory, 0L), geometry.completionRingOffset());
        checkHeaderField("latency_ring_offset", (long)HeaderDescriptor.LATENCY_RING_OFFSET_HANDLE.get(memory, 0L),
            geometry.latencyRingOffset());
        checkHeaderField("attachment_table_offset",
            (long)HeaderDescriptor.ATTACHMENT_TABLE_OFFSET_HANDLE.get(memory, 0L), geometry.attachmentTableOffset());
        checkHeaderField("block_area_offset", (long)HeaderDescriptor.BLOCK_AREA_OFFSET_HANDLE.get(memory, 0L),
            geometry.blockAreaOffset());
        return geometry;
    }

    private static void checkHeaderField(final String name, final long found, final long made)
    {
        if (found != made)
        {
            throw new IllegalArgumentException(
                "its header's " + name + " is " + Long.toUnsignedString(found) + ", and its sizes make it " + made);
        }
    }

    /**
     * Writes the header and formats every part; the magic goes last, with release, so that an
     * attacher that sees it sees the rest.
     *
     * @param completionTimeoutNanos   how long after dispatch an event times out.
     * @param starvationThresholdNanos how long an event may wait before metrics call it starving.
     * @param redeliveryLimit          how often an event whose handler died is dispatched again, up to
     *                                 baton.h's uint32_t's largest.
     * @param yieldLimit               how often an event may be yielded; the next yield ends it; as
     *                                 above.
     */
    public void format(
        final long completionTimeoutNanos,
        final long starvationThresholdNanos,
        final long redeliveryLimit,
        final long yieldLimit)
    {
        HeaderDescriptor.ABI_VERSION_HANDLE.set(memory, 0L, HeaderDescriptor.ABI_VERSION);
        HeaderDescriptor.HEADER_LENGTH_HANDLE.set(memory, 0L, HeaderDescriptor.LENGTH);
        HeaderDescriptor.SLAB_CAPACITY_HANDLE.set(memory, 0L, geometry.slabCapacity());
        HeaderDescriptor.SLOT_SIZE_HANDLE.set(memory, 0L, geometry.slotSize());
        HeaderDescriptor.DISPATCH_RING_CAPACITY_HANDLE.set(memory, 0L, geometry.dispatchRingCapacity());
        HeaderDescriptor.COMPLETION_RING_CAPACITY_HANDLE.set(memory, 0L, geometry.completionRingCapacity());
        HeaderDescriptor.SLAB_OFFSET_HANDLE.set(memory, 0L, geometry.slabOffset());
        HeaderDescriptor.DISPATCH_RING_OFFSET_HANDLE.set(memory, 0L, geometry.dispatchRingOffset());
        HeaderDescriptor.COMPLETION_RING_OFFSET_HANDLE.set(memory, 0L, geometry.completionRingOffset());
        HeaderDescriptor.LATENCY_RING_OFFSET_HANDLE.set(memory, 0L, geometry.latencyRingOffset());
        HeaderDescriptor.LATENCY_RING_CAPACITY_HANDLE.set(memory, 0L, geometry.latencyRingCapacity());
        HeaderDescriptor.ATTACHMENT_CAPACITY_HANDLE.set(memory, 0L, geometry.attachmentCapacity());
        HeaderDescriptor.ATTACHMENT_TABLE_OFFSET_HANDLE.set(memory, 0L, geometry.attachmentTableOffset());
        HeaderDescriptor.REDELIVERY_LIMIT_HANDLE.set(memory, 0L, (int)redeliveryLimit); // a uint32_t's bits
        HeaderDescriptor.YIELD_LIMIT_HANDLE.set(memory, 0L, (int)yieldLimit);
        MemorySegment.copy(
            geometry.blockCounts(), 0, memory, ValueLayout.JAVA_INT, HeaderDescriptor.BLOCK_COUNTS_OFFSET,
            BlockAreaDescriptor.CLASSES);
        HeaderDescriptor.BLOCK_AREA_OFFSET_HANDLE.set(memory, 0L, geometry.blockAreaOffset());
        HeaderDescriptor.SEGMENT_LENGTH_HANDLE.set(memory, 0L, geometry.segmentLength());
        HeaderDescriptor.CREATED_AT_HANDLE.set(memory, 0L, System.nanoTime());
        HeaderDescriptor.COMPLETION_TIMEOUT_HANDLE.set(memory, 0L, completionTimeoutNanos);
        HeaderDescriptor.STARVATION_THRESHOLD_HANDLE.set(memory, 0L, starvationThresholdNanos);
        HeaderDescriptor.CHANNEL_STATE_HANDLE.set(memory, 0L, HeaderDescriptor.CHANNEL_OPEN);
        slab.format();
        dispatchRing.format();
        completionRing.format();
        latencyRing.format();
        payloadBlocks.format();
        resultBlocks.format();
        // Every entry FREE: only libbaton takes and judges entries (baton_attach, baton_reap).
        memory.asSlice(geometry.attachmentTableOffset(), AttachmentTableDescriptor.length(geometry.attachmentCapacity()))
            .fill((byte)0);
        // release: an attacher acquires the magic and waits while it is 0, so everything above is
        // visible to it once the magic is.
        HeaderDescriptor.MAGIC_HANDLE.setRelease(memory, 0L, HeaderDescriptor.MAGIC);
    }

    /** @return how long after dispatch an event times out, as the header records it. */
    public long completionTimeoutNanos()
    {
        return (long)HeaderDescriptor.COMPLETION_TIMEOUT_HANDLE.get(memory, 0L);
    }

    /**
     * @return how often an event whose handler died is dispatched again, as the header records it
     * (baton.h's uint32_t, read unsigned).
     */
    public long redeliveryLimit()
    {
        return Integer.toUnsignedLong((int)HeaderDescriptor.REDELIVERY_LIMIT_HANDLE.get(memory, 0L));
    }

    /** @return how often an event may be yielded, as the header records it (unsigned, as above). */
    public long yieldLimit()
    {
        return Integer.toUnsignedLong((int)HeaderDescriptor.YIELD_LIMIT_HANDLE.get(memory, 0L));
    }

    /** @return how long an event may wait before metrics call it starving, as the header records it. */
    public long starvationThresholdNanos()
    {
        return (long)HeaderDescriptor.STARVATION_THRESHOLD_HANDLE.get(memory, 0L);
    }

    public MemorySegment memory()
    {
        return memory;
    }

    public ChannelGeometry geometry()
    {
        return geometry;
    }

    public Slab slab()
    {
        return slab;
    }

    /** @return the payloads' half of the block area: blocks held by events. */
    public BlockPools payloadBlocks()
    {
        return payloadBlocks;
    }

    /** @return the results' half of the block area: blocks held by outcomes until the host drains them. */
    public BlockPools resultBlocks()
    {
        return resultBlocks;
    }

    public DispatchRing dispatchRing()
    {
        return dispatchRing;
    }

    public CompletionRing completionRing()
    {
        return completionRing;
    }

    public OutcomePublisher outcomes()
    {
        return outcomes;
    }

    /** @return the attachment table's view: whose tag holds what. */
    public AttachmentTable attachments()
    {
        return attachments;
    }

    public LatencyRing latencyRing()
    {
        return latencyRing;
    }

    /** @return the header's cached clock: the host's drain writes it, dispatches and claims read it. */
    public ChannelClock clock()
    {
        return clock;
    }
}
