package dev.baton.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;

import dev.baton.CompletionBatch;
import dev.baton.DispatchBatch;
import dev.baton.OutcomeHandler;
import dev.baton.SlotView;
import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.EventHandler;
import dev.baton.NativeHandlerPool;
import dev.baton.Poller;
import dev.baton.internal.ffi.NativeLibrary;
import org.HdrHistogram.SingleWriterRecorder;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscArrayQueue;

/**
 * The end-to-end candidates, shared by {@link EndToEndBenchmark} and {@link LatencyUnderLoad}: the
 * host dispatches an event (a number), one handler thread answers it with twice the number, the host
 * drains the completion, checks it and forgets the pending event.
 * <ul>
 *   <li>{@code batonCHandlers}: a Baton channel served by a C handler thread;</li>
 *   <li>{@code batonCHandlers2}: the same with two C handler threads, to see whether a second handler
 *       adds throughput;</li>
 *   <li>{@code batonCHandlersBatch}: {@code batonCHandlers} with the host on the batch paths too: it
 *       dispatches 16 events in one {@code DispatchBatch}, so four batches fill the window (the C
 *       handler polls and completes in batches in every C candidate);</li>
 *   <li>{@code batonJavaHandlers}: the same channel served by a Java handler thread;</li>
 *   <li>{@code onHeapJctools}: the best on-heap Java pipeline, JCTools MpmcArrayQueue to the handler,
 *       ConcurrentHashMap of pending events, MpscArrayQueue back;</li>
 *   <li>{@code seedBlocking}: the engine's "before", blocking queues and an RwLock-ed HashMap;</li>
 *   <li>{@code batonOneThread} and {@code onHeapOneThread}: the Java-handler channel and the on-heap
 *       pipeline with no handler thread: the host's thread answers each event itself when it drains.
 *       They measure each design's work per event with no hand-off between threads.</li>
 *   <li>{@code batonOneThreadBatch}: {@code batonOneThread} through the batch APIs: the host
 *       dispatches 64 events in one {@code DispatchBatch}, answers them in one poll of a batch and
 *       one {@code CompletionBatch}, and drains them in one drain (or fewer, when its caller waits
 *       for one).</li>
 *   <li>{@code onHeapSameWork}: {@code onHeapOneThread} doing the work Baton does besides the
 *       hand-off: it stamps each event with its dispatch time and deadline, checks the deadline when
 *       the handler takes it, and records its latency in a histogram as the host drains it. It shows
 *       what those features cost; the targets stay against the plain pipeline.</li>
 * </ul>
 */
final class Pipelines
{
    /** Ignores which events completed. */
    static final LongConsumer IGNORE = id -> { };

    private Pipelines()
    {
    }

    /**
     * @param candidate one of the names above.
     * @return its pipeline, its handler thread started.
     */
    static Pipeline of(final String candidate)
    {
        return switch (candidate)
        {
            case "batonCHandlers" -> new BatonPipeline(1, false);
            case "batonCHandlers2" -> new BatonPipeline(2, false);
            case "batonCHandlersBatch" -> new BatonPipeline(1, false, HANDLER_BATCH);
            case "batonJavaHandlers" -> new BatonPipeline(0, false);
            case "batonOneThread" -> new BatonPipeline(0, true);
            case "batonOneThreadBatch" -> new BatonPipeline(0, true, BATCH);
            case "onHeapJctools" -> new OnHeapPipeline(false);
            case "onHeapOneThread" -> new OnHeapPipeline(true);
            case "onHeapSameWork" -> new OnHeapPipeline(true, true);
            case "seedBlocking" -> new SeedPipeline();
            default -> throw new IllegalArgumentException(candidate);
        };
    }

    /** An on-heap event: what the Java pipelines allocate per dispatch. */
    static final class Message
    {
        final long id;
        long answer;
        long dispatchedAtNanos;
        long deadlineNanos;

        Message(final long id)
        {
            this.id = id;
        }
    }

    /** One candidate: dispatch, and drain whatever came back. */
    interface Pipeline extends AutoCloseable
    {
        boolean dispatch(long id);

        /** @return completions drained (each checked). */
        default int drain()
        {
            return drain(IGNORE);
        }

