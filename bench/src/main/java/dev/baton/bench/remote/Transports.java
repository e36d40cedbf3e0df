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
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.DynamicCompositeAgent;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * What the Aeron pipelines share: one way to launch a driver and run the far side's thread, and to
 * find a port. Two cores hold two spinning threads: the caller's, and the far side's, which runs the
 * media driver's duty cycle (conductor, sender and receiver, invoked) beside the far side's agents.
 * A driver on a thread of its own would make three, and the scheduler's time slices, not the
 * pipelines, would set the tail.
 */
final class Transports
{
    private Transports()
    {
    }

    /** @return an embedded driver with no thread of its own: {@link FarSide} invokes it. */
    static MediaDriver launchDriver()
    {
        return MediaDriver.launchEmbedded(new MediaDriver.Context()
            .threadingMode(ThreadingMode.INVOKER)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true));
    }

    /**
     * The far side's thread: the driver's duty cycle, and the agents added to it once the clients
     * they need are made (a client connects only to a driver that runs). It yields when idle.
     */
    static final class FarSide implements AutoCloseable
    {
        private final DynamicCompositeAgent agents;
        private final AgentRunner runner;

        FarSide(final MediaDriver driver)
        {
            final AgentInvoker invoker = driver.sharedAgentInvoker();
            agents = new DynamicCompositeAgent("far-side", new Agent()
            {
                @Override
                public int doWork()
                {
                    return invoker.invoke();
                }

                @Override
                public String roleName()
                {
                    return "media-driver";
                }
            });
            runner = new AgentRunner(new YieldingIdleStrategy(), Throwable::printStackTrace, null, agents);
            AgentRunner.startOnThread(runner);
        }

        /** Adds the agent to the thread's duty cycle, waiting until it runs there. */
        void add(final Agent agent)
        {
            while (!agents.tryAdd(agent))
            {
                Thread.onSpinWait();
            }
            while (!agents.hasAddAgentCompleted())
            {
                Thread.onSpinWait();
            }
        }

        /** Stops the thread, closing the agents added. */
        @Override
        public void close()
        {
            runner.close();
        }
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
