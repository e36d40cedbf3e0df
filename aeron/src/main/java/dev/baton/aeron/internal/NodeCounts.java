package dev.baton.aeron.internal;

/** What a node counts, by index into its {@link SingleWriterCounts}. */
public final class NodeCounts
{
    public static final int LEASES_GRANTED = 0;
    public static final int EVENTS_DISPATCHED = 1;
    public static final int DELIVERIES_DROPPED = 2;
    public static final int OUTCOMES_SENT = 3;
    public static final int EXPIRED_REPORTED = 4;
    public static final int PAYLOADS_REFUSED = 5;
    public static final int MALFORMED_MESSAGES = 6;
    /** A level, not a count: the host's events in the local channel now. */
    public static final int EVENTS_HELD = 7;
    /** A level, not a count: bytes of messages to the host waiting for room in its publication. */
    public static final int BYTES_WAITING = 8;
    public static final int SIZE = 9;

    private NodeCounts()
    {
    }
}
