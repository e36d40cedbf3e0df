package dev.baton.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import dev.baton.TraceContext;
import dev.baton.internal.layout.AttachmentTableDescriptor;
import dev.baton.internal.layout.BlockAreaDescriptor;
import dev.baton.internal.layout.CompletionRingDescriptor;
import dev.baton.internal.layout.Errno;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.internal.layout.LatencyRingDescriptor;
import dev.baton.internal.layout.SlotDescriptor;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The rest of {@code include/baton.h}'s bindings, for tests, in the style jextract generates: the
 * header's macros as constants (each the library's own Java constant, so that
 * {@code AbiConformanceTest} holds the library to the header), and a holder class per function that
 * the library itself does not call. The functions it calls are inherited from
 * {@link dev.baton.internal.ffi.baton_h}, the way jextract splits a large header's class.
 */
// restricted: downcalls are linked here, in tests only.
@SuppressWarnings("restricted")
public final class baton_h extends dev.baton.internal.ffi.baton_h
{
    private baton_h()
    {
    }

    /** {@code #define BATON_MAGIC} */
    public static final long BATON_MAGIC = HeaderDescriptor.MAGIC;

    /** {@code #define BATON_ABI_MAJOR} */
    public static final int BATON_ABI_MAJOR = HeaderDescriptor.ABI_MAJOR;

    /** {@code #define BATON_ABI_MINOR} */
    public static final int BATON_ABI_MINOR = HeaderDescriptor.ABI_MINOR;

    /** {@code #define BATON_CACHE_LINE_LENGTH} */
    public static final int BATON_CACHE_LINE_LENGTH = HeaderDescriptor.CACHE_LINE_LENGTH;

    /** {@code #define BATON_SEGMENT_ALIGNMENT} */
    public static final int BATON_SEGMENT_ALIGNMENT = HeaderDescriptor.SEGMENT_ALIGNMENT;

    /** {@code #define BATON_TRACEPARENT_LENGTH} */
    public static final int BATON_TRACEPARENT_LENGTH = TraceContext.TRACEPARENT_LENGTH;

    /** {@code #define BATON_OK} */
    public static final int BATON_OK = Errno.OK;

    /** {@code #define BATON_ENOENT} */
    public static final int BATON_ENOENT = Errno.ENOENT;

    /** {@code #define BATON_EINTR} */
    public static final int BATON_EINTR = Errno.EINTR;

    /** {@code #define BATON_EIO} */
    public static final int BATON_EIO = Errno.EIO;

    /** {@code #define BATON_EACCES} */
    public static final int BATON_EACCES = Errno.EACCES;

    /** {@code #define BATON_EAGAIN} */
    public static final int BATON_EAGAIN = Errno.EAGAIN;
    /** {@code #define BATON_ENOMEM} */
    public static final int BATON_ENOMEM = Errno.ENOMEM;

    /** {@code #define BATON_EFAULT} */
    public static final int BATON_EFAULT = Errno.EFAULT;

    /** {@code #define BATON_EBUSY} */
    public static final int BATON_EBUSY = Errno.EBUSY;

    /** {@code #define BATON_EEXIST} */
    public static final int BATON_EEXIST = Errno.EEXIST;

    /** {@code #define BATON_EINVAL} */
    public static final int BATON_EINVAL = Errno.EINVAL;
    /** {@code #define BATON_ELOOP} */
    public static final int BATON_ELOOP = Errno.ELOOP;

    /** {@code #define BATON_ENOSPC} */
    public static final int BATON_ENOSPC = Errno.ENOSPC;

    /** {@code #define BATON_EPROTO} */
    public static final int BATON_EPROTO = Errno.EPROTO;

    /** {@code #define BATON_EUCLEAN} */
    public static final int BATON_EUCLEAN = Errno.EUCLEAN;

    /** {@code #define BATON_ENODATA} */
    public static final int BATON_ENODATA = Errno.ENODATA;

    /** {@code #define BATON_EBADMSG} */
    public static final int BATON_EBADMSG = Errno.EBADMSG;

    /** {@code #define BATON_EMSGSIZE} */
    public static final int BATON_EMSGSIZE = Errno.EMSGSIZE;

    /** {@code #define BATON_EPROTONOSUPPORT} */
    public static final int BATON_EPROTONOSUPPORT = Errno.EPROTONOSUPPORT;

    /** {@code #define BATON_EUSERS} */
    public static final int BATON_EUSERS = Errno.EUSERS;

    /** {@code #define BATON_ENOBUFS} */
    public static final int BATON_ENOBUFS = Errno.ENOBUFS;

    /** {@code #define BATON_EISCONN} */
    public static final int BATON_EISCONN = Errno.EISCONN;

    /** {@code #define BATON_ESHUTDOWN} */
    public static final int BATON_ESHUTDOWN = Errno.ESHUTDOWN;

    /** {@code #define BATON_ETIMEDOUT} */
    public static final int BATON_ETIMEDOUT = Errno.ETIMEDOUT;