        /**
         * @param completed told each drained event's id.
         * @return completions drained (each checked).
         */
        int drain(LongConsumer completed);

        @Override
        void close();
    }

    /** The most completions one drain takes. */
    private static final int DRAIN_LIMIT = 64;
    /** The events a batch candidate dispatches before it answers and drains them. */
    private static final int BATCH = 64;
    /** The host's batch with a handler thread: a quarter of the benchmark's window of 64 in flight. */
    private static final int HANDLER_BATCH = 16;

    private static void check(final long id, final long answer)
    {
        if (answer != 2 * id)
        {
            throw new IllegalStateException("wrong answer for " + id + ": " + answer);
        }
    }

    /** A Baton channel served by C handler threads, by one Java handler thread, or on the host's thread. */
    static final class BatonPipeline implements Pipeline
    {
        private final DispatchChannel channel = DispatchChannel.builder().slabCapacity(1024).build();
        private final MemorySegment payload = Arena.ofAuto().allocate(Long.BYTES);
        private final MemorySegment answer = Arena.ofAuto().allocate(Long.BYTES);
        private LongConsumer completed = IGNORE;
        private final OutcomeHandler onOutcome = completion -> {
            completion.copyResultTo(answer, 0);
            check(completion.eventIdLo(), answer.get(ValueLayout.JAVA_LONG, 0));
            completed.accept(completion.eventIdLo());
        };
        private NativeHandlerPool pool;
        private Thread javaHandler;
        private JavaHandler inlineHandler;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final int batch;
        private int undrained;
        private boolean dispatchedSinceDrain;
        // Batch mode: the events gathered for one dispatch, each with a payload of its own.
        private final DispatchBatch dispatches;
        private final MemorySegment[] batchPayloads;
        private int flushed;

        /**
         * @param nativeHandlers C handler threads; 0 for Java instead.
         * @param inline         with no C handlers: true to answer on the host's thread as it drains,
         *                       false for one Java handler thread.
         */
        BatonPipeline(final int nativeHandlers, final boolean inline)
        {
            this(nativeHandlers, inline, 1);
        }

        /**
         * @param batch with an inline handler: the events dispatched before a drain answers and
         *              drains them, unless its caller drains twice with no dispatch between (it waits).
         */
        BatonPipeline(final int nativeHandlers, final boolean inline, final int batch)
        {
            this.batch = batch;
            dispatches = batch > 1 ? new DispatchBatch(batch) : null;
            batchPayloads = new MemorySegment[batch];
            final MemorySegment payloads = Arena.ofAuto().allocate((long)Long.BYTES * batch, Long.BYTES);
            for (int i = 0; i < batch; i++)
            {
                batchPayloads[i] = payloads.asSlice((long)Long.BYTES * i, Long.BYTES);
            }
            if (nativeHandlers > 0)
            {
                pool = NativeHandlerPool.start(
                    NativeLibrary.beside("libbaton_c_handlers.so"), "baton_c_handlers", channel, nativeHandlers, 0);
            }
            else if (inline)
            {
                inlineHandler = new JavaHandler(batch > 1);
            }
            else
            {
                javaHandler = Thread.ofPlatform().daemon().start(() -> {
                    final JavaHandler handler = new JavaHandler(false);
                    final IdleStrategy idle = new BackoffIdleStrategy();
                    while (running.get())
                    {
                        idle.idle(handler.serve());
                    }
                });
            }
        }

        /**
         * A Java handler's poller and buffers: it answers every event ready, up to 64, one completion
         * a call, or in one batch of completions.
         */
        private final class JavaHandler
        {
            private final Poller poller = channel.newPoller();
            private final MemorySegment in = Arena.ofAuto().allocate(Long.BYTES);
            private final MemorySegment answers = Arena.ofAuto().allocate(Long.BYTES * 64L, Long.BYTES);
            private final MemorySegment[] out = new MemorySegment[64];
            private final CompletionBatch completions;
            private final EventHandler onEvent;

