package dev.baton.aeron;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;

import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.EventHandler;
import dev.baton.PolledEvent;
import dev.baton.Poller;
import dev.baton.aeron.internal.AeronConnection;
import dev.baton.aeron.internal.BridgeCounts;
import dev.baton.aeron.internal.InFlightEvents;
import dev.baton.aeron.internal.LeaseKeeper;
import dev.baton.aeron.internal.NodeSession;
import dev.baton.aeron.internal.NodeSessions;
import dev.baton.aeron.internal.Runner;
import dev.baton.aeron.internal.SegmentSlices;
import dev.baton.aeron.internal.SingleWriterCounts;
import dev.baton.aeron.internal.WireFormat;
import dev.baton.aeron.jfr.ZombieOutcomeEvent;
import io.aeron.Aeron;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayQueue;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.baton.aeron.internal.WireFormat.ORDER;

/**
 * The host's side of the bridge: a handler of the host's channel that forwards each event to a
 * node on another machine over Aeron, and completes it from the node's answer. The host's code,
 * its drain, ledger and metrics are those of any channel: to the channel the bridge is one more
 * handler ({@link DispatchChannel#newPoller()}).
 *
 * <h2>Leases</h2>
 * A node ({@link RemoteNode}) asks for a lease; the host grants one under a new epoch, and renews it
 * at each heartbeat ({@code LeaseKeeper}). Events go to a node once a heartbeat has named its epoch.
 * A lease with no heartbeat for its length ends: the node is lost. Its events are sent to other
 * nodes, up to the channel's {@link DispatchChannel#redeliveryLimit() redelivery limit} (at most
 * 255 times: the bridge counts no further), and past it are left to time out once through the
 * host's expiry. An outcome is accepted
 * only for an event the bridge holds under the outcome's own epoch: one from a lost node (a zombie:
 * stopped, partitioned, or slow past its lease), or for an event sent elsewhere since, is refused
 * and counted. So each event ends once, though a handler may have run it more than once.
 *
 * <h2>Flow control</h2>
 * A node's credit is the capacity it names when it asks for a lease; the bridge sends a node no more
 * events than that before their outcomes come back, and takes no more events from the host's channel
 * than the nodes together have credit for. Events wait in the host's channel, whose dispatch then
 * sees backpressure as it does without the bridge.
 *
 * <h2>Deadlines, traces, payloads</h2>
 * An event crosses with the time it has left, not a clock value; a node that receives it late tells
 * the host, whose expiry times it out. Its trace context crosses with it and the handler's span id
 * comes back. Aeron fragments a message longer than its MTU; a node whose publication cannot carry
 * the channel's largest payload in one message is refused a lease, naming both sizes.
 *
 * <p>Run it as an Agrona {@link Agent} on one thread ({@link RemoteHandlersBuilder#start()} makes
 * the thread), as the one user of its poller. Not thread-safe otherwise; {@link #metrics()} may be read from any thread.
 */
public final class RemoteHandlers implements Agent, AutoCloseable
{
    private static final int FRAGMENT_LIMIT = 64;
    private static final int POLL_LIMIT = 64;

    private final DispatchChannel channel;
    private final Poller poller;
    private final int maxResultLength;
    private final AeronConnection aeron;
    private final Subscription inbound;
    private final ControlledFragmentAssembler assembler;
    private final NodeSessions sessions = new NodeSessions();
    private final InFlightEvents inFlight = new InFlightEvents();
    private final LeaseKeeper leases;
    /** Events the bridge holds and has not sent: waiting for credit, for a publication, or redelivered. */
    private final LongArrayQueue unsent = new LongArrayQueue(-1);
    private final SingleWriterCounts counters = new SingleWriterCounts(BridgeCounts.SIZE);
    private final Arena arena = Arena.ofShared();
    private final MemorySegment eventSegment;
    private final UnsafeBuffer eventBuffer;
    private final SegmentSlices results;
    private final UnsafeBuffer resultBuffer;
    private final EventHandler forwarder = this::forward;
    private long nowNanos;
    private final Runner runner = new Runner(this);

    RemoteHandlers(final RemoteHandlersBuilder builder)
    {
        this.channel = builder.channel;
        this.poller = channel.newPoller();
        this.maxResultLength = channel.maxResultLength();
        this.eventSegment = arena.allocate(WireFormat.EVENT_PAYLOAD_OFFSET + (long)channel.maxPayloadLength(), 8);
        this.eventBuffer = new UnsafeBuffer(eventSegment.asByteBuffer());
        final MemorySegment resultSegment = arena.allocate(Math.max(1, maxResultLength), 8);
        this.results = new SegmentSlices(resultSegment);
        this.resultBuffer = new UnsafeBuffer(resultSegment.asByteBuffer());
        this.aeron = builder.transport.connect();
        try
        {
            this.inbound = aeron.client().addSubscription(builder.listenChannel, builder.listenStreamId);
        }
        catch (final RuntimeException e)
        {
            aeron.close();
            arena.close();
            throw e;
        }
        this.assembler = new ControlledFragmentAssembler(this::onMessage);
        this.leases = new LeaseKeeper(aeron.client(), sessions, inFlight, unsent, counters, builder.lease.toNanos(),
            channel.redeliveryLimit(), channel.maxPayloadLength());
    }

