"""A Baton channel in a file, from Python: attach by path to a host's channel (Channel.open), claim
events and complete them; or create one and be its host (Channel.create, dispatch, drain).

Waits sleep in libbaton with the GIL released, in slices of at most WAIT_SLICE_NS, so that Ctrl-C
and a detach from another thread take effect within one slice.
"""
import ctypes
import enum
import os
import struct
import threading
import time
import uuid
from itertools import repeat
from operator import itemgetter

from . import errors
from ._calls import Calls
from ._native import (BLOCK_CLASSES, BLOCK_SIZE_MIN, CHANNEL, FILE_MODE_DEFAULT, OPEN_ANY_OWNER, TRACEPARENT_LENGTH,
                      Completion, Config, DispatchEntry, DrainCounts, Metrics, PayloadClaim, lib)
from ._native import ListedEvent as _ListedEvent
from ._native import Event as _Event
from ._native import TraceContext
from ._native import Outcome as _Outcome

_EINTR, _EAGAIN, _ENOSPC, _ELOOP, _ENOBUFS, _ETIMEDOUT, _ESTALE = -4, -11, -28, -40, -105, -110, -116
_UINT64_MAX = (1 << 64) - 1
BATCH_MAX = 1024  # the most events one poll_batch takes


def _layout(structure):
    """A struct.Struct that reads or writes a struct of the generated declarations in one call, field by
    field in their order: far cheaper than ctypes' attribute access, one field at a time."""
    codes = {ctypes.c_uint64: "Q", ctypes.c_int64: "q", ctypes.c_uint32: "I", ctypes.c_int32: "i", ctypes.c_void_p: "P"}
    layout = struct.Struct("@" + "".join(codes[kind] for _, kind in structure._fields_))
    if layout.size != ctypes.sizeof(structure):
        raise ImportError(f"{structure.__name__} is {ctypes.sizeof(structure)} bytes; its fields read {layout.size}")
    return layout


_EVENT_LAYOUT = _layout(_Event)
_OUTCOME_LAYOUT = _layout(_Outcome)
_TRACE_LAYOUT = _layout(TraceContext)
_COMPLETION_LAYOUT = _layout(Completion)
_DISPATCH_ENTRY_LAYOUT = _layout(DispatchEntry)
_LISTED_EVENT_LAYOUT = _layout(_ListedEvent)
_HANDLE = struct.Struct("@Q")  # an outcome's first field
_RANDOM_HALVES = struct.Struct(">QQ")  # 16 random bytes as a UUID's two halves, before its version and variant bits


class Completed(enum.IntEnum):
    """What became of a completion: the ordinary outcomes of a race with the event's end."""
    ACCEPTED = 0
    TIMED_OUT = _ETIMEDOUT  # the event's deadline passed first: the host saw a timeout
    STALE = _ESTALE         # the event ended meanwhile (cancelled, or timed out and its slot reused)


class Yielded(enum.IntEnum):
    """What became of a yield (Channel.yield_event)."""
    REQUEUED = 0            # dispatched again with the continuation; this handler holds it no longer
    ENDED = _ELOOP          # it had yielded yield_limit times: completed with status BATON_ELOOP instead
    TIMED_OUT = _ETIMEDOUT  # the event's deadline passed first
    STALE = _ESTALE         # the event ended meanwhile


class _Record(tuple):
    """A read-only record, as os.stat_result is, read through its named fields. It is the tuple of
    the baton.h struct's fields as libbaton filled them, then what the binding added, made in one
    step: a frozen dataclass would set each field through object.__setattr__, several times the cost
    of the rest of an event. Its ids stay two 64-bit words until read, when they are made into
    uuid.UUIDs. Its items are not its interface: they follow baton.h."""
    __slots__ = ()
    _FIELDS = ()

    def __repr__(self):
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._FIELDS)
        return f"{type(self).__name__}({fields})"


def _field(index, doc):
    return property(itemgetter(index), doc=doc)


def _uuid_field(index, doc):
    return property(lambda record: _uuid(record[index], record[index + 1]), doc=doc)


class Event(_Record):
    """A polled event, its payload copied out (a checked copy: never torn, never another event's)."""
    __slots__ = ()
    _FIELDS = ("handle", "kind", "event_id", "correlation_id", "payload", "dispatched_at_ns", "deadline_ns",
               "redeliveries", "traceparent", "yields")
    # baton_event's fields: handle, kind, payload_length, event_id_hi, event_id_lo, correlation_id_hi,
    # correlation_id_lo, dispatched_at_ns, deadline_ns, redeliveries, yields, payload; then these two.
    handle = _field(0, "The handle that names the event to complete, yield_event and cancel (an int).")
    kind = _field(1, "The kind the host dispatched it with (an int).")
    event_id = _uuid_field(3, "The event's id (a uuid.UUID).")
    correlation_id = _uuid_field(5, "The id it correlates with (a uuid.UUID; the nil UUID for none).")
    dispatched_at_ns = _field(7, "When it was dispatched, on the monotonic clock, in nanoseconds.")
    deadline_ns = _field(8, "When it times out, on the same clock.")
    redeliveries = _field(9, "0 on the first delivery; then how often it was dispatched again after its handler died.")
    yields = _field(10, "0 on the first delivery; then how often a handler yielded it (yield_event).")
    payload = _field(12, "Its payload (bytes).")
    traceparent = _field(13, "The W3C trace context it was dispatched with, or None.")


