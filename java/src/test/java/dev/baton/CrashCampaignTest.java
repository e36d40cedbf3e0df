package dev.baton;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.baton.internal.layout.AttachmentTableDescriptor;
import dev.baton.internal.layout.CompletionRingDescriptor;
import dev.baton.internal.layout.DispatchRingDescriptor;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.testing.DoublingLedger;
import dev.baton.testing.HandlerProcesses;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A randomized crash campaign. In each trial a Java host serves C handler processes, and handler
 * processes die: SIGKILLed at a random moment, or by the fault hook at a random dangerous instant
 * (its n-th arrival there, n random). A new process replaces each dead one. The completion timeout
 * is an hour, so whatever a dead process left is settled by the reaper or not at all: each trial's
 * ledger must balance (every event completed or timed out exactly once, every answer right), and
 * the close must return while dead processes stay attached.
 *
 * <p>{@code make test} runs a few trials; {@code make crash} runs hundreds and writes
 * docs/reports/crash-campaign.md. A failure names the seed and trial; {@code -Dbaton.crash.seed} replays the
 * same sequence of random choices (the moments processes die at still vary with the machine).
 */
class CrashCampaignTest
{
    private static final String[] FAULT_POINTS = {"poll-taken", "holding", "complete-claimed", "complete-moved", "asleep", "yielding",
        "cell-taken", "cell-claimed", "yielded"};
    private static final String SIGNAL = "SIGKILL at a random moment";

    /** What the trials saw, for the report. */
    private static final class Tally
    {
        final Map<String, Integer> deaths = new TreeMap<>();
        long events;
        long completed;
        long timedOut;
        long maxCloseNanos;
        long maxTrialNanos;
        int trials;

        synchronized void died(final String cause)
        {
            deaths.merge(cause, 1, Integer::sum);
        }
    }

    @Test
    void handlerProcessesDyingAtRandomNeverUnbalanceTheLedger() throws Exception
    {
        final int trials = Integer.getInteger("baton.crash.trials", 20);
        final int events = Integer.getInteger("baton.crash.events", 5_000);
        final long seed = Long.getLong("baton.crash.seed", System.nanoTime());
        final Random random = new Random(seed);
        final Tally tally = new Tally();
        final long start = System.nanoTime();
        for (int trial = 0; trial < trials; trial++)
        {
            trial(random, events, tally, "seed " + seed + ", trial " + trial);
            System.out.println("progress " + (trial + 1) + " " + trials); // for build/with-progress (make crash)
        }
        final String report = System.getProperty("baton.crash.report");
        if (report != null)
        {
            Files.writeString(Path.of(report), report(tally, seed, events, System.nanoTime() - start));
        }
    }

    private static void trial(final Random random, final int events, final Tally tally, final String name)
        throws Exception
    {
        final int redeliveryLimit = random.nextInt(3);
        final Path path = HandlerProcesses.channelFile("crash");
        final DispatchChannel channel = DispatchChannel.builder()
            .slabCapacity(64 << random.nextInt(3))
            .completionTimeout(Duration.ofHours(1))
            .redeliveryLimit(redeliveryLimit)
            .file(path)
            .build();
        final List<Process> processes = new ArrayList<>();
        final int[] deathsLeft = {1 + random.nextInt(4)};
        final boolean[] closing = {false};
        final ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
        final long trialStart = System.nanoTime();
        try
        {
            synchronized (processes)
            {
                for (int i = 0; i < 2; i++)
                {
                    startNext(path, random, processes, deathsLeft, closing, killer, tally);
                }
            }
            final DoublingLedger ledger = DoublingLedger.serve(channel, events, () -> { });
            synchronized (processes)
            {
                closing[0] = true;
            }
            if (ledger.count(DoublingLedger.COMPLETED) + ledger.count(DoublingLedger.TIMED_OUT) != events)
            {
                throw new AssertionError("unsettled events; " + channel.metrics() + "; dispatch ring " +
                    stateOf(channel.memory()) + "; deaths so far " + tally.deaths);
            }
            final long closeStart = System.nanoTime();
            channel.close();
            final long closeNanos = System.nanoTime() - closeStart;
            for (final Process process : snapshot(processes))
            {
                assertTrue(process.waitFor(60, TimeUnit.SECONDS), name + ": a handler process ended after the close");
                assertTrue(process.exitValue() == 0 || process.exitValue() == 128 + 9,
                    name + ": a handler process ended by the close, or by SIGKILL; not " + process.exitValue());
            }
            synchronized (tally)
            {
                tally.trials++;
                tally.events += events;
                tally.completed += ledger.count(DoublingLedger.COMPLETED);
                tally.timedOut += ledger.count(DoublingLedger.TIMED_OUT);
                tally.maxCloseNanos = Math.max(tally.maxCloseNanos, closeNanos);
                tally.maxTrialNanos = Math.max(tally.maxTrialNanos, System.nanoTime() - trialStart);
            }
        }
        catch (final AssertionError failure)
        {
            throw new AssertionError(name + " (redelivery limit " + redeliveryLimit + "): " + failure.getMessage(),
                failure);
        }
        finally
        {
            killer.shutdownNow();
            channel.close();
            snapshot(processes).forEach(Process::destroyForcibly);
        }
    }

