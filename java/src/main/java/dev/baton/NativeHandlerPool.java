package dev.baton;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Handler threads written in C, Rust or anything else that exports the pool convention, started
 * on a Java-created channel with one downcall. From then on the Java host and the native threads
 * meet only in the channel's memory: no downcall per event.
 *
 * <pre>
 *   void   *PREFIX_start(void *memory, uint64_t length, uint32_t threads, uint32_t silent_per_mille);
 *   int64_t PREFIX_stop(void *pool, uint64_t *served, uint32_t capacity);
 * </pre>
 * {@code start} attaches each thread to the channel and returns the pool, or NULL; a thread stays
 * silent (never completes) on {@code silent_per_mille} of the events, to provoke timeouts in tests.
 * {@code stop} joins the threads, writes how many events each completed and returns the total.
 * {@code tests/c/handler_pool.c} and {@code tests/rust} implement it.
 */
// restricted: loading the pool's library and linking its two functions is what this class is for.
@SuppressWarnings("restricted")
public final class NativeHandlerPool implements AutoCloseable
{
    private static final FunctionDescriptor START = FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor STOP = FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT);

    private final MethodHandle stop;
    private final MemorySegment pool;
    private final int threads;
    private long[] served;

    private NativeHandlerPool(final MethodHandle stop, final MemorySegment pool, final int threads)
    {
        this.stop = stop;
        this.pool = pool;
        this.threads = threads;
    }

    /**
     * @param library        the pool's shared library.
     * @param prefix         the prefix of its {@code _start} and {@code _stop} functions.
     * @param channel        the channel to serve; must outlive the pool.
     * @param threads        handler threads.
     * @param silentPerMille events per thousand left uncompleted (0 in production).
     * @return the running pool.
     * @throws IllegalStateException if the library does not export the convention or cannot start.
     */
    public static NativeHandlerPool start(
        final Path library, final String prefix, final DispatchChannel channel, final int threads,
        final int silentPerMille)
    {
        final SymbolLookup symbols = SymbolLookup.libraryLookup(library, Arena.global());
        final Linker linker = Linker.nativeLinker();
        final MethodHandle start = linker.downcallHandle(find(symbols, prefix + "_start"), START);
        final MethodHandle stop = linker.downcallHandle(find(symbols, prefix + "_stop"), STOP);
        final MemorySegment memory = channel.memory();
        final MemorySegment pool;
        try
        {
            pool = (MemorySegment)start.invokeExact(memory, memory.byteSize(), threads, silentPerMille);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException(prefix + "_start failed", ex);
        }
        if (pool.equals(MemorySegment.NULL))
        {
            throw new IllegalStateException(prefix + "_start could not start " + threads + " thread(s) on the channel");
        }
        return new NativeHandlerPool(stop, pool, threads);
    }

    private static MemorySegment find(final SymbolLookup symbols, final String name)
    {
        return symbols.find(name).orElseThrow(() -> new IllegalStateException("the pool library has no " + name));
    }

    /**
     * Stops the threads (idempotent).
     *
     * @return events each thread completed.
     */
    public synchronized long[] stop()
    {
        if (served == null)
        {
            try (Arena arena = Arena.ofConfined())
            {
                final MemorySegment counts = arena.allocate(JAVA_LONG, threads);
                final long total = (long)stop.invokeExact(pool, counts, threads);
                if (total < 0)
                {
                    throw new IllegalStateException("stop failed: " + ErrorCode.describe((int)total));
                }
                served = counts.toArray(JAVA_LONG);
            }
            catch (final RuntimeException | Error ex)
            {
                throw ex;
            }
            catch (final Throwable ex)
            {
                throw new IllegalStateException("stop failed", ex);
            }
        }
        return served.clone();
    }

    @Override
    public void close()
    {
        stop();
    }
}
