package dev.baton.latency;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.HdrHistogram.Histogram;

/**
 * Recordings from one thread at a time, in runs: a channel's host drain records each outcome it
 * delivers, and ends the run when the drain ends. The writer runs no locked instruction, per value or
 * per run: each value is a plain write into a histogram only it writes, which counts every value
 * since the start, and a run is bracketed by two ordered stores of a sequence word, odd while the run
 * is open (a seqlock's writer).
 *
 * <p>A reader ({@link #addIntervalTo}, serialised by its caller) takes a copy of the histogram that
 * holds whole runs only, then adds to its total the copy less the one it took last time. It copies
 * the histogram itself while no run is open: the sequence word even, and the same after the copy as
 * before it. While runs follow one another it asks the writer instead, which copies the histogram
 * at the end of a run (a CAS, only when asked); the reader withdraws the ask, and copies again,
 * when it finds the writer resting between runs. So a reader waits while a run is open, as long as
 * the writer's sink takes, and the writer never waits.
 */
final class SingleWriterLatencies
{
    /** The request word: no reader waits; a reader asked for a copy; the writer copies; the copy is done. */
    private static final int IDLE = 0;
    private static final int ASKED = 1;
    private static final int COPYING = 2;
    private static final int COPIED = 3;
    /** Reads of the same even sequence word after which a reader takes the writer to rest between runs. */
    private static final int SETTLED_READS = 64;
    private static final VarHandle SEQUENCE;
    private static final VarHandle REQUEST;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SEQUENCE = lookup.findVarHandle(SingleWriterLatencies.class, "sequence", long.class);
            REQUEST = lookup.findVarHandle(SingleWriterLatencies.class, "request", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    // The writer's alone to write: every value recorded since the start.
    private final Histogram recorded;
    // Odd while a run is open. Written by the writer only, read by readers.
    private long sequence;
    private int request = IDLE;
    // The copy a reader takes: the reader's, except that the writer fills it between COPYING and COPIED.
    private final Histogram copy;
    // The reader's: the copy it took last time.
    private final Histogram previous;

    SingleWriterLatencies(final long lowestTrackableValue, final long highestTrackableValue, final int significantDigits)
    {
        recorded = new Histogram(lowestTrackableValue, highestTrackableValue, significantDigits);
        copy = new Histogram(lowestTrackableValue, highestTrackableValue, significantDigits);
        previous = new Histogram(lowestTrackableValue, highestTrackableValue, significantDigits);
    }

    /** Records a value clamped by the caller to the histogram's range; opens a run if none is. */
    void record(final long value)
    {
        if (sequence % 2 == 0) // the writer reads its own word plainly: no run is open
        {
            // opaque, then a release fence: the odd word is visible before any write of the run (a
            // seqlock's writer; on x86 a plain store, and the fence only the compiler's).
            SEQUENCE.setOpaque(this, sequence + 1);
            VarHandle.releaseFence();
        }
        recorded.recordValue(value);
    }

    /** Ends the run in progress, if any: what it recorded is the readers' from here on. */
    void endRun()
    {
        if (sequence % 2 == 0)
        {
            return;
        }
        // release: pairs with a reader's acquire of the even word; the run's writes come before it.
        SEQUENCE.setRelease(this, sequence + 1);
        // opaque (a plain load): a request made after this read is answered at the next run's end.
        // The CAS takes the request from a reader that might withdraw it.
        if ((int)REQUEST.getOpaque(this) == ASKED && REQUEST.compareAndSet(this, ASKED, COPYING))
        {
            recorded.copyInto(copy);
            REQUEST.setRelease(this, COPIED); // pairs with the reader's acquire: the copy is written
        }
    }

    /** Adds to {@code total} every run that ended since the last call. */
    void addIntervalTo(final Histogram total)
    {
        takeCopy();
        total.add(copy);
        total.subtract(previous);
        copy.copyInto(previous);
    }

    /** Fills {@link #copy} with whole runs: by copying while no run is open, or by the writer's copy. */
    private void takeCopy()
    {
        while (!copyWhileNoRunIsOpen())
        {
            // volatile: visible to the writer's load at the end of its next run, or of the one after:
            // a load issued beside this store, ahead of the writer's own stores, may miss it (there is
            // no fence on the writer's side).
            REQUEST.setVolatile(this, ASKED);
            long seen = -1;
            int unchanged = 0;
            while (true)
            {
                final int state = (int)REQUEST.getAcquire(this);
                if (state == COPIED)
                {
                    REQUEST.setOpaque(this, IDLE);
                    return;
                }
                final long now = (long)SEQUENCE.getAcquire(this);
                unchanged = now == seen ? unchanged + 1 : 0;
                seen = now;
                // The word rests, even: the writer is between runs, and may have missed the ask at the
                // end of the last. Withdraw it (unless the writer took it) and copy again.
                if (state == ASKED && now % 2 == 0 && unchanged >= SETTLED_READS &&
                    REQUEST.compareAndSet(this, ASKED, IDLE))
                {
                    break;
                }
                Thread.onSpinWait();
            }
        }
    }

    /** @return whether {@link #copy} now holds the histogram as it was with no run open throughout. */
    private boolean copyWhileNoRunIsOpen()
    {
        // acquire: pairs with the writer's release of the even word, so the runs before it are seen.
        final long before = (long)SEQUENCE.getAcquire(this);
        if (before % 2 != 0)
        {
            return false;
        }
        recorded.copyInto(copy); // plain reads that a run opened meanwhile may tear: then refused below
        // acquire fence: the copy's reads come before the second read of the word (a seqlock's reader).
        VarHandle.acquireFence();
        return (long)SEQUENCE.getOpaque(this) == before;
    }
}
