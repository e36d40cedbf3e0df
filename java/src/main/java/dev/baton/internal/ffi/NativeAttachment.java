package dev.baton.internal.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.baton.internal.layout.Errno;

/**
 * This process's attachment to a channel through libbaton: its entry in the channel's attachment
 * table ({@code native/attachment_table.c}), the reaper of dead processes' entries, and the Java
 * end of {@code native/wait.c}: handlers sleep in {@code baton_poll} or
 * {@code baton_await_events} and a host may sleep in {@code baton_await_outcomes}, on futex
 * words in the channel header. A Java
 * dispatch or completion wakes them through libbaton, and only when one sleeps: after publishing,
 * a full fence, then one read of the waiters count; the downcall happens only when it is non-zero.
 * The fence pairs with the waiter's seq_cst increment of that count before its last look at the
 * ring, so either the producer sees the waiter or the waiter sees the item.
 *
 * <p>It is counted in the header's {@code attached_count}, and exists only where libbaton could be
 * loaded: judging whether another process lives takes /proc, which only libbaton reads.
 */
public final class NativeAttachment
{

    /** The most bytes of a detail of libbaton's, its NUL included (BATON_ERROR_DETAIL_CAPACITY). */
    private static final long DETAIL_CAPACITY = 1024;

    /** The longest one native sleep lasts; a longer wait is several. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final MemorySegment memory;
    private final MemorySegment attachment;
    /** Java calls into libbaton in progress on this attachment (C: the attachment's own count). */
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean detaching;

    private NativeAttachment(final MemorySegment memory, final MemorySegment attachment)
    {
        this.memory = memory;
        this.attachment = attachment;
    }

    /**
     * @param memory a formatted, open channel.
     * @param object what the memory is, for a message: the channel's path, or null.
     * @return the Java host's attachment, or null when libbaton is not available.
     * @throws IllegalStateException if libbaton refuses the memory, with its detail of the fault.
     */
    public static NativeAttachment attachIfAvailable(final MemorySegment memory, final Object object)
    {
        if (!NativeLibrary.isAvailable())
        {
            return null;
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            final int result = baton_h.baton_attach(memory, memory.byteSize(), out);
            if (result != Errno.OK)
            {
                throw new IllegalStateException(named(object, errorDetail(result)));
            }
            return new NativeAttachment(memory, out.get(ValueLayout.ADDRESS, 0));
        }
    }

    /**
     * @param code a code the calling thread's last opening call into libbaton returned.
     * @return libbaton's sentence naming the object and the fault ({@code baton_error_detail}):
     * the same words its C callers and every binding see.
     */
    @SuppressWarnings("restricted") // the detail is NUL-terminated within its 1,024 bytes (error.c)
    public static String errorDetail(final int code)
    {
        return baton_h.baton_error_detail(code).reinterpret(DETAIL_CAPACITY).getString(0);
    }

    /** @return "object: fault", or the fault alone for no object: libbaton's way of naming both. */
    public static String named(final Object object, final String fault)
    {
        return object == null ? fault : object + ": " + fault;
    }

    /** @return the tag this attachment's claims carry in a slot's state word (positive). */
    public int tag()
    {
        final int tag = enter() ? leave(baton_h.baton_attachment_tag(attachment)) : Errno.ESHUTDOWN;
        if (tag <= 0)
        {
            throw new IllegalStateException("libbaton gave no attachment tag: " + Errno.describe(tag));
        }
        return tag;
    }

    /**
     * Settles what attachments of dead processes left ({@code baton_reap}).
     *
     * @return the attachments reaped, or {@link Errno#ESHUTDOWN}.
     */
    public int reap()
    {
        return enter() ? leave(baton_h.baton_reap(attachment)) : Errno.ESHUTDOWN;
    }

    /**
     * Makes this attachment the channel's host when the host named is gone or dead
     * ({@code baton_adopt}).
     *
     * @return {@link Errno#OK}, {@link Errno#EISCONN} (the host is alive: {@link #errorDetail} says
     * which process, when asked next on this thread) or {@link Errno#ESHUTDOWN}.
     */
    public int adopt()
    {
        return enter() ? leave(baton_h.baton_adopt(attachment)) : Errno.ESHUTDOWN;
    }

    /** Wakes the handlers asleep on the dispatch futex. */
    public void notifyDispatched()
    {
        if (enter())
        {
            leave(baton_h.baton_notify_dispatched(attachment));
        }
    }

    /** Wakes a host asleep in baton_await_outcomes. */
    public void notifyCompleted()
    {
        if (enter())
        {
            leave(baton_h.baton_notify_completed(attachment));
        }
    }

    /**
     * Sleeps until an outcome is ready to drain.
     *
     * @param timeoutNanos the longest sleep.
     * @return 1 when one is ready, 0 after the timeout, or {@link Errno#ESHUTDOWN}.
     */
    public int awaitOutcomes(final long timeoutNanos)
    {
        return await(false, timeoutNanos);
    }

    /**
     * Sleeps until an event is ready to claim, without claiming it.
     *
     * @param timeoutNanos the longest sleep.
     * @return 1 when one is ready, 0 after the timeout, or {@link Errno#ESHUTDOWN}.
     */
    public int awaitEvents(final long timeoutNanos)
    {
        return await(true, timeoutNanos);
    }

    /**
     * Sleeps in slices of at most {@link #SLICE_NANOS}, each a counted call, so that a detach waits
     * for a sleeper no longer than one slice; a slice that ends with nothing ready costs one futex
     * wake-up.
     */
    private int await(final boolean dispatchSide, final long timeoutNanos)
    {
        final boolean forever = timeoutNanos < 0; // as in C: BATON_WAIT_FOREVER
        final long deadline = System.nanoTime() + timeoutNanos;
        long remaining = timeoutNanos;
        while (true)
        {
            if (!enter())
            {
                return Errno.ESHUTDOWN;
            }
            final long slice = forever ? SLICE_NANOS : Math.min(remaining, SLICE_NANOS); // 0: look once
            final int result = leave(dispatchSide ? baton_h.baton_await_events(attachment, slice) :
                baton_h.baton_await_outcomes(attachment, slice));
            remaining = deadline - System.nanoTime();
            if (result != 0 || (!forever && remaining <= 0))
            {
                return result;
            }
        }
    }

    /** Wakes every sleeper, so that each sees the channel closed. */
    public void wakeAll()
    {
        if (enter())
        {
            baton_h.baton_notify_dispatched(attachment);
            leave(baton_h.baton_notify_completed(attachment));
        }
    }

    /**
     * Ends this process's attachment. Later calls return {@link Errno#ESHUTDOWN} without reaching
     * libbaton; calls in progress (a sleeper within one slice) are waited for, so that libbaton
     * frees the attachment under none of them.
     */
    public void detach()
    {
        // volatile (seq_cst), paired with enter()'s increment then read (a Dekker pattern): a call
        // either sees the detach and stays out, or is counted and waited for below.
        detaching = true;
        while (calls.get() != 0)
        {
            Thread.onSpinWait();
        }
        baton_h.baton_detach(attachment);
    }

    /** Counts a call in: false once detaching, when it must not reach libbaton. */
    private boolean enter()
    {
        calls.incrementAndGet();
        if (detaching)
        {
            calls.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Counts a call out, passing its result through. */
    private int leave(final int result)
    {
        calls.decrementAndGet();
        return result;
    }
}
