package dev.baton.aeron;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import dev.baton.DispatchBatch;
import dev.baton.DispatchChannel;
import dev.baton.Dispatcher;
import dev.baton.ErrorCode;
import dev.baton.Outcome;
import dev.baton.OutcomeHandler;
import dev.baton.aeron.internal.AeronConnection;
import dev.baton.aeron.internal.LocalEvents;
import dev.baton.aeron.internal.NodeCounts;
import dev.baton.aeron.internal.NodeLease;
import dev.baton.aeron.internal.Runner;
import dev.baton.aeron.internal.SegmentSlices;
import dev.baton.aeron.internal.SingleWriterCounts;
import dev.baton.aeron.internal.WireFormat;
import io.aeron.Aeron;
import io.aeron.ControlledFragmentAssembler;
import io.aeron.ExclusivePublication;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableRingBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import static dev.baton.aeron.internal.WireFormat.ORDER;

/**
 * The node's side of the bridge: it receives a host's events over Aeron and dispatches them into a
 * local channel, which the node's handler processes open by its path as they open any channel, in
 * any language; it sends their outcomes back. The node is the local channel's host: it drains it,
 * times out its events and reaps its dead handler processes.
 *
 * <p>A node holds a lease from the host ({@link RemoteHandlers}), asking for one with a HELLO until
 * it comes and renewing it with a heartbeat four times a lease. Every event arrives under the
 * lease's epoch, and its outcome goes back under the same epoch: once the host ended that lease,
 * those outcomes are refused there. A node whose renewals stop for a lease's length asks for a lease
 * again ({@code NodeLease}). An event under an earlier epoch, or a delivery repeated under one epoch,
 * is dropped. An event that arrives with no time left is reported back as expired, and the host's
 * expiry times it out. An event keeps the time it had left at the host: once that runs out on the
 * node (seen within a housekeeping interval, 100 ms), the node cancels it in the local channel, so
 * its handler's answer is refused there, and reports it back as expired; the local channel's own
 * completion timeout still ends an event that outlives it first. An event comes with its redelivery
 * count (the host's channel's and the bridge's), which its handler reads and the local channel's
 * redelivery limit counts.
 *
 * <p>The local channel's capacity is the node's credit: the host sends no more events than that
 * before their outcomes come back. When the local channel is full anyway (events of an earlier
 * epoch still in it), the node stops reading, and Aeron's flow control holds the host back.
 *
 * <p>Run it as an Agrona {@link Agent} on one thread ({@link RemoteNodeBuilder#start()} makes the thread).
 */
public final class RemoteNode implements Agent, AutoCloseable
{
    private static final int FRAGMENT_LIMIT = 64;
    private static final int DRAIN_LIMIT = 64;
    private static final long HOUSEKEEPING_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final DispatchChannel local;
    private final Dispatcher dispatcher;
    private final DispatchBatch dispatchOne = new DispatchBatch(1);
    private final long nodeId;
    private final String listenChannel;
    private final int listenStreamId;
    private final AeronConnection aeron;
    private final Subscription events;
    private final ExclusivePublication toHost;
    private final ControlledFragmentAssembler assembler;
    private final LocalEvents localEvents = new LocalEvents();
    /** The local events past their deadline, found by one sweep: at most as many as the local channel holds. */
    private final long[] pastDeadline;
    /** Outcomes the host's publication had no room for, sent before any other. */
    private final ExpandableRingBuffer outbox = new ExpandableRingBuffer();
    private final Arena arena = Arena.ofShared();
    private final SegmentSlices payloads;
    private final UnsafeBuffer payloadBuffer;
    private final MemorySegment outcomeSegment;
    private final UnsafeBuffer outcomeBuffer;
    private final OutcomeHandler returner = this::onLocalOutcome;
    private final ExpandableRingBuffer.MessageConsumer outboxSender = this::sendFromOutbox;
    private long nowNanos;
    private final NodeLease lease;
    private long lastHousekeepingNanos;
    private final Runner runner = new Runner(this);
    private final SingleWriterCounts counts = new SingleWriterCounts(NodeCounts.SIZE);

