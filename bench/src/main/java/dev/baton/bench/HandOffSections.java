package dev.baton.bench;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

import static dev.baton.bench.Results.fmt;

/**
 * The report's sections on handing events between threads, and on what each event pays on the way:
 * the dispatch ring, the crossing, what a locked instruction costs, end to end.
 */
final class HandOffSections
{
    private static final String E2E = "EndToEndBenchmark";

    private HandOffSections()
    {
    }

    static void dispatchRing(final ReportPage page)
    {
        final Results results = page.results();
        page.out().append("## The dispatch ring alone\n\n");
        page.out().append("Successful polls per microsecond (higher is better), one producer and one consumer, then two of each.\n\n");
        page.out().append("| candidate | 1P1C polled/us | 2P2C polled/us | B/op (1P1C) |\n|---|---|---|---|\n");
        for (final String candidate : results.candidates("DispatchRingBenchmark"))
        {
            final Optional<Results.Result> one = results.find("DispatchRingBenchmark", "oneToOne", candidate, 0);
            final Optional<Results.Result> two = results.find("DispatchRingBenchmark", "twoToTwo", candidate, 0);
            page.printf("| %s | %s | %s | %s |%n", candidate, one.map(r -> fmt(r.secondary("polled"))).orElse("-"),
                candidate.equals("disruptor") ? "n/a (pollers broadcast)" : two.map(r -> fmt(r.secondary("polled"))).orElse("-"),
                one.map(r -> fmt(r.bytesPerOp())).orElse("-"));
        }
        page.out().append('\n');
        final double baton = polled(results, "batonRing");
        final double jctools = polled(results, "jctoolsMpmc");
        page.targets().ratio("Dispatch ring 1P1C ≥ 0.8× JCTools MpmcArrayQueue", baton / jctools, 0.8,
            fmt(baton) + " vs " + fmt(jctools) + " polled/us", """
                The ring's cells are in off-heap memory shared with other processes, each read and written \
                through a VarHandle on a MemorySegment, and a poll that takes a cell also checks its handle.""");
    }

    /**
     * @return what a locked instruction adds after a slot's writes on this machine, in ns: a CAS's
     * publish less a release store's ({@code LockedInstructionBenchmark}).
     */
    static double lockedInstructionNanos(final Results results)
    {
        return results.score("LockedInstructionBenchmark", "publish", "cas", 1) -
            results.score("LockedInstructionBenchmark", "publish", "releaseStore", 1);
    }

    private static void lockedInstruction(final ReportPage page)
    {
        final Results results = page.results();
        page.out().append("""
            ## What a locked instruction costs here

            One thread writes an event's fields into the next of 64 slots of shared memory (eight words over \
            two cache lines), then publishes the slot's state word by a CAS or by a release store \
            (`LockedInstructionBenchmark`): the difference is what one locked instruction adds where Baton runs it.

            | publishing a slot after its writes | ns/op | B/op |
            |---|---|---|
            """);
        for (final String candidate : results.candidates("LockedInstructionBenchmark"))
        {
            results.find("LockedInstructionBenchmark", "publish", candidate, 1).ifPresent(r -> page.printf(
                "| %s | %s | %s |%n", candidate, Results.withError(r), fmt(r.bytesPerOp())));
        }
        page.printf("%nA locked instruction adds %s ns here: the difference of the two means, each with its 99.9%% " +
            "error above.%n%n", fmt(lockedInstructionNanos(results)));
    }

