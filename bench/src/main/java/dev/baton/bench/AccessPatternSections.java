package dev.baton.bench;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static dev.baton.bench.Results.fmt;

/** The report's sections on the engine's three hot spots: pending events, the latency buffer, state machines. */
final class AccessPatternSections
{
    private static final int[] ENGINE_HANDLERS = {1, 2, 3};

    private AccessPatternSections()
    {
    }

    static void pendingEvents(final ReportPage page) throws IOException
    {
        page.out().append("## Location 1: pending FFI events\n\n");
        page.out().append("The checklist's measured rows come from `make answers` (the workload of " +
            "`docs/reports/access-patterns.md`, with the channel counting its own operations).\n\n");
        page.out().append("| checklist | measured or given |\n|---|---|\n");
        page.out().append("| key type | given: a random UUID in the engine; Baton keys by a 64-bit handle (generation and slot index) |\n");
        page.out().append("| value lifetime | given: dispatch to completion, bounded by the completion timeout |\n");
        page.out().append("| access pattern | measured: " + page.answer("dispatchPerSecond", "%,.0f") + " dispatches/s, " +
            page.answer("completePerSecond", "%,.0f") + " completions/s, " + page.answer("drainPerSecond", "%,.0f") + " removals/s |\n");
        page.out().append("| iteration frequency | given: the metrics scan, periodic, never on the hot path |\n");
        page.out().append("| size bounds | measured: pending mean " + page.answer("pendingMean", "%.1f") + ", p99 " +
            page.answer("pendingP99", "%.0f") + ", max " + page.answer("pendingMax", "%.0f") + " of a " +
            page.answer("slabCapacity", "%.0f") + "-slot slab |\n");
        page.out().append("| concurrency | measured: " + page.answer("handlerThreads", "%.0f") + " handler threads and the host; CAS retries " +
            page.answer("freeListRetriesPerDispatch", "%.4f") + " per dispatch on the free list, " +
            page.answer("dispatchRingRetriesPerDispatch", "%.4f") + " on the dispatch ring, " +
            page.answer("completionRingRetriesPerCompletion", "%.4f") + " per completion on the completion ring |\n");
        page.out().append("| ordering | given: none needed between events |\n\n");
        page.out().append("""
            Every thread inserts a pending event and removes it (ns/op, lower is better; B/op from `-prof gc`).

            """);
        ScalingTable.write(page.out(), page.results(), "PendingEventsBenchmark", "insertAndRemove", page.chartDir(),
            page.chartLink(), "pending-events");
        final Results results = page.results();
        final double slabAlone = results.score("PendingEventsBenchmark", "insertAndRemove", "batonSlab", 1);
        final double slabEngine = completed(results, "batonSlab", 1);
        final double mapEngine = completed(results, "concurrentHashMap", 1);
        for (final int threads : List.of(2, 4))
        {
            final double map = results.score("PendingEventsBenchmark", "insertAndRemove", "concurrentHashMap", threads);
            final double slab = results.score("PendingEventsBenchmark", "insertAndRemove", "batonSlab", threads);
            page.targets().ratio("Baton slab ≥ 1.5× ConcurrentHashMap, every thread inserting and removing, at " + threads + " threads",
                map / slab, 1.5, fmt(map) + " vs " + fmt(slab) + " ns/op", String.format(Locale.ROOT, """
                    Each operation takes a slot from its thread's magazine and frees it back there (up to four \
                    threads have one), touching the free list's head once per run of a 64th of the slab. Alone, \
                    the slab's operation takes %s ns; at %d threads %s ns, where each thread's state CAS stays on \
                    lines it wrote last, and ConcurrentHashMap's writers go to different bins. \
                    The engine does not have this pattern: `make answers` counted %s free-list CAS retries per \
                    dispatch, and with one dispatcher and one handler (the next table) the slab completed %s \
                    events/us against ConcurrentHashMap's %s.""",
                    fmt(slabAlone), threads, fmt(slab), page.answer("freeListRetriesPerDispatch", "%.4f"), fmt(slabEngine),
                    fmt(mapEngine)));
        }
        page.targets().zeroAllocation("dispatch and complete (slab)", worstBytes(results, "PendingEventsBenchmark", "batonSlab"));
        enginePattern(page);
        recommend(page, "PendingEventsBenchmark", "batonSlab", """
            Trade-offs: the slab is fixed in size (the bound the engine's semaphore gave), lives off-heap and is \
            shared with native handlers, and its handle is the key. A caller that only knows UUIDs pays for the \
            UUID index (the `batonSlabUuidIndex` row: a map entry and a boxed handle per event). When not to \
            use it: if events must be looked up by UUID from many places, or the number in flight has no \
            useful bound, a ConcurrentHashMap is the simpler choice.""");
    }

