package dev.baton;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.baton.internal.ffi.NativeLibrary;
import dev.baton.internal.ffi.NativeWaits;
import dev.baton.internal.layout.ChannelGeometry;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.ChannelCounters;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.CloseHandshake;
import dev.baton.internal.protocol.DispatchRing;
import dev.baton.internal.protocol.OutcomePublisher;
import dev.baton.internal.protocol.Slab;
import dev.baton.internal.protocol.SlotFields;
import dev.baton.jfr.StarvationEvent;
import dev.baton.jfr.TimeoutEvent;
import dev.baton.latency.LatencyRecorder;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import static dev.baton.internal.layout.SlotDescriptor.CLAIMED;
import static dev.baton.internal.layout.SlotDescriptor.COMPLETED;
import static dev.baton.internal.layout.SlotDescriptor.DISPATCHED;
import static dev.baton.internal.layout.SlotDescriptor.generation;
import static dev.baton.internal.layout.SlotDescriptor.state;

/**
 * A dispatch channel: a host dispatches events to handler threads and drains their outcomes, through
 * one off-heap {@link MemorySegment} that holds a slab of event slots, a dispatch ring of handles and
 * a completion ring of results ({@code include/baton.h} draws it). The channel owns that memory.
 *
 * <h2>Roles</h2>
 * <ul>
 *   <li><b>Dispatchers</b>, any number of threads: {@link #tryDispatch}, {@link #dispatch},
 *       {@link #cancel}.</li>
 *   <li><b>Handlers</b>, any number of threads, each with its own {@link #newPoller() Poller}:
 *       claim events, then {@link #complete(long, int, MemorySegment) complete} them.</li>
 *   <li><b>The host</b>, one thread at a time: {@link #drainCompletions}. {@link #reclaimExpired()}
 *       and {@link #metrics()} may run on any thread.</li>
 * </ul>
 *
 * <h2>Guarantees</h2>
 * Every dispatched event reaches the host exactly once through {@link #drainCompletions}, completed
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
 * completion, completion after a timeout. Misuse throws: a null or oversize argument
 * ({@link NullPointerException}, {@link IllegalArgumentException}) or use after {@link #close()}
 * ({@link IllegalStateException}); an operation racing with close may also get the
 * {@link IllegalStateException} of the closed memory. Neither leaves the channel inconsistent.
 */
public final class DispatchChannel implements AutoCloseable
{
    /** How long {@link #close()} waits for native users to detach before it gives up freeing. */
    private static final Duration DETACH_TIMEOUT = Duration.ofSeconds(10);
    /** The recent span over which {@link #metrics()} reports events per second. */
    private static final Duration RATE_WINDOW = Duration.ofSeconds(10);

    private final Arena arena;
    private final MemorySegment memory;
    private final ChannelGeometry geometry;
    private final Slab slab;
    private final DispatchRing dispatchRing;
    private final OutcomePublisher outcomes;
    private final long completionTimeoutNanos;
    private final UuidIndex uuidIndex;
    private final ChannelCounters counters;
    private final LatencyRecorder latencyRecorder;
    private final HostDrain hostDrain;
    private final SlabScans scans;
    private final NativeWaits nativeWaits;
    private final AtomicLong cancelledCount = new AtomicLong();

    private volatile boolean closed;

