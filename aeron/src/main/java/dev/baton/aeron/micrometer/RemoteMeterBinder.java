package dev.baton.aeron.micrometer;

import dev.baton.aeron.RemoteHandlers;
import dev.baton.aeron.RemoteMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
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
 * <p>Micrometer is an optional dependency of the bridge: only this package needs it.
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
        this.tags = tags;
    }

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        final SnapshotMeters<RemoteHandlers, RemoteMetrics> meters =
            new SnapshotMeters<>(registry, bridge, RemoteHandlers::metrics, tags);
        meters.gauge("baton.remote.nodes", "nodes holding a lease", RemoteMetrics::nodes);
        meters.gauge("baton.remote.events.in.flight", "events the bridge holds: sent, or waiting to be sent",
            RemoteMetrics::inFlight);
        meters.counter("baton.remote.nodes.joined", "leases granted", RemoteMetrics::nodesJoined);
        meters.counter("baton.remote.nodes.refused", "nodes refused a lease", RemoteMetrics::nodesRefused);
        meters.counter("baton.remote.leases.lost", "leases ended without a heartbeat, or by a restart",
            RemoteMetrics::leasesLost);
        meters.counter("baton.remote.events.sent", "events sent to nodes, each delivery", RemoteMetrics::eventsSent);
        meters.counter("baton.remote.outcomes.accepted", "outcomes that completed an event",
            RemoteMetrics::outcomesAccepted);
        meters.counter("baton.remote.redeliveries", "events sent again after their node was lost",
            RemoteMetrics::redeliveries);
        meters.counter("baton.remote.events.left.to.time.out", "a lost node's events past the redelivery limit",
            RemoteMetrics::leftToTimeOut);
        meters.counter("baton.remote.outcomes.zombie", "outcomes refused: their lease had ended or their event moved",
            RemoteMetrics::zombieOutcomesRefused);
        meters.counter("baton.remote.events.expired.on.nodes", "events whose time ran out on a node",
            RemoteMetrics::expiredOnNodes);
        meters.counter("baton.remote.messages.malformed", "messages dropped as not the bridge's",
            RemoteMetrics::malformedMessages);
    }
}
