package dev.baton.internal.channel;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The optional index from event id to handle, for a handler that completes by event id
 * ({@code Poller.complete(UUID, int, MemorySegment)}). On the heap: it allocates on dispatch and on
 * drain, which is why it is off unless a channel is built with it.
 */
public final class UuidIndex
{
    private final ConcurrentHashMap<UUID, Long> handles;

    public UuidIndex(final int slabCapacity)
    {
        handles = new ConcurrentHashMap<>(slabCapacity * 2);
    }

    public void put(final long eventIdHi, final long eventIdLo, final long handle)
    {
        handles.put(new UUID(eventIdHi, eventIdLo), handle);
    }

    /** Removes the entry only while it still names this dispatch, not a later one of the same id. */
    public void remove(final UUID eventId, final long handle)
    {
        handles.remove(eventId, handle);
    }

    /** @return the handle of the live event with this id, or null. */
    public Long find(final UUID eventId)
    {
        return handles.get(eventId);
    }
}
