package dev.baton;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import dev.baton.internal.channel.ChannelFile;
import dev.baton.internal.channel.ChannelLifecycle;
import dev.baton.internal.layout.BlockAreaDescriptor;
import dev.baton.internal.layout.ChannelGeometry;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.internal.protocol.ChannelCounters;
import dev.baton.internal.protocol.ChannelMemory;

/**
 * Configuration of a {@link DispatchChannel}, from {@link DispatchChannel#builder()}. Each size is
 * checked when {@link #build()} lays the channel out, and the first one out of range is named.
 */
public final class DispatchChannelBuilder
{
    private int slabCapacity = 1024;
    private int slotSize = 256;
    private int dispatchRingCapacity;
    private int completionRingCapacity;
    private int latencyRingCapacity = 1024;
    private int attachmentCapacity = 64;
    private long redeliveryLimit;
    private long yieldLimit = HeaderDescriptor.YIELD_LIMIT_DEFAULT;
    private Duration completionTimeout = Duration.ofSeconds(30);
    private Duration starvationThreshold = Duration.ofSeconds(10);
    private boolean uuidIndex;
    private boolean instrumented;
    private Path file;
    private final int[] blockCounts = new int[BlockAreaDescriptor.CLASSES];

    DispatchChannelBuilder()
    {
        blocks(4 * 1024, 64);
        blocks(64 * 1024, 8);
        blocks(1024 * 1024, 2);
    }

    /**
     * @param slabCapacity slots, a power of two: the most events in flight.
     *                     Default 1024.
     * @return this.
     */
    public DispatchChannelBuilder slabCapacity(final int slabCapacity)
    {
        this.slabCapacity = slabCapacity;
        return this;
    }

    /**
     * @param slotSize bytes per slot, a multiple of 64 of at least 128; a payload is held inline in
     *                 all but 128 of them, and a longer one in a block ({@link #blocks}). Default 256.
     * @return this.
     */
    public DispatchChannelBuilder slotSize(final int slotSize)
    {
        this.slotSize = slotSize;
        return this;
    }

    /**
     * Sets how many blocks of one size the block area holds, for payloads and results longer than
     * their inline room. Each takes one block: of the smallest size that fits it and has one free,
     * so the largest size with blocks is the longest payload or result the channel accepts. When
     * none is free, a dispatch is pushed back ({@link ErrorCode#EAGAIN}) and a completion too
     * ({@link ErrorCode#ENOBUFS}), as when the slab or the completion ring is full.
     * Default: 64 of 4 KiB, 8 of 64 KiB and 2 of 1 MiB (2.8 MiB), so payloads and results up to
     * 1 MiB.
     *
     * @param blockSize a power of two from 1 KiB to 32 MiB.
     * @param count     blocks of that size, at most 2^24; 0 for none.
     * @return this.
     */
    public DispatchChannelBuilder blocks(final int blockSize, final int count)
    {
        final int k = Integer.numberOfTrailingZeros(blockSize) - Integer.numberOfTrailingZeros(BlockAreaDescriptor.BLOCK_SIZE_MIN);
        if (Integer.bitCount(blockSize) != 1 || k < 0 || k >= BlockAreaDescriptor.CLASSES)
        {
            throw new IllegalArgumentException(
                "blockSize must be a power of two in [" + BlockAreaDescriptor.BLOCK_SIZE_MIN + ", " +
                BlockAreaDescriptor.blockSize(BlockAreaDescriptor.CLASSES - 1) + "]: " + blockSize);
        }
        blockCounts[k] = count;
        return this;
    }

    /**
     * Leaves the channel without a block area: every payload and result must fit its inline room.
     *
     * @return this.
     */
    public DispatchChannelBuilder withoutBlocks()
    {
        Arrays.fill(blockCounts, 0);
        return this;
    }

