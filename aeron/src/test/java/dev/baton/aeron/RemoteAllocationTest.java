package dev.baton.aeron;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.EventHandler;
import dev.baton.OutcomeHandler;
import dev.baton.Poller;
import dev.baton.testing.AllocationMeter;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge's hot path allocates nothing: on one thread, the host dispatches, the bridge's duty
 * cycle forwards, the node's dispatches into its channel, a handler completes, the node's sends the
 * outcome back and the bridge's completes it, and the host drains; across thousands of events,
 * traced and not, the JVM's count of bytes this thread allocated does not move. This counts bytes,
 * not time. The bridge and the node share the application's Aeron client. (Aeron's own threads, the media driver's and the clients' conductors, are not ours.)
 */
class RemoteAllocationTest
{
    private static final int EVENTS = 20_000;

    private long answered;

    @Test
    void eventsThroughTheBridgeAllocateNothing()
    {
        try (MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
             DispatchChannel host = DispatchChannel.builder().slabCapacity(64).completionTimeout(Duration.ofSeconds(30)).build();
             DispatchChannel local = DispatchChannel.builder().slabCapacity(64).completionTimeout(Duration.ofSeconds(30)).build();
             Aeron client = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
             Arena arena = Arena.ofConfined())
        {
            // One client for both, the application's: they neither make one nor close it.
            // A lease that cannot lapse however long the machine starves this thread: a lost node's
            // path (a JFR event, a new publication) allocates, and is not the per-event path measured here
            final RemoteHandlers bridge = RemoteHandlers.builder(host)
                .listen("aeron:ipc", 7100).transport(AeronTransport.client(client)).lease(Duration.ofHours(1)).build();
            final RemoteNode node = RemoteNode.builder(local).host("aeron:ipc", 7100).listen("aeron:ipc", 7101)
                .transport(AeronTransport.client(client)).build();
            final MemorySegment payload = arena.allocate(Long.BYTES, 8);
            final MemorySegment number = arena.allocate(Long.BYTES, 8);
            final MemorySegment result = arena.allocate(Long.BYTES, 8);
            final Poller poller = local.newPoller();
            final EventHandler handler = event ->
            {
                event.copyPayloadTo(number, 0);
                result.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, EchoHandler.answerTo(number.get(ValueLayout.JAVA_LONG_UNALIGNED, 0)));
                assertEquals(ErrorCode.OK, poller.complete(event.handle(), EchoHandler.ANSWERED, result, 7));
            };
            final OutcomeHandler check = outcome ->
            {
                outcome.copyResultTo(number, 0);
                if (number.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) == EchoHandler.answerTo(outcome.eventIdLo()))
                {
                    answered++;
                }
            };
            final long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!bridge.leases().containsKey(node.nodeId())) // the first round's events wait for its heartbeat
            {
                bridge.doWork();
                node.doWork();
                assertTrue(System.nanoTime() - giveUp < 0, "hung: the node never joined");
            }
            final long[] sent = {0};
            final long bytes = AllocationMeter.steadyStateBytes(() ->
            {
                for (int i = 0; i < EVENTS; i++)
                {
                    payload.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, sent[0]);
                    final long handle = i % 2 == 0
                        ? host.dispatcher().dispatch(0, sent[0], 0, 0, 1, payload)
                        : host.dispatcher().dispatch(0, sent[0], 0, 0, 1, payload, 0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L, 0x00f067aa0ba902b7L, 1);
                    assertTrue(handle > 0);
                    sent[0]++;
                    while (answered < sent[0])
                    {
                        bridge.doWork();
                        node.doWork();
                        poller.pollBatch(handler, 16);
                        host.outcomeDrain().drain(check, 16);
                    }
                }
            });
            assertEquals(0, bytes, "bytes allocated by " + EVENTS + " events through the bridge");
            assertEquals(sent[0], answered, "every event answered, with its own answer");
            assertEquals(sent[0], bridge.metrics().outcomesAccepted());
            node.close();
            bridge.close();
            assertFalse(client.isClosed(), "the application's client stays open");
        }
    }

}