    static void endToEnd(final ReportPage page, final GeneratedFigures figures) throws IOException
    {
        final Results results = page.results();
        final double pingNanos = results.score("PingPongBenchmark", "pingPong", "-", 0);
        final double roundTrip = 2 * pingNanos;
        page.out().append("## The physical limit and the crossing\n\n");
        page.printf("A two-thread CAS ping-pong on one cache line: %.1f ns per hand-off, so **%.1f ns per round trip**: " +
            "the best any cross-thread round trip can do on this machine. It is its own JMH run, minutes before the " +
            "end-to-end one, so a ratio to it holds only as far as the machine's load held between them.%n%n",
            pingNanos, roundTrip);
        page.out().append("| Java to C, per event | ns/op | B/op |\n|---|---|---|\n");
        for (final String candidate : results.candidates("CrossingBenchmark"))
        {
            results.find("CrossingBenchmark", "handOneEventToC", candidate, 1).ifPresent(r -> page.printf(
                "| one FFM downcall (%s) | %s | %s |%n", candidate, fmt(r.score()), fmt(r.bytesPerOp())));
        }
        results.find(E2E, "throughput", "batonCHandlers", 1).ifPresent(r -> page.printf(
            "| shared-memory rings served by a C handler thread (a full round trip) | %s | %s |%n%n", fmt(r.score()),
            fmt(r.bytesPerOp())));
        page.out().append("""
            A downcall is cheaper per call, but the calling Java thread does the C work itself and waits for it; \
            the rings hand the event to C threads that run beside the host, and no Java thread enters native \
            code per event.

            """);
        lockedInstruction(page);
        page.out().append("""
            ## End to end

            Dispatch, a handler answers, the host drains and checks the answer. Throughput keeps up to 64 events \
            in flight (ns per event, lower is better); the single round trip sends one event at a time (p50 of \
            sampled round trips). `batonCHandlers2` is the channel served by two C handler threads; \
            `batonCHandlersBatch` is `batonCHandlers` with the host dispatching 16 events at a time (a \
            `DispatchBatch`); \
            `batonOneThread` and `onHeapOneThread` have no handler thread (the host's thread answers each event \
            as it drains): each design's work per event without a hand-off between threads. \
            `batonOneThreadBatch` does that work through the batch APIs, 64 events at a time (a `DispatchBatch`, \
            one `pollBatch`, a `CompletionBatch`, one drain), and `onHeapSameWork` is the on-heap pipeline doing \
            the rest of what Baton does per event (a dispatch time and deadline, a deadline check, a latency \
            histogram). "Per fork" is each JVM fork's mean throughput: forks far apart ran in different \
            conditions of the machine (most likely where the scheduler put the two threads on its two cores), \
            which is what a wide error bar here means, not noise within one fork.

            | candidate | throughput ns/event | per fork | B/event | single round trip p50 ns | p50 / ping-pong round trip |
            |---|---|---|---|---|---|
            """);
        for (final String candidate : results.candidates(E2E))
        {
            final Optional<Results.Result> throughput = results.find(E2E, "throughput", candidate, 1);
            final Optional<Results.Result> single = results.find(E2E, "singleRoundTrip", candidate, 1);
            page.printf("| %s | %s | %s | %s | %s | %s |%n", candidate, throughput.map(Results::withError).orElse("-"),
                throughput.map(Results::perFork).orElse("-"), throughput.map(r -> fmt(r.bytesPerOp())).orElse("-"), single.map(r -> fmt(r.p50())).orElse("-"),
                single.map(r -> String.format(Locale.ROOT, "%.1f×", r.p50() / roundTrip)).orElse("-"));
        }
        page.out().append('\n');
        endToEndTargets(page, figures, roundTrip);
    }

