package dev.baton.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JDK Flight Recorder: an event timed out (its handler did not complete it in time). Off unless a
 * recording enables {@code dev.baton.Timeout}. Written by {@code DispatchChannel.reclaimExpired}.
 */
@Name("dev.baton.Timeout")
@Label("Baton Event Timed Out")
@Category("Baton")
@Description("A dispatched event was not completed within the channel's completion timeout")
@Enabled(false)
@StackTrace(false)
public final class TimeoutEvent extends jdk.jfr.Event
{
    /** An event for a channel to fill in and commit. */
    public TimeoutEvent()
    {
    }

    @Label("Handle")
    public long handle;

    @Label("Event Kind")
    public int kind;

    @Label("Event Id")
    public String eventId;

    @Label("Claimed")
    @Description("Whether a handler had claimed the event")
    public boolean claimed;

    @Label("Age")
    @Timespan(Timespan.NANOSECONDS)
    public long ageNanos;
}
