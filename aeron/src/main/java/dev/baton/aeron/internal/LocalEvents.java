package dev.baton.aeron.internal;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongLongConsumer;

/**
 * A node's record of the events it dispatched into its local channel: for each local handle, the
 * host's handle, the epoch it came under and its deadline (the time it had left at the host, from
 * its arrival); and, for the current epoch, which host handles were delivered, so a repeated
 * delivery is dropped. A host handle names one dispatch (an event id is the caller's and may
 * repeat), so (host handle, epoch) names one delivery. One thread; nothing allocated per event.
 */
public final class LocalEvents
{
    private static final long ABSENT = 0; // a handle is never 0

    private final Long2LongHashMap hostHandleByLocal = new Long2LongHashMap(ABSENT);
    private final Long2LongHashMap epochByLocal = new Long2LongHashMap(ABSENT);
    private final Long2LongHashMap deadlineByLocal = new Long2LongHashMap(Long.MIN_VALUE); // any time may be 0
    private final Long2LongHashMap localByHostHandle = new Long2LongHashMap(ABSENT);
    private final LongLongConsumer pastDeadlineCollector = this::collectIfPast;
    private long sweptAtNanos;
    private long[] sweptInto;
    private int swept;

    /**
     * Records a delivery under the current epoch, dispatched locally under {@code localHandle}.
     *
     * @param deadlineNanos when its time at the host runs out, on this node's {@link System#nanoTime()}.
     */
    public void record(final long localHandle, final long hostHandle, final long epoch, final long deadlineNanos)
    {
        hostHandleByLocal.put(localHandle, hostHandle);
        epochByLocal.put(localHandle, epoch);
        deadlineByLocal.put(localHandle, deadlineNanos);
        localByHostHandle.put(hostHandle, localHandle);
    }

    /**
     * @param nowNanos this node's {@link System#nanoTime()}.
     * @param into     where to put the local handles, as many as it holds.
     * @return how many local events are past their deadline, their handles in {@code into}.
     */
    public int pastDeadline(final long nowNanos, final long[] into)
    {
        sweptAtNanos = nowNanos;
        sweptInto = into;
        swept = 0;
        deadlineByLocal.forEachLong(pastDeadlineCollector);
        return swept;
    }

    private void collectIfPast(final long localHandle, final long deadlineNanos)
    {
        if (sweptAtNanos - deadlineNanos >= 0 && swept < sweptInto.length)
        {
            sweptInto[swept++] = localHandle;
        }
    }

    /** @return whether the event was delivered already under the current epoch. */
    public boolean isDelivered(final long hostHandle)
    {
        return localByHostHandle.containsKey(hostHandle);
    }

    /** A new epoch began: earlier deliveries are not repeats of its own. */
    public void newEpoch()
    {
        localByHostHandle.clear();
    }

    /** @return the host's handle of a local event, or 0 when the node never dispatched it. */
    public long hostHandleOf(final long localHandle)
    {
        return hostHandleByLocal.get(localHandle);
    }

    /** @return the epoch a local event was delivered under. */
    public long epochOf(final long localHandle)
    {
        return epochByLocal.get(localHandle);
    }

    /** The local event ended: its outcome is on its way to the host. */
    public void forget(final long localHandle)
    {
        final long hostHandle = hostHandleByLocal.remove(localHandle);
        epochByLocal.remove(localHandle);
        deadlineByLocal.remove(localHandle);
        if (localByHostHandle.get(hostHandle) == localHandle)
        {
            localByHostHandle.remove(hostHandle);
        }
    }

    /** @return how many local events wait for their outcome. */
    public int size()
    {
        return hostHandleByLocal.size();
    }
}
