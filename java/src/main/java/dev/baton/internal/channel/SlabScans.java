package dev.baton.internal.channel;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.UUID;

import dev.baton.internal.layout.Errno;
import dev.baton.internal.layout.Handles;
import dev.baton.internal.protocol.AttachmentTable;
import dev.baton.internal.protocol.ChannelMemory;
import dev.baton.internal.protocol.OutcomePublisher;
import dev.baton.internal.protocol.Slab;
import dev.baton.internal.protocol.SlotFields;
import dev.baton.jfr.StarvationEvent;
import dev.baton.jfr.TimeoutEvent;

import static dev.baton.internal.layout.SlotDescriptor.POLLED;
import static dev.baton.internal.layout.SlotDescriptor.COMPLETED;
import static dev.baton.internal.layout.SlotDescriptor.DISPATCHED;
import static dev.baton.internal.layout.SlotDescriptor.FREE;
import static dev.baton.internal.layout.SlotDescriptor.HOLDER_SHIFT;
import static dev.baton.internal.layout.SlotDescriptor.TIMED_OUT;
import static dev.baton.internal.layout.SlotDescriptor.YIELDING;
import static dev.baton.internal.layout.SlotDescriptor.generation;
import static dev.baton.internal.layout.SlotDescriptor.state;

/**
 * The passes over every slot's state word: expiry, which times out pending events past their
 * deadline (with a JFR {@link TimeoutEvent} each when a recording wants one), the metrics scan
 * of pending events (with a JFR {@link StarvationEvent}), and the list of the events held. Lock-free, any thread; neither blocks a
 * dispatcher, a handler or the host.
 *
 * <p>The C twin is {@code native/slab_scans.c}.
 */
public final class SlabScans
{
    private final MemorySegment memory;
    private final Slab slab;
    private final OutcomePublisher outcomes;
    private final AttachmentTable attachments;
    private final long starvationThresholdNanos;
    private final long unblockPatienceNanos;

    /**
     * @param starvationThresholdNanos how long an event waits before the metrics count it starving.
     * @param unblockPatienceNanos     how far past its deadline an event under a FREE word lies before
     *                                 expiry times it out (see {@link #underFreeWord}).
     */
    public SlabScans(final ChannelMemory parts, final long starvationThresholdNanos, final long unblockPatienceNanos)
    {
        this.memory = parts.memory();
        this.slab = parts.slab();
        this.outcomes = parts.outcomes();
        this.attachments = parts.attachments();
        this.starvationThresholdNanos = starvationThresholdNanos;
        this.unblockPatienceNanos = unblockPatienceNanos;
    }

    /**
     * @param now       the time to compare deadlines with.
     * @param publisher the tag of this process's attachment, which the timeout records carry.
     * @return events timed out; fewer than expired when the completion ring filled up.
     */
    public int reclaimExpired(final long now, final int publisher)
    {
        int expired = 0;
        // A YIELDING event is skipped: its handler is putting it back in the ring, DISPATCHED, and
        // the next scan expires it there.
        for (int index = 0; index < slab.capacity(); index++)
        {
            final long word = slab.loadHeld(index);
            final int state = state(word);
            if (settlesNow(index, word, now, publisher))
            {
                final int settled = settleNow(index, word, publisher);
                if (settled == Errno.ENOBUFS)
                {
                    break;
                }
                expired += settled == Errno.OK ? 1 : 0;
                continue;
            }
            if ((state != DISPATCHED && state != POLLED) ||
                SlotFields.deadlineOpaque(memory, slab.slotOffset(index)) - now > 0)
            {
                continue;
            }
            // The deadline read above belongs to this generation or a later one; a later one makes
            // the CAS below fail, because the state word would differ.
            final long handle = Handles.handle(generation(word), index);
            final TimeoutEvent timeout = timeoutEvent(handle, state, now);
            final int published = outcomes.publish(handle, state, TIMED_OUT, Errno.ETIMEDOUT, MemorySegment.NULL, publisher, 0);
            if (published == Errno.ENOBUFS)
            {
                break;
            }
            if (published == Errno.OK)
            {
                expired++;
                if (timeout != null)
                {
                    timeout.commit();
                }
            }
        }
        return expired;
    }

