package dev.baton;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import dev.baton.internal.layout.DispatchRingDescriptor;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.testing.DoublingLedger;
import dev.baton.testing.HandlerProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.baton.testing.HandlerProcesses.channelFile;
import static dev.baton.testing.HandlerProcesses.inSharedMemory;
import static dev.baton.testing.HandlerProcesses.servedBy;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Java host with C handler processes (tests/c/handler_process.c) that attach to its channel file
 * by path: every event completed or timed out exactly once, also when a handler process is killed
 * midway; the close wakes the survivors, removes the file and does not wait for the dead. And the
 * other way round: a C host process (tests/c/host_process.c) served by Java handlers that attach.
 * Crash trials kill a handler process at each dangerous instant (tests/c/fault_hooks.c): the ledger
 * still balances and a process started afterwards serves.
 */
class CrossProcessTest
{
    private static final int EVENTS = 20_000;

    private static List<Process> startHandlers(final Path path, final int processes, final int silentPerMille)
        throws IOException
    {
        final List<Process> started = new ArrayList<>();
        for (int i = 0; i < processes; i++)
        {
            started.add(HandlerProcesses.start(path, 2, silentPerMille, null));
        }
        return started;
    }

    @Test
    void handlerProcessesAttachByPathAndTheLedgerBalances() throws Exception
    {
        HandlerProcesses.program("baton_handler_process"); // before the channel file, which a skip would leave
        final Path path = channelFile("ledger");
        final DispatchChannel channel = DispatchChannel.builder()
            .slabCapacity(64).completionTimeout(Duration.ofMillis(50)).file(path).build();
        final Path file = inSharedMemory(path);
        assertTrue(Files.exists(file));
        final List<Process> handlers = startHandlers(path, 2, 5);
        final DoublingLedger ledger = DoublingLedger.serve(channel, EVENTS, () -> { });
        channel.close();
        long served = 0;
        for (final Process handler : handlers)
        {
            served += servedBy(handler);
        }
        ledger.assertBalanced();
        assertEquals(ledger.count(DoublingLedger.COMPLETED), served, "the handler processes' own count of completions");
        assertTrue(ledger.count(DoublingLedger.TIMED_OUT) > 0, "the silent share timed out");
        assertFalse(Files.exists(file), "close removed the channel file");
    }

    @Test
    void aHandlerProcessKilledMidwayLosesNothingAndDoesNotDelayTheClose() throws Exception
    {
        HandlerProcesses.program("baton_handler_process");
        final Path path = channelFile("kill");
        final DispatchChannel channel = DispatchChannel.builder()
            .slabCapacity(64).completionTimeout(Duration.ofMillis(50)).file(path).build();
        final List<Process> handlers = startHandlers(path, 3, 5);
        final Process victim = handlers.get(0);
        final DoublingLedger ledger = DoublingLedger.serve(channel, EVENTS, () -> victim.destroyForcibly());
        assertTrue(victim.waitFor(60, TimeUnit.SECONDS));
        channel.close();
        for (final Process survivor : handlers.subList(1, handlers.size()))
        {
            servedBy(survivor);
        }
        ledger.assertBalanced();
    }

    @ParameterizedTest
    @CsvSource({"poll-taken, 3", "holding, 3", "complete-claimed, 3", "complete-moved, 3", "asleep, 1", "yielding, 3"})
    void aHandlerKilledAtADangerousInstantLosesNothingAndANewOneTakesOver(final String point, final int hit)
        throws Exception
    {
        killedAt(point, hit, DispatchChannel.builder().slabCapacity(64).completionTimeout(Duration.ofMillis(50)))
            .assertBalanced();
    }

