package dev.baton;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import dev.baton.internal.ffi.NativeLibrary;
import dev.baton.internal.layout.ChannelGeometry;
import dev.baton.internal.protocol.ChannelCounters;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.jfr.StarvationEvent;
import dev.baton.jfr.TimeoutEvent;
import dev.baton.latency.LatencyRecorder;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * A dispatch channel: a host dispatches events to handler threads and drains their outcomes, through
 * one off-heap {@link MemorySegment} that holds a slab of event slots, a dispatch ring of handles and
 * a completion ring of results ({@code include/baton.h} draws it). The channel owns that memory.
 *
 * <h2>Roles</h2>
 * <ul>
 *   <li><b>Dispatchers</b>, any number of threads: {@link #dispatch}, {@link #dispatch},
 *       {@link #cancel}.</li>
 *   <li><b>Handlers</b>, any number of threads, each with its own {@link #newPoller() Poller}:
 *       claim events, then {@link #complete(long, int, MemorySegment) complete} them.</li>
 *   <li><b>The host</b>, one thread at a time: {@link #drain}. {@link #reclaimExpired()}
 *       and {@link #metrics()} may run on any thread.</li>
 * </ul>
 *
 * <h2>Guarantees</h2>
 * Every dispatched event reaches the host exactly once through {@link #drain}, completed
 * or timed out, unless it is cancelled first. A handle is checked against its slot's generation on
 * every operation, so one kept after its event ended is rejected, never acted on. Dispatch, poll,
 * complete, drain and expiry are lock-free and allocate nothing (unless the UUID index is on).
 * A handler that dies between claiming completion-ring space and committing its record holds the
 * ring for one completion timeout (at least a second); then the host's drain commits the record if
 * the handler had already completed the event, or skips it (and the event times out). Like
 * Agrona's {@code unblock}, this presumes a handler that held a claim for that long is dead.
 *
 * <h2>Errors</h2>
 * Races a correct program meets return an {@link ErrorCode}: backpressure, stale handles, double
 * completion, completion after a timeout. A closed channel reaches handlers as
 * {@link ErrorCode#ESHUTDOWN}, from {@link Poller#pollBatch}, {@link Poller#awaitEvents},
 * {@link #complete(long, int, MemorySegment) complete} and {@link PolledEvent#readPayload}, as it
 * reaches C and Rust handlers, even when the close races with the call. Misuse throws: a null or
 * oversize argument ({@link NullPointerException}, {@link IllegalArgumentException}), or a
 * dispatcher's or host's call after {@link #close()} ({@link IllegalStateException}). Neither
 * leaves the channel inconsistent.
 *
 * <h2>Duty cycle</h2>
 * A host need not write its loop: {@link #hostAgent} drains and reclaims expired events as an
 * Agrona {@link org.agrona.concurrent.Agent}, and {@link #outcomeIdleStrategy} sleeps until the
 * next outcome, for an {@link org.agrona.concurrent.AgentRunner} to run them on a thread.
 *
 * <p>The C twin is {@code native/channel.c}, with {@code dispatch_ops.c} and {@code handler_ops.c}
 * for the two sides this facade composes ({@link DispatchOps}, {@link HandlerOps}).
 */
public final class DispatchChannel implements AutoCloseable
{
    /** The recent span over which {@link #metrics()} reports events per second. */
    private static final Duration RATE_WINDOW = Duration.ofSeconds(10);

    private final ChannelLifecycle lifecycle;
    private final MemorySegment memory;
    private final ChannelGeometry geometry;
    private final UuidIndex uuidIndex;
    private final ChannelCounters counters;
    private final LatencyRecorder latencyRecorder;
    private final HostDrain hostDrain;
    private final SlabScans scans;
    private final DispatchOps dispatchOps;
    private final HandlerOps handlerOps;
    private final IdleStrategy hostIdle = new BackoffIdleStrategy();
    private final BooleanSupplier completionReady;

    DispatchChannel(
        final ChannelLifecycle lifecycle,
        final ChannelMemory parts,
        final ChannelConfig config,
        final ChannelCounters counters)
    {
        this.lifecycle = lifecycle;
        this.memory = lifecycle.memory();
        this.geometry = config.geometry();
        this.uuidIndex = config.uuidIndex() ? new UuidIndex(geometry.slabCapacity()) : null;
        this.counters = counters;
        this.dispatchOps = new DispatchOps(
            parts, lifecycle, uuidIndex, counters, config.completionTimeoutNanos(), config.unblockPatienceNanos());
        this.handlerOps = new HandlerOps(parts, lifecycle, counters, dispatchOps);
        this.latencyRecorder = LatencyRecorder.wrap(memory, geometry.latencyRingOffset(), geometry.latencyRingCapacity());
        this.hostDrain = new HostDrain(parts, latencyRecorder, uuidIndex, counters, config.unblockPatienceNanos());
        this.scans = new SlabScans(parts, config.starvationThresholdNanos());
        this.completionReady = hostDrain::hasReady;
        lifecycle.attachNative();
        parts.dispatchRing().markClaimsAs(lifecycle.tag());
    }

    /**
     * Attaches this process to a channel another process created in a file
     * ({@link DispatchChannelBuilder#file}, or {@code baton_create} in C), to handle its events (or
     * dispatch into it). One process drains a channel's outcomes: its creator, as a rule. Closing
     * the returned channel detaches this process and unmaps the file; the channel itself stays open
     * until its creator closes it, which handlers here see as {@link ErrorCode#ESHUTDOWN}.
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

    /** @return a builder with the defaults it documents. */
    public static DispatchChannelBuilder builder()
    {
        return new DispatchChannelBuilder();
    }

    /**
     * Dispatches an event if there is room. Lock-free; allocation-free unless the UUID index is on.
     *
     * @param eventIdHi       the event id's most significant bits.
     * @param eventIdLo       the event id's least significant bits.
     * @param correlationIdHi the correlation id's most significant bits.
     * @param correlationIdLo the correlation id's least significant bits.
     * @param kind            a caller-defined event type.
     * @param payload         copied into the slot, or into a block of the block area when it is
     *                        longer than the slot's inline room; at most {@link #maxPayloadLength()} bytes.
     * @return the event's handle (positive), or {@link ErrorCode#EAGAIN} when the slab is full or no
     * block is free for the payload,
     * {@link ErrorCode#ENOSPC} when the dispatch ring is full, or {@link ErrorCode#EPROTO} when the
     * slab's memory was corrupted.
     * @throws NullPointerException     if payload is null.
     * @throws IllegalArgumentException if payload is longer than {@link #maxPayloadLength()}.
     * @throws IllegalStateException    if the channel is closed.
     */
    public long dispatch(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final MemorySegment payload)
    {
        return dispatch(eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, kind, payload, TraceContext.NONE);
    }

    /**
     * {@link #dispatch(long, long, long, long, int, MemorySegment)} with the event's trace context,
     * which its handler reads ({@link SlotView#traceContext()}, C's {@code baton_read_trace}).
     *
     * @param trace the trace context, or {@link TraceContext#NONE}.
     * @return as {@link #dispatch(long, long, long, long, int, MemorySegment)}.
     */
    public long dispatch(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final MemorySegment payload,
        final TraceContext trace)
    {
        return dispatchOps.dispatch(eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, kind, payload, trace);
    }

    /**
     * {@link #dispatch(long, long, long, long, int, MemorySegment)} with {@link UUID}s.
     *
     * @param eventId       the event id.
     * @param correlationId the correlation id.
     * @param kind          a caller-defined event type.
     * @param payload       copied into the slot.
     * @return the handle, or {@link ErrorCode#EAGAIN} or {@link ErrorCode#ENOSPC}.
     */
    public long dispatch(final UUID eventId, final UUID correlationId, final int kind, final MemorySegment payload)
    {
        return dispatch(
            eventId.getMostSignificantBits(), eventId.getLeastSignificantBits(),
            correlationId.getMostSignificantBits(), correlationId.getLeastSignificantBits(), kind, payload);
    }

    /**
     * Claims room for an event's payload to write in place, then commit or abort through the claim,
     * as Agrona's {@code tryClaim}: the zero-copy dispatch. The event's fields and trace context are
     * written now; it is invisible until {@link PayloadClaim#commit()}. Lock-free, allocation-free.
     *
     * @param length the payload's length, at most {@link #maxPayloadLength()}.
     * @param trace  the trace context, or {@link TraceContext#NONE}.
     * @param claim  filled with where to write; reusable.
     * @return {@link ErrorCode#OK}, or {@link ErrorCode#EAGAIN} when the slab is full or no block is
     * free for the payload.
     * @throws IllegalArgumentException if length is longer than {@link #maxPayloadLength()}.
     * @throws IllegalStateException    if the channel is closed.
     */
    public int claim(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final int length,
        final TraceContext trace,
        final PayloadClaim claim)
    {
        return dispatchOps.claim(eventIdHi, eventIdLo, correlationIdHi, correlationIdLo, kind, length, trace, claim);
    }

    /**
     * Dispatches an event, backing off with an idle strategy while the channel is full (Agrona's
     * {@link BackoffIdleStrategy}: spin, yield, then park). Blocks for at most {@code timeout}.
     *
     * @param eventId       the event id.
     * @param correlationId the correlation id.
     * @param kind          a caller-defined event type.
     * @param payload       copied into the slot.
     * @param timeout       how long to wait for room.
     * @return the handle, or the last backpressure code when the timeout passed first.
     */
    public long dispatch(
        final UUID eventId,
        final UUID correlationId,
        final int kind,
        final MemorySegment payload,
        final Duration timeout)
    {
        return dispatchOps.dispatchWithin(
            eventId.getMostSignificantBits(), eventId.getLeastSignificantBits(),
            correlationId.getMostSignificantBits(), correlationId.getLeastSignificantBits(), kind, payload,
            timeout.toNanos());
    }

    /** @return a new poller for one handler thread. */
    public Poller newPoller()
    {
        lifecycle.ensureOpen();
        return new Poller(handlerOps);
    }

    /**
     * Completes a claimed event: CLAIMED to COMPLETED, and a completion record for the host. Lock-free,
     * allocation-free. Exactly one of a completion and a timeout of the same event succeeds.
     *
     * @param handle the handle of an event this handler claimed.
     * @param status a handler-defined status for the host.
     * @param result copied into the completion record, or into a block when it is longer than the
     *               record's inline room; {@link MemorySegment#NULL} for none.
     * @return {@link ErrorCode#OK}; {@link ErrorCode#ENOENT} for a handle that names no slot or no
     * dispatch; {@link ErrorCode#ESTALE} when the slot has moved on; {@link ErrorCode#ETIMEDOUT}
     * when the event timed out; {@link ErrorCode#EALREADY} when it was already completed;
     * {@link ErrorCode#EPROTO} when it was not claimed; {@link ErrorCode#ENOBUFS} when the
     * completion ring is full, or no block is free for the result (retry once the host drains);
     * {@link ErrorCode#ESHUTDOWN} once the channel is closed.
     * @throws NullPointerException     if result is null.
     * @throws IllegalArgumentException if result is longer than {@link #maxResultLength()}.
     */
    public int complete(final long handle, final int status, final MemorySegment result)
    {
        return handlerOps.complete(handle, status, result, 0);
    }

    /**
     * Hands a claimed event back to be dispatched again with a continuation payload (a checkpoint
     * yield): its handle, ids and trace context stay, its yield count rises
     * ({@link SlotView#yields()}), and it joins the back of the dispatch ring. The caller holds it no
     * longer. A yield is neither a completion nor a loss; the event still ends exactly once. Past the
     * channel's {@link DispatchChannelBuilder#yieldLimit yield limit} the event is completed with
     * status {@link ErrorCode#ELOOP} instead. Lock-free, allocation-free.
     *
     * @param handle       the handle of an event this handler claimed.
     * @param continuation the payload the next delivery sees; it may be a part of the event's own payload.
     * @return {@link ErrorCode#OK}; {@link ErrorCode#ELOOP} when the event ended at the yield limit;
     * with the claim kept: {@link ErrorCode#EAGAIN} (no block free for the continuation),
     * {@link ErrorCode#ENOSPC} (dispatch ring full), {@link ErrorCode#ENOBUFS} (no room for the ELOOP
     * completion); or as {@link #complete(long, int, MemorySegment)}.
     * @throws IllegalArgumentException if the continuation is longer than {@link #maxPayloadLength()}.
     */
    public int yieldEvent(final long handle, final MemorySegment continuation)
    {
        return handlerOps.yieldEvent(handle, continuation);
    }

    /**
     * {@link #complete(long, int, MemorySegment)}, naming the handler's span, which the host reads
     * ({@link SlotView#handlerSpanId()}).
     *
     * @param handlerSpanId the handler's span id; 0 for none.
     * @return as {@link #complete(long, int, MemorySegment)}.
     */
    public int complete(final long handle, final int status, final MemorySegment result, final long handlerSpanId)
    {
        return handlerOps.complete(handle, status, result, handlerSpanId);
    }

    /**
     * Completes a claimed event by its event id, through the UUID index.
     *
     * @param eventId the event id given at dispatch.
     * @param status  a handler-defined status.
     * @param result  the result.
     * @return as {@link #complete(long, int, MemorySegment)}; {@link ErrorCode#ENOENT} when no live
     * event has this id.
     * @throws IllegalStateException if the channel was built without
     *                               {@link DispatchChannelBuilder#uuidIndex(boolean)}.
     */
    public int complete(final UUID eventId, final int status, final MemorySegment result)
    {
        if (uuidIndex == null)
        {
            throw new IllegalStateException("complete(UUID) needs the UUID index: build with uuidIndex(true)");
        }
        final Long handle = uuidIndex.find(eventId);
        return handle == null ? ErrorCode.ENOENT : complete(handle, status, result);
    }

    /**
     * Drains completed and timed-out events to the host, in ring order, freeing each slot after the
     * handler returns. A handler that throws leaves its outcome in place (slot and record): the
     * exception propagates and the next drain delivers that outcome again, so none is lost. A drain
     * called from inside a handler is refused. Host thread only. Wait-free per record;
     * allocation-free unless the UUID index is on. A drain that finds nothing also checks whether a
     * dead publisher has held the ring for a completion timeout, and unblocks it
     * ({@link ChannelMetrics#unblockedRecordCount()}).
     *
     * @param handler receives each outcome.
     * @param limit   the most outcomes to drain.
     * @return outcomes delivered, or {@link ErrorCode#EBUSY} when called from inside a drain.
     * @throws IllegalStateException if the channel is closed.
     */
    public int drain(final OutcomeHandler handler, final int limit)
    {
        lifecycle.ensureOpen();
        return hostDrain.drain(handler, limit);
    }

    /**
     * Waits until an outcome is ready for {@link #drain}. Host thread only. With libbaton
     * loaded the thread sleeps on the channel's futex word, woken by the completion that publishes
     * (Java's or a native handler's); without it, it backs off (spin, yield, park).
     *
     * @param timeout the longest wait.
     * @return whether an outcome is ready.
     * @throws IllegalStateException if the channel is closed, before or during the wait.
     */
    public boolean awaitOutcomes(final Duration timeout)
    {
        final int result = lifecycle.awaitOutcomes(completionReady, timeout.toNanos(), hostIdle);
        if (result == ErrorCode.ESHUTDOWN)
        {
            throw new IllegalStateException("channel closed");
        }
        return result == 1;
    }

    /**
     * The host's duty cycle as an Agrona agent: each {@link org.agrona.concurrent.Agent#doWork()}
     * drains up to {@code drainLimit} outcomes to {@code handler} and, every
     * {@code reclaimInterval}, times out the events past their deadline and reaps dead processes'
     * attachments. It ends (with Agrona's {@link org.agrona.concurrent.AgentTerminationException})
     * once the channel is closed. Run it with {@link #outcomeIdleStrategy} on one
     * {@link org.agrona.concurrent.AgentRunner}: it is the host thread.
     *
     * @param handler         receives each outcome.
     * @param drainLimit      the most outcomes one duty cycle drains.
     * @param reclaimInterval how often to look for expired events and dead processes.
     * @return the agent.
     */
    public HostAgent hostAgent(final OutcomeHandler handler, final int drainLimit, final Duration reclaimInterval)
    {
        return new HostAgent(this, handler, drainLimit, reclaimInterval.toNanos());
    }

    /**
     * An idle strategy for the host's agent: after a duty cycle that did no work, it sleeps until an
     * outcome is ready (on the channel's futex with libbaton, backing off without) or for at most
     * {@code longestSleep}, so expired events are still reclaimed on time.
     *
     * @param longestSleep the longest one idle call sleeps.
     * @return the strategy; it keeps no state of its own, so one per host thread.
     */
    public IdleStrategy outcomeIdleStrategy(final Duration longestSleep)
    {
        return new OutcomeIdleStrategy(lifecycle, completionReady, longestSleep.toNanos());
    }

    /**
     * Moves every pending event past its deadline to TIMED_OUT and writes a timeout record for the
     * host, which sees it exactly once in {@link #drain}. A handler's late completion then
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
     * reported timed out, once each. It reads /proc for every other process attached: call it now
     * and then, as {@link HostAgent} does, not per event. Needs libbaton (without it no other
     * process can attach).
     *
     * @return the dead processes' attachments reaped, or {@link ErrorCode#ESHUTDOWN}.
     */
    public int reap()
    {
        return lifecycle.reap();
    }

    /**
     * Cancels a pending event (dispatched or claimed): its slot is freed at once and the host is not
     * told again. Lock-free: a failed CAS means the event moved on (a handler claimed it, or it
     * completed or timed out), and the loop looks again.
     *
     * @param handle the event's handle.
     * @return {@link ErrorCode#OK}; {@link ErrorCode#EALREADY} when it was completed first,
     * {@link ErrorCode#ETIMEDOUT} when it timed out first, {@link ErrorCode#EAGAIN} while its handler
     * yields it (try again: it is dispatched again in a moment), {@link ErrorCode#ESTALE} or
     * {@link ErrorCode#ENOENT} for a handle that names no pending event.
     * @throws IllegalStateException if the channel is closed.
     */
    public int cancel(final long handle)
    {
        return dispatchOps.cancel(handle);
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
        return scans.metrics(hostDrain, dispatchOps.cancelledCount(), latencyRecorder.statistics(RATE_WINDOW));
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
        lifecycle.close();
    }
}
