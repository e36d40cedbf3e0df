package dev.baton;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each package of the library depends only on the layers below it: the layout at the bottom, the
 * protocols and the bindings on it, the latency recorder on those, the operations of each role
 * (internal.channel) on those, the public roles on all of them, and the Micrometer binder on the
 * public roles. Read from the sources' imports and fully qualified names.
 */
class LayeringTest
{
    private static final Path MAIN = Path.of(System.getProperty("baton.root", "..")).resolve("java/src/main/java");
    private static final String LAYOUT = "dev.baton.internal.layout";
    private static final String PROTOCOL = "dev.baton.internal.protocol";
    private static final String FFI = "dev.baton.internal.ffi";
    private static final String CHANNEL = "dev.baton.internal.channel";
    private static final String LATENCY = "dev.baton.latency";
    private static final String JFR = "dev.baton.jfr";

    private static final Map<String, Set<String>> MAY_USE = Map.of(
        LAYOUT, Set.of(),
        PROTOCOL, Set.of(LAYOUT),
        FFI, Set.of(LAYOUT),
        LATENCY, Set.of(LAYOUT, PROTOCOL),
        CHANNEL, Set.of(LAYOUT, PROTOCOL, FFI, LATENCY, JFR),
        "dev.baton.state", Set.of(),
        JFR, Set.of(),
        "dev.baton", Set.of(LAYOUT, PROTOCOL, FFI, CHANNEL, LATENCY, JFR),
        "dev.baton.micrometer", Set.of("dev.baton", LATENCY),
        "dev.baton.opentelemetry", Set.of("dev.baton"));

    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.baton(?:\\.[a-z]+)*)\\.[A-Z]");
    /** Comments and string literals, which name things without depending on them. */
    private static final Pattern NOT_CODE = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\])*\"");

    @Test
    void everyPackageUsesOnlyTheLayersBelowIt() throws IOException
    {
        final List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> sources = Files.walk(MAIN))
        {
            for (final Path source : sources.filter(path -> path.toString().endsWith(".java")).toList())
            {
                final String text = Files.readString(source);
                final Matcher declared = Pattern.compile("(?m)^package ([\\w.]+);").matcher(text);
                if (!declared.find())
                {
                    continue; // module-info.java
                }
                files++;
                final String pkg = declared.group(1);
                final Set<String> allowed = MAY_USE.get(pkg);
                assertTrue(allowed != null, "a layer for package " + pkg);
                final String code = NOT_CODE.matcher(text.substring(declared.end())).replaceAll(" ");
                final Matcher reference = REFERENCE.matcher(code);
                while (reference.find())
                {
                    final String used = reference.group(1);
                    if (!used.equals(pkg) && !allowed.contains(used))
                    {
                        violations.add(MAIN.relativize(source) + " uses " + used);
                    }
                }
            }
        }
        assertTrue(files > 40, "read the library's sources: " + files);
        assertEquals(List.of(), violations.stream().distinct().toList());
    }
}
