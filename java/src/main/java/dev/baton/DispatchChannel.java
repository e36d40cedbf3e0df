package dev.baton;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.baton.internal.channel.ChannelFile;
import dev.baton.internal.channel.ChannelLifecycle;
import dev.baton.internal.channel.CompletionBatchOps;
import dev.baton.internal.channel.DispatchBatchOps;
import dev.baton.internal.channel.DispatchOps;
import dev.baton.internal.channel.HandlerOps;
import dev.baton.internal.channel.HostDrain;
import dev.baton.internal.channel.PayloadClaimOps;
import dev.baton.internal.channel.SlabScans;
import dev.baton.internal.channel.UuidIndex;
import dev.baton.internal.ffi.NativeLibrary;
import dev.baton.internal.layout.ChannelGeometry;
import dev.baton.internal.protocol.ChannelCounters;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.jfr.StarvationEvent;
import dev.baton.jfr.TimeoutEvent;
import dev.baton.latency.LatencyRecorder;

/**
 * A dispatch channel: a host dispatches events to handlers and drains their outcomes, through one
 * off-heap {@link MemorySegment} that holds a slab of event slots, a dispatch ring of handles and a
 * completion ring of results ({@code include/baton.h} draws it). The channel owns that memory, and
 * hands out one object per role, as Aeron hands out publications and subscriptions:
 *
 * <ul>
 *   <li>{@link #dispatcher()}: the host's sending side, for any number of threads: dispatch,
 *       claim and commit, cancel;</li>
 *   <li>{@link #newPoller()}: a handler's side, one per handler thread: poll, await, complete,
 *       yield;</li>
 *   <li>{@link #outcomeDrain()}: the host's outcome side, one thread at a time: drain, await, and
 *       the duty cycle as an Agrona agent.</li>
 * </ul>
 * The channel itself keeps what concerns all of them: its lifecycle, expiry, the reaper, metrics
 * and sizes.
 *
 * <h2>Guarantees</h2>
 * Every dispatched event reaches the host exactly once through {@link OutcomeDrain#drain},
 * completed or timed out, unless it is cancelled first. A handle is checked against its slot's
 * generation on every operation, so one kept after its event ended is rejected, never acted on.
 * Dispatch, poll, complete, drain and expiry are lock-free and allocate nothing (unless the UUID
 * index is on). A handler that dies between claiming completion-ring space and committing its
 * record holds the ring for one completion timeout (at least a second); then the host's drain
 * commits the record if the handler had already completed the event, or skips it (and the event
 * times out). Like Agrona's {@code unblock}, this presumes a handler that held a claim for that
 * long is dead.
 *
 * <h2>Errors</h2>
 * Races a correct program meets return an {@link ErrorCode}: backpressure, stale handles, double
 * completion, completion after a timeout. A closed channel reaches handlers as
 * {@link ErrorCode#ESHUTDOWN}, from {@link Poller#pollBatch}, {@link Poller#awaitEvents},
 * {@link Poller#complete(long, int, MemorySegment) complete} and {@link PolledEvent#readPayload},
 * as it reaches C and Rust handlers, even when the close races with the call. Misuse throws: a null
 * or oversize argument ({@link NullPointerException}, {@link IllegalArgumentException}), or a
 * dispatcher's or host's call after {@link #close()} ({@link IllegalStateException}). Neither
 * leaves the channel inconsistent.
 *
 * <p>The C twins: {@code native/close_handshake.c} and {@code native/channel_file.c} (the
 * lifecycle), {@code native/slab_scans.c} (expiry and metrics) and {@code native/reaper.c}.
 */
public final class DispatchChannel implements AutoCloseable
{
    /**
     * The largest count a channel keeps (an event's redeliveries and yields), and so the largest
     * redelivery or yield limit: {@code baton.h}'s {@code uint32_t}, which Java reads unsigned into a
     * {@code long}, as every language does.
     */
    public static final long MAX_COUNT = 0xFFFF_FFFFL;

    /** The recent span over which {@link #metrics()} reports events per second. */
    private static final Duration RATE_WINDOW = Duration.ofSeconds(10);

