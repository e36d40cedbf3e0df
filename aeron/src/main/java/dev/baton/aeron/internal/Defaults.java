package dev.baton.aeron.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/** The bridge's defaults, in one place for both sides. */
public final class Defaults
{
    /** The UDP port a host's side listens on. */
    public static final int HOST_PORT = 40456;
    /** The stream nodes send on. */
    public static final int HOST_STREAM_ID = 4100;
    /** The UDP port a node listens on. */
    public static final int NODE_PORT = 40457;
    /** The stream a host sends a node its events on. */
    public static final int NODE_STREAM_ID = 4101;
    /** How long a lease lasts without a heartbeat: a tenth of Aeron's image liveness timeout. */
    public static final Duration LEASE = Duration.ofSeconds(1);
    /** How often a node without a lease asks for one. */
    public static final long HELLO_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private Defaults()
    {
    }

    /** @return spin, yield, then park from 1 µs up to 1 ms. */
    public static IdleStrategy idleStrategy()
    {
        return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
    }
}
