"""Exceptions for misuse, one per BATON_E* code a caller can cause. The ordinary races of serving
(an event that timed out or was cancelled while its handler worked, a full ring) are results, never
exceptions: see Channel.complete and Channel.dispatch."""
from ._native import lib


class BatonError(Exception):
    """A call libbaton refused. code is the BATON_E* value (negative), name its macro's name."""

    code = 0
    name = "BATON_E?"

    def __init__(self, message=None, code=None):
        if code is not None:
            self.code = code
        super().__init__(f"{self.name}: {message or lib.baton_strerror(self.code).decode()}")


def _code(name, code, doc):
    return type(name, (BatonError,), {"code": code, "name": "BATON_" + name, "__doc__": doc})


ENOENT = _code("ENOENT", -2, "Unknown handle (index out of range or generation 0), or no such channel file.")
EIO = _code("EIO", -5, "The channel's file could not be created, sized or mapped.")
ENOMEM = _code("ENOMEM", -12, "This process could not allocate the few bytes an attachment or a calling thread needs.")
EACCES = _code("EACCES", -13, "The channel's file belongs to another user, or may not be opened.")
EBUSY = _code("EBUSY", -16, "A drain of this attachment is already running, or calls are nested 8 deep through callbacks.")
EEXIST = _code("EEXIST", -17, "A file already exists where the channel was to be created.")
EINVAL = _code("EINVAL", -22, "An argument out of its documented range.")
EPROTO = _code("EPROTO", -71, "The event is not in a state that allows this operation (not polled).")
EBADMSG = _code("EBADMSG", -74, "Not a Baton channel: wrong magic.")
EUSERS = _code("EUSERS", -87, "The attachment table is full: every entry names a live process.")
EMSGSIZE = _code("EMSGSIZE", -90, "Payload or result longer than the channel allows.")
EPROTONOSUPPORT = _code("EPROTONOSUPPORT", -93, "The channel's ABI major version differs from libbaton's.")
EISCONN = _code("EISCONN", -106, "The channel's host is alive: it cannot be adopted.")
ESHUTDOWN = _code("ESHUTDOWN", -108, "The channel is closed, or this attachment was detached.")
EHOSTDOWN = _code("EHOSTDOWN", -112, "The channel's host is gone: its process died, or it detached without closing.")
EALREADY = _code("EALREADY", -114, "The event was already completed: a second completion.")
EUCLEAN = _code("EUCLEAN", -117, "The channel's memory is corrupted where it cannot be repaired: a free list's head or the completion ring's positions.")

_BY_CODE = {error.code: error for error in
            (ENOENT, EIO, ENOMEM, EACCES, EBUSY, EEXIST, EINVAL, EPROTO, EBADMSG, EUSERS, EMSGSIZE, EPROTONOSUPPORT,
             EISCONN, ESHUTDOWN, EHOSTDOWN, EALREADY, EUCLEAN)}


def check(code):
    """code if it is >= 0; otherwise raises the exception named after it."""
    if code >= 0:
        return code
    raise error_of(code)


def check_opening(code):
    """check, for an opening call (create, open, adopt) just made on this thread: the exception carries
    libbaton's detail of the fault (baton_error_detail), the sentence every language shows, such as
    "/dev/shm/x: 100 bytes, shorter than a channel header (512 bytes)"."""
    if code >= 0:
        return code
    raise error_of(code, lib.baton_error_detail(code).decode())


def error_of(code, message=None):
    """The exception named after a negative code, made but not raised."""
    error = _BY_CODE.get(code)
    return error(message) if error else BatonError(message, code=code)
