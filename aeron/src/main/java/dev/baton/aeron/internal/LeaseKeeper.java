package dev.baton.aeron.internal;

import dev.baton.aeron.jfr.NodeJoinedEvent;
import dev.baton.aeron.jfr.NodeLostEvent;
import dev.baton.aeron.jfr.NodeRefusedEvent;
import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.exceptions.AeronException;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongArrayQueue;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.baton.aeron.internal.WireFormat.ORDER;

/**
 * The host's side of the leases: it grants a node a lease under a new epoch, renews it at each
 * heartbeat, refuses a node that cannot serve the channel, and ends a lease whose node was silent
 * for its length, moving that node's events to the queue of events to send (up to the redelivery
 * limit) or leaving them to the host's expiry. One thread: the bridge's duty cycle.
 */
public final class LeaseKeeper
{
    private final Aeron aeron;
    private final NodeSessions sessions;
    private final InFlightEvents inFlight;
    private final LongArrayQueue unsent;
    private final SingleWriterCounts counters;
    private final long leaseNanos;
    /** The host channel's redelivery limit, at most what {@link InFlightEvents} counts to. */
    private final long redeliveryLimit;
    private final int maxPayloadLength;
    /** Refused nodes by id, with the incarnation refused: each run of a node is counted once. */
    private final Long2LongHashMap refused = new Long2LongHashMap(0);
    private final LongArrayList lostHandles = new LongArrayList();
    private final UnsafeBuffer leaseBuffer = new UnsafeBuffer(new byte[WireFormat.LEASE_LENGTH]);

    /**
     * @param aeron            the client that makes a publication to each node.
     * @param sessions         the nodes holding leases.
     * @param inFlight         the events the bridge holds.
     * @param unsent           the events waiting to be sent, where a lost node's go.
     * @param counters         where joins, refusals, losses and redeliveries are counted.
     * @param leaseNanos       how long a lease lasts without a heartbeat.
     * @param redeliveryLimit  the host channel's redelivery limit; past
     *                         {@link InFlightEvents#MAX_REDELIVERIES}, that many.
     * @param maxPayloadLength the host channel's longest payload: a node must carry it.
     */
    public LeaseKeeper(
        final Aeron aeron,
        final NodeSessions sessions,
        final InFlightEvents inFlight,
        final LongArrayQueue unsent,
        final SingleWriterCounts counters,
        final long leaseNanos,
        final long redeliveryLimit,
        final int maxPayloadLength)
    {
        this.aeron = aeron;
        this.sessions = sessions;
        this.inFlight = inFlight;
        this.unsent = unsent;
        this.counters = counters;
        this.leaseNanos = leaseNanos;
        this.redeliveryLimit = Math.min(redeliveryLimit, InFlightEvents.MAX_REDELIVERIES);
        this.maxPayloadLength = maxPayloadLength;
    }

    /** A node asks for a lease: granted under a new epoch, granted again, or refused and counted. */
    public void onHello(final DirectBuffer buffer, final int offset, final int length, final long nowNanos)
    {
        final long nodeId = buffer.getLong(offset + WireFormat.HELLO_NODE_ID_OFFSET, ORDER);
        final long incarnation = buffer.getLong(offset + WireFormat.HELLO_INCARNATION_OFFSET, ORDER);
        final int version = buffer.getInt(offset + WireFormat.HELLO_VERSION_OFFSET, ORDER);
        final int capacity = buffer.getInt(offset + WireFormat.HELLO_CAPACITY_OFFSET, ORDER);
        if (version != WireFormat.VERSION)
        {
            refuse(nodeId, incarnation, "it speaks wire version " + version + ", this host " + WireFormat.VERSION);
            return;
        }
        if (capacity <= 0)
        {
            refuse(nodeId, incarnation, "it names a capacity of " + capacity + " events");
            return;
        }
        final int nodeMaxPayload = buffer.getInt(offset + WireFormat.HELLO_MAX_PAYLOAD_OFFSET, ORDER);
        if (nodeMaxPayload < maxPayloadLength)
        {
            refuse(nodeId, incarnation, "its channel holds payloads of at most " + nodeMaxPayload +
                " bytes, and this channel's of up to " + maxPayloadLength);
            return;
        }
        final NodeSession existing = sessions.ofNode(nodeId);
        if (existing != null && existing.incarnation() == incarnation)
        {
            existing.heard(nowNanos); // its lease was granted and not yet heard: grant it again
            offerLease(existing);
            return;
        }
        if (existing != null)
        {
            lose(existing); // the node restarted: its last run's events go elsewhere
        }
        join(nodeId, incarnation, capacity, buffer.getInt(offset + WireFormat.HELLO_STREAM_ID_OFFSET, ORDER),
            WireFormat.helloChannel(buffer, offset, length), nowNanos);
    }