    private static void endToEndTargets(final ReportPage page, final GeneratedFigures figures, final double roundTrip)
        throws IOException
    {
        final Results results = page.results();
        final double baton = results.score(E2E, "throughput", "batonCHandlers", 1);
        final String workWhy = workWhy(results, figures, baton);
        for (final String[] target : new String[][] {{"onHeapJctools", "the on-heap JCTools pipeline", "3"},
            {"seedBlocking", "the engine's blocking \"before\"", "10"}})
        {
            final double base = results.score(E2E, "throughput", target[0], 1);
            final double wanted = Double.parseDouble(target[2]);
            page.targets().ratio("End to end: Baton with one C handler ≥ " + target[2] + "× the throughput of " + target[1],
                base / baton, wanted, fmt(base) + " vs " + fmt(baton) + " ns/event",
                String.format(Locale.ROOT, "The target needs %s ns per event. ", fmt(base / wanted)) + workWhy);
        }
        final double p50 = roundTripP50(results, "batonCHandlers");
        page.targets().check("Single round trip p50 within 2.5× the ping-pong round trip",
            String.format(Locale.ROOT, "%s ns vs %s ns: %.1f×", fmt(p50), fmt(roundTrip), p50 / roundTrip),
            p50 <= 2.5 * roundTrip, String.format(Locale.ROOT, """
                The ping-pong moves one cache line each way. A Baton round trip moves at least four: the dispatch \
                cell and the slot to the handler, the completion record and the slot's state back to the host; \
                and, from the instruction budget below, libbaton's two sides run %s instructions of their own per \
                event, where the ping-pong runs a CAS.""", figures.number(GeneratedFigures.INSTRUCTIONS,
                    "one event at a time, in all").stream().mapToObj(Results::fmt).findFirst().orElse("(not counted)")),
            p50, roundTrip);
        final double javaP50 = roundTripP50(results, "batonJavaHandlers");
        final double heapP50 = roundTripP50(results, "onHeapJctools");
        final double batonAloneP50 = roundTripP50(results, "batonOneThread");
        final double heapAloneP50 = roundTripP50(results, "onHeapOneThread");
        page.targets().check("Single round trip p50 with a Java handler ahead of the on-heap pipeline's",
            String.format(Locale.ROOT, "%s ns vs %s ns", fmt(javaP50), fmt(heapP50)), javaP50 < heapP50, String.format(Locale.ROOT, """
                Both handlers idle the same way (Agrona's BackoffIdleStrategy), so waking costs them alike; what \
                differs is the work of the round trip itself. With no hand-off (one thread dispatching, answering \
                and draining), a round trip's p50 was %s ns for Baton and %s ns on-heap: %s ns more work, of a gap \
                of %s ns between the two-thread round trips. JFR's samples of that one-thread work are in \
                `docs/reports/profile.md`: %s of them in `java.lang.foreign`'s checked memory access.""",
                fmt(batonAloneP50), fmt(heapAloneP50), fmt(batonAloneP50 - heapAloneP50), fmt(javaP50 - heapP50),
                figures.number(GeneratedFigures.PROFILE, "memory access through java.lang.foreign")
                    .stream().mapToObj(share -> String.format(Locale.ROOT, "%.1f%%", share)).findFirst()
                    .orElse("(run `make bench-profile` for the share)")),
            javaP50, heapP50);
        final double two = results.score(E2E, "throughput", "batonCHandlers2", 1);
        page.targets().check("Two C handler threads give more throughput than one",
            String.format(Locale.ROOT, "%s vs %s ns/event", fmt(two), fmt(baton)), two < baton, String.format(Locale.ROOT, """
                The host's thread and two handler threads spin on %d cores: three busy threads on two cores, so \
                a handler runs only when the scheduler takes a core from the other handler or the host. Each \
                event still crosses between the same two cores. The target needs a core per busy thread.""",
                Runtime.getRuntime().availableProcessors()), two, baton);
        for (final String candidate : new String[] {"batonCHandlers", "batonCHandlers2", "batonJavaHandlers"})
        {
            page.targets().zeroAllocation("end to end, " + candidate,
                AccessPatternSections.worstBytes(results, E2E, candidate));
        }
    }