    /**
     * Whether expiry times out the slot now, whatever its deadline, because nothing else ever would:
     * its word is one no protocol writes (another process wrote over it), or it is YIELDING under a
     * tag no attachment holds (its yielder is gone and settled, or the tag was written over; tag 0, a
     * yielder without an attachment, is never judged), or it is a FREE word over an event
     * ({@link #underFreeWord}). A slot that holds no event is left, whatever its word says (the caller
     * read it with {@link Slab#loadHeld}): the dispatch that pops it finds its word moved
     * ({@link Slab#publish}). C: settles_now.
     *
     * @param publisher this process's attachment tag; 0 without libbaton.
     */
    private boolean settlesNow(final int index, final long word, final long now, final int publisher)
    {
        final int state = state(word);
        final int holder = (int)word >>> HOLDER_SHIFT;
        if (state == FREE)
        {
            return publisher != 0 && underFreeWord(index, word, now);
        }
        return Slab.wordCorrupted(word) || (state == YIELDING && holder != 0 && attachments.isReleased(holder));
    }

    /**
     * Whether an event lies under the FREE word of the slot at {@code index}, its deadline past by more
     * than the patience: a FREE word with a holder tag, which the protocol writes only while a cancel
     * frees a slot ({@link Slab#free}, until the slot forgets its event), under a tag no live
     * attachment holds: another process wrote it over a slot that holds an event, or the canceller
     * died. A FREE word with no holder is the protocol's own, and left, so that a word written over a
     * free slot's deadline never makes it an event; so is the slot of a dispatch claim (its claimer
     * writes it; the reaper ends a dead claimer's). Asked only with libbaton: without it no other
     * process shares the channel. C: under_free_word.
     */
    private boolean underFreeWord(final int index, final long word, final long now)
    {
        final long slot = slab.slotOffset(index);
        final int holder = (int)word >>> HOLDER_SHIFT;
        return holder != 0 && attachments.isReleased(holder) && SlotFields.holdsEvent(memory, slot) &&
            !slab.isClaim(Handles.handle(generation(word), index)) &&
            now - SlotFields.deadlineOpaque(memory, slot) > unblockPatienceNanos;
    }

    /**
     * Times out the slot at {@code index}, whose word {@link #settlesNow} found so; the record names
     * the generation the slot then has, one a handle names.
     *
     * @return what the publish returns ({@link Errno#OK}, {@link Errno#ENOBUFS}), or
     * {@link Errno#EAGAIN} when the word moved meanwhile.
     */
    private int settleNow(final int index, final long word, final int publisher)
    {
        final long named = slab.normalizeCorrupted(index, word);
        if (named == 0L)
        {
            return Errno.EAGAIN;
        }
        // The low half as the state to move from: an exact match, holder and all (Slab.loadIfIn).
        return outcomes.publish(
            Handles.handle(generation(named), index), (int)named, TIMED_OUT, Errno.ETIMEDOUT, MemorySegment.NULL, publisher, 0);
    }

    /**
     * @return a JFR timeout event filled from the slot before its state moves (after the move the host
     * may free it), or null when no recording wants one.
     */
    private TimeoutEvent timeoutEvent(final long handle, final int state, final long now)
    {
        final TimeoutEvent timeout = new TimeoutEvent();
        if (!timeout.shouldCommit())
        {
            return null;
        }
        final long slot = slab.slotOffset(Handles.index(handle));
        timeout.handle = handle;
        timeout.claimed = state == POLLED;
        timeout.kind = SlotFields.kindOpaque(memory, slot);
        timeout.eventId = new UUID(
            SlotFields.eventIdHiOpaque(memory, slot), SlotFields.eventIdLoOpaque(memory, slot)).toString();
        timeout.ageNanos = now - SlotFields.dispatchedAtOpaque(memory, slot);
        return timeout;
    }

    /**
     * What one scan of the slab's state words saw of the pending events.
     *
     * @param waitingCount       DISPATCHED.
     * @param inProgressCount    POLLED or YIELDING.
     * @param awaitingDrainCount COMPLETED or TIMED_OUT.
     * @param starvingCount      pending longer than the starvation threshold.
     * @param oldestAgeNanos     the oldest pending event's age; 0 when none is pending.
     * @param newestAgeNanos     the newest pending event's age; 0 when none is pending.
     * @param oldestEventId      the oldest pending event's id, or null when none is pending.
     */
    public record PendingScan(
        long waitingCount,
        long inProgressCount,
        long awaitingDrainCount,
        long starvingCount,
        long oldestAgeNanos,
        long newestAgeNanos,
        UUID oldestEventId)
    {
        /** @return waiting and in progress. */
        public long pendingCount()
        {
            return waitingCount + inProgressCount;
        }
    }

