package dev.baton;

/** Receives the outcomes {@link OutcomeDrain#drain(OutcomeHandler, int)} drains. */
@FunctionalInterface
public interface OutcomeHandler
{
    /**
     * @param completion one event's outcome; the view is reused once this returns, and the event's
     *                   slot is freed.
     */
    void onOutcome(Outcome completion);
}