            JavaHandler(final boolean batched)
            {
                for (int i = 0; i < out.length; i++)
                {
                    out[i] = answers.asSlice(Long.BYTES * (long)i, Long.BYTES);
                }
                completions = batched ? new CompletionBatch(64) : null;
                onEvent = batched ? event -> {
                    final MemorySegment answer = out[completions.size()];
                    answer.set(ValueLayout.JAVA_LONG, 0, 2 * readNumber(event));
                    completions.add(event.handle(), 200, answer);
                } : event -> {
                    out[0].set(ValueLayout.JAVA_LONG, 0, 2 * readNumber(event));
                    while (poller.complete(event.handle(), 200, out[0]) == ErrorCode.ENOBUFS)
                    {
                        Thread.onSpinWait();
                    }
                };
            }

            private long readNumber(final SlotView event)
            {
                event.copyPayloadTo(in, 0);
                return in.get(ValueLayout.JAVA_LONG, 0);
            }

            int serve()
            {
                final int served = poller.pollBatch(onEvent, 64);
                if (completions != null)
                {
                    for (int settled = 0; settled < completions.size(); )
                    {
                        settled += Math.max(0, poller.completeBatch(completions, settled));
                    }
                    completions.clear();
                }
                return served;
            }
        }

        @Override
        public boolean dispatch(final long id)
        {
            if (dispatches != null)
            {
                return addToBatch(id);
            }
            payload.set(ValueLayout.JAVA_LONG, 0, id);
            final boolean dispatched = channel.dispatcher().dispatch(0, id, 0, 0, 1, payload) > 0;
            if (dispatched)
            {
                undrained++;
                dispatchedSinceDrain = true;
            }
            return dispatched;
        }

        /** Adds an event to the dispatch batch, dispatched once it holds {@link #batch} events. */
        private boolean addToBatch(final long id)
        {
            if (dispatches.size() == batch && !flush())
            {
                return false;
            }
            final MemorySegment room = batchPayloads[dispatches.size()];
            room.set(ValueLayout.JAVA_LONG, 0, id);
            dispatches.add(0, id, 0, 0, 1, room);
            undrained++;
            dispatchedSinceDrain = true;
            if (dispatches.size() == batch)
            {
                flush();
            }
            return true;
        }

        /** @return whether the batch was dispatched whole (then it is empty again). */
        private boolean flush()
        {
            flushed += channel.dispatcher().dispatch(dispatches, flushed);
            if (flushed < dispatches.size())
            {
                return false;
            }
            dispatches.clear();
            flushed = 0;
            return true;
        }

        @Override
        public int drain(final LongConsumer completed)
        {
            if (dispatches != null && inlineHandler == null)
            {
                // A handler thread: batches go out full as they fill, and a partial one once its
                // caller waits (it drains twice with no dispatch between, finding nothing back), so
                // the window never waits on a batch that cannot fill.
                final int drained = drainOutcomes(completed);
                if (drained == 0 && !dispatchedSinceDrain)
                {
                    flush();
                }
                dispatchedSinceDrain = false;
                return drained;
            }
            if (undrained < batch && dispatchedSinceDrain)
            {
                dispatchedSinceDrain = false;
                return 0; // a batch fills first
            }
            dispatchedSinceDrain = false;
            if (dispatches != null)
            {
                flush();
            }
            if (inlineHandler != null)
            {
                inlineHandler.serve();
            }
            return drainOutcomes(completed);
        }

        private int drainOutcomes(final LongConsumer completed)
        {
            this.completed = completed;
            final int drained = channel.outcomeDrain().drain(onOutcome, DRAIN_LIMIT);
            undrained -= Math.max(0, drained);
            return drained;
        }