class Outcome(_Record):
    """An event's end as the host drains it: completed by a handler, or timed out."""
    __slots__ = ()
    _FIELDS = ("handle", "status", "result", "timed_out", "kind", "event_id", "latency_ns", "traceparent",
               "handler_span_id")
    # baton_outcome's fields: handle, status, result_length, timed_out, kind, event_id_hi, event_id_lo,
    # latency_ns, result; then these three.
    handle = _field(0, "The handle dispatch returned for the event (an int).")
    status = _field(1, "The handler's status, or BATON_ETIMEDOUT's for a timeout (an int).")
    timed_out = property(lambda record: record[3] == 1, doc="True when the event timed out instead.")
    kind = _field(4, "The kind it was dispatched with.")
    event_id = _uuid_field(5, "The event's id (a uuid.UUID).")
    latency_ns = _field(7, "From its dispatch to the drain that delivered it, in nanoseconds.")
    result = _field(9, "The handler's result (bytes).")
    traceparent = _field(10, "The W3C trace context it was dispatched with, or None.")
    handler_span_id = _field(11, "The span its handler named in complete(span_id=...), or 0.")


class EventState(enum.IntEnum):
    """Where a listed event is (Channel.list_events): baton.h's slot states that hold an event."""
    DISPATCHED = 1  # waiting for a handler to poll it
    POLLED = 2      # polled by a handler, not completed yet
    COMPLETED = 3   # completed, its outcome not yet drained by the host
    TIMED_OUT = 4   # timed out, its outcome not yet drained by the host
    YIELDING = 5    # handed back by its handler, about to be dispatched again


class ListedEvent(_Record):
    """An event the slab holds, as Channel.list_events reports it: read under its slot's state word,
    so its fields are the event's in that state."""
    __slots__ = ()
    _FIELDS = ("handle", "event_id", "correlation_id", "dispatched_at_ns", "kind", "state", "redeliveries", "yields")
    # baton_listed_event's fields: handle, event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo,
    # dispatched_at_ns, kind, state, redeliveries, yields.
    handle = _field(0, "The event's handle (an int).")
    event_id = _uuid_field(1, "The event's id (a uuid.UUID).")
    correlation_id = _uuid_field(3, "The id it correlates with (a uuid.UUID).")
    dispatched_at_ns = _field(5, "When it was dispatched, on the monotonic clock, in nanoseconds.")
    kind = _field(6, "The kind it was dispatched with (an int).")
    state = property(lambda record: EventState(record[7]), doc="Where it is (an EventState).")
    redeliveries = _field(8, "How often it was dispatched again after its handler died.")
    yields = _field(9, "How often a handler yielded it.")


_NEW_TUPLE = tuple.__new__
_RESULT = itemgetter(2)  # a completion's result


def _completion_result(code):
    """A completion's or cancellation's code as Completed (the ordinary races are results), or the
    exception a refusal names, made but not raised."""
    if code >= 0:
        return Completed.ACCEPTED
    return Completed(code) if code in (_ETIMEDOUT, _ESTALE) else errors.error_of(code)


def _completed(code):
    """As _completion_result, raising a refusal."""
    result = _completion_result(code)
    if isinstance(result, errors.BatonError):
        raise result
    return result


def _deadline(timeout):
    """When a wait of timeout seconds ends, on the monotonic clock; None for no timeout."""
    return None if timeout is None else time.monotonic_ns() + int(timeout * 1e9)


def _passed(deadline):
    return deadline is not None and time.monotonic_ns() >= deadline


DEFAULT_BLOCKS = {4 * 1024: 64, 64 * 1024: 8, 1024 * 1024: 2}
"""As Java's builder: payloads and results up to 1 MiB, in 2.8 MiB of blocks."""


def _block_counts(blocks):
    """{block size: count} as baton_config's block_counts; EINVAL for a size that is no class."""
    counts = (ctypes.c_uint32 * BLOCK_CLASSES)()
    for size, count in blocks.items():
        k = size.bit_length() - BLOCK_SIZE_MIN.bit_length()
        if size & (size - 1) or not 0 <= k < BLOCK_CLASSES:
            raise errors.EINVAL(f"a block size is a power of two from {BLOCK_SIZE_MIN} to "
                                f"{BLOCK_SIZE_MIN << (BLOCK_CLASSES - 1)}, not {size}")
        counts[k] = count
    return counts


def _trace_context(traceparent):
    """A W3C traceparent of version 00 as baton_trace_context, parsed by libbaton; EINVAL for anything else."""
    trace = TraceContext()
    if not isinstance(traceparent, str) or lib.baton_trace_parse(traceparent.encode(), ctypes.byref(trace)) != 0:
        raise errors.EINVAL(f"not a W3C traceparent of version 00 with non-zero ids: {traceparent!r}")
    return trace


