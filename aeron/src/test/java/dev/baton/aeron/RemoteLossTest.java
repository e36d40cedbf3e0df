package dev.baton.aeron;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.baton.DispatchChannel;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.ext.DebugReceiveChannelEndpoint;
import io.aeron.driver.ext.LossGenerator;
import io.aeron.driver.ext.RandomLossGenerator;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host and a node over UDP on 127.0.0.1 through one media driver whose receiving side drops a
 * tenth of the data frames at random (Aeron's debug loss generator), both ways. Aeron's NAKs and
 * retransmits repair the streams; the ledger must balance with no lease lost.
 */
class RemoteLossTest
{
    private static final int EVENTS = 5_000;

    /** Aeron's random loss, counted: the test checks frames were dropped. */
    private static final class CountedLoss implements LossGenerator
    {
        private final RandomLossGenerator random = new RandomLossGenerator(0.1, 42);
        private final AtomicLong dropped = new AtomicLong();

        @Override
        public boolean shouldDropFrame(final InetSocketAddress address, final UnsafeBuffer buffer, final int length)
        {
            final boolean drop = random.shouldDropFrame(address, buffer, length);
            if (drop)
            {
                dropped.incrementAndGet();
            }
            return drop;
        }
    }

    @Test
    void lostFramesAreRepairedAndEveryEventEndsOnce() throws Exception
    {
        final String hostChannel = Ports.freeLoopbackChannel();
        final CountedLoss dataLoss = new CountedLoss();
        final LossGenerator noControlLoss = (address, buffer, length) -> false;
        try (MediaDriver driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                .threadingMode(ThreadingMode.SHARED)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .receiveChannelEndpointSupplier((channel, dispatcher, status, context) ->
                    new DebugReceiveChannelEndpoint(channel, dispatcher, status, context, dataLoss, noControlLoss)));
             DispatchChannel host = DispatchChannel.builder()
                 .slabCapacity(256).completionTimeout(Duration.ofSeconds(30)).build();
             DispatchChannel local = DispatchChannel.builder()
                 .slabCapacity(128).completionTimeout(Duration.ofSeconds(30)).build();
             RemoteHandlers bridge = RemoteHandlers.builder(host)
                 .listen(hostChannel, 4100)
                 .transport(AeronTransport.runningDriver(driver.aeronDirectoryName()))
                 .start())
        {
            try (RemoteNode node = RemoteNode.builder(local)
                     .nodeId(1)
                     .host(hostChannel, 4100)
                     .listen(Ports.freeLoopbackChannel(), 4101)
                     .transport(AeronTransport.runningDriver(driver.aeronDirectoryName()))
                     .start();
                 EchoHandler handler = new EchoHandler(local, "echo-handler"))
            {
                final RemoteMetrics metrics = Ledger.completeEveryEventThrough(bridge, host, EVENTS);
                assertTrue(handler.answered() >= EVENTS, metrics::toString); // more if a lapsed lease sent some again
                assertTrue(dataLoss.dropped.get() > 0, "the loss generator dropped frames");
                assertTrue(node.epoch() > 0);
                System.out.println("with " + dataLoss.dropped.get() + " frames dropped: " + metrics);
            }
        }
    }
}