    /**
     * Why an end-to-end target is out of reach: the work per event measured with no hand-off between
     * threads in the same run, and the share of libbaton's native time that is the clock.
     */
    private static String workWhy(final Results results, final GeneratedFigures figures, final double baton)
        throws IOException
    {
        final double batonAlone = results.score(E2E, "throughput", "batonOneThread", 1);
        final double heapAlone = results.score(E2E, "throughput", "onHeapOneThread", 1);
        final StringBuilder why = new StringBuilder(String.format(Locale.ROOT, """
            With no hand-off between threads (the host's thread answering \
            each event itself), Baton's work per event took %s ns in this run (`batonOneThread`) and the \
            on-heap pipeline's %s ns (`onHeapOneThread`): even split perfectly over the two cores, Baton's work \
            is %s ns per event. The pipeline with one C handler thread measured %s ns.""",
            fmt(batonAlone), fmt(heapAlone), fmt(batonAlone / 2), fmt(baton)));
        final var alone = figures.number(GeneratedFigures.INSTRUCTIONS, "one event at a time, per event");
        final var clock = figures.number(GeneratedFigures.INSTRUCTIONS, "one read of the clock");
        final var instructions = figures.number(GeneratedFigures.INSTRUCTIONS, "one event at a time, in all");
        final var reads = figures.cell(GeneratedFigures.INSTRUCTIONS, "clock reads per event", "one event at a time, in all", 3);
        if (alone.isPresent() && clock.isPresent() && instructions.isPresent() && reads.isPresent())
        {
            why.append(String.format(Locale.ROOT, """
                 Where libbaton's time goes (`docs/reports/instructions.md`): its C paths run %.0f instructions per event, \
                and natively on one core they took %s ns per event, %.0f%% of it in reading the clock, %s per \
                event (a poll's and a drain's; a dispatch stamps its event with the host's cached clock) at %s ns \
                a read.""", instructions.getAsDouble(), fmt(alone.getAsDouble()),
                100 * reads.getAsDouble() * clock.getAsDouble() / alone.getAsDouble(), fmt(reads.getAsDouble()),
                fmt(clock.getAsDouble())));
        }
        return why.append(javaSideProfile(figures)).toString();
    }

    /**
     * @return where the Java side's time goes in JFR's samples of {@code batonOneThread}, as a sentence
     * that starts with a space; empty when {@code make bench-profile} has not run.
     */
    static String javaSideProfile(final GeneratedFigures figures) throws IOException
    {
        final var foreign = figures.number(GeneratedFigures.PROFILE, "memory access through java.lang.foreign");
        final var drain = figures.number(GeneratedFigures.PROFILE, "`dev.baton.OutcomeDrain.drain`");
        final var dispatch = figures.number(GeneratedFigures.PROFILE, "`dev.baton.Dispatcher.dispatch`");
        final var handler = figures.number(GeneratedFigures.PROFILE, "`dev.baton.Poller.pollBatch`");
        if (foreign.isEmpty() || drain.isEmpty() || dispatch.isEmpty() || handler.isEmpty())
        {
            return "";
        }
        return String.format(Locale.ROOT, """
             Where the Java side's time goes (JFR's samples of `batonOneThread`, `docs/reports/profile.md`): %.1f%% \
            of samples under the drain, %.1f%% under dispatch, %.1f%% under the handler's poll, which claims and \
            completes; %.1f%% of all samples are in `java.lang.foreign`'s memory access (bounds, alignment and \
            liveness checks that the JIT did not remove, and the accesses).""",
            drain.getAsDouble(), dispatch.getAsDouble(), handler.getAsDouble(), foreign.getAsDouble());
    }

    /** @return a candidate's single round trip p50, or NaN when it was not measured. */
    private static double roundTripP50(final Results results, final String candidate)
    {
        return results.find(E2E, "singleRoundTrip", candidate, 1).map(Results.Result::p50).orElse(Double.NaN);
    }

    private static double polled(final Results results, final String candidate)
    {
        return results.find("DispatchRingBenchmark", "oneToOne", candidate, 0)
            .map(r -> r.secondary("polled")).orElse(Double.NaN);
    }
}
