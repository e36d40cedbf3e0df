package dev.baton;

import dev.baton.internal.layout.Errno;

/**
 * Results of Baton operations: {@code 0} or a positive value on success, a negative errno on
 * failure. The numbers are {@code baton.h}'s {@code BATON_E*}, shared with C handlers.
 * Races that a correct program meets (backpressure, a completion that lost to a timeout) are
 * returned as codes; misuse (null or oversize arguments, use after close) throws.
 */
public final class ErrorCode
{
    /** Success. */
    public static final int OK = Errno.OK;
    /** Unknown handle: its index is outside the slab, or its generation is 0. */
    public static final int ENOENT = Errno.ENOENT;
    /** A wait was interrupted by a signal (native waits): the caller's runtime may have work to do. */
    public static final int EINTR = Errno.EINTR;
    /** The channel's file could not be created, sized or mapped. */
    public static final int EIO = Errno.EIO;
    /** Backpressure: the slab is full, the maximum number of events is in flight. */
    public static final int EAGAIN = Errno.EAGAIN;
    /** This process could not allocate the few bytes an attachment or a calling thread needs (native calls). */
    public static final int ENOMEM = Errno.ENOMEM;
    /** The channel's file belongs to another user, or may not be opened. */
    public static final int EACCES = Errno.EACCES;
    /** A NULL pointer where memory was required (C API). */
    public static final int EFAULT = Errno.EFAULT;
    /**
     * A drain is already running on this channel: one called from inside a drain's handler; or, in a
     * native call, calls nested 8 deep through callbacks.
     */
    public static final int EBUSY = Errno.EBUSY;
    /** A file already exists where a channel was to be created. */
    public static final int EEXIST = Errno.EEXIST;
    /** An argument outside its documented range. */
    public static final int EINVAL = Errno.EINVAL;
    /**
     * The event was yielded as often as the channel's yield limit allows: the next yield
     * completed it with this status instead.
     */
    public static final int ELOOP = Errno.ELOOP;
    /** Backpressure: the dispatch ring is full. */
    public static final int ENOSPC = Errno.ENOSPC;
    /** The event is not in a state that allows the operation (completing before claiming). */
    public static final int EPROTO = Errno.EPROTO;
    /**
     * An outcome's status, never a call's result: the event ended, but the record that reported it was
     * lost (another process wrote over it), and with it the handler's status and result; libbaton's
     * reaper settled the event with this status so that it is still reported once.
     */
    public static final int ENODATA = Errno.ENODATA;
    /**
     * The channel's memory is corrupted where it cannot be repaired (another process wrote over it):
     * the completion ring's positions. Its events stay pending; {@code metrics()} counts them.
     */
    public static final int EUCLEAN = Errno.EUCLEAN;
    /** Wrong magic: the memory is not a Baton channel. */
    public static final int EBADMSG = Errno.EBADMSG;
    /** Every entry of the channel's attachment table names a live process: no room to attach. */
    public static final int EUSERS = Errno.EUSERS;
    /** A payload or result longer than the channel allows. */
    public static final int EMSGSIZE = Errno.EMSGSIZE;
    /** The channel's ABI major version differs from this library's. */
    public static final int EPROTONOSUPPORT = Errno.EPROTONOSUPPORT;
    /** Backpressure: the completion ring is full. */
    public static final int ENOBUFS = Errno.ENOBUFS;
    /** The channel's host is alive, so it cannot be adopted. */
    public static final int EISCONN = Errno.EISCONN;
    /** The channel is closed. */
    public static final int ESHUTDOWN = Errno.ESHUTDOWN;
    /** The event timed out; its completion is no longer accepted. */
    public static final int ETIMEDOUT = Errno.ETIMEDOUT;
    /**
     * The channel's host is gone: its process died, or it detached without closing. A handler's wait
     * returns it; a new host may {@link DispatchChannel#adopt adopt} the channel.
     */
    public static final int EHOSTDOWN = Errno.EHOSTDOWN;
    /** The event was already completed. */
    public static final int EALREADY = Errno.EALREADY;
    /** Stale handle: the slot has moved on to a later generation. */
    public static final int ESTALE = Errno.ESTALE;

    private ErrorCode()
    {
    }

    /**
     * @param code a result of a Baton operation: an {@code int} code, or what
     *             {@link Dispatcher#dispatch} returns.
     * @return a sentence naming it, as C's {@code baton_strerror} does.
     */
    public static String describe(final long code)
    {
        return Errno.describe(code);
    }

    /**
     * @param code a result.
     * @return whether it is backpressure, worth retrying after backing off.
     */
    public static boolean isBackpressure(final long code)
    {
        return code == EAGAIN || code == ENOSPC || code == ENOBUFS;
    }
}