    /**
     * Starts the next handler process: while deaths are left, one that dies (by the fault hook at a
     * random instant, or by SIGKILL after a random moment) and is replaced when it does; then one
     * that serves to the end. Called with the process list locked.
     */
    private static void startNext(
        final Path path, final Random random, final List<Process> processes, final int[] deathsLeft,
        final boolean[] closing, final ScheduledExecutorService killer, final Tally tally) throws IOException
    {
        if (closing[0])
        {
            return;
        }
        final boolean dies = deathsLeft[0] > 0;
        deathsLeft[0] -= dies ? 1 : 0;
        final boolean byFault = dies && random.nextBoolean();
        final String point = FAULT_POINTS[random.nextInt(FAULT_POINTS.length)];
        final Process process = HandlerProcesses.start(
            path, 1 + random.nextInt(2), 0, byFault ? point + ":" + (1 + random.nextInt(40)) : null);
        processes.add(process);
        if (dies && !byFault)
        {
            killer.schedule(process::destroyForcibly, 1 + random.nextInt(40), TimeUnit.MILLISECONDS);
        }
        if (dies)
        {
            process.onExit().thenRun(() ->
            {
                synchronized (processes)
                {
                    if (process.exitValue() == 128 + 9 && !closing[0])
                    {
                        tally.died(byFault ? "fault hook at " + point : SIGNAL);
                    }
                    try
                    {
                        startNext(path, random, processes, deathsLeft, closing, killer, tally);
                    }
                    catch (final IOException | AssertionError startedTooLate)
                    {
                        // the channel closed meanwhile: nothing is left to serve
                    }
                }
            });
        }
    }

    /**
     * The dispatch ring's indices and the cell at its consumer index, the handlers asleep and the
     * attachment table's owners (each with its sleepers), for a failure's message.
     */
    private static String stateOf(final MemorySegment memory)
    {
        final long ring = (long)HeaderDescriptor.DISPATCH_RING_OFFSET_HANDLE.get(memory, 0L);
        final int capacity = (int)HeaderDescriptor.DISPATCH_RING_CAPACITY_HANDLE.get(memory, 0L);
        final long table = (long)HeaderDescriptor.ATTACHMENT_TABLE_OFFSET_HANDLE.get(memory, 0L);
        final long consumer = memory.get(ValueLayout.JAVA_LONG, ring + DispatchRingDescriptor.CONSUMER_INDEX_OFFSET);
        final long cell = ring + DispatchRingDescriptor.CELLS_OFFSET + (consumer & (capacity - 1)) * DispatchRingDescriptor.CELL_LENGTH;
        final StringBuilder state = new StringBuilder()
            .append("producer ").append(memory.get(ValueLayout.JAVA_LONG, ring + DispatchRingDescriptor.PRODUCER_INDEX_OFFSET))
            .append(" consumer ").append(consumer)
            .append(" (its cell: sequence ").append(memory.get(ValueLayout.JAVA_LONG, cell))
            .append(" handle ").append(Long.toHexString(memory.get(ValueLayout.JAVA_LONG, cell + 8)))
            .append("); handlers asleep ").append((int)HeaderDescriptor.DISPATCH_WAITERS_HANDLE.get(memory, 0L))
            .append("; completion ring ").append(completionHead(memory))
            .append("; owners/asleep");
        for (int entry = 0; entry < 8; entry++)
        {
            final long at = table + (long)entry * AttachmentTableDescriptor.ENTRY_LENGTH;
            state.append(' ').append(Long.toHexString(memory.get(ValueLayout.JAVA_LONG, at)))
                .append('/').append(memory.get(ValueLayout.JAVA_INT, at + 28));
        }
        return state.toString();
    }