    RemoteNode(final RemoteNodeBuilder builder)
    {
        this.local = builder.local;
        this.dispatcher = local.dispatcher();
        this.nodeId = builder.nodeId;
        this.listenChannel = builder.listenChannel;
        this.listenStreamId = builder.listenStreamId;
        if (listenChannel.length() > WireFormat.MAX_CHANNEL_LENGTH)
        {
            throw new IllegalArgumentException("the channel to listen on is " + listenChannel.length() +
                " characters, longer than the " + WireFormat.MAX_CHANNEL_LENGTH + " a HELLO carries");
        }
        final MemorySegment payloadSegment = arena.allocate(Math.max(1, local.maxPayloadLength()), 8);
        this.payloads = new SegmentSlices(payloadSegment);
        this.payloadBuffer = new UnsafeBuffer(payloadSegment.asByteBuffer());
        this.outcomeSegment = arena.allocate(WireFormat.OUTCOME_RESULT_OFFSET + (long)local.maxResultLength(), 8);
        this.outcomeBuffer = new UnsafeBuffer(outcomeSegment.asByteBuffer());
        this.pastDeadline = new long[local.capacity()];
        this.aeron = builder.transport.connect();
        try
        {
            this.events = aeron.client().addSubscription(listenChannel, listenStreamId);
            this.toHost = aeron.client().addExclusivePublication(builder.hostChannel, builder.hostStreamId);
            final int needed = WireFormat.OUTCOME_RESULT_OFFSET + local.maxResultLength();
            if (toHost.maxMessageLength() < needed)
            {
                throw new IllegalArgumentException("the publication to the host carries messages of at most " +
                    toHost.maxMessageLength() + " bytes, and the local channel's largest outcome needs " + needed);
            }
        }
        catch (final RuntimeException e)
        {
            aeron.close();
            arena.close();
            throw e;
        }
        this.assembler = new ControlledFragmentAssembler(this::onMessage);
        this.lease = new NodeLease(toHost, nodeId, local.capacity(), listenStreamId, local.maxPayloadLength(), listenChannel);
        this.lastHousekeepingNanos = System.nanoTime();
    }

    /**
     * @param local the node's local channel, which this node hosts: made with a
     *              {@link dev.baton.DispatchChannelBuilder#file file} for handler processes to open.
     * @return a builder of a node.
     */
    public static RemoteNodeBuilder builder(final DispatchChannel local)
    {
        return new RemoteNodeBuilder(local);
    }

    /** @return the epoch of the lease the node holds or last held, or 0 before its first; from any thread. */
    public long epoch()
    {
        return lease.epoch();
    }

    /** @return the node's id. */
    public long nodeId()
    {
        return nodeId;
    }

    /** @return what the node has seen so far; from any thread (its duty cycle writes the counts). */
    public NodeMetrics metrics()
    {
        return new NodeMetrics(
            lease.epoch(),
            counts.get(NodeCounts.LEASES_GRANTED),
            counts.get(NodeCounts.EVENTS_DISPATCHED),
            counts.get(NodeCounts.DELIVERIES_DROPPED),
            counts.get(NodeCounts.OUTCOMES_SENT),
            counts.get(NodeCounts.EXPIRED_REPORTED),
            counts.get(NodeCounts.PAYLOADS_REFUSED),
            counts.get(NodeCounts.MALFORMED_MESSAGES),
            (int)counts.get(NodeCounts.EVENTS_HELD),
            (int)counts.get(NodeCounts.BYTES_WAITING));
    }

    /**
     * One duty cycle: run the media driver's and its client's when they are
     * {@linkplain AeronTransport#invokedByDutyCycle() invoked}, keep the lease, dispatch arriving
     * events, send outcomes back, and now and then cancel the local events past the time they had at
     * the host, time out local events and reap dead handler processes.
     *
     * @return the work done.
     * @throws AgentTerminationException once the local channel is closed (an expected end).
     */
    @Override
    public int doWork()
    {
        if (local.isClosed())
        {
            throw new AgentTerminationException("local channel closed", true); // expected: not an error
        }
        nowNanos = System.nanoTime();
        int work = aeron.invoke(); // an invoked driver's and client's duty cycles, or nothing
        work += lease.keep(nowNanos);
        work += events.controlledPoll(assembler, FRAGMENT_LIMIT);
        work += outbox.consume(outboxSender, DRAIN_LIMIT);
        if (outbox.isEmpty())
        {
            work += local.outcomeDrain().drain(returner, DRAIN_LIMIT);
        }
        if (nowNanos - lastHousekeepingNanos >= HOUSEKEEPING_INTERVAL_NANOS)
        {
            lastHousekeepingNanos = nowNanos;
            work += cancelPastDeadline() + local.reclaimExpired() + Math.max(0, local.reap());
        }
        counts.set(NodeCounts.EVENTS_HELD, localEvents.size());
        counts.set(NodeCounts.BYTES_WAITING, outbox.size());
        return work;
    }

