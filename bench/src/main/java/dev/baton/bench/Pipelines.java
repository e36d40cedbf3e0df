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

import dev.baton.OutcomeHandler;
import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.EventHandler;
import dev.baton.NativeHandlerPool;
import dev.baton.Poller;
import dev.baton.internal.ffi.NativeLibrary;
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
 *   <li>{@code batonJavaHandlers}: the same channel served by a Java handler thread;</li>
 *   <li>{@code onHeapJctools}: the best on-heap Java pipeline, JCTools MpmcArrayQueue to the handler,
 *       ConcurrentHashMap of pending events, MpscArrayQueue back;</li>
 *   <li>{@code seedBlocking}: the engine's "before", blocking queues and an RwLock-ed HashMap;</li>
 *   <li>{@code batonOneThread} and {@code onHeapOneThread}: the Java-handler channel and the on-heap
 *       pipeline with no handler thread: the host's thread answers each event itself when it drains.
 *       They measure each design's work per event with no hand-off between threads.</li>
 *   <li>{@code batonOneThreadBatch}: {@code batonOneThread} in batches: the host dispatches 64
 *       events, then answers them in one poll of a batch and drains them in one drain (or fewer,
 *       when its caller waits for one). Java's dispatch and complete take one event a call.</li>
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
            case "batonJavaHandlers" -> new BatonPipeline(0, false);
            case "batonOneThread" -> new BatonPipeline(0, true);
            case "batonOneThreadBatch" -> new BatonPipeline(0, true, BATCH);
            case "onHeapJctools" -> new OnHeapPipeline(false);
            case "onHeapOneThread" -> new OnHeapPipeline(true);
            case "seedBlocking" -> new SeedPipeline();
            default -> throw new IllegalArgumentException(candidate);
        };
    }

    /** An on-heap event: what the Java pipelines allocate per dispatch. */
    static final class Message
    {
        final long id;
        long answer;

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
            if (nativeHandlers > 0)
            {
                pool = NativeHandlerPool.start(
                    NativeLibrary.beside("libbaton_c_handlers.so"), "baton_c_handlers", channel, nativeHandlers, 0);
            }
            else if (inline)
            {
                inlineHandler = new JavaHandler();
            }
            else
            {
                javaHandler = Thread.ofPlatform().daemon().start(() -> {
                    final JavaHandler handler = new JavaHandler();
                    final IdleStrategy idle = new BackoffIdleStrategy();
                    while (running.get())
                    {
                        idle.idle(handler.serve());
                    }
                });
            }
        }

        /** A Java handler's poller and buffers: it answers every event ready, up to 64. */
        private final class JavaHandler
        {
            private final Poller poller = channel.newPoller();
            private final MemorySegment in = Arena.ofAuto().allocate(Long.BYTES);
            private final MemorySegment out = Arena.ofAuto().allocate(Long.BYTES);
            private final EventHandler onEvent = event -> {
                event.copyPayloadTo(in, 0);
                out.set(ValueLayout.JAVA_LONG, 0, 2 * in.get(ValueLayout.JAVA_LONG, 0));
                while (poller.complete(event.handle(), 200, out) == ErrorCode.ENOBUFS)
                {
                    Thread.onSpinWait();
                }
            };

            int serve()
            {
                return poller.pollBatch(onEvent, 64);
            }
        }

        @Override
        public boolean dispatch(final long id)
        {
            payload.set(ValueLayout.JAVA_LONG, 0, id);
            final boolean dispatched = channel.dispatcher().dispatch(0, id, 0, 0, 1, payload) > 0;
            if (dispatched)
            {
                undrained++;
                dispatchedSinceDrain = true;
            }
            return dispatched;
        }

        @Override
        public int drain(final LongConsumer completed)
        {
            if (undrained < batch && dispatchedSinceDrain)
            {
                dispatchedSinceDrain = false;
                return 0; // a batch fills first
            }
            dispatchedSinceDrain = false;
            if (inlineHandler != null)
            {
                inlineHandler.serve();
            }
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
        private final MpmcArrayQueue<Message> toHandler = new MpmcArrayQueue<>(1024);
        private final MpscArrayQueue<Message> toHost = new MpscArrayQueue<>(1024);
        private final ConcurrentHashMap<Long, Message> pending = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final boolean inline;
        private final Thread handler;

        /** @param inline true to answer on the host's thread as it drains, false for a handler thread. */
        OnHeapPipeline(final boolean inline)
        {
            this.inline = inline;
            handler = inline ? null : Thread.ofPlatform().daemon().start(() -> {
                final IdleStrategy idle = new BackoffIdleStrategy();
                while (running.get())
                {
                    idle.idle(serveOne() ? 1 : 0);
                }
            });
        }

        /** The handler's step: answers one event if one is waiting. */
        private boolean serveOne()
        {
            final Message message = toHandler.poll();
            if (message == null)
            {
                return false;
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
                for (int served = 0; served < 64 && serveOne(); served++)
                {
                    // answers what is waiting, as the handler thread would
                }
            }
            int drained = 0;
            for (Message message = toHost.poll(); message != null; message = toHost.poll())
            {
                check(message.id, pending.remove(message.id).answer);
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
