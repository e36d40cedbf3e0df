package dev.baton.aeron;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReference;

import dev.baton.DispatchBatch;
import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The host's ledger: it dispatches numbered events into the host's channel, drains their outcomes
 * and counts how each ended. An event completed must carry its handler's answer. At the end every
 * event ended exactly once: completed or timed out.
 */
final class Ledger
{
    private final DispatchChannel host;
    private final int events;
    private final int[] completed;
    private final int[] timedOut;
    /** Whether odd-numbered events go as already redelivered once elsewhere (a batch entry carrying the count). */
    private final boolean oddOnesRedelivered;
    private final DispatchBatch carrying = new DispatchBatch(1);
    private final AtomicReference<String> wrongAnswer = new AtomicReference<>();
    private int dispatched;
    private int ended;

    Ledger(final DispatchChannel host, final int events)
    {
        this(host, events, false);
    }

    /**
     * @param oddOnesRedelivered whether odd-numbered events are dispatched as already redelivered once
     *                           elsewhere, as a bridge from another channel dispatches them.
     */
    Ledger(final DispatchChannel host, final int events, final boolean oddOnesRedelivered)
    {
        this.host = host;
        this.events = events;
        this.completed = new int[events];
        this.timedOut = new int[events];
        this.oddOnesRedelivered = oddOnesRedelivered;
    }

    /**
     * Runs {@code events} events through the bridge with nothing in the way, and checks that each
     * ended once, completed by the one outcome the bridge accepted for it, every send of one either
     * that or a redelivery.
     *
     * @return the bridge's metrics at the end.
     */
    static RemoteMetrics completeEveryEventThrough(final RemoteHandlers bridge, final DispatchChannel host, final int events)
    {
        final Ledger ledger = new Ledger(host, events);
        ledger.run(120_000, () -> { });
        ledger.assertBalanced();
        final RemoteMetrics metrics = bridge.metrics();
        assertEquals(events, ledger.completedCount(), metrics::toString);
        assertEquals(events, metrics.outcomesAccepted(), metrics::toString);
        assertEquals(events + metrics.redeliveries(), metrics.eventsSent(), metrics::toString);
        return metrics;
    }

    /**
     * Dispatches and drains until every event ended, calling {@code between} after each round.
     *
     * @param hangGuardMillis how long the run may take before the test reports a hang (not a timing assertion).
     */
    void run(final long hangGuardMillis, final Runnable between)
    {
        final long giveUp = System.nanoTime() + hangGuardMillis * 1_000_000L;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment payload = arena.allocate(Long.BYTES, 8);
            long lastReclaim = System.nanoTime();
            while (ended < events)
            {
                while (dispatched < events)
                {
                    payload.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, dispatched);
                    final long handle = dispatch(payload);
                    if (ErrorCode.isBackpressure(handle))
                    {
                        break;
                    }
                    assertTrue(handle > 0, () -> "dispatch failed: " + ErrorCode.describe((int)handle));
                    dispatched++;
                }
                ended += host.outcomeDrain().drain(this::record, 256);
                if (System.nanoTime() - lastReclaim > 50_000_000L)
                {
                    lastReclaim = System.nanoTime();
                    host.reclaimExpired();
                }
                between.run();
                if (System.nanoTime() - giveUp > 0)
                {
                    fail("hung: " + ended + " of " + events + " events ended, " + dispatched + " dispatched");
                }
                Thread.onSpinWait();
            }
        }
    }

    private long dispatch(final MemorySegment payload)
    {
        if (!oddOnesRedelivered || (dispatched & 1) == 0)
        {
            return host.dispatcher().dispatch(1, dispatched, 0, 0, 1, payload);
        }
        carrying.clear();
        carrying.add(1, dispatched, 0, 0, 1, payload, 0, 0, 0, 0, 1);
        host.dispatcher().dispatch(carrying);
        return carrying.handle(0);
    }

    private void record(final Outcome outcome)
    {
        final int number = (int)outcome.eventIdLo();
        if (outcome.timedOut())
        {
            timedOut[number]++;
            return;
        }
        completed[number]++;
        final long answer = outcome.result().get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        if (outcome.status() != EchoHandler.ANSWERED || answer != EchoHandler.answerTo(number))
        {
            wrongAnswer.compareAndSet(null, "event " + number + ": status " + outcome.status() + ", answer " + answer);
        }
    }

    /** Asserts that every event ended exactly once, and each completed one with its own answer. */
    void assertBalanced()
    {
        assertEquals(null, wrongAnswer.get());
        for (int number = 0; number < events; number++)
        {
            final int endings = completed[number] + timedOut[number];
            if (endings != 1)
            {
                fail("event " + number + " ended " + endings + " times (" + completed[number] + " completed, " +
                    timedOut[number] + " timed out)");
            }
        }
        assertEquals(0, host.metrics().pendingCount(), "events still pending in the host's channel");
    }

    int completedCount()
    {
        int count = 0;
        for (final int c : completed)
        {
            count += c;
        }
        return count;
    }
}