    private final ChannelLifecycle lifecycle;
    private final MemorySegment memory;
    private final ChannelMemory parts;
    private final ChannelGeometry geometry;
    private final UuidIndex uuidIndex;
    private final ChannelCounters counters;
    private final LatencyRecorder latencyRecorder;
    private final HostDrain hostDrain;
    private final SlabScans scans;
    private final DispatchOps dispatchOps;
    private final CompletionBatchOps completionBatches;
    private final HandlerOps handlerOps;
    private final Dispatcher dispatcher;
    private final OutcomeDrain outcomeDrain;

    DispatchChannel(
        final ChannelLifecycle lifecycle,
        final ChannelMemory parts,
        final ChannelConfig config,
        final ChannelCounters counters)
    {
        this.lifecycle = lifecycle;
        this.memory = lifecycle.memory();
        this.parts = parts;
        this.geometry = config.geometry();
        this.uuidIndex = config.uuidIndex() ? new UuidIndex(geometry.slabCapacity()) : null;
        this.counters = counters;
        this.dispatchOps = new DispatchOps(
            parts, lifecycle, uuidIndex, counters, config.completionTimeoutNanos(),
            config.unblockPatienceNanos());
        this.handlerOps = new HandlerOps(parts, lifecycle, counters, dispatchOps);
        this.completionBatches = new CompletionBatchOps(handlerOps, parts, lifecycle);
        this.latencyRecorder = LatencyRecorder.wrap(memory, geometry.latencyRingOffset(), geometry.latencyRingCapacity());
        this.hostDrain = new HostDrain(
            parts, latencyRecorder, uuidIndex, counters, config.unblockPatienceNanos());
        this.scans = new SlabScans(parts, config.starvationThresholdNanos(), config.unblockPatienceNanos());
        this.dispatcher = new Dispatcher(
            dispatchOps, new DispatchBatchOps(dispatchOps, parts, lifecycle),
            new PayloadClaimOps(dispatchOps, parts, lifecycle, uuidIndex));
        this.outcomeDrain = new OutcomeDrain(
            this, lifecycle, hostDrain, new Outcome(memory, parts.payloadBlocks(), geometry.inlinePayloadCapacity()));
        lifecycle.attachNative();
        parts.dispatchRing().markClaimsAs(lifecycle.tag());
    }

    /**
     * Opens a channel another process created in a file ({@link DispatchChannelBuilder#file}, or
     * {@code baton_create} in C), to handle its events (or dispatch into it). One process drains a
     * channel's outcomes: its creator, as a rule. Closing the returned channel detaches this process
     * and unmaps the file; the channel itself stays open until its creator closes it, which handlers
     * here see as {@link ErrorCode#ESHUTDOWN}.
     *
     * @param path the channel's file: absolute, or relative to {@code /dev/shm}.
     * @return this process's attachment.
     * @throws IllegalArgumentException if there is no such file, it is no channel of this ABI, it is
     *                                  shorter than its header claims, or another user owns it.
     * @throws IllegalStateException    if libbaton is not loaded, or the channel is closed.
     */
    public static DispatchChannel open(final Path path)
    {
        return open(path, false);
    }

    /**
     * As {@link #open(Path)}, optionally accepting a file another user owns.
     *
     * @param path     the channel's file: absolute, or relative to {@code /dev/shm}.
     * @param anyOwner whether to accept a file another user owns (refused otherwise).
     * @return this process's attachment.
     */
    public static DispatchChannel open(final Path path, final boolean anyOwner)
    {
        return DispatchChannelBuilder.attached(ChannelFile.resolve(path), anyOwner);
    }

    /**
     * Adopts a channel file whose host is gone: its process died, or it detached without closing.
     * This process becomes the channel's host ({@code baton_adopt}): the dead are reaped, so the old
     * host's half-made dispatches and the slots it died holding are settled, and the events still
     * pending stay pending. This channel's {@link #outcomeDrain() drain} then delivers their outcomes,
     * those already waiting first; an outcome the old host was handed by the drain it died in may
     * come again (each names its event id). Closing it closes the channel and removes the file, as
     * its creator's close would have. Handlers attached meanwhile keep serving; a handler whose wait
     * found the host gone ({@link ErrorCode#EHOSTDOWN}) may attach again.
     *
     * @param path the channel's file: absolute, or relative to {@code /dev/shm}.
     * @return this process's attachment, now the channel's host.
     * @throws IllegalArgumentException as {@link #open(Path)}.
     * @throws IllegalStateException    if the host is alive ({@link ErrorCode#EISCONN}), the channel
     *                                  is closed, or libbaton is not loaded.
     */
    public static DispatchChannel adopt(final Path path)
    {
        return DispatchChannelBuilder.adopted(ChannelFile.resolve(path));
    }

