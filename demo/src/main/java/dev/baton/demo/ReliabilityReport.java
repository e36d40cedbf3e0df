package dev.baton.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@code docs/reports/reliability.md} from the last runs: jcstress's report pages (every outcome it
 * observed, with its classification), libFuzzer's log (executions, coverage, corpus) and the soak's
 * figures. Nothing in it is typed by hand but the list of fault tests and what they inject.
 * Usage: {@code ReliabilityReport JCSTRESS_REPORT_DIR FUZZ_LOG SOAK_MD OUTPUT.md}.
 */
public final class ReliabilityReport
{
    private static final Pattern OUTCOME_ID = Pattern.compile("<th nowrap align='center'>([^<]*)</th>");
    private static final Pattern ROW = Pattern.compile("<tr[^>]*>(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL);
    private static final Pattern FUZZ_DONE = Pattern.compile("Done (\\d+) runs in (\\d+) second");
    private static final Pattern FUZZ_STATUS = Pattern.compile("cov: (\\d+) ft: (\\d+) corp: (\\d+)/");

    private ReliabilityReport()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length != 4)
        {
            System.err.println("usage: ReliabilityReport JCSTRESS_REPORT_DIR FUZZ_LOG SOAK_MD OUTPUT.md");
            System.exit(2);
        }
        final StringBuilder out = new StringBuilder();
        out.append("# Reliability: what was tried and what survived\n\n");
        out.append(String.format(Locale.ROOT, "Written by `make reliability` on %s from the last runs on this machine " +
            "(%d cores, Java %s).%n%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version")));
        jcstress(Path.of(args[0]), out);
        fuzz(Path.of(args[1]), out);
        faults(out);
        final Path soak = Path.of(args[2]);
        out.append("## Soak\n\n");
        if (Files.exists(soak))
        {
            final String text = Files.readString(soak);
            out.append(text.substring(text.indexOf('\n') + 1).trim()).append("\n");
        }
        else
        {
            out.append("Not run yet: `make soak`.\n");
        }
        Files.writeString(Path.of(args[3]), out.toString());
        System.out.print(out);
    }

    private static void jcstress(final Path reportDir, final StringBuilder out) throws IOException
    {
        out.append("## jcstress\n\n");
        if (!Files.isDirectory(reportDir))
        {
            out.append("Not run yet: `make test` (quick mode) or `make stress`.\n\n");
            return;
        }
        out.append("From the last jcstress run: quick mode if it was `make test`, the default mode if it was `make stress`. ");
        out.append("Each test runs under jcstress's JVM configurations (interpreter, C1, C2 and their stress modes); ");
        out.append("the counts add up all of them. An outcome classified forbidden must never be observed.\n\n");
        out.append("| test | outcome | classification | observed |\n|---|---|---|---|\n");
        long forbiddenSeen = 0;
        long tests = 0;
        try (var pages = Files.list(reportDir))
        {
            for (final Path page : pages.filter(p -> p.getFileName().toString().startsWith("dev.baton.")).sorted().toList())
            {
                tests++;
                final String html = Files.readString(page);
                final List<String> ids = new ArrayList<>();
                final Matcher id = OUTCOME_ID.matcher(html);
                while (id.find())
                {
                    ids.add(id.group(1));
                }
                final Map<String, Long> counts = new LinkedHashMap<>();
                final Map<String, String> expectations = new LinkedHashMap<>();
                ids.forEach(outcome -> counts.put(outcome, 0L));
                final Matcher row = ROW.matcher(html);
                while (row.find())
                {
                    final List<String> cells = new ArrayList<>();
                    final Matcher cell = CELL.matcher(row.group(1));
                    while (cell.find())
                    {
                        cells.add(cell.group(1).replaceAll("<[^>]+>", "").trim());
                    }
                    if (cells.size() < ids.size())
                    {
                        continue;
                    }
                    final List<String> tail = cells.subList(cells.size() - ids.size(), cells.size());
                    if (tail.stream().allMatch(c -> c.matches("[\\d,]+")))
                    {
                        for (int i = 0; i < ids.size(); i++)
                        {
                            counts.merge(ids.get(i), Long.parseLong(tail.get(i).replace(",", "")), Long::sum);
                        }
                    }
                    else if (tail.stream().allMatch(c -> c.matches("Acceptable|Forbidden|Interesting")) && expectations.isEmpty())
                    {
                        for (int i = 0; i < ids.size(); i++)
                        {
                            expectations.put(ids.get(i), tail.get(i));
                        }
                    }
                }
                final String name = page.getFileName().toString().replace("dev.baton.", "").replace(".html", "");
                for (final Map.Entry<String, Long> outcome : counts.entrySet())
                {
                    final String expectation = expectations.getOrDefault(outcome.getKey(), "?");
                    if (expectation.equals("Forbidden"))
                    {
                        forbiddenSeen += outcome.getValue();
                    }
                    out.append(String.format(Locale.ROOT, "| %s | `%s` | %s | %,d |%n", name, outcome.getKey(), expectation,
                        outcome.getValue()));
                }
            }
        }
        out.append(String.format(Locale.ROOT, "%n%d tests; forbidden outcomes observed: %,d.%n%n", tests, forbiddenSeen));
    }

    private static void fuzz(final Path log, final StringBuilder out) throws IOException
    {
        out.append("## Fuzzing the C API\n\n");
        if (!Files.exists(log))
        {
            out.append("Not run yet: `make fuzz`.\n\n");
            return;
        }
        final String text = Files.readString(log);
        final Matcher done = FUZZ_DONE.matcher(text);
        String cov = "?";
        String corpus = "?";
        final Matcher status = FUZZ_STATUS.matcher(text);
        while (status.find())
        {
            cov = status.group(1);
            corpus = status.group(3);
        }
        final boolean crashed = text.contains("ERROR: AddressSanitizer") || text.contains("runtime error") ||
            text.contains("deadly signal") || text.contains("==ERROR");
        out.append("libFuzzer drives `tests/fuzz/fuzz_channel.c`: fresh channels, corrupted or foreign headers before ");
        out.append("`baton_attach`, and arbitrary sequences of every operation with arbitrary handles, lengths and values, ");
        out.append("under AddressSanitizer and UndefinedBehaviorSanitizer.\n\n");
        out.append("| figure | value |\n|---|---|\n");
        if (done.find())
        {
            out.append(String.format(Locale.ROOT, "| executions | %,d |%n| seconds | %s |%n", Long.parseLong(done.group(1)),
                done.group(2)));
        }
        out.append(String.format(Locale.ROOT, "| coverage (edges) | %s |%n| corpus inputs | %s |%n| crashes or sanitizer reports | %s |%n%n",
            cov, corpus, crashed ? "YES: see target/fuzz/" : "none"));
        out.append("The operations include scribbles: a word written anywhere in the channel after attach (or in its ");
        out.append("attachment table, then a reap), as a broken process sharing the file could. Every call must still ");
        out.append("return a documented code, with no sanitizer report and no call that does not end (libFuzzer's ");
        out.append("timeout, 5 s). `make scribble` checks more: that a scribbled dispatch ring loses no event.\n\n");
    }

    private static void faults(final StringBuilder out)
    {
        out.append("## Faults injected\n\n| fault | where | what must hold |\n|---|---|---|\n");
        out.append("| a handler that never completes a claimed event | `NativeHandlersTest`, the ledger tests, the soak (silent handlers) | the event times out and is reported once |\n");
        out.append("| the channel closed while native handlers poll | `NativeHandlersTest.closeStopsNativeHandlersAndFreesTheMemoryOnlyAfterTheyDetach` | they get `BATON_ESHUTDOWN`; the memory is freed only after they detach |\n");
        out.append("| use of a channel after close, from Java and C | `DispatchChannelTest`, `tests/c/test_channel.c` | a clear error, no crash |\n");
        out.append("| a full slab, a full dispatch ring, a full completion ring | `DispatchChannelTest`, the ledger tests, `CompletionRingTest` | backpressure codes; nothing lost |\n");
        out.append("| corrupted headers: wrong magic, ABI, sizes; misaligned or short memory | `tests/c/test_channel.c`, the fuzzer | refused at attach |\n");
        out.append("| a cancel racing a handler's claim | `DispatchChannelTest`, `test_cancel_races_with_claim`, jcstress | the cancel succeeds; no `EPROTO` |\n");
        out.append("| a native user attaching while the host closes | jcstress `CloseStress` (libbaton's `baton_attach` against the Java closer) | the attach is refused, or the closer counts it and keeps the memory |\n");
        out.append("| a handler that dies between claiming completion-ring space and committing: after completing the event, before it, and before writing the record header | `AbandonedPublicationTest`, `test_dead_publishers` | after one completion timeout (at least 1 s) the host unblocks the ring: the completed event is reported once with its result, the other times out once, the live handler's completion behind them arrives |\n");
        out.append("| a process whose threads die between claiming dispatch-ring cells and committing them (dispatching, yielding, or dispatching again as a reaper) | `test_liveness` (`cells_claimed_by_a_dead_processs_threads_are_committed_empty`), `test_parts` (`dispatch_ring_alone`), `make crash` (fault points `cell-taken`, `cell-claimed`, `yielded`) | the reaper commits \"no handle\" in each cell marked with the dead attachment's tag, however many of its threads were claiming, and dispatches their events again; a cell taken but not yet marked is committed as it is once a reaper has seen it so for a second; handlers asleep in a wait meanwhile are woken; a living claimant's cell is left alone |\n");
        out.append("| a host process that dies at any moment | `test_host` (C), `CrossProcessTest.aHostThatDiesIsNoticedByJavaHandlersAndAdoptedAndEveryEventIsReportedOnce`, the bindings' host-death tests, `make crash-host` | handlers' waits return `EHOSTDOWN` within about half a second and every serve loop ends; an adopter (`baton_adopt`, `DispatchChannel.adopt`) reaps the old host, recovers the slots it died holding, and drains every outcome once; only an outcome handed to the dead host in the drain it died in comes again |\n");
        out.append("| a word another process scribbled over the dispatch ring (an index, a cell's sequence or handle) | `test_scribbled_dispatch_ring` (300 trials under each sanitizer), `CrossProcessTest.aScribbledDispatchRingIndexIsRepairedByTheReaperAndNoEventIsLostOrDuplicated`, `make scribble` | every `baton_reap`, and a dispatcher that finds the ring full (at most once a second), audits the ring: an index far from its cell is set back to where the cells place it, a sequence no protocol state holds is made full or free; the events it hid are dispatched again or end at their deadline, once |\n");
        out.append("| the head of a free list (the slab's, or a block class's) that another process wrote over | `test_a_scribbled_slab_free_list_is_refused`, `scribbled_free_list_heads_are_refused` (C), `DispatchChannelTest.aScribbledFreeListHeadIsRefusedAsCorruptionNotAsBackpressure`, `test_scribbled_channel` (200 free-list trials under each sanitizer), `make scribble` | the items below the word are lost to the list, those freed later still serve; a dispatch, yield or completion that finds none refuses with `EUCLEAN`, not with backpressure that would never end, and the host lists the events left (`baton_list_events`) |\n");
        out.append("| a slot's state word another process wrote over, over a slot in use or a free one | `test_scribbled_state_words_are_timed_out_by_expiry`, `test_a_word_written_over_a_free_slot_names_no_event`, `test_a_free_word_written_over_an_event_is_timed_out_past_the_patience` (C), `DispatchChannelTest.scribbledStateWordsAreTimedOutByExpiryOnce`, `aWordWrittenOverAFreeSlotNamesNoEvent`, `aFreeWordWrittenOverAnEventIsTimedOutPastThePatience`, `test_scribbled_channel` (200 state-word trials under each sanitizer, half after the drain, one in 16 a FREE word), `make scribble` | expiry times out at once an event under a word no protocol writes (and one YIELDING under a tag no attachment holds), under a generation a handle names, and one under a FREE word with a holder no live attachment holds once its deadline is past by the patience; a slot whose deadline is 0 holds no event, so a word over a free slot is left by expiry, the reaper, the audit and the lists (its last event is not reported again), and the dispatch into it returns `EPROTO` and its event is timed out once; a FREE word with a holder or a bad generation is published under a good one. Each event ends once |\n");
        out.append("| any word of the channel another process wrote over, header and regions alike | `test_scribbled_channel` (200 trials under each sanitizer), `make scribble` | each event ends once or is listed once after a refusal (`EUCLEAN`, or `ESHUTDOWN` for a channel state written over, which reads as closed); an event whose id was written over ends once under the id written |\n");
        out.append("| a node of the Aeron bridge killed, or stopped past its lease and resumed | `RemoteIpcTest`, `RemoteProcessTest`, `make crash-remote` | the host ends its lease, sends its events to other nodes (or leaves them to time out once past the redelivery limit), and refuses every outcome of the ended lease; each event ends once |\n");
        out.append("| frames lost between host and node, and messages the host cannot use | `RemoteLossTest` (a tenth of the data frames dropped), `RemoteRefusalTest` | Aeron repairs the streams; a node of another wire version or a shorter payload limit is refused and counted, a malformed message or a stranger's outcome is dropped and counted |\n");
        out.append("| a handler presumed dead that commits after all | jcstress `UnblockStress`, `CompletionRingTest` | exactly one record is read |\n\n");
    }
}
