package dev.baton.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JDK Flight Recorder: pending events older than the starvation threshold, found by
 * {@code DispatchChannel.metrics()} (which a metrics binder calls on every scrape). Off unless a
 * recording enables {@code dev.baton.Starvation}.
 */
@Name("dev.baton.Starvation")
@Label("Baton Starvation")
@Category("Baton")
@Description("Pending events have waited longer than the channel's starvation threshold")
@Enabled(false)
@StackTrace(false)
public final class StarvationEvent extends jdk.jfr.Event
{
    /** An event for a channel to fill in and commit. */
    public StarvationEvent()
    {
    }

    @Label("Starving Events")
    public long starvingCount;

    @Label("Pending Events")
    public long pendingCount;

    @Label("Oldest Event Id")
    public String oldestEventId;

    @Label("Oldest Age")
    @Timespan(Timespan.MILLISECONDS)
    public long oldestAgeMillis;
}
