package dev.baton.aeron.internal;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * An Aeron client: the application's own (never closed here), or one connected to a media driver
 * already running, or to one launched for it alone (embedded, in its own directory, removed at
 * close; a process killed leaves it, which the next launch in the same directory clears). An
 * embedded driver runs on a thread of its own, or on none: then neither does its client's
 * conductor, and {@link #invoke()} runs both, called from the duty cycle of the bridge or node that
 * owns this connection; the client runs the driver's too while it waits for the driver's answer.
 * Closing closes what was made here, client first.
 */
public final class AeronConnection implements AutoCloseable
{
    private final MediaDriver driver;
    /** The driver's and the client conductor's duty cycles when both run on no thread of their own, else null. */
    private final AgentInvoker driverInvoker;
    private final AgentInvoker conductorInvoker;
    private final Aeron client;
    private final boolean ownsClient;

    private AeronConnection(final MediaDriver driver, final Aeron client, final boolean ownsClient)
    {
        this.driver = driver;
        this.driverInvoker = driver == null ? null : driver.sharedAgentInvoker();
        this.conductorInvoker = driverInvoker == null ? null : client.conductorAgentInvoker();
        this.client = client;
        this.ownsClient = ownsClient;
    }

    /**
     * @param client          the application's client, or null to make one.
     * @param aeronDirectory  when making one: a running driver's directory, or null to launch an embedded driver.
     * @param driverDirectory when launching one: its directory, or null for a fresh one; a named one
     *                        is cleared at launch, so a run after a kill reclaims what the last left.
     * @param invoked         when launching one: whether it and the client's conductor run on no
     *                        thread of their own, invoked by {@link #invoke()}.
     * @return the connection.
     */
    public static AeronConnection open(final Aeron client, final String aeronDirectory, final String driverDirectory,
        final boolean invoked)
    {
        if (client != null)
        {
            return new AeronConnection(null, client, false);
        }
        if (aeronDirectory != null)
        {
            return new AeronConnection(null, Aeron.connect(clientContext(aeronDirectory)), true);
        }
        final MediaDriver.Context context = new MediaDriver.Context()
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
        if (invoked)
        {
            context.threadingMode(ThreadingMode.INVOKER);
        }
        else
        {
            // One shared thread for the driver's conductor, sender and receiver: a bridge shares its
            // machine with the channel's host and handlers, so it takes one core at most, sleeping when idle.
            context.threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(new BackoffIdleStrategy());
        }
        if (driverDirectory != null)
        {
            context.aeronDirectoryName(driverDirectory);
        }
        final MediaDriver driver = MediaDriver.launchEmbedded(context);
        try
        {
            final Aeron.Context clientContext = clientContext(driver.aeronDirectoryName());
            if (invoked)
            {
                // An invoked driver answers a client that waits for it only when the waiting thread
                // runs it: the client does, on the thread that waits (the builder's, then the duty
                // cycle's). Aeron asks that such a client's conductor be invoked too.
                clientContext.useConductorAgentInvoker(true).driverAgentInvoker(driver.sharedAgentInvoker());
            }
            return new AeronConnection(driver, Aeron.connect(clientContext), true);
        }
        catch (final RuntimeException e)
        {
            driver.close();
            throw e;
        }
    }

    /**
     * A client whose errors are reported, never fatal to the process: Aeron's default handler exits
     * the JVM when the driver stops answering, which a library must not do to its host.
     */
    private static Aeron.Context clientContext(final String aeronDirectory)
    {
        return new Aeron.Context()
            .aeronDirectoryName(aeronDirectory)
            .errorHandler(error -> System.err.println("baton-aeron: " + error));
    }

    /**
     * One duty cycle of an invoked driver (its conductor, sender and receiver) and of its client's
     * conductor, from the one thread that runs the owner's duty cycle; nothing when they have threads
     * of their own.
     *
     * @return the work done.
     */
    public int invoke()
    {
        return driverInvoker == null ? 0 : driverInvoker.invoke() + conductorInvoker.invoke();
    }

    /** @return the client. */
    public Aeron client()
    {
        return client;
    }

    @Override
    public void close()
    {
        if (ownsClient)
        {
            CloseHelper.closeAll(client, driver);
        }
    }
}
