package dev.baton.internal.channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

import dev.baton.internal.layout.HeaderDescriptor;

/**
 * Channels in files that other processes map. The creator sizes and maps a file under a temporary
 * name, formats it, then links it to its path, so that no process opens a half-made channel; it
 * removes the path at close. An opener checks the file's owner and size before it reads a byte, so
 * a short file cannot fault and another user's file is not trusted by accident. The C twin is
 * {@code native/channel_file.c}.
 */
public final class ChannelFile
{
    /** Where a relative path goes: memory-backed, so the channel's pages never reach a disk. */
    static final Path DEFAULT_DIRECTORY = Path.of("/dev/shm");

    private static final Set<PosixFilePermission> OWNER_ONLY =
        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path path;
    /** The name the file is formatted under before {@link #publish}; null for an adopted file. */
    private final Path temporary;
    private final MemorySegment memory;
    /** Whether {@link #publish} linked the file to its path: only then is the path this channel's. */
    private boolean published;

    private ChannelFile(final Path path, final Path temporary, final MemorySegment memory)
    {
        this.path = path;
        this.temporary = temporary;
        this.memory = memory;
    }

    /**
     * @param path absolute, or relative to {@link #DEFAULT_DIRECTORY}.
     * @return where the channel's file is.
     */
    public static Path resolve(final Path path)
    {
        return DEFAULT_DIRECTORY.resolve(path);
    }

    /**
     * Creates the channel's file under a temporary name beside its path, owner-only, and maps it.
     *
     * @param path   the channel's path, absolute.
     * @param length the channel's length in bytes.
     * @param arena  owns the mapping.
     * @return the file, to {@link #publish} once formatted.
     */
    public static ChannelFile create(final Path path, final long length, final Arena arena)
    {
        final Path temporary = path.resolveSibling(path.getFileName() + "." + ProcessHandle.current().pid() + ".creating");
        try (FileChannel file = FileChannel.open(
            temporary, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(OWNER_ONLY)))
        {
            // A read-write mapping past the end of the file extends the file.
            return new ChannelFile(path, temporary, file.map(FileChannel.MapMode.READ_WRITE, 0, length, arena));
        }
        catch (final IOException ex)
        {
            deleteQuietly(temporary);
            throw new UncheckedIOException("cannot create the channel file " + temporary, ex);
        }
    }

    /**
     * @param path   the path of a channel file this process mapped ({@link #open}) and adopted as its
     *               host, absolute.
     * @param memory the file's mapping.
     * @return the file, to {@link #remove} at close as its creator would have.
     */
    public static ChannelFile adopted(final Path path, final MemorySegment memory)
    {
        final ChannelFile file = new ChannelFile(path, null, memory);
        file.published = true;
        return file;
    }

    /** @return the channel's path. */
    public Path path()
    {
        return path;
    }

    /** @return the file's mapping, page-aligned. */
    public MemorySegment memory()
    {
        return memory;
    }

    /**
     * Links the formatted file to its path, and drops the temporary name.
     *
     * @throws IllegalStateException if a file exists at the path: it is left as it is.
     */
    public void publish()
    {
        try
        {
            Files.createLink(path, temporary);
            published = true;
        }
        catch (final FileAlreadyExistsException ex)
        {
            throw new IllegalStateException(path + ": a file already exists there", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot link the channel file to " + path, ex);
        }
        finally
        {
            deleteQuietly(temporary);
        }
    }

    /**
     * Removes the channel's path, if it was published (a path this channel never linked belongs to
     * someone else), and the temporary name; processes that mapped the file keep their mappings.
     */
    public void remove()
    {
        if (published)
        {
            deleteQuietly(path);
        }
        if (temporary != null)
        {
            deleteQuietly(temporary);
        }
    }

    /**
     * Maps a channel file another process created. Each refusal names the path and the fault in the
     * words of {@code baton_open}'s detail ({@code baton_error_detail}).
     *
     * @param path     the channel's path, absolute.
     * @param anyOwner whether to accept a file another user owns.
     * @param arena    owns the mapping.
     * @return the whole file, mapped; its header is not yet checked.
     * @throws IllegalArgumentException if the file does not exist, is another user's, is no regular
     *                                  file or is too short to hold a header.
     */
    public static MemorySegment open(final Path path, final boolean anyOwner, final Arena arena)
    {
        try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final int owner = (int)Files.getAttribute(path, "unix:uid");
            final int own = (int)Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (!anyOwner && owner != own)
            {
                throw new IllegalArgumentException(path + ": owned by uid " + owner + ", and this process runs as uid " + own);
            }
            if (!Files.isRegularFile(path))
            {
                throw new IllegalArgumentException(path + ": not a regular file");
            }
            final long length = file.size();
            if (length < HeaderDescriptor.LENGTH)
            {
                throw new IllegalArgumentException(
                    path + ": " + length + " bytes, shorter than a channel header (" + HeaderDescriptor.LENGTH + " bytes)");
            }
            return file.map(FileChannel.MapMode.READ_WRITE, 0, length, arena);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalArgumentException(path + ": no such file", ex);
        }
        catch (final AccessDeniedException ex)
        {
            throw new IllegalArgumentException(path + ": permission denied", ex);
        }
        catch (final FileSystemException ex)
        {
            throw new UncheckedIOException(path + ": " + ex.getReason(), ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(path + ": " + ex.getMessage(), ex);
        }
    }

    private static void deleteQuietly(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignored)
        {
            // best effort: the file is only a name; the mappings hold the memory
        }
    }
}
