package dev.baton.aeron.internal;

/** What the bridge's host side counts, by index into its {@link SingleWriterCounts}. */
public final class BridgeCounts
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
    public static final int SIZE = 12;

    private BridgeCounts()
    {
    }
}
