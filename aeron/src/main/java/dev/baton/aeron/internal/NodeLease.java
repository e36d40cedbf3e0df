package dev.baton.aeron.internal;

import java.util.concurrent.ThreadLocalRandom;

import io.aeron.ExclusivePublication;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.baton.aeron.internal.WireFormat.ORDER;

/**
 * A node's side of its lease: it asks for one with a HELLO every 100 ms until a LEASE comes, then
 * beats four times a lease. A lease not renewed for its length may have ended at the host: the node
 * asks again, and meanwhile still takes events under the epoch it holds (the host may hold it too;
 * if not, their outcomes are refused there). Each run of a node has an incarnation of its own, so the
 * host tells a restart from a repeated HELLO. One thread: the node's duty cycle; {@link #epoch()}
 * from any.
 */
public final class NodeLease
{
    private static final long NO_EPOCH = 0;

    private final ExclusivePublication toHost;
    private final long nodeId;
    private final long incarnation = ThreadLocalRandom.current().nextLong();
    private final UnsafeBuffer hello;
    private final int helloLength;
    private final UnsafeBuffer heartbeat = new UnsafeBuffer(new byte[WireFormat.HEARTBEAT_LENGTH]);
    /** The epoch of the last lease granted: events come, and outcomes go, under it. */
    private volatile long epoch = NO_EPOCH;
    /** Whether a renewal came within the lease's length; when not, the node asks for a lease again. */
    private boolean renewed;
    private long leaseNanos;
    private long lastLeaseNanos;
    private long lastHelloNanos = System.nanoTime() - Defaults.HELLO_INTERVAL_NANOS; // the first cycle says HELLO
    private long lastHeartbeatNanos;

    /**
     * @param toHost           the publication to the host.
     * @param nodeId           the node's id.
     * @param capacity         its credit: the local channel's capacity.
     * @param streamId         the stream it receives events on.
     * @param maxPayloadLength the longest payload its local channel holds.
     * @param channel          where it receives events, as the host reaches it.
     */
    public NodeLease(
        final ExclusivePublication toHost,
        final long nodeId,
        final int capacity,
        final int streamId,
        final int maxPayloadLength,
        final String channel)
    {
        this.toHost = toHost;
        this.nodeId = nodeId;
        this.hello = new UnsafeBuffer(new byte[WireFormat.HELLO_CHANNEL_OFFSET + channel.length()]);
        this.helloLength = WireFormat.writeHello(hello, 0, nodeId, incarnation, capacity, streamId, maxPayloadLength, channel);
    }

    /** @return the epoch of the lease the node holds or last held, or 0 before its first. */
    public long epoch()
    {
        return epoch;
    }

    /**
     * Asks for a lease, or beats, when it is time.
     *
     * @return 1 when a message was offered, else 0.
     */
    public int keep(final long nowNanos)
    {
        if (renewed && nowNanos - lastLeaseNanos > leaseNanos)
        {
            renewed = false;
        }
        if (!renewed)
        {
            if (nowNanos - lastHelloNanos < Defaults.HELLO_INTERVAL_NANOS)
            {
                return 0;
            }
            lastHelloNanos = nowNanos;
            toHost.offer(hello, 0, helloLength); // a lost one is repeated in 100 ms
            return 1;
        }
        if (nowNanos - lastHeartbeatNanos < leaseNanos / 4)
        {
            return 0;
        }
        lastHeartbeatNanos = nowNanos;
        toHost.offer(heartbeat, 0, WireFormat.writeHeartbeat(heartbeat, 0, nodeId, incarnation, epoch)); // a lost one: the next
        return 1;
    }

    /**
     * A LEASE: for this run of this node, it grants or renews the lease.
     *
     * @return whether it began a new epoch.
     */
    public boolean onLease(final DirectBuffer buffer, final int offset, final long nowNanos)
    {
        if (buffer.getLong(offset + WireFormat.LEASE_NODE_ID_OFFSET, ORDER) != nodeId ||
            buffer.getLong(offset + WireFormat.LEASE_INCARNATION_OFFSET, ORDER) != incarnation)
        {
            return false; // another node's, or this node's last run's
        }
        final long granted = buffer.getLong(offset + WireFormat.LEASE_EPOCH_OFFSET, ORDER);
        leaseNanos = buffer.getLong(offset + WireFormat.LEASE_NANOS_OFFSET, ORDER);
        lastLeaseNanos = nowNanos;
        renewed = true;
        if (granted == epoch)
        {
            return false;
        }
        epoch = granted;
        lastHeartbeatNanos = nowNanos - leaseNanos; // the next cycle's heartbeat names the new epoch: events follow it
        return true;
    }
}
