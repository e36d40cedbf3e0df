package dev.baton.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;

/** UDP ports on 127.0.0.1 for the remote mode's Aeron endpoints. */
final class Ports
{
    private Ports()
    {
    }

    /** @return a UDP port on 127.0.0.1 that was free a moment ago. */
    static int freeUdpPort()
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
}
