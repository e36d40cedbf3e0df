package dev.baton;

/** Receives the outcomes {@link DispatchChannel#drainCompletions(CompletionHandler, int)} drains. */
@FunctionalInterface
public interface CompletionHandler
{
    /**
     * @param completion one event's outcome; the view is reused once this returns, and the event's
     *                   slot is freed.
     */
    void onCompletion(Completion completion);
}
