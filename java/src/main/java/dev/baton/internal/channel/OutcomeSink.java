package dev.baton.internal.channel;

/**
 * Where {@link HostDrain} delivers each outcome: where it lies in the channel's memory and what it
 * says. The host's public side wraps it in its view for the caller's handler.
 */
@FunctionalInterface
public interface OutcomeSink
{
    /**
     * @param slot         the offset of the event's slot.
     * @param handle       the event's handle.
     * @param timedOut     whether it timed out rather than completed.
     * @param status       the handler's status, or {@code ETIMEDOUT}.
     * @param resultOffset where the result starts in the channel's memory.
     * @param resultLength the result's length.
     * @param latencyNanos dispatch to the start of this drain.
     */
    void onOutcome(long slot, long handle, boolean timedOut, int status, long resultOffset, int resultLength, long latencyNanos);
}
