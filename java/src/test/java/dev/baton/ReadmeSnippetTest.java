package dev.baton;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Java host snippet, taken from the README by {@code build/readme-snippet}, compiled
 * against this build and run: the README cannot drift from the code.
 */
class ReadmeSnippetTest
{
    @TempDir
    Path temp;

    @Test
    void theJavaHostSnippetCompilesAndDoublesTenNumbers() throws Exception
    {
        final Path root = Path.of(System.getProperty("baton.root"));
        final Process extract = new ProcessBuilder(
            root.resolve("build/readme-snippet").toString(), "java-host", root.resolve("README.md").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String source = new String(extract.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, extract.waitFor(), "the README has a java-host snippet");
        final Path file = Files.writeString(temp.resolve("QuickStart.java"), source);

        final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        final int compiled = javac.run(null, diagnostics, diagnostics,
            "-classpath", System.getProperty("java.class.path"), "-d", temp.toString(), file.toString());
        assertEquals(0, compiled, diagnostics::toString);

        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        final PrintStream out = System.out;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {temp.toUri().toURL()}, getClass().getClassLoader()))
        {
            final Method main = loader.loadClass("QuickStart").getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object)new String[0]);
        }
        finally
        {
            System.setOut(out);
        }
        final List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.getFirst().startsWith("sum of doubles: 110; ChannelMetrics[pendingCount=0"), lines::toString);
    }
}
