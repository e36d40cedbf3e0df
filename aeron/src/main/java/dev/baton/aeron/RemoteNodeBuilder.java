package dev.baton.aeron;

import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import dev.baton.DispatchChannel;
import dev.baton.aeron.internal.Defaults;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;

/**
 * A node, configured ({@link RemoteNode#builder}): {@link #start()} runs it on a thread of its own,
 * {@link #build()} gives it as an Agrona {@link Agent}.
 */
public final class RemoteNodeBuilder
{
    final DispatchChannel local;
    long nodeId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    String hostChannel = "aeron:udp?endpoint=localhost:" + Defaults.HOST_PORT;
    int hostStreamId = Defaults.HOST_STREAM_ID;
    String listenChannel = "aeron:udp?endpoint=localhost:" + Defaults.NODE_PORT;
    int listenStreamId = Defaults.NODE_STREAM_ID;
    AeronTransport transport = AeronTransport.embeddedDriver();
    IdleStrategy idleStrategy = Defaults.idleStrategy();

    RemoteNodeBuilder(final DispatchChannel local)
    {
        this.local = Objects.requireNonNull(local, "local");
    }

    /**
     * @param nodeId the node's id, the same across its restarts; default random.
     * @return this.
     */
    public RemoteNodeBuilder nodeId(final long nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    /**
     * @param channel  the Aeron channel the host listens on ({@link RemoteHandlersBuilder#listen});
     *                 default {@code aeron:udp?endpoint=localhost:40456}.
     * @param streamId its stream id; default 4100.
     * @return this.
     */
    public RemoteNodeBuilder host(final String channel, final int streamId)
    {
        this.hostChannel = Objects.requireNonNull(channel, "channel");
        this.hostStreamId = streamId;
        return this;
    }

    /**
     * @param channel  where this node receives its events, as the host can reach it (the host
     *                 publishes to it); default {@code aeron:udp?endpoint=localhost:40457}.
     * @param streamId its stream id; default 4101.
     * @return this.
     */
    public RemoteNodeBuilder listen(final String channel, final int streamId)
    {
        this.listenChannel = Objects.requireNonNull(channel, "channel");
        this.listenStreamId = streamId;
        return this;
    }

    /**
     * @param transport how the node reaches Aeron; by default it launches a media driver of its own,
     *                  embedded ({@link AeronTransport#embeddedDriver()}), and closes it with the node.
     * @return this.
     */
    public RemoteNodeBuilder transport(final AeronTransport transport)
    {
        this.transport = Objects.requireNonNull(transport, "transport");
        return this;
    }

    /**
     * @param idleStrategy how the node's thread waits when a duty cycle finds no work.
     * @return this.
     */
    public RemoteNodeBuilder idleStrategy(final IdleStrategy idleStrategy)
    {
        this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
        return this;
    }

    /** @return the node, not running: run it as an {@link Agent}, or call {@link #start()} instead. */
    public RemoteNode build()
    {
        return new RemoteNode(this);
    }

    /** @return the node, running on a thread of its own until {@link RemoteNode#close()}. */
    public RemoteNode start()
    {
        final RemoteNode node = build();
        node.runOn(idleStrategy);
        return node;
    }
}
