package dev.baton.internal.layout;

/**
 * The error numbers of {@code baton.h}'s {@code BATON_E*}: negative Linux errno values, shared by
 * every layer and by native code. {@code dev.baton.ErrorCode} documents each for users.
 */
public final class Errno
{
    public static final int OK = 0;
    public static final int ENOENT = -2;
    public static final int EINTR = -4;
    public static final int EIO = -5;
    public static final int EAGAIN = -11;
    public static final int ENOMEM = -12;
    public static final int EACCES = -13;
    public static final int EFAULT = -14;
    public static final int EBUSY = -16;
    public static final int EEXIST = -17;
    public static final int EINVAL = -22;
    public static final int ELOOP = -40;
    public static final int ENOSPC = -28;
    public static final int EPROTO = -71;
    public static final int ENODATA = -61;
    public static final int EUCLEAN = -117;
    public static final int EBADMSG = -74;
    public static final int EUSERS = -87;
    public static final int EMSGSIZE = -90;
    public static final int EPROTONOSUPPORT = -93;
    public static final int ENOBUFS = -105;
    public static final int EISCONN = -106;
    public static final int ESHUTDOWN = -108;
    public static final int ETIMEDOUT = -110;
    public static final int EHOSTDOWN = -112;
    public static final int EALREADY = -114;
    public static final int ESTALE = -116;

    private Errno()
    {
    }

    /**
     * @param code a result of a Baton operation.
     * @return a sentence naming it, as C's {@code baton_strerror} does.
     */
    public static String describe(final long code)
    {
        if (code >= 0)
        {
            return "success";
        }
        return switch ((int)code)
        {
            case ENOENT -> "unknown handle, or no such channel file";
            case EINTR -> "the wait was interrupted by a signal";
            case EIO -> "the channel's file could not be created, sized or mapped";
            case EACCES -> "the channel's file belongs to another user or may not be opened";
            case EAGAIN -> "slab full: the maximum number of events is in flight";
            case ENOMEM -> "out of memory";
            case EFAULT -> "null pointer";
            case EBUSY -> "a drain of this attachment is already running, or calls are nested too deep";
            case EEXIST -> "a file already exists where the channel was to be created";
            case EINVAL -> "invalid argument";
            case ELOOP -> "the event was yielded more often than the channel's yield limit";
            case ENOSPC -> "dispatch ring full";
            case EPROTO -> "the event is not in a state that allows this operation";
            case EUCLEAN ->
                "the channel's memory is corrupted where it cannot be repaired: a free list's head or the completion ring's positions";
            case ENODATA -> "the event ended, but its outcome record was lost: its status and result are unknown";
            case EBADMSG -> "not a Baton channel: wrong magic";
            case EUSERS -> "the attachment table is full: every entry names a live process";
            case EMSGSIZE -> "payload or result too long for this channel";
            case EPROTONOSUPPORT -> "unsupported ABI major version";
            case ENOBUFS -> "completion ring full";
            case EISCONN -> "the channel's host is alive: it cannot be adopted";
            case ESHUTDOWN -> "channel closed";
            case ETIMEDOUT -> "the event timed out";
            case EHOSTDOWN -> "the channel's host is gone: its process died, or it detached without closing";
            case EALREADY -> "the event was already completed";
            case ESTALE -> "stale handle: the slot was reused";
            default -> "unknown error " + code;
        };
    }
}
