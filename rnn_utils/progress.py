"""A progress line for the cells that make a student wait (lesson 08's training): how far the
work is, and about how long is left.

In a notebook the line lives in one display that is updated in place and emptied when the work
is done, so the saved notebook keeps an empty output and no time. This is also what keeps nbval
strict on every machine: nbval compares the first display of the cell (empty) with the saved
one (emptied at the end) and ignores the updates in between; the times never reach either.
Outside a notebook (a script, a terminal) the line goes to stderr.
"""

import sys
import time

UPDATE_SECONDS = 0.5  # at most two updates a second: each is a message to the browser
BAR_WIDTH = 20


def remaining_text(seconds):
    """'about 40 s left', 'about 2 min 5 s left'; 'almost done' under a second."""
    seconds = round(seconds)
    if seconds < 1:
        return "almost done"
    if seconds < 60:
        return f"about {seconds} s left"
    return f"about {seconds // 60} min {seconds % 60} s left"


def progress_line(label, done, total, elapsed):
    """One line: the label, a bar, done of total, and the time left if the pace holds.

    Arguments:
    label -- what is running, e.g. "training 5 seeds, 16 epochs"
    done, total -- units of work finished and in all (0 <= done <= total, total >= 1)
    elapsed -- seconds since the work started
    """
    filled = BAR_WIDTH * done // total
    bar = "#" * filled + "." * (BAR_WIDTH - filled)
    line = f"{label}: [{bar}] {100 * done // total:3d}%"
    if done == 0:
        return line + ", measuring the pace..."
    return f"{line}, {remaining_text(elapsed / done * (total - done))}"


def _kernel_display():
    """IPython's display function when running in a Jupyter kernel, else None."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return None
    shell = get_ipython()
    return display if shell is not None and getattr(shell, "kernel", None) is not None else None


class Progress:
    """Report ``total`` units of work as they finish: ``advance()`` after each, ``done()`` at the
    end (``stopped()`` when the work is interrupted, to leave the line where it stopped). As a
    context manager, the end of the block calls done(), or stopped() on an exception."""

    def __init__(self, label, total, clock=time.monotonic):
        self.label, self.total, self.count, self.clock = label, max(1, total), 0, clock
        self.started = self.shown = clock()
        display = _kernel_display()
        # An empty first display: what nbval compares, and what done() leaves behind.
        self.handle = display({"text/plain": ""}, raw=True, display_id=True) if display else None
        self._show(progress_line(self.label, 0, self.total, 0.0))

    def advance(self, count=1):
        """Count ``count`` more units done; show the line if the last was long enough ago."""
        self.count = min(self.total, self.count + count)
        now = self.clock()
        if now - self.shown >= UPDATE_SECONDS:
            self.shown = now
            self._show(progress_line(self.label, self.count, self.total, now - self.started))

    def stopped(self):
        """Leave the line saying where the work stopped (an interrupt, an error)."""
        self._show(f"{self.label}: stopped after {self.count} of {self.total}", end=True)

    def done(self):
        """Empty the line: the cell's own prints say what was done."""
        self._show("", end=True)

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        self.stopped() if kind is not None else self.done()

    def _show(self, text, end=False):
        if self.handle is not None:
            self.handle.update({"text/plain": text}, raw=True)
            return
        sys.stderr.write(("\r" + text if text else "") + ("\n" if end else ""))
        sys.stderr.flush()


class Silent(Progress):
    """A Progress that shows nothing: for callers that did not ask for one (tests, scripts)."""

    def __init__(self, label=None, total=1):
        self.label, self.total, self.count = label, total, 0

    def advance(self, count=1):
        pass

    def _show(self, text, end=False):
        pass


def progress(label, total):
    """A Progress of ``total`` units named ``label``, or a Silent one when label is None."""
    return Silent() if label is None else Progress(label, total)


def each(items, label):
    """Yield the items of a sequence, showing the progress under ``label`` as each is done:
    ``for seed in progress.each(SEEDS, "training 5 LSTMs"):``. The line is emptied when the
    loop ends, and says where it stopped when the loop is left by an exception."""
    shown = Progress(label, len(items))
    try:
        for item in items:
            yield item
            shown.advance()
    except GeneratorExit:  # the loop was left early: an exception, an interrupt, a break
        shown.stopped()
        raise
    shown.done()
