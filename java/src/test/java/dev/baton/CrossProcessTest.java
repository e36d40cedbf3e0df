package dev.baton;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.baton.internal.ffi.NativeLibrary;
import dev.baton.testing.DoublingLedger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Java host with C handler processes (tests/c/handler_process.c) that attach to its channel file
 * by path: every event completed or timed out exactly once, also when a handler process is killed
 * midway; the close wakes the survivors, removes the file and does not wait for the dead.
 */
class CrossProcessTest
{
    private static final int EVENTS = 20_000;

    private static Path handlerProcess()
    {
        final Path program = NativeLibrary.beside("baton_handler_process");
        if (Boolean.getBoolean("baton.handler.pools.required"))
        {
            assertTrue(Files.isExecutable(program), program + " must be built for this test (make handler-pools)");
        }
        Assumptions.assumeTrue(Files.isExecutable(program), program + " is not built: run make handler-pools");
        return program;
    }

    private static Path channelFile(final String name)
    {
        return Path.of("baton-test-" + ProcessHandle.current().pid() + "-" + name + "-" + System.nanoTime());
    }

    /** Where a relative channel path goes, as the builder places it. */
    private static Path inSharedMemory(final Path path)
    {
        return Path.of("/dev/shm").resolve(path);
    }

    private static List<Process> startHandlers(final Path path, final int processes) throws IOException
    {
        final List<Process> started = new ArrayList<>();
        for (int i = 0; i < processes; i++)
        {
            started.add(new ProcessBuilder(handlerProcess().toString(), inSharedMemory(path).toString(), "2", "5")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start());
        }
        return started;
    }

    private static long servedBy(final Process process) throws IOException, InterruptedException
    {
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "a handler process ends once the channel closes");
        assertEquals(0, process.exitValue());
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(output.startsWith("served "), output);
        return Long.parseLong(output.substring("served ".length()));
    }

    @Test
    void handlerProcessesAttachByPathAndTheLedgerBalances() throws Exception
    {
        final Path path = channelFile("ledger");
        final DispatchChannel channel = DispatchChannel.builder()
            .slabCapacity(64).completionTimeout(Duration.ofMillis(50)).file(path).build();
        final Path file = inSharedMemory(path);
        assertTrue(Files.exists(file));
        final List<Process> handlers = startHandlers(path, 2);
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
        final Path path = channelFile("kill");
        final DispatchChannel channel = DispatchChannel.builder()
            .slabCapacity(64).completionTimeout(Duration.ofMillis(50)).file(path).build();
        final List<Process> handlers = startHandlers(path, 3);
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

    @Test
    void attachingRefusesWhatIsNoChannelAndSeesTheOwnersClose()
    {
        final Path path = channelFile("attach");
        assertThrows(IllegalArgumentException.class, () -> DispatchChannel.attach(path), "no such file");
        final DispatchChannel owner = DispatchChannel.builder().slabCapacity(4).file(path).build();
        assertThrows(IllegalStateException.class, () -> DispatchChannel.builder().slabCapacity(4).file(path).build(),
            "a file exists at the path");
        final DispatchChannel handler = DispatchChannel.attach(path);
        final long handle = owner.tryDispatch(0, 1, 0, 0, 1, MemorySegment.NULL);
        final Poller poller = handler.newPoller();
        assertEquals(handle, poller.poll().handle());
        assertEquals(ErrorCode.OK, handler.complete(handle, 200, MemorySegment.NULL));
        assertEquals(1, owner.drainCompletions(completion -> { }, 16));
        owner.close();
        assertEquals(ErrorCode.ESHUTDOWN, poller.drain(event -> { }, 16), "the owner's close reaches this process");
        handler.close();
    }
}
