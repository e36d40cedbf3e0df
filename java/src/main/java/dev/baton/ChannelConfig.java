package dev.baton;

import java.nio.file.Path;
import java.time.Duration;

import dev.baton.internal.layout.ChannelGeometry;
import dev.baton.internal.layout.CompletionRingDescriptor;

/**
 * What a {@link DispatchChannelBuilder} settles: the memory's geometry and the channel's policies.
 *
 * @param geometry            the sizes of the channel's parts, validated.
 * @param completionTimeout   how long after dispatch an event times out.
 * @param starvationThreshold how long an event may be pending before metrics call it starving.
 * @param redeliveryLimit     how often an event whose handler's process died is dispatched again.
 * @param yieldLimit          how often an event may be yielded; the next yield ends it.
 * @param uuidIndex           whether to keep the event id to handle index.
 * @param instrumented        whether to count operations and CAS retries.
 * @param file                the file to create the channel in, for other processes to attach to;
 *                            null for this process's memory.
 */
record ChannelConfig(
    ChannelGeometry geometry,
    Duration completionTimeout,
    Duration starvationThreshold,
    long redeliveryLimit,
    long yieldLimit,
    boolean uuidIndex,
    boolean instrumented,
    Path file)
{
    long completionTimeoutNanos()
    {
        return completionTimeout.toNanos();
    }

    long starvationThresholdNanos()
    {
        return starvationThreshold.toNanos();
    }

    /**
     * @return how long a ring may stay blocked by a peer (a publisher between claim and commit, a
     * consumer between taking a position and releasing its cell) before the peer is presumed dead:
     * the completion timeout, at least a second.
     */
    long unblockPatienceNanos()
    {
        return Math.max(completionTimeoutNanos(), CompletionRingDescriptor.UNBLOCK_PATIENCE_MIN_NANOS);
    }
}
