package dev.baton.aeron.internal;

import io.aeron.ExclusivePublication;

/**
 * The host's record of one node under one lease: where its events go, how many it holds, and when
 * it last said it lives. A node that joins again gets a new session with a new epoch; an epoch is
 * never reused, so a message naming an ended one is recognised as a zombie's.
 */
public final class NodeSession
{
    private final long nodeId;
    private final long incarnation;
    private final long epoch;
    private final int capacity;
    private final ExclusivePublication publication;
    private int inFlight;
    private long lastHeardNanos;
    /** Whether the node named this lease in a heartbeat: it knows the epoch its events come under. */
    private boolean confirmed;

    /**
     * @param nodeId         the node's id, as its HELLO names it.
     * @param incarnation    the node's run, as its HELLO names it: a node that restarts has another.
     * @param epoch          the lease's epoch.
     * @param capacity       how many events the node takes at once: its credit.
     * @param publication    to the node.
     * @param lastHeardNanos when the node was last heard from.
     */
    public NodeSession(
        final long nodeId,
        final long incarnation,
        final long epoch,
        final int capacity,
        final ExclusivePublication publication,
        final long lastHeardNanos)
    {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.epoch = epoch;
        this.capacity = capacity;
        this.publication = publication;
        this.lastHeardNanos = lastHeardNanos;
    }

    public long nodeId()
    {
        return nodeId;
    }

    public long incarnation()
    {
        return incarnation;
    }

    public long epoch()
    {
        return epoch;
    }

    public ExclusivePublication publication()
    {
        return publication;
    }

    /** The node named this lease in a heartbeat. */
    public void confirm()
    {
        confirmed = true;
    }

    /** @return whether the node may be sent another event: it confirmed its lease and has room. */
    public boolean hasCredit()
    {
        return confirmed && inFlight < capacity;
    }

    /** @return how many more events the node may be sent: none before it confirmed its lease. */
    public int credit()
    {
        return confirmed ? capacity - inFlight : 0;
    }

    public int capacity()
    {
        return capacity;
    }

    /** An event was sent to the node. */
    public void sent()
    {
        inFlight++;
    }

    /** An event the node held was settled: answered, expired there, or moved elsewhere. */
    public void settled()
    {
        inFlight--;
    }

    /** The node was heard from. */
    public void heard(final long nowNanos)
    {
        lastHeardNanos = nowNanos;
    }

    /** @return whether the lease ran out: nothing heard for longer than it. */
    public boolean leaseEnded(final long nowNanos, final long leaseNanos)
    {
        return nowNanos - lastHeardNanos > leaseNanos;
    }
}
