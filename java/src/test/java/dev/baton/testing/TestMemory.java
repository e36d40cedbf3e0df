package dev.baton.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.baton.internal.layout.HeaderDescriptor;

/** Zeroed, page-aligned memory for one structure under test, freed by close(). */
public final class TestMemory implements AutoCloseable
{
    private final Arena arena = Arena.ofShared();
    public final MemorySegment segment;

    public TestMemory(final long length)
    {
        segment = arena.allocate(length, HeaderDescriptor.SEGMENT_ALIGNMENT);
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
