package dev.baton;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The optional index from event id to handle, for {@link DispatchChannel#complete(UUID, int,
 * java.lang.foreign.MemorySegment)}. On the heap: it allocates on dispatch and on drain, which is why
 * it is off unless a channel is built with it.
 */
final class UuidIndex
{
    private final ConcurrentHashMap<UUID, Long> handles;

    UuidIndex(final int slabCapacity)
    {
        handles = new ConcurrentHashMap<>(slabCapacity * 2);
    }

    void put(final long eventIdHi, final long eventIdLo, final long handle)
    {
        handles.put(new UUID(eventIdHi, eventIdLo), handle);
    }

    /** Removes the entry only while it still names this dispatch, not a later one of the same id. */
    void remove(final UUID eventId, final long handle)
    {
        handles.remove(eventId, handle);
    }

    /** @return the handle of the live event with this id, or null. */
    Long find(final UUID eventId)
    {
        return handles.get(eventId);
    }
}
