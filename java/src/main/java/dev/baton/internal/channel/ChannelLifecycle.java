package dev.baton.internal.channel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import dev.baton.internal.ffi.NativeAttachment;
import dev.baton.internal.ffi.NativeLibrary;
import dev.baton.internal.layout.Errno;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.internal.layout.SlotDescriptor;
import dev.baton.internal.protocol.CloseHandshake;
import dev.baton.internal.protocol.Sleepers;
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
public final class ChannelLifecycle
{
    /** How long {@link #close()} waits for native users to detach before it gives up freeing. */
    private static final Duration DETACH_TIMEOUT = Duration.ofSeconds(10);

    private final Arena arena;
    private final MemorySegment memory;
    /** The file this process created the channel in, or adopted it in; null for none. */
    private ChannelFile createdFile;
    /** Whether this process owns the channel (closes it) rather than attached to another's. */
    private boolean owner;
    /** The path of a file attached to, which an adopter removes at close; null for others. */
    private final Path attachedPath;
    private NativeAttachment nativeAttachment;
    /** The tag of this process's libbaton attachment, which its claims and outcomes carry; 0 without. */
    private int tag;
    private volatile boolean closed;

    private ChannelLifecycle(
        final Arena arena, final MemorySegment memory, final ChannelFile createdFile, final boolean owner,
        final Path attachedPath)
    {
        this.arena = arena;
        this.memory = memory;
        this.createdFile = createdFile;
        this.owner = owner;
        this.attachedPath = attachedPath;
    }

    /**
     * @param length the channel's length in bytes.
     * @return the lifecycle of a channel in this process's memory, to format.
     */
    public static ChannelLifecycle inMemory(final long length)
    {
        return withArena(arena ->
            new ChannelLifecycle(arena, arena.allocate(length, HeaderDescriptor.SEGMENT_ALIGNMENT), null, true, null));
    }

    /**
     * @param path   where the channel's file goes, absolute.
     * @param length the channel's length in bytes.
     * @return the lifecycle of a channel in a new file, to format and then {@link #publish}.
     * @throws IllegalStateException if libbaton is not loaded: only its futex calls wake other
     *                               processes; or if a file exists at the path.
     */
    public static ChannelLifecycle inNewFile(final Path path, final long length)
    {
        requireLibbaton(path);
        return withArena(arena ->
        {
            final ChannelFile file = ChannelFile.create(path, length, arena);
            return new ChannelLifecycle(arena, file.memory(), file, true, null);
        });
    }

    /**
     * @param path     a channel file another process created, absolute.
     * @param anyOwner whether to accept a file another user owns.
     * @return the lifecycle of this process's attachment to it.
     * @throws IllegalStateException    if libbaton is not loaded.
     * @throws IllegalArgumentException if the file is no channel this process may trust.
     */
    public static ChannelLifecycle attachedToFile(final Path path, final boolean anyOwner)
    {
        requireLibbaton(path);
        return withArena(arena ->
            new ChannelLifecycle(arena, ChannelFile.open(path, anyOwner, arena), null, false, path));
    }

    /** Makes a lifecycle in a new shared arena, which is closed again if making it fails. */
    private static ChannelLifecycle withArena(final Function<Arena, ChannelLifecycle> make)
    {
        final Arena arena = Arena.ofShared();
        try
        {
            return make.apply(arena);
        }
        catch (final RuntimeException | Error ex)
        {
            arena.close();
            throw ex;
        }
    }

    private static void requireLibbaton(final Path path)
    {
        if (!NativeLibrary.isAvailable())
        {
            throw new IllegalStateException("a channel shared with other processes (" + path + ") needs libbaton: " +
                "only its futex calls wake waiters in other processes, and it was not loaded");
        }
    }

    /**
     * Attaches to libbaton, when it is loaded, once the memory is formatted: this process's entry in
     * the attachment table, whose tag its claims carry so that survivors settle them if it dies.
     */
    public void attachNative()
    {
        nativeAttachment = NativeAttachment.attachIfAvailable(
            memory, attachedPath != null ? attachedPath : createdFile != null ? createdFile.path() : null);
        if (nativeAttachment != null)
        {
            tag = nativeAttachment.tag();
        }
    }

    /**
     * Makes this process the host of the channel file it attached to, in place of a host whose process
     * died or that detached without closing ({@code baton_adopt}): from now on it owns the channel,
     * closes it, and removes the file at close.
     *
     * @throws IllegalStateException if the host is alive, the channel is closed, or this is no
     *                               attachment to another process's file.
     */
    public void adopt()
    {
        if (attachedPath == null || nativeAttachment == null)
        {
            throw new IllegalStateException("only an attachment to a channel file can adopt it");
        }
        final int adopted = nativeAttachment.adopt();
        if (adopted != Errno.OK)
        {
            throw new IllegalStateException(NativeAttachment.named(attachedPath, NativeAttachment.errorDetail(adopted)));
        }
        synchronized (arena)
        {
            createdFile = ChannelFile.adopted(attachedPath, memory);
            owner = true;
        }
    }

    /**
     * @return the tag of this process's attachment, which names it as the publisher of the outcomes it
     * writes; 0 without libbaton.
     */
    public int tag()
    {
        return tag;
    }

    /** @return the low half of the state word of an event this process claims: POLLED and its tag. */
    public int polledState()
    {
        return SlotDescriptor.polledBy(tag);
    }

