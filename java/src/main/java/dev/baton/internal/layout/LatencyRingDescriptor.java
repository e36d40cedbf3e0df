package dev.baton.internal.layout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The latency ring: {@code baton_latency_ring} in {@code baton.h}.
 *
 * <pre>
 *  offset  size  field
 *       0     8  index              hot: every recorder takes an entry with one fetch_add
 *     128     8  native_count       recordings through baton_record_latency
 *     256    32  entries[capacity]  { sequence, value_ns, recorded_at_ns, source, reserved }
 * </pre>
 */
public final class LatencyRingDescriptor
{
    public static final int SOURCE_JAVA = 0;
    public static final int SOURCE_NATIVE = 1;
    public static final int CAPACITY_MIN = 2;

    public static final StructLayout INDICES_LAYOUT = HotFields.layout("baton_latency_ring", 0, "index", "native_count");

    public static final StructLayout ENTRY_LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("sequence"),
        JAVA_LONG.withName("value_ns"),
        JAVA_LONG.withName("recorded_at_ns"),
        JAVA_INT.withName("source"),
        JAVA_INT.withName("reserved"))
        .withName("baton_latency_entry");

    public static final long ENTRIES_OFFSET = INDICES_LAYOUT.byteSize();
    public static final int ENTRY_LENGTH = (int)ENTRY_LAYOUT.byteSize();

    public static final VarHandle INDEX = INDICES_LAYOUT.varHandle(groupElement("index"));
    public static final VarHandle NATIVE_COUNT = INDICES_LAYOUT.varHandle(groupElement("native_count"));
    public static final VarHandle SEQUENCE = ENTRY_LAYOUT.varHandle(groupElement("sequence"));
    public static final VarHandle VALUE = ENTRY_LAYOUT.varHandle(groupElement("value_ns"));
    public static final VarHandle RECORDED_AT = ENTRY_LAYOUT.varHandle(groupElement("recorded_at_ns"));
    public static final VarHandle SOURCE = ENTRY_LAYOUT.varHandle(groupElement("source"));

    private LatencyRingDescriptor()
    {
    }

    /**
     * @param capacity entries.
     * @return bytes the ring occupies.
     */
    public static long length(final int capacity)
    {
        return ENTRIES_OFFSET + (long)capacity * ENTRY_LENGTH;
    }
}
