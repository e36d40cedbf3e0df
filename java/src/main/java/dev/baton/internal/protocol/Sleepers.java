package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import dev.baton.internal.layout.HeaderDescriptor;

/**
 * The producer's half of waiting without a syscall per event ({@code baton.h}): after a publish, is
 * anyone asleep on its ring? A waiter raises the count (seq_cst) and then looks at the ring once
 * more; the producer publishes and then reads the count, with a store-to-load order between the two,
 * so that one of them always sees the other. The C twin is {@code baton__signal} in
 * {@code native/wait.c}.
 */
public final class Sleepers
{
    private static final VarHandle DISPATCH_WAITERS = HeaderDescriptor.DISPATCH_WAITERS_HANDLE;
    private static final VarHandle COMPLETION_WAITERS = HeaderDescriptor.COMPLETION_WAITERS_HANDLE;

    private Sleepers()
    {
    }

    /**
     * @param memory the channel's memory.
     * @return whether handlers sleep on the dispatch ring, read after a dispatch-ring commit (a
     * release store): a full fence orders the commit before the read.
     */
    public static boolean handlersAsleepAfterCommit(final MemorySegment memory)
    {
        VarHandle.fullFence();
        return (int)DISPATCH_WAITERS.getOpaque(memory, 0L) != 0;
    }

    /**
     * @param memory the channel's memory.
     * @return whether a host sleeps on the completion ring, read after a completion record's commit.
     * No fence: the commit is a volatile CAS ({@link CompletionRing#commit}), and a volatile read
     * after it is ordered after it (C: baton__signal_after_rmw). A record an unblocking host committed
     * instead needs no wake-up: that host is awake, draining.
     */
    public static boolean hostsAsleepAfterCommit(final MemorySegment memory)
    {
        return (int)COMPLETION_WAITERS.getVolatile(memory, 0L) != 0;
    }
}