    /**
     * Settles what processes that died attached left: their sleepers, their claimed events, their
     * entries. Reads /proc for each other process attached.
     *
     * @return the attachments reaped, 0 without libbaton (then no other process can be attached),
     * or {@link Errno#ESHUTDOWN}.
     */
    public int reap()
    {
        if (isClosed())
        {
            return Errno.ESHUTDOWN;
        }
        return nativeAttachment == null ? 0 : nativeAttachment.reap();
    }

    /** Makes a newly formatted channel file visible at its path; nothing for other channels. */
    public void publish()
    {
        if (createdFile != null)
        {
            createdFile.publish();
        }
    }

    public MemorySegment memory()
    {
        return memory;
    }

    /**
     * @return whether this process closed or detached, or the channel's owner (in any process)
     * closed the channel.
     */
    public boolean isClosed()
    {
        if (closed)
        {
            return true;
        }
        try
        {
            return CloseHandshake.isMarkedClosed(memory);
        }
        catch (final IllegalStateException unmapped)
        {
            return true; // this process closed the memory after the check above
        }
    }

    /**
     * For the operations a channel closed by another party still serves (the list of its events).
     *
     * @throws IllegalStateException once this process closed or detached.
     */
    public void ensureAttached()
    {
        if (closed)
        {
            throw new IllegalStateException("channel closed");
        }
    }

    public void ensureOpen()
    {
        if (isClosed())
        {
            throw new IllegalStateException("channel closed");
        }
    }

    /**
     * @param failure what an operation racing with close threw.
     * @return {@link Errno#ESHUTDOWN} when the channel was closed under the operation, whose
     * memory access then failed.
     * @throws IllegalStateException the failure itself, when the channel is open.
     */
    public int shutdownOr(final IllegalStateException failure)
    {
        if (isClosed())
        {
            return Errno.ESHUTDOWN;
        }
        throw failure;
    }

    /** After a dispatch was published: wakes native handlers asleep on the dispatch futex. */
    public void afterDispatch()
    {
        if (nativeAttachment != null && Sleepers.handlersAsleepAfterCommit(memory))
        {
            nativeAttachment.notifyDispatched();
        }
    }

    /** After an outcome was published: wakes a native host asleep on the completion futex. */
    public void afterCompletion()
    {
        if (nativeAttachment != null && Sleepers.hostsAsleepAfterCommit(memory))
        {
            nativeAttachment.notifyCompleted();
        }
    }

    /**
     * @param ready        whether an event is ready to poll.
     * @param timeoutNanos the longest wait.
     * @param idle         the caller's own idle strategy, used without libbaton.
     * @return 1 when an event is ready, 0 after the timeout, {@link Errno#ESHUTDOWN} once closed.
     */
    public int awaitEvents(final BooleanSupplier ready, final long timeoutNanos, final IdleStrategy idle)
    {
        return await(ready, timeoutNanos, idle, true);
    }

    /** As {@link #awaitEvents}, for an outcome ready to drain. */
    public int awaitOutcomes(final BooleanSupplier ready, final long timeoutNanos, final IdleStrategy idle)
    {
        return await(ready, timeoutNanos, idle, false);
    }

    private int await(
        final BooleanSupplier ready, final long timeoutNanos, final IdleStrategy idle, final boolean dispatchSide)
    {
        if (isClosed())
        {
            return Errno.ESHUTDOWN;
        }
        if (ready.getAsBoolean())
        {
            return 1;
        }
        if (nativeAttachment == null)
        {
            return backOff(ready, timeoutNanos, idle);
        }
        return dispatchSide ? nativeAttachment.awaitEvents(timeoutNanos) : nativeAttachment.awaitOutcomes(timeoutNanos);
    }

    private int backOff(final BooleanSupplier ready, final long timeoutNanos, final IdleStrategy idle)
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        idle.reset();
        while (!isClosed() && !ready.getAsBoolean())
        {
            if (deadline - System.nanoTime() <= 0)
            {
                return 0;
            }
            idle.idle();
        }
        return isClosed() ? Errno.ESHUTDOWN : 1;
    }

    /**
     * Ends this process's use of the channel. The owner marks the channel closed and wakes every
     * sleeper in every process. A channel in this process's memory then waits for the native users
     * to detach and frees the memory; if one is still attached after 10 seconds, the memory is left
     * allocated (and a warning logged) rather than freed under it. A channel in a file is removed
     * and unmapped at once: other processes keep their own mappings until they detach, and a dead
     * one never delays the close. A process attached to another's channel only detaches and
     * unmaps. Idempotent.
     */
    public void close()
    {
        close(() -> { });
    }

    /**
     * As {@link #close()}, running {@code beforeDetach} first when this attachment leaves a channel
     * that stays open for others (it did not create it), while its memory is still mapped.
     */
    public void close(final Runnable beforeDetach)
    {
        synchronized (arena)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            if (!owner)
            {
                beforeDetach.run();
                if (nativeAttachment != null)
                {
                    nativeAttachment.detach();
                }
                arena.close();
                return;
            }
            CloseHandshake.markClosed(memory);
            if (nativeAttachment != null)
            {
                nativeAttachment.wakeAll();
            }
            if (createdFile != null)
            {
                createdFile.remove();
            }
            // A channel in a file does not wait for other processes: each keeps its own mapping of
            // the file until it detaches, and one that died never will. Native code in this
            // process attached to this mapping (a handler pool) must be stopped before closing.
            final boolean detached = createdFile != null || awaitNativeDetach(nativeAttachment != null ? 1 : 0);
            if (nativeAttachment != null)
            {
                nativeAttachment.detach();
            }
            if (detached)
            {
                arena.close();
            }
            else
            {
                System.getLogger("dev.baton.DispatchChannel").log(System.Logger.Level.WARNING,
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
