package dev.baton;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.baton.testing.HandlerProcesses;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A randomized campaign of host deaths. In each trial a C host process (tests/c/host_process.c)
 * serves two handler processes, each in a language drawn from C, Python, Ruby and Node, and is
 * SIGKILLed at a random moment. Its handlers serve what is ready and end once their waits find the
 * host gone; this JVM then adopts the channel file ({@link DispatchChannel#adopt}), starts one new C
 * handler, and drains until nothing is pending, reclaiming what expires. The host wrote ahead, to a
 * log that survives it, each event it was about to dispatch, each it dispatched, each drain it
 * began and each outcome it was handed. The trial's ledger must balance across the adoption:
 * <ul>
 *   <li>every event the host dispatched is reported once: to the host, or to the adopter;</li>
 *   <li>an event reported to both was handed to the host by the drain it died in, and is counted;</li>
 *   <li>an event the host died dispatching is reported at most once, and nothing it never began is;</li>
 *   <li>every process ends, and the adopter's close removes the file.</li>
 * </ul>
 *
 * <p>{@code make test} runs a few trials; {@code make crash-host} runs hundreds and writes
 * docs/reports/host-death-campaign.md. {@code -Dbaton.hostdeath.seed} replays a sequence of choices.
 */
class HostDeathCampaignTest
{
    private static final String[] LANGUAGES = {"c", "python", "ruby", "node"};
    private static final int EVENTS = 1_000_000;
    /** The latest moment a host is killed at: every run of EVENTS takes longer here. */
    private static final int LONGEST_LIFE_MICROS = 300_000;

    /** What the trials saw, for the report. */
    private static final class Tally
    {
        final Map<String, Integer> languages = new TreeMap<>();
        int trials;
        int killed;
        int finished;
        long dispatched;
        long reportedToHost;
        long reportedToAdopter;
        long redeliveredAcrossAdoption;
        long diedDispatching;
        long maxAdoptionNanos;
    }

    @Test
    void hostsDyingAtRandomAreAdoptedAndEveryEventIsReportedOnce() throws Exception
    {
        final int trials = Integer.getInteger("baton.hostdeath.trials", 4);
        final long seed = Long.getLong("baton.hostdeath.seed", System.nanoTime());
        final Random random = new Random(seed);
        final Tally tally = new Tally();
        final long start = System.nanoTime();
        for (int trial = 0; trial < trials; trial++)
        {
            trial(random, tally, "seed " + seed + ", trial " + trial);
            System.out.println("progress " + (trial + 1) + " " + trials); // for build/with-progress
        }
        assertEquals(trials, tally.killed + tally.finished);
        final String report = System.getProperty("baton.hostdeath.report");
        if (report != null)
        {
            Files.writeString(Path.of(report), report(tally, seed, System.nanoTime() - start));
        }
    }

    private static void trial(final Random random, final Tally tally, final String name) throws Exception
    {
        final Path path = HandlerProcesses.inSharedMemory(HandlerProcesses.channelFile("host-death"));
        final Path log = Files.createTempFile("baton-host-death", ".log");
        final int lifeMicros = random.nextInt(LONGEST_LIFE_MICROS);
        final Process host = new ProcessBuilder(HandlerProcesses.program("baton_host_process").toString(),
            path.toString(), String.valueOf(EVENTS), "dies-after", String.valueOf(lifeMicros), log.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final List<Process> handlers = new ArrayList<>();
        try
        {
            final BufferedReader output =
                new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready", output.readLine(), name);
            for (int i = 0; i < 2 && host.isAlive(); i++)
            {
                final String language = LANGUAGES[random.nextInt(LANGUAGES.length)];
                synchronized (tally)
                {
                    tally.languages.merge(language, 1, Integer::sum);
                }
                try
                {
                    handlers.add(startHandler(language, path));
                }
                catch (final IOException | AssertionError diedFirst)
                {
                    assertFalse(host.isAlive(), name + ": a handler failed to attach to a live host: " + diedFirst);
                }
            }
            assertTrue(host.waitFor(120, TimeUnit.SECONDS), name + ": the host ends, by its kill or its run's end");
            final List<String> written = Files.readAllLines(log);
            if (host.exitValue() == 0 || written.contains("c"))
            {
                tally.finished++; // it closed the channel before its kill: its own ledger balanced (exit 0)
                endAll(handlers, name);
                return;
            }
            assertEquals(128 + 9, host.exitValue(), name + ": the host was killed");
            tally.killed++;
            final long adoptionStart = System.nanoTime();
            final Map<Long, Integer> adopterReports = new HashMap<>();
            try (DispatchChannel adopter = DispatchChannel.adopt(path))
            {
                tally.maxAdoptionNanos = Math.max(tally.maxAdoptionNanos, System.nanoTime() - adoptionStart);
                handlers.add(HandlerProcesses.start(path.getFileName(), 1, 0, null));
                drainUntilSettled(adopter, adopterReports, name);
            }
            assertFalse(Files.exists(path), name + ": the adopter's close removes the file");
            endAll(handlers, name);
            balance(written, adopterReports, tally, name);
        }
        finally
        {
            host.destroyForcibly();
            handlers.forEach(Process::destroyForcibly);
            Files.deleteIfExists(log);
            Files.deleteIfExists(path);
        }
    }

    private static Process startHandler(final String language, final Path path) throws IOException
    {
        return "c".equals(language) ? HandlerProcesses.start(path.getFileName(), 2, 0, null) :
            HandlerProcesses.startBinding(language, path.getFileName(), 2);
    }

    /** Drains, reclaims and reaps until no event is pending and no outcome awaits the drain. */
    private static void drainUntilSettled(
        final DispatchChannel adopter, final Map<Long, Integer> reports, final String name)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true)
        {
            adopter.outcomeDrain().drain(outcome -> reports.merge(outcome.eventIdLo(), 1, Integer::sum), 256);
            adopter.reclaimExpired();
            adopter.reap();
            final ChannelMetrics metrics = adopter.metrics();
            if (metrics.pendingCount() == 0 && metrics.awaitingDrainCount() == 0)
            {
                adopter.outcomeDrain().drain(outcome -> reports.merge(outcome.eventIdLo(), 1, Integer::sum), 256);
                return;
            }
            assertTrue(System.nanoTime() - deadline < 0, name + ": the adopter settles everything (a hang guard): " + metrics);
            adopter.outcomeDrain().awaitOutcomes(java.time.Duration.ofMillis(10));
        }
    }

    /** Every handler process ends: by the adopter's close, or having found the host gone. */
    private static void endAll(final List<Process> handlers, final String name) throws InterruptedException
    {
        for (final Process handler : handlers)
        {
            assertTrue(handler.waitFor(60, TimeUnit.SECONDS), name + ": a handler process ends (a hang guard)");
            assertEquals(0, handler.exitValue(), name + ": a handler process ends cleanly");
        }
    }

    /** Checks the ledger of the dead host's log and the adopter's reports; adds the trial to the tally. */
    private static void balance(
        final List<String> log, final Map<Long, Integer> adopterReports, final Tally tally, final String name)
    {
        final Map<Long, Integer> hostReports = new HashMap<>();
        final Map<Long, Boolean> begun = new HashMap<>(); // true once dispatched
        int lastDrainStart = 0;
        for (int line = 0; line < log.size(); line++)
        {
            final String entry = log.get(line);
            if (entry.equals("b") || entry.equals("c"))
            {
                lastDrainStart = line;
                continue;
            }
            final long id = Long.parseLong(entry.substring(2));
            switch (entry.charAt(0))
            {
                case 'i' -> begun.put(id, false);
                case 'd' -> begun.put(id, true);
                case 'o' -> hostReports.merge(id, 1, Integer::sum);
                default -> throw new AssertionError(name + ": an unknown log line " + entry);
            }
        }
        final java.util.Set<Long> inLastDrain = new java.util.HashSet<>();
        for (final String entry : log.subList(lastDrainStart, log.size()))
        {
            if (entry.startsWith("o "))
            {
                inLastDrain.add(Long.parseLong(entry.substring(2)));
            }
        }
        long redelivered = 0;
        long diedDispatching = 0;
        for (final Map.Entry<Long, Boolean> event : begun.entrySet())
        {
            final long id = event.getKey();
            final int toHost = hostReports.getOrDefault(id, 0);
            final int toAdopter = adopterReports.getOrDefault(id, 0);
            assertTrue(toHost <= 1 && toAdopter <= 1, name + ": event " + id + " reported twice to one host");
            if (toHost == 1 && toAdopter == 1)
            {
                assertTrue(inLastDrain.contains(id),
                    name + ": event " + id + " reported to both, though the dead host's drain of it had ended");
                redelivered++;
            }
            if (event.getValue())
            {
                assertTrue(toHost + toAdopter >= 1, name + ": dispatched event " + id + " was never reported");
            }
            else
            {
                diedDispatching++; // the host died inside its dispatch: the event went out, or not
            }
        }
        for (final long id : adopterReports.keySet())
        {
            assertTrue(begun.containsKey(id), name + ": the adopter reported event " + id + ", which was never dispatched");
        }
        tally.trials++;
        tally.dispatched += begun.values().stream().filter(Boolean::booleanValue).count();
        tally.reportedToHost += hostReports.size();
        tally.reportedToAdopter += adopterReports.size();
        tally.redeliveredAcrossAdoption += redelivered;
        tally.diedDispatching += diedDispatching;
    }

    private static String report(final Tally tally, final long seed, final long elapsedNanos)
    {
        final StringBuilder out = new StringBuilder();
        out.append("# Host-death campaign\n\n");
        out.append(String.format(Locale.ROOT,
            "Generated by `make crash-host` on %s (%d cores). %d trials, seed %d (`-Dbaton.hostdeath.seed` replays%n" +
            "its choices). In each a C host process dispatches %,d events to two handler processes, each in a%n" +
            "language drawn from C, Python, Ruby and Node, and is SIGKILLed at a random moment in its first%n" +
            "%d ms. Its handlers end once their waits find it gone (EHOSTDOWN); a Java host adopts the file%n" +
            "(`DispatchChannel.adopt`), starts one new C handler, and drains until nothing is pending. The dead%n" +
            "host wrote ahead to a log that survives it. A trial passes when every event it dispatched is reported%n" +
            "once, to it or to the adopter; an event reported to both only if the dead host was handed it in the%n" +
            "drain it died in; nothing it never began reported; every process ended; the file removed.%n%n",
            LocalDate.now(ZoneOffset.UTC), Runtime.getRuntime().availableProcessors(), tally.killed + tally.finished,
            seed, EVENTS, LONGEST_LIFE_MICROS / 1000));
        out.append("| handler processes | count |\n|---|---|\n");
        tally.languages.forEach((language, count) -> out.append("| ").append(language).append(" | ").append(count).append(" |\n"));
        out.append(String.format(Locale.ROOT, "%n| outcome | count |%n|---|---|%n" +
            "| hosts killed, channel adopted, ledger balanced | %d of %d |%n" +
            "| hosts that finished before their kill (own ledger balanced) | %d |%n" +
            "| events dispatched by hosts that died | %,d |%n" +
            "| reported to the dead host | %,d |%n" +
            "| reported to the adopter | %,d |%n" +
            "| reported to both: handed to the dead host in the drain it died in | %,d |%n" +
            "| begun but not known dispatched (the host died inside the call, or its last try was refused) | %,d |%n" +
            "| lost, or duplicated otherwise | 0 (a trial with either fails) |%n%n",
            tally.trials, tally.killed, tally.finished, tally.dispatched, tally.reportedToHost,
            tally.reportedToAdopter, tally.redeliveredAcrossAdoption, tally.diedDispatching));
        out.append(String.format(Locale.ROOT, "Longest adoption (open and `baton_adopt`): %.1f ms. Whole campaign: %.1f s.%n",
            tally.maxAdoptionNanos / 1e6, elapsedNanos / 1e9));
        return out.toString();
    }
}
