package dev.baton.aeron;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.UUID;

import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.Outcome;
import dev.baton.PolledEvent;
import dev.baton.Poller;
import dev.baton.TraceContext;
import dev.baton.aeron.micrometer.NodeMeterBinder;
import dev.baton.aeron.micrometer.RemoteMeterBinder;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    private RemoteHandlersBuilder bridge()
    {
        return RemoteHandlers.builder(host)
            .listen("aeron:ipc", HOST_STREAM)
            .transport(AeronTransport.runningDriver(driver.aeronDirectoryName()))
            .lease(LEASE);
    }

    private static DispatchChannel localChannel()
    {
        return DispatchChannel.builder().slabCapacity(128).completionTimeout(Duration.ofSeconds(30)).build();
    }

    private RemoteNodeBuilder node(final DispatchChannel local, final long nodeId)
    {
        return RemoteNode.builder(local)
            .nodeId(nodeId)
            .host("aeron:ipc", HOST_STREAM)
            .listen("aeron:ipc", HOST_STREAM + (int)nodeId)
            .transport(AeronTransport.runningDriver(driver.aeronDirectoryName()));
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

    private static void awaitZombieRefusals(final RemoteHandlers bridge)
    {
        final long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (bridge.metrics().zombieOutcomesRefused() == 0)
        {
            assertTrue(System.nanoTime() - giveUp < 0, () -> "hung: no zombie outcome ever arrived: " + bridge.metrics());
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
            final SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new RemoteMeterBinder(bridge, Tags.of("channel", "steps")).bindTo(registry);
            assertEquals(20_000, registry.get("baton.remote.outcomes.accepted").tag("channel", "steps").functionCounter().count());
            assertEquals(metrics.eventsSent(), registry.get("baton.remote.events.sent").functionCounter().count());
            assertTrue(registry.get("baton.remote.nodes.joined").functionCounter().count() >= 2, metrics::toString);
            assertEquals(0, registry.get("baton.remote.events.in.flight").gauge().value());
            assertEquals(20_000, metrics.outcomesAccepted(), metrics::toString);
            // A lease may lapse on a starved machine (its events then go to the other node): each is counted
            assertEquals(20_000 + metrics.redeliveries(), metrics.eventsSent(), metrics::toString);
            assertTrue(metrics.zombieOutcomesRefused() <= metrics.redeliveries(), metrics::toString);
            assertTrue(handlerA.answered() > 0 && handlerB.answered() > 0,
                () -> "both nodes served: " + handlerA.answered() + ", " + handlerB.answered());
            assertTrue(nodeA.epoch() != nodeB.epoch() && nodeA.epoch() > 0 && nodeB.epoch() > 0);

            // The nodes' own counts: every accepted outcome was sent by one, every event dispatched by one.
            final NodeMetrics seenByA = nodeA.metrics();
            final NodeMetrics seenByB = nodeB.metrics();
            assertTrue(seenByA.outcomesSent() + seenByB.outcomesSent() >= metrics.outcomesAccepted(), seenByA + " " + seenByB);
            assertTrue(seenByA.eventsDispatched() + seenByB.eventsDispatched() >= 20_000, seenByA + " " + seenByB);
            assertTrue(seenByA.leasesGranted() >= 1 && seenByB.leasesGranted() >= 1, seenByA + " " + seenByB);
            assertEquals(0, seenByA.payloadsRefused() + seenByB.payloadsRefused() + seenByA.malformedMessages() +
                seenByB.malformedMessages(), seenByA + " " + seenByB);
            new NodeMeterBinder(nodeA, Tags.of("node", "a")).bindTo(registry);
            final double dispatchedMeter = registry.get("baton.node.events.dispatched").tag("node", "a").functionCounter().count();
            // counts only grow: the meter's reading lies between two snapshots taken around it
            assertTrue(seenByA.eventsDispatched() <= dispatchedMeter && dispatchedMeter <= nodeA.metrics().eventsDispatched(),
                () -> dispatchedMeter + " against " + seenByA);
            assertEquals(nodeA.epoch(), registry.get("baton.node.epoch").tag("node", "a").gauge().value(), 0.0);
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
            assertFalse(bridge.leases().containsKey(1L), metrics::toString);
            assertTrue(metrics.leasesLost() >= 1, metrics::toString);
            assertTrue(metrics.redeliveries() > 0, metrics::toString);
            assertEquals(10_000, ledger.completedCount(), metrics::toString);
            assertEquals(10_000 + metrics.redeliveries(), metrics.eventsSent(), metrics::toString);
            assertTrue(nodeB.epoch() > 0 && handlerB.answered() > 0, "B holds its lease and served A's events");
            // A's events reached B's handler as redelivered: the host's count crossed with them
            assertTrue(handlerB.answeredRedelivered() > 0 && handlerB.answeredRedelivered() <= metrics.redeliveries(),
                () -> handlerB.answeredRedelivered() + " answered as redelivered, " + metrics);
            nodeA.close();
        }
    }

    @Test
    void theRedeliveriesAnEventHadAtTheHostReachItsHandlerOnANode() throws Exception
    {
        try (DispatchChannel local = localChannel();
             RemoteHandlers bridge = bridge().start();
             RemoteNode node = node(local, 1).start();
             EchoHandler handler = new EchoHandler(local, "handler"))
        {
            awaitNodes(bridge, 1);
            final Ledger ledger = new Ledger(host, 2_000, true);
            ledger.run(120_000, () -> { });
            ledger.assertBalanced();
            final RemoteMetrics metrics = bridge.metrics();
            assertEquals(2_000, ledger.completedCount(), metrics::toString);
            // the 1,000 odd ones, and any the bridge sent again after a lease lapsed on a starved machine
            assertTrue(handler.answeredRedelivered() >= 1_000 && handler.answeredRedelivered() <= 1_000 + metrics.redeliveries(),
                () -> handler.answeredRedelivered() + " answered as redelivered, " + metrics);
            assertTrue(node.metrics().eventsDispatched() >= 2_000, node.metrics()::toString);
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
            final Long[] epochOfA = new Long[1];
            final long[] answeredBeforeStop = new long[1];
            ledger.run(120_000, () ->
            {
                if (phase[0] == 0 && handlerA.answered() > 500)
                {
                    handlerA.pause(); // events pile up in A's channel
                    phase[0] = 1;
                }
                else if (phase[0] == 1 && localA.metrics().pendingCount() > 0 && bridge.leases().containsKey(1L))
                {
                    epochOfA[0] = bridge.leases().get(1L);
                    answeredBeforeStop[0] = handlerA.answered();
                    nodeA.pause(); // as SIGSTOP: A's handler answers what A holds, and A sends nothing
                    handlerA.resume();
                    phase[0] = 2;
                }
                else if (phase[0] == 2 && !epochOfA[0].equals(bridge.leases().get(1L)) /* A's lease ended */ &&
                    handlerA.answered() > answeredBeforeStop[0] /* and A holds answers to send */)
                {
                    nodeA.resume(); // A's answers now name a lease that ended
                    phase[0] = 3;
                }
            });
            ledger.assertBalanced();
            awaitNodes(bridge, 2); // A asks for a lease again, and gets a new epoch
            awaitZombieRefusals(bridge); // A's answers may arrive after the ledger closed: B served the events again

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

    @Test
    void traceContextAndLargePayloadsCrossAndTheHandlersSpanComesBack() throws Exception
    {
        final TraceContext trace = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        final byte[] large = new byte[300_000]; // past Aeron's MTU: fragmented, then reassembled on the node
        new java.util.Random(7).nextBytes(large);
        try (DispatchChannel local = localChannel();
             RemoteHandlers bridge = bridge().start();
             RemoteNode node = node(local, 1).start())
        {
            awaitNodes(bridge, 1);
            final long handle = host.dispatcher().dispatch(1, 2, 3, 4, 5, MemorySegment.ofArray(large), trace);
            assertTrue(handle > 0);
            final Poller poller = local.newPoller();
            PolledEvent event;
            while ((event = poller.poll()) == null)
            {
                poller.awaitEvents(Duration.ofMillis(10));
            }
            assertEquals(trace, event.traceContext());
            assertEquals(5, event.kind());
            assertEquals(new UUID(1, 2), event.eventId());
            assertEquals(new UUID(3, 4), event.correlationId());
            final byte[] arrived = new byte[event.payloadLength()];
            event.copyPayloadTo(arrived, 0);
            assertArrayEquals(large, arrived);
            assertEquals(ErrorCode.OK, poller.complete(event.handle(), 9, MemorySegment.ofArray(new byte[] {42}), 0x5EED));

            final Outcome[] seen = new Outcome[1];
            final long[] spanAndStatus = new long[2];
            while (seen[0] == null)
            {
                host.outcomeDrain().drain(outcome ->
                {
                    seen[0] = outcome;
                    spanAndStatus[0] = outcome.handlerSpanId();
                    spanAndStatus[1] = outcome.status();
                    assertEquals(handle, outcome.handle());
                    assertEquals(42, outcome.result().get(ValueLayout.JAVA_BYTE, 0));
                }, 1);
            }
            assertEquals(0x5EED, spanAndStatus[0]);
            assertEquals(9, spanAndStatus[1]);
            assertTrue(node.epoch() > 0);
        }
    }

    @Test
    void eventsThatTimeOutOnANodeTimeOutOnceAtTheHost() throws Exception
    {
        fiftyEventsTimeOutAtTheHostThroughANodeWithNoHandler(Duration.ofMillis(100), (local, bridge, node) -> {
            final RemoteMetrics metrics = bridge.metrics();
            assertEquals(50, metrics.expiredOnNodes(), metrics::toString);
            assertEquals(0, metrics.inFlight(), metrics::toString);
            // the host heard of each expiry, so the node had counted each before it sent it
            assertEquals(50, node.metrics().expiredReported(), () -> node.metrics().toString());
            assertEquals(50, node.metrics().eventsDispatched(), () -> node.metrics().toString());
            assertEquals(0, node.metrics().outcomesSent(), () -> node.metrics().toString());
        });
    }

    /**
     * A node whose local timeout is an hour cancels each event once the time it had at the host runs
     * out (300 ms here; no handler takes them), so its local channel holds none after, and the host
     * times each out once. Without the node's own deadline the local events would wait out the hour.
     */
    @Test
    void eventsPastTheTimeTheyHadAtTheHostAreCancelledOnTheNode() throws Exception
    {
        fiftyEventsTimeOutAtTheHostThroughANodeWithNoHandler(Duration.ofHours(1), (local, bridge, node) -> {
            final long giveUp = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (local.metrics().cancelledCount() < 50)
            {
                assertTrue(System.nanoTime() - giveUp < 0, () -> "hung: the node never cancelled: " + local.metrics());
                Thread.onSpinWait();
            }
            assertEquals(0, local.metrics().pendingCount(), () -> local.metrics().toString());
            assertEquals(50, local.metrics().cancelledCount(), () -> local.metrics().toString());
            assertEquals(0, bridge.metrics().inFlight(), () -> bridge.metrics().toString());
            assertEquals(50, node.metrics().expiredReported(), () -> node.metrics().toString()); // each cancel reported once
        });
    }

    /** What a test checks of a node, its channel and the bridge once the host's ledger balanced. */
    @FunctionalInterface
    private interface AfterTheLedger
    {
        void check(DispatchChannel local, RemoteHandlers bridge, RemoteNode node) throws Exception;
    }

    /**
     * Gives the host 300 ms per event and dispatches 50 through a node whose channel, of completion
     * timeout {@code localTimeout}, has no handler: the ledger balances with each event timed out once
     * at the host. Then {@code after} checks the node's side.
     */
    private void fiftyEventsTimeOutAtTheHostThroughANodeWithNoHandler(
        final Duration localTimeout, final AfterTheLedger after) throws Exception
    {
        host.close();
        host = DispatchChannel.builder().slabCapacity(64).completionTimeout(Duration.ofMillis(300)).build();
        try (DispatchChannel local = DispatchChannel.builder().slabCapacity(64).completionTimeout(localTimeout).build();
             RemoteHandlers bridge = bridge().start();
             RemoteNode node = node(local, 1).start())
        {
            awaitNodes(bridge, 1);
            final Ledger ledger = new Ledger(host, 50);
            ledger.run(120_000, () -> { });
            ledger.assertBalanced();
            assertEquals(0, ledger.completedCount(), () -> bridge.metrics().toString());
            assertEquals(50, host.metrics().timedOutCount(), () -> bridge.metrics().toString());
            assertTrue(node.epoch() > 0);
            after.check(local, bridge, node);
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
