package dev.baton.aeron.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JDK Flight Recorder: a node was granted a lease. Off unless a recording enables
 * {@code dev.baton.aeron.NodeJoined}. Written by the host's side of the bridge ({@code RemoteHandlers}).
 */
@Name("dev.baton.aeron.NodeJoined")
@Label("Baton Node Joined")
@Category({"Baton", "Aeron"})
@Description("A node was granted a lease")
@Enabled(false)
@StackTrace(false)
public final class NodeJoinedEvent extends jdk.jfr.Event
{
    /** An event for the bridge to fill in and commit. */
    public NodeJoinedEvent()
    {
    }

    @Label("Node Id")
    public long nodeId;

    @Label("Epoch")
    @Description("The lease the node held, or was granted")
    public long epoch;

    @Label("Capacity")
    @Description("How many events the node takes at once")
    public int capacity;
}