    @Override
    public String roleName()
    {
        return "baton-remote-node";
    }

    /** Runs the duty cycle on a thread of its own until {@link #close()}. */
    void runOn(final IdleStrategy idleStrategy)
    {
        runner.start(idleStrategy);
    }

    /**
     * Stops the node's thread (if {@link RemoteNodeBuilder#start()} made one) and closes its Aeron resources.
     * The local channel stays open: its owner closes it. Idempotent.
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
        toHost.close();
        events.close();
        aeron.close();
        arena.close();
    }

    private Action onMessage(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final int type = WireFormat.type(buffer, offset, length);
        if (!WireFormat.isWellFormed(buffer, offset, length, type))
        {
            counts.increment(NodeCounts.MALFORMED_MESSAGES);
            return Action.CONTINUE; // not the bridge's message: nothing to act on
        }
        return switch (type)
        {
            case WireFormat.LEASE -> onLease(buffer, offset);
            case WireFormat.EVENT -> onEvent(buffer, offset);
            default -> Action.CONTINUE; // a node-to-host type: not for a node
        };
    }

    private Action onLease(final DirectBuffer buffer, final int offset)
    {
        if (lease.onLease(buffer, offset, nowNanos))
        {
            counts.increment(NodeCounts.LEASES_GRANTED);
            localEvents.newEpoch();
        }
        return Action.CONTINUE;
    }

    private Action onEvent(final DirectBuffer buffer, final int offset)
    {
        final long eventEpoch = buffer.getLong(offset + WireFormat.EVENT_EPOCH_OFFSET, ORDER);
        final long hostHandle = buffer.getLong(offset + WireFormat.EVENT_HOST_HANDLE_OFFSET, ORDER);
        if (eventEpoch != lease.epoch() || eventEpoch == 0 || localEvents.isDelivered(hostHandle))
        {
            counts.increment(NodeCounts.DELIVERIES_DROPPED);
            return Action.CONTINUE; // under an earlier lease (the host moved it when that ended), none, or a repeat: dropped
        }
        final long remainingNanos = buffer.getLong(offset + WireFormat.EVENT_REMAINING_NANOS_OFFSET, ORDER);
        if (remainingNanos <= 0)
        {
            reportExpired(eventEpoch, hostHandle);
            return Action.CONTINUE;
        }
        final int payloadLength = buffer.getInt(offset + WireFormat.EVENT_PAYLOAD_LENGTH_OFFSET, ORDER);
        if (payloadLength > local.maxPayloadLength())
        {
            // the host's HELLO check keeps these out; a host that skipped it learns why from the status
            counts.increment(NodeCounts.PAYLOADS_REFUSED);
            offerOrKeep(outcomeBuffer, WireFormat.writeOutcomeHeader(
                outcomeBuffer, 0, eventEpoch, hostHandle, ErrorCode.EMSGSIZE, 0, 0));
            return Action.CONTINUE;
        }
        payloadBuffer.putBytes(0, buffer, offset + WireFormat.EVENT_PAYLOAD_OFFSET, payloadLength);
        // A batch of one: the entry carries the redeliveries the host counted, which the local
        // handler reads and the local channel's redelivery limit counts too.
        dispatchOne.clear();
        dispatchOne.add(
            buffer.getLong(offset + WireFormat.EVENT_ID_HI_OFFSET, ORDER),
            buffer.getLong(offset + WireFormat.EVENT_ID_LO_OFFSET, ORDER),
            buffer.getLong(offset + WireFormat.EVENT_CORRELATION_HI_OFFSET, ORDER),
            buffer.getLong(offset + WireFormat.EVENT_CORRELATION_LO_OFFSET, ORDER),
            buffer.getInt(offset + WireFormat.EVENT_KIND_OFFSET, ORDER),
            payloads.first(payloadLength),
            buffer.getLong(offset + WireFormat.EVENT_TRACE_HI_OFFSET, ORDER),
            buffer.getLong(offset + WireFormat.EVENT_TRACE_LO_OFFSET, ORDER),
            buffer.getLong(offset + WireFormat.EVENT_SPAN_ID_OFFSET, ORDER),
            buffer.getInt(offset + WireFormat.EVENT_TRACE_FLAGS_OFFSET, ORDER),
            WireFormat.eventRedeliveries(buffer, offset));
        dispatcher.dispatch(dispatchOne);
        final long localHandle = dispatchOne.handle(0); // the handle, or why it was not dispatched
        if (ErrorCode.isBackpressure(localHandle))
        {
            return Action.ABORT; // the local channel is full: read this event again, and hold the host back meanwhile
        }
        if (localHandle < 0)
        {
            reportExpired(eventEpoch, hostHandle);
            return Action.CONTINUE;
        }
        localEvents.record(localHandle, hostHandle, eventEpoch, nowNanos + remainingNanos);
        counts.increment(NodeCounts.EVENTS_DISPATCHED);
        return Action.CONTINUE;
    }

    /**
     * Cancels in the local channel each event whose time at the host ran out, and reports it back as
     * expired under the epoch it came in. One that ended meanwhile is left: its outcome comes through
     * the drain.
     *
     * @return the events cancelled.
     */
    private int cancelPastDeadline()
    {
        final int past = localEvents.pastDeadline(nowNanos, pastDeadline);
        int cancelled = 0;
        for (int i = 0; i < past; i++)
        {
            final long localHandle = pastDeadline[i];
            if (dispatcher.cancel(localHandle) == ErrorCode.OK)
            {
                reportExpired(localEvents.epochOf(localHandle), localEvents.hostHandleOf(localHandle));
                localEvents.forget(localHandle);
                cancelled++;
            }
        }
        return cancelled;
    }

