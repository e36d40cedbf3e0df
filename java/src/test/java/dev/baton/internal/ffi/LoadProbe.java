package dev.baton.internal.ffi;

/** Run in a child JVM by {@link BundledLibraryTest}: loads libbaton as a user's program would and reports how. */
public final class LoadProbe
{
    private LoadProbe()
    {
    }

    public static void main(final String[] args)
    {
        try
        {
            NativeLibrary.lookup();
            final long length = baton_h.baton_segment_length(java.lang.foreign.MemorySegment.NULL);
            System.out.println("loaded " + NativeLibrary.path().orElseThrow());
            System.out.println("call " + length);
        }
        catch (final IllegalStateException ex)
        {
            System.out.println("refused " + ex.getMessage());
        }
        NativeLibrary.lookedAt().forEach(place -> System.out.println("looked " + place));
    }
}
