package dev.baton;

/**
 * A handler thread's end of a channel: claims dispatched events, one at a time or in batches.
 * Each handler thread owns one poller (its {@link ClaimedEvent} view is reused); any number of pollers
 * poll one channel concurrently.
 */
public final class Poller
{
    private final DispatchChannel channel;
    private final ClaimedEvent event = new ClaimedEvent();

    Poller(final DispatchChannel channel)
    {
        this.channel = channel;
    }

    /**
     * Claims the oldest dispatched event, DISPATCHED to CLAIMED. Lock-free; skips entries whose
     * event timed out or was cancelled before any handler claimed it. Allocation-free.
     *
     * @return this poller's view of the claimed event, or null when none is ready.
     * @throws IllegalStateException if the channel is closed.
     */
    public ClaimedEvent poll()
    {
        return channel.claimNext(event) ? event : null;
    }

    /**
     * Claims up to {@code limit} events and passes each to {@code handler}. Lock-free, allocation-free.
     * The handler completes each event (now or later, from any thread) through its handle; an event
     * it never completes times out. If the handler throws, the events already claimed stay claimed.
     *
     * @param handler receives each event.
     * @param limit   the most events to claim.
     * @return events claimed.
     */
    public int drain(final EventHandler handler, final int limit)
    {
        int claimed = 0;
        while (claimed < limit && channel.claimNext(event))
        {
            claimed++;
            handler.onEvent(event);
        }
        return claimed;
    }
}
