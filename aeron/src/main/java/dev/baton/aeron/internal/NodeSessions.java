package dev.baton.aeron.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.agrona.collections.Long2ObjectHashMap;

/**
 * The nodes holding a lease, by node id and by epoch, and the choice of the next node for an
 * event: round robin over those with credit. Epochs grow from a random start and are never reused,
 * so a message from before a host's restart names no epoch of the new run (a chance of 2^-40 that
 * the runs' ranges meet). One thread.
 */
public final class NodeSessions
{
    private final Long2ObjectHashMap<NodeSession> byNodeId = new Long2ObjectHashMap<>();
    private final Long2ObjectHashMap<NodeSession> byEpoch = new Long2ObjectHashMap<>();
    private final List<NodeSession> live = new ArrayList<>();
    /** Below 2^40, so an epoch fits in {@link InFlightEvents}'s 56 bits for as many leases as a run can grant. */
    private long lastEpoch = ThreadLocalRandom.current().nextLong(1L << 40);
    private int next;
    /** The leases by node id, for other threads: a new map at each join and loss, never changed after. */
    private volatile Map<Long, Long> epochsByNode = Map.of();

    /** @return the epoch for the next lease. */
    public long nextEpoch()
    {
        return ++lastEpoch;
    }

    /** Adds a session under its new lease. */
    public void add(final NodeSession session)
    {
        byNodeId.put(session.nodeId(), session);
        byEpoch.put(session.epoch(), session);
        live.add(session);
        publish();
    }

    /** Removes a session whose lease ended. */
    public void remove(final NodeSession session)
    {
        byNodeId.remove(session.nodeId());
        byEpoch.remove(session.epoch());
        live.remove(session);
        publish();
    }

    private void publish()
    {
        final Map<Long, Long> epochs = new HashMap<>();
        live.forEach(session -> epochs.put(session.nodeId(), session.epoch()));
        epochsByNode = Map.copyOf(epochs);
    }

    /** @return the epoch of each node holding a lease, by node id; from any thread. */
    public Map<Long, Long> epochsByNode()
    {
        return epochsByNode;
    }

    /** @return the node's session, or null. */
    public NodeSession ofNode(final long nodeId)
    {
        return byNodeId.get(nodeId);
    }

    /** @return the session holding the lease of this epoch, or null when it ended (or never was). */
    public NodeSession ofEpoch(final long epoch)
    {
        return byEpoch.get(epoch);
    }

    /** @return the next node with credit, round robin, or null when none has any. */
    public NodeSession pick()
    {
        final int count = live.size();
        for (int i = 0; i < count; i++)
        {
            final NodeSession session = live.get((next + i) % count);
            if (session.hasCredit())
            {
                next = (next + i + 1) % count;
                return session;
            }
        }
        return null;
    }

    /** @return the credit of every live node together. */
    public int credit()
    {
        int credit = 0;
        for (int i = 0; i < live.size(); i++)
        {
            credit += live.get(i).credit();
        }
        return credit;
    }

    /** @return the first session whose lease ran out, or null. */
    public NodeSession firstEnded(final long nowNanos, final long leaseNanos)
    {
        for (int i = 0; i < live.size(); i++)
        {
            if (live.get(i).leaseEnded(nowNanos, leaseNanos))
            {
                return live.get(i);
            }
        }
        return null;
    }

    /** @return every live session, for closing. */
    public List<NodeSession> all()
    {
        return List.copyOf(live);
    }

    /** @return how many nodes hold a lease. */
    public int size()
    {
        return live.size();
    }
}
