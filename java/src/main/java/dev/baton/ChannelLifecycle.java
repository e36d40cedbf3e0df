package dev.baton;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import dev.baton.internal.ffi.NativeWaits;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.internal.protocol.CloseHandshake;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * A channel's memory from allocation to close, and the waits on it: the arena that owns the memory,
 * the closed flag, and the Java host's attachment to libbaton when it is loaded. With libbaton, a
 * wait sleeps on the channel's futex word and the publishing side wakes it; without, the waiting
 * thread backs off through its own idle strategy.
 *
 * <p>Closing marks the channel closed in its header, wakes every sleeper, waits for the native users
 * to detach and only then frees the memory, so it is never freed under an attached native user.
 */
final class ChannelLifecycle
{
    /** How long {@link #close()} waits for native users to detach before it gives up freeing. */
    private static final Duration DETACH_TIMEOUT = Duration.ofSeconds(10);

    private final Arena arena;
    private final MemorySegment memory;
    private NativeWaits nativeWaits;
    private volatile boolean closed;

    ChannelLifecycle(final long length)
    {
        this.arena = Arena.ofShared();
        try
        {
            this.memory = arena.allocate(length, HeaderDescriptor.SEGMENT_ALIGNMENT);
        }
        catch (final RuntimeException | Error ex)
        {
            arena.close();
            throw ex;
        }
    }

    /** Attaches to libbaton, when it is loaded, once the memory is formatted. */
    void attachNative()
    {
        nativeWaits = NativeWaits.attachIfAvailable(memory);
    }

    MemorySegment memory()
    {
        return memory;
    }

    boolean isClosed()
    {
        return closed;
    }

    void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("channel closed");
        }
    }

    /**
     * @param failure what an operation racing with close threw.
     * @return {@link ErrorCode#ESHUTDOWN} when the channel was closed under the operation, whose
     * memory access then failed.
     * @throws IllegalStateException the failure itself, when the channel is open.
     */
    int shutdownOr(final IllegalStateException failure)
    {
        if (closed)
        {
            return ErrorCode.ESHUTDOWN;
        }
        throw failure;
    }

    /** After a dispatch was published: wakes native handlers asleep on the dispatch futex. */
    void afterDispatch()
    {
        if (nativeWaits != null)
        {
            nativeWaits.afterDispatch();
        }
    }

    /** After an outcome was published: wakes a native host asleep on the completion futex. */
    void afterCompletion()
    {
        if (nativeWaits != null)
        {
            nativeWaits.afterCompletion();
        }
    }

    /**
     * @param ready        whether an event is ready to claim.
     * @param timeoutNanos the longest wait.
     * @param idle         the caller's own idle strategy, used without libbaton.
     * @return 1 when an event is ready, 0 after the timeout, {@link ErrorCode#ESHUTDOWN} once closed.
     */
    int awaitDispatch(final BooleanSupplier ready, final long timeoutNanos, final IdleStrategy idle)
    {
        return await(ready, timeoutNanos, idle, true);
    }

    /** As {@link #awaitDispatch}, for an outcome ready to drain. */
    int awaitCompletions(final BooleanSupplier ready, final long timeoutNanos, final IdleStrategy idle)
    {
        return await(ready, timeoutNanos, idle, false);
    }

    private int await(
        final BooleanSupplier ready, final long timeoutNanos, final IdleStrategy idle, final boolean dispatchSide)
    {
        if (closed)
        {
            return ErrorCode.ESHUTDOWN;
        }
        if (ready.getAsBoolean())
        {
            return 1;
        }
        if (nativeWaits == null)
        {
            return backOff(ready, timeoutNanos, idle);
        }
        return dispatchSide ? nativeWaits.awaitDispatch(timeoutNanos) : nativeWaits.awaitCompletions(timeoutNanos);
    }

    private int backOff(final BooleanSupplier ready, final long timeoutNanos, final IdleStrategy idle)
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        idle.reset();
        while (!closed && !ready.getAsBoolean())
        {
            if (deadline - System.nanoTime() <= 0)
            {
                return 0;
            }
            idle.idle();
        }
        return closed ? ErrorCode.ESHUTDOWN : 1;
    }

    /**
     * Marks the channel closed, wakes every sleeper, waits for the native users to detach, and frees
     * the memory. Idempotent. If a native user is still attached after 10 seconds, the memory is left
     * allocated (and a warning logged) rather than freed under it.
     */
    void close()
    {
        synchronized (arena)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            CloseHandshake.markClosed(memory);
            if (nativeWaits != null)
            {
                nativeWaits.wakeAll();
            }
            final boolean detached = awaitNativeDetach(nativeWaits != null ? 1 : 0);
            if (nativeWaits != null)
            {
                nativeWaits.detach();
            }
            if (detached)
            {
                arena.close();
            }
            else
            {
                System.getLogger(DispatchChannel.class.getName()).log(System.Logger.Level.WARNING,
                    "native users still attached after " + DETACH_TIMEOUT + ": the channel memory is left allocated");
            }
        }
    }

    private boolean awaitNativeDetach(final int ownAttachments)
    {
        final long deadline = System.nanoTime() + DETACH_TIMEOUT.toNanos();
        final IdleStrategy idle = new BackoffIdleStrategy();
        while (CloseHandshake.attachedCount(memory) > ownAttachments)
        {
            if (deadline - System.nanoTime() <= 0)
            {
                return false;
            }
            idle.idle();
        }
        return true;
    }
}