    /** {@code #define BATON_EHOSTDOWN} */
    public static final int BATON_EHOSTDOWN = Errno.EHOSTDOWN;

    /** {@code #define BATON_EALREADY} */
    public static final int BATON_EALREADY = Errno.EALREADY;

    /** {@code #define BATON_ESTALE} */
    public static final int BATON_ESTALE = Errno.ESTALE;

    /** {@code #define BATON_WAIT_FOREVER}: a negative timeout waits until ready or closed. */
    public static final long BATON_WAIT_FOREVER = -1L;

    /** {@code #define BATON_HOST_WATCH_NS}: how often a handler's quiet wait looks at the host. */
    public static final long BATON_HOST_WATCH_NS = 250_000_000L;

    /** {@code #define BATON_FILE_MODE_DEFAULT}: owner-only. */
    public static final int BATON_FILE_MODE_DEFAULT = 0600;

    /** {@code #define BATON_OPEN_ANY_OWNER} */
    public static final int BATON_OPEN_ANY_OWNER = 1;

    /** {@code #define BATON_STRUCT_CONFIG}: an id for {@code baton_struct_size}. */
    public static final int BATON_STRUCT_CONFIG = 1;
    /** {@code #define BATON_STRUCT_EVENT} */
    public static final int BATON_STRUCT_EVENT = 2;
    /** {@code #define BATON_STRUCT_OUTCOME} */
    public static final int BATON_STRUCT_OUTCOME = 3;
    /** {@code #define BATON_STRUCT_METRICS} */
    public static final int BATON_STRUCT_METRICS = 4;
    /** {@code #define BATON_STRUCT_DRAIN_COUNTS} */
    public static final int BATON_STRUCT_DRAIN_COUNTS = 5;

    /** {@code #define BATON_STRUCT_TRACE_CONTEXT} */
    public static final int BATON_STRUCT_TRACE_CONTEXT = 6;
    /** {@code #define BATON_STRUCT_PAYLOAD_CLAIM} */
    public static final int BATON_STRUCT_PAYLOAD_CLAIM = 7;
    /** {@code #define BATON_STRUCT_COMPLETION} */
    public static final int BATON_STRUCT_COMPLETION = 8;

    /** {@code #define BATON_STRUCT_DISPATCH_ENTRY} */
    public static final int BATON_STRUCT_DISPATCH_ENTRY = 9;
    /** {@code #define BATON_STRUCT_LISTED_EVENT} */
    public static final int BATON_STRUCT_LISTED_EVENT = 10;
    /** {@code #define BATON_YIELD_LIMIT_DEFAULT} */
    public static final int BATON_YIELD_LIMIT_DEFAULT = HeaderDescriptor.YIELD_LIMIT_DEFAULT;

    /** {@code #define BATON_HANDLE_NONE} */
    public static final int BATON_HANDLE_NONE = (int)Handles.NONE;

    /** {@code #define BATON_GENERATION_MAX} */
    public static final int BATON_GENERATION_MAX = Handles.GENERATION_MAX;

    /** {@code #define BATON_CHANNEL_OPEN} */
    public static final int BATON_CHANNEL_OPEN = HeaderDescriptor.CHANNEL_OPEN;

    /** {@code #define BATON_CHANNEL_CLOSED} */
    public static final int BATON_CHANNEL_CLOSED = HeaderDescriptor.CHANNEL_CLOSED;

    /** {@code #define BATON_HEADER_LENGTH} */
    public static final int BATON_HEADER_LENGTH = 512;

    /** {@code #define BATON_SLOT_FREE} */
    public static final int BATON_SLOT_FREE = SlotDescriptor.FREE;

    /** {@code #define BATON_SLOT_DISPATCHED} */
    public static final int BATON_SLOT_DISPATCHED = SlotDescriptor.DISPATCHED;

    /** {@code #define BATON_SLOT_POLLED} */
    public static final int BATON_SLOT_POLLED = SlotDescriptor.POLLED;

    /** {@code #define BATON_SLOT_COMPLETED} */
    public static final int BATON_SLOT_COMPLETED = SlotDescriptor.COMPLETED;

    /** {@code #define BATON_SLOT_TIMED_OUT} */
    public static final int BATON_SLOT_TIMED_OUT = SlotDescriptor.TIMED_OUT;
    /** {@code #define BATON_SLOT_YIELDING} */
    public static final int BATON_SLOT_YIELDING = SlotDescriptor.YIELDING;

    /** {@code #define BATON_SLOT_STATE_MASK} */
    public static final int BATON_SLOT_STATE_MASK = SlotDescriptor.STATE_MASK;

    /** {@code #define BATON_SLOT_HOLDER_SHIFT} */
    public static final int BATON_SLOT_HOLDER_SHIFT = SlotDescriptor.HOLDER_SHIFT;
    /** {@code #define BATON_SLOT_CLAIM_MARK} */
    public static final long BATON_SLOT_CLAIM_MARK = Integer.toUnsignedLong(SlotDescriptor.CLAIM_MARK);

