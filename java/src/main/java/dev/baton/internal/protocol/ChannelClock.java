package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import dev.baton.internal.layout.HeaderDescriptor;

/**
 * The channel's cached clock, the header's {@code clock_ns} as {@code include/baton.h} draws it:
 * the host's drain caches the time it read at its start, and dispatches and claims stamp their
 * events with it rather than reading the clock each. 0 means none is cached: readers read the
 * clock. The C twin is {@code native/clock.c}.
 *
 * <p>Opaque on both sides (C: relaxed): a timestamp orders nothing. The host stores only when the
 * value changes, so a host that keeps draining nothing writes the line dispatchers read no more.
 */
public final class ChannelClock
{
    private static final VarHandle CLOCK = HeaderDescriptor.CLOCK_HANDLE;

    private final MemorySegment memory;
    /** The host's: what it last stored. */
    private long cached;

    public ChannelClock(final MemorySegment memory)
    {
        this.memory = memory;
    }

    /** @return the cached time, or the clock's while none is cached: never later than the clock. */
    public long now()
    {
        final long time = (long)CLOCK.getOpaque(memory, 0L);
        return time != 0 ? time : System.nanoTime();
    }

    /**
     * The host, after each drain: caches the time the drain read at its start when it delivered an
     * outcome, and clears the cache when it delivered none (the host may stop for a while).
     *
     * @param drainStartNanos the clock as the drain began.
     * @param delivered       outcomes the drain delivered.
     */
    public void afterDrain(final long drainStartNanos, final int delivered)
    {
        store(delivered > 0 ? drainStartNanos : 0L);
    }

    /** The host, before it waits for outcomes: clears the cache. */
    public void clear()
    {
        store(0L);
    }

    private void store(final long time)
    {
        if (time != cached)
        {
            cached = time;
            CLOCK.setOpaque(memory, 0L, time);
        }
    }
}
