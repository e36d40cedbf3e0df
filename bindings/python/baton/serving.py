"""The handler loop, from threads of this process or from processes of its own.

A handler takes an Event and returns its result: bytes (status 0), a (status, bytes) pair, or None
(status 0, no bytes); or Yield(continuation) to hand the event back, dispatched again with the
continuation as its payload (Channel.yield_event). A handler that raises, or returns anything else, completes its event with
status HANDLER_FAILED and the exception's repr as the result, so that the host still hears of the
event exactly once.
"""
import multiprocessing
import threading
from dataclasses import dataclass

from . import errors
from .channel import Channel, Completed, bytes_of

HANDLER_FAILED = 500
IDLE_SLICE = 0.1  # seconds a serving thread waits before it reaps and looks again


@dataclass(frozen=True, slots=True)
class Yield:
    """A handler's answer that hands its event back with a continuation payload (a checkpoint)."""
    continuation: bytes = b""


def _answer(handler, event):
    """The event's completion, (event, status, bytes), from the handler's answer, or its Yield; a
    failure's, if it raised or answered wrongly."""
    try:
        answer = handler(event)
        if type(answer) is tuple:  # the common answer first: one type check
            status, result = answer
        elif answer is None:
            status, result = 0, b""
        elif isinstance(answer, Yield):
            return Yield(bytes_of(answer.continuation))
        else:
            status, result = answer if isinstance(answer, tuple) else (0, answer)
        return event, int(status), result if type(result) is bytes else bytes_of(result)
    except Exception as failure:  # noqa: BLE001 - reported to the host, not lost
        return event, HANDLER_FAILED, repr(failure).encode()


BATCH = 64  # the most events a serving thread polls at once


def _serve_thread(channel, handler, served, lock, host_gone):
    """Polls events in batches, answers each, and completes the batch in one call: two calls into
    libbaton per batch, whatever its size (a yield is one more, per yielded event). Ends when the
    channel closes, or when the host is gone (kept in host_gone)."""
    completed = 0
    try:
        while True:
            events = channel.poll_batch(BATCH, timeout=IDLE_SLICE)
            if not events:
                channel.reap()  # idle: settle what dead processes left, as any survivor may
                continue
            answered = []
            for event in events:
                answer = _answer(handler, event)
                if type(answer) is Yield:
                    _yield(channel, event, answer.continuation)
                else:
                    answered.append(answer)
            codes = channel._complete_codes(answered)[:]
            accepted = codes.count(0)
            completed += accepted
            if accepted < len(codes):  # a race or a refusal: an over-long result is completed as a failure
                for entry, code in zip(answered, codes):
                    if code == errors.EMSGSIZE.code:
                        completed += channel.complete(entry[0], HANDLER_FAILED,
                                                      b"result longer than the channel allows") is Completed.ACCEPTED
    except errors.ESHUTDOWN:
        pass
    except errors.EHOSTDOWN as gone:
        host_gone.append(gone)
    finally:
        with lock:
            served[0] += completed


def _yield(channel, event, continuation):
    try:
        channel.yield_event(event, continuation)
    except errors.EMSGSIZE:
        channel.complete(event, HANDLER_FAILED, b"continuation longer than the channel allows")


def serve_channel(channel, handler, threads=1):
    """Serves channel with handler from threads until it closes; the events completed. Raises
    EHOSTDOWN once the host is gone (its process died), after every thread has ended, so that a
    handler process ends too instead of waiting for ever."""
    served, lock, host_gone = [0], threading.Lock(), []
    workers = [threading.Thread(target=_serve_thread, args=(channel, handler, served, lock, host_gone),
                                name=f"baton-handler-{i}", daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        while worker.is_alive():
            worker.join(IDLE_SLICE)  # in slices, so that Ctrl-C reaches the main thread
    if host_gone:
        raise host_gone[0]
    return served[0]


def serve(path, handler, *, threads=1, any_owner=False):
    """Attaches to the channel file at path, serves it with handler from threads until the host
    closes it, detaches, and returns the events completed; raises EHOSTDOWN once the host is gone. handler must be a module-level function
    when serve runs in another process (multiprocessing pickles it)."""
    with Channel.open(path, any_owner=any_owner) as channel:
        return serve_channel(channel, handler, threads)


def serve_in_processes(path, handler, *, processes=2, threads=1):
    """serve in processes of its own (multiprocessing, spawned), each its own attachment, so that
    handlers run beside each other without sharing a GIL. Returns, once every process has ended, the
    events completed by those that ended normally: a process killed by a signal counts none, and a
    survivor's reaper settles what it held. Raises RuntimeError if one failed with an exception, and
    EHOSTDOWN once the host is gone, and at once what opening path raises (ENOENT when it does not
    exist)."""
    with Channel.open(path):
        pass  # a path that cannot be served is refused here, not counted as nothing served below
    context = multiprocessing.get_context("spawn")
    reports = context.SimpleQueue()
    workers = [context.Process(target=_serve_and_report, args=(path, handler, threads, reports), daemon=True)
               for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        while worker.is_alive():
            worker.join(IDLE_SLICE)  # in slices, so that Ctrl-C reaches the main thread
    failed = [worker.exitcode for worker in workers if worker.exitcode > 0]
    if failed:
        raise RuntimeError(f"{len(failed)} handler process(es) failed, with exit codes {failed}")
    served, host_gone = 0, False
    while not reports.empty():
        completed = reports.get()
        host_gone |= completed is None
        served += completed or 0
    if host_gone:
        raise errors.EHOSTDOWN()
    return served


def _serve_and_report(path, handler, threads, reports):
    """serve, reporting the events completed, or None once the host is gone. A process that starts
    after the host closed the channel and removed its file (serve_in_processes opened it first) finds
    nothing to serve, and reports 0."""
    try:
        reports.put(serve(path, handler, threads=threads))
    except errors.EHOSTDOWN:
        reports.put(None)
    except errors.ENOENT:
        reports.put(0)