    /** {@code #define BATON_SLOT_HEADER_LENGTH} */
    public static final int BATON_SLOT_HEADER_LENGTH = 128;

    /** {@code #define BATON_SLOT_SIZE_MIN} */
    public static final int BATON_SLOT_SIZE_MIN = SlotDescriptor.SLOT_SIZE_MIN;

    /** {@code #define BATON_DISPATCH_RING_PRODUCER_INDEX_OFFSET} */
    public static final int BATON_DISPATCH_RING_PRODUCER_INDEX_OFFSET = 0;

    /** {@code #define BATON_DISPATCH_RING_CONSUMER_INDEX_OFFSET} */
    public static final int BATON_DISPATCH_RING_CONSUMER_INDEX_OFFSET = 128;

    /** {@code #define BATON_DISPATCH_RING_CELLS_OFFSET} */
    public static final int BATON_DISPATCH_RING_CELLS_OFFSET = 256;

    /** {@code #define BATON_DISPATCH_CELL_LENGTH} */
    public static final int BATON_DISPATCH_CELL_LENGTH = 16;

    /** {@code #define BATON_ATTACHMENT_FREE} */
    public static final int BATON_ATTACHMENT_FREE = AttachmentTableDescriptor.FREE;

    /** {@code #define BATON_ATTACHMENT_ACQUIRING} */
    public static final int BATON_ATTACHMENT_ACQUIRING = AttachmentTableDescriptor.ACQUIRING;

    /** {@code #define BATON_ATTACHMENT_LIVE} */
    public static final int BATON_ATTACHMENT_LIVE = AttachmentTableDescriptor.LIVE;

    /** {@code #define BATON_ATTACHMENT_REAPING} */
    public static final int BATON_ATTACHMENT_REAPING = AttachmentTableDescriptor.REAPING;

    /** {@code #define BATON_ATTACHMENT_CAPACITY_MAX} */
    public static final int BATON_ATTACHMENT_CAPACITY_MAX = AttachmentTableDescriptor.CAPACITY_MAX;

    /** {@code #define BATON_ATTACHMENT_LENGTH} */
    public static final int BATON_ATTACHMENT_LENGTH = AttachmentTableDescriptor.ENTRY_LENGTH;

    /** {@code #define BATON_LATENCY_SOURCE_JAVA} */
    public static final int BATON_LATENCY_SOURCE_JAVA = LatencyRingDescriptor.SOURCE_JAVA;

    /** {@code #define BATON_LATENCY_SOURCE_NATIVE} */
    public static final int BATON_LATENCY_SOURCE_NATIVE = LatencyRingDescriptor.SOURCE_NATIVE;

    /** {@code #define BATON_LATENCY_RING_INDEX_OFFSET} */
    public static final int BATON_LATENCY_RING_INDEX_OFFSET = 0;

    /** {@code #define BATON_LATENCY_RING_NATIVE_COUNT_OFFSET} */
    public static final int BATON_LATENCY_RING_NATIVE_COUNT_OFFSET = 128;

    /** {@code #define BATON_LATENCY_RING_ENTRIES_OFFSET} */
    public static final int BATON_LATENCY_RING_ENTRIES_OFFSET = 256;

    /** {@code #define BATON_LATENCY_ENTRY_LENGTH} */
    public static final int BATON_LATENCY_ENTRY_LENGTH = 32;

    /** {@code #define BATON_LATENCY_RING_CAPACITY_MIN} */
    public static final int BATON_LATENCY_RING_CAPACITY_MIN = LatencyRingDescriptor.CAPACITY_MIN;

    /** {@code #define BATON_COMPLETION_TRAILER_LENGTH} */
    public static final int BATON_COMPLETION_TRAILER_LENGTH = 768;

    /** {@code #define BATON_COMPLETION_TAIL_POSITION_OFFSET} */
    public static final int BATON_COMPLETION_TAIL_POSITION_OFFSET = 128;

    /** {@code #define BATON_COMPLETION_HEAD_CACHE_POSITION_OFFSET} */
    public static final int BATON_COMPLETION_HEAD_CACHE_POSITION_OFFSET = 256;

    /** {@code #define BATON_COMPLETION_HEAD_POSITION_OFFSET} */
    public static final int BATON_COMPLETION_HEAD_POSITION_OFFSET = 384;

    /** {@code #define BATON_COMPLETION_CORRELATION_COUNTER_OFFSET} */
    public static final int BATON_COMPLETION_CORRELATION_COUNTER_OFFSET = 512;

    /** {@code #define BATON_COMPLETION_CONSUMER_HEARTBEAT_OFFSET} */
    public static final int BATON_COMPLETION_CONSUMER_HEARTBEAT_OFFSET = 640;

    /** {@code #define BATON_COMPLETION_RING_CAPACITY_MIN} */
    public static final int BATON_COMPLETION_RING_CAPACITY_MIN = CompletionRingDescriptor.CAPACITY_MIN;

    /** {@code #define BATON_RECORD_HEADER_LENGTH} */
    public static final int BATON_RECORD_HEADER_LENGTH = CompletionRingDescriptor.RECORD_HEADER_LENGTH;

