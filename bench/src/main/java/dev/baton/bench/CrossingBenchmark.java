package dev.baton.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

import dev.baton.internal.ffi.NativeLibrary;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The crossing, one way: Java hands each event to C with one FFM downcall (the C handlers' own work
 * function), plain or with {@link Linker.Option#critical}. The other way, C handler threads serving
 * the shared-memory rings, is {@link EndToEndBenchmark}'s {@code batonCHandlers}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CrossingBenchmark
{
    @Param({"downcall", "downcallCritical"})
    public String candidate;

    private MethodHandle handleOne;
    private long number;

    @Setup(Level.Trial)
    @SuppressWarnings("restricted")
    public void setUp()
    {
        final SymbolLookup pool = SymbolLookup.libraryLookup(
            NativeLibrary.beside("libbaton_c_handlers.so"), Arena.global());
        final Linker.Option[] options = candidate.equals("downcallCritical") ?
            new Linker.Option[] {Linker.Option.critical(false)} : new Linker.Option[0];
        handleOne = Linker.nativeLinker().downcallHandle(
            pool.find("baton_c_handle_one").orElseThrow(), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), options);
    }

    @Benchmark
    public long handOneEventToC() throws Throwable
    {
        return (long)handleOne.invokeExact(number++);
    }
}
