package dev.baton;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import dev.baton.ffi.baton_h;

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
final class LatencyRingDescriptor
{
    static final int SOURCE_JAVA = baton_h.BATON_LATENCY_SOURCE_JAVA;
    static final int SOURCE_NATIVE = baton_h.BATON_LATENCY_SOURCE_NATIVE;
    static final int CAPACITY_MIN = baton_h.BATON_LATENCY_RING_CAPACITY_MIN;

    static final StructLayout INDICES_LAYOUT = HotFields.layout("baton_latency_ring", 0, "index", "native_count");

    static final StructLayout ENTRY_LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("sequence"),
        JAVA_LONG.withName("value_ns"),
        JAVA_LONG.withName("recorded_at_ns"),
        JAVA_INT.withName("source"),
        JAVA_INT.withName("reserved"))
        .withName("baton_latency_entry");

    static final long ENTRIES_OFFSET = INDICES_LAYOUT.byteSize();
    static final int ENTRY_LENGTH = (int)ENTRY_LAYOUT.byteSize();

    static final VarHandle INDEX = INDICES_LAYOUT.varHandle(groupElement("index"));
    static final VarHandle NATIVE_COUNT = INDICES_LAYOUT.varHandle(groupElement("native_count"));
    static final VarHandle SEQUENCE = ENTRY_LAYOUT.varHandle(groupElement("sequence"));
    static final VarHandle VALUE = ENTRY_LAYOUT.varHandle(groupElement("value_ns"));
    static final VarHandle RECORDED_AT = ENTRY_LAYOUT.varHandle(groupElement("recorded_at_ns"));
    static final VarHandle SOURCE = ENTRY_LAYOUT.varHandle(groupElement("source"));

    private LatencyRingDescriptor()
    {
    }

    /**
     * @param capacity entries.
     * @return bytes the ring occupies.
     */
    static long length(final int capacity)
    {
        return ENTRIES_OFFSET + (long)capacity * ENTRY_LENGTH;
    }
}
