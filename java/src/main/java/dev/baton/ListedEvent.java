package dev.baton;

import java.util.UUID;

import dev.baton.internal.layout.SlotDescriptor;

/**
 * An event the channel's slab holds, as {@link DispatchChannel#listEvents()} reports it: read under
 * its slot's state word, so its fields are the event's in that state. The C twin is
 * {@code baton_listed_event} ({@code baton_list_events}).
 *
 * @param handle            the event's handle.
 * @param eventId           its id.
 * @param correlationId     its correlation id.
 * @param kind              its caller-defined type.
 * @param state             where it is.
 * @param dispatchedAtNanos when it was dispatched, in {@link System#nanoTime()}.
 * @param redeliveries      times it was dispatched again after its handler's process died.
 * @param yields            times a handler yielded it.
 */
public record ListedEvent(
    long handle,
    UUID eventId,
    UUID correlationId,
    int kind,
    State state,
    long dispatchedAtNanos,
    long redeliveries,
    long yields)
{
    /** Where a listed event is: every state of a slot but free. */
    public enum State
    {
        /** Dispatched, waiting for a handler to poll it. */
        DISPATCHED,
        /** Polled by a handler, which has not completed it yet. */
        POLLED,
        /** Handed back by its handler, about to be dispatched again. */
        YIELDING,
        /** Completed, its outcome not yet drained by the host. */
        COMPLETED,
        /** Timed out, its outcome not yet drained by the host. */
        TIMED_OUT;

        /** @return the state a slot's state number names; only a state that holds an event. */
        static State of(final int state)
        {
            return switch (state)
            {
                case SlotDescriptor.DISPATCHED -> DISPATCHED;
                case SlotDescriptor.POLLED -> POLLED;
                case SlotDescriptor.YIELDING -> YIELDING;
                case SlotDescriptor.COMPLETED -> COMPLETED;
                case SlotDescriptor.TIMED_OUT -> TIMED_OUT;
                default -> throw new IllegalArgumentException("no event in slot state " + state);
            };
        }
    }
}
