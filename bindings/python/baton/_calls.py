"""Counts the calls in progress on one attachment, so that a detach never frees it under one."""
import threading

from . import errors


class Calls:
    """A call enters before it touches the attachment and leaves after; detach() refuses new calls,
    waits until those in progress have left, and only then may the caller free the attachment. The
    channel's waits sleep in slices (Channel.WAIT_SLICE_NS), so a detach waits at most one slice."""

    def __init__(self):
        self._lock = threading.Lock()
        self._left = threading.Condition(self._lock)
        self._in_progress = 0
        self._detaching = False

    def enter(self):
        with self._lock:
            if self._detaching:
                raise errors.ESHUTDOWN("this attachment was detached")
            self._in_progress += 1

    def leave(self):
        with self._lock:
            self._in_progress -= 1
            if self._detaching and self._in_progress == 0:
                self._left.notify_all()

    def detach(self):
        """True for the first caller, once no call is in progress; False when already detached."""
        with self._lock:
            if self._detaching:
                return False
            self._detaching = True
            while self._in_progress:
                self._left.wait()
            return True
