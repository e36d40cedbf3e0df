package dev.baton;

import dev.baton.ffi.baton_h;

/**
 * Results of Baton operations: {@code 0} or a positive value on success, a negative errno on
 * failure. The numbers are {@code baton.h}'s {@code BATON_E*}, shared with C handlers.
 * Races that a correct program meets (backpressure, a completion that lost to a timeout) are
 * returned as codes; misuse (null or oversize arguments, use after close) throws.
 */
public final class ErrorCode
{
    /** Success. */
    public static final int OK = baton_h.BATON_OK;
    /** Unknown handle: its index is outside the slab, or its generation is 0. */
    public static final int ENOENT = baton_h.BATON_ENOENT;
    /** Backpressure: the slab is full, the maximum number of events is in flight. */
    public static final int EAGAIN = baton_h.BATON_EAGAIN;
    /** A NULL pointer where memory was required (C API). */
    public static final int EFAULT = baton_h.BATON_EFAULT;
    /** An argument outside its documented range. */
    public static final int EINVAL = baton_h.BATON_EINVAL;
    /** Backpressure: the dispatch ring is full. */
    public static final int ENOSPC = baton_h.BATON_ENOSPC;
    /** The event is not in a state that allows the operation (completing before claiming). */
    public static final int EPROTO = baton_h.BATON_EPROTO;
    /** Wrong magic: the memory is not a Baton channel. */
    public static final int EBADMSG = baton_h.BATON_EBADMSG;
    /** A payload or result longer than the channel allows. */
    public static final int EMSGSIZE = baton_h.BATON_EMSGSIZE;
    /** The channel's ABI major version differs from this library's. */
    public static final int EPROTONOSUPPORT = baton_h.BATON_EPROTONOSUPPORT;
    /** Backpressure: the completion ring is full. */
    public static final int ENOBUFS = baton_h.BATON_ENOBUFS;
    /** The channel is closed. */
    public static final int ESHUTDOWN = baton_h.BATON_ESHUTDOWN;
    /** The event timed out; its completion is no longer accepted. */
    public static final int ETIMEDOUT = baton_h.BATON_ETIMEDOUT;
    /** The event was already completed. */
    public static final int EALREADY = baton_h.BATON_EALREADY;
    /** Stale handle: the slot has moved on to a later generation. */
    public static final int ESTALE = baton_h.BATON_ESTALE;

    private ErrorCode()
    {
    }

    /**
     * @param code a result of a Baton operation.
     * @return a sentence naming it, like C's {@code baton_strerror}.
     */
    public static String describe(final int code)
    {
        if (code >= 0)
        {
            return "success";
        }
        return switch (code)
        {
            case ENOENT -> "unknown handle";
            case EAGAIN -> "slab full: the maximum number of events is in flight";
            case EFAULT -> "null pointer";
            case EINVAL -> "invalid argument";
            case ENOSPC -> "dispatch ring full";
            case EPROTO -> "the event is not in a state that allows this operation";
            case EBADMSG -> "not a Baton channel: wrong magic";
            case EMSGSIZE -> "payload or result too long for this channel";
            case EPROTONOSUPPORT -> "unsupported ABI major version";
            case ENOBUFS -> "completion ring full";
            case ESHUTDOWN -> "channel closed";
            case ETIMEDOUT -> "the event timed out";
            case EALREADY -> "the event was already completed";
            case ESTALE -> "stale handle: the slot was reused";
            default -> "unknown error " + code;
        };
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
