package dev.baton.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one locked instruction costs on this machine, where Baton runs it: one thread writes an
 * event's fields into the next of 64 slots of shared memory (two cache lines of each, as a dispatch
 * writes a slot's header), then publishes the slot's state word, by compare-and-set ({@code cas}) or
 * by a release store ({@code releaseStore}). The difference between the two is what a locked
 * instruction adds after a slot's writes, store buffer and all: the report multiplies it by the
 * locked instructions an event runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LockedInstructionBenchmark
{
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final int SLOTS = 64;
    private static final long SLOT_SIZE = 256;
    /** Where a dispatch writes before it publishes: eight words over the slot's first two lines. */
    private static final long[] FIELD_OFFSETS = {8, 16, 24, 32, 64, 72, 80, 88};

    @Param({"cas", "releaseStore"})
    public String candidate;

    private Arena arena;
    private MemorySegment slots;
    private boolean byCas;
    private long published;

    @Setup(Level.Trial)
    public void setUp()
    {
        arena = Arena.ofShared();
        slots = arena.allocate(SLOTS * SLOT_SIZE, 128);
        byCas = candidate.equals("cas");
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        arena.close();
    }

    @Benchmark
    public long publish()
    {
        final long slot = (published & (SLOTS - 1)) * SLOT_SIZE;
        for (final long field : FIELD_OFFSETS)
        {
            slots.set(ValueLayout.JAVA_LONG, slot + field, published);
        }
        final long word = (long)WORD.getAcquire(slots, slot);
        if (byCas)
        {
            WORD.compareAndSet(slots, slot, word, word + 1);
        }
        else
        {
            WORD.setRelease(slots, slot, word + 1);
        }
        return published++;
    }
}
