"""Baton for Python: handlers that poll events from a Baton channel (made by a host in Java, C,
Rust or Python) and complete them, waiting in libbaton with the GIL released.

    import baton
    served = baton.serve("/dev/shm/orders", lambda event: event.payload.upper(), threads=2)

libbaton is found through $BATON_LIBRARY, else the copy this package carries, else the installed
libbaton.so.7; importing this package checks its ABI version and struct sizes and raises
LibraryMismatch when they differ.
"""
from ._native import ABI_MAJOR, ABI_MINOR, LibraryMismatch
from .channel import BATCH_MAX, Channel, Completed, DispatchClaim, Event, EventState, ListedEvent, Outcome, Yielded
from .errors import (BatonError, EACCES, EALREADY, EBADMSG, EBUSY, EEXIST, EHOSTDOWN, EINVAL, EIO, EISCONN, EMSGSIZE,
                     ENOENT, ENOMEM, EPROTO, EPROTONOSUPPORT, ESHUTDOWN, EUCLEAN, EUSERS)
from .serving import HANDLER_FAILED, Yield, serve, serve_channel, serve_in_processes

__all__ = [
    "ABI_MAJOR", "ABI_MINOR", "BATCH_MAX", "LibraryMismatch", "Channel", "Completed", "DispatchClaim", "Event", "EventState",
    "ListedEvent", "Outcome",
    "Yield", "Yielded", "BatonError",
    "EACCES", "EALREADY", "EBADMSG", "EBUSY", "EEXIST", "EHOSTDOWN", "EINVAL", "EIO", "EISCONN", "EMSGSIZE", "ENOENT", "ENOMEM",
    "EPROTO",
    "EPROTONOSUPPORT", "ESHUTDOWN", "EUCLEAN", "EUSERS", "HANDLER_FAILED", "serve", "serve_channel", "serve_in_processes",
]