    /**
     * @param dispatchRingCapacity cells, a power of two. Default twice the slab capacity, so
     *                             that entries of events that ended while waiting do not fill it.
     * @return this.
     */
    public DispatchChannelBuilder dispatchRingCapacity(final int dispatchRingCapacity)
    {
        this.dispatchRingCapacity = dispatchRingCapacity;
        return this;
    }

    /**
     * @param completionRingCapacity record bytes, a power of two of at least 1024. Default 64
     *                               bytes per slot, at least 64 KiB.
     * @return this.
     */
    public DispatchChannelBuilder completionRingCapacity(final int completionRingCapacity)
    {
        this.completionRingCapacity = completionRingCapacity;
        return this;
    }

    /**
     * @param latencyRingCapacity the last latencies to keep, a power of two. Default 1024.
     * @return this.
     */
    public DispatchChannelBuilder latencyRingCapacity(final int latencyRingCapacity)
    {
        this.latencyRingCapacity = latencyRingCapacity;
        return this;
    }

    /**
     * @param attachmentCapacity libbaton attachments at once, across every process that shares the
     *                           channel (each process attached by path, and this one, take one
     *                           each), in [1, 1024]. Default 64.
     * @return this.
     */
    public DispatchChannelBuilder attachmentCapacity(final int attachmentCapacity)
    {
        this.attachmentCapacity = attachmentCapacity;
        return this;
    }

    /**
     * @param redeliveryLimit how often an event is dispatched again when the process of the handler
     *                        that claimed it dies, before it is reported timed out; 0 reports it
     *                        timed out at once. Default 0, at most
     *                        {@link DispatchChannel#MAX_COUNT}. A redelivered event keeps its handle,
     *                        id and deadline; its handler sees how often it was redelivered.
     * @return this.
     */
    public DispatchChannelBuilder redeliveryLimit(final long redeliveryLimit)
    {
        this.redeliveryLimit = DispatchChannel.checkCount("redeliveryLimit", redeliveryLimit, 0);
        return this;
    }

    /**
     * @param yieldLimit how often a handler may hand an event back ({@link Poller#yieldEvent})
     *                   before the next yield ends it, completed with {@link ErrorCode#ELOOP}:
     *                   the bound on a yield loop. At least 1, at most
     *                   {@link DispatchChannel#MAX_COUNT}; default 100.
     * @return this.
     */
    public DispatchChannelBuilder yieldLimit(final long yieldLimit)
    {
        this.yieldLimit = DispatchChannel.checkCount("yieldLimit", yieldLimit, 1);
        return this;
    }

    /**
     * @param completionTimeout how long after dispatch an event times out. Default 30 s.
     * @return this.
     */
    public DispatchChannelBuilder completionTimeout(final Duration completionTimeout)
    {
        this.completionTimeout = requirePositive(completionTimeout, "completionTimeout");
        return this;
    }

    /**
     * @param starvationThreshold how long an event may be pending before metrics call it
     *                            starving. Default 10 s.
     * @return this.
     */
    public DispatchChannelBuilder starvationThreshold(final Duration starvationThreshold)
    {
        this.starvationThreshold = requirePositive(starvationThreshold, "starvationThreshold");
        return this;
    }

    /**
     * @param uuidIndex keep a UUID to handle index for {@link Poller#complete(java.util.UUID, int, java.lang.foreign.MemorySegment)}.
     *                  It is on the heap and allocates on dispatch and drain. Default off.
     * @return this.
     */
    public DispatchChannelBuilder uuidIndex(final boolean uuidIndex)
    {
        this.uuidIndex = uuidIndex;
        return this;
    }

    /**
     * @param instrumented count operations and CAS retries for {@link DispatchChannel#activity()}. Default
     *                     off, where each counting site costs one null check.
     * @return this.
     */
    public DispatchChannelBuilder instrumented(final boolean instrumented)
    {
        this.instrumented = instrumented;
        return this;
    }