    private DispatchChannel(final ChannelConfig config)
    {
        this.geometry = config.geometry();
        this.completionTimeoutNanos = config.completionTimeoutNanos();
        this.uuidIndex = config.uuidIndex() ? new UuidIndex(geometry.slabCapacity()) : null;
        this.counters = config.instrumented() ? new ChannelCounters() : null;
        this.arena = Arena.ofShared();
        try
        {
            this.memory = arena.allocate(geometry.segmentLength(), HeaderDescriptor.SEGMENT_ALIGNMENT);
            final ChannelMemory parts = new ChannelMemory(memory, geometry, counters);
            parts.format(completionTimeoutNanos, config.starvationThresholdNanos());
            this.slab = parts.slab();
            this.dispatchRing = parts.dispatchRing();
            this.outcomes = parts.outcomes();
            this.latencyRecorder =
                LatencyRecorder.wrap(memory, geometry.latencyRingOffset(), geometry.latencyRingCapacity());
            this.hostDrain = new HostDrain(parts, latencyRecorder, uuidIndex, counters, completionTimeoutNanos);
            this.scans = new SlabScans(parts, config.starvationThresholdNanos());
            this.nativeWaits = NativeWaits.attachIfAvailable(memory);
        }
        catch (final RuntimeException | Error ex)
        {
            arena.close();
            throw ex;
        }
    }

