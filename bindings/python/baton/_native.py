"""libbaton through ctypes: the API structs of baton.h, written by hand in jextract's style, and each
function's prototype. Loading checks the library's ABI version and holds every struct to the
library's size of it (baton_abi_version, baton_struct_size), so a mismatched libbaton is refused
before any call. tests/test_abi.py holds the offsets and constants to what the C compiler makes of
baton.h.

ctypes.CDLL releases the GIL for the length of each foreign call, so a thread asleep in a wait
leaves every other Python thread running.
"""
import ctypes
import ctypes.util
import os
from ctypes import POINTER, c_char_p, c_int, c_int32, c_int64, c_uint8, c_uint32, c_uint64, c_void_p

ABI_MAJOR = 6
ABI_MINOR = 0  # the oldest minor with every function bound here

WAIT_FOREVER = -1
OPEN_ANY_OWNER = 1
FILE_MODE_DEFAULT = 0o600
SLOT_HEADER_LENGTH = 128
COMPLETION_BODY_LENGTH = 16
BLOCK_CLASSES = 16
BLOCK_SIZE_MIN = 1024


class Config(ctypes.Structure):
    _fields_ = [
        ("slab_capacity", c_uint32),
        ("slot_size", c_uint32),
        ("dispatch_ring_capacity", c_uint32),
        ("completion_ring_capacity", c_uint32),
        ("latency_ring_capacity", c_uint32),
        ("attachment_capacity", c_uint32),
        ("completion_timeout_ns", c_int64),
        ("starvation_threshold_ns", c_int64),
        ("redelivery_limit", c_uint32),
        ("yield_limit", c_uint32),
        ("block_counts", c_uint32 * BLOCK_CLASSES),
    ]


class Event(ctypes.Structure):
    _fields_ = [
        ("handle", c_uint64),
        ("kind", c_int32),
        ("payload_length", c_uint32),
        ("event_id_hi", c_uint64),
        ("event_id_lo", c_uint64),
        ("correlation_id_hi", c_uint64),
        ("correlation_id_lo", c_uint64),
        ("dispatched_at_ns", c_int64),
        ("deadline_ns", c_int64),
        ("redeliveries", c_uint32),
        ("yields", c_uint32),
        ("payload", POINTER(c_uint8)),
    ]


class Outcome(ctypes.Structure):
    _fields_ = [
        ("handle", c_uint64),
        ("status", c_int32),
        ("result_length", c_uint32),
        ("timed_out", c_int32),
        ("kind", c_int32),
        ("event_id_hi", c_uint64),
        ("event_id_lo", c_uint64),
        ("latency_ns", c_int64),
        ("result", c_void_p),
    ]


class Metrics(ctypes.Structure):
    _fields_ = [
        ("pending_count", c_uint64),
        ("waiting_count", c_uint64),
        ("in_progress_count", c_uint64),
        ("awaiting_drain_count", c_uint64),
        ("starving_count", c_uint64),
        ("oldest_pending_age_ns", c_int64),
        ("newest_pending_age_ns", c_int64),
        ("oldest_event_id_hi", c_uint64),
        ("oldest_event_id_lo", c_uint64),
    ]


class DrainCounts(ctypes.Structure):
    _fields_ = [
        ("completed_count", c_uint64),
        ("timed_out_count", c_uint64),
        ("rejected_record_count", c_uint64),
        ("unblocked_record_count", c_uint64),
    ]


class TraceContext(ctypes.Structure):
    _fields_ = [
        ("trace_id_hi", c_uint64),
        ("trace_id_lo", c_uint64),
        ("parent_span_id", c_uint64),
        ("handler_span_id", c_uint64),
        ("flags", c_uint32),
        ("reserved", c_uint32),
    ]


class PayloadClaim(ctypes.Structure):
    _fields_ = [
        ("token", c_uint64),
        ("payload", POINTER(c_uint8)),
        ("payload_length", c_uint32),
        ("reserved", c_uint32),
    ]


# baton_struct_size's ids (BATON_STRUCT_*), each with the struct written here for it.
STRUCTS = {1: Config, 2: Event, 3: Outcome, 4: Metrics, 5: DrainCounts, 6: TraceContext, 7: PayloadClaim}