    /** {@code #define BATON_RECORD_ALIGNMENT} */
    public static final int BATON_RECORD_ALIGNMENT = CompletionRingDescriptor.RECORD_ALIGNMENT;

    /** {@code #define BATON_RECORD_PADDING} */
    public static final int BATON_RECORD_PADDING = CompletionRingDescriptor.PADDING;

    /** {@code #define BATON_RECORD_COMPLETED} */
    public static final int BATON_RECORD_COMPLETED = CompletionRingDescriptor.COMPLETED;

    /** {@code #define BATON_RECORD_TIMED_OUT} */
    public static final int BATON_RECORD_TIMED_OUT = CompletionRingDescriptor.TIMED_OUT;
    /** {@code #define BATON_UNBLOCK_PATIENCE_MIN_NS} */
    public static final long BATON_UNBLOCK_PATIENCE_MIN_NS = CompletionRingDescriptor.UNBLOCK_PATIENCE_MIN_NANOS;

    /** {@code #define BATON_COMPLETION_BODY_LENGTH} */
    public static final int BATON_COMPLETION_BODY_LENGTH = 16;

    /** {@code #define BATON_COMPLETION_BLOCK_BODY_LENGTH} */
    public static final int BATON_COMPLETION_BLOCK_BODY_LENGTH = 24;

    /** {@code #define BATON_BLOCK_CLASSES} */
    public static final int BATON_BLOCK_CLASSES = BlockAreaDescriptor.CLASSES;

    /** {@code #define BATON_BLOCK_SIZE_MIN} */
    public static final int BATON_BLOCK_SIZE_MIN = BlockAreaDescriptor.BLOCK_SIZE_MIN;

    /** {@code #define BATON_BLOCK_COUNT_MAX} */
    public static final int BATON_BLOCK_COUNT_MAX = BlockAreaDescriptor.BLOCK_COUNT_MAX;

    /** {@code #define BATON_BLOCK_AREA_LINKS_OFFSET} */
    public static final int BATON_BLOCK_AREA_LINKS_OFFSET = BlockAreaDescriptor.LINKS_OFFSET;

    /** {@code #define BATON_BLOCK_CLASS_SHIFT} */
    public static final int BATON_BLOCK_CLASS_SHIFT = BlockAreaDescriptor.CLASS_SHIFT;

    /** {@code #define BATON_BLOCK_INDEX_MASK} */
    public static final int BATON_BLOCK_INDEX_MASK = BlockAreaDescriptor.INDEX_MASK;

    /** {@code #define BATON_BLOCK_OWNED} */
    public static final long BATON_BLOCK_OWNED = Integer.toUnsignedLong(BlockAreaDescriptor.OWNED);

    /** {@code #define BATON_BLOCK_STAMP_GENERATION_SHIFT} */
    public static final int BATON_BLOCK_STAMP_GENERATION_SHIFT = BlockAreaDescriptor.STAMP_GENERATION_SHIFT;

    /** {@code #define BATON_BLOCK_STAMP_GENERATION_MASK} */
    public static final int BATON_BLOCK_STAMP_GENERATION_MASK = BlockAreaDescriptor.STAMP_GENERATION_MASK;

    /** {@code #define BATON_ABI_VERSION ((BATON_ABI_MAJOR << 16) | BATON_ABI_MINOR)} */
    public static final int BATON_ABI_VERSION = HeaderDescriptor.ABI_VERSION;

    /** {@code #define BATON_HOT_FIELD_PADDING (2 * BATON_CACHE_LINE_LENGTH)} */
    public static final int BATON_HOT_FIELD_PADDING = HeaderDescriptor.HOT_FIELD_PADDING;

    private static final class baton_segment_length
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_LONG, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_segment_length");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_segment_length}. */
    public static FunctionDescriptor baton_segment_length$descriptor()
    {
        return baton_segment_length.DESC;
    }

    /** @return the address of {@code baton_segment_length} in libbaton. */
    public static MemorySegment baton_segment_length$address()
    {
        return baton_segment_length.ADDR;
    }

