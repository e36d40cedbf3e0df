package dev.baton.aeron.internal;

import org.agrona.collections.Long2LongHashMap;

/**
 * A node's record of the events it dispatched into its local channel: for each local handle, the
 * host's handle and the epoch it came under; and, for the current epoch, which host handles were
 * delivered, so a repeated delivery is dropped. A host handle names one dispatch (an event id is
 * the caller's and may repeat), so (host handle, epoch) names one delivery. One thread.
 */
public final class LocalEvents
{
    private static final long ABSENT = 0; // a handle is never 0

    private final Long2LongHashMap hostHandleByLocal = new Long2LongHashMap(ABSENT);
    private final Long2LongHashMap epochByLocal = new Long2LongHashMap(ABSENT);
    private final Long2LongHashMap localByHostHandle = new Long2LongHashMap(ABSENT);

    /** Records a delivery under the current epoch, dispatched locally under {@code localHandle}. */
    public void record(final long localHandle, final long hostHandle, final long epoch)
    {
        hostHandleByLocal.put(localHandle, hostHandle);
        epochByLocal.put(localHandle, epoch);
        localByHostHandle.put(hostHandle, localHandle);
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
