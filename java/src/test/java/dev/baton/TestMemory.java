package dev.baton;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Zeroed, page-aligned memory for one structure under test, freed by close(). */
final class TestMemory implements AutoCloseable
{
    private final Arena arena = Arena.ofShared();
    final MemorySegment segment;

    TestMemory(final long length)
    {
        segment = arena.allocate(length, HeaderDescriptor.SEGMENT_ALIGNMENT);
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
