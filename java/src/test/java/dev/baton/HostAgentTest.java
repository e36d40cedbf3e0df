package dev.baton;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host's duty cycle as an Agrona agent on its own runner, handlers in the loop Poller documents
 * (drain, then wait on the channel), and no hand-written host loop: every event is completed or
 * timed out exactly once, and closing the channel ends the agent and the handlers without an
 * exception.
 */
class HostAgentTest
{
    private static final int EVENTS = 20_000;
    private static final int HANDLERS = 2;
    private static final int COMPLETED = 1;
    private static final int TIMED_OUT = 1 << 8;

    @Test
    void theAgentDrainsAndReclaimsUntilTheChannelClosesAndTheLedgerBalances() throws InterruptedException
    {
        final AtomicIntegerArray ledger = new AtomicIntegerArray(EVENTS);
        final AtomicLong reported = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final DispatchChannel channel = DispatchChannel.builder()
            .slabCapacity(64)
            .completionTimeout(Duration.ofMillis(20))
            .build();
        final OutcomeHandler onOutcome = completion ->
        {
            ledger.addAndGet((int)completion.eventIdLo(), completion.timedOut() ? TIMED_OUT : COMPLETED);
            reported.incrementAndGet();
        };
        final IdleStrategy idle = channel.outcomeDrain().idleStrategy(Duration.ofMillis(5));
        final AgentRunner host = new AgentRunner(
            idle, failure::set, null, channel.outcomeDrain().agent(onOutcome, 256, Duration.ofMillis(2)));
        AgentRunner.startOnThread(host);

        final List<Thread> handlers = new ArrayList<>();
        final AtomicLong handlerExits = new AtomicLong();
        for (int h = 0; h < HANDLERS; h++)
        {
            final Poller poller = channel.newPoller();
            final int silentEvery = 97 + h; // some events are never completed: they time out
            handlers.add(Thread.ofPlatform().start(() ->
            {
                final MemorySegment result = MemorySegment.ofArray(new long[1]);
                final EventHandler handler = event ->
                {
                    if (event.eventIdLo() % silentEvery != 0)
                    {
                        result.set(ValueLayout.JAVA_LONG, 0, event.eventIdLo());
                        int status;
                        while ((status = poller.complete(event.handle(), 0, result)) == ErrorCode.ENOBUFS)
                        {
                            Thread.onSpinWait();
                        }
                        // A handler that lost its core past the 20 ms timeout finds its event timed out
                        // (ETIMEDOUT), or already drained and its slot reused (ESTALE): both late, both refused
                        if (status != ErrorCode.OK && status != ErrorCode.ETIMEDOUT && status != ErrorCode.ESTALE &&
                            status != ErrorCode.ESHUTDOWN)
                        {
                            failure.compareAndSet(null, new AssertionError(ErrorCode.describe(status)));
                        }
                    }
                };
                while (poller.pollBatch(handler, 16) != ErrorCode.ESHUTDOWN)
                {
                    poller.awaitEvents(Duration.ofMillis(100));
                }
                handlerExits.incrementAndGet();
            }));
        }

        for (int event = 0; event < EVENTS; event++)
        {
            long handle;
            while (ErrorCode.isBackpressure(handle = channel.dispatcher().dispatch(0, event, 0, 0, 1, MemorySegment.NULL)))
            {
                Thread.onSpinWait();
            }
            final long dispatched = handle;
            assertTrue(dispatched > 0, () -> ErrorCode.describe(dispatched));
        }
        while (reported.get() < EVENTS && failure.get() == null)
        {
            Thread.sleep(1);
        }
        channel.close();
        for (final Thread handler : handlers)
        {
            handler.join();
        }
        host.close(); // waits for the agent's thread, which ended on the closed channel

        assertNull(failure.get());
        assertEquals(HANDLERS, handlerExits.get(), "every handler loop ended on ESHUTDOWN");
        int completed = 0;
        int timedOut = 0;
        for (int event = 0; event < EVENTS; event++)
        {
            final int entry = ledger.get(event);
            assertTrue(entry == COMPLETED || entry == TIMED_OUT, "event " + event + ": " + entry);
            completed += entry == COMPLETED ? 1 : 0;
            timedOut += entry == TIMED_OUT ? 1 : 0;
        }
        assertEquals(EVENTS, completed + timedOut);
        assertTrue(timedOut > 0, "the silent events timed out through the agent's reclaim");
    }

    @Test
    void anAgentNeedsAPositiveLimitAndInterval()
    {
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(4).build())
        {
            assertThrows(IllegalArgumentException.class, () -> channel.outcomeDrain().agent(c -> { }, 0, Duration.ofMillis(1)));
            assertThrows(IllegalArgumentException.class, () -> channel.outcomeDrain().agent(c -> { }, 1, Duration.ZERO));
        }
    }

    @Test
    void aPollerWaitsForTheNextDispatchAndSeesTheClose() throws InterruptedException
    {
        final DispatchChannel channel = DispatchChannel.builder().slabCapacity(4).build();
        final Poller poller = channel.newPoller();
        assertEquals(0, poller.awaitEvents(Duration.ofMillis(1)), "nothing dispatched");
        final AtomicReference<Integer> woken = new AtomicReference<>();
        final Thread waiter = Thread.ofPlatform().start(() -> woken.set(poller.awaitEvents(Duration.ofSeconds(60))));
        channel.dispatcher().dispatch(0, 1, 0, 0, 1, MemorySegment.NULL);
        waiter.join();
        assertEquals(1, woken.get());
        assertEquals(1, poller.pollBatch(event -> { }, 16));
        final Thread closed = Thread.ofPlatform().start(() -> woken.set(poller.awaitEvents(Duration.ofSeconds(60))));
        channel.close(); // the waiter, asleep or about to wait, sees the close
        closed.join();
        assertEquals(ErrorCode.ESHUTDOWN, woken.get());
    }
}
