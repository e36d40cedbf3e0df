package dev.baton.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.baton.internal.ffi.NativeLibrary;
import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The handler processes of the cross-process tests: C (tests/c/handler_process.c), and Python, Ruby
 * and Node on this repository's bindings (tests/bindings/handler-process). Each attaches to a channel
 * file by path, prints "attached", serves with doubling handlers until the channel closes, then
 * prints "served N". The C fault build (with tests/c/fault_hooks.c) kills itself with SIGKILL at a
 * named instant.
 */
public final class HandlerProcesses
{
    private HandlerProcesses()
    {
    }

    /**
     * @param name the program's name beside libbaton.
     * @return its path; the calling test is skipped when it is not built, or fails when
     * {@code baton.handler.pools.required} says it must be.
     */
    public static Path program(final String name)
    {
        final Path program = NativeLibrary.beside(name);
        if (Boolean.getBoolean("baton.handler.pools.required"))
        {
            assertTrue(Files.isExecutable(program), program + " must be built for this test (make handler-pools)");
        }
        Assumptions.assumeTrue(Files.isExecutable(program), program + " is not built: run make handler-pools");
        return program;
    }

    /**
     * @param name a name for the channel file.
     * @return a relative path, unique to this process and moment, that the builder places in /dev/shm.
     */
    public static Path channelFile(final String name)
    {
        return Path.of("baton-test-" + ProcessHandle.current().pid() + "-" + name + "-" + System.nanoTime());
    }

    /**
     * @param path a relative channel path.
     * @return where the builder places it.
     */
    public static Path inSharedMemory(final Path path)
    {
        return Path.of("/dev/shm").resolve(path);
    }

    /**
     * Starts a handler process and waits until it has attached.
     *
     * @param path           the channel file, relative to /dev/shm.
     * @param threads        its handler threads.
     * @param silentPerMille the share of events it leaves uncompleted, to time out.
     * @param fault          null, or {@code <point>:<n>}: the fault build, killed the n-th time it
     *                       reaches the instant.
     * @return the process, attached.
     */
    public static Process start(final Path path, final int threads, final int silentPerMille, final String fault)
        throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder(
            program(fault == null ? "baton_handler_process" : "baton_handler_process_faults").toString(),
            inSharedMemory(path).toString(), String.valueOf(threads), String.valueOf(silentPerMille))
            .redirectError(ProcessBuilder.Redirect.INHERIT);
        if (fault != null)
        {
            builder.environment().put("BATON_FAULT", fault);
        }
        final Process process = builder.start();
        assertEquals("attached", firstLine(process.getInputStream()), "the handler process attached");
        return process;
    }

    /**
     * Starts a handler process on one of the language bindings and waits until it has attached.
     *
     * @param language python, ruby, node or rust.
     * @param path     the channel file, relative to /dev/shm.
     * @param threads  its handler threads (Node: worker threads).
     * @return the process, attached; the calling test is skipped when the binding cannot load here,
     * or fails when {@code baton.handler.pools.required} says it must.
     */
    public static Process startBinding(final String language, final Path path, final int threads)
        throws IOException
    {
        final Path launcher = requireBinding(language);
        final Process process = new ProcessBuilder(launcher.toString(), language, inSharedMemory(path).toString(),
            String.valueOf(threads)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertEquals("attached", firstLine(process.getInputStream()), "the " + language + " handler process attached");
        return process;
    }

    /**
     * Called before a test makes what it would leave behind when skipped (a channel file).
     *
     * @param language python, ruby, node or rust.
     * @return the launcher of handler processes; the calling test is skipped when the binding cannot
     * load here, or fails when {@code baton.handler.pools.required} says it must.
     */
    public static Path requireBinding(final String language)
    {
        final Path launcher = Path.of(System.getProperty("baton.root"), "tests/bindings/handler-process");
        final String failure = BINDING_LOAD_FAILURES.computeIfAbsent(language, unchecked -> loadFailure(launcher, unchecked));
        if (Boolean.getBoolean("baton.handler.pools.required"))
        {
            assertTrue(failure.isEmpty(), "the " + language + " binding must load for this test (make test sets it up): " + failure);
        }
        Assumptions.assumeTrue(failure.isEmpty(), "the " + language + " binding does not load here: " + failure);
        return launcher;
    }

    /** Per language: "" when its binding loads here, else what its check printed; checked once per run. */
    private static final Map<String, String> BINDING_LOAD_FAILURES = new ConcurrentHashMap<>();

    private static String loadFailure(final Path launcher, final String language)
    {
        try
        {
            final Process check = new ProcessBuilder(launcher.toString(), language, "--check")
                .redirectErrorStream(true).start();
            final String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return check.waitFor() == 0 ? "" : "exit " + check.exitValue() + ": " + output;
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return ex.toString();
        }
    }

    /** The first line, read byte by byte: nothing after it is taken from the stream. */
    private static String firstLine(final InputStream output) throws IOException
    {
        final StringBuilder line = new StringBuilder();
        for (int next = output.read(); next != -1 && next != '\n'; next = output.read())
        {
            line.append((char)next);
        }
        return line.toString();
    }

    /**
     * @param process a handler process whose channel was closed.
     * @return the events it completed, as it printed them at its end.
     */
    public static long servedBy(final Process process) throws IOException, InterruptedException
    {
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "a handler process ends once the channel closes");
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.startsWith("served "), output);
        return Long.parseLong(output.substring("served ".length()));
    }
}
