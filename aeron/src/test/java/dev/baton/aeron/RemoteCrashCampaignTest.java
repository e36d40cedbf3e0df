package dev.baton.aeron;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Random;

import dev.baton.DispatchChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes killed at random instants: in each trial a host streams events through the bridge to two
 * nodes ({@link NodeProcesses}: a node JVM and a C handler process each, over UDP on 127.0.0.1), and
 * one node, drawn at random, is SIGKILLed once a random share of the events came back (none to all).
 * The host's ledger must balance in every trial: each event completed exactly once, with its own
 * answer. {@code make test} runs two trials; {@code make crash-remote} runs 200
 * ({@code -Dbaton.remote.trials}) and writes docs/reports/remote-crash-campaign.md
 * ({@code -Dbaton.remote.report}); {@code -Dbaton.remote.seed} replays a sequence of choices.
 */
class RemoteCrashCampaignTest
{
    private static final int EVENTS = 4_000;
    private static final Duration LEASE = Duration.ofMillis(500);

    @TempDir
    Path directory;

    /** What the trials saw, for the report. */
    private static final class Tally
    {
        int trials;
        int killedMidStream;
        long events;
        long eventsSent;
        long redeliveries;
        long zombies;
        long leftToTimeOut;
        long maxNoticeNanos;
    }

    @Test
    void nodesKilledAtRandomLoseNothing() throws Exception
    {
        final int trials = Integer.getInteger("baton.remote.trials", 2);
        final long seed = Long.getLong("baton.remote.seed", System.nanoTime());
        final Random random = new Random(seed);
        final Tally tally = new Tally();
        final long start = System.nanoTime();
        for (int trial = 0; trial < trials; trial++)
        {
            trial(random, tally, "seed " + seed + ", trial " + trial);
            System.out.println("progress " + (trial + 1) + " " + trials); // for build/with-progress
        }
        assertEquals(trials, tally.trials);
        final String report = System.getProperty("baton.remote.report");
        if (report != null)
        {
            Files.writeString(Path.of(report), report(tally, seed, System.nanoTime() - start));
        }
    }

    private void trial(final Random random, final Tally tally, final String name) throws Exception
    {
        final String hostChannel = Ports.freeLoopbackChannel();
        final int victim = random.nextInt(2);
        final int killAfter = random.nextInt(EVENTS);
        try (DispatchChannel host = DispatchChannel.builder()
                 .slabCapacity(512).redeliveryLimit(2).completionTimeout(Duration.ofSeconds(30)).build();
             RemoteHandlers bridge = RemoteHandlers.builder(host).listen(hostChannel, 4100).lease(LEASE).start();
             NodeProcesses nodes = new NodeProcesses(directory))
        {
            final Process[] node = {nodes.start(hostChannel, 1), nodes.start(hostChannel, 2)};
            final long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (bridge.metrics().nodes() < 2)
            {
                assertTrue(System.nanoTime() - giveUp < 0, () -> name + ": nodes never joined: " + nodes.logs());
                Thread.onSpinWait();
            }
            final Ledger ledger = new Ledger(host, EVENTS);
            final long[] killedAt = {0};
            final long[] noticedAt = {0};
            ledger.run(120_000, () ->
            {
                if (killedAt[0] == 0 && bridge.metrics().outcomesAccepted() >= killAfter)
                {
                    node[victim].destroyForcibly(); // SIGKILL
                    killedAt[0] = System.nanoTime();
                }
                else if (killedAt[0] != 0 && noticedAt[0] == 0 && bridge.metrics().leasesLost() > 0)
                {
                    noticedAt[0] = System.nanoTime();
                }
            });
            ledger.assertBalanced();

            final RemoteMetrics metrics = bridge.metrics();
            assertEquals(EVENTS, ledger.completedCount(), () -> name + ": " + metrics);
            assertEquals(EVENTS, metrics.outcomesAccepted(), () -> name + ": " + metrics);
            assertEquals(EVENTS + metrics.redeliveries(), metrics.eventsSent(), () -> name + ": " + metrics);
            tally.trials++;
            tally.killedMidStream += killedAt[0] != 0 ? 1 : 0;
            tally.events += EVENTS;
            tally.eventsSent += metrics.eventsSent();
            tally.redeliveries += metrics.redeliveries();
            tally.zombies += metrics.zombieOutcomesRefused();
            tally.leftToTimeOut += metrics.leftToTimeOut();
            if (noticedAt[0] != 0)
            {
                tally.maxNoticeNanos = Math.max(tally.maxNoticeNanos, noticedAt[0] - killedAt[0]);
            }
        }
    }

    private static String report(final Tally tally, final long seed, final long elapsedNanos)
    {
        return String.format(Locale.ROOT,
            "# Remote crash campaign%n%n" +
            "Generated by `make crash-remote` on %s (%d cores). %d trials, seed %d (`-Dbaton.remote.seed` replays%n" +
            "its choices). In each, a Java host streams %,d events through the Aeron bridge (`RemoteHandlers`,%n" +
            "leases of %d ms) to two nodes over UDP on 127.0.0.1, each a node JVM (`NodeMain`, its own embedded%n" +
            "media driver) with a C handler process on its channel file. One node, drawn at random, is SIGKILLed%n" +
            "once a random share of the events came back (none to all). A trial passes when every event was%n" +
            "completed exactly once with its own answer, and the bridge sent each event once plus once per%n" +
            "redelivery.%n%n" +
            "| outcome | count |%n|---|---|%n" +
            "| trials with the ledger balanced | %d of %d |%n" +
            "| of them, a node killed before the last outcome (the rest: the draw fell on the last few) | %d |%n" +
            "| events, each completed once | %,d |%n" +
            "| events sent to nodes (with redeliveries) | %,d |%n" +
            "| events redelivered after their node was lost | %,d |%n" +
            "| outcomes refused from ended leases | %,d |%n" +
            "| events left to time out (past the redelivery limit) | %,d |%n" +
            "| lost, or duplicated | 0 (a trial with either fails) |%n%n" +
            "Longest time from the kill to the host ending the node's lease: %.1f ms. Whole campaign: %.1f s.%n",
            LocalDate.now(ZoneOffset.UTC), Runtime.getRuntime().availableProcessors(), tally.trials, seed, EVENTS,
            LEASE.toMillis(), tally.trials, tally.trials, tally.killedMidStream, tally.events, tally.eventsSent, tally.redeliveries,
            tally.zombies, tally.leftToTimeOut, tally.maxNoticeNanos / 1e6, elapsedNanos / 1e9);
    }
}