    private static void enginePattern(final ReportPage page)
    {
        final Results results = page.results();
        page.out().append("""
            **The engine's pattern.** One dispatcher thread inserts, and N handler threads each remove the events \
            they complete (`EnginePatternBenchmark`; the hand-off between them is the same JCTools queue pair for \
            every candidate). Completed events per microsecond, higher is better; B/event is the allocation per \
            completed event.

            """);
        page.out().append("| candidate |");
        for (final int handlers : ENGINE_HANDLERS)
        {
            page.printf(" %d handler%s |", handlers, handlers == 1 ? "" : "s");
        }
        page.out().append(" B/event, 1 handler |\n|---|");
        page.out().append("---|".repeat(ENGINE_HANDLERS.length)).append("---|\n");
        for (final String candidate : results.candidates("EnginePatternBenchmark"))
        {
            page.out().append("| ").append(candidate).append(" |");
            for (final int handlers : ENGINE_HANDLERS)
            {
                page.out().append(' ').append(fmt(completed(results, candidate, handlers))).append(" |");
            }
            page.out().append(' ').append(results.find("EnginePatternBenchmark", null, candidate, 2)
                .map(r -> fmt(r.bytesPerOp() * r.score() / r.secondary("completed"))).orElse("-")).append(" |\n");
        }
        page.out().append('\n');
        final double worst = results.of("EnginePatternBenchmark").stream().filter(r -> r.candidate().equals("batonSlab"))
            .mapToDouble(r -> r.bytesPerOp() * r.score() / r.secondary("completed")).max().orElse(Double.NaN);
        page.targets().zeroAllocation("one dispatcher and N handlers (slab)", worst);
    }

    static void latencyBuffer(final ReportPage page) throws IOException
    {
        page.out().append("## Location 3: the latency buffer\n\n");
        page.out().append("| checklist | measured or given |\n|---|---|\n");
        page.out().append("| access pattern | measured: " + page.answer("latencyRecordsPerSecond", "%,.0f") +
            " appends/s, read only for metrics: a metrics pattern, not a lookup pattern |\n");
        page.out().append("| what is read | given: `processing_rate` and `average_latency_ms`; measured: histogram percentiles within " +
            page.answer("histogramLargestPercentileGap", "%.4f") + " (relative) of the exact ones |\n");
        page.out().append("| size bounds | given: the engine kept the last 1000 values; a fixed histogram here |\n");
        page.out().append("| concurrency | given: every thread that completes events records |\n\n");
        page.out().append("One operation records one latency (ns/op).\n\n");
        ScalingTable.write(page.out(), page.results(), "LatencyBufferBenchmark", "record", page.chartDir(), page.chartLink(),
            "latency-buffer");
        final Results results = page.results();
        final double recorderAlone = results.score("LatencyBufferBenchmark", "record", "batonRecorder", 1);
        final int cores = Runtime.getRuntime().availableProcessors();
        for (final int threads : List.of(2, 4, 8))
        {
            final double locked = results.score("LatencyBufferBenchmark", "record", "lockedDequeDrainHalf", threads);
            final double baton = results.score("LatencyBufferBenchmark", "record", "batonRecorder", threads);
            page.targets().ratio("LatencyRecorder ≥ 3× faster than the engine's locked buffer at " + threads + " threads",
                locked / baton, 3.0, fmt(locked) + " vs " + fmt(baton) + " ns/op", String.format(Locale.ROOT, """
                    A Java recording writes only its thread's stripe (a Recorder whose phaser and counts no other \
                    stripe shares) and reads no clock: alone it takes %s ns. %d threads on %d cores get %s, so a \
                    recording cannot take less than %s ns of a thread's time; it measured %s, and the locked buffer \
                    %s.""", fmt(recorderAlone), threads, cores,
                    threads <= cores ? "a core each" : "at most " + cores + "/" + threads + " of a core each",
                    fmt(recorderAlone * Math.max(1.0, (double)threads / cores)), fmt(baton), fmt(locked)));
        }
        page.targets().zeroAllocation("record", worstBytes(results, "LatencyBufferBenchmark", "batonRecorder"));
        recommend(page, "LatencyBufferBenchmark", "batonRecorder", """
            Trade-offs: Baton's recorder adds, to HdrHistogram's Recorder, a stripe per thread and the native \
            recordings of the channel's off-heap ring (harvested when statistics are read); the rate comes from \
            counts sampled at each reading, so when statistics are read less often than once a window it covers \
            the longer span since the last reading. When not to use it: a Java-only service that needs only percentiles from one thread can use HdrHistogram's \
            Recorder directly.""");
    }

