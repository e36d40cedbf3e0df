package dev.baton.internal.ffi;

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
 *   <li>each folder of {@code java.library.path};</li>
 *   <li>the copy inside Baton's jar, extracted by {@link BundledLibrary} (unless
 *       {@code baton.native.extract} is {@code false}).</li>
 * </ol>
 * The library stays loaded for the life of the process (the global arena). When none loads,
 * {@link #lookup()} throws with every place looked at and why each failed.
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
     * @return every place looked at before libbaton loaded (all of them, when it did not), and why
     * each was passed over.
     */
    public static List<String> lookedAt()
    {
        return RESULT.lookedAt;
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
            throw new IllegalStateException(FILE_NAME + " could not be loaded. Looked at:\n  " +
                String.join("\n  ", RESULT.lookedAt) + "\nName a copy with -Dbaton.native.library=<file>, or let " +
                "Baton extract its own to a folder on a file system that allows executable mappings with " +
                "-Dbaton.native.extract.dir=<folder>.");
        }
        return RESULT.lookup;
    }

    private static Result load()
    {
        final List<Path> installed = new ArrayList<>();
        final String file = System.getProperty("baton.native.library");
        if (file != null)
        {
            installed.add(Path.of(file));
        }
        final String dir = System.getProperty("baton.native.dir");
        if (dir != null)
        {
            installed.add(Path.of(dir, FILE_NAME));
        }
        for (final String entry : System.getProperty("java.library.path", "").split(File.pathSeparator))
        {
            if (!entry.isEmpty())
            {
                installed.add(Path.of(entry, FILE_NAME));
            }
        }
        final List<String> lookedAt = new ArrayList<>();
        for (final Path candidate : installed)
        {
            if (!Files.isRegularFile(candidate))
            {
                lookedAt.add(candidate + ": no such file");
                continue;
            }
            final SymbolLookup lookup = tryLoad(candidate, lookedAt);
            if (lookup != null)
            {
                return new Result(lookup, candidate, List.copyOf(lookedAt));
            }
        }
        if (!Boolean.parseBoolean(System.getProperty("baton.native.extract", "true")))
        {
            lookedAt.add("the copy in Baton's jar: not extracted (baton.native.extract=false)");
            return new Result(null, null, List.copyOf(lookedAt));
        }
        final BundledLibrary bundled = BundledLibrary.forThisPlatform();
        if (!bundled.isPresent())
        {
            lookedAt.add(bundled.resourceName() + ": not in the jar (no build of Baton for this platform)");
            return new Result(null, null, List.copyOf(lookedAt));
        }
        for (final Path base : BundledLibrary.extractionBases())
        {
            final Path extracted = bundled.extractUnder(base, lookedAt);
            final SymbolLookup lookup = extracted == null ? null : tryLoad(extracted, lookedAt);
            if (lookup != null)
            {
                return new Result(lookup, extracted, List.copyOf(lookedAt));
            }
            if (extracted != null)
            {
                lookedAt.add("  (" + BundledLibrary.whyRefused(extracted) + ")");
            }
        }
        return new Result(null, null, List.copyOf(lookedAt));
    }

    // restricted: loading a native library is what this class is for.
    @SuppressWarnings("restricted")
    private static SymbolLookup tryLoad(final Path library, final List<String> lookedAt)
    {
        try
        {
            return SymbolLookup.libraryLookup(library, Arena.global());
        }
        catch (final IllegalArgumentException ex)
        {
            lookedAt.add(library + ": " + ex.getMessage());
            return null;
        }
    }
}
