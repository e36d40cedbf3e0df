package dev.baton.internal.channel;

import dev.baton.internal.layout.CompletionRingDescriptor;
import dev.baton.internal.layout.Errno;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.OutcomePublisher;

import static dev.baton.internal.layout.CompletionRingDescriptor.BODY_LENGTH;
import static dev.baton.internal.layout.CompletionRingDescriptor.RECORD_HEADER_LENGTH;

/**
 * Completes batches: the completions of {@link HandlerOps} in order, runs of them with their records
 * claimed together (one CAS of the completion ring's tail per run), and one wake-up of a sleeping
 * host per batch. Any number of threads, each with its own batch; lock-free. The C twin is
 * {@code baton_complete_batch} in {@code native/handler_ops.c}.
 */
public final class CompletionBatchOps
{
    private final HandlerOps ops;
    private final OutcomePublisher outcomes;
    private final ChannelLifecycle lifecycle;

    public CompletionBatchOps(final HandlerOps ops, final ChannelMemory parts, final ChannelLifecycle lifecycle)
    {
        this.ops = ops;
        this.outcomes = parts.outcomes();
        this.lifecycle = lifecycle;
    }

    /**
     * Completes entries {@code from} to {@code to} of a batch in order, each as
     * {@link HandlerOps#complete} does, with runs of them sharing one claim of the completion ring and with one wake-up of a sleeping host for the batch. The C twin is
     * {@code baton_complete_batch}.
     *
     * @return the number settled: fewer only when the entry after them found no room
     * ({@link Errno#ENOBUFS}, its code); or {@link Errno#ESHUTDOWN}.
     * @throws IllegalArgumentException if a result is longer than the channel's largest (nothing is
     *                                  completed then).
     */
    public int completeBatch(final CompletionEntries entries, final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            ops.checkResultLength(entries.result(i).byteSize());
        }
        if (lifecycle.isClosed())
        {
            return Errno.ESHUTDOWN;
        }
        int settled = from;
        boolean published = false;
        try
        {
            // Runs of entries share one claim of the completion ring (runLength); the rest, and a
            // run the ring has no room for, go one at a time, which says which entry found no room.
            while (settled < to)
            {
                final int run = runLength(entries, settled, to);
                if (run > 1 && claimRun(entries, settled, run))
                {
                    published |= settleRun(entries, settled, run);
                    settled += run;
                    continue;
                }
                final int outcome = ops.publishCompletion(
                    entries.handle(settled), entries.status(settled), entries.result(settled),
                    entries.handlerSpanId(settled));
                entries.code(settled, outcome);
                if (outcome == Errno.ENOBUFS)
                {
                    break;
                }
                published |= outcome == Errno.OK;
                settled++;
            }
        }
        catch (final IllegalStateException closedUnderUs)
        {
            return lifecycle.shutdownOr(closedUnderUs);
        }
        finally
        {
            if (published)
            {
                lifecycle.afterCompletion(); // once, after the batch's last commit
            }
        }
        return settled - from;
    }

    /**
     * How many entries from {@code first} can share one claim of the completion ring: each would be
     * published (an event this caller holds), with a result that fits its record inline; at most
     * the scratch's length, their records together no longer than the ring's largest record, so a
     * run wastes no more room at the wrap than one record does. The C twin is {@code run_length}.
     */
    private int runLength(final CompletionEntries entries, final int first, final int to)
    {
        final int inlineRoom = outcomes.inlineResultCapacity();
        final int room = inlineRoom + BODY_LENGTH;
        final int most = Math.min(to - first, entries.runLengths().length);
        long bytes = 0;
        int run = 0;
        for (; run < most; run++)
        {
            final long length = entries.result(first + run).byteSize();
            bytes += CompletionRingDescriptor.align((int)length + BODY_LENGTH + RECORD_HEADER_LENGTH);
            if (length > inlineRoom || bytes > room || ops.checkClaimed(entries.handle(first + run)) < 0)
            {
                break;
            }
        }
        return run;
    }

    /** Claims the records of a run with one claim: whether it found room. */
    private boolean claimRun(final CompletionEntries entries, final int first, final int run)
    {
        final int[] lengths = entries.runLengths();
        for (int i = 0; i < run; i++)
        {
            lengths[i] = (int)entries.result(first + i).byteSize();
        }
        return outcomes.claimCompletions(lengths, run, lifecycle.tag(), entries.runBodies()) == Errno.OK;
    }

    /** Settles a claimed run's completions, each into its record: whether any was accepted. */
    private boolean settleRun(final CompletionEntries entries, final int first, final int run)
    {
        final long[] bodies = entries.runBodies();
        boolean accepted = false;
        for (int i = 0; i < run; i++)
        {
            final int entry = first + i;
            final int outcome = outcomes.settleCompletion(
                bodies[i], entries.handle(entry), entries.status(entry), entries.result(entry),
                entries.handlerSpanId(entry));
            ops.count(outcome);
            entries.code(entry, outcome);
            accepted |= outcome == Errno.OK;
        }
        return accepted;
    }
}
