package dev.baton;

import java.time.Duration;

import dev.baton.internal.layout.ChannelGeometry;

/**
 * What a {@link DispatchChannelBuilder} settles: the memory's geometry and the channel's policies.
 *
 * @param geometry            the sizes of the channel's parts, validated.
 * @param completionTimeout   how long after dispatch an event times out.
 * @param starvationThreshold how long an event may be pending before metrics call it starving.
 * @param uuidIndex           whether to keep the event id to handle index.
 * @param instrumented        whether to count operations and CAS retries.
 */
record ChannelConfig(
    ChannelGeometry geometry,
    Duration completionTimeout,
    Duration starvationThreshold,
    boolean uuidIndex,
    boolean instrumented)
{
    long completionTimeoutNanos()
    {
        return completionTimeout.toNanos();
    }

    long starvationThresholdNanos()
    {
        return starvationThreshold.toNanos();
    }
}
