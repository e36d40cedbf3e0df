"""Counts the calls in progress on one attachment, so that a detach never frees it under one."""
import threading
import time

from . import errors


class Calls:
    """A call enters before it touches the attachment and leaves after; detach() refuses new calls,
    waits until those in progress have left, and only then may the caller free the attachment. The
    channel's waits sleep in slices (Channel.WAIT_SLICE_NS), so a detach waits at most one slice.

    An exception raised from a signal handler (Ctrl-C) may land at any call of a Python function,
    before its first line runs, so leaving must not be one: a call names itself with a token of its
    own, enters inside a try, and its finally leaves with one call of a built-in method,
    in_progress.discard(token), which completes before any exception can land. A token that never
    entered is discarded as nothing."""

    def __init__(self):
        self._lock = threading.Lock()
        self._detaching = False
        self.in_progress = set()

    def enter(self, token):
        with self._lock:
            if self._detaching:
                raise errors.ESHUTDOWN("this attachment was detached")
            self.in_progress.add(token)

    def detach(self):
        """True for the first caller, once no call is in progress; False when already detached."""
        with self._lock:
            if self._detaching:
                return False
            self._detaching = True
        while self.in_progress:
            time.sleep(0.001)
        return True
