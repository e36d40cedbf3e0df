"""libbaton through ctypes: the API structs and function prototypes generated from baton.h
(_declarations.py, by `make declarations`), loaded and checked. Loading checks the library's ABI
version and holds every struct to the library's size of it (baton_abi_version, baton_struct_size),
so a mismatched libbaton is refused before any call. tests/test_abi.py holds the offsets and
constants to what the C compiler makes of baton.h.

ctypes.CDLL releases the GIL for the length of each foreign call, so a thread asleep in a wait
leaves every other Python thread running.
"""
import ctypes
import ctypes.util
import os
import platform
from ctypes import c_uint32, c_void_p

from ._declarations import (ABI_MAJOR, ABI_MINOR, BATON_BLOCK_CLASSES, BATON_BLOCK_SIZE_MIN,
                            BATON_COMPLETION_BODY_LENGTH, BATON_FILE_MODE_DEFAULT, BATON_OPEN_ANY_OWNER,
                            BATON_SLOT_HEADER_LENGTH, BATON_TRACEPARENT_LENGTH, BATON_WAIT_FOREVER, PROTOTYPES, STRUCTS, Completion, Config, DispatchEntry,
                            DrainCounts, Event, ListedEvent, Metrics, Outcome, PayloadClaim, TraceContext)

WAIT_FOREVER = BATON_WAIT_FOREVER
OPEN_ANY_OWNER = BATON_OPEN_ANY_OWNER
FILE_MODE_DEFAULT = BATON_FILE_MODE_DEFAULT
SLOT_HEADER_LENGTH = BATON_SLOT_HEADER_LENGTH
COMPLETION_BODY_LENGTH = BATON_COMPLETION_BODY_LENGTH
BLOCK_CLASSES = BATON_BLOCK_CLASSES
BLOCK_SIZE_MIN = BATON_BLOCK_SIZE_MIN
TRACEPARENT_LENGTH = BATON_TRACEPARENT_LENGTH

CHANNEL = c_void_p


class LibraryMismatch(ImportError):
    """libbaton was not found, or is not the ABI this binding was written for."""


def _find():
    """$BATON_LIBRARY, else the libbaton this package carries, else the installed one."""
    explicit = os.environ.get("BATON_LIBRARY")
    if explicit:
        return explicit
    bundled = os.path.join(os.path.dirname(__file__), "native", f"linux-{platform.machine()}", f"libbaton.so.{ABI_MAJOR}")
    if os.path.exists(bundled):
        return bundled
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
                f"{path} has a {size}-byte {struct.__name__}; this binding was generated with one of {ctypes.sizeof(struct)}")


def load(path=None):
    """Loads libbaton (path, else $BATON_LIBRARY, else the one this package carries, else the installed
    libbaton.so.7), checks it and declares every prototype. Raises LibraryMismatch with the reason."""
    path = path or _find()
    try:
        library = ctypes.CDLL(path)
    except OSError as error:
        raise LibraryMismatch(
            f"libbaton not loaded from {path} ({error}): install it (make install) or set BATON_LIBRARY") from error
    _check(library, path)
    for name, (restype, argtypes) in PROTOTYPES.items():
        function = getattr(library, name)
        function.restype = restype
        function.argtypes = argtypes
    return library


lib = load()