def _traceparent(trace):
    """A baton_trace_context's traceparent, formatted by libbaton, or None when it names no trace."""
    text = ctypes.create_string_buffer(TRACEPARENT_LENGTH + 1)
    return text.value.decode() if lib.baton_trace_format(ctypes.byref(trace), text, len(text)) > 0 else None


_NIL_UUID = uuid.UUID(int=0)


def _uuid(hi, lo):
    """The UUID of baton.h's hi and lo words. No id is common: one object for it. Any other is made as
    uuid.UUID's own __setstate__ makes one, without the checks of its constructor: two 64-bit words
    always make a valid 128-bit id, and the constructor's checks cost more than the rest of an event."""
    if not hi | lo:
        return _NIL_UUID
    made = _UUID_NEW(uuid.UUID)
    _SET_SLOT(made, "int", hi << 64 | lo)
    _SET_SLOT(made, "is_safe", _UUID_SAFETY_UNKNOWN)
    return made


_UUID_NEW = uuid.UUID.__new__
_SET_SLOT = object.__setattr__  # uuid.UUID's own __setattr__ refuses: its objects are immutable
_UUID_SAFETY_UNKNOWN = uuid.SafeUUID.unknown


def _halves(value):
    """A UUID (or its string, or its 128-bit int) as baton.h's hi and lo words; None as zero."""
    if value is None:
        return 0, 0
    if isinstance(value, int):
        number = uuid.UUID(int=value).int
    else:
        number = (value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))).int
    return number >> 64, number & _UINT64_MAX


def _handle_of(event_or_handle):
    handle = event_or_handle.handle if isinstance(event_or_handle, Event) else event_or_handle
    if not isinstance(handle, int) or not 0 <= handle <= _UINT64_MAX:
        raise errors.EINVAL(f"a handle is an int in [0, 2**64), not {handle!r}")
    return handle


def _joined(chunks):
    """The chunks joined into one bytes object, and the address of its bytes, which libbaton reads in
    place while the caller keeps the object referenced."""
    joined = b"".join(chunks)
    return joined, ctypes.cast(joined, ctypes.c_void_p).value


def bytes_of(data):
    """data (bytes, bytearray, memoryview: any buffer) as bytes; TypeError for anything else, such
    as a str, which has no one encoding, or an int, which bytes() would take for a length."""
    if isinstance(data, bytes):
        return data
    try:
        return memoryview(data).tobytes()
    except TypeError:
        raise TypeError(f"payloads and results are bytes, not {type(data).__name__}: encode it first") from None


