package dev.baton;

/** Receives the events a {@link Poller} drains. */
@FunctionalInterface
public interface EventHandler
{
    /**
     * @param event a claimed event; the view is reused for the next event once this returns.
     */
    void onEvent(PolledEvent event);
}