    private void join(
        final long nodeId,
        final long incarnation,
        final int capacity,
        final int streamId,
        final String nodeChannel,
        final long nowNanos)
    {
        final ExclusivePublication publication;
        try
        {
            publication = aeron.addExclusivePublication(nodeChannel, streamId);
        }
        catch (final AeronException | IllegalArgumentException e)
        {
            refuse(nodeId, incarnation, "its channel " + nodeChannel + " was refused: " + e.getMessage());
            return;
        }
        final int needed = WireFormat.EVENT_PAYLOAD_OFFSET + maxPayloadLength;
        if (publication.maxMessageLength() < needed)
        {
            publication.close();
            refuse(nodeId, incarnation, "its publication carries messages of at most " + publication.maxMessageLength() +
                " bytes, and this channel's largest event needs " + needed + " (a longer term length carries it)");
            return;
        }
        final NodeSession session = new NodeSession(
            nodeId, incarnation, sessions.nextEpoch(), capacity, publication, nowNanos);
        sessions.add(session);
        refused.remove(nodeId);
        counters.increment(BridgeCounts.NODES_JOINED);
        offerLease(session);
        final NodeJoinedEvent joined = new NodeJoinedEvent();
        if (joined.shouldCommit())
        {
            joined.nodeId = nodeId;
            joined.epoch = session.epoch();
            joined.capacity = capacity;
            joined.commit();
        }
    }

    private void refuse(final long nodeId, final long incarnation, final String reason)
    {
        if (refused.containsKey(nodeId) && refused.get(nodeId) == incarnation)
        {
            return; // this run of the node was refused already: it repeats its HELLO
        }
        refused.put(nodeId, incarnation);
        counters.increment(BridgeCounts.NODES_REFUSED);
        final NodeRefusedEvent event = new NodeRefusedEvent();
        if (event.shouldCommit())
        {
            event.nodeId = nodeId;
            event.reason = reason;
            event.commit();
        }
    }

    /** Grants or renews a lease; a lost LEASE is repeated at the node's next HELLO or heartbeat. */
    private void offerLease(final NodeSession session)
    {
        final int length = WireFormat.writeLease(
            leaseBuffer, 0, session.nodeId(), session.incarnation(), session.epoch(), leaseNanos);
        session.publication().offer(leaseBuffer, 0, length);
    }

    /** A node's heartbeat: its lease is renewed if it still holds it, and the node has confirmed its epoch. */
    public void onHeartbeat(final DirectBuffer buffer, final int offset, final long nowNanos)
    {
        final NodeSession session = sessions.ofEpoch(buffer.getLong(offset + WireFormat.HEARTBEAT_EPOCH_OFFSET, ORDER));
        if (session != null &&
            session.nodeId() == buffer.getLong(offset + WireFormat.HEARTBEAT_NODE_ID_OFFSET, ORDER) &&
            session.incarnation() == buffer.getLong(offset + WireFormat.HEARTBEAT_INCARNATION_OFFSET, ORDER))
        {
            session.heard(nowNanos);
            session.confirm(); // it knows its epoch: events sent now are not dropped as another lease's
            offerLease(session);
        }
        // else its lease ended: no renewal comes, and the node asks for a new one when its own view of it runs out
    }

    /** Ends every lease whose node was not heard from for its length. @return leases ended. */
    public int endLapsed(final long nowNanos)
    {
        int lost = 0;
        NodeSession session;
        while ((session = sessions.firstEnded(nowNanos, leaseNanos)) != null)
        {
            lose(session);
            lost++;
        }
        return lost;
    }

    /**
     * Ends a node's lease: its epoch is never accepted again; its events are sent to other nodes up
     * to the redelivery limit, and past it left to the host's expiry, which times each out once.
     */
    private void lose(final NodeSession session)
    {
        sessions.remove(session);
        session.publication().close();
        lostHandles.clear();
        inFlight.collectUnder(session.epoch(), lostHandles);
        int redelivered = 0;
        for (int i = 0; i < lostHandles.size(); i++)
        {
            final long handle = lostHandles.getLong(i);
            final long redeliveries = inFlight.redeliveries(handle);
            if (redeliveries < redeliveryLimit)
            {
                inFlight.hold(handle, InFlightEvents.UNSENT, redeliveries + 1);
                unsent.offerLong(handle);
                redelivered++;
            }
            else
            {
                inFlight.release(handle);
            }
        }
        final int leftToTimeOut = lostHandles.size() - redelivered;
        counters.increment(BridgeCounts.LEASES_LOST);
        counters.add(BridgeCounts.REDELIVERIES, redelivered);
        counters.add(BridgeCounts.LEFT_TO_TIME_OUT, leftToTimeOut);
        final NodeLostEvent event = new NodeLostEvent();
        if (event.shouldCommit())
        {
            event.nodeId = session.nodeId();
            event.epoch = session.epoch();
            event.redelivered = redelivered;
            event.leftToTimeOut = leftToTimeOut;
            event.commit();
        }
    }

    /** Closes the publication to every node still holding a lease. */
    public void closeAll()
    {
        for (final NodeSession session : sessions.all())
        {
            session.publication().close();
        }
    }
}
