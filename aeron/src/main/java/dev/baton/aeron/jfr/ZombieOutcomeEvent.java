package dev.baton.aeron.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JDK Flight Recorder: an outcome was refused: its lease had ended, or its event had moved to
 * another node. Off unless a recording enables {@code dev.baton.aeron.ZombieOutcome}. Written by the host's side of the bridge ({@code RemoteHandlers}).
 */
@Name("dev.baton.aeron.ZombieOutcome")
@Label("Baton Zombie Outcome Refused")
@Category({"Baton", "Aeron"})
@Description("An outcome was refused: its lease had ended, or its event had moved to another node")
@Enabled(false)
@StackTrace(false)
public final class ZombieOutcomeEvent extends jdk.jfr.Event
{
    /** An event for the bridge to fill in and commit. */
    public ZombieOutcomeEvent()
    {
    }

    @Label("Node Id")
    public long nodeId;

    @Label("Epoch")
    @Description("The lease the node held, or was granted")
    public long epoch;

    @Label("Host Handle")
    public long hostHandle;
}
