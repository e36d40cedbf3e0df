package dev.baton.internal.layout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The channel header at offset 0 of a channel segment: {@code baton_header} in {@code baton.h}.
 *
 * <pre>
 *  offset  size  field
 *       0     8  magic                   written last, with release; 0 while initialising
 *       8     4  abi_version             major &lt;&lt; 16 | minor
 *      12     4  header_length
 *      16     4  slab_capacity
 *      20     4  slot_size
 *      24     4  dispatch_ring_capacity
 *      28     4  completion_ring_capacity
 *      32     8  slab_offset
 *      40     8  dispatch_ring_offset
 *      48     8  completion_ring_offset
 *      56     8  segment_length
 *      64     8  created_at_ns
 *      72     8  completion_timeout_ns
 *      80     8  starvation_threshold_ns
 *      88     4  channel_state           OPEN, then CLOSED
 *      92     4  attached_count          libbaton attachments, until detached or reaped
 *      96     8  latency_ring_offset
 *     104     4  latency_ring_capacity
 *     108     4  attachment_capacity     entries of the attachment table
 *     112     8  attachment_table_offset
 *     120     4  redelivery_limit        deliveries after the first of an event whose handler died
 *     124     4  yield_limit             times an event may be yielded; one more ends it (ELOOP)
 *     128     8  free_head               hot: alone in its 128 bytes
 *     136    64  block_counts[16]        blocks of each size class; class k holds 1 KiB &lt;&lt; k
 *     200     8  block_area_offset
 *     208     4  host_tag                the host's attachment tag, 0 = none named
 *     212    44  reserved
 *     256     4  dispatch_waiters        handlers asleep in baton_poll
 *     260     4  dispatch_signal         futex word
 *     264    56  reserved
 *     320     8  clock_ns                hot: the host's cached CLOCK_MONOTONIC, 0 = none
 *     328    56  reserved
 *     384     4  completion_waiters      hosts asleep in baton_await_outcomes
 *     388     4  completion_signal       futex word
 *     392   120  reserved
 * </pre>
 */
public final class HeaderDescriptor
{
    /** "BATONCH1" in memory order. */
    public static final long MAGIC = 0x3148434E4F544142L;
    public static final int ABI_MAJOR = 7;
    public static final int ABI_MINOR = 4;
    /** The yield limit of a channel configured without one. */
    public static final int YIELD_LIMIT_DEFAULT = 100;
    public static final int ABI_VERSION = (ABI_MAJOR << 16) | ABI_MINOR;

    public static final int CHANNEL_OPEN = 1;
    public static final int CHANNEL_CLOSED = 2;

