package dev.baton.internal.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;


import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The functions of {@code include/baton.h} that the library calls, bound by hand in the style
 * jextract generates: one holder class per function with its descriptor, address and method
 * handle, linked on first use, so nothing here loads libbaton until a call needs it. The header's
 * constants live with the layouts ({@code dev.baton.internal.layout}); the tests' bindings extend
 * this class with every other function, and {@code AbiConformanceTest} checks all of them against
 * the library's exported symbols.
 */
// restricted: this class is the library's one boundary with native code, where downcalls are linked.
@SuppressWarnings("restricted")
public class baton_h
{
    protected baton_h()
    {
    }

    protected static MemorySegment findOrThrow(final String symbol)
    {
        return NativeLibrary.lookup().find(symbol)
            .orElseThrow(() -> new UnsatisfiedLinkError("libbaton does not export " + symbol));
    }

    protected static AssertionError unreachable(final Throwable ex)
    {
        return new AssertionError("a downcall threw", ex);
    }

    private static final class baton_attach
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_attach");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_attach}. */
    public static FunctionDescriptor baton_attach$descriptor()
    {
        return baton_attach.DESC;
    }

    /** @return the address of {@code baton_attach} in libbaton. */
    public static MemorySegment baton_attach$address()
    {
        return baton_attach.ADDR;
    }

    /** Calls {@code baton_attach}; see baton.h. */
    public static int baton_attach(final MemorySegment memory, final long length, final MemorySegment channel)
    {
        try
        {
            return (int)baton_attach.HANDLE.invokeExact(memory, length, channel);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_error_detail
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(ADDRESS, JAVA_INT);
        static final MemorySegment ADDR = findOrThrow("baton_error_detail");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_error_detail}. */
    public static FunctionDescriptor baton_error_detail$descriptor()
    {
        return baton_error_detail.DESC;
    }

    /** @return the address of {@code baton_error_detail} in libbaton. */
    public static MemorySegment baton_error_detail$address()
    {
        return baton_error_detail.ADDR;
    }

    /** Calls {@code baton_error_detail}; see baton.h. */
    public static MemorySegment baton_error_detail(final int code)
    {
        try
        {
            return (MemorySegment)baton_error_detail.HANDLE.invokeExact(code);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_detach
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_detach");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_detach}. */
    public static FunctionDescriptor baton_detach$descriptor()
    {
        return baton_detach.DESC;
    }

    /** @return the address of {@code baton_detach} in libbaton. */
    public static MemorySegment baton_detach$address()
    {
        return baton_detach.ADDR;
    }

    /** Calls {@code baton_detach}; see baton.h. */
    public static int baton_detach(final MemorySegment channel)
    {
        try
        {
            return (int)baton_detach.HANDLE.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_reap
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_reap");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_reap}. */
    public static FunctionDescriptor baton_reap$descriptor()
    {
        return baton_reap.DESC;
    }

    /** @return the address of {@code baton_reap} in libbaton. */
    public static MemorySegment baton_reap$address()
    {
        return baton_reap.ADDR;
    }

    /** Calls {@code baton_reap}; see baton.h. */
    public static int baton_reap(final MemorySegment channel)
    {
        try
        {
            return (int)baton_reap.HANDLE.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_adopt
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_adopt");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_adopt}. */
    public static FunctionDescriptor baton_adopt$descriptor()
    {
        return baton_adopt.DESC;
    }

    /** @return the address of {@code baton_adopt} in libbaton. */
    public static MemorySegment baton_adopt$address()
    {
        return baton_adopt.ADDR;
    }

    /** Calls {@code baton_adopt}; see baton.h. */
    public static int baton_adopt(final MemorySegment channel)
    {
        try
        {
            return (int)baton_adopt.HANDLE.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_attachment_tag
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_attachment_tag");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_attachment_tag}. */
    public static FunctionDescriptor baton_attachment_tag$descriptor()
    {
        return baton_attachment_tag.DESC;
    }

    /** @return the address of {@code baton_attachment_tag} in libbaton. */
    public static MemorySegment baton_attachment_tag$address()
    {
        return baton_attachment_tag.ADDR;
    }

    /** Calls {@code baton_attachment_tag}; see baton.h. */
    public static int baton_attachment_tag(final MemorySegment channel)
    {
        try
        {
            return (int)baton_attachment_tag.HANDLE.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_notify_dispatched
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_notify_dispatched");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_notify_dispatched}. */
    public static FunctionDescriptor baton_notify_dispatched$descriptor()
    {
        return baton_notify_dispatched.DESC;
    }

    /** @return the address of {@code baton_notify_dispatched} in libbaton. */
    public static MemorySegment baton_notify_dispatched$address()
    {
        return baton_notify_dispatched.ADDR;
    }

    /** Calls {@code baton_notify_dispatched}; see baton.h. */
    public static int baton_notify_dispatched(final MemorySegment channel)
    {
        try
        {
            return (int)baton_notify_dispatched.HANDLE.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_notify_completed
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        static final MemorySegment ADDR = findOrThrow("baton_notify_completed");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_notify_completed}. */
    public static FunctionDescriptor baton_notify_completed$descriptor()
    {
        return baton_notify_completed.DESC;
    }

    /** @return the address of {@code baton_notify_completed} in libbaton. */
    public static MemorySegment baton_notify_completed$address()
    {
        return baton_notify_completed.ADDR;
    }

    /** Calls {@code baton_notify_completed}; see baton.h. */
    public static int baton_notify_completed(final MemorySegment channel)
    {
        try
        {
            return (int)baton_notify_completed.HANDLE.invokeExact(channel);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_await_outcomes
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG);
        static final MemorySegment ADDR = findOrThrow("baton_await_outcomes");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_await_outcomes}. */
    public static FunctionDescriptor baton_await_outcomes$descriptor()
    {
        return baton_await_outcomes.DESC;
    }

    /** @return the address of {@code baton_await_outcomes} in libbaton. */
    public static MemorySegment baton_await_outcomes$address()
    {
        return baton_await_outcomes.ADDR;
    }

    /** Calls {@code baton_await_outcomes}; see baton.h. */
    public static int baton_await_outcomes(final MemorySegment channel, final long timeout_ns)
    {
        try
        {
            return (int)baton_await_outcomes.HANDLE.invokeExact(channel, timeout_ns);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }

    private static final class baton_await_events
    {
        static final FunctionDescriptor DESC = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG);
        static final MemorySegment ADDR = findOrThrow("baton_await_events");
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(ADDR, DESC);
    }

    /** @return the descriptor of {@code baton_await_events}. */
    public static FunctionDescriptor baton_await_events$descriptor()
    {
        return baton_await_events.DESC;
    }

    /** @return the address of {@code baton_await_events} in libbaton. */
    public static MemorySegment baton_await_events$address()
    {
        return baton_await_events.ADDR;
    }

    /** Calls {@code baton_await_events}; see baton.h. */
    public static int baton_await_events(final MemorySegment channel, final long timeout_ns)
    {
        try
        {
            return (int)baton_await_events.HANDLE.invokeExact(channel, timeout_ns);
        }
        catch (final Throwable ex)
        {
            throw unreachable(ex);
        }
    }
}
