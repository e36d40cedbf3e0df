package dev.baton.aeron.micrometer;

import dev.baton.aeron.NodeMetrics;
import dev.baton.aeron.RemoteNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes a node ({@link RemoteNode#metrics()}) to Micrometer, beside its local channel's own
 * meters ({@code dev.baton.micrometer.ChannelMeterBinder}):
 * <ul>
 *   <li>{@code baton.node.epoch}, {@code baton.node.events.held}, {@code baton.node.bytes.waiting}:
 *       gauges;</li>
 *   <li>{@code baton.node.leases.granted}, {@code baton.node.events.dispatched},
 *       {@code baton.node.deliveries.dropped}, {@code baton.node.outcomes.sent},
 *       {@code baton.node.events.expired}, {@code baton.node.payloads.refused},
 *       {@code baton.node.messages.malformed}: function counters.</li>
 * </ul>
 * Each meter reads the node's counts when it is read; they are written by the node's thread and
 * safe to read from any other.
 */
// exports: as RemoteMeterBinder's, Micrometer's types are the user's own dependency.
@SuppressWarnings("exports")
public final class NodeMeterBinder implements MeterBinder
{
    private final RemoteNode node;
    private final Iterable<Tag> tags;

    /**
     * @param node the node to observe.
     * @param tags tags for every meter, such as the node's name.
     */
    public NodeMeterBinder(final RemoteNode node, final Iterable<Tag> tags)
    {
        this.node = node;
        this.tags = tags;
    }

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        final SnapshotMeters<RemoteNode, NodeMetrics> meters = new SnapshotMeters<>(registry, node, RemoteNode::metrics, tags);
        meters.gauge("baton.node.epoch", "the epoch of the lease the node holds or last held", NodeMetrics::epoch);
        meters.gauge("baton.node.events.held", "the host's events in the local channel", NodeMetrics::eventsHeld);
        meters.gauge("baton.node.bytes.waiting", "bytes to the host waiting for room in its publication",
            NodeMetrics::bytesWaiting);
        meters.counter("baton.node.leases.granted", "leases the host granted", NodeMetrics::leasesGranted);
        meters.counter("baton.node.events.dispatched", "the host's events dispatched into the local channel",
            NodeMetrics::eventsDispatched);
        meters.counter("baton.node.deliveries.dropped", "repeats, and deliveries under a lease that had ended",
            NodeMetrics::deliveriesDropped);
        meters.counter("baton.node.outcomes.sent", "handlers' outcomes sent to the host", NodeMetrics::outcomesSent);
        meters.counter("baton.node.events.expired", "events reported back expired", NodeMetrics::expiredReported);
        meters.counter("baton.node.payloads.refused", "events answered EMSGSIZE", NodeMetrics::payloadsRefused);
        meters.counter("baton.node.messages.malformed", "messages dropped as not the bridge's",
            NodeMetrics::malformedMessages);
    }
}
