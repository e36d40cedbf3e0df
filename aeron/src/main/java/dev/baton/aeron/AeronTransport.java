package dev.baton.aeron;

import java.util.Objects;

import dev.baton.aeron.internal.AeronConnection;
import io.aeron.Aeron;

/**
 * How the bridge's host side or a node reaches Aeron, given to {@link RemoteHandlersBuilder#transport}
 * and {@link RemoteNodeBuilder#transport}: a media driver of its own, launched embedded (the
 * default); a media driver already running; or an Aeron client the application made.
 */
public final class AeronTransport
{
    private final Aeron client;
    private final String aeronDirectory;
    private final String driverDirectory;

    private AeronTransport(final Aeron client, final String aeronDirectory, final String driverDirectory)
    {
        this.client = client;
        this.aeronDirectory = aeronDirectory;
        this.driverDirectory = driverDirectory;
    }

    /** @return a media driver launched embedded, in a fresh directory under /dev/shm, closed and removed at close. */
    public static AeronTransport embeddedDriver()
    {
        return new AeronTransport(null, null, null);
    }

    /**
     * @param directory where the embedded media driver keeps its files: cleared at launch and removed
     *                  at close. A process killed leaves it, with its log buffers (tens of MiB), which
     *                  the next launch in the same directory clears.
     * @return a media driver launched embedded in {@code directory}.
     */
    public static AeronTransport embeddedDriver(final String directory)
    {
        return new AeronTransport(null, null, Objects.requireNonNull(directory, "directory"));
    }

    /**
     * @param aeronDirectory the directory of a media driver already running.
     * @return a client connected to that driver, closed at close; the driver runs on.
     */
    public static AeronTransport runningDriver(final String aeronDirectory)
    {
        return new AeronTransport(null, Objects.requireNonNull(aeronDirectory, "aeronDirectory"), null);
    }

    /**
     * @param client an Aeron client the application made and closes itself (one per process, as Aeron
     *               advises).
     * @return that client, used as it is and left open at close.
     */
    public static AeronTransport client(final Aeron client)
    {
        return new AeronTransport(Objects.requireNonNull(client, "client"), null, null);
    }

    /** @return the connection this transport names, made now. */
    AeronConnection connect()
    {
        return AeronConnection.open(client, aeronDirectory, driverDirectory);
    }
}
