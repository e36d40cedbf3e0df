package dev.baton;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.baton.testing.DoublingLedger;
import dev.baton.testing.HandlerProcesses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.baton.testing.HandlerProcesses.channelFile;
import static dev.baton.testing.HandlerProcesses.servedBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Java host served by handler processes written in Python, Ruby and Node on this repository's
 * bindings (bindings/python, bindings/ruby, bindings/node), and in Rust on its crate
 * (rust/baton/examples/handler_process.rs), which attach to its channel file by path: every event answered exactly once, and when one process is killed with SIGKILL mid-stream,
 * what it held is dispatched again and a replacement process finishes the run.
 */
class BindingHandlersTest
{
    private static final int EVENTS = 100_000;

    @ParameterizedTest
    @ValueSource(strings = {"python", "ruby", "node", "rust"})
    void twoHandlerProcessesAnswerEveryEventOnce(final String language) throws Exception
    {
        HandlerProcesses.requireBinding(language); // before the channel file, which a skip would leave
        final Path path = channelFile(language + "-ledger");
        final DispatchChannel channel = DispatchChannel.builder()
            .slabCapacity(256).completionTimeout(Duration.ofSeconds(60)).file(path).build();
        final List<Process> handlers = List.of(
            HandlerProcesses.startBinding(language, path, 2), HandlerProcesses.startBinding(language, path, 2));
        final DoublingLedger ledger = DoublingLedger.serve(channel, EVENTS, () -> { });
        channel.close();
        long served = 0;
        for (final Process handler : handlers)
        {
            final long own = servedBy(handler);
            assertTrue(own > 0, "each process served");
            served += own;
        }
        ledger.assertBalanced();
        assertEquals(EVENTS, ledger.count(DoublingLedger.COMPLETED), "every event completed, none timed out");
        assertEquals(EVENTS, served, "the processes' own count of completions");
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "ruby", "node", "rust"})
    void aProcessKilledMidStreamLosesNothingAndAReplacementFinishesTheRun(final String language) throws Exception
    {
        HandlerProcesses.requireBinding(language);
        final Path path = channelFile(language + "-kill");
        final DispatchChannel channel = DispatchChannel.builder()
            .slabCapacity(256).completionTimeout(Duration.ofSeconds(60)).redeliveryLimit(1).file(path).build();
        final Process victim = HandlerProcesses.startBinding(language, path, 2);
        final List<Process> survivors = new ArrayList<>(List.of(HandlerProcesses.startBinding(language, path, 2)));
        final DoublingLedger ledger = DoublingLedger.serve(channel, EVENTS, () -> {
            try
            {
                victim.destroyForcibly(); // SIGKILL, mid-stream
                assertTrue(victim.waitFor(60, TimeUnit.SECONDS));
                survivors.add(HandlerProcesses.startBinding(language, path, 2));
            }
            catch (final Exception ex)
            {
                throw new AssertionError(ex);
            }
        });
        channel.close();
        assertEquals(2, survivors.size(), "a replacement was started");
        final long survivorServed = servedBy(survivors.get(0));
        final long replacementServed = servedBy(survivors.get(1));
        ledger.assertBalanced();
        assertEquals(EVENTS, ledger.count(DoublingLedger.COMPLETED),
            "what the killed process held was dispatched again, well before its timeout");
        assertTrue(replacementServed > 0, "the replacement served part of the run");
        assertTrue(survivorServed + replacementServed < EVENTS, "the killed process had served its share first");
    }
}
