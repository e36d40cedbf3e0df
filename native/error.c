/* Result codes as sentences. The Java twin is java/.../ErrorCode.java. */
#include "baton_internal.h"

const char *baton_strerror(int code)
{
    if (code >= 0) {
        return "success";
    }
    switch (code) {
    case BATON_ENOENT: return "unknown handle";
    case BATON_EINTR: return "the wait was interrupted by a signal";
    case BATON_EIO: return "the channel's file could not be created, sized or mapped";
    case BATON_EACCES: return "the channel's file belongs to another user or may not be opened";
    case BATON_EAGAIN: return "slab full: the maximum number of events is in flight";
    case BATON_EFAULT: return "null pointer";
    case BATON_EBUSY: return "a drain of this attachment is already running";
    case BATON_EEXIST: return "a file already exists where the channel was to be created";
    case BATON_EINVAL: return "invalid argument";
    case BATON_ELOOP: return "the event was yielded more often than the channel's yield limit";
    case BATON_ENOSPC: return "dispatch ring full";
    case BATON_EPROTO: return "the event is not in a state that allows this operation";
    case BATON_EBADMSG: return "not a Baton channel: wrong magic";
    case BATON_EUSERS: return "the attachment table is full: every entry names a live process";
    case BATON_EMSGSIZE: return "payload or result too long for this channel";
    case BATON_EPROTONOSUPPORT: return "unsupported ABI major version";
    case BATON_EISCONN: return "the channel's host is alive: it cannot be adopted";
    case BATON_ENOBUFS: return "completion ring full";
    case BATON_ESHUTDOWN: return "channel closed";
    case BATON_ETIMEDOUT: return "the event timed out";
    case BATON_EHOSTDOWN: return "the channel's host is gone: its process died, or it detached without closing";
    case BATON_EALREADY: return "the event was already completed";
    case BATON_ESTALE: return "stale handle: the slot was reused";
    default: return "unknown error";
    }
}
