package dev.baton.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.baton.CompletionHandler;
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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Control;

/**
 * End to end: the host dispatches an event, one handler thread answers it (twice its number), the
 * host drains the completion and forgets the pending event. {@code throughput} keeps up to
 * {@value #WINDOW} events in flight and reports time per event; {@code singleRoundTrip} sends one
 * event at a time and samples each round trip's latency.
 * <ul>
 *   <li>{@code batonCHandlers}: a Baton channel served by a C handler thread;</li>
 *   <li>{@code batonJavaHandlers}: the same channel served by a Java handler thread;</li>
 *   <li>{@code onHeapJctools}: the best on-heap Java pipeline, JCTools MpmcArrayQueue to the handler,
 *       ConcurrentHashMap of pending events, MpscArrayQueue back;</li>
 *   <li>{@code seedBlocking}: the engine's "before", blocking queues and an RwLock-ed HashMap.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EndToEndBenchmark
{
    private static final int WINDOW = 64;

    @Param({"batonCHandlers", "batonJavaHandlers", "onHeapJctools", "seedBlocking"})
    public String candidate;

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

    private Pipeline pipeline;
    private long nextId;
    private long inFlight;

    /** One candidate: dispatch, and drain whatever came back. */
    interface Pipeline extends AutoCloseable
    {
        boolean dispatch(long id);

        /** @return completions drained (each checked). */
        int drain();

        @Override
        void close();
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        pipeline = switch (candidate)
        {
            case "batonCHandlers" -> new BatonPipeline(true);
            case "batonJavaHandlers" -> new BatonPipeline(false);
            case "onHeapJctools" -> new OnHeapPipeline();
            case "seedBlocking" -> new SeedPipeline();
            default -> throw new IllegalArgumentException(candidate);
        };
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        pipeline.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public long throughput(final Control control)
    {
        while (!pipeline.dispatch(nextId))
        {
            inFlight -= pipeline.drain();
            if (control.stopMeasurement)
            {
                return inFlight;
            }
        }
        nextId++;
        inFlight++;
        inFlight -= pipeline.drain();
        while (inFlight >= WINDOW && !control.stopMeasurement)
        {
            inFlight -= pipeline.drain();
        }
        return inFlight;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public long singleRoundTrip(final Control control)
    {
        while (inFlight > 0 && !control.stopMeasurement)
        {
            inFlight -= pipeline.drain(); // left over from the other mode or a stopped round trip
        }
        if (!pipeline.dispatch(nextId++))
        {
            return -1;
        }
        inFlight++;
        while (inFlight > 0 && !control.stopMeasurement)
        {
            inFlight -= pipeline.drain();
        }
        return inFlight;
    }

    private static void check(final long id, final long answer)
    {
        if (answer != 2 * id)
        {
            throw new IllegalStateException("wrong answer for " + id + ": " + answer);
        }
    }

    /** A Baton channel with a C or Java handler thread. */
    static final class BatonPipeline implements Pipeline
    {
        private final DispatchChannel channel = DispatchChannel.builder().slabCapacity(1024).build();
        private final MemorySegment payload = Arena.ofAuto().allocate(Long.BYTES);
        private final MemorySegment answer = Arena.ofAuto().allocate(Long.BYTES);
        private final CompletionHandler onCompletion = completion -> {
            completion.copyResultTo(answer, 0);
            check(completion.eventIdLo(), answer.get(ValueLayout.JAVA_LONG, 0));
        };
        private NativeHandlerPool pool;
        private Thread javaHandler;
        private final AtomicBoolean running = new AtomicBoolean(true);

        BatonPipeline(final boolean nativeHandlers)
        {
            if (nativeHandlers)
            {
                pool = NativeHandlerPool.start(
                    NativeLibrary.beside("libbaton_c_handlers.so"), "baton_c_handlers", channel, 1, 0);
            }
            else
            {
                javaHandler = Thread.ofPlatform().daemon().start(this::serve);
            }
        }

        private void serve()
        {
            final Poller poller = channel.newPoller();
            final IdleStrategy idle = new BackoffIdleStrategy();
            final MemorySegment in = Arena.ofAuto().allocate(Long.BYTES);
            final MemorySegment out = Arena.ofAuto().allocate(Long.BYTES);
            final EventHandler onEvent = event -> {
                event.copyPayloadTo(in, 0);
                out.set(ValueLayout.JAVA_LONG, 0, 2 * in.get(ValueLayout.JAVA_LONG, 0));
                while (channel.complete(event.handle(), 200, out) == ErrorCode.ENOBUFS)
                {
                    Thread.onSpinWait();
                }
            };
            while (running.get())
            {
                idle.idle(poller.drain(onEvent, 64));
            }
        }

        @Override
        public boolean dispatch(final long id)
        {
            payload.set(ValueLayout.JAVA_LONG, 0, id);
            return channel.tryDispatch(0, id, 0, 0, 1, payload) > 0;
        }

        @Override
        public int drain()
        {
            return channel.drainCompletions(onCompletion, WINDOW);
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
        private final Thread handler = Thread.ofPlatform().daemon().start(() -> {
            final IdleStrategy idle = new BackoffIdleStrategy();
            while (running.get())
            {
                final Message message = toHandler.poll();
                if (message == null)
                {
                    idle.idle();
                    continue;
                }
                idle.reset();
                message.answer = 2 * message.id;
                while (!toHost.offer(message))
                {
                    Thread.onSpinWait();
                }
            }
        });

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
        public int drain()
        {
            int drained = 0;
            for (Message message = toHost.poll(); message != null; message = toHost.poll())
            {
                check(message.id, pending.remove(message.id).answer);
                drained++;
            }
            return drained;
        }

        @Override
        public void close()
        {
            running.set(false);
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
        public int drain()
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
