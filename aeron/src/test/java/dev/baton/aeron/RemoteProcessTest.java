package dev.baton.aeron;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import dev.baton.DispatchChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host in this JVM and two nodes ({@link NodeProcesses}: a node JVM with its own embedded media
 * driver, and a C handler process on its channel file) over UDP on 127.0.0.1. One node is killed with SIGKILL, or stopped with SIGSTOP past its
 * lease and resumed, while events stream; the host's ledger must balance.
 */
class RemoteProcessTest
{
    private static final Duration LEASE = Duration.ofMillis(500);
    private static final int EVENTS = 20_000;

    @TempDir
    Path directory;

    private DispatchChannel host;
    private NodeProcesses nodes;

    @BeforeEach
    void makeHost()
    {
        host = DispatchChannel.builder()
            .slabCapacity(512)
            .redeliveryLimit(2)
            .completionTimeout(Duration.ofSeconds(30))
            .build();
        nodes = new NodeProcesses(directory);
    }

    @AfterEach
    void closeAll()
    {
        nodes.close();
        host.close();
    }

    private RemoteHandlers startBridge(final String hostChannel)
    {
        return RemoteHandlers.builder(host)
            .listen(hostChannel, 4100)
            .lease(LEASE)
            .start();
    }

    private void awaitNodes(final RemoteHandlers bridge, final int count)
    {
        final long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (bridge.metrics().nodes() < count)
        {
            if (System.nanoTime() - giveUp > 0)
            {
                throw new AssertionError("hung: nodes never joined: " + bridge.metrics() + "\n" + nodes.logs());
            }
            Thread.onSpinWait();
        }
    }

    private static void signal(final Process process, final String signal)
    {
        try
        {
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor());
        }
        catch (final IOException | InterruptedException e)
        {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aNodeKilledMidStreamLosesNothing() throws Exception
    {
        final String hostChannel = Ports.freeLoopbackChannel();
        try (RemoteHandlers bridge = startBridge(hostChannel))
        {
            final Process doomed = nodes.start(hostChannel, 1);
            nodes.start(hostChannel, 2, "--driver-thread", "node"); // the survivor: one thread, its driver's duty cycle its own
            awaitNodes(bridge, 2);
            final Ledger ledger = new Ledger(host, EVENTS);
            final boolean[] killed = new boolean[1];
            ledger.run(120_000, () ->
            {
                if (!killed[0] && bridge.metrics().outcomesAccepted() > EVENTS / 4)
                {
                    doomed.destroyForcibly(); // SIGKILL
                    killed[0] = true;
                }
            });
            ledger.assertBalanced();

            final RemoteMetrics metrics = bridge.metrics();
            assertTrue(killed[0]);
            assertFalse(bridge.leases().containsKey(1L), metrics::toString);
            assertTrue(metrics.leasesLost() >= 1, metrics::toString);
            assertEquals(EVENTS, ledger.completedCount(), metrics::toString);
            assertEquals(EVENTS, metrics.outcomesAccepted(), metrics::toString);
            assertEquals(EVENTS + metrics.redeliveries(), metrics.eventsSent(), metrics::toString);
            assertTrue(metrics.zombieOutcomesRefused() <= metrics.redeliveries(), metrics::toString);
            System.out.println("killed: " + metrics);
        }
    }

    @Test
    void aNodeStoppedPastItsLeaseIsAZombieAndLosesNothing() throws Exception
    {
        final String hostChannel = Ports.freeLoopbackChannel();
        try (RemoteHandlers bridge = startBridge(hostChannel))
        {
            final Process stopped = nodes.start(hostChannel, 1);
            nodes.start(hostChannel, 2);
            awaitNodes(bridge, 2);
            final Ledger ledger = new Ledger(host, EVENTS);
            final int[] phase = new int[1];
            final Long[] epochOfStopped = new Long[1];
            ledger.run(120_000, () ->
            {
                if (phase[0] == 0 && bridge.metrics().outcomesAccepted() > EVENTS / 4 && bridge.leases().containsKey(1L))
                {
                    epochOfStopped[0] = bridge.leases().get(1L);
                    signal(stopped, "STOP");
                    phase[0] = 1;
                }
                else if (phase[0] == 1 && !epochOfStopped[0].equals(bridge.leases().get(1L)) /* its lease ended */)
                {
                    signal(stopped, "CONT"); // what it answers now names a lease that ended
                    phase[0] = 2;
                }
            });
            ledger.assertBalanced();
            awaitNodes(bridge, 2); // the stopped node asks again, and is granted a new epoch

            final RemoteMetrics metrics = bridge.metrics();
            assertEquals(2, phase[0]);
            assertTrue(metrics.leasesLost() >= 1 && metrics.nodesJoined() >= 3, metrics::toString);
            assertTrue(bridge.leases().get(1L) > epochOfStopped[0], "the stopped node holds a later lease");
            assertEquals(EVENTS, ledger.completedCount(), metrics::toString);
            assertEquals(EVENTS, metrics.outcomesAccepted(), metrics::toString);
            // Its events were redelivered; those it had dispatched locally before it stopped come
            // back under the ended epoch and are refused; those still in its receive buffer are dropped.
            assertTrue(metrics.zombieOutcomesRefused() <= metrics.redeliveries(), metrics::toString);
            System.out.println("stopped past its lease: " + metrics);
        }
    }
}