class Channel:
    """One attachment to a channel. Safe to share between threads; a context manager that detaches."""

    WAIT_SLICE_NS = 100_000_000

    def __init__(self, pointer):
        self._pointer = pointer
        self._calls = Calls()
        # One view of the channel's memory, where polled payloads lie: each is sliced from it under
        # a call (a detach unmaps it), at a fraction of a ctypes copy's cost.
        memory, length = ctypes.c_void_p(), ctypes.c_uint64()
        errors.check(lib.baton_memory(pointer, ctypes.byref(memory), ctypes.byref(length)))
        self._memory_base = memory.value
        self._memory = memoryview((ctypes.c_uint8 * length.value).from_address(memory.value)).cast("B")
        self._outcomes = (_Outcome * 256)()
        self._traces = (TraceContext * 256)()
        self._results = ctypes.create_string_buffer(64 * 1024)
        self._created = False  # whether this attachment created the channel's file
        # What outlives an exception raised from a signal handler (Ctrl-C) that lands inside a call:
        # outcomes libbaton copied into self._outcomes keep a non-zero handle until they are in
        # self._delivering, which the next drain returns; each thread's dispatch writes its handle
        # into its _Dispatching, and self._in_flight keeps each explicit event id's handle until drained.
        self._delivering = []
        self._take_from = 0  # the outcomes copied into self._outcomes before this index are taken
        self._dispatching = threading.local()
        self._in_flight = {}

    @classmethod
    def create(cls, path, *, slab_capacity=1024, slot_size=256, dispatch_ring_capacity=None,
               completion_ring_capacity=None, latency_ring_capacity=1024, attachment_capacity=64,
               completion_timeout=30.0, starvation_threshold=1.0, redelivery_limit=0, yield_limit=100, blocks=None,
               mode=FILE_MODE_DEFAULT):
        """Creates a channel in a new file at path and attaches to it as its host; close() removes the
        file. Timeouts are in seconds. blocks maps a block size (a power of two from 1 KiB to 32 MiB) to
        how many blocks of it hold payloads and results longer than their inline room (DEFAULT_BLOCKS
        when None; {} for none): the largest size is the longest payload or result the channel takes.
        yield_limit bounds how often an event may be yielded (yield_event). Raises EEXIST, EINVAL, EACCES or EIO."""
        config = Config(
            slab_capacity=slab_capacity, slot_size=slot_size,
            dispatch_ring_capacity=dispatch_ring_capacity or 2 * slab_capacity,
            completion_ring_capacity=completion_ring_capacity or max(1024, 64 * slab_capacity),
            latency_ring_capacity=latency_ring_capacity, attachment_capacity=attachment_capacity,
            completion_timeout_ns=int(completion_timeout * 1e9), starvation_threshold_ns=int(starvation_threshold * 1e9),
            redelivery_limit=redelivery_limit, yield_limit=yield_limit, block_counts=_block_counts(DEFAULT_BLOCKS if blocks is None else blocks))
        pointer = CHANNEL()
        errors.check_opening(lib.baton_create(str(path).encode(), ctypes.byref(config), mode, ctypes.byref(pointer)))
        channel = cls(pointer)
        channel._created = True
        return channel

    @classmethod
    def open(cls, path, *, any_owner=False, adopt=False):
        """Attaches to the channel file at path, made by a host in any language. With adopt, this
        attachment then becomes the channel's host in place of one whose process died (Channel.adopt):
        it drains, and its close removes the file, as the creator's would. Raises ENOENT (no such
        file), EACCES, EBADMSG (not a channel), EPROTONOSUPPORT, ESHUTDOWN (closed), EUSERS, or
        EISCONN (adopt, and the host lives)."""
        pointer = CHANNEL()
        flags = OPEN_ANY_OWNER if any_owner else 0
        errors.check_opening(lib.baton_open(str(path).encode(), flags, ctypes.byref(pointer)))
        channel = cls(pointer)
        if adopt:
            try:
                channel.adopt()
            except BaseException:
                channel.detach()
                raise
        return channel

    def adopt(self):
        """Makes this attachment the channel's host once the host's process died or it detached
        without closing (baton_adopt): the dead are reaped, and the events still pending stay
        pending, so this attachment's drains deliver their outcomes (an outcome the dead host was
        handed as it died may come again: each names its event id). Raises EISCONN while the host
        lives, ESHUTDOWN once closed."""
        errors.check_opening(self._call(lib.baton_adopt))
        self._created = True

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        """Ends the with-block as it began: a channel this attachment created is closed (its file
        removed) and detached; one it opened is detached."""
        try:
            if self._created:
                try:
                    self.close()
                except errors.ESHUTDOWN:
                    pass  # closed already, inside the block
        finally:
            self.detach()

    def _call(self, function, *arguments):
        return self._inside_a_call(function, self._pointer, *arguments)

    def _inside_a_call(self, work, *arguments):
        """work(*arguments) as a call on this attachment: a detach waits for it to leave."""
        token = object()
        try:
            self._calls.enter(token)
            return work(*arguments)
        finally:
            self._calls.in_progress.discard(token)  # one built-in call: see Calls

    # ------------------------------------------------------------ handlers

    def poll(self, timeout=None):
        """The oldest dispatched event, polled by this attachment, or None after timeout seconds
        (None: wait until one comes). Raises ESHUTDOWN once the channel is closed or detached, and
        EHOSTDOWN when a wait with nothing ready finds the host gone."""
        deadline = _deadline(timeout)
        event = _Event()
        while True:
            if self._wait_slice(lib.baton_poll, deadline, ctypes.byref(event)):
                payload = self._read_payload(event)
                trace = TraceContext()
                if payload is not None and self._call(lib.baton_read_trace, event.handle, ctypes.byref(trace)) == 0:
                    return _NEW_TUPLE(Event, _EVENT_LAYOUT.unpack_from(event) + (payload, _traceparent(trace)))
            if _passed(deadline):
                return None

    def poll_batch(self, max_events=64, timeout=None):
        """Up to max_events dispatched events, polled in one call into libbaton (and their trace
        contexts in one more), or [] after timeout seconds (None: wait until one comes). Each payload
        is copied from the channel's memory unchecked, without baton_read_payload's seqlock: if an
        event times out or is cancelled while it is copied, its bytes may be another event's, but its
        completion is then refused (Completed.TIMED_OUT or STALE), so the host never sees an answer
        computed from them. Raises EINVAL for max_events outside [1, BATCH_MAX], ESHUTDOWN once the
        channel is closed or detached, EHOSTDOWN when a wait with nothing ready finds the host gone."""
        if not isinstance(max_events, int) or not 0 < max_events <= BATCH_MAX:
            raise errors.EINVAL(f"max_events is an int in [1, {BATCH_MAX}], not {max_events!r}")
        deadline = _deadline(timeout)
        polled = (_Event * max_events)()
        while True:
            taken = errors.check(self._call(lib.baton_poll_batch, polled, max_events))
            if taken:
                return self._events_of(polled, taken)
            if not self._wait_slice(lib.baton_await_events, deadline) and _passed(deadline):
                return []

    def _events_of(self, polled, taken):
        """Events of the first `taken` entries of a polled array, with their payloads and traces."""
        traces = (TraceContext * taken)()
        errors.check(self._call(lib.baton_read_traces, polled, taken, traces))
        # The payloads are read from the channel's memory, which a detach unmaps.
        return self._inside_a_call(self._events_entered, polled, taken, traces)

    def _events_entered(self, polled, taken, traces):
        memory, base, new = self._memory, self._memory_base, _NEW_TUPLE
        polled_fields = _EVENT_LAYOUT.iter_unpack(memoryview(polled).cast("B")[:taken * _EVENT_LAYOUT.size])
        if bytes(traces).count(0) == ctypes.sizeof(traces):  # no event of the batch is traced: the common case
            traceparents = repeat(None)
        else:
            traceparents = (_traceparent(TraceContext(*trace)) if trace[0] | trace[1] else None
                            for trace in _TRACE_LAYOUT.iter_unpack(memoryview(traces).cast("B")))
        # fields[11] is the payload's address, fields[2] its length.
        return [new(Event, fields + (memory[(start := fields[11] - base):start + fields[2]].tobytes(), traceparent))
                for fields, traceparent in zip(polled_fields, traceparents)]

    def _wait_slice(self, function, deadline, *arguments):
        """Calls a wait of libbaton for one slice, or what is left before the deadline: True when
        it is ready, False after the slice or a signal; raises for an error (ESHUTDOWN once closed)."""
        left = self.WAIT_SLICE_NS if deadline is None else min(self.WAIT_SLICE_NS, deadline - time.monotonic_ns())
        ready = self._call(function, *arguments, max(0, left))
        if ready not in (0, 1, _EINTR):
            errors.check(ready)
        return ready == 1

    def _read_payload(self, event):
        """The payload, or None when the event ended (timed out, cancelled) before it was copied."""
        destination = ctypes.create_string_buffer(max(1, event.payload_length))
        length = self._call(lib.baton_read_payload, ctypes.byref(event), destination, len(destination))
        if length in (_ETIMEDOUT, _ESTALE):
            return None
        return destination.raw[:errors.check(length)]

    def complete(self, event, status=0, result=b"", *, span_id=0):
        """Completes a polled event (an Event, or its handle) with a status and result bytes, waiting
        while the completion ring is full; span_id names the handler's span for the host's trace.
        Returns Completed; raises ENOENT (unknown handle), EPROTO (not polled), EALREADY (completed
        twice), EMSGSIZE (result too long), ESHUTDOWN."""
        handle, result = _handle_of(event), bytes_of(result)
        pause = 0.0
        while True:
            code = self._call(lib.baton_complete_traced, handle, status, span_id, result, len(result))
            if code != _ENOBUFS:
                break
            time.sleep(pause)  # the host has not drained yet: back off, up to a millisecond
            pause = min(0.001, pause * 2 or 0.00001)
        return _completed(code)

    def complete_batch(self, completions):
        """Completes polled events in one call into libbaton: completions is a sequence of (event or
        handle, status, result bytes), or of (event or handle, status, result bytes, span_id). Waits
        while the completion ring is full, as complete does. Returns, for each entry in order, a
        Completed, or the exception its refusal names (ENOENT, EPROTO, EALREADY, EMSGSIZE), made but
        not raised: one refused entry never stops the rest. Raises ESHUTDOWN."""
        return [Completed.ACCEPTED if code >= 0 else _completion_result(code)
                for code in self._complete_codes(completions)]

    def _complete_codes(self, completions):
        """complete_batch's work: each entry's result code, in order (a ctypes array)."""
        count = len(completions)
        codes = (ctypes.c_int32 * count)()
        if count == 0:
            return codes
        results = [result if type(result) is bytes else bytes_of(result) for result in map(_RESULT, completions)]
        joined, base = _joined(results)  # joined stays referenced here until libbaton returns
        entries = bytearray(count * _COMPLETION_LAYOUT.size)
        pack, size, offset = _COMPLETION_LAYOUT.pack_into, _COMPLETION_LAYOUT.size, 0
        for i, (completion, result) in enumerate(zip(completions, results)):
            target = completion[0]
            pack(entries, i * size, target[0] if type(target) is Event else _handle_of(target), completion[1],
                 len(result), base + offset if result else 0, completion[3] if len(completion) > 3 else 0)
            offset += len(result)
        array = (Completion * count).from_buffer(entries)
        settled = 0
        pause = 0.0
        while settled < count:
            done = errors.check(self._call(
                lib.baton_complete_batch,
                ctypes.cast(ctypes.addressof(array) + settled * size, ctypes.POINTER(Completion)),
                count - settled, ctypes.addressof(codes) + settled * ctypes.sizeof(ctypes.c_int32)))
            settled += done
            if settled < count:
                time.sleep(pause)  # the ring is full: the host has not drained yet; back off, up to 1 ms
                pause = min(0.001, pause * 2 or 0.00001)
        return codes

    def yield_event(self, event, continuation=b""):
        """Yields a polled event: hands it back to be dispatched again with continuation as its payload (a
        checkpoint yield): its handle, ids and trace stay, its yields count rises. Waits while no
        block or ring room is free. Returns Yielded: REQUEUED, or ENDED when it had yielded the
        channel's yield_limit times (the host then sees status BATON_ELOOP), or the races TIMED_OUT
        and STALE. Raises ENOENT, EPROTO (not polled), EMSGSIZE, ESHUTDOWN."""
        handle, continuation = _handle_of(event), bytes_of(continuation)
        pause = 0.0
        while True:
            code = self._call(lib.baton_yield, handle, continuation, len(continuation))
            if code not in (_EAGAIN, _ENOSPC, _ENOBUFS):
                break
            time.sleep(pause)  # no room yet: back off, up to a millisecond
            pause = min(0.001, pause * 2 or 0.00001)
        if code in (_ELOOP, _ETIMEDOUT, _ESTALE):
            return Yielded(code)
        errors.check(code)
        return Yielded.REQUEUED

    def reap(self):
        """Settles what attachments of dead processes left (baton_reap); the number reaped."""
        return errors.check(self._call(lib.baton_reap))

    def serve(self, handler, *, threads=1):
        """Serves with handler from threads until the channel closes; the events completed. See
        baton.serving.serve_channel."""
        from .serving import serve_channel
        return serve_channel(self, handler, threads)

    # ------------------------------------------------------------ hosts

    def dispatch(self, payload=b"", *, kind=0, event_id=None, correlation_id=None, traceparent=None):
        """Dispatches an event, with a W3C traceparent its handler reads; its handle, or None when the
        slab, a block for the payload or the dispatch ring is full (backpressure: drain, then try
        again). Raises EMSGSIZE, EINVAL (not a traceparent), ESHUTDOWN.

        With an event_id, dispatching is idempotent while the event is in flight: dispatching the same
        id again, before a drain has returned its outcome, returns the first dispatch's handle and
        sends nothing. So a caller that retries after an exception raised from a signal handler
        (Ctrl-C) landed in the call, when the event may or may not have gone, never sends it twice."""
        payload = bytes_of(payload)
        explicit = event_id is not None
        event_hi, event_lo = _halves(event_id if explicit else uuid.uuid4())
        dispatching = self._dispatching_here()
        if explicit:
            earlier = self._in_flight.get((event_hi, event_lo))
            if earlier is not None and self._call(lib.baton_read_trace, earlier, ctypes.byref(TraceContext())) == 0:
                return earlier
        correlation_hi, correlation_lo = _halves(correlation_id)
        trace = TraceContext() if traceparent is None else _trace_context(traceparent)
        _DISPATCH_ENTRY_LAYOUT.pack_into(dispatching.entry, 0, event_hi, event_lo, correlation_hi, correlation_lo,
                                         trace.trace_id_hi, trace.trace_id_lo, trace.parent_span_id, trace.flags,
                                         kind, ctypes.cast(payload, ctypes.c_void_p).value if payload else 0,
                                         len(payload), 0)
        # libbaton writes the handle into dispatching.handle, which an exception landing as the call
        # returns cannot take: this thread's next dispatch finds it there (_dispatching_here).
        dispatching.handle[0] = 0
        dispatching.event_id = (event_hi, event_lo) if explicit else None
        dispatched = self._call(lib.baton_dispatch_batch, ctypes.byref(dispatching.entry), 1, dispatching.handle)
        handle = dispatching.handle[0]
        if explicit and handle > 0:
            self._in_flight[(event_hi, event_lo)] = handle  # before anything that calls, where an exception could land
        dispatching.event_id = None
        errors.check(dispatched)  # the call as a whole refused (ESHUTDOWN)
        if handle in (_EAGAIN, _ENOSPC):
            return None
        return errors.check(handle)

    def _dispatching_here(self):
        """This thread's dispatch buffers, after recording the handle of an explicit dispatch of its
        that an exception interrupted once libbaton had taken it."""
        dispatching = self._dispatching
        if not hasattr(dispatching, "entry"):
            dispatching.event_id, dispatching.handle = None, (ctypes.c_int64 * 1)()
            dispatching.entry = DispatchEntry()
        if dispatching.event_id is not None:
            if dispatching.handle[0] > 0:
                self._in_flight[dispatching.event_id] = dispatching.handle[0]
            dispatching.event_id = None
        return dispatching

    def dispatch_batch(self, payloads, *, kind=0, event_ids=None, correlation_id=None, redeliveries=None):
        """Dispatches events in one call into libbaton: payloads is a sequence of bytes-like; event_ids,
        when given, a sequence of UUIDs as long (else each event gets a random one); redeliveries,
        when given, a sequence of counts as long, for a bridge that carries events from another
        channel or queue: how often each was already dispatched again after its handler died (its
        handler here reads it as Event.redeliveries, and the channel's redelivery limit counts it).
        Returns the handles of the events dispatched, in order: fewer than the payloads when the
        slab, a block for a payload or the dispatch ring filled (backpressure: drain, then dispatch the
        rest), or before an entry that is refused. Raises EMSGSIZE when the first entry is too long,
        ESHUTDOWN; ValueError for a sequence of another length, or a count outside [0, 2**32)."""
        count = len(payloads)
        if event_ids is not None and len(event_ids) != count:
            raise ValueError(f"{len(event_ids)} event ids for {count} payloads")
        if redeliveries is None:
            redeliveries = repeat(0)
        elif len(redeliveries) != count:
            raise ValueError(f"{len(redeliveries)} redelivery counts for {count} payloads")
        elif not all(type(carried) is int and 0 <= carried < 1 << 32 for carried in redeliveries):
            raise ValueError(f"a redelivery count is an int in [0, 2**32): {list(redeliveries)!r}")
        payloads = [bytes_of(payload) for payload in payloads]
        correlation_hi, correlation_lo = _halves(correlation_id)
        # Random ids from one read of the system's randomness for the batch, as uuid4 makes them.
        randomness = os.urandom(16 * count) if event_ids is None else b""
        joined, base = _joined(payloads)  # joined stays referenced here until libbaton returns
        entries = bytearray(count * _DISPATCH_ENTRY_LAYOUT.size)
        offset = 0
        for i, (payload, carried) in enumerate(zip(payloads, redeliveries)):
            if event_ids is None:
                event_hi, event_lo = _RANDOM_HALVES.unpack_from(randomness, 16 * i)
                event_hi, event_lo = (event_hi & ~0xF000) | 0x4000, (event_lo & ~(0xC << 60)) | (0x8 << 60)
            else:
                event_hi, event_lo = _halves(event_ids[i])
            _DISPATCH_ENTRY_LAYOUT.pack_into(entries, i * _DISPATCH_ENTRY_LAYOUT.size, event_hi, event_lo,
                                             correlation_hi, correlation_lo, 0, 0, 0, 0, kind,
                                             base + offset if payload else 0, len(payload), carried)
            offset += len(payload)
        handles = (ctypes.c_int64 * max(1, count))()
        array = (DispatchEntry * max(1, count)).from_buffer(entries) if count else None
        dispatched = errors.check(self._call(lib.baton_dispatch_batch, array, count, handles))
        # A refusal is raised only when it stops the batch at its first entry, so the handles of what
        # was dispatched always reach the caller; dispatching the rest then raises it.
        if dispatched == 0 and count > 0 and handles[0] not in (_EAGAIN, _ENOSPC):
            errors.check(handles[0])
        return handles[:dispatched]

    def claim(self, length, *, kind=0, event_id=None, correlation_id=None, traceparent=None):
        """Claims room for a payload of length bytes to write in place (zero-copy dispatch): a
        DispatchClaim, whose payload is a writable memoryview into the channel, to commit() or
        abort(); a context manager that aborts what was not committed. None when the slab or a
        block for the payload is full (backpressure). Raises EMSGSIZE, EINVAL, ESHUTDOWN."""
        event_hi, event_lo = _halves(uuid.uuid4() if event_id is None else event_id)
        correlation_hi, correlation_lo = _halves(correlation_id)
        trace = None if traceparent is None else ctypes.byref(_trace_context(traceparent))
        claim = PayloadClaim()
        code = self._call(lib.baton_claim, event_hi, event_lo, correlation_hi, correlation_lo, kind, trace,
                          length, ctypes.byref(claim))
        if code == _EAGAIN:
            return None
        errors.check(code)
        return DispatchClaim(self, claim)

    def cancel(self, handle):
        """Cancels a pending event. Returns Completed (ACCEPTED, TIMED_OUT, STALE); raises as complete."""
        return _completed(self._call(lib.baton_cancel, _handle_of(handle)))

    def drain(self, max_outcomes=256):
        """Up to max_outcomes outcomes, completed or timed out, their slots freed (host only, one
        thread at a time; EBUSY otherwise). The outcomes libbaton hands over stay with this object
        until a drain returns them: an exception raised from a signal handler (Ctrl-C) that lands
        anywhere inside a drain loses none, and the next drain returns them first."""
        if not self._delivering and self._untaken() is None:
            self._take_from = 0
            self._drain_into_buffers(min(max_outcomes, len(self._outcomes)))
        self._take_copied()
        delivering, self._delivering = self._delivering, []
        return delivering

    def _drain_into_buffers(self, count):
        """Has libbaton copy up to count outcomes into this object's buffers, growing the results
        buffer while the first result alone is longer."""
        while True:
            drained = self._call(lib.baton_drain, self._outcomes, self._traces, count, self._results,
                                 len(self._results))
            if drained != errors.EMSGSIZE.code:
                errors.check(drained)
                return
            self._results = ctypes.create_string_buffer(2 * len(self._results))

    def _untaken(self):
        """The index of the first outcome copied into the buffers and not yet taken, or None. The
        outcomes are taken in order: self._take_from names the one being taken, which an exception
        may interrupt just after it was marked taken (its handle zeroed), so the next may be the one."""
        for i in (self._take_from, self._take_from + 1):
            if i < len(self._outcomes) and self._outcomes[i].handle != 0:
                return i
        return None

    def _take_copied(self):
        """Moves the outcomes copied into the buffers and not yet taken into self._delivering, in
        order. An exception may land between any two steps: an outcome appended but not yet marked
        taken is the last one appended, and is not appended again."""
        first = self._untaken()
        if first is None:
            return
        raw, traces = memoryview(self._outcomes).cast("B"), memoryview(self._traces).cast("B")
        results, base = memoryview(self._results), ctypes.addressof(self._results)
        delivering, in_flight = self._delivering, self._in_flight
        for i in range(first, len(self._outcomes)):
            self._take_from = i  # every outcome before i is taken
            fields = _OUTCOME_LAYOUT.unpack_from(raw, i * _OUTCOME_LAYOUT.size)
            handle = fields[0]
            if handle == 0:
                return
            if not delivering or delivering[-1].handle != handle:
                trace = _TRACE_LAYOUT.unpack_from(traces, i * _TRACE_LAYOUT.size)
                start = fields[8] - base  # the result's address, and its length
                delivering.append(_NEW_TUPLE(Outcome, fields + (
                    bytes(results[start:start + fields[2]]),
                    _traceparent(TraceContext(*trace)) if trace[0] | trace[1] else None, trace[3])))
            if in_flight:
                in_flight.pop((fields[5], fields[6]), None)
            _HANDLE.pack_into(raw, i * _OUTCOME_LAYOUT.size, 0)  # taken

    def await_outcomes(self, timeout=None):
        """True once an outcome is ready to drain, False after timeout seconds (None: until one is)."""
        deadline = _deadline(timeout)
        while True:
            if self._wait_slice(lib.baton_await_outcomes, deadline):
                return True
            if _passed(deadline):
                return False

    def reclaim_expired(self):
        """Times out the pending events past their deadline; how many."""
        return errors.check(self._call(lib.baton_reclaim_expired))

    def metrics(self):
        """The pending-event metrics from one scan of the slab (a Metrics struct)."""
        metrics = Metrics()
        errors.check(self._call(lib.baton_read_metrics, ctypes.byref(metrics)))
        return metrics

    def drain_counts(self):
        """What this attachment's drains saw (a DrainCounts struct)."""
        counts = DrainCounts()
        errors.check(self._call(lib.baton_read_drain_counts, ctypes.byref(counts)))
        return counts

    LIST_CHUNK = 256  # the events list_events reads per call into libbaton

    def list_events(self):
        """The events the slab holds, a list of ListedEvent: waiting, in progress, yielding, or ended and
        not yet drained. A host accounts with it for the events it dispatched when their outcomes
        cannot reach it (EUCLEAN from drain), or before it abandons a channel. Each event is read
        under its slot's state word, so each is consistent; the list is not a snapshot across slots.
        Works on a closed channel, until detach; raises ESHUTDOWN after it."""
        cursor = ctypes.c_uint32(0)
        chunk = (_ListedEvent * self.LIST_CHUNK)()
        listed = []
        while True:
            written = errors.check(self._call(lib.baton_list_events, ctypes.byref(cursor), chunk, self.LIST_CHUNK))
            listed.extend(_NEW_TUPLE(ListedEvent, fields) for fields in _LISTED_EVENT_LAYOUT.iter_unpack(
                memoryview(chunk).cast("B")[:written * _LISTED_EVENT_LAYOUT.size]))
            if written < self.LIST_CHUNK:
                return listed

    # ------------------------------------------------------------ lifetime

    def close(self):
        """Closes the channel for every attachment and wakes every waiter; the creator's close
        removes the file. Raises ESHUTDOWN when already closed."""
        errors.check(self._call(lib.baton_close))

    def detach(self):
        """Detaches: waits for this attachment's calls in progress (at most one wait slice), then frees
        it; later calls raise ESHUTDOWN. A second detach does nothing."""
        if self._calls.detach():
            errors.check(lib.baton_detach(self._pointer))


class DispatchClaim:
    """Room claimed in a channel for one payload (Channel.claim). Write payload, then
    commit() or abort(); leaving a with-block without committing aborts."""

    def __init__(self, channel, claim):
        self._channel = channel
        self._claim = claim
        address = ctypes.cast(claim.payload, ctypes.c_void_p).value
        length = claim.payload_length
        self.payload = memoryview((ctypes.c_uint8 * length).from_address(address)).cast("B") if length else memoryview(b"")

    def commit(self):
        """Dispatches the event: its handle, or None while the dispatch ring is full (the claim is
        kept: commit again, or abort). Raises EALREADY once committed or aborted."""
        handle = self._channel._call(lib.baton_commit, ctypes.byref(self._claim))
        if handle == _ENOSPC:
            return None
        self.payload = memoryview(b"")
        return errors.check(handle)

    def abort(self):
        """Gives the room back unseen. Raises EALREADY once committed or aborted."""
        self.payload = memoryview(b"")
        errors.check(self._channel._call(lib.baton_abort, ctypes.byref(self._claim)))

    def __enter__(self):
        return self

    def __exit__(self, *exception):
        if self._claim.token:
            self.abort()
