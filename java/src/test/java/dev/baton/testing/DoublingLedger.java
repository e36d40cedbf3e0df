package dev.baton.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.baton.OutcomeHandler;
import dev.baton.DispatchChannel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host for the doubling handlers (C and Rust pools, handler processes): it dispatches the numbers
 * 0..events-1 as 8-byte payloads under event ids (0, number), drains until each is reported, and
 * keeps a ledger of how each was reported. Every completed answer must be twice its number.
 */
public final class DoublingLedger
{
    /** Ledger entry of an event reported completed once. */
    public static final int COMPLETED = 1;
    /** Ledger entry of an event reported timed out once. */
    public static final int TIMED_OUT = 256;

    private final int[] ledger;

    private DoublingLedger(final int events)
    {
        this.ledger = new int[events];
    }

    /**
     * @param channel the host's channel, with doubling handlers serving it.
     * @param events  how many numbers to dispatch.
     * @param midway  run once, when a third of the events are reported.
     * @return the ledger, every answer checked.
     */
    public static DoublingLedger serve(final DispatchChannel channel, final int events, final Runnable midway)
    {
        final DoublingLedger result = new DoublingLedger(events);
        final int[] ledger = result.ledger;
        final long[] wrongAnswers = {0};
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment payload = arena.allocate(Long.BYTES);
            final MemorySegment answer = arena.allocate(Long.BYTES);
            final OutcomeHandler onOutcome = completion -> {
                final int number = (int)completion.eventIdLo();
                if (completion.timedOut())
                {
                    ledger[number] += TIMED_OUT;
                    return;
                }
                completion.copyResultTo(answer, 0);
                if (completion.status() != 200 || answer.get(ValueLayout.JAVA_LONG, 0) != 2L * number)
                {
                    wrongAnswers[0]++;
                }
                ledger[number] += COMPLETED;
            };
            long reported = 0;
            int dispatched = 0;
            boolean midwayRun = false;
            long nextReap = 0;
            final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (reported < events && System.nanoTime() < giveUp)
            {
                while (dispatched < events)
                {
                    payload.set(ValueLayout.JAVA_LONG, 0, dispatched);
                    if (channel.dispatcher().dispatch(0, dispatched, 0, 0, 1, payload) < 0)
                    {
                        break;
                    }
                    dispatched++;
                }
                final int drained = channel.outcomeDrain().drain(onOutcome, 256);
                reported += drained;
                if (System.nanoTime() - nextReap > 0)
                {
                    channel.reclaimExpired();
                    channel.reap();
                    nextReap = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
                }
                if (!midwayRun && reported > events / 3)
                {
                    midwayRun = true;
                    midway.run();
                }
                if (drained == 0)
                {
                    channel.outcomeDrain().awaitOutcomes(Duration.ofMillis(1));
                }
            }
        }
        assertEquals(0, wrongAnswers[0], "answers belong to their events");
        return result;
    }

    /** Asserts that every event was reported exactly once, completed or timed out. */
    public void assertBalanced()
    {
        for (int number = 0; number < ledger.length; number++)
        {
            final int entry = ledger[number];
            assertTrue(entry == COMPLETED || entry == TIMED_OUT, "event " + number + " reported as " + entry);
        }
    }

    /**
     * @param outcome {@link #COMPLETED} or {@link #TIMED_OUT}.
     * @return the events reported so.
     */
    public long count(final int outcome)
    {
        return Arrays.stream(ledger).filter(entry -> entry == outcome).count();
    }
}
