"""Run composed notebooks under nbval, contained, in parallel; collect every cell's result.

Notebooks are run in batches: one ``python -m pytest --nbval`` process per batch, which runs
each notebook of the batch in its own kernel, in its own folder of a fresh temporary folder.
Batching amortises pytest's start-up (about as long as a short lesson) over several notebooks;
a batch never holds more than ``ceil(n / (2 * jobs))`` notebooks when several run at once, so
the load stays balanced (``ceil(n / 1)`` with one job), nor more than MAX_BATCH.

Containment, from the inside out:
- nbval's per-cell timeout (``--timeout``): it interrupts the cell, and stops the kernel when the
  interrupt does not help; later cells of that notebook then fail, the next notebook is
  unaffected;
- a memory limit: RLIMIT_AS of every process, and a control group per kernel where one can
  be made (cgroups.py), so that all its processes together stay within it; an allocation
  beyond the first fails with MemoryError in the student's code;
- a watchdog here: when the pytest process reports nothing for longer than any cell or kernel
  start may take, the batch is killed (pytest and the running kernel's process group); the
  notebook being run is charged with a timeout and the batch's notebooks that had not started
  are run again, each in a batch of its own, so that no classmate's notebook can stop them
  again (a notebook is never charged with another's breakdown). The same happens when the
  pytest process dies.
BLAS and OpenMP are held to one thread per kernel: parallel kernels then do not compete for
the cores, and OpenBLAS does not reserve memory for threads it would not use.
"""

import dataclasses
import json
import math
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from rnn_course.options import NBVAL_SANITIZE_FILE, GradingOptions

if TYPE_CHECKING:
    from nbformat import NotebookNode

    from rnn_course.grading.sandbox import Engine, Limits

KERNEL_STARTUP_TIMEOUT = 60
WATCHDOG_SLACK = 30  # seconds beyond the longest legitimate silence before a batch is killed
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
MAX_BATCH = 8
MAX_EVENT_BYTES = 64 * 2**20  # a result line carries a check's outputs: a few MB at most
PYTEST_START = 30  # seconds a pytest process may take to start, beyond the silence limit
_RUNNING = {}  # pytest process -> its events so far, while it runs (to end it on Ctrl-C)


BROKEN_WORDS = {
    "timeout": "the notebook stopped making progress and was stopped (a cell ran far beyond "
               "the time limit)",
    "budget": "the notebook ran beyond its wall-clock budget and was stopped",
}


@dataclass
class Job:
    """One notebook to run: ``key`` identifies it to the caller; ``filename`` is the lesson's."""

    key: Hashable  # the caller's (an index)
    filename: str
    notebook: "NotebookNode"  # the composed notebook
    alone: bool = False  # run in a batch of its own (a classmate's breakdown stopped it once)


@dataclass
class Run:
    """What became of one notebook: its cells' results by cell id, in the order they ran, and
    the reason when the run as a whole broke down (None when nbval ran it to the end)."""

    results: dict[str, dict] = field(default_factory=dict)  # cell id -> its result event
    records: dict[str, Any] = field(default_factory=dict)  # check cell id -> handed in
    broken: "str | None" = None
    timed_out: bool = False


@dataclass
class Settings:
    """How the notebooks of a grading run: GradingOptions' limits, and where things are."""

    timeout: float = GradingOptions.timeout  # seconds per cell
    memory: int = GradingOptions.memory  # bytes per notebook and per process (0: no limit)
    package_root: "Path | None" = None  # first on the kernels' path (the course's rnn_utils)
    startup_timeout: float = KERNEL_STARTUP_TIMEOUT
    notebook_timeout: float = GradingOptions.notebook_timeout  # seconds per notebook (0: none)
    engine: "Engine | None" = None  # None: kernels started by nbval as it likes
    course_dir: "Path | None" = None  # the course package as the kernels see it (course.py)
    tasks_file: "Path | None" = None  # the checks' cases and helpers, for the plugin (judge.py)

    @property
    def silence_limit(self) -> float:
        """The longest time pytest may report nothing before the watchdog kills the batch."""
        return max(self.timeout, self.startup_timeout) + WATCHDOG_SLACK


def run_jobs(jobs: list[Job], settings: Settings, parallel: int = 1,
             done: Callable[[int], object] = lambda count: None) -> dict[Hashable, Run]:
    """Run every Job, ``parallel`` notebooks at a time (GradingOptions.jobs); returns key ->
    Run. ``done(n)`` is called as notebooks finish."""
    queue, runs, lock = list(jobs), {}, threading.Lock()
    shares = 2 * parallel if parallel > 1 else 1  # two batches per worker balance the load
    size = max(1, min(MAX_BATCH, math.ceil(len(queue) / shares)))

    def worker():
        while True:
            with lock:
                if queue and queue[0].alone:  # nobody else's notebook can stop it again
                    batch = [queue.pop(0)]
                else:
                    batch = [job for job in queue[:size] if not job.alone]
                    queue[:] = [job for job in queue if job not in batch]
            if not batch:
                return
            finished, again = run_batch(batch, settings)
            with lock:
                runs.update(finished)
                queue.extend(again)
                done(len(finished))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(max(1, parallel))]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    except BaseException:  # Ctrl-C: the batches run in sessions of their own, end them too
        for process, events in list(_RUNNING.items()):
            _kill(process, events)
        raise
    return runs


