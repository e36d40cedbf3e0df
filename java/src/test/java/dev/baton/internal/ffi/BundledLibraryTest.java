package dev.baton.internal.ffi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The copy of libbaton inside Baton's classes (the jar's content), loaded by a fresh JVM that has no
 * other copy in sight: extracted to a private folder, with a fallback when a folder cannot be used
 * and a clear refusal when none can.
 */
class BundledLibraryTest
{
    @TempDir
    Path temp;

    @Test
    void aJvmWithNoInstalledCopyExtractsTheBundledOneToAPrivateFolder() throws Exception
    {
        final Path tmp = Files.createDirectory(temp.resolve("tmp"));
        final List<String> out = probe("-Djava.io.tmpdir=" + tmp);
        final Path loaded = Path.of(line(out, "loaded "));
        assertEquals(tmp, loaded.getParent().getParent(), "extracted under java.io.tmpdir");
        assertTrue(loaded.getParent().getFileName().toString().startsWith("baton-"));
        assertEquals("0", line(out, "call "), "a NULL config has no length: the library answers");
        assertTrue(out.stream().anyMatch(lookedAt -> lookedAt.contains("no such file")), out::toString);
        assertTrue(Files.notExists(loaded), "the extracted copy is deleted when the JVM exits");
    }

    @Test
    void aFolderThatCannotBeWrittenIsPassedOverWithItsReason() throws Exception
    {
        final Path notAFolder = Files.writeString(temp.resolve("file"), "x");
        final Path tmp = Files.createDirectory(temp.resolve("tmp"));
        final List<String> out =
            probe("-Dbaton.native.extract.dir=" + notAFolder.resolve("sub"), "-Djava.io.tmpdir=" + tmp);
        assertEquals(tmp, Path.of(line(out, "loaded ")).getParent().getParent());
        assertTrue(out.stream().anyMatch(lookedAt -> lookedAt.startsWith("looked " + notAFolder.resolve("sub") +
            ": cannot extract")), out::toString);
    }

    @Test
    void whenNoFolderWorksTheErrorNamesEachAndTheWayOut() throws Exception
    {
        final Path notAFolder = Files.writeString(temp.resolve("file"), "x");
        final List<String> out = probe(
            "-Dbaton.native.extract.dir=" + notAFolder.resolve("a"),
            "-Djava.io.tmpdir=" + notAFolder.resolve("b"),
            "-Duser.home=" + notAFolder.resolve("c"));
        final String refusal = String.join("\n", out);
        assertTrue(line(out, "refused ").startsWith("libbaton.so could not be loaded"), refusal);
        for (final String place : List.of("a", "b", "c/.cache/baton"))
        {
            assertTrue(refusal.contains(notAFolder.resolve(place) + ": cannot extract"), place + " in " + refusal);
        }
        assertTrue(refusal.contains("-Dbaton.native.library=") && refusal.contains("-Dbaton.native.extract.dir="));
    }

    @Test
    void extractionCanBeTurnedOff() throws Exception
    {
        final List<String> out = probe("-Dbaton.native.extract=false");
        assertTrue(String.join("\n", out).contains("not extracted (baton.native.extract=false)"), out::toString);
        assertTrue(line(out, "refused ").startsWith("libbaton.so could not be loaded"), out::toString);
    }

    /** Runs {@link LoadProbe} in a JVM with this one's classes, no native folder and no library path. */
    private List<String> probe(final String... properties) throws IOException, InterruptedException
    {
        final Path noLibraries = Files.createDirectories(temp.resolve("no-libraries"));
        final List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-Djava.library.path=" + noLibraries,
            "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(properties));
        command.add(LoadProbe.class.getName());
        final Path output = temp.resolve("probe-" + System.nanoTime() + ".txt");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
            .start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe JVM finished");
        assertEquals(0, process.exitValue());
        return Files.readAllLines(output, StandardCharsets.UTF_8);
    }

    private static String line(final List<String> out, final String prefix)
    {
        return out.stream().filter(line -> line.startsWith(prefix)).findFirst()
            .map(line -> line.substring(prefix.length()))
            .orElseThrow(() -> new AssertionError("no '" + prefix + "' in " + out));
    }
}
