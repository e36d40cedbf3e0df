package dev.baton.aeron;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;

/** UDP ports on 127.0.0.1 that were free a moment ago, for the tests' Aeron endpoints. */
final class Ports
{
    private Ports()
    {
    }

    /** @return {@code aeron:udp?endpoint=127.0.0.1:PORT}, with a port free a moment ago. */
    static String freeLoopbackChannel() throws SocketException
    {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress()))
        {
            return "aeron:udp?endpoint=127.0.0.1:" + socket.getLocalPort();
        }
    }
}