def run_batch(batch: list[Job], settings: Settings) -> tuple[dict[Hashable, Run], list[Job]]:
    """Run one batch in one pytest process. Returns (key -> Run for the notebooks that ran or
    broke, jobs to run again because the batch broke down before they started)."""
    folder = Path(tempfile.mkdtemp(prefix="rnn-course-grade-"))
    if settings.engine is not None and settings.engine.user:  # kernels as that user, no
        folder.chmod(0o711)  # sandbox: they must reach their folder (nothing else here)
    try:
        paths = _write_batch(folder, batch)
        events, broken = _run_pytest(folder, paths, settings)
        return _collect(batch, events, broken)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_batch(folder, batch):
    """Each notebook in its own folder nb<i> (its kernel's working directory)."""
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    paths = []
    for index, job in enumerate(batch):
        (folder / f"nb{index}").mkdir()
        path = folder / f"nb{index}" / job.filename
        path.write_text(json.dumps(job.notebook), encoding="utf-8")
        paths.append(path)
    return paths


def pytest_command(folder: Path, paths: list[Path], settings: Settings,
                   results_fd: "int | None" = None) -> list[str]:
    """The nbval command line (also used by the benchmark, without results_fd)."""
    command = [
        sys.executable, "-m", "pytest", "-c", str(folder / "pytest.ini"), "--rootdir", str(folder),
        "-p", "no:cacheprovider", "-q", "--no-header", "--color=no",
        "--continue-on-collection-errors", "--nbval", "--nbval-current-env",
        f"--nbval-cell-timeout={settings.timeout}",
        f"--nbval-kernel-startup-timeout={settings.startup_timeout}",
        f"--nbval-sanitize-with={NBVAL_SANITIZE_FILE}",
    ]
    if results_fd is not None:  # the grader's plugin, loaded before nbval (see its header)
        command += ["-p", "rnn_course.grading.plugin", f"--grade-results-fd={results_fd}"]
        if settings.engine is not None:
            command += [f"--grade-sandbox={_sandbox_file(folder, settings)}"]
        else:
            command += [f"--grade-memory={settings.memory}"]
    return command + ["-p", "nbval.plugin"] + [str(path) for path in paths]


def kernel_limits(settings: Settings) -> "Limits":
    """The hard limits and the user of every kernel of this run (settings.engine is set)."""
    from rnn_course.grading.sandbox import Limits, own_user, process_limit

    user = Limits.user if settings.engine.contained else settings.engine.user
    return own_user(Limits(memory=settings.memory, user=user, processes=process_limit()), 0)


def _sandbox_file(folder, settings):
    """The sandbox settings for the plugin, as a JSON file in the batch folder."""
    limits = dataclasses.asdict(kernel_limits(settings))
    path = folder / "sandbox.json"
    path.write_text(json.dumps({"engine": dataclasses.asdict(settings.engine), "limits": limits,
                                "course_dir": str(settings.course_dir),
                                "tasks_file": str(settings.tasks_file or "")}),
                    encoding="utf-8")
    return path