    /** @return a builder with the defaults it documents. */
    public static DispatchChannelBuilder builder()
    {
        return new DispatchChannelBuilder();
    }

    /** @return the host's sending side: one, for any number of threads. */
    public Dispatcher dispatcher()
    {
        return dispatcher;
    }

    /**
     * @return a new poller for one handler thread.
     * @throws IllegalStateException if the channel is closed.
     */
    public Poller newPoller()
    {
        lifecycle.ensureOpen();
        return new Poller(handlerOps, completionBatches, uuidIndex,
            new PolledEvent(lifecycle, memory, parts.payloadBlocks(), geometry.inlinePayloadCapacity()));
    }

    /** @return the host's outcome side: one, for one thread at a time. */
    public OutcomeDrain outcomeDrain()
    {
        return outcomeDrain;
    }

    /**
     * Moves every pending event past its deadline to TIMED_OUT and writes a timeout record for the
     * host, which sees it exactly once in {@link OutcomeDrain#drain}. A handler's late completion then
     * gets {@link ErrorCode#ETIMEDOUT} (or {@link ErrorCode#ESTALE} once drained). Lock-free, any
     * thread; one pass over the slab. When a recording enables it, each timeout also writes a JFR
     * {@link TimeoutEvent}.
     *
     * @return events timed out by this call; fewer than expired when the completion ring filled up
     * (the rest time out on a later call).
     * @throws IllegalStateException if the channel is closed.
     */
    public int reclaimExpired()
    {
        lifecycle.ensureOpen();
        final int expired = scans.reclaimExpired(System.nanoTime(), lifecycle.tag());
        if (expired > 0)
        {
            lifecycle.afterCompletion();
        }
        return expired;
    }

    /**
     * Settles what processes that died while attached left, promptly rather than at the completion
     * timeout: their sleepers in the waiter counts, and the events their handlers had claimed,
     * dispatched again up to {@link DispatchChannelBuilder#redeliveryLimit} times and otherwise
     * reported timed out, once each. It also repairs what another process wrote over: the dispatch
     * ring's indices and cells, and an event left completed or timed out with no record to report
     * it, which it reports once with status {@link ErrorCode#ENODATA} (or as timed out) a second or
     * two later ({@code baton_reap} in {@code baton.h}). It reads /proc for every other process
     * attached: call it now and then, as {@link HostAgent} does, not per event. Needs libbaton
     * (without it no other process can attach).
     *
     * @return the dead processes' attachments reaped, or {@link ErrorCode#ESHUTDOWN}.
     */
    public int reap()
    {
        return lifecycle.reap();
    }

    /**
     * Lists the events the slab holds: waiting, in progress, yielding, or ended and not yet drained.
     * A host accounts with it for the events it dispatched when their outcomes cannot reach it (a
     * completion ring refused as {@link ErrorCode#EUCLEAN}), or before it abandons a channel that
     * another party closed. Each event is read under its slot's state word, so each is consistent;
     * the list is not a snapshot across slots: an event that moves while the scan runs is listed in
     * its state before or after, or, if it ends and its slot takes a new event meanwhile, as that
     * one. Never blocks a dispatcher, handler or the host; allocates the list. The C twin is
     * {@code baton_list_events}.
     *
     * @return the events, in slot order.
     * @throws IllegalStateException once this process closed the channel.
     */
    public List<ListedEvent> listEvents()
    {
        lifecycle.ensureAttached();
        final List<ListedEvent> listed = new ArrayList<>();
        scans.listEvents((handle, idHi, idLo, correlationHi, correlationLo, kind, state, dispatchedAt, redeliveries, yields) ->
            listed.add(new ListedEvent(handle, new UUID(idHi, idLo), new UUID(correlationHi, correlationLo), kind,
                ListedEvent.State.of(state), dispatchedAt, redeliveries, yields)));
        return listed;
    }