    static void stateRegistry(final ReportPage page) throws IOException
    {
        page.out().append("## Location 2: state machines\n\n");
        page.out().append("| checklist | measured or given |\n|---|---|\n");
        page.out().append("| key type | given: UUID |\n");
        page.out().append("| access pattern | given: read-heavy point lookups, a slow load on a miss |\n");
        page.out().append("| concurrency | measured: " + page.answer("tasksTouchedByBothThreads", "%,.0f") + " of " +
            page.answer("multiStepTasks", "%,.0f") + " multi-step tasks had their machine moved by two threads; " +
            page.answer("collisionShare", "%.4f") + " of step evaluations collided |\n");
        page.out().append("| size bounds | measured: mean " + page.answer("registryMean", "%.1f") + ", max " +
            page.answer("registryMax", "%.0f") + " machines held with eviction, against " +
            page.answer("registryWithoutEviction", "%,.0f") + " for the engine's map |\n\n");
        page.out().append("""
            One operation looks up a machine; one in twenty misses and loads it, which takes 20 us (ns/op). \
            Misses allocate the new entry, so B/op here is not the lookup-hit figure: \
            `StateRegistryTest` measures that at 0 bytes.

            """);
        ScalingTable.write(page.out(), page.results(), "StateRegistryBenchmark", "lookUp", page.chartDir(), page.chartLink(),
            "state-registry");
        recommend(page, "StateRegistryBenchmark", "batonStateRegistry", """
            Trade-offs: the registry holds a map of in-flight loads beside the entries, and eviction is swept by \
            later operations rather than a thread. When not to use it: with no slow loads and no eviction, a \
            plain ConcurrentHashMap does the same job.""");
    }

    /** @return events per microsecond a candidate completed with one dispatcher and N handlers, or NaN. */
    static double completed(final Results results, final String candidate, final int handlers)
    {
        return results.find("EnginePatternBenchmark", null, candidate, handlers + 1).map(r -> r.secondary("completed"))
            .orElse(Double.NaN);
    }

    /** @return the largest B/op of a candidate's rows. */
    static double worstBytes(final Results results, final String benchmark, final String candidate)
    {
        return results.of(benchmark).stream().filter(r -> r.candidate().equals(candidate) && !r.method().equals("singleRoundTrip"))
            .mapToDouble(Results.Result::bytesPerOp).max().orElse(Double.NaN);
    }

    private static void recommend(final ReportPage page, final String benchmark, final String baton, final String tradeOffs)
    {
        final int threads = 4;
        final Optional<Results.Result> fastest = page.results().of(benchmark).stream()
            .filter(r -> r.threads() == threads).min(Comparator.comparingDouble(Results.Result::score));
        final Optional<Results.Result> ours = page.results().find(benchmark, null, baton, threads);
        if (fastest.isPresent() && ours.isPresent())
        {
            final Results.Result best = fastest.get();
            page.printf("**Recommendation.** At %d threads the fastest candidate is `%s` (%s ns/op, %s B/op). `%s` takes %s ns/op " +
                "(%.2f× the fastest) and %s B/op. %s%n%n",
                threads, best.candidate(), fmt(best.score()), fmt(best.bytesPerOp()), baton, fmt(ours.get().score()),
                ours.get().score() / best.score(), fmt(ours.get().bytesPerOp()), tradeOffs);
        }
    }
}
