package dev.baton.latency;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * Recordings from one thread at a time, in runs: a channel's host drain records each outcome it
 * delivers, and ends the run when the drain ends. Each value is a plain write into a histogram only
 * the writer touches; the writer enters the reader's phase once per run (two locked instructions per
 * run, none per value), where a multi-writer {@code Recorder} pays them on every value.
 *
 * <p>The reader ({@link #addIntervalTo}, serialised by its caller) swaps in the spare histogram and
 * flips the phase, which waits for a run that began before the flip to end; then the histogram it
 * took back is the reader's alone. So a reader waits for at most one run, and the writer never waits.
 */
final class SingleWriterLatencies
{
    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    // The histogram runs record into: written by the reader's swap, read by the writer as a run begins.
    private volatile Histogram active;
    private Histogram spare;
    // The writer's: the run in progress (null when none), and the phase value it entered with, which
    // may be any long (the phaser's odd phase counts up from Long.MIN_VALUE).
    private Histogram runHistogram;
    private long runEpoch;

    SingleWriterLatencies(final long lowestTrackableValue, final long highestTrackableValue, final int significantDigits)
    {
        active = new Histogram(lowestTrackableValue, highestTrackableValue, significantDigits);
        spare = new Histogram(lowestTrackableValue, highestTrackableValue, significantDigits);
    }

    /** Records a value clamped by the caller to the histogram's range; begins a run if none is open. */
    void record(final long value)
    {
        if (runHistogram == null)
        {
            runEpoch = phaser.writerCriticalSectionEnter();
            // read after entering: a reader that swapped before our entry waits for our exit.
            runHistogram = active;
        }
        runHistogram.recordValue(value);
    }

    /** Ends the run in progress, if any: what it recorded is the reader's from here on. */
    void endRun()
    {
        if (runHistogram != null)
        {
            runHistogram = null;
            phaser.writerCriticalSectionExit(runEpoch);
        }
    }

    /** Adds to {@code total} every run that ended since the last call, and the part of one in progress. */
    void addIntervalTo(final Histogram total)
    {
        phaser.readerLock();
        try
        {
            final Histogram taken = active;
            spare.reset();
            active = spare;
            // Waits for every run that may still write into the histogram just taken.
            phaser.flipPhase();
            total.add(taken);
            spare = taken;
        }
        finally
        {
            phaser.readerUnlock();
        }
    }
}