    /**
     * @param channel the host's channel, whose events the bridge forwards.
     * @return a builder of the bridge's host side.
     */
    public static RemoteHandlersBuilder builder(final DispatchChannel channel)
    {
        return new RemoteHandlersBuilder(channel);
    }

    /**
     * One duty cycle: run the media driver's and its client's when they are
     * {@linkplain AeronTransport#invokedByDutyCycle() invoked}, read the nodes' messages, end lapsed
     * leases, send what waits, and take new events from the host's channel for the credit the nodes
     * have.
     *
     * @return the work done.
     * @throws AgentTerminationException once the host's channel is closed (an expected end).
     */
    @Override
    public int doWork()
    {
        if (channel.isClosed())
        {
            throw new AgentTerminationException("host channel closed", true); // expected: not an error
        }
        nowNanos = System.nanoTime();
        int work = aeron.invoke(); // an invoked driver's and client's duty cycles, or nothing
        work += inbound.controlledPoll(assembler, FRAGMENT_LIMIT);
        work += leases.endLapsed(nowNanos);
        work += sendUnsent();
        work += forwardNew();
        counters.set(BridgeCounts.NODES, sessions.size());
        counters.set(BridgeCounts.IN_FLIGHT, inFlight.size());
        return work;
    }

    @Override
    public String roleName()
    {
        return "baton-remote-handlers";
    }

    /** @return what the bridge has seen so far; safe from any thread. */
    public RemoteMetrics metrics()
    {
        return new RemoteMetrics(
            (int)counters.get(BridgeCounts.NODES),
            counters.get(BridgeCounts.NODES_JOINED),
            counters.get(BridgeCounts.NODES_REFUSED),
            counters.get(BridgeCounts.LEASES_LOST),
            counters.get(BridgeCounts.EVENTS_SENT),
            counters.get(BridgeCounts.OUTCOMES_ACCEPTED),
            counters.get(BridgeCounts.REDELIVERIES),
            counters.get(BridgeCounts.LEFT_TO_TIME_OUT),
            counters.get(BridgeCounts.ZOMBIE_OUTCOMES),
            counters.get(BridgeCounts.EXPIRED_ON_NODES),
            counters.get(BridgeCounts.MALFORMED_MESSAGES),
            (int)counters.get(BridgeCounts.IN_FLIGHT));
    }

    /**
     * @return the nodes holding a lease now, by node id, each with its lease's epoch: a snapshot,
     * replaced at each join and loss; safe from any thread.
     */
    public Map<Long, Long> leases()
    {
        return sessions.epochsByNode();
    }

    /** Runs the duty cycle on a thread of its own until {@link #close()}. */
    void runOn(final IdleStrategy idleStrategy)
    {
        runner.start(idleStrategy);
    }

    /**
     * Stops the bridge's thread (if {@link RemoteHandlersBuilder#start()} made one) and closes its
     * publications, subscription and Aeron client (and the media driver it launched). The events it
     * held stay claimed in the host's channel, which times them out. Idempotent.
     */
    @Override
    public void close()
    {
        runner.close(); // ends its thread, which calls onClose; or calls it here when it had none
    }

    @Override
    public void onClose()
    {
        if (!arena.scope().isAlive())
        {
            return;
        }
        leases.closeAll();
        inbound.close();
        aeron.close();
        arena.close();
    }

    private int forwardNew()
    {
        final int room = sessions.credit() - unsent.size();
        if (room <= 0)
        {
            return 0;
        }
        final int taken = poller.pollBatch(forwarder, Math.min(room, POLL_LIMIT));
        if (taken == ErrorCode.ESHUTDOWN)
        {
            throw new AgentTerminationException("host channel closed", true); // expected: not an error
        }
        return taken;
    }

    /**
     * A new event from the host's channel: to the next node with credit, or to wait for one. It
     * carries the redeliveries it had there (a handler process of the host's channel died holding it),
     * which the bridge's own add to.
     */
    private void forward(final PolledEvent event)
    {
        final NodeSession session = sessions.pick();
        final long redeliveries = event.redeliveries();
        if (session == null || !send(event, session, redeliveries))
        {
            inFlight.hold(event.handle(), InFlightEvents.UNSENT, redeliveries);
            unsent.offerLong(event.handle());
        }
    }

    /** Sends the events that wait, oldest first, while a node has credit and its publication room. */
    private int sendUnsent()
    {
        int sent = 0;
        while (!unsent.isEmpty())
        {
            final long handle = unsent.peekLong();
            final PolledEvent event = poller.heldEvent(handle);
            if (event == null)
            {
                unsent.pollLong(); // it ended while it waited: cancelled, or timed out by the host's expiry
                inFlight.release(handle);
                continue;
            }
            final NodeSession session = sessions.pick();
            if (session == null || !send(event, session, inFlight.redeliveries(handle)))
            {
                break;
            }
            unsent.pollLong();
            sent++;
        }
        return sent;
    }

