package dev.baton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

import dev.baton.internal.ffi.baton_h;
import dev.baton.internal.ffi.NativeAttachment;
import dev.baton.internal.ffi.NativeLibrary;
import dev.baton.internal.layout.HeaderDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static dev.baton.testing.HandlerProcesses.channelFile;
import static dev.baton.testing.HandlerProcesses.inSharedMemory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file that is no channel this process may open is refused from Java in the same words libbaton's
 * {@code baton_open} leaves in {@code baton_error_detail}: each case below opens the same file both
 * ways and compares the sentences, which name the path and the fault with what was found and what
 * was needed.
 */
class OpeningRefusalTest
{
    private Path folder;

    @BeforeEach
    void makeFolder() throws IOException
    {
        assertTrue(NativeLibrary.isAvailable(), "libbaton must be built for this test (make native)");
        folder = Files.createTempDirectory(Path.of("/dev/shm"), "baton-test-opening-");
    }

    @AfterEach
    void removeFolder() throws IOException
    {
        try (var files = Files.list(folder))
        {
            for (final Path file : files.toList())
            {
                Files.delete(file);
            }
        }
        Files.delete(folder);
    }

    @Test
    void aMissingFileIsNamed()
    {
        final Path missing = folder.resolve("missing");
        assertRefusedAlike(missing, missing + ": no such file");
    }

    @Test
    void aShortFileSaysItsLengthAndAHeaders() throws IOException
    {
        final Path file = Files.write(folder.resolve("short"), new byte[100]);
        assertRefusedAlike(file, file + ": 100 bytes, shorter than a channel header (512 bytes)");
    }

    @Test
    void bytesThatAreNoChannelShowBothMagics() throws IOException
    {
        final byte[] letters = new byte[8192];
        Arrays.fill(letters, (byte)'A');
        final Path file = Files.write(folder.resolve("letters"), letters);
        assertRefusedAlike(file, String.format(
            "%s: not a Baton channel: its magic is 0x4141414141414141, a channel's is 0x%016x", file, HeaderDescriptor.MAGIC));
    }

    @Test
    void anotherMajorVersionShowsBothVersions() throws IOException
    {
        final Path file = copyOfAChannel("version", header -> header.putInt(8, header.getInt(8) + (1 << 16)));
        assertRefusedAlike(file, file + ": its ABI version is " + (HeaderDescriptor.ABI_MAJOR + 1) + "." +
            (HeaderDescriptor.ABI_VERSION & 0xFFFF) + ", and this library reads major version " + HeaderDescriptor.ABI_MAJOR);
    }

    @Test
    void aHeaderThatClaimsMoreThanTheFileHoldsSaysBoth() throws IOException
    {
        final Path whole = copyOfAChannel("whole", header -> { });
        final long length = Files.size(whole);
        final Path file = Files.write(folder.resolve("half"), Arrays.copyOf(Files.readAllBytes(whole), (int)length / 2));
        assertRefusedAlike(file, file + ": its header claims " + length + " bytes, and it holds " + length / 2);
    }

    @Test
    void anInvalidConfigurationNamesTheField() throws IOException
    {
        final Path file = copyOfAChannel("slot-size", header -> header.putInt(20, 100));
        assertRefusedAlike(file,
            file + ": its header holds an invalid configuration: slot_size must be a multiple of 64 in [128, 1048576]: 100");
    }

    @Test
    void anOffsetThatDisagreesWithTheSizesIsNamed() throws IOException
    {
        final long[] slabOffset = new long[1];
        final Path file = copyOfAChannel("offset", header ->
        {
            slabOffset[0] = header.getLong(32);
            header.putLong(32, slabOffset[0] + 128);
        });
        assertRefusedAlike(file,
            file + ": its header's slab_offset is " + (slabOffset[0] + 128) + ", and its sizes make it " + slabOffset[0]);
    }

    @Test
    void theBuilderNamesAFieldAsLibbatonDoes()
    {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> DispatchChannel.builder().slabCapacity(3).build());
        assertEquals("slab_capacity must be a power of two in [1, 16777216]: 3", refused.getMessage());
    }

    @Test
    void anAdoptionWhileTheHostLivesNamesTheHost()
    {
        final Path path = channelFile("adopt-live");
        try (DispatchChannel host = DispatchChannel.builder().slabCapacity(4).file(path).build())
        {
            assertTrue(host.memory().byteSize() > 0);
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> DispatchChannel.adopt(path));
            assertEquals(inSharedMemory(path) + ": its host, process " + ProcessHandle.current().pid() +
                ", is alive, so it cannot be adopted", refused.getMessage());
        }
    }

    /** A channel file made by the Java builder, copied, with its header changed by the caller. */
    private Path copyOfAChannel(final String name, final Consumer<ByteBuffer> change) throws IOException
    {
        final Path made = channelFile("opening-" + name);
        final byte[] bytes;
        final DispatchChannel channel = DispatchChannel.builder().slabCapacity(4).file(made).build();
        try
        {
            bytes = Files.readAllBytes(inSharedMemory(made));
        }
        finally
        {
            channel.close();
        }
        change.accept(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()));
        return Files.write(folder.resolve(name), bytes);
    }

    /** Java's refusal to open the file says what libbaton's baton_open says of it, and both say expected. */
    private static void assertRefusedAlike(final Path file, final String expected)
    {
        final RuntimeException refused = assertThrows(RuntimeException.class, () -> DispatchChannel.open(file));
        assertTrue(refused instanceof IllegalArgumentException || refused instanceof UncheckedIOException, refused.toString());
        assertEquals(expected, refused.getMessage(), "Java's words");
        assertEquals(expected, libbatonDetail(file), "libbaton's words");
    }

    private static String libbatonDetail(final Path file)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            final int opened = baton_h.baton_open(arena.allocateFrom(file.toString()), 0, out);
            assertTrue(opened < 0, "libbaton refused it too: " + opened);
            return NativeAttachment.errorDetail(opened);
        }
    }
}