    /** Calls {@code baton_segment_length}; see baton.h. */
    public static long baton_segment_length(final MemorySegment config)
    {
        try
        {
            return (long)baton_segment_length.HANDLE.invokeExact(config);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_memory
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_memory");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_memory}. */
    public static FunctionDescriptor baton_memory$descriptor()
    {
        return baton_memory.DESC;
    }

    /** @return the address of {@code baton_memory} in libbaton. */
    public static MemorySegment baton_memory$address()
    {
        return baton_memory.ADDR;
    }

    /** Calls {@code baton_memory}; see baton.h. */
    public static int baton_memory(final MemorySegment channel, final MemorySegment memory, final MemorySegment length)
    {
        try
        {
            return (int)baton_memory.HANDLE.invokeExact(channel, memory, length);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_format
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_format");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_format}. */
    public static FunctionDescriptor baton_format$descriptor()
    {
        return baton_format.DESC;
    }

    /** @return the address of {@code baton_format} in libbaton. */
    public static MemorySegment baton_format$address()
    {
        return baton_format.ADDR;
    }

    /** Calls {@code baton_format}; see baton.h. */
    public static int baton_format(final MemorySegment memory, final long length, final MemorySegment config)
    {
        try
        {
            return (int)baton_format.HANDLE.invokeExact(memory, length, config);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_close
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_close");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_close}. */
    public static FunctionDescriptor baton_close$descriptor()
    {
        return baton_close.DESC;
    }

    /** @return the address of {@code baton_close} in libbaton. */
    public static MemorySegment baton_close$address()
    {
        return baton_close.ADDR;
    }

    /** Calls {@code baton_close}; see baton.h. */
    public static int baton_close(final MemorySegment channel)
    {
        try
        {
            return (int)baton_close.HANDLE.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_dispatch
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_dispatch");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_dispatch}. */
    public static FunctionDescriptor baton_dispatch$descriptor()
    {
        return baton_dispatch.DESC;
    }

    /** @return the address of {@code baton_dispatch} in libbaton. */
    public static MemorySegment baton_dispatch$address()
    {
        return baton_dispatch.ADDR;
    }

    /** Calls {@code baton_dispatch}; see baton.h. */
    public static long baton_dispatch(final MemorySegment channel, final long event_id_hi, final long event_id_lo, final long correlation_id_hi, final long correlation_id_lo, final int kind, final MemorySegment payload, final int payload_length)
    {
        try
        {
            return (long)baton_dispatch.HANDLE.invokeExact(channel, event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo, kind, payload, payload_length);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_read_payload
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_read_payload");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_read_payload}. */
    public static FunctionDescriptor baton_read_payload$descriptor()
    {
        return baton_read_payload.DESC;
    }

    /** @return the address of {@code baton_read_payload} in libbaton. */
    public static MemorySegment baton_read_payload$address()
    {
        return baton_read_payload.ADDR;
    }

    /** Calls {@code baton_read_payload}; see baton.h. */
    public static int baton_read_payload(final MemorySegment channel, final MemorySegment event, final MemorySegment destination, final int capacity)
    {
        try
        {
            return (int)baton_read_payload.HANDLE.invokeExact(channel, event, destination, capacity);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_poll_batch
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_poll_batch");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_poll_batch}. */
    public static FunctionDescriptor baton_poll_batch$descriptor()
    {
        return baton_poll_batch.DESC;
    }

    /** @return the address of {@code baton_poll_batch} in libbaton. */
    public static MemorySegment baton_poll_batch$address()
    {
        return baton_poll_batch.ADDR;
    }

    /** Calls {@code baton_poll_batch}; see baton.h. */
    public static int baton_poll_batch(final MemorySegment channel, final MemorySegment events, final int max)
    {
        try
        {
            return (int)baton_poll_batch.HANDLE.invokeExact(channel, events, max);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_complete
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_complete");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_complete}. */
    public static FunctionDescriptor baton_complete$descriptor()
    {
        return baton_complete.DESC;
    }

    /** @return the address of {@code baton_complete} in libbaton. */
    public static MemorySegment baton_complete$address()
    {
        return baton_complete.ADDR;
    }

    /** Calls {@code baton_complete}; see baton.h. */
    public static int baton_complete(final MemorySegment channel, final long handle, final int status, final MemorySegment result, final int result_length)
    {
        try
        {
            return (int)baton_complete.HANDLE.invokeExact(channel, handle, status, result, result_length);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_drain_each
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_drain_each");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_drain_each}. */
    public static FunctionDescriptor baton_drain_each$descriptor()
    {
        return baton_drain_each.DESC;
    }

    /** @return the address of {@code baton_drain_each} in libbaton. */
    public static MemorySegment baton_drain_each$address()
    {
        return baton_drain_each.ADDR;
    }

    /** Calls {@code baton_drain_each}; see baton.h. */
    public static int baton_drain_each(final MemorySegment channel, final MemorySegment handler, final MemorySegment context, final int max)
    {
        try
        {
            return (int)baton_drain_each.HANDLE.invokeExact(channel, handler, context, max);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_record_latency
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG);
        static final MemorySegment ADDR = findOrThrow("baton_record_latency");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_record_latency}. */
    public static FunctionDescriptor baton_record_latency$descriptor()
    {
        return baton_record_latency.DESC;
    }

    /** @return the address of {@code baton_record_latency} in libbaton. */
    public static MemorySegment baton_record_latency$address()
    {
        return baton_record_latency.ADDR;
    }

    /** Calls {@code baton_record_latency}; see baton.h. */
    public static int baton_record_latency(final MemorySegment channel, final long value_ns)
    {
        try
        {
            return (int)baton_record_latency.HANDLE.invokeExact(channel, value_ns);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_reclaim_expired
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_reclaim_expired");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_reclaim_expired}. */
    public static FunctionDescriptor baton_reclaim_expired$descriptor()
    {
        return baton_reclaim_expired.DESC;
    }

    /** @return the address of {@code baton_reclaim_expired} in libbaton. */
    public static MemorySegment baton_reclaim_expired$address()
    {
        return baton_reclaim_expired.ADDR;
    }

    /** Calls {@code baton_reclaim_expired}; see baton.h. */
    public static int baton_reclaim_expired(final MemorySegment channel)
    {
        try
        {
            return (int)baton_reclaim_expired.HANDLE.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_cancel
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG);
        static final MemorySegment ADDR = findOrThrow("baton_cancel");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_cancel}. */
    public static FunctionDescriptor baton_cancel$descriptor()
    {
        return baton_cancel.DESC;
    }

    /** @return the address of {@code baton_cancel} in libbaton. */
    public static MemorySegment baton_cancel$address()
    {
        return baton_cancel.ADDR;
    }

    /** Calls {@code baton_cancel}; see baton.h. */
    public static int baton_cancel(final MemorySegment channel, final long handle)
    {
        try
        {
            return (int)baton_cancel.HANDLE.invokeExact(channel, handle);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_poll
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
        static final MemorySegment ADDR = findOrThrow("baton_poll");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_poll}. */
    public static FunctionDescriptor baton_poll$descriptor()
    {
        return baton_poll.DESC;
    }

    /** @return the address of {@code baton_poll} in libbaton. */
    public static MemorySegment baton_poll$address()
    {
        return baton_poll.ADDR;
    }

    /** Calls {@code baton_poll}; see baton.h. */
    public static int baton_poll(final MemorySegment channel, final MemorySegment event, final long timeout_ns)
    {
        try
        {
            return (int)baton_poll.HANDLE.invokeExact(channel, event, timeout_ns);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_read_metrics
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_read_metrics");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_read_metrics}. */
    public static FunctionDescriptor baton_read_metrics$descriptor()
    {
        return baton_read_metrics.DESC;
    }

    /** @return the address of {@code baton_read_metrics} in libbaton. */
    public static MemorySegment baton_read_metrics$address()
    {
        return baton_read_metrics.ADDR;
    }

    /** Calls {@code baton_read_metrics}; see baton.h. */
    public static int baton_read_metrics(final MemorySegment channel, final MemorySegment metrics)
    {
        try
        {
            return (int)baton_read_metrics.HANDLE.invokeExact(channel, metrics);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_read_drain_counts
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_read_drain_counts");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_read_drain_counts}. */
    public static FunctionDescriptor baton_read_drain_counts$descriptor()
    {
        return baton_read_drain_counts.DESC;
    }

    /** @return the address of {@code baton_read_drain_counts} in libbaton. */
    public static MemorySegment baton_read_drain_counts$address()
    {
        return baton_read_drain_counts.ADDR;
    }

    /** Calls {@code baton_read_drain_counts}; see baton.h. */
    public static int baton_read_drain_counts(final MemorySegment channel, final MemorySegment counts)
    {
        try
        {
            return (int)baton_read_drain_counts.HANDLE.invokeExact(channel, counts);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_list_events
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_list_events");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_list_events}. */
    public static FunctionDescriptor baton_list_events$descriptor()
    {
        return baton_list_events.DESC;
    }

    /** @return the address of {@code baton_list_events} in libbaton. */
    public static MemorySegment baton_list_events$address()
    {
        return baton_list_events.ADDR;
    }

    /** Calls {@code baton_list_events}; see baton.h. */
    public static int baton_list_events(
        final MemorySegment channel, final MemorySegment cursor, final MemorySegment events, final int max)
    {
        try
        {
            return (int)baton_list_events.HANDLE.invokeExact(channel, cursor, events, max);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_create
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_create");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_create}. */
    public static FunctionDescriptor baton_create$descriptor()
    {
        return baton_create.DESC;
    }

    /** @return the address of {@code baton_create} in libbaton. */
    public static MemorySegment baton_create$address()
    {
        return baton_create.ADDR;
    }

    /** Calls {@code baton_create}; see baton.h. */
    public static int baton_create(
        final MemorySegment path,
        final MemorySegment config,
        final int mode,
        final MemorySegment channel)
    {
        try
        {
            return (int)baton_create.HANDLE.invokeExact(path, config, mode, channel);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_open
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_open");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_open}. */
    public static FunctionDescriptor baton_open$descriptor()
    {
        return baton_open.DESC;
    }

    /** @return the address of {@code baton_open} in libbaton. */
    public static MemorySegment baton_open$address()
    {
        return baton_open.ADDR;
    }

    /** Calls {@code baton_open}; see baton.h. */
    public static int baton_open(final MemorySegment path, final int flags, final MemorySegment channel)
    {
        try
        {
            return (int)baton_open.HANDLE.invokeExact(path, flags, channel);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_drain
    {
        static final FunctionDescriptor DESC =
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_drain");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_drain}. */
    public static FunctionDescriptor baton_drain$descriptor()
    {
        return baton_drain.DESC;
    }

    /** @return the address of {@code baton_drain} in libbaton. */
    public static MemorySegment baton_drain$address()
    {
        return baton_drain.ADDR;
    }

    /** Calls {@code baton_drain}; see baton.h. */
    public static int baton_drain(
        final MemorySegment channel,
        final MemorySegment outcomes,
        final MemorySegment traces,
        final int max,
        final MemorySegment results,
        final int results_capacity)
    {
        try
        {
            return (int)baton_drain.HANDLE.invokeExact(
                channel, outcomes, traces, max, results, results_capacity);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_abi_version
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_abi_version");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_abi_version}. */
    public static FunctionDescriptor baton_abi_version$descriptor()
    {
        return baton_abi_version.DESC;
    }

    /** @return the address of {@code baton_abi_version} in libbaton. */
    public static MemorySegment baton_abi_version$address()
    {
        return baton_abi_version.ADDR;
    }

    /** Calls {@code baton_abi_version}; see baton.h. */
    public static int baton_abi_version()
    {
        try
        {
            return (int)baton_abi_version.HANDLE.invokeExact();
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_struct_size
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_struct_size");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_struct_size}. */
    public static FunctionDescriptor baton_struct_size$descriptor()
    {
        return baton_struct_size.DESC;
    }

    /** @return the address of {@code baton_struct_size} in libbaton. */
    public static MemorySegment baton_struct_size$address()
    {
        return baton_struct_size.ADDR;
    }

    /** Calls {@code baton_struct_size}; see baton.h. */
    public static int baton_struct_size(final int id)
    {
        try
        {
            return (int)baton_struct_size.HANDLE.invokeExact(id);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_strerror
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ADDRESS, JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_strerror");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_strerror}. */
    public static FunctionDescriptor baton_strerror$descriptor()
    {
        return baton_strerror.DESC;
    }

    /** @return the address of {@code baton_strerror} in libbaton. */
    public static MemorySegment baton_strerror$address()
    {
        return baton_strerror.ADDR;
    }

    /** Calls {@code baton_strerror}; see baton.h. */
    public static MemorySegment baton_strerror(final int code)
    {
        try
        {
            return (MemorySegment)baton_strerror.HANDLE.invokeExact(code);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_trace_parse
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_trace_parse");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_trace_parse}. */
    public static FunctionDescriptor baton_trace_parse$descriptor()
    {
        return baton_trace_parse.DESC;
    }

    /** @return the address of {@code baton_trace_parse} in libbaton. */
    public static MemorySegment baton_trace_parse$address()
    {
        return baton_trace_parse.ADDR;
    }

    /** Calls {@code baton_trace_parse}; see baton.h. */
    public static int baton_trace_parse(final MemorySegment traceparent, final MemorySegment trace)
    {
        try
        {
            return (int)baton_trace_parse.HANDLE.invokeExact(traceparent, trace);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_trace_format
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_trace_format");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_trace_format}. */
    public static FunctionDescriptor baton_trace_format$descriptor()
    {
        return baton_trace_format.DESC;
    }

    /** @return the address of {@code baton_trace_format} in libbaton. */
    public static MemorySegment baton_trace_format$address()
    {
        return baton_trace_format.ADDR;
    }

    /** Calls {@code baton_trace_format}; see baton.h. */
    public static int baton_trace_format(final MemorySegment trace, final MemorySegment text, final int capacity)
    {
        try
        {
            return (int)baton_trace_format.HANDLE.invokeExact(trace, text, capacity);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_dispatch_traced
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_dispatch_traced");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_dispatch_traced}. */
    public static FunctionDescriptor baton_dispatch_traced$descriptor()
    {
        return baton_dispatch_traced.DESC;
    }

    /** @return the address of {@code baton_dispatch_traced} in libbaton. */
    public static MemorySegment baton_dispatch_traced$address()
    {
        return baton_dispatch_traced.ADDR;
    }

    /** Calls {@code baton_dispatch_traced}; see baton.h. */
    public static long baton_dispatch_traced(final MemorySegment channel, final long event_id_hi, final long event_id_lo, final long correlation_id_hi, final long correlation_id_lo, final int kind, final MemorySegment trace, final MemorySegment payload, final int payload_length)
    {
        try
        {
            return (long)baton_dispatch_traced.HANDLE.invokeExact(channel, event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo, kind, trace, payload, payload_length);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_claim
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_claim");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_claim}. */
    public static FunctionDescriptor baton_claim$descriptor()
    {
        return baton_claim.DESC;
    }

    /** @return the address of {@code baton_claim} in libbaton. */
    public static MemorySegment baton_claim$address()
    {
        return baton_claim.ADDR;
    }

    /** Calls {@code baton_claim}; see baton.h. */
    public static int baton_claim(final MemorySegment channel, final long event_id_hi, final long event_id_lo, final long correlation_id_hi, final long correlation_id_lo, final int kind, final MemorySegment trace, final int payload_length, final MemorySegment claim)
    {
        try
        {
            return (int)baton_claim.HANDLE.invokeExact(channel, event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo, kind, trace, payload_length, claim);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_commit
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_commit");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_commit}. */
    public static FunctionDescriptor baton_commit$descriptor()
    {
        return baton_commit.DESC;
    }

    /** @return the address of {@code baton_commit} in libbaton. */
    public static MemorySegment baton_commit$address()
    {
        return baton_commit.ADDR;
    }

    /** Calls {@code baton_commit}; see baton.h. */
    public static long baton_commit(final MemorySegment channel, final MemorySegment claim)
    {
        try
        {
            return (long)baton_commit.HANDLE.invokeExact(channel, claim);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_abort
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_abort");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_abort}. */
    public static FunctionDescriptor baton_abort$descriptor()
    {
        return baton_abort.DESC;
    }

    /** @return the address of {@code baton_abort} in libbaton. */
    public static MemorySegment baton_abort$address()
    {
        return baton_abort.ADDR;
    }

    /** Calls {@code baton_abort}; see baton.h. */
    public static int baton_abort(final MemorySegment channel, final MemorySegment claim)
    {
        try
        {
            return (int)baton_abort.HANDLE.invokeExact(channel, claim);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_yield
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_yield");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_yield}. */
    public static FunctionDescriptor baton_yield$descriptor()
    {
        return baton_yield.DESC;
    }

    /** @return the address of {@code baton_yield} in libbaton. */
    public static MemorySegment baton_yield$address()
    {
        return baton_yield.ADDR;
    }

    /** Calls {@code baton_yield}; see baton.h. */
    public static int baton_yield(final MemorySegment channel, final long handle, final MemorySegment continuation, final int continuation_length)
    {
        try
        {
            return (int)baton_yield.HANDLE.invokeExact(channel, handle, continuation, continuation_length);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_complete_traced
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_complete_traced");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_complete_traced}. */
    public static FunctionDescriptor baton_complete_traced$descriptor()
    {
        return baton_complete_traced.DESC;
    }

    /** @return the address of {@code baton_complete_traced} in libbaton. */
    public static MemorySegment baton_complete_traced$address()
    {
        return baton_complete_traced.ADDR;
    }

    /** Calls {@code baton_complete_traced}; see baton.h. */
    public static int baton_complete_traced(final MemorySegment channel, final long handle, final int status, final long handler_span_id, final MemorySegment result, final int result_length)
    {
        try
        {
            return (int)baton_complete_traced.HANDLE.invokeExact(channel, handle, status, handler_span_id, result, result_length);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_dispatch_batch
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_dispatch_batch");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_dispatch_batch}. */
    public static FunctionDescriptor baton_dispatch_batch$descriptor()
    {
        return baton_dispatch_batch.DESC;
    }

    /** @return the address of {@code baton_dispatch_batch} in libbaton. */
    public static MemorySegment baton_dispatch_batch$address()
    {
        return baton_dispatch_batch.ADDR;
    }

    /** Calls {@code baton_dispatch_batch}; see baton.h. */
    public static int baton_dispatch_batch(final MemorySegment channel, final MemorySegment entries, final int count, final MemorySegment handles)
    {
        try
        {
            return (int)baton_dispatch_batch.HANDLE.invokeExact(channel, entries, count, handles);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_complete_batch
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_complete_batch");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_complete_batch}. */
    public static FunctionDescriptor baton_complete_batch$descriptor()
    {
        return baton_complete_batch.DESC;
    }

    /** @return the address of {@code baton_complete_batch} in libbaton. */
    public static MemorySegment baton_complete_batch$address()
    {
        return baton_complete_batch.ADDR;
    }

    /** Calls {@code baton_complete_batch}; see baton.h. */
    public static int baton_complete_batch(final MemorySegment channel, final MemorySegment completions, final int count, final MemorySegment codes)
    {
        try
        {
            return (int)baton_complete_batch.HANDLE.invokeExact(channel, completions, count, codes);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_read_traces
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_read_traces");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_read_traces}. */
    public static FunctionDescriptor baton_read_traces$descriptor()
    {
        return baton_read_traces.DESC;
    }

    /** @return the address of {@code baton_read_traces} in libbaton. */
    public static MemorySegment baton_read_traces$address()
    {
        return baton_read_traces.ADDR;
    }

    /** Calls {@code baton_read_traces}; see baton.h. */
    public static int baton_read_traces(final MemorySegment channel, final MemorySegment events, final int count, final MemorySegment traces)
    {
        try
        {
            return (int)baton_read_traces.HANDLE.invokeExact(channel, events, count, traces);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_read_trace
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_read_trace");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_read_trace}. */
    public static FunctionDescriptor baton_read_trace$descriptor()
    {
        return baton_read_trace.DESC;
    }

    /** @return the address of {@code baton_read_trace} in libbaton. */
    public static MemorySegment baton_read_trace$address()
    {
        return baton_read_trace.ADDR;
    }

    /** Calls {@code baton_read_trace}; see baton.h. */
    public static int baton_read_trace(final MemorySegment channel, final long handle, final MemorySegment trace)
    {
        try
        {
            return (int)baton_read_trace.HANDLE.invokeExact(channel, handle, trace);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }
}