CHANNEL = c_void_p
_PROTOTYPES = {
    "baton_abi_version": (c_uint32, []),
    "baton_struct_size": (c_uint32, [c_uint32]),
    "baton_strerror": (c_char_p, [c_int]),
    "baton_segment_length": (c_uint64, [POINTER(Config)]),
    "baton_create": (c_int, [c_char_p, POINTER(Config), c_uint32, POINTER(CHANNEL)]),
    "baton_open": (c_int, [c_char_p, c_uint32, POINTER(CHANNEL)]),
    "baton_detach": (c_int, [CHANNEL]),
    "baton_close": (c_int, [CHANNEL]),
    "baton_reap": (c_int, [CHANNEL]),
    "baton_dispatch_traced": (c_int64, [CHANNEL, c_uint64, c_uint64, c_uint64, c_uint64, c_int32, POINTER(TraceContext),
                                        c_void_p, c_uint32]),
    "baton_claim": (c_int, [CHANNEL, c_uint64, c_uint64, c_uint64, c_uint64, c_int32, POINTER(TraceContext),
                            c_uint32, POINTER(PayloadClaim)]),
    "baton_commit": (c_int64, [CHANNEL, POINTER(PayloadClaim)]),
    "baton_abort": (c_int, [CHANNEL, POINTER(PayloadClaim)]),
    "baton_yield": (c_int, [CHANNEL, c_uint64, c_void_p, c_uint32]),
    "baton_read_trace": (c_int, [CHANNEL, c_uint64, POINTER(TraceContext)]),
    "baton_complete_traced": (c_int, [CHANNEL, c_uint64, c_int32, c_uint64, c_void_p, c_uint32]),
    "baton_poll": (c_int, [CHANNEL, POINTER(Event), c_int64]),
    "baton_read_payload": (c_int, [CHANNEL, POINTER(Event), c_void_p, c_uint32]),
    "baton_cancel": (c_int, [CHANNEL, c_uint64]),
    "baton_drain": (c_int, [CHANNEL, POINTER(Outcome), POINTER(TraceContext), c_uint32, c_void_p, c_uint32]),
    "baton_await_outcomes": (c_int, [CHANNEL, c_int64]),
    "baton_reclaim_expired": (c_int, [CHANNEL]),
    "baton_read_metrics": (c_int, [CHANNEL, POINTER(Metrics)]),
    "baton_read_drain_counts": (c_int, [CHANNEL, POINTER(DrainCounts)]),
}


class LibraryMismatch(ImportError):
    """libbaton was not found, or is not the ABI this binding was written for."""


def _find():
    explicit = os.environ.get("BATON_LIBRARY")
    if explicit:
        return explicit
    return ctypes.util.find_library("baton") or f"libbaton.so.{ABI_MAJOR}"


def _check(library, path):
    if not hasattr(library, "baton_abi_version"):
        raise LibraryMismatch(f"{path} is older than ABI {ABI_MAJOR}.{ABI_MINOR}: it has no baton_abi_version")
    library.baton_abi_version.restype = c_uint32
    version = library.baton_abi_version()
    major, minor = version >> 16, version & 0xFFFF
    if major != ABI_MAJOR or minor < ABI_MINOR:
        raise LibraryMismatch(f"{path} has ABI {major}.{minor}; this binding needs {ABI_MAJOR}.x with x >= {ABI_MINOR}")
    library.baton_struct_size.restype = c_uint32
    library.baton_struct_size.argtypes = [c_uint32]
    for struct_id, struct in STRUCTS.items():
        size = library.baton_struct_size(struct_id)
        if size != ctypes.sizeof(struct):
            raise LibraryMismatch(
                f"{path} has a {size}-byte {struct.__name__}; this binding wrote one of {ctypes.sizeof(struct)}")


def load(path=None):
    """Loads libbaton (path, else $BATON_LIBRARY, else the installed libbaton.so.6), checks it and
    declares every prototype. Raises LibraryMismatch with the reason."""
    path = path or _find()
    try:
        library = ctypes.CDLL(path)
    except OSError as error:
        raise LibraryMismatch(
            f"libbaton not loaded from {path} ({error}): install it (make install) or set BATON_LIBRARY") from error
    _check(library, path)
    for name, (restype, argtypes) in _PROTOTYPES.items():
        function = getattr(library, name)
        function.restype = restype
        function.argtypes = argtypes
    return library


lib = load()
