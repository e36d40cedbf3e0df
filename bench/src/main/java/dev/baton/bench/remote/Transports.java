package dev.baton.bench.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.function.BooleanSupplier;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/** What the Aeron pipelines share: one way to launch a driver, run an agent, and find a port. */
final class Transports
{
    private Transports()
    {
    }

    /** @return how every Aeron thread of the benchmark waits: it yields, as two cores need. */
    static IdleStrategy idle()
    {
        return new YieldingIdleStrategy();
    }

    /** @return an embedded driver on one thread (conductor, sender and receiver), yielding when idle. */
    static MediaDriver launchDriver()
    {
        return MediaDriver.launchEmbedded(new MediaDriver.Context()
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(idle())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
    }

    /** @return the agent, running on a thread of its own. */
    static AgentRunner run(final Agent agent)
    {
        final AgentRunner runner = new AgentRunner(idle(), Throwable::printStackTrace, null, agent);
        AgentRunner.startOnThread(runner);
        return runner;
    }

    /** @return {@code aeron:udp?endpoint=127.0.0.1:PORT} with a port free a moment ago. */
    static String loopbackChannel()
    {
        return "aeron:udp?endpoint=127.0.0.1:" + freePort();
    }

    /** @return a UDP port on 127.0.0.1 free a moment ago. */
    static int freePort()
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the condition holds: a connection made. */
    static void awaitConnected(final BooleanSupplier connected)
    {
        while (!connected.getAsBoolean())
        {
            Thread.onSpinWait();
        }
    }
}
