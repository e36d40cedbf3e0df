package dev.baton.aeron.micrometer;

import java.util.function.ToDoubleFunction;

import dev.baton.aeron.RemoteHandlers;
import dev.baton.aeron.RemoteMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes the bridge's host side ({@link RemoteHandlers#metrics()}) to Micrometer, beside the
 * channel's own meters ({@code dev.baton.micrometer.ChannelMeterBinder}):
 * <ul>
 *   <li>{@code baton.remote.nodes}, {@code baton.remote.events.in.flight}: gauges;</li>
 *   <li>{@code baton.remote.nodes.joined}, {@code baton.remote.nodes.refused},
 *       {@code baton.remote.leases.lost}, {@code baton.remote.events.sent},
 *       {@code baton.remote.outcomes.accepted}, {@code baton.remote.redeliveries},
 *       {@code baton.remote.events.left.to.time.out}, {@code baton.remote.outcomes.zombie},
 *       {@code baton.remote.events.expired.on.nodes}, {@code baton.remote.messages.malformed}:
 *       function counters.</li>
 * </ul>
 * Each meter reads the bridge's counts when it is read; they are written by the bridge's thread and
 * safe to read from any other.
 *
 * <p>Micrometer is an optional dependency of the bridge: only this class needs it.
 */
// exports: Micrometer's types in this API are the user's own dependency; the bridge requires
// Micrometer statically (optional), so it cannot re-export it to users who do not have it.
@SuppressWarnings("exports")
public final class RemoteMeterBinder implements MeterBinder
{
    private final RemoteHandlers bridge;
    private final Iterable<Tag> tags;

    /**
     * @param bridge the bridge's host side to observe.
     * @param tags   tags for every meter, such as the channel's name.
     */
    public RemoteMeterBinder(final RemoteHandlers bridge, final Iterable<Tag> tags)
    {
        this.bridge = bridge;
        this.tags = Tags.of(tags);
    }

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        gauge(registry, "baton.remote.nodes", "nodes holding a lease", RemoteMetrics::nodes);
        gauge(registry, "baton.remote.events.in.flight", "events the bridge holds: sent, or waiting to be sent",
            RemoteMetrics::inFlight);
        counter(registry, "baton.remote.nodes.joined", "leases granted", RemoteMetrics::nodesJoined);
        counter(registry, "baton.remote.nodes.refused", "nodes refused a lease", RemoteMetrics::nodesRefused);
        counter(registry, "baton.remote.leases.lost", "leases ended without a heartbeat, or by a restart",
            RemoteMetrics::leasesLost);
        counter(registry, "baton.remote.events.sent", "events sent to nodes, each delivery", RemoteMetrics::eventsSent);
        counter(registry, "baton.remote.outcomes.accepted", "outcomes that completed an event",
            RemoteMetrics::outcomesAccepted);
        counter(registry, "baton.remote.redeliveries", "events sent again after their node was lost",
            RemoteMetrics::redeliveries);
        counter(registry, "baton.remote.events.left.to.time.out", "a lost node's events past the redelivery limit",
            RemoteMetrics::leftToTimeOut);
        counter(registry, "baton.remote.outcomes.zombie", "outcomes refused: their lease had ended or their event moved",
            RemoteMetrics::zombieOutcomesRefused);
        counter(registry, "baton.remote.events.expired.on.nodes", "events whose time ran out on a node",
            RemoteMetrics::expiredOnNodes);
        counter(registry, "baton.remote.messages.malformed", "messages dropped as too short for what they claim",
            RemoteMetrics::malformedMessages);
    }

    private void gauge(
        final MeterRegistry registry, final String name, final String description, final ToDoubleFunction<RemoteMetrics> value)
    {
        Gauge.builder(name, bridge, observed -> value.applyAsDouble(observed.metrics()))
            .description(description).tags(tags).register(registry);
    }

    private void counter(
        final MeterRegistry registry, final String name, final String description, final ToDoubleFunction<RemoteMetrics> value)
    {
        FunctionCounter.builder(name, bridge, observed -> value.applyAsDouble(observed.metrics()))
            .description(description).tags(tags).register(registry);
    }
}