    /**
     * Scans the state words of pending events; allocates the result. When events are starving and a
     * recording enables it, writes a JFR {@link StarvationEvent}.
     *
     * @return what the scan saw.
     */
    public PendingScan scanPending()
    {
        final long now = System.nanoTime();
        long waiting = 0;
        long inProgress = 0;
        long awaitingDrain = 0;
        long starving = 0;
        long oldestAt = Long.MAX_VALUE;
        long newestAt = Long.MIN_VALUE;
        long oldestIdHi = 0;
        long oldestIdLo = 0;
        for (int index = 0; index < slab.capacity(); index++)
        {
            final long slot = slab.slotOffset(index);
            final long word = slab.loadHeld(index); // acquire: the fields below belong to this word
            final int state = state(word);
            if (state == COMPLETED || state == TIMED_OUT)
            {
                awaitingDrain++;
                continue;
            }
            if (state != DISPATCHED && state != POLLED && state != YIELDING)
            {
                continue;
            }
            final long dispatchedAt = SlotFields.dispatchedAtOpaque(memory, slot);
            final long idHi = SlotFields.eventIdHiOpaque(memory, slot);
            final long idLo = SlotFields.eventIdLoOpaque(memory, slot);
            // A seqlock read: the fields count only if the state word did not move while we read them.
            if (SlotFields.stateAfterReads(memory, slot) != word)
            {
                continue;
            }
            if (state == DISPATCHED)
            {
                waiting++;
            }
            else
            {
                inProgress++;
            }
            if (now - dispatchedAt > starvationThresholdNanos)
            {
                starving++;
            }
            if (dispatchedAt < oldestAt)
            {
                oldestAt = dispatchedAt;
                oldestIdHi = idHi;
                oldestIdLo = idLo;
            }
            newestAt = Math.max(newestAt, dispatchedAt);
        }
        final long pending = waiting + inProgress;
        if (starving > 0)
        {
            final StarvationEvent starvation = new StarvationEvent();
            if (starvation.shouldCommit())
            {
                starvation.starvingCount = starving;
                starvation.pendingCount = pending;
                starvation.oldestEventId = new UUID(oldestIdHi, oldestIdLo).toString();
                starvation.oldestAgeMillis = Duration.ofNanos(now - oldestAt).toMillis();
                starvation.commit();
            }
        }
        return new PendingScan(
            waiting,
            inProgress,
            awaitingDrain,
            starving,
            pending == 0 ? 0 : now - oldestAt,
            pending == 0 ? 0 : now - newestAt,
            pending == 0 ? null : new UUID(oldestIdHi, oldestIdLo));
    }

    /** Receives each event {@link #listEvents} finds, its fields read under its state word. */
    public interface HeldEventVisitor
    {
        void visit(
            long handle, long eventIdHi, long eventIdLo, long correlationIdHi, long correlationIdLo, int kind,
            int state, long dispatchedAtNanos, long redeliveries, long yields);
    }

    /**
     * Lists the events the slab holds (every slot not FREE: DISPATCHED, POLLED, YIELDING, COMPLETED or
     * TIMED_OUT), each read under its state word (the word read before and after its fields), so each
     * is consistent; not a snapshot across slots.
     *
     * @param visitor receives each, in slot order.
     */
    public void listEvents(final HeldEventVisitor visitor)
    {
        for (int index = 0; index < slab.capacity(); index++)
        {
            final long slot = slab.slotOffset(index);
            final long word = slab.loadHeld(index); // acquire: the fields below belong to this word
            final int state = state(word);
            final int generation = generation(word);
            if (state < DISPATCHED || state > YIELDING || generation <= 0)
            {
                continue;
            }
            final long idHi = SlotFields.eventIdHiOpaque(memory, slot);
            final long idLo = SlotFields.eventIdLoOpaque(memory, slot);
            final long correlationHi = SlotFields.correlationIdHiOpaque(memory, slot);
            final long correlationLo = SlotFields.correlationIdLoOpaque(memory, slot);
            final int kind = SlotFields.kindOpaque(memory, slot);
            final long dispatchedAt = SlotFields.dispatchedAtOpaque(memory, slot);
            final long redeliveries = SlotFields.redeliveriesOpaque(memory, slot);
            final long yields = SlotFields.yieldsOpaque(memory, slot);
            // A seqlock read, as the metrics': the fields count only if the word did not move meanwhile.
            if (SlotFields.stateAfterReads(memory, slot) == word)
            {
                visitor.visit(Handles.handle(generation, index), idHi, idLo, correlationHi, correlationLo, kind, state,
                    dispatchedAt, redeliveries, yields);
            }
        }
    }
}
