package dev.baton.aeron.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The bridge's counts and levels: one thread (the bridge's duty cycle) writes them with release
 * stores, any thread reads them with acquire loads. A count only grows.
 */
public final class BridgeCounters
{
    public static final int NODES_JOINED = 0;
    public static final int NODES_REFUSED = 1;
    public static final int LEASES_LOST = 2;
    public static final int EVENTS_SENT = 3;
    public static final int OUTCOMES_ACCEPTED = 4;
    public static final int REDELIVERIES = 5;
    public static final int LEFT_TO_TIME_OUT = 6;
    public static final int ZOMBIE_OUTCOMES = 7;
    public static final int EXPIRED_ON_NODES = 8;
    public static final int MALFORMED_MESSAGES = 9;
    /** A level, not a count: nodes holding a lease now. */
    public static final int NODES = 10;
    /** A level, not a count: events the bridge holds now. */
    public static final int IN_FLIGHT = 11;
    private static final int COUNT = 12;

    private final AtomicLongArray counts = new AtomicLongArray(COUNT);

    /** Adds {@code amount} to a count; its one writer's plain read, then a release store. */
    public void add(final int counter, final long amount)
    {
        counts.setRelease(counter, counts.getPlain(counter) + amount);
    }

    /** Sets a level. */
    public void set(final int level, final long value)
    {
        counts.setRelease(level, value);
    }

    /** Adds one to a count. */
    public void increment(final int counter)
    {
        add(counter, 1);
    }

    /** @return a count, read with acquire. */
    public long get(final int counter)
    {
        return counts.getAcquire(counter);
    }
}