    /**
     * With a completion timeout no test waits for, only the reaper can settle what the dead handler
     * left: the cell it took, the record it left in progress, the events it held (reported timed out,
     * or dispatched again to the new process), its sleep. Without the reaper the ledger stays open
     * until the test gives up.
     */
    @ParameterizedTest
    @CsvSource({"poll-taken, 3, 0", "holding, 3, 0", "holding, 3, 1", "complete-claimed, 3, 0",
        "complete-moved, 3, 0", "asleep, 1, 0", "yielding, 3, 0"})
    void whatADeadHandlerLeftIsSettledByTheReaperBeforeAnyTimeout(
        final String point, final int hit, final int redeliveryLimit) throws Exception
    {
        final DoublingLedger ledger = killedAt(point, hit, DispatchChannel.builder()
            .slabCapacity(64).completionTimeout(Duration.ofHours(1)).redeliveryLimit(redeliveryLimit));
        ledger.assertBalanced();
        if (redeliveryLimit > 0)
        {
            assertEquals(0, ledger.count(DoublingLedger.TIMED_OUT), "the held events went to the new process");
        }
        if (point.equals("holding") && redeliveryLimit == 0)
        {
            assertTrue(ledger.count(DoublingLedger.TIMED_OUT) > 0, "the held events were reported timed out");
        }
    }