    /** A local outcome, back to the host under the epoch its event came in; a local timeout as EXPIRED. */
    private void onLocalOutcome(final Outcome outcome)
    {
        final long localHandle = outcome.handle();
        final long hostHandle = localEvents.hostHandleOf(localHandle);
        if (hostHandle == 0)
        {
            return; // an event another process dispatched into the local channel: not the host's
        }
        final long eventEpoch = localEvents.epochOf(localHandle);
        localEvents.forget(localHandle);
        if (outcome.timedOut())
        {
            reportExpired(eventEpoch, hostHandle);
            return;
        }
        final int resultLength = outcome.resultLength();
        WireFormat.writeOutcomeHeader(
            outcomeBuffer, 0, eventEpoch, hostHandle, outcome.status(), outcome.handlerSpanId(), resultLength);
        outcome.copyResultTo(outcomeSegment, WireFormat.OUTCOME_RESULT_OFFSET);
        offerOrKeep(outcomeBuffer, WireFormat.OUTCOME_RESULT_OFFSET + resultLength);
        counts.increment(NodeCounts.OUTCOMES_SENT);
    }

    /** Tells the host that an event of a lease's epoch expired here, for it to time the event out once. */
    private void reportExpired(final long eventEpoch, final long hostHandle)
    {
        counts.increment(NodeCounts.EXPIRED_REPORTED);
        offerOrKeep(outcomeBuffer, WireFormat.writeExpired(outcomeBuffer, 0, eventEpoch, hostHandle));
    }

    /** Sends a message to the host, or keeps it, in order behind any kept before it. */
    private void offerOrKeep(final UnsafeBuffer buffer, final int length)
    {
        if (!outbox.isEmpty() || toHost.offer(buffer, 0, length) < 0)
        {
            outbox.append(buffer, 0, length);
        }
    }

    private boolean sendFromOutbox(final MutableDirectBuffer buffer, final int offset, final int length, final int headOffset)
    {
        return toHost.offer(buffer, offset, length) >= 0;
    }
}
