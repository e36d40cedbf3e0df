package dev.baton.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import dev.baton.internal.ffi.NativeLibrary;

/**
 * The demo's remote mode: node JVMs ({@code dev.baton.aeron.NodeMain}) on this machine's loopback,
 * each serving its local channel file to handler processes of one language, as nodes on other
 * machines would. One can be killed midway; at the end each survivor is stopped (SIGTERM), and its
 * handler processes say how many events they served; what a killed node left in /dev/shm is removed.
 */
final class RemoteNodes implements AutoCloseable
{
    /** The flag a JVM that runs Aeron's media driver needs (Agrona's UnsafeApi). */
    private static final String AERON_EXPORTS = "java.base/jdk.internal.misc=ALL-UNNAMED";

    private final List<Process> nodes = new ArrayList<>();
    private final List<Process> handlers = new ArrayList<>();
    /** What a killed node leaves in /dev/shm (its channel file, its media driver's directory), removed at close. */
    private final List<Path> leftovers = new ArrayList<>();
    private final boolean[] killed;

    private RemoteNodes(final int count)
    {
        this.killed = new boolean[count];
    }

    /**
     * Starts {@code count} nodes, each with one handler process of {@code language} (c, python, ruby
     * or node) on its channel file.
     *
     * @param hostChannel where the host's side of the bridge listens.
     * @param capacity    each node's credit: its local channel's capacity.
     */
    static RemoteNodes start(final int count, final String language, final String hostChannel, final int capacity)
        throws IOException
    {
        final RemoteNodes remote = new RemoteNodes(count);
        try
        {
            for (int n = 0; n < count; n++)
            {
                final Path file = Path.of("/dev/shm", "baton-demo-" + ProcessHandle.current().pid() + "-node-" + n);
                final Path driver = Path.of("/dev/shm", "aeron-baton-demo-" + ProcessHandle.current().pid() + "-node-" + n);
                remote.leftovers.add(file);
                remote.leftovers.add(driver);
                final Process node = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-exports", AERON_EXPORTS,
                    "--enable-native-access=ALL-UNNAMED",
                    "-Dbaton.native.dir=" + System.getProperty("baton.native.dir", ""),
                    "-cp", System.getProperty("java.class.path"),
                    "dev.baton.aeron.NodeMain",
                    "--host", hostChannel,
                    "--listen", "aeron:udp?endpoint=127.0.0.1:" + Ports.freeUdpPort(),
                    "--file", file.toString(),
                    "--driver-dir", driver.toString(),
                    "--capacity", Integer.toString(capacity),
                    "--node-id", Integer.toString(n + 1))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
                remote.nodes.add(node);
                // the node says where its channel is once it is made, and nothing more until it stops
                new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8)).readLine();
                final List<String> command = language.equals("c")
                    ? List.of(NativeLibrary.beside("baton_handler_process").toString(), file.toString(), "1")
                    : List.of("tests/bindings/handler-process", language, file.toString(), "1"); // run from the repository
                final Process handler = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                remote.handlers.add(handler);
                Demo.awaitAttached(handler);
            }
            return remote;
        }
        catch (final IOException | RuntimeException e)
        {
            remote.close();
            throw e;
        }
    }

    /** Kills a node's JVM with SIGKILL: its handler processes find their host gone and exit. */
    void kill(final int node)
    {
        nodes.get(node).destroyForcibly();
        killed[node] = true;
    }

    /**
     * Stops every node still running (SIGTERM: each closes its channel and prints its metrics, shown
     * here), then reads what each node's handler process served.
     *
     * @return events served per node, or -1 for a node killed midway.
     */
    long[] stop() throws InterruptedException, IOException
    {
        for (final Process node : nodes)
        {
            node.toHandle().destroy(); // SIGTERM, leaving its output to read (Process.destroy closes it)
        }
        final long[] served = new long[nodes.size()];
        for (int n = 0; n < nodes.size(); n++)
        {
            nodes.get(n).waitFor();
            if (!killed[n]) // a node killed had its output closed with it
            {
                System.out.println(new String(nodes.get(n).getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
            }
            final Process handler = handlers.get(n);
            handler.waitFor();
            final String[] lines = new String(handler.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n");
            final String last = lines[lines.length - 1].trim();
            if (killed[n])
            {
                served[n] = -1; // what it served before its node died is in the host's count, not here
            }
            else if (last.startsWith("served "))
            {
                served[n] = Long.parseLong(last.substring("served ".length()));
            }
            else
            {
                throw new IllegalStateException("node " + n + "'s handler process ended without a count: " + last);
            }
        }
        return served;
    }

    @Override
    public void close() throws IOException
    {
        handlers.forEach(Process::destroyForcibly);
        nodes.forEach(Process::destroyForcibly);
        for (final Process process : nodes)
        {
            process.onExit().join();
        }
        for (final Path leftover : leftovers)
        {
            if (Files.exists(leftover))
            {
                try (Stream<Path> inside = Files.walk(leftover))
                {
                    for (final Path path : inside.sorted(Comparator.reverseOrder()).toList())
                    {
                        Files.delete(path);
                    }
                }
            }
        }
    }
}