    /**
     * A handler process killed by the fault hook at the hit-th time it reaches the instant, and a new
     * one started once it died, serving a channel built in a file; the channel is closed at the end.
     */
    private static DoublingLedger killedAt(final String point, final int hit, final DispatchChannelBuilder builder)
        throws Exception
    {
        HandlerProcesses.program("baton_handler_process_faults");
        final Path path = channelFile("fault-" + point);
        final DispatchChannel channel = builder.file(path).build();
        final Process victim = HandlerProcesses.start(path, 1, 0, point + ":" + hit); // SIGKILLed at that instant
        if (point.equals("asleep"))
        {
            // Nothing is dispatched yet, so it goes to sleep, and dies there, counted as a sleeper.
            assertTrue(victim.waitFor(60, TimeUnit.SECONDS));
        }
        // The victim serves alone until it dies, so it surely reaches its instant; then a new
        // process attaches and serves every event.
        final CompletableFuture<Process> survivor = victim.onExit().thenApply(dead -> {
            try
            {
                return HandlerProcesses.start(path, 2, 0, null);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        });
        final DoublingLedger ledger = DoublingLedger.serve(channel, 5_000, () -> { });
        assertTrue(victim.waitFor(60, TimeUnit.SECONDS));
        assertEquals(128 + 9, victim.exitValue(), "the fault hook killed the handler at " + point);
        channel.close();
        servedBy(survivor.get(60, TimeUnit.SECONDS));
        return ledger;
    }

    @Test
    void aCHostProcessIsServedByJavaHandlersThatAttachByPath() throws Exception
    {
        final Path program = HandlerProcesses.program("baton_host_process");
        final Path file = inSharedMemory(channelFile("c-host"));
        final Process host = new ProcessBuilder(program.toString(), file.toString(), String.valueOf(EVENTS))
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final BufferedReader output = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", output.readLine());
        final DispatchChannel channel = DispatchChannel.open(file);
        final AtomicLong served = new AtomicLong();
        final List<Thread> handlers = new ArrayList<>();
        for (int h = 0; h < 2; h++)
        {
            final Poller poller = channel.newPoller();
            handlers.add(Thread.ofPlatform().start(() ->
            {
                final MemorySegment number = MemorySegment.ofArray(new long[1]);
                final MemorySegment answer = MemorySegment.ofArray(new long[1]);
                final EventHandler doubler = event -> {
                    if (event.readPayload(number, 0) != Long.BYTES)
                    {
                        return;
                    }
                    answer.set(JAVA_LONG, 0, 2 * number.get(JAVA_LONG, 0));
                    int status;
                    while ((status = poller.complete(event.handle(), 200, answer)) == ErrorCode.ENOBUFS)
                    {
                        Thread.onSpinWait();
                    }
                    served.addAndGet(status == ErrorCode.OK ? 1 : 0);
                };
                while (poller.pollBatch(doubler, 16) != ErrorCode.ESHUTDOWN)
                {
                    poller.awaitEvents(Duration.ofMillis(100));
                }
            }));
        }
        final String ledger = output.readLine();
        assertTrue(host.waitFor(120, TimeUnit.SECONDS));
        for (final Thread handler : handlers)
        {
            handler.join(); // each saw the C host's close as ESHUTDOWN
        }
        channel.close();
        assertEquals(0, host.exitValue(), ledger);
        assertEquals("ledger dispatched " + EVENTS + " completed " + served.get() + " timed_out " +
            (EVENTS - served.get()) + " lost 0 duplicated 0 wrong 0", ledger);
        assertTrue(served.get() > 0, "the Java handlers served");
    }

    @Test
    void aHostThatDiesIsNoticedByJavaHandlersAndAdoptedAndEveryEventIsReportedOnce() throws Exception
    {
        final int events = 48;
        final Path program = HandlerProcesses.program("baton_host_process");
        final Path file = inSharedMemory(channelFile("c-host-dies"));
        final Process host = new ProcessBuilder(program.toString(), file.toString(), String.valueOf(events), "dies")
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final BufferedReader output = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", output.readLine());
        assertEquals("dispatched " + events, output.readLine());
        assertTrue(host.waitFor(60, TimeUnit.SECONDS));
        final DispatchChannel handler = DispatchChannel.open(file);
        final Poller poller = handler.newPoller();
        final MemorySegment number = MemorySegment.ofArray(new long[1]);
        final MemorySegment answer = MemorySegment.ofArray(new long[1]);
        final EventHandler doubler = event -> {
            assertEquals(Long.BYTES, event.readPayload(number, 0));
            answer.set(JAVA_LONG, 0, 2 * number.get(JAVA_LONG, 0));
            assertEquals(ErrorCode.OK, poller.complete(event.handle(), 200, answer));
        };
        int served = 0;
        int waited;
        do
        {
            served += Math.max(0, poller.pollBatch(doubler, 16));
            waited = poller.awaitEvents(Duration.ofMillis(100));
        }
        while (waited != ErrorCode.EHOSTDOWN);
        assertEquals(events, served, "every event was served before the wait found the host gone");

        final DispatchChannel adopter = DispatchChannel.adopt(file);
        assertThrows(IllegalStateException.class, () -> DispatchChannel.adopt(file), "the adopter lives");
        final int[] reported = new int[events];
        while (IntStream.of(reported).sum() < events)
        {
            adopter.outcomeDrain().drain(outcome -> {
                assertEquals(200, outcome.status());
                reported[(int)outcome.eventIdLo()]++;
            }, 64);
        }
        assertArrayEquals(IntStream.generate(() -> 1).limit(events).toArray(), reported,
            "every event reported exactly once, to the adopter");
        handler.close();
        adopter.close();
        assertFalse(Files.exists(file), "the adopter's close removes the file");
    }

    @Test
    void anAttachmentThatLeavesAChannelOthersStillUseHandsBackTheSlotsItsDrainsKept()
    {
        final Path path = channelFile("kept");
        final int slots = 128; // each thread's magazine keeps two past a drain (a 64th of the slab)
        try (DispatchChannel host = DispatchChannel.builder().slabCapacity(slots).file(path).build())
        {
            final DispatchChannel opener = DispatchChannel.open(inSharedMemory(path));
            final Poller poller = opener.newPoller();
            final Dispatcher dispatcher = host.dispatcher();
            for (int id = 0; id < slots; id++)
            {
                assertTrue(dispatcher.dispatch(0, id, 0, 0, 1, MemorySegment.NULL) > 0, "dispatch " + id);
            }
            assertEquals(3, poller.pollBatch(event -> assertEquals(ErrorCode.OK, poller.complete(event.handle(), 200, MemorySegment.NULL)), 3));
            final OutcomeDrain drain = opener.outcomeDrain();
            // This thread's magazine in the opener keeps the slots its drains free once it dispatches
            // through the opener too.
            assertEquals(1, drain.drain(outcome -> { }, 1));
            assertTrue(opener.dispatcher().dispatch(0, slots, 0, 0, 1, MemorySegment.NULL) > 0);
            assertEquals(2, drain.drain(outcome -> { }, 2), "this attachment's drain keeps both");
            assertEquals(ErrorCode.EAGAIN, dispatcher.dispatch(0, slots + 1, 0, 0, 1, MemorySegment.NULL));
            opener.close();
            assertTrue(dispatcher.dispatch(0, slots + 2, 0, 0, 1, MemorySegment.NULL) > 0, "handed back as it left");
            assertTrue(dispatcher.dispatch(0, slots + 3, 0, 0, 1, MemorySegment.NULL) > 0);
            assertEquals(ErrorCode.EAGAIN, dispatcher.dispatch(0, slots + 4, 0, 0, 1, MemorySegment.NULL));
        }
    }

    @Test
    void aScribbledDispatchRingIndexIsRepairedByTheReaperAndNoEventIsLostOrDuplicated()
    {
        final DispatchChannel host = DispatchChannel.builder().slabCapacity(8).file(channelFile("scribbled")).build();
        final MemorySegment memory = host.memory();
        final long ring = (long)HeaderDescriptor.DISPATCH_RING_OFFSET_HANDLE.get(memory, 0L);
        final Dispatcher dispatcher = host.dispatcher();
        for (int id = 0; id < 3; id++)
        {
            assertTrue(dispatcher.dispatch(0, id, 0, 0, 1, MemorySegment.NULL) > 0);
        }
        // Another process writes a random word over the producer index: the ring reads as full.
        memory.set(JAVA_LONG, ring + DispatchRingDescriptor.PRODUCER_INDEX_OFFSET, 0x5DEE_CE66_0BAD_F00DL);
        assertEquals(ErrorCode.ENOSPC, dispatcher.dispatch(0, 3, 0, 0, 1, MemorySegment.NULL));
        host.reap(); // audits the ring: the index goes back to where the cells place it
        for (int id = 3; id < 6; id++)
        {
            assertTrue(dispatcher.dispatch(0, id, 0, 0, 1, MemorySegment.NULL) > 0, "dispatch " + id);
        }
        final Poller poller = host.newPoller();
        int served = 0;
        while (poller.pollBatch(event -> assertEquals(ErrorCode.OK, poller.complete(event.handle(), 200, MemorySegment.NULL)), 16) > 0)
        {
            served++;
        }
        final int[] reported = new int[6];
        host.outcomeDrain().drain(outcome -> reported[(int)outcome.eventIdLo()]++, 16);
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1}, reported, "each event served and reported once");
        assertTrue(served > 0);
        host.close();
    }

    @Test
    void attachingRefusesWhatIsNoChannelAndSeesTheOwnersClose()
    {
        final Path path = channelFile("attach");
        assertThrows(IllegalArgumentException.class, () -> DispatchChannel.open(path), "no such file");
        final DispatchChannel owner = DispatchChannel.builder().slabCapacity(4).file(path).build();
        assertThrows(IllegalStateException.class, () -> DispatchChannel.builder().slabCapacity(4).file(path).build(),
            "a file exists at the path");
        assertTrue(Files.exists(inSharedMemory(path)), "the refused creation left the existing channel's file alone");
        final DispatchChannel handler = DispatchChannel.open(path);
        final long handle = owner.dispatcher().dispatch(0, 1, 0, 0, 1, MemorySegment.NULL);
        final Poller poller = handler.newPoller();
        assertEquals(handle, poller.poll().handle());
        assertEquals(ErrorCode.OK, poller.complete(handle, 200, MemorySegment.NULL));
        assertEquals(1, owner.outcomeDrain().drain(completion -> { }, 16));
        owner.close();
        assertEquals(ErrorCode.ESHUTDOWN, poller.pollBatch(event -> { }, 16), "the owner's close reaches this process");
        handler.close();
    }
}