    private static String completionHead(final MemorySegment memory)
    {
        final long ring = (long)HeaderDescriptor.COMPLETION_RING_OFFSET_HANDLE.get(memory, 0L);
        final int capacity = (int)HeaderDescriptor.COMPLETION_RING_CAPACITY_HANDLE.get(memory, 0L);
        final long head = memory.get(ValueLayout.JAVA_LONG, ring + capacity + CompletionRingDescriptor.HEAD_POSITION_OFFSET);
        final long tail = memory.get(ValueLayout.JAVA_LONG, ring + capacity + CompletionRingDescriptor.TAIL_POSITION_OFFSET);
        final long record = ring + (head & (capacity - 1));
        return "head " + head + " tail " + tail + " header " + Long.toHexString(memory.get(ValueLayout.JAVA_LONG, record)) +
            " handle " + Long.toHexString(memory.get(ValueLayout.JAVA_LONG, record + 8)) +
            " status/publisher " + Long.toHexString(memory.get(ValueLayout.JAVA_LONG, record + 16));
    }

    private static List<Process> snapshot(final List<Process> processes)
    {
        synchronized (processes)
        {
            return List.copyOf(processes);
        }
    }

    private static String report(final Tally tally, final long seed, final int events, final long elapsedNanos)
    {
        final StringBuilder out = new StringBuilder();
        out.append("# Crash campaign\n\n");
        out.append(String.format(Locale.ROOT,
            "Generated by `make crash` on %s (%d cores). %d trials of %,d events each, seed %d (`-Dbaton.crash.seed`%n" +
            "replays its sequence of choices). In each trial a Java host serves C handler processes over a channel file; 1 to 4%n" +
            "of them die, by SIGKILL at a random moment or by the fault hook at its n-th arrival at a dangerous%n" +
            "instant (n random in 1..40), and a new process replaces each. The completion timeout is an hour and the%n" +
            "redelivery limit random in 0..2, so everything a dead process left is settled by the reaper or by%n" +
            "nothing. A trial passes when its ledger balances, every answer is right, and the close returns.%n%n",
            LocalDate.now(ZoneOffset.UTC), Runtime.getRuntime().availableProcessors(), tally.trials, events, seed));
        out.append("| deaths | count |\n|---|---|\n");
        tally.deaths.forEach((cause, count) -> out.append("| ").append(cause).append(" | ").append(count).append(" |\n"));
        out.append(String.format(Locale.ROOT, "%n| outcome | count |%n|---|---|%n| trials passed | %d of %d |%n" +
            "| events | %,d |%n| completed | %,d |%n| timed out (settled by the reaper) | %,d |%n" +
            "| lost or duplicated | 0 (a trial with either fails) |%n%n", tally.trials, tally.trials, tally.events,
            tally.completed, tally.timedOut));
        out.append(String.format(Locale.ROOT, "Longest close: %.1f ms. Longest trial: %.1f s. Whole campaign: %.1f s.%n",
            tally.maxCloseNanos / 1e6, tally.maxTrialNanos / 1e9, elapsedNanos / 1e9));
        return out.toString();
    }
}
