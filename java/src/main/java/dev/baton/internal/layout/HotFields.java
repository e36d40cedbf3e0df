package dev.baton.internal.layout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Layouts of hot 64-bit fields written by different threads: each field starts a region of
 * {@link HeaderDescriptor#HOT_FIELD_PADDING} bytes (two cache lines) and is alone in it, so that the
 * adjacent-line prefetcher does not pull a neighbour's line along with it.
 */
public final class HotFields
{
    private HotFields()
    {
    }

    /**
     * @param name            the struct's name in baton.h.
     * @param leadingPadding  bytes before the first field (a whole region, or 0).
     * @param fields          the fields, in order.
     * @return the layout: optional leading padding, then each field followed by its padding.
     */
    public static StructLayout layout(final String name, final long leadingPadding, final String... fields)
    {
        final List<MemoryLayout> members = new ArrayList<>();
        if (leadingPadding > 0)
        {
            members.add(MemoryLayout.paddingLayout(leadingPadding));
        }
        for (final String field : fields)
        {
            members.add(JAVA_LONG.withName(field));
            members.add(MemoryLayout.paddingLayout(HeaderDescriptor.HOT_FIELD_PADDING - Long.BYTES));
        }
        return MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new)).withName(name);
    }
}
