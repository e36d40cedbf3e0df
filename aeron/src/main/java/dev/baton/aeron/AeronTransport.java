package dev.baton.aeron;

import java.util.Objects;

import dev.baton.aeron.internal.AeronConnection;
import io.aeron.Aeron;

/**
 * How the bridge's host side or a node reaches Aeron, given to {@link RemoteHandlersBuilder#transport}
 * and {@link RemoteNodeBuilder#transport}: a media driver of its own, launched embedded (the
 * default), on a thread of its own or run by the duty cycle of the bridge or node that uses it; a
 * media driver already running; or an Aeron client the application made.
 */
public final class AeronTransport
{
    private final Aeron client;
    private final String aeronDirectory;
    private final String driverDirectory;
    private final boolean driverInvoked;

    private AeronTransport(final Aeron client, final String aeronDirectory, final String driverDirectory,
        final boolean driverInvoked)
    {
        this.client = client;
        this.aeronDirectory = aeronDirectory;
        this.driverDirectory = driverDirectory;
        this.driverInvoked = driverInvoked;
    }

    /**
     * @return a media driver launched embedded, in a fresh directory under /dev/shm, closed and
     * removed at close. Its conductor, sender and receiver share one thread of their own, which sleeps
     * when idle.
     */
    public static AeronTransport embeddedDriver()
    {
        return new AeronTransport(null, null, null, false);
    }

    /**
     * @param directory where the embedded media driver keeps its files: cleared at launch and removed
     *                  at close. A process killed leaves it, with its log buffers (tens of MiB), which
     *                  the next launch in the same directory clears.
     * @return a media driver launched embedded in {@code directory}.
     */
    public static AeronTransport embeddedDriver(final String directory)
    {
        return new AeronTransport(null, null, Objects.requireNonNull(directory, "directory"), false);
    }

    /**
     * @param aeronDirectory the directory of a media driver already running.
     * @return a client connected to that driver, closed at close; the driver runs on.
     */
    public static AeronTransport runningDriver(final String aeronDirectory)
    {
        return new AeronTransport(null, Objects.requireNonNull(aeronDirectory, "aeronDirectory"), null, false);
    }

    /**
     * @param client an Aeron client the application made and closes itself (one per process, as Aeron
     *               advises).
     * @return that client, used as it is and left open at close.
     */
    public static AeronTransport client(final Aeron client)
    {
        return new AeronTransport(Objects.requireNonNull(client, "client"), null, null, false);
    }

    /**
     * The embedded media driver and its client's conductor with no thread of their own (Aeron's
     * {@code ThreadingMode.INVOKER} and conductor agent invoker): each duty cycle of the bridge or node
     * that uses this transport runs one of each, before its own work, and the client runs the
     * driver's while it waits for the driver's answer. One thread where {@link #embeddedDriver()}
     * takes three, for a machine whose cores its handlers need: the driver then idles as the duty
     * cycle's idle strategy does. Run that duty cycle without long pauses: the
     * driver does nothing while it stops, and a client that misses the driver's heartbeat for 10 s
     * (Aeron's driver timeout) gives the driver up as dead.
     *
     * @return this embedded driver, invoked by the duty cycle of its user.
     * @throws IllegalStateException for a transport that launches no driver.
     */
    public AeronTransport invokedByDutyCycle()
    {
        if (client != null || aeronDirectory != null)
        {
            throw new IllegalStateException("only an embedded driver runs on its user's duty cycle; this transport launches none");
        }
        return new AeronTransport(null, null, driverDirectory, true);
    }

    /** @return the connection this transport names, made now. */
    AeronConnection connect()
    {
        return AeronConnection.open(client, aeronDirectory, driverDirectory, driverInvoked);
    }
}
