"""Bounds on what a student's function may do during a check: its time, and how much of what it
printed is shown back.

Used by the home checks (``rnn_utils.checks.framework``) and by the grading kernel's harness,
which holds this module but not the checks: an endless loop then gives the same short verdict
at home and in the grader instead of a hung cell.
"""

import contextlib
import math
import signal
import threading

MIN_CASE_SECONDS = 5  # generous for a correct answer on a slow laptop: the cases are tiny
REFERENCE_FACTOR = 100  # a correct answer may be this many times slower than the reference
PRINTED_CHARACTERS = 2000  # the tail of what a function printed that a failure shows


class TimeLimitExceeded(BaseException):
    """A student's function ran over its time on one case. A BaseException, like
    KeyboardInterrupt, so that the student's own ``except Exception`` cannot swallow it."""

    def __init__(self, seconds):
        super().__init__(f"did not return within {seconds} s")
        self.seconds = seconds


def case_seconds(reference_seconds=0.0):
    """Seconds a student's function may take on a case the reference took
    ``reference_seconds`` on: at least MIN_CASE_SECONDS, whole seconds. The grading kernel,
    which has no reference to time, gives every case the minimum (the references take
    milliseconds), so that the verdict reads as at home."""
    return max(MIN_CASE_SECONDS, math.ceil(REFERENCE_FACTOR * reference_seconds))


def _can_use_alarm():
    """SIGALRM exists (not on Windows) and this is the main thread (the only one a signal
    handler runs in), and no one else's timer is running (a test runner's, a profiler's)."""
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0)


@contextlib.contextmanager
def time_limit(seconds):
    """Raise TimeLimitExceeded in the ``with`` block once it has run ``seconds``.

    Where no alarm can be set (a thread other than the main one, Windows, another timer in
    use) the block runs unbounded, as before: the student can still interrupt the kernel.
    """
    if not _can_use_alarm():
        yield
        return

    def expire(signum, frame):
        raise TimeLimitExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def printed_tail(text, limit=PRINTED_CHARACTERS):
    """The last ``limit`` characters of ``text``, marked when cut: what a failure shows of a
    function's prints (a print in a loop can write megabytes)."""
    if len(text) <= limit:
        return text
    return f"[... {len(text) - limit} earlier characters left out]\n" + text[-limit:]
