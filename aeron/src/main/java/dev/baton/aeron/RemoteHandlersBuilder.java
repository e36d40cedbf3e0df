package dev.baton.aeron;

import java.time.Duration;
import java.util.Objects;

import dev.baton.DispatchChannel;
import dev.baton.aeron.internal.Defaults;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;

/**
 * The bridge's host side, configured ({@link RemoteHandlers#builder}): {@link #start()} runs it on a
 * thread of its own, {@link #build()} gives it as an Agrona {@link Agent}.
 */
public final class RemoteHandlersBuilder
{
    final DispatchChannel channel;
    String listenChannel = "aeron:udp?endpoint=0.0.0.0:" + Defaults.HOST_PORT;
    int listenStreamId = Defaults.HOST_STREAM_ID;
    AeronTransport transport = AeronTransport.embeddedDriver();
    Duration lease = Defaults.LEASE;
    IdleStrategy idleStrategy = Defaults.idleStrategy();

    RemoteHandlersBuilder(final DispatchChannel channel)
    {
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    /**
     * @param channel  the Aeron channel the nodes send to (their HELLO, heartbeats and outcomes);
     *                 default {@code aeron:udp?endpoint=0.0.0.0:40456}.
     * @param streamId its stream id; default 4100.
     * @return this.
     */
    public RemoteHandlersBuilder listen(final String channel, final int streamId)
    {
        this.listenChannel = Objects.requireNonNull(channel, "channel");
        this.listenStreamId = streamId;
        return this;
    }

    /**
     * @param transport how the bridge reaches Aeron; by default it launches a media driver of its own,
     *                  embedded ({@link AeronTransport#embeddedDriver()}), and closes it with the bridge.
     * @return this.
     */
    public RemoteHandlersBuilder transport(final AeronTransport transport)
    {
        this.transport = Objects.requireNonNull(transport, "transport");
        return this;
    }

    /**
     * @param lease how long a node's lease lasts without a heartbeat (default 1 s; nodes beat four
     *              times a lease). Well under Aeron's own image timeout (10 s).
     * @return this.
     */
    public RemoteHandlersBuilder lease(final Duration lease)
    {
        if (lease.isNegative() || lease.isZero())
        {
            throw new IllegalArgumentException("lease must be positive: " + lease);
        }
        this.lease = lease;
        return this;
    }

    /**
     * @param idleStrategy how the bridge's thread waits when a duty cycle finds no work; default
     *                     Agrona's backoff (spin, yield, then park up to 1 ms).
     * @return this.
     */
    public RemoteHandlersBuilder idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
        return this;
    }

    /** @return the bridge, not running: run it as an {@link Agent}, or call {@link #start()} instead. */
    public RemoteHandlers build()
    {
        return new RemoteHandlers(this);
    }

    /** @return the bridge, running on a thread of its own until {@link RemoteHandlers#close()}. */
    public RemoteHandlers start()
    {
        final RemoteHandlers bridge = build();
        bridge.runOn(idleStrategy);
        return bridge;
    }
}