    /**
     * @param file where to create the channel so that other processes can attach to it
     *             ({@link DispatchChannel#open}, {@code baton_open}): absolute, or relative to
     *             {@code /dev/shm}. The file is created atomically, owner-only, and fails to be
     *             created if one exists; closing the channel removes it. Needs libbaton, whose futex
     *             calls wake waiters in other processes. Default: none, the channel lives in this
     *             process's memory.
     * @return this.
     */
    public DispatchChannelBuilder file(final Path file)
    {
        this.file = java.util.Objects.requireNonNull(file, "file");
        return this;
    }

    /**
     * @return a new channel.
     * @throws IllegalArgumentException naming the first size that is out of range.
     * @throws IllegalStateException    for a channel in a file: if a file exists at its path, or
     *                                  libbaton is not loaded.
     */
    public DispatchChannel build()
    {
        final ChannelConfig config = new ChannelConfig(
            new ChannelGeometry(slabCapacity, slotSize, dispatchRingCapacity(), completionRingCapacity(),
                latencyRingCapacity, attachmentCapacity, blockCounts),
            completionTimeout, starvationThreshold, redeliveryLimit, yieldLimit, uuidIndex, instrumented, file);
        final long length = config.geometry().segmentLength();
        final ChannelLifecycle lifecycle = config.file() == null ? ChannelLifecycle.inMemory(length) :
            ChannelLifecycle.inNewFile(ChannelFile.resolve(config.file()), length);
        try
        {
            final ChannelCounters counters = config.instrumented() ? new ChannelCounters() : null;
            final ChannelMemory parts = new ChannelMemory(lifecycle.memory(), config.geometry(), counters);
            parts.format(config.completionTimeoutNanos(), config.starvationThresholdNanos(), config.redeliveryLimit(),
                config.yieldLimit());
            lifecycle.publish();
            return new DispatchChannel(lifecycle, parts, config, counters);
        }
        catch (final RuntimeException | Error ex)
        {
            lifecycle.close();
            throw ex;
        }
    }

    /**
     * @param path     a channel file another process created, absolute.
     * @param anyOwner whether to accept a file another user owns.
     * @return this process's attachment to it, with the configuration its header records.
     */
    static DispatchChannel attached(final Path path, final boolean anyOwner)
    {
        return attached(path, anyOwner, false);
    }

    /**
     * @param path a channel file whose host is gone, absolute.
     * @return this process's attachment to it, now its host.
     */
    static DispatchChannel adopted(final Path path)
    {
        return attached(path, false, true);
    }

    private static DispatchChannel attached(final Path path, final boolean anyOwner, final boolean adopt)
    {
        final ChannelLifecycle lifecycle = ChannelLifecycle.attachedToFile(path, anyOwner);
        try
        {
            final ChannelMemory parts = ChannelMemory.bind(lifecycle.memory(), path);
            lifecycle.ensureOpen();
            final ChannelConfig config = new ChannelConfig(parts.geometry(),
                Duration.ofNanos(parts.completionTimeoutNanos()), Duration.ofNanos(parts.starvationThresholdNanos()),
                parts.redeliveryLimit(), parts.yieldLimit(), false, false, null);
            final DispatchChannel channel = new DispatchChannel(lifecycle, parts, config, null);
            if (adopt)
            {
                lifecycle.adopt();
            }
            return channel;
        }
        catch (final RuntimeException | Error ex)
        {
            lifecycle.close();
            throw ex;
        }
    }

    private int dispatchRingCapacity()
    {
        return dispatchRingCapacity != 0 ? dispatchRingCapacity : Math.max(2, slabCapacity * 2);
    }

    private int completionRingCapacity()
    {
        if (completionRingCapacity != 0)
        {
            return completionRingCapacity;
        }
        final long perSlot = 64L * slabCapacity;
        return (int)Math.min(ChannelGeometry.COMPLETION_RING_CAPACITY_MAX, Math.max(64 * 1024, perSlot));
    }

    private static Duration requirePositive(final Duration duration, final String name)
    {
        if (duration.isNegative() || duration.isZero())
        {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
        return duration;
    }
}
