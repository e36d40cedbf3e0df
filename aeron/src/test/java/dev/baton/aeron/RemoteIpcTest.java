package dev.baton.aeron;

import java.time.Duration;

import dev.baton.DispatchChannel;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host and two nodes in one JVM, over Aeron IPC through one embedded media driver; each node
 * has its own local channel and an {@link EchoHandler} on it. Each test ends with the host's
 * ledger: every event ended exactly once, each completed one with its own answer.
 */
class RemoteIpcTest
{
    private static final int HOST_STREAM = 5100;
    private static final Duration LEASE = Duration.ofMillis(400);

    private MediaDriver driver;
    private DispatchChannel host;

    @BeforeEach
    void launchDriver()
    {
        driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
            .threadingMode(ThreadingMode.SHARED)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
        host = DispatchChannel.builder()
            .slabCapacity(512)
            .redeliveryLimit(2)
            .completionTimeout(Duration.ofSeconds(30))
            .build();
    }

    @AfterEach
    void closeAll()
    {
        host.close();
        driver.close();
    }

    private RemoteHandlers.Builder bridge()
    {
        return RemoteHandlers.builder(host)
            .listen("aeron:ipc", HOST_STREAM)
            .aeronDirectory(driver.aeronDirectoryName())
            .lease(LEASE);
    }

    private static DispatchChannel localChannel()
    {
        return DispatchChannel.builder().slabCapacity(128).completionTimeout(Duration.ofSeconds(30)).build();
    }

    private RemoteNode.Builder node(final DispatchChannel local, final long nodeId)
    {
        return RemoteNode.builder(local)
            .nodeId(nodeId)
            .host("aeron:ipc", HOST_STREAM)
            .listen("aeron:ipc", HOST_STREAM + (int)nodeId)
            .aeronDirectory(driver.aeronDirectoryName());
    }

    private static void awaitNodes(final RemoteHandlers bridge, final int nodes)
    {
        final long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (bridge.metrics().nodes() < nodes)
        {
            assertTrue(System.nanoTime() - giveUp < 0, () -> "hung: nodes never joined: " + bridge.metrics());
            Thread.onSpinWait();
        }
    }

    @Test
    void everyEventEndsOnceThroughTwoNodes() throws Exception
    {
        try (DispatchChannel localA = localChannel();
             DispatchChannel localB = localChannel();
             RemoteHandlers bridge = bridge().start();
             RemoteNode nodeA = node(localA, 1).start();
             RemoteNode nodeB = node(localB, 2).start();
             EchoHandler handlerA = new EchoHandler(localA, "handler-a");
             EchoHandler handlerB = new EchoHandler(localB, "handler-b"))
        {
            awaitNodes(bridge, 2);
            final Ledger ledger = new Ledger(host, 20_000);
            ledger.run(120_000, () -> { });
            ledger.assertBalanced();

            final RemoteMetrics metrics = bridge.metrics();
            assertEquals(20_000, ledger.completedCount(), metrics::toString);
            assertEquals(20_000, metrics.outcomesAccepted(), metrics::toString);
            assertEquals(20_000, metrics.eventsSent(), metrics::toString);
            assertEquals(0, metrics.zombieOutcomesRefused(), metrics::toString);
            assertEquals(0, metrics.leasesLost(), metrics::toString);
            assertTrue(handlerA.answered() > 0 && handlerB.answered() > 0,
                () -> "both nodes served: " + handlerA.answered() + ", " + handlerB.answered());
            assertTrue(nodeA.epoch() != nodeB.epoch() && nodeA.epoch() > 0 && nodeB.epoch() > 0);
        }
    }

    @Test
    void aLostNodesEventsGoToTheOtherAndEndOnce() throws Exception
    {
        try (DispatchChannel localA = localChannel();
             DispatchChannel localB = localChannel();
             RemoteHandlers bridge = bridge().start();
             RemoteNode nodeB = node(localB, 2).start();
             EchoHandler handlerA = new EchoHandler(localA, "handler-a");
             EchoHandler handlerB = new EchoHandler(localB, "handler-b"))
        {
            final PausableAgent nodeA = new PausableAgent(node(localA, 1).build());
            awaitNodes(bridge, 2);
            final Ledger ledger = new Ledger(host, 10_000);
            final boolean[] died = new boolean[1];
            ledger.run(120_000, () ->
            {
                if (!died[0] && handlerA.answered() > 500)
                {
                    handlerA.pause(); // events pile up in A's channel, then A dies holding them
                    if (localA.metrics().pendingCount() > 0)
                    {
                        died[0] = true;
                        halt(nodeA);
                    }
                }
            });
            ledger.assertBalanced();

            final RemoteMetrics metrics = bridge.metrics();
            assertTrue(died[0]);
            assertNull(nodeA.failure());
            assertEquals(1, metrics.leasesLost(), metrics::toString);
            assertTrue(metrics.redeliveries() > 0, metrics::toString);
            assertEquals(10_000, ledger.completedCount(), metrics::toString);
            assertEquals(1, metrics.nodes(), metrics::toString);
            assertTrue(nodeB.epoch() > 0 && handlerB.answered() > 0, "B holds its lease and served A's events");
            nodeA.close();
        }
    }

    @Test
    void aZombiesOutcomesAreRefusedAndEachEventEndsOnce() throws Exception
    {
        try (DispatchChannel localA = localChannel();
             DispatchChannel localB = localChannel();
             RemoteHandlers bridge = bridge().start();
             RemoteNode nodeB = node(localB, 2).start();
             EchoHandler handlerA = new EchoHandler(localA, "handler-a");
             EchoHandler handlerB = new EchoHandler(localB, "handler-b"))
        {
            final PausableAgent nodeA = new PausableAgent(node(localA, 1).build());
            awaitNodes(bridge, 2);
            final Ledger ledger = new Ledger(host, 10_000);
            final int[] phase = new int[1];
            ledger.run(120_000, () ->
            {
                if (phase[0] == 0 && handlerA.answered() > 500)
                {
                    handlerA.pause(); // events pile up in A's channel
                    phase[0] = 1;
                }
                else if (phase[0] == 1 && localA.metrics().pendingCount() > 0)
                {
                    nodeA.pause(); // as SIGSTOP: A's handler answers what A holds, and A sends nothing
                    handlerA.resume();
                    phase[0] = 2;
                }
                else if (phase[0] == 2 && bridge.metrics().leasesLost() == 1)
                {
                    nodeA.resume(); // A's answers now name a lease that ended
                    phase[0] = 3;
                }
            });
            ledger.assertBalanced();
            awaitNodes(bridge, 2); // A asks for a lease again, and gets a new epoch

            final RemoteMetrics metrics = bridge.metrics();
            assertEquals(3, phase[0]);
            assertTrue(metrics.zombieOutcomesRefused() > 0, metrics::toString);
            assertEquals(10_000, ledger.completedCount(), metrics::toString);
            assertEquals(10_000, metrics.outcomesAccepted(), metrics::toString);
            assertTrue(nodeB.epoch() > 0 && handlerB.answered() > 0, "B holds its lease and served A's events");
            nodeA.close();
            assertNull(nodeA.failure());
        }
    }

    private static void halt(final PausableAgent agent)
    {
        try
        {
            agent.halt();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
