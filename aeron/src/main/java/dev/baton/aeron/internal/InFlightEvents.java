package dev.baton.aeron.internal;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;

/**
 * The events the host's side of the bridge holds, by their handle in the host's channel: which
 * lease each was sent under (none while it waits to be sent) and how often it was delivered again
 * after a node was lost. An outcome is accepted only for an event held under the outcome's own
 * epoch, so one from a lost node, or for an event sent elsewhere since, is refused. One thread.
 */
public final class InFlightEvents
{
    /** The epoch of an event that waits to be sent: no lease has it. */
    public static final long UNSENT = 0;

    private static final int DELIVERY_BITS = 8;
    /** The most redeliveries an event is held with: a larger count is held as this one. */
    public static final long MAX_REDELIVERIES = (1L << DELIVERY_BITS) - 1;
    private static final long ABSENT = -1;

    private final Long2LongHashMap epochAndDeliveries = new Long2LongHashMap(ABSENT);

    /**
     * Records an event as held under an epoch (or {@link #UNSENT}), delivered again
     * {@code redeliveries} times, up to {@link #MAX_REDELIVERIES}.
     */
    public void hold(final long handle, final long epoch, final long redeliveries)
    {
        epochAndDeliveries.put(handle, epoch << DELIVERY_BITS | Math.min(redeliveries, MAX_REDELIVERIES));
    }

    /** @return whether the event was sent, and is held, under this epoch ({@link #UNSENT} never is one). */
    public boolean isHeldUnder(final long handle, final long epoch)
    {
        final long packed = epochAndDeliveries.get(handle);
        return epoch != UNSENT && packed != ABSENT && packed >>> DELIVERY_BITS == epoch;
    }

    /** @return how often the event was delivered again, or -1 when it is not held. */
    public long redeliveries(final long handle)
    {
        final long packed = epochAndDeliveries.get(handle);
        return packed == ABSENT ? -1 : packed & MAX_REDELIVERIES;
    }

    /** The event is no longer the bridge's: answered, expired, ended, or left to time out. */
    public void release(final long handle)
    {
        epochAndDeliveries.remove(handle);
    }

    /** Adds to {@code handles} every event held under {@code epoch}. */
    public void collectUnder(final long epoch, final LongArrayList handles)
    {
        final Long2LongHashMap.EntryIterator entries = epochAndDeliveries.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            if (entries.getLongValue() >>> DELIVERY_BITS == epoch)
            {
                handles.addLong(entries.getLongKey());
            }
        }
    }

    /** @return how many events the bridge holds. */
    public int size()
    {
        return epochAndDeliveries.size();
    }
}