    public static final int CACHE_LINE_LENGTH = 64;
    /** Distance between hot fields written by different threads: two cache lines. */
    public static final int HOT_FIELD_PADDING = 2 * CACHE_LINE_LENGTH;
    public static final int SEGMENT_ALIGNMENT = 4096;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("magic"),
        JAVA_INT.withName("abi_version"),
        JAVA_INT.withName("header_length"),
        JAVA_INT.withName("slab_capacity"),
        JAVA_INT.withName("slot_size"),
        JAVA_INT.withName("dispatch_ring_capacity"),
        JAVA_INT.withName("completion_ring_capacity"),
        JAVA_LONG.withName("slab_offset"),
        JAVA_LONG.withName("dispatch_ring_offset"),
        JAVA_LONG.withName("completion_ring_offset"),
        JAVA_LONG.withName("segment_length"),
        JAVA_LONG.withName("created_at_ns"),
        JAVA_LONG.withName("completion_timeout_ns"),
        JAVA_LONG.withName("starvation_threshold_ns"),
        JAVA_INT.withName("channel_state"),
        JAVA_INT.withName("attached_count"),
        JAVA_LONG.withName("latency_ring_offset"),
        JAVA_INT.withName("latency_ring_capacity"),
        JAVA_INT.withName("attachment_capacity"),
        JAVA_LONG.withName("attachment_table_offset"),
        JAVA_INT.withName("redelivery_limit"),
        JAVA_INT.withName("yield_limit"),
        JAVA_LONG.withName("free_head"),
        MemoryLayout.sequenceLayout(BlockAreaDescriptor.CLASSES, JAVA_INT).withName("block_counts"),
        JAVA_LONG.withName("block_area_offset"),
        JAVA_INT.withName("host_tag"),
        MemoryLayout.paddingLayout(44),
        JAVA_INT.withName("dispatch_waiters"),
        JAVA_INT.withName("dispatch_signal"),
        MemoryLayout.paddingLayout(56),
        JAVA_LONG.withName("clock_ns"),
        MemoryLayout.paddingLayout(56),
        JAVA_INT.withName("completion_waiters"),
        JAVA_INT.withName("completion_signal"),
        MemoryLayout.paddingLayout(120))
        .withName("baton_header");

    public static final int LENGTH = (int)LAYOUT.byteSize();

    public static final long MAGIC_OFFSET = offset("magic");
    public static final long FREE_HEAD_OFFSET = offset("free_head");

    public static final VarHandle MAGIC_HANDLE = handle("magic");
    public static final VarHandle ABI_VERSION_HANDLE = handle("abi_version");
    public static final VarHandle HEADER_LENGTH_HANDLE = handle("header_length");
    public static final VarHandle SLAB_CAPACITY_HANDLE = handle("slab_capacity");
    public static final VarHandle SLOT_SIZE_HANDLE = handle("slot_size");
    public static final VarHandle DISPATCH_RING_CAPACITY_HANDLE = handle("dispatch_ring_capacity");
    public static final VarHandle COMPLETION_RING_CAPACITY_HANDLE = handle("completion_ring_capacity");
    public static final VarHandle SLAB_OFFSET_HANDLE = handle("slab_offset");
    public static final VarHandle DISPATCH_RING_OFFSET_HANDLE = handle("dispatch_ring_offset");
    public static final VarHandle COMPLETION_RING_OFFSET_HANDLE = handle("completion_ring_offset");
    public static final VarHandle SEGMENT_LENGTH_HANDLE = handle("segment_length");
    public static final VarHandle CREATED_AT_HANDLE = handle("created_at_ns");
    public static final VarHandle COMPLETION_TIMEOUT_HANDLE = handle("completion_timeout_ns");
    public static final VarHandle STARVATION_THRESHOLD_HANDLE = handle("starvation_threshold_ns");
    public static final VarHandle CHANNEL_STATE_HANDLE = handle("channel_state");
    public static final VarHandle FREE_HEAD_HANDLE = handle("free_head");
    public static final VarHandle ATTACHED_COUNT_HANDLE = handle("attached_count");
    public static final VarHandle LATENCY_RING_OFFSET_HANDLE = handle("latency_ring_offset");
    public static final VarHandle LATENCY_RING_CAPACITY_HANDLE = handle("latency_ring_capacity");
    public static final VarHandle ATTACHMENT_CAPACITY_HANDLE = handle("attachment_capacity");
    public static final VarHandle ATTACHMENT_TABLE_OFFSET_HANDLE = handle("attachment_table_offset");
    public static final VarHandle REDELIVERY_LIMIT_HANDLE = handle("redelivery_limit");
    public static final VarHandle YIELD_LIMIT_HANDLE = handle("yield_limit");
    public static final long BLOCK_COUNTS_OFFSET = offset("block_counts");
    public static final VarHandle BLOCK_AREA_OFFSET_HANDLE = handle("block_area_offset");
    public static final VarHandle DISPATCH_WAITERS_HANDLE = handle("dispatch_waiters");
    public static final VarHandle COMPLETION_WAITERS_HANDLE = handle("completion_waiters");
    public static final VarHandle CLOCK_HANDLE = handle("clock_ns");

    private HeaderDescriptor()
    {
    }

    public static long offset(final String field)
    {
        return LAYOUT.byteOffset(groupElement(field));
    }

    private static VarHandle handle(final String field)
    {
        return LAYOUT.varHandle(groupElement(field));
    }
}