def kernel_environment(settings: Settings) -> dict[str, str]:
    """The environment of the pytest process and, through it, of the kernels."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTEST_", "COV_CORE_"))}
    env.update({name: "1" for name in THREAD_VARIABLES})
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # only nbval and ours: faster, predictable
    env["MALLOC_ARENA_MAX"] = "2"  # glibc's per-thread arenas would eat the address space
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    if settings.package_root:  # the grader's own process: the course's real rnn_utils
        env["PYTHONPATH"] = os.pathsep.join(
            [str(settings.package_root)] + [p for p in [env.get("PYTHONPATH")] if p])
    return env


def _run_pytest(folder, paths, settings):
    """Run pytest on the batch; returns (events, reason the run broke down or None)."""
    read_end, write_end = os.pipe()
    log = tempfile.TemporaryFile()  # pytest's own output: only read when pytest breaks down
    try:
        process = subprocess.Popen(
            pytest_command(folder, paths, settings, results_fd=write_end),
            cwd=folder, env=kernel_environment(settings), stdin=subprocess.DEVNULL,
            stdout=log, stderr=subprocess.STDOUT, pass_fds=(write_end,), start_new_session=True)
        os.close(write_end)
        write_end = None
        events = _RUNNING[process] = []
        broken = _read_events(read_end, settings, events)
        if broken:
            _kill(process, events)
        code = _wait(process, events)
        if broken is None and code not in (0, 1):
            broken = _crash_reason(code, log)
        return events, broken
    finally:
        _RUNNING.pop(locals().get("process"), None)
        os.close(read_end)
        if write_end is not None:
            os.close(write_end)
        log.close()


def _read_events(fd, settings, events):
    """Append the events to ``events`` until end of file. Returns None, or why the batch must
    be stopped: "timeout" when the writer fell silent for longer than the silence limit,
    "budget" when one notebook ran longer than its wall-clock budget.

    Total: a line that is not a JSON object with a known event is dropped, and a line longer
    than MAX_EVENT_BYTES is cut off and dropped, so that nothing written on the channel can
    stop this reader.
    """
    buffer, started, heard = b"", None, False
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            now = time.monotonic()
            wait = settings.silence_limit + (0 if heard else PYTEST_START)
            if started is not None and settings.notebook_timeout:
                wait = min(wait, started + settings.notebook_timeout - now)
                if wait <= 0:
                    return "budget"
            if not selector.select(timeout=wait):
                return "budget" if started is not None and settings.notebook_timeout and \
                    time.monotonic() >= started + settings.notebook_timeout else "timeout"
            chunk = os.read(fd, 2**20)
            if not chunk:
                return None
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            if len(buffer) > MAX_EVENT_BYTES:
                buffer = b""
            for line in lines:
                event = parse_event(line)
                if event is not None:
                    heard = True
                    events.append(event)
                    if event["event"] == "start":
                        started = time.monotonic()
                    elif event["event"] == "done":
                        started = None


EVENT_KINDS = ("start", "cell", "result", "kernel", "done", "record")
_NOTEBOOK_NAME = re.compile(r"^nb\d{1,6}$")


def parse_event(line: bytes) -> "dict[str, Any] | None":
    """The event a line of the result channel holds, or None when it holds none."""
    if not line.strip() or len(line) > MAX_EVENT_BYTES:
        return None
    try:
        event = json.loads(line)
    except (ValueError, RecursionError, MemoryError):
        return None
    if not isinstance(event, dict) or event.get("event") not in EVENT_KINDS:
        return None
    if "notebook" in event and not (isinstance(event["notebook"], str)
                                    and _NOTEBOOK_NAME.match(event["notebook"])):
        return None
    if event["event"] == "result" and not _is_result(event):
        return None
    return event


_RESULT_FIELDS = {"cell": str, "phase": str, "passed": bool, "stdout": str, "timed_out": bool,
                  "kernel_alive": bool, "message": str}


def _is_result(event):
    return all(isinstance(event.get(key), kind) for key, kind in _RESULT_FIELDS.items()) and \
        all(event.get(key) is None or isinstance(event.get(key), str)
            for key in ("exception", "ename", "evalue"))


def _kill(process, events):
    """Kill the batch: the running kernel's process group (a kernel is a session leader, and
    the student's code may have started processes of its own), then pytest's. A kernel pid is
    only trusted when that process is still a child of this batch's pytest process."""
    pids = [event.get("pid") for event in events if event["event"] == "kernel"]
    for pid in pids[-1:]:
        if isinstance(pid, int) and pid > 1 and _parent_of(pid) == process.pid:
            kill_group(pid)
    kill_group(process.pid)


def _parent_of(pid):
    """The parent pid of ``pid`` (from /proc), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            text = handle.read().decode("ascii", "replace")
        return int(text.rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def kill_group(pid: int) -> None:
    """SIGKILL to the process group of ``pid`` (a session leader: a kernel, a batch's pytest)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _wait(process, events):
    """pytest's exit status; a pytest that does not exit after its last event is killed."""
    try:
        return process.wait(timeout=WATCHDOG_SLACK)
    except subprocess.TimeoutExpired:
        _kill(process, events)
        return process.wait()


def _crash_reason(code, log):
    """One line on why pytest broke down: its exit status and the last line it printed."""
    log.seek(0)
    lines = [line.strip() for line in log.read().decode("utf-8", "replace").splitlines()
             if line.strip()]
    last = f": {lines[-1][:200]}" if lines else ""
    status = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
    return f"the grading process stopped ({status}){last}"


def _collect(batch, events, broken):
    """Sort the events by notebook. A notebook that started but did not finish is charged with
    the breakdown. One that never started is never charged for a classmate's: it is returned
    to be run again, in a batch of its own; only a batch of one that breaks down before its
    notebook starts charges that notebook (the breakdown is then its own)."""
    runs = [Run() for _ in batch]
    started, finished = set(), set()
    for event in events:
        index = int(event["notebook"][2:]) if "notebook" in event else None
        if index is None or index >= len(batch):
            continue
        if event["event"] == "start":
            started.add(index)
        elif event["event"] == "done":
            finished.add(index)
        elif event["event"] == "result":
            runs[index].results[event["cell"]] = event
        elif event["event"] == "record" and isinstance(event.get("cell"), str):
            runs[index].records[event["cell"]] = event.get("record")
    result, again = {}, []
    for index, job in enumerate(batch):
        run = runs[index]
        if index not in finished and index not in started and len(batch) > 1:
            job.alone = True
            again.append(job)
            continue
        if index not in finished:
            run.broken = BROKEN_WORDS.get(broken, broken) or \
                "the grading process stopped before the end of the notebook"
            run.timed_out = broken in ("timeout", "budget")
        result[job.key] = run
    return result, again