        @Override
        public void close()
        {
            running.set(false);
            if (pool != null)
            {
                pool.stop();
            }
            if (javaHandler != null)
            {
                try
                {
                    javaHandler.join();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
            channel.close();
        }
    }

    /** The best on-heap pipeline: JCTools queues both ways and a ConcurrentHashMap of pending events. */
    static final class OnHeapPipeline implements Pipeline
    {
        /** The deadline {@code onHeapSameWork} stamps: Baton's default completion timeout. */
        private static final long TIMEOUT_NANOS = 30_000_000_000L;

        private final MpmcArrayQueue<Message> toHandler = new MpmcArrayQueue<>(1024);
        private final MpscArrayQueue<Message> toHost = new MpscArrayQueue<>(1024);
        private final ConcurrentHashMap<Long, Message> pending = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final boolean inline;
        private final boolean sameWork;
        private final SingleWriterRecorder latencies = new SingleWriterRecorder(3);
        private final Thread handler;
        private long expired;

        /** @param inline true to answer on the host's thread as it drains, false for a handler thread. */
        OnHeapPipeline(final boolean inline)
        {
            this(inline, false);
        }

        /**
         * @param inline   as above.
         * @param sameWork true to stamp, check deadlines and record latencies as Baton does.
         */
        OnHeapPipeline(final boolean inline, final boolean sameWork)
        {
            this.inline = inline;
            this.sameWork = sameWork;
            handler = inline ? null : Thread.ofPlatform().daemon().start(() -> {
                final IdleStrategy idle = new BackoffIdleStrategy();
                while (running.get())
                {
                    idle.idle(serveOne(0) ? 1 : 0);
                }
            });
        }

        /**
         * The handler's step: answers one event if one is waiting.
         *
         * @param nowNanos with the same work, the time its deadline is checked against (read once
         *                 per batch of answers, as Baton's poll of a batch does).
         */
        private boolean serveOne(final long nowNanos)
        {
            final Message message = toHandler.poll();
            if (message == null)
            {
                return false;
            }
            if (sameWork && nowNanos - message.deadlineNanos > 0)
            {
                expired++; // never, at a 30 s deadline; the check is the work
            }
            message.answer = 2 * message.id;
            while (!toHost.offer(message))
            {
                Thread.onSpinWait();
            }
            return true;
        }

        @Override
        public boolean dispatch(final long id)
        {
            final Message message = new Message(id);
            if (sameWork)
            {
                message.dispatchedAtNanos = System.nanoTime();
                message.deadlineNanos = message.dispatchedAtNanos + TIMEOUT_NANOS;
            }
            pending.put(id, message);
            if (!toHandler.offer(message))
            {
                pending.remove(id);
                return false;
            }
            return true;
        }

        @Override
        public int drain(final LongConsumer completed)
        {
            if (inline)
            {
                final long now = sameWork ? System.nanoTime() : 0;
                for (int served = 0; served < 64 && serveOne(now); served++)
                {
                    // answers what is waiting, as the handler thread would
                }
            }
            final long now = sameWork ? System.nanoTime() : 0;
            int drained = 0;
            for (Message message = toHost.poll(); message != null; message = toHost.poll())
            {
                check(message.id, pending.remove(message.id).answer);
                if (sameWork)
                {
                    latencies.recordValue(Math.max(0, now - message.dispatchedAtNanos));
                }
                completed.accept(message.id);
                drained++;
            }
            return drained;
        }

        @Override
        public void close()
        {
            running.set(false);
            if (handler == null)
            {
                return;
            }
            try
            {
                handler.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The engine's "before": blocking queues both ways and an RwLock-ed HashMap of pending events. */
    static final class SeedPipeline implements Pipeline
    {
        private final LinkedBlockingQueue<Message> toHandler = new LinkedBlockingQueue<>(1024);
        private final LinkedBlockingQueue<Message> toHost = new LinkedBlockingQueue<>();
        private final Map<Long, Message> pending = new HashMap<>();
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private final Thread handler = Thread.ofPlatform().daemon().start(() -> {
            try
            {
                while (true)
                {
                    final Message message = toHandler.take();
                    message.answer = 2 * message.id;
                    toHost.put(message);
                }
            }
            catch (final InterruptedException stop)
            {
                Thread.currentThread().interrupt();
            }
        });

        @Override
        public boolean dispatch(final long id)
        {
            final Message message = new Message(id);
            lock.writeLock().lock();
            try
            {
                pending.put(id, message);
            }
            finally
            {
                lock.writeLock().unlock();
            }
            return toHandler.offer(message);
        }

        @Override
        public int drain(final LongConsumer completed)
        {
            int drained = 0;
            for (Message message = toHost.poll(); message != null; message = toHost.poll())
            {
                final Message known;
                lock.writeLock().lock();
                try
                {
                    known = pending.remove(message.id);
                }
                finally
                {
                    lock.writeLock().unlock();
                }
                check(message.id, known.answer);
                completed.accept(message.id);
                drained++;
            }
            return drained;
        }

        @Override
        public void close()
        {
            handler.interrupt();
        }
    }
}
