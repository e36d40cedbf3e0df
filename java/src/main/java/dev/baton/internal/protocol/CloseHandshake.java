package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;

import dev.baton.internal.layout.HeaderDescriptor;

/**
 * The closer's half of the handshake that keeps a channel's memory alive under every native user.
 * The other half is {@code baton_attach}: it raises {@code attached_count}, then reads
 * {@code channel_state}; the closer stores CLOSED, then reads {@code attached_count}. Both sides
 * store then load with sequential consistency (a Dekker pattern), so at least one sees the other:
 * an attacher either finds the channel closed or is counted, and the closer frees the memory only
 * after the count falls back.
 *
 * <p>The C twin is {@code native/close_handshake.c}.
 */
public final class CloseHandshake
{
    private CloseHandshake()
    {
    }

    /**
     * Marks the channel closed: every later operation and attach is refused.
     *
     * @param memory the channel memory.
     */
    public static void markClosed(final MemorySegment memory)
    {
        // volatile (seq_cst): ordered before the volatile read of attached_count in attachedCount().
        HeaderDescriptor.CHANNEL_STATE_HANDLE.setVolatile(memory, 0L, HeaderDescriptor.CHANNEL_CLOSED);
    }

    /**
     * @param memory the channel memory.
     * @return whether the channel was marked closed, by this process or another; acquire: pairs
     * with {@link #markClosed}, so a closed channel is never acted on after it (C: baton__is_closed).
     */
    public static boolean isMarkedClosed(final MemorySegment memory)
    {
        return (int)HeaderDescriptor.CHANNEL_STATE_HANDLE.getAcquire(memory, 0L) != HeaderDescriptor.CHANNEL_OPEN;
    }

    /**
     * @param memory the channel memory.
     * @return native users attached now.
     */
    public static int attachedCount(final MemorySegment memory)
    {
        // volatile (seq_cst): an acquire load could be ordered before markClosed's store, and miss an
        // attacher that then misses the CLOSED state; volatile also acquires baton_detach's release,
        // so a detached user's last accesses happen before the memory is freed.
        return (int)HeaderDescriptor.ATTACHED_COUNT_HANDLE.getVolatile(memory, 0L);
    }
}
