package dev.baton.aeron;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import dev.baton.DispatchChannel;
import dev.baton.aeron.internal.WireFormat;
import io.aeron.Aeron;
import io.aeron.Publication;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the host's side refuses, and counts, without harm: a node of another wire version, a node
 * whose channel holds shorter payloads than the host's, messages too short for what they claim, and
 * outcomes for events the bridge never sent. The host's channel keeps working afterwards.
 */
class RemoteRefusalTest
{
    private static final int HOST_STREAM = 6100;

    private MediaDriver driver;
    private DispatchChannel host;
    private RemoteHandlers bridge;
    private Aeron client;
    private Publication toHost;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[256]);

    @BeforeEach
    void start()
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
        host = DispatchChannel.builder().slabCapacity(64).completionTimeout(Duration.ofSeconds(30)).build();
        bridge = RemoteHandlers.builder(host)
            .listen("aeron:ipc", HOST_STREAM)
            .transport(AeronTransport.runningDriver(driver.aeronDirectoryName()))
            .start();
        client = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        toHost = client.addPublication("aeron:ipc", HOST_STREAM);
    }

    @AfterEach
    void close()
    {
        toHost.close();
        client.close();
        bridge.close();
        host.close();
        driver.close();
    }

    private void send(final int length)
    {
        final long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (toHost.offer(message, 0, length) < 0)
        {
            assertTrue(System.nanoTime() - giveUp < 0, "hung: the host's stream never took the message");
            Thread.onSpinWait();
        }
    }

    private static void await(final BooleanSupplier condition, final RemoteHandlers bridge)
    {
        final long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - giveUp < 0, () -> "hung: " + bridge.metrics());
            Thread.onSpinWait();
        }
    }

    @Test
    void aNodeOfAnotherWireVersionIsRefusedOnce()
    {
        final int length = WireFormat.writeHello(message, 0, 9, 1, 16, 7001, host.maxPayloadLength(), "aeron:ipc");
        message.putInt(WireFormat.HELLO_VERSION_OFFSET, WireFormat.VERSION + 1, WireFormat.ORDER);
        send(length);
        send(length); // the node repeats its HELLO: still one refusal
        await(() -> bridge.metrics().nodesRefused() == 1, bridge);
        send(2); // a message after them is still read: too short for any type, and counted so
        await(() -> bridge.metrics().malformedMessages() == 1, bridge);
        assertEquals(1, bridge.metrics().nodesRefused());
        assertEquals(0, bridge.metrics().nodesJoined());
        assertEquals(0, bridge.metrics().nodes());
    }

    @Test
    void aNodeWhoseChannelHoldsShorterPayloadsIsRefused() throws Exception
    {
        try (DispatchChannel small = DispatchChannel.builder()
                 .slabCapacity(16).slotSize(256).withoutBlocks().completionTimeout(Duration.ofSeconds(30)).build();
             RemoteNode node = RemoteNode.builder(small)
                 .host("aeron:ipc", HOST_STREAM)
                 .listen("aeron:ipc", HOST_STREAM + 1)
                 .transport(AeronTransport.runningDriver(driver.aeronDirectoryName()))
                 .start())
        {
            assertTrue(small.maxPayloadLength() < host.maxPayloadLength());
            await(() -> bridge.metrics().nodesRefused() == 1, bridge);
            assertEquals(0, bridge.metrics().nodes());
            assertEquals(0, node.epoch());
        }
    }

    @Test
    void shortMessagesAndStrangersOutcomesAreCountedAndDropped()
    {
        message.putInt(WireFormat.TYPE_OFFSET, WireFormat.OUTCOME, WireFormat.ORDER);
        send(12); // shorter than an OUTCOME's header
        WireFormat.writeOutcomeHeader(message, 0, 1, 123456, 0, 0, 1000);
        send(WireFormat.OUTCOME_RESULT_OFFSET + 8); // names a result longer than it carries
        message.putInt(WireFormat.TYPE_OFFSET, 99, WireFormat.ORDER);
        send(64); // no such type
        await(() -> bridge.metrics().malformedMessages() == 3, bridge);

        WireFormat.writeOutcomeHeader(message, 0, 1, 123456, 0, 0, 0);
        send(WireFormat.OUTCOME_RESULT_OFFSET); // well formed, for an event the bridge never sent
        send(WireFormat.writeExpired(message, 0, 5, 654321));
        await(() -> bridge.metrics().zombieOutcomesRefused() == 2, bridge);
        assertEquals(0, bridge.metrics().outcomesAccepted());
        assertFalse(host.isClosed());
        assertEquals(0, host.metrics().pendingCount());
    }
}
