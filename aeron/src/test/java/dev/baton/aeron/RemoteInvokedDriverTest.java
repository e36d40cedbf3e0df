package dev.baton.aeron;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.baton.DispatchChannel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A host and a node in one JVM, each with an embedded media driver that its own duty cycle runs
 * ({@link AeronTransport#invokedByDutyCycle()}), over UDP on loopback: neither a driver nor a
 * client's conductor has a thread, and the host's ledger balances.
 */
class RemoteInvokedDriverTest
{
    private static final int EVENTS = 5_000;

    @Test
    void drivesOnTheirOwnersDutyCyclesCarryEveryEventOnce() throws Exception
    {
        final String hostChannel = Ports.freeLoopbackChannel();
        final Set<Thread> aeronThreadsBefore = aeronThreads(); // a test before this one may still be ending its own
        try (DispatchChannel host = DispatchChannel.builder()
                 .slabCapacity(256).completionTimeout(Duration.ofSeconds(30)).build();
             DispatchChannel local = DispatchChannel.builder()
                 .slabCapacity(128).completionTimeout(Duration.ofSeconds(30)).build();
             RemoteHandlers bridge = RemoteHandlers.builder(host)
                 .listen(hostChannel, 4100)
                 .transport(AeronTransport.embeddedDriver().invokedByDutyCycle())
                 .start();
             RemoteNode node = RemoteNode.builder(local)
                 .nodeId(1)
                 .host(hostChannel, 4100)
                 .listen(Ports.freeLoopbackChannel(), 4101)
                 .transport(AeronTransport.embeddedDriver().invokedByDutyCycle())
                 .start();
             EchoHandler handler = new EchoHandler(local, "echo-handler"))
        {
            final List<String> started = aeronThreads().stream()
                .filter(thread -> !aeronThreadsBefore.contains(thread))
                .map(Thread::getName)
                .toList();
            assertEquals(List.of(), started, "an invoked driver and its client's conductor have no thread");

            final RemoteMetrics metrics = Ledger.completeEveryEventThrough(bridge, host, EVENTS);
            assertTrue(handler.answered() >= EVENTS, metrics::toString);
            assertTrue(node.epoch() > 0);
        }
    }

    /**
     * @return the live threads of media drivers and Aeron clients' conductors: Aeron names a driver's
     * after its agents ("... [sender,receiver,driver-conductor]" when they share one), a client
     * conductor's "aeron-client".
     */
    private static Set<Thread> aeronThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> thread.getName().contains("driver-conductor") || thread.getName().contains("receiver") ||
                thread.getName().equals("aeron-client"))
            .collect(Collectors.toSet());
    }

    @Test
    void onlyAnEmbeddedDriverRunsOnItsUsersDutyCycle()
    {
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> AeronTransport.runningDriver("/dev/shm/aeron-elsewhere").invokedByDutyCycle());
        assertTrue(refused.getMessage().contains("embedded driver"), refused.getMessage());
    }
}
