package dev.baton.aeron.internal;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * An Aeron client: the application's own (never closed here), or one connected to a media driver
 * already running, or to one launched for it alone (embedded, in its own directory, removed at
 * close; a process killed leaves it, which the next launch in the same directory clears). Closing
 * closes what was made here, client first.
 */
public final class AeronConnection implements AutoCloseable
{
    private final MediaDriver driver;
    private final Aeron client;
    private final boolean ownsClient;

    private AeronConnection(final MediaDriver driver, final Aeron client, final boolean ownsClient)
    {
        this.driver = driver;
        this.client = client;
        this.ownsClient = ownsClient;
    }

    /**
     * @param client          the application's client, or null to make one.
     * @param aeronDirectory  when making one: a running driver's directory, or null to launch an embedded driver.
     * @param driverDirectory when launching one: its directory, or null for a fresh one; a named one
     *                        is cleared at launch, so a run after a kill reclaims what the last left.
     * @return the connection.
     */
    public static AeronConnection open(final Aeron client, final String aeronDirectory, final String driverDirectory)
    {
        if (client != null)
        {
            return new AeronConnection(null, client, false);
        }
        if (aeronDirectory != null)
        {
            return new AeronConnection(null, Aeron.connect(clientContext(aeronDirectory)), true);
        }
        // One shared thread for the driver's conductor, sender and receiver: a bridge shares its
        // machine with the channel's host and handlers, so it takes one core at most, sleeping when idle.
        final MediaDriver.Context context = new MediaDriver.Context()
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy())
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);
        if (driverDirectory != null)
        {
            context.aeronDirectoryName(driverDirectory);
        }
        final MediaDriver driver = MediaDriver.launchEmbedded(context);
        try
        {
            return new AeronConnection(driver, Aeron.connect(clientContext(driver.aeronDirectoryName())), true);
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
