package dev.baton.aeron;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.PolledEvent;
import dev.baton.Poller;

/**
 * A handler thread on a node's local channel: each event's payload is a number, and its result is
 * twice that number, as the C handler process answers. It can be paused (events then wait in the local channel) and stopped.
 */
final class EchoHandler implements AutoCloseable
{
    /** The status of every answer: the C handler process's (tests/c/handler_process.c) too. */
    static final int ANSWERED = 200;

    private final DispatchChannel local;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong answeredRedelivered = new AtomicLong();
    private final Thread thread;

    EchoHandler(final DispatchChannel local, final String name)
    {
        this.local = local;
        this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /** @return the answer the handler gives for a number. */
    static long answerTo(final long number)
    {
        return number * 2;
    }

    private void run()
    {
        final Poller poller = local.newPoller();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment result = arena.allocate(Long.BYTES, 8);
            while (running.get())
            {
                if (paused.get())
                {
                    Thread.onSpinWait();
                    continue;
                }
                final PolledEvent event = poller.poll();
                if (event == null)
                {
                    if (local.isClosed() || poller.awaitEvents(Duration.ofMillis(10)) == ErrorCode.ESHUTDOWN)
                    {
                        return;
                    }
                    continue;
                }
                final long number = event.payload().get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                result.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, answerTo(number));
                final boolean redelivered = event.redeliveries() > 0; // read before the slot is given back
                if (poller.complete(event.handle(), ANSWERED, result) == ErrorCode.OK)
                {
                    answered.incrementAndGet();
                    if (redelivered)
                    {
                        answeredRedelivered.incrementAndGet();
                    }
                }
            }
        }
    }

    void pause()
    {
        paused.set(true);
    }

    void resume()
    {
        paused.set(false);
    }

    long answered()
    {
        return answered.get();
    }

    /** @return the events answered that came with a redelivery count: sent again after a node was lost. */
    long answeredRedelivered()
    {
        return answeredRedelivered.get();
    }

    @Override
    public void close()
    {
        running.set(false);
        try
        {
            thread.join(Duration.ofSeconds(10));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
