package dev.baton.aeron.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JDK Flight Recorder: a node that asked for a lease was refused. Off unless a recording enables
 * {@code dev.baton.aeron.NodeRefused}. Written by the host's side of the bridge ({@code RemoteHandlers}).
 */
@Name("dev.baton.aeron.NodeRefused")
@Label("Baton Node Refused")
@Category({"Baton", "Aeron"})
@Description("A node that asked for a lease was refused")
@Enabled(false)
@StackTrace(false)
public final class NodeRefusedEvent extends jdk.jfr.Event
{
    /** An event for the bridge to fill in and commit. */
    public NodeRefusedEvent()
    {
    }

    @Label("Node Id")
    public long nodeId;

    @Label("Epoch")
    @Description("The lease the node held, or was granted")
    public long epoch;

    @Label("Reason")
    public String reason;
}
