package dev.baton.aeron;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import dev.baton.DispatchChannel;
import dev.baton.aeron.internal.Defaults;

/**
 * A node as one command: it makes a local channel in a file, which handler processes of any
 * language open by its path, and serves it to a host over Aeron until SIGTERM or Ctrl-C.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
 *      -cp "$(cat aeron/target/classpath.txt):aeron/target/classes" dev.baton.aeron.NodeMain \
 *      --host aeron:udp?endpoint=HOST:40456 --listen aeron:udp?endpoint=THIS_NODE:40457 \
 *      --file baton-node [--capacity 1024] [--node-id N] [--timeout-ms 30000] [--redeliveries 1] \
 *      [--aeron-dir DIR | --driver-dir DIR [--driver-thread own|node]]
 * </pre>
 * {@code --aeron-dir} connects to a media driver that runs already; otherwise the node launches one
 * in {@code --driver-dir} (default {@code /dev/shm/aeron-baton-node-NAME}, NAME the file's name), so
 * a node killed and started again on the same file clears what its last run left there. That driver
 * runs on a thread of its own ({@code own}, the default) or on the node's ({@code node}:
 * {@link AeronTransport#invokedByDutyCycle()}), one thread in all, for a machine whose cores its
 * handler processes need.
 * {@code --timeout-ms} is the local channel's completion timeout, a bound on every local event
 * whatever time it had left at the host; one whose time at the host runs out first is cancelled on
 * the node ({@link RemoteNode}). {@code --redeliveries} is how often the node dispatches an
 * event again when the local handler process holding it dies, counting the times the host sent it
 * again after a lost node.
 * {@code make node NODE_ARGS="..."} runs it.
 */
public final class NodeMain
{
    private NodeMain()
    {
    }

    /** A node and its local channel, started. */
    record RunningNode(DispatchChannel local, RemoteNode node, String summary) implements AutoCloseable
    {
        @Override
        public void close()
        {
            node.close();
            local.close();
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final RunningNode running;
        try
        {
            running = start(args);
        }
        catch (final IllegalArgumentException e)
        {
            System.err.println("baton node: " + e.getMessage());
            System.err.println("usage: NodeMain --host CHANNEL --listen CHANNEL --file PATH " +
                "[--capacity N] [--node-id N] [--timeout-ms N] [--redeliveries N] " +
                "[--aeron-dir DIR | --driver-dir DIR [--driver-thread own|node]]");
            System.exit(2);
            return;
        }
        catch (final RuntimeException | Error e)
        {
            // Aeron's threads would keep a JVM that failed to start alive, serving nothing: end it
            System.err.println("baton node: could not start: " + e);
            System.exit(1);
            return;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            running.close();
            System.out.println("baton node " + running.node().nodeId() + " stopped: " + running.node().metrics());
            stopped.countDown();
        }));
        System.out.println(running.summary());
        stopped.await();
    }

    /** Parses the arguments, makes the local channel and starts the node. */
    static RunningNode start(final String[] args)
    {
        String host = null;
        String listen = null;
        String file = null;
        int capacity = 1024;
        long nodeId = -1;
        long timeoutMillis = 30_000;
        long redeliveries = 1;
        String aeronDirectory = null;
        String driverDirectory = null;
        String driverThread = "own";
        for (int i = 0; i < args.length; i += 2)
        {
            if (i + 1 >= args.length)
            {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            final String value = args[i + 1];
            switch (args[i])
            {
                case "--host" -> host = value;
                case "--listen" -> listen = value;
                case "--file" -> file = value;
                case "--capacity" -> capacity = Integer.parseInt(value);
                case "--node-id" -> nodeId = Long.parseLong(value);
                case "--timeout-ms" -> timeoutMillis = Long.parseLong(value);
                case "--redeliveries" -> redeliveries = Long.parseLong(value);
                case "--aeron-dir" -> aeronDirectory = value;
                case "--driver-dir" -> driverDirectory = value;
                case "--driver-thread" -> driverThread = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (host == null || listen == null || file == null)
        {
            throw new IllegalArgumentException("--host, --listen and --file are required");
        }
        if (!driverThread.equals("own") && !driverThread.equals("node"))
        {
            throw new IllegalArgumentException("--driver-thread is own or node, not " + driverThread);
        }
        if (aeronDirectory != null && driverThread.equals("node"))
        {
            throw new IllegalArgumentException("--driver-thread node runs a driver the node launches; --aeron-dir names one that runs already");
        }
        final DispatchChannel local = DispatchChannel.builder()
            .slabCapacity(capacity)
            .completionTimeout(Duration.ofMillis(timeoutMillis))
            .redeliveryLimit(redeliveries)
            .file(Path.of(file))
            .build();
        try
        {
            final RemoteNodeBuilder builder = RemoteNode.builder(local)
                .host(host, Defaults.HOST_STREAM_ID)
                .listen(listen, Defaults.NODE_STREAM_ID);
            if (nodeId >= 0)
            {
                builder.nodeId(nodeId);
            }
            // a node killed leaves its driver's log buffers; named after its file, its next run clears them
            final AeronTransport embedded = AeronTransport.embeddedDriver(driverDirectory != null ? driverDirectory :
                "/dev/shm/aeron-baton-node-" + Path.of(file).getFileName());
            builder.transport(aeronDirectory != null ? AeronTransport.runningDriver(aeronDirectory) :
                driverThread.equals("node") ? embedded.invokedByDutyCycle() : embedded);
            final RemoteNode node = builder.start();
            return new RunningNode(local, node, "baton node " + node.nodeId() + ": handlers open the channel file " +
                file + (Path.of(file).isAbsolute() ? "" : " (under /dev/shm)") + "; events come on " + listen +
                ", outcomes go to " + host);
        }
        catch (final RuntimeException | Error e)
        {
            local.close();
            throw e;
        }
    }
}
