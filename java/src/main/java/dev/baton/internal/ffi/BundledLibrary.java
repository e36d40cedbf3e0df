package dev.baton.internal.ffi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The copy of {@code libbaton.so} that Baton's jar carries, at
 * {@code dev/baton/native/<os>-<arch>/libbaton.so}, and its extraction into a private folder
 * (owner-only permissions, a fresh folder per process, deleted at exit).
 *
 * <p>Mapping an extracted library needs a file system that allows executable mappings; {@code /tmp}
 * is often mounted {@code noexec}. So the extraction is tried under each of
 * {@link #extractionBases()} in turn, and the loader moves on when one cannot be written or mapped.
 */
public final class BundledLibrary
{
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final String resourceName;

    private BundledLibrary(final String resourceName)
    {
        this.resourceName = resourceName;
    }

    /** @return the bundled library of the running platform, such as {@code linux-x86_64}. */
    public static BundledLibrary forThisPlatform()
    {
        return new BundledLibrary("dev/baton/native/" + platform() + "/" + NativeLibrary.FILE_NAME);
    }

    public static String platform()
    {
        final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).replace(" ", "");
        final String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os + "-" + switch (arch)
        {
            case "amd64", "x86_64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            default -> arch;
        };
    }

    /**
     * Where extraction is tried, in order: {@code baton.native.extract.dir} when set, then
     * {@code java.io.tmpdir}, then {@code ~/.cache/baton}.
     *
     * @return base folders; a private folder is created inside the one that works.
     */
    public static List<Path> extractionBases()
    {
        final List<Path> bases = new ArrayList<>();
        final String chosen = System.getProperty("baton.native.extract.dir");
        if (chosen != null)
        {
            bases.add(Path.of(chosen));
        }
        bases.add(Path.of(System.getProperty("java.io.tmpdir")));
        bases.add(Path.of(System.getProperty("user.home"), ".cache", "baton"));
        return bases;
    }

    public String resourceName()
    {
        return resourceName;
    }

    public boolean isPresent()
    {
        return BundledLibrary.class.getClassLoader().getResource(resourceName) != null;
    }

    /**
     * @param base     a folder to create the private folder in (created if missing).
     * @param lookedAt where to say why, when this fails.
     * @return the extracted library, or null when the folder or the file could not be written.
     */
    public Path extractUnder(final Path base, final List<String> lookedAt)
    {
        try (InputStream in = BundledLibrary.class.getClassLoader().getResourceAsStream(resourceName))
        {
            if (in == null)
            {
                lookedAt.add(resourceName + ": not in the jar");
                return null;
            }
            createPrivately(base);
            final Path folder = Files.createTempDirectory(base, "baton-", OWNER_ONLY);
            folder.toFile().deleteOnExit();
            final Path library = folder.resolve(NativeLibrary.FILE_NAME);
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            library.toFile().deleteOnExit(); // deleted before its folder: File.deleteOnExit runs in reverse
            Files.setPosixFilePermissions(library, PosixFilePermissions.fromString("r-x------"));
            return library;
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            lookedAt.add(base + ": cannot extract the jar's " + NativeLibrary.FILE_NAME + " there (" + ex + ")");
            return null;
        }
    }

    /**
     * @param library an extracted copy that dlopen refused.
     * @return the likely reason: a {@code noexec} mount, when {@code /proc/self/mounts} shows one
     * holding the file.
     */
    public static String whyRefused(final Path library)
    {
        String mountPoint = "";
        boolean noexec = false;
        try
        {
            final Path real = library.toRealPath();
            for (final String line : Files.readAllLines(Path.of("/proc/self/mounts")))
            {
                final String[] fields = line.split(" ");
                if (fields.length > 3 && real.startsWith(fields[1]) && fields[1].length() >= mountPoint.length())
                {
                    mountPoint = fields[1];
                    noexec = List.of(fields[3].split(",")).contains("noexec");
                }
            }
        }
        catch (final IOException | SecurityException ex)
        {
            return "dlopen refused it";
        }
        return noexec ? "the file system at " + mountPoint + " is mounted noexec, so it cannot be mapped" :
            "dlopen refused it";
    }

    private static void createPrivately(final Path base) throws IOException
    {
        if (Files.isDirectory(base))
        {
            return;
        }
        try
        {
            Files.createDirectories(base.getParent());
            Files.createDirectory(base, OWNER_ONLY);
        }
        catch (final FileAlreadyExistsException raced)
        {
            if (!Files.isDirectory(base))
            {
                throw raced;
            }
        }
    }
}
