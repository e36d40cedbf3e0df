package dev.baton.ffi;

import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds and loads {@code libbaton.so}, once per process, from the first of:
 * <ol>
 *   <li>the file named by the system property {@code baton.native.library};</li>
 *   <li>the folder named by the system property {@code baton.native.dir};</li>
 *   <li>each folder of {@code java.library.path}.</li>
 * </ol>
 * The library stays loaded for the life of the process (the global arena).
 */
public final class NativeLibrary
{
    /** The file name of the library on Linux. */
    public static final String FILE_NAME = "libbaton.so";

    private static final Result RESULT = load();

    private NativeLibrary()
    {
    }

    private record Result(SymbolLookup lookup, Path path, List<String> lookedAt)
    {
    }

    /** @return whether libbaton was found and loaded. */
    public static boolean isAvailable()
    {
        return RESULT.lookup != null;
    }

    /** @return where libbaton was loaded from, if it was. */
    public static Optional<Path> path()
    {
        return Optional.ofNullable(RESULT.path);
    }

    /**
     * @param fileName a library built beside libbaton, such as a handler pool.
     * @return its path, in libbaton's folder.
     * @throws IllegalStateException naming every place looked at, when libbaton was not found.
     */
    public static Path beside(final String fileName)
    {
        lookup(); // the same clear error when libbaton itself is missing
        return RESULT.path.resolveSibling(fileName);
    }

    /**
     * @return the library's symbols.
     * @throws IllegalStateException naming every place looked at, when it was not found.
     */
    public static SymbolLookup lookup()
    {
        if (RESULT.lookup == null)
        {
            throw new IllegalStateException(
                FILE_NAME + " not found (build it with `make native`); looked at: " + RESULT.lookedAt);
        }
        return RESULT.lookup;
    }

    // restricted: loading a native library is what this class is for.
    @SuppressWarnings("restricted")
    private static Result load()
    {
        final List<Path> candidates = new ArrayList<>();
        final String file = System.getProperty("baton.native.library");
        if (file != null)
        {
            candidates.add(Path.of(file));
        }
        final String dir = System.getProperty("baton.native.dir");
        if (dir != null)
        {
            candidates.add(Path.of(dir, FILE_NAME));
        }
        for (final String entry : System.getProperty("java.library.path", "").split(File.pathSeparator))
        {
            if (!entry.isEmpty())
            {
                candidates.add(Path.of(entry, FILE_NAME));
            }
        }
        final List<String> lookedAt = new ArrayList<>();
        for (final Path candidate : candidates)
        {
            lookedAt.add(candidate.toString());
            if (Files.isRegularFile(candidate))
            {
                return new Result(SymbolLookup.libraryLookup(candidate, Arena.global()), candidate, lookedAt);
            }
        }
        return new Result(null, null, List.copyOf(lookedAt));
    }
}