    /**
     * Scans the slab's state words for the pending-event metrics. Never blocks a dispatcher, handler or
     * the host; allocates the result. When events are starving and a recording enables it, writes a
     * JFR {@link StarvationEvent}.
     *
     * @return the metrics.
     * @throws IllegalStateException if the channel is closed.
     */
    public ChannelMetrics metrics()
    {
        lifecycle.ensureOpen();
        final SlabScans.PendingScan scan = scans.scanPending();
        return new ChannelMetrics(
            scan.pendingCount(),
            Duration.ofNanos(scan.oldestAgeNanos()).toMillis(),
            Duration.ofNanos(scan.newestAgeNanos()).toMillis(),
            scan.oldestEventId(),
            scan.starvingCount() > 0,
            scan.starvingCount(),
            scan.waitingCount(),
            scan.inProgressCount(),
            scan.awaitingDrainCount(),
            geometry.slabCapacity(),
            hostDrain.completedCount(),
            hostDrain.timedOutCount(),
            dispatchOps.cancelledCount(),
            hostDrain.rejectedRecordCount(),
            hostDrain.unblockedRecordCount(),
            latencyRecorder.statistics(RATE_WINDOW));
    }

    /**
     * @return the dispatch-to-completion latencies of this channel, with the ones native handlers
     * record through {@code baton_record_latency}; {@link #metrics()} summarises it over 10 seconds.
     */
    public LatencyRecorder latencyRecorder()
    {
        return latencyRecorder;
    }

    /**
     * @return what the channel did since creation, when it was built
     * {@link DispatchChannelBuilder#instrumented(boolean) instrumented}.
     * @throws IllegalStateException if it was not.
     */
    public ChannelActivity activity()
    {
        if (counters == null)
        {
            throw new IllegalStateException("activity() needs an instrumented channel: build with instrumented(true)");
        }
        return ChannelActivity.of(counters, hostDrain.timedOutCount(), dispatchOps.cancelledCount());
    }

    /**
     * @return the longest payload a dispatch accepts, in bytes: the slot's inline room, or the
     * largest block ({@link DispatchChannelBuilder#blocks}) when that is longer.
     */
    public int maxPayloadLength()
    {
        return geometry.maxPayloadLength();
    }

    /** @return the longest payload a slot holds inline; a longer one takes a block. */
    public int inlinePayloadCapacity()
    {
        return geometry.inlinePayloadCapacity();
    }

    /** @return the longest result a completion carries, in bytes: inline, or in the largest block. */
    public int maxResultLength()
    {
        return geometry.maxResultLength();
    }

    /** @return the slab's capacity: the bound on events in flight. */
    public int capacity()
    {
        return geometry.slabCapacity();
    }

    /**
     * @return how often an event is dispatched again when the handler that held it is gone
     * ({@link DispatchChannelBuilder#redeliveryLimit}); a handler that forwards events elsewhere
     * applies the same limit when it loses a destination.
     */
    public long redeliveryLimit()
    {
        return parts.redeliveryLimit();
    }

    /**
     * @return the channel's memory, laid out as {@code include/baton.h} draws it, for native code to
     * {@code baton_attach} to; valid until {@link #close()}, which waits for native users to detach.
     */
    public MemorySegment memory()
    {
        return memory;
    }

    /**
     * @return where this JVM loaded libbaton from, or empty when it runs channels without it (then
     * native handlers cannot attach, and waits back off instead of sleeping on a futex).
     */
    public static Optional<Path> nativeLibraryPath()
    {
        return NativeLibrary.path();
    }

    /** @return whether {@link #close()} was called. */
    public boolean isClosed()
    {
        return lifecycle.isClosed();
    }

    /**
     * Marks the channel closed in its header and wakes every sleeping handler or host, in every
     * process; handlers, Java or native, see {@link ErrorCode#ESHUTDOWN}. A channel in this
     * process's memory is freed once its native users detached (never under one: if one is still
     * attached after 10 seconds, the memory is left allocated and a warning logged). A channel in a
     * file is removed and unmapped at once; stop native handler pools in this process first. On a
     * channel {@link #open attached} to another process's, close only detaches this process.
     * Idempotent.
     */
    @Override
    public void close()
    {
        // An attachment that leaves a channel others go on using hands back the slots its drains kept.
        lifecycle.close(hostDrain::returnKeptSlots);
    }

    /**
     * @return a count or limit, checked to be in [least, {@link #MAX_COUNT}].
     * @throws IllegalArgumentException naming it, if it is outside.
     */
    static long checkCount(final String name, final long value, final long least)
    {
        if (value < least || value > MAX_COUNT)
        {
            throw new IllegalArgumentException(name + " must be in [" + least + ", " + MAX_COUNT + "]: " + value);
        }
        return value;
    }
}
