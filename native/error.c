/*
 * Result codes as sentences, and the calling thread's detail of its last refused opening call: the
 * object and the fault, in words every binding passes on unchanged. The Java twin of the codes is
 * java/.../Errno.java; of the details, the Java classes that find the same faults (ChannelFile,
 * ChannelMemory, ChannelGeometry), whose texts the tests hold equal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "baton_internal.h"

/* Thread-local: a detail describes a call this thread made, whatever others do meanwhile. */
static _Thread_local char detail[BATON_ERROR_DETAIL_CAPACITY];
static _Thread_local int detail_code;

/* At the start of every opening call: a detail never outlives the next one. */
void baton__detail_clear(void)
{
    detail[0] = '\0';
    detail_code = BATON_OK;
}

int baton__refuse(int code, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(detail, sizeof detail, format, arguments);
    va_end(arguments);
    detail_code = code;
    return code;
}

/* Puts "object: " before the detail a deeper step left, when it left one; a detail that grows past
 * the capacity loses its end. */
void baton__detail_name(const char *object)
{
    if (detail[0] == '\0' || object == NULL) {
        return;
    }
    size_t object_length = strnlen(object, sizeof detail - 3);
    size_t fault_length = strlen(detail);
    if (object_length + 2 + fault_length >= sizeof detail) {
        fault_length = sizeof detail - 3 - object_length;
    }
    memmove(detail + object_length + 2, detail, fault_length);
    memcpy(detail, object, object_length);
    memcpy(detail + object_length, ": ", 2);
    detail[object_length + 2 + fault_length] = '\0';
}

const char *baton_error_detail(int code)
{
    return code < 0 && code == detail_code && detail[0] != '\0' ? detail : baton_strerror(code);
}

const char *baton_strerror(int code)
{
    if (code >= 0) {
        return "success";
    }
    switch (code) {
    case BATON_ENOENT: return "unknown handle, or no such channel file";
    case BATON_EINTR: return "the wait was interrupted by a signal";
    case BATON_EIO: return "the channel's file could not be created, sized or mapped";
    case BATON_EACCES: return "the channel's file belongs to another user or may not be opened";
    case BATON_EAGAIN: return "slab full: the maximum number of events is in flight";
    case BATON_ENOMEM: return "out of memory";
    case BATON_EFAULT: return "null pointer";
    case BATON_EBUSY: return "a drain of this attachment is already running, or calls are nested too deep";
    case BATON_EEXIST: return "a file already exists where the channel was to be created";
    case BATON_EINVAL: return "invalid argument";
    case BATON_ELOOP: return "the event was yielded more often than the channel's yield limit";
    case BATON_ENOSPC: return "dispatch ring full";
    case BATON_EPROTO: return "the event is not in a state that allows this operation";
    case BATON_ENODATA: return "the event ended, but its outcome record was lost: its status and result are unknown";
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
    case BATON_EUCLEAN:
        return "the channel's memory is corrupted where it cannot be repaired: a free list's head or the completion ring's positions";
    default: return "unknown error";
    }
}
