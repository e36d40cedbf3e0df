package dev.baton.aeron;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes as a user runs them, each in processes of its own: a JVM running {@link NodeMain} (with its
 * own embedded media driver) on a channel file, and a C handler process
 * ({@code tests/c/handler_process.c}) on that file. Their output goes to logs in a directory; the
 * media drivers' directories, which a killed node leaves in /dev/shm, are removed at close.
 */
final class NodeProcesses implements AutoCloseable
{
    private final Path directory;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> driverDirectories = new ArrayList<>();

    NodeProcesses(final Path directory)
    {
        this.directory = directory;
    }

    /**
     * Starts a node and its handler process, and waits until the handler attached.
     *
     * @param options more of NodeMain's options, each followed by its value.
     * @return the node's JVM.
     */
    Process start(final String hostChannel, final int nodeId, final String... options) throws IOException
    {
        final Path file = directory.resolve("node-" + nodeId + "-" + System.nanoTime());
        // in memory, as Aeron wants its log buffers; a killed node leaves them, so close() removes them
        final Path driver = Path.of("/dev/shm", "aeron-baton-test-" + ProcessHandle.current().pid() + "-" + file.getFileName());
        driverDirectories.add(driver);
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "-Dbaton.native.dir=" + System.getProperty("baton.native.dir"),
            "-cp", System.getProperty("java.class.path"),
            NodeMain.class.getName(),
            "--host", hostChannel,
            "--listen", Ports.freeLoopbackChannel(),
            "--file", file.toString(),
            "--driver-dir", driver.toString(),
            "--capacity", "128",
            "--node-id", Integer.toString(nodeId)));
        command.addAll(List.of(options));
        final Process node = new ProcessBuilder(command)
            .redirectError(directory.resolve("node-" + nodeId + ".errors").toFile())
            .start();
        processes.add(node);
        final String started = firstLine(node, "node " + nodeId);
        assertTrue(started != null && started.startsWith("baton node"), () -> "node " + nodeId + " did not start: " + logs());

        final Path program = Path.of(System.getProperty("baton.native.dir"), "baton_handler_process");
        assertTrue(Files.isExecutable(program), program + " is missing: make handler-pools builds it");
        final Process handler = new ProcessBuilder(program.toString(), file.toString(), "1")
            .redirectError(directory.resolve("handler-" + nodeId + ".errors").toFile())
            .start();
        processes.add(handler);
        assertEquals("attached", firstLine(handler, "node " + nodeId + "'s handler"), () -> logs());
        return node;
    }

    /**
     * @return the process's first line, or null once it ended; a process that says nothing for a
     * minute is reported as hung (a guard against a hang, not a measure of time).
     */
    private String firstLine(final Process process, final String name)
    {
        try
        {
            return within(60, () -> new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine());
        }
        catch (final TimeoutException e)
        {
            final String threads = threadDump(process);
            process.destroyForcibly();
            throw new AssertionError("hung: " + name + " said nothing: " + logs() + "\nits threads:\n" + threads, e);
        }
    }

    /** @return a JVM's threads as jcmd prints them, or why not (it is no JVM, or jcmd failed). */
    private static String threadDump(final Process process)
    {
        try
        {
            final Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).start();
            return new String(within(30, () -> jcmd.getInputStream().readAllBytes()), StandardCharsets.UTF_8);
        }
        catch (final IOException | TimeoutException e)
        {
            return "(no thread dump: " + e + ")";
        }
    }

    /** A read that may block, given up after some seconds: a guard against a hang, not a measure of time. */
    private interface Read<T>
    {
        T read() throws IOException;
    }

    private static <T> T within(final int seconds, final Read<T> read) throws TimeoutException
    {
        final CompletableFuture<T> result = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return read.read();
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        });
        try
        {
            return result.get(seconds, TimeUnit.SECONDS);
        }
        catch (final InterruptedException | ExecutionException e)
        {
            throw new AssertionError(e);
        }
    }

    /** @return what the processes wrote to their error streams. */
    String logs()
    {
        final StringBuilder text = new StringBuilder();
        try (var files = Files.list(directory))
        {
            for (final Path log : files.filter(path -> path.toString().endsWith(".errors")).toList())
            {
                text.append(log.getFileName()).append(":\n").append(Files.readString(log));
            }
        }
        catch (final IOException e)
        {
            text.append("(the logs could not be read: ").append(e).append(')');
        }
        return text.toString();
    }

    /** Kills every process still running, and waits for each. */
    @Override
    public void close()
    {
        for (final Process process : processes)
        {
            process.destroyForcibly();
        }
        for (final Process process : processes)
        {
            process.onExit().join();
        }
        processes.clear();
        for (final Path driver : driverDirectories)
        {
            if (Files.exists(driver))
            {
                try (Stream<Path> inside = Files.walk(driver))
                {
                    for (final Path path : inside.sorted(Comparator.reverseOrder()).toList())
                    {
                        Files.delete(path);
                    }
                }
                catch (final IOException e)
                {
                    throw new UncheckedIOException(e);
                }
            }
        }
        driverDirectories.clear();
    }
}