    /**
     * Sends an event to a node, or settles it when it needs no sending: its time ran out (the host's
     * expiry times it out), or it ended while its payload was read.
     *
     * @return false when the node's publication had no room (or no connection): the event stays unsent.
     */
    private boolean send(final PolledEvent event, final NodeSession session, final long redeliveries)
    {
        final long handle = event.handle();
        final long remainingNanos = event.deadlineNanos() - nowNanos;
        final int payloadLength = remainingNanos > 0 ? event.readPayload(eventSegment, WireFormat.EVENT_PAYLOAD_OFFSET) : -1;
        if (payloadLength < 0)
        {
            inFlight.release(handle); // the host's own expiry or cancel ends it once
            return true;
        }
        WireFormat.writeEventHeader(eventBuffer, session.epoch(), event, redeliveries, remainingNanos, payloadLength);
        if (session.publication().offer(eventBuffer, 0, WireFormat.EVENT_PAYLOAD_OFFSET + payloadLength) < 0)
        {
            return false;
        }
        inFlight.hold(handle, session.epoch(), redeliveries);
        session.sent();
        counters.increment(BridgeCounts.EVENTS_SENT);
        return true;
    }

    private Action onMessage(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final int type = WireFormat.type(buffer, offset, length);
        if (!WireFormat.isWellFormed(buffer, offset, length, type))
        {
            counters.increment(BridgeCounts.MALFORMED_MESSAGES);
            return Action.CONTINUE;
        }
        switch (type)
        {
            case WireFormat.HELLO -> leases.onHello(buffer, offset, length, nowNanos);
            case WireFormat.HEARTBEAT -> leases.onHeartbeat(buffer, offset, nowNanos);
            case WireFormat.OUTCOME ->
            {
                return onOutcome(buffer, offset);
            }
            case WireFormat.EXPIRED -> onExpired(buffer, offset);
            default -> counters.increment(BridgeCounts.MALFORMED_MESSAGES); // a host-to-node type, sent the wrong way
        }
        return Action.CONTINUE;
    }

    private Action onOutcome(final DirectBuffer buffer, final int offset)
    {
        final long epoch = buffer.getLong(offset + WireFormat.OUTCOME_EPOCH_OFFSET, ORDER);
        final long handle = buffer.getLong(offset + WireFormat.OUTCOME_HOST_HANDLE_OFFSET, ORDER);
        if (!inFlight.isHeldUnder(handle, epoch))
        {
            refuseZombie(epoch, handle);
            return Action.CONTINUE;
        }
        final int resultLength = buffer.getInt(offset + WireFormat.OUTCOME_RESULT_LENGTH_OFFSET, ORDER);
        int status = buffer.getInt(offset + WireFormat.OUTCOME_STATUS_OFFSET, ORDER);
        MemorySegment result = MemorySegment.NULL;
        if (resultLength > maxResultLength)
        {
            status = ErrorCode.EMSGSIZE; // the node's channel allows longer results than the host's: the host learns so
        }
        else if (resultLength > 0)
        {
            resultBuffer.putBytes(0, buffer, offset + WireFormat.OUTCOME_RESULT_OFFSET, resultLength);
            result = results.first(resultLength);
        }
        final int code = poller.complete(
            handle, status, result, buffer.getLong(offset + WireFormat.OUTCOME_SPAN_ID_OFFSET, ORDER));
        if (code == ErrorCode.ENOBUFS)
        {
            return Action.ABORT; // the host's completion ring is full until it drains: read this outcome again
        }
        settle(handle, epoch);
        if (code == ErrorCode.OK)
        {
            counters.increment(BridgeCounts.OUTCOMES_ACCEPTED);
        }
        return Action.CONTINUE;
    }

    private void onExpired(final DirectBuffer buffer, final int offset)
    {
        final long epoch = buffer.getLong(offset + WireFormat.EXPIRED_EPOCH_OFFSET, ORDER);
        final long handle = buffer.getLong(offset + WireFormat.EXPIRED_HOST_HANDLE_OFFSET, ORDER);
        if (inFlight.isHeldUnder(handle, epoch))
        {
            settle(handle, epoch); // the host's expiry times it out once
            counters.increment(BridgeCounts.EXPIRED_ON_NODES);
        }
        else
        {
            refuseZombie(epoch, handle);
        }
    }

    /** An event a node held is no longer the bridge's; the node has credit for another. */
    private void settle(final long handle, final long epoch)
    {
        inFlight.release(handle);
        sessions.ofEpoch(epoch).settled(); // held under a live epoch: lose() moves or releases a lost one's
    }

    private void refuseZombie(final long epoch, final long handle)
    {
        counters.increment(BridgeCounts.ZOMBIE_OUTCOMES);
        final ZombieOutcomeEvent event = new ZombieOutcomeEvent();
        if (event.shouldCommit())
        {
            event.epoch = epoch;
            event.hostHandle = handle;
            event.commit();
        }
    }
}