    /** @return a builder with the defaults it documents. */
    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Dispatches an event if there is room. Lock-free; allocation-free unless the UUID index is on.
     *
     * @param eventIdHi       the event id's most significant bits.
     * @param eventIdLo       the event id's least significant bits.
     * @param correlationIdHi the correlation id's most significant bits.
     * @param correlationIdLo the correlation id's least significant bits.
     * @param kind            a caller-defined event type.
     * @param payload         copied into the slot; at most {@link #payloadCapacity()} bytes.
     * @return the event's handle (positive), or {@link ErrorCode#EAGAIN} when the slab is full or
     * {@link ErrorCode#ENOSPC} when the dispatch ring is full.
     * @throws NullPointerException     if payload is null.
     * @throws IllegalArgumentException if payload is longer than {@link #payloadCapacity()}.
     * @throws IllegalStateException    if the channel is closed.
     */
    public long tryDispatch(
        final long eventIdHi,
        final long eventIdLo,
        final long correlationIdHi,
        final long correlationIdLo,
        final int kind,
        final MemorySegment payload)
    {
        ensureOpen();
        final long length = payload.byteSize();
        if (length > geometry.payloadCapacity())
        {
            throw new IllegalArgumentException(
                "payload of " + length + " bytes exceeds the slot's " + geometry.payloadCapacity());
        }
        final int index = slab.tryAcquire();
        if (index < 0)
        {
            count(counters == null ? null : counters.dispatchBackpressure);
            return ErrorCode.EAGAIN;
        }

        // The slot is ours from the pop until publish() below releases it.
        final long now = System.nanoTime();
        SlotFields.writeEvent(
            memory, slab.slotOffset(index), kind, eventIdHi, eventIdLo, correlationIdHi, correlationIdLo,
            now, now + completionTimeoutNanos, payload);

        // Claim the ring cell before publishing the slot: if the ring is full the slot is still FREE
        // and goes straight back, unseen by expiry, cancel or the metrics scan.
        final long position = dispatchRing.tryClaim();
        if (position < 0)
        {
            slab.release(index);
            count(counters == null ? null : counters.dispatchBackpressure);
            return ErrorCode.ENOSPC;
        }
        long handle = Handles.NONE;
        try
        {
            handle = slab.publish(index);
            if (uuidIndex != null)
            {
                uuidIndex.put(eventIdHi, eventIdLo, handle);
            }
        }
        finally
        {
            // A claimed cell must always be committed, or it blocks the ring; NONE is skipped by pollers.
            dispatchRing.commit(position, handle);
        }
        if (nativeWaits != null)
        {
            nativeWaits.afterDispatch();
        }
        count(counters == null ? null : counters.dispatched);
        return handle;
    }

    /**
     * {@link #tryDispatch(long, long, long, long, int, MemorySegment)} with {@link UUID}s.
     *
     * @param eventId       the event id.
     * @param correlationId the correlation id.
     * @param kind          a caller-defined event type.
     * @param payload       copied into the slot.
     * @return the handle, or {@link ErrorCode#EAGAIN} or {@link ErrorCode#ENOSPC}.
     */
    public long tryDispatch(final UUID eventId, final UUID correlationId, final int kind, final MemorySegment payload)
    {
        return tryDispatch(
            eventId.getMostSignificantBits(), eventId.getLeastSignificantBits(),
            correlationId.getMostSignificantBits(), correlationId.getLeastSignificantBits(), kind, payload);
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
        long result = tryDispatch(eventId, correlationId, kind, payload);
        if (!ErrorCode.isBackpressure(result))
        {
            return result;
        }
        final long deadline = System.nanoTime() + timeout.toNanos();
        final IdleStrategy idle = new BackoffIdleStrategy(); // only once the channel is full
        while (ErrorCode.isBackpressure(result) && deadline - System.nanoTime() > 0)
        {
            idle.idle();
            result = tryDispatch(eventId, correlationId, kind, payload);
        }
        return result;
    }

    /** @return a new poller for one handler thread. */
    public Poller newPoller()
    {
        ensureOpen();
        return new Poller(this);
    }

    /**
     * Claims the oldest dispatched event into a view, skipping entries whose event ended while it
     * waited in the ring. Lock-free.
     */
    boolean claimNext(final ClaimedEvent event)
    {
        ensureOpen();
        while (true)
        {
            final long handle = dispatchRing.poll();
            if (handle == Handles.NONE)
            {
                return false;
            }
            if (slab.isInRange(handle) && slab.transition(handle, DISPATCHED, CLAIMED))
            {
                final long slot = slab.slotOffset(Handles.index(handle));
                SlotFields.setClaimedAtOpaque(memory, slot, System.nanoTime());
                event.wrapSlot(memory, slot, handle);
                count(counters == null ? null : counters.claimed);
                return true;
            }
            count(counters == null ? null : counters.staleSkipped);
        }
    }

    /**
     * Completes a claimed event: CLAIMED to COMPLETED, and a completion record for the host. Lock-free,
     * allocation-free. Exactly one of a completion and a timeout of the same event succeeds.
     *
     * @param handle the handle of an event this handler claimed.
     * @param status a handler-defined status for the host.
     * @param result copied into the completion record; {@link MemorySegment#NULL} for none.
     * @return {@link ErrorCode#OK}; {@link ErrorCode#ENOENT} for a handle that names no slot or no
     * dispatch; {@link ErrorCode#ESTALE} when the slot has moved on; {@link ErrorCode#ETIMEDOUT}
     * when the event timed out; {@link ErrorCode#EALREADY} when it was already completed;
     * {@link ErrorCode#EPROTO} when it was not claimed; {@link ErrorCode#ENOBUFS} when the
     * completion ring is full (retry once the host drains).
     * @throws NullPointerException     if result is null.
     * @throws IllegalArgumentException if result is longer than {@link #maxResultLength()}.
     * @throws IllegalStateException    if the channel is closed.
     */
    public int complete(final long handle, final int status, final MemorySegment result)
    {
        final int outcome = completeClaimed(handle, status, result);
        if (counters != null)
        {
            (outcome == ErrorCode.OK ? counters.completed : counters.completionRefused).increment();
        }
        return outcome;
    }

    private int completeClaimed(final long handle, final int status, final MemorySegment result)
    {
        ensureOpen();
        final long length = result.byteSize();
        if (length > geometry.maxResultLength())
        {
            throw new IllegalArgumentException(
                "result of " + length + " bytes exceeds the completion ring's " + geometry.maxResultLength());
        }
        if (!slab.isInRange(handle))
        {
            return ErrorCode.ENOENT;
        }
        // acquire: a cheap early answer for stale handles, before any ring space is claimed.
        final long word = slab.loadState(Handles.index(handle));
        if (word != SlotDescriptor.stateWord(Handles.generation(handle), CLAIMED))
        {
            return Slab.rejection(handle, word, CLAIMED);
        }

        final int published = outcomes.publish(handle, CLAIMED, COMPLETED, status, result);
        if (published == ErrorCode.OK && nativeWaits != null)
        {
            nativeWaits.afterCompletion();
        }
        return published;
    }

    /**
     * Completes a claimed event by its event id, through the UUID index.
     *
     * @param eventId the event id given at dispatch.
     * @param status  a handler-defined status.
     * @param result  the result.
     * @return as {@link #complete(long, int, MemorySegment)}; {@link ErrorCode#ENOENT} when no live
     * event has this id.
     * @throws IllegalStateException if the channel was built without {@link Builder#uuidIndex(boolean)}.
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
     * handler returns (even if it throws). Host thread only. Wait-free per record; allocation-free
     * unless the UUID index is on. A drain that finds nothing also checks whether a dead publisher
     * has held the ring for a completion timeout, and unblocks it ({@link #unblockedRecordCount()}).
     *
     * @param handler receives each outcome.
     * @param limit   the most outcomes to drain.
     * @return outcomes drained.
     * @throws IllegalStateException if the channel is closed.
     */
    public int drainCompletions(final CompletionHandler handler, final int limit)
    {
        ensureOpen();
        return hostDrain.drain(handler, limit);
    }

    /**
     * Waits until an outcome is ready for {@link #drainCompletions}. Host thread only. With libbaton
     * loaded the thread sleeps on the channel's futex word, woken by the completion that publishes
     * (Java's or a native handler's); without it, it backs off (spin, yield, park).
     *
     * @param timeout the longest wait.
     * @return whether an outcome is ready.
     * @throws IllegalStateException if the channel is closed, before or during the wait.
     */
    public boolean awaitCompletions(final Duration timeout)
    {
        ensureOpen();
        if (hostDrain.hasReady())
        {
            return true;
        }
        final int result;
        if (nativeWaits != null)
        {
            result = nativeWaits.awaitCompletions(timeout.toNanos());
        }
        else
        {
            final long deadline = System.nanoTime() + timeout.toNanos();
            final IdleStrategy idle = new BackoffIdleStrategy();
            while (!hostDrain.hasReady() && !closed && deadline - System.nanoTime() > 0)
            {
                idle.idle();
            }
            result = closed ? ErrorCode.ESHUTDOWN : (hostDrain.hasReady() ? 1 : 0);
        }
        if (result == ErrorCode.ESHUTDOWN)
        {
            throw new IllegalStateException("channel closed");
        }
        return result == 1;
    }

    /**
     * Moves every pending event past its deadline to TIMED_OUT and writes a timeout record for the
     * host, which sees it exactly once in {@link #drainCompletions}. A handler's late completion then
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
        ensureOpen();
        final int expired = scans.reclaimExpired(System.nanoTime());
        if (expired > 0 && nativeWaits != null)
        {
            nativeWaits.afterCompletion();
        }
        return expired;
    }

    /**
     * Cancels a pending event (dispatched or claimed): its slot is freed at once and the host is not
     * told again. Lock-free: a failed CAS means the event moved on (a handler claimed it, or it
     * completed or timed out), and the loop looks again.
     *
     * @param handle the event's handle.
     * @return {@link ErrorCode#OK}; {@link ErrorCode#EALREADY} when it was completed first,
     * {@link ErrorCode#ETIMEDOUT} when it timed out first, {@link ErrorCode#ESTALE} or
     * {@link ErrorCode#ENOENT} for a handle that names no pending event.
     * @throws IllegalStateException if the channel is closed.
     */
    public int cancel(final long handle)
    {
        ensureOpen();
        if (!slab.isInRange(handle))
        {
            return ErrorCode.ENOENT;
        }
        final int index = Handles.index(handle);
        final long slot = slab.slotOffset(index);
        while (true)
        {
            final long word = slab.loadState(index);
            final int state = state(word);
            if (generation(word) != Handles.generation(handle) || (state != DISPATCHED && state != CLAIMED))
            {
                return Slab.rejection(handle, word, DISPATCHED);
            }
            // The id is needed only by the UUID index, and must be read before the slot is freed.
            final UUID eventId = uuidIndex == null ? null :
                new UUID(SlotFields.eventIdHiPlain(memory, slot), SlotFields.eventIdLoPlain(memory, slot));
            if (slab.free(handle, state))
            {
                if (eventId != null)
                {
                    uuidIndex.remove(eventId, handle);
                }
                cancelledCount.incrementAndGet();
                return ErrorCode.OK;
            }
        }
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
        ensureOpen();
        return scans.metrics(hostDrain, cancelledCount.get(), latencyRecorder.statistics(RATE_WINDOW));
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
     * @return what the channel did since creation, when it was built {@link Builder#instrumented(boolean)
     * instrumented}.
     * @throws IllegalStateException if it was not.
     */
    public ChannelActivity activity()
    {
        if (counters == null)
        {
            throw new IllegalStateException("activity() needs an instrumented channel: build with instrumented(true)");
        }
        return ChannelActivity.of(counters, hostDrain.timedOutCount(), cancelledCount.get());
    }

    private static void count(final java.util.concurrent.atomic.LongAdder counter)
    {
        if (counter != null)
        {
            counter.increment();
        }
    }

    /** @return completion records that named no completed or timed-out slot, and were skipped. */
    public long rejectedRecordCount()
    {
        return hostDrain.rejectedRecordCount();
    }

    /**
     * @return completion records left unfinished by a publisher presumed dead (it held the ring for
     * longer than the completion timeout, and at least a second), which the host then committed or
     * skipped.
     */
    public long unblockedRecordCount()
    {
        return hostDrain.unblockedRecordCount();
    }

    /** @return the longest payload a slot holds, in bytes. */
    public int payloadCapacity()
    {
        return geometry.payloadCapacity();
    }

    /** @return the longest result a completion carries, in bytes. */
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
        return closed;
    }

    /**
     * Marks the channel closed in its header, wakes every sleeping native handler or host, waits for
     * the native users to detach, and frees the memory. Idempotent. A Java handler still polling gets
     * an {@link IllegalStateException}; a native one gets {@code BATON_ESHUTDOWN}. The memory is
     * never freed under an attached native user: if one is still attached after 10 seconds, the
     * memory is left allocated (and a warning logged) rather than freed.
     */
    @Override
    public void close()
    {
        synchronized (arena)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            CloseHandshake.markClosed(memory);
            if (nativeWaits != null)
            {
                nativeWaits.wakeAll();
            }
            final boolean detached = awaitNativeDetach(nativeWaits != null ? 1 : 0);
            if (nativeWaits != null)
            {
                nativeWaits.detach();
            }
            if (detached)
            {
                arena.close();
            }
            else
            {
                System.getLogger(DispatchChannel.class.getName()).log(System.Logger.Level.WARNING,
                    "native users still attached after " + DETACH_TIMEOUT + ": the channel memory is left allocated");
            }
        }
    }

    private boolean awaitNativeDetach(final int ownAttachments)
    {
        final long deadline = System.nanoTime() + DETACH_TIMEOUT.toNanos();
        final IdleStrategy idle = new BackoffIdleStrategy();
        while (CloseHandshake.attachedCount(memory) > ownAttachments)
        {
            if (deadline - System.nanoTime() <= 0)
            {
                return false;
            }
            idle.idle();
        }
        return true;
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("channel closed");
        }
    }

    /** Configuration of a {@link DispatchChannel}. */
    public static final class Builder
    {
        private int slabCapacity = 1024;
        private int slotSize = 256;
        private int dispatchRingCapacity;
        private int completionRingCapacity;
        private int latencyRingCapacity = 1024;
        private Duration completionTimeout = Duration.ofSeconds(30);
        private Duration starvationThreshold = Duration.ofSeconds(10);
        private boolean uuidIndex;
        private boolean instrumented;

        private Builder()
        {
        }

        /**
         * @param slabCapacity slots, a power of two: the most events in flight.
         *                     Default 1024.
         * @return this.
         */
        public Builder slabCapacity(final int slabCapacity)
        {
            this.slabCapacity = slabCapacity;
            return this;
        }

        /**
         * @param slotSize bytes per slot, a multiple of 64 of at least 128; the payload gets all but
         *                 80 of them. Default 256.
         * @return this.
         */
        public Builder slotSize(final int slotSize)
        {
            this.slotSize = slotSize;
            return this;
        }

        /**
         * @param dispatchRingCapacity cells, a power of two. Default twice the slab capacity, so
         *                             that entries of events that ended while waiting do not fill it.
         * @return this.
         */
        public Builder dispatchRingCapacity(final int dispatchRingCapacity)
        {
            this.dispatchRingCapacity = dispatchRingCapacity;
            return this;
        }

        /**
         * @param completionRingCapacity record bytes, a power of two of at least 1024. Default 64
         *                               bytes per slot, at least 64 KiB.
         * @return this.
         */
        public Builder completionRingCapacity(final int completionRingCapacity)
        {
            this.completionRingCapacity = completionRingCapacity;
            return this;
        }

        /**
         * @param latencyRingCapacity the last latencies to keep, a power of two. Default 1024.
         * @return this.
         */
        public Builder latencyRingCapacity(final int latencyRingCapacity)
        {
            this.latencyRingCapacity = latencyRingCapacity;
            return this;
        }

        /**
         * @param completionTimeout how long after dispatch an event times out. Default 30 s.
         * @return this.
         */
        public Builder completionTimeout(final Duration completionTimeout)
        {
            this.completionTimeout = requirePositive(completionTimeout, "completionTimeout");
            return this;
        }

        /**
         * @param starvationThreshold how long an event may be pending before metrics call it
         *                            starving. Default 10 s.
         * @return this.
         */
        public Builder starvationThreshold(final Duration starvationThreshold)
        {
            this.starvationThreshold = requirePositive(starvationThreshold, "starvationThreshold");
            return this;
        }

        /**
         * @param uuidIndex keep a UUID to handle index for {@link #complete(UUID, int, MemorySegment)}.
         *                  It is on the heap and allocates on dispatch and drain. Default off.
         * @return this.
         */
        public Builder uuidIndex(final boolean uuidIndex)
        {
            this.uuidIndex = uuidIndex;
            return this;
        }

        /**
         * @param instrumented count operations and CAS retries for {@link DispatchChannel#activity()}. Default off, where
         *                     each counting site costs one null check.
         * @return this.
         */
        public Builder instrumented(final boolean instrumented)
        {
            this.instrumented = instrumented;
            return this;
        }

        /**
         * @return a new channel.
         * @throws IllegalArgumentException naming the first size that is out of range.
         */
        public DispatchChannel build()
        {
            return new DispatchChannel(new ChannelConfig(
                new ChannelGeometry(slabCapacity, slotSize, dispatchRingCapacity(), completionRingCapacity(),
                    latencyRingCapacity),
                completionTimeout, starvationThreshold, uuidIndex, instrumented));
        }

        private int dispatchRingCapacity()
        {
            return dispatchRingCapacity != 0 ? dispatchRingCapacity : Math.max(2, slabCapacity * 2);
        }

        private int completionRingCapacity()
        {
            if (completionRingCapacity != 0)
            {
                return completionRingCapacity;
            }
            final long perSlot = 64L * slabCapacity;
            return (int)Math.min(ChannelGeometry.COMPLETION_RING_CAPACITY_MAX, Math.max(64 * 1024, perSlot));
        }

        private static Duration requirePositive(final Duration duration, final String name)
        {
            if (duration.isNegative() || duration.isZero())
            {
                throw new IllegalArgumentException(name + " must be positive: " + duration);
            }
            return duration;
        }
    }
}
