package dev.baton.aeron.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JDK Flight Recorder: a node's lease ended without a heartbeat, or the node joined again; its
 * events were sent to other nodes or left to time out. Off unless a recording enables
 * {@code dev.baton.aeron.NodeLost}. Written by the host's side of the bridge ({@code RemoteHandlers}).
 */
@Name("dev.baton.aeron.NodeLost")
@Label("Baton Node Lost")
@Category({"Baton", "Aeron"})
@Description("A node's lease ended without a heartbeat, or the node joined again; " +
    "its events were sent to other nodes or left to time out")
@Enabled(false)
@StackTrace(false)
public final class NodeLostEvent extends jdk.jfr.Event
{
    /** An event for the bridge to fill in and commit. */
    public NodeLostEvent()
    {
    }

    @Label("Node Id")
    public long nodeId;

    @Label("Epoch")
    @Description("The lease the node held, or was granted")
    public long epoch;

    @Label("Redelivered")
    @Description("Its events sent to other nodes")
    public int redelivered;

    @Label("Left To Time Out")
    @Description("Its events past the redelivery limit, which time out once")
    public int leftToTimeOut;
}
