"""A pytest plugin for the grader's nbval runs: reports every cell's result to the grader.

``rnn-course grade`` runs ``python -m pytest -p rnn_course.grading.plugin -p nbval.plugin --nbval``
on a batch of composed notebooks (each in its own folder, each run by nbval in its own kernel).
This plugin, loaded into that pytest process:
- writes one JSON line per event to a pipe the grader passed (``--grade-results-fd``): a
  notebook starts, a cell starts (the grader's watchdog sees progress), a cell's result (with
  the error's ename and evalue, the printed text, whether the kernel timed out or died), the
  kernel's pid, a notebook is done. A pipe rather than a file: the student's code runs as the
  same user but does not inherit the pipe, and cannot delete it;
- limits the address space (``--grade-memory``), which every kernel started from here inherits;
- gives each notebook's kernel its own IPYTHONDIR, so that no IPython start-up file or history
  passes from one notebook to the next;
- makes nbval notice a dead kernel within a second instead of waiting for the cell timeout.
"""

import json
import os
import resource
import sys
import time
from collections.abc import Generator
from pathlib import Path
from queue import Empty
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pytest

from rnn_course.grading.kernel.harness import receive_exactly

if TYPE_CHECKING:
    from jupyter_client.blocking.client import BlockingKernelClient

# Importing this module imports rnn_course.grading first, whose __init__ keeps jsonschema from
# building rfc3987_syntax's grammar in this pytest process too (loaded with -p before nbval).

MAX_TEXT = 4000  # characters of an error value or printed text passed on to the feedback


class KernelDied(RuntimeError):
    """The kernel process ended while a cell was running."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("rnn-course grade")
    group.addoption("--grade-results-fd", type=int, default=None,
                    help="file descriptor to write the cells' results to (JSON lines)")
    group.addoption("--grade-memory", type=int, default=0,
                    help="address-space limit in bytes for this process and its kernels")
    group.addoption("--grade-sandbox", default=None,
                    help="JSON file: the sandbox engine, limits and course folder of the kernels")


def pytest_configure(config: pytest.Config) -> None:
    fd = config.getoption("grade_results_fd")
    if fd is None:
        return
    config._grade_channel = os.fdopen(fd, "w", encoding="utf-8")
    config._grade_notebook = None
    limit = config.getoption("grade_memory")
    if limit:
        _limit_memory(limit)
    sandbox = config.getoption("grade_sandbox")
    if sandbox:
        _start_kernels_in_sandboxes(sandbox)
    _watch_kernel_death()


def _start_kernels_in_sandboxes(settings_file):
    """Make nbval start every kernel through sandbox.kernel_command: in a sandbox of its
    own, talking over Unix sockets in the notebook's folder (the only host folder it sees)."""
    import nbval.kernel
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import KernelManager

    from rnn_course.grading import cgroups, sandbox

    with open(settings_file, encoding="utf-8") as handle:
        settings = json.load(handle)
    engine = sandbox.Engine(**settings["engine"])
    base_limits = sandbox.Limits(**settings["limits"])

    class SandboxSpecs(nbval.kernel.NbvalKernelspecManager):
        argv = None

        env = {}

        def get_kernel_spec(self, kernel_name):
            return KernelSpec(argv=self.argv, display_name="sandboxed", language="python",
                              interrupt_mode="message", env=self.env)

    tasks = _load_tasks(settings.get("tasks_file"))

    serials = iter(range(2**31))

    def start_new_kernel(startup_timeout=60, kernel_name="python", **kwargs):
        serial = next(serials)
        limits = sandbox.own_user(base_limits, serial)  # as root: a uid of its own
        group = cgroups.make(f"{os.getpid()}-{serial}", limits.memory, limits.processes)
        watch = None if group else cgroups.watch_memory(limits.user, limits.memory)
        socket_dir = Path(kwargs.get("cwd") or ".") / "kernel"
        socket_dir.mkdir(mode=0o700, exist_ok=True)
        server_socket = socket_dir / "cases"
        SERVERS[socket_dir.parent.name] = CaseServer(server_socket, tasks, limits.user)
        specs = SandboxSpecs()
        km = KernelManager(kernel_name=kernel_name, kernel_spec_manager=specs)
        km.transport, km.ip = "ipc", str(socket_dir / "k")
        km.connection_file = str(socket_dir / "kernel.json")
        km.write_connection_file()
        inside = sandbox.hand_over(engine, socket_dir, km.connection_file, limits)
        specs.argv = sandbox.kernel_command(
            engine, limits, socket_dir, settings["course_dir"],
            [sys.executable, "-m", "ipykernel_launcher", "-f", inside],
            groups=group.procs_files if group else ())
        specs.env = {} if engine.contained else {  # no sandbox: the kernel's view, by variables
            "PYTHONPATH": settings["course_dir"], "RNN_GRADE_SOCKET": str(server_socket),
            **_home_of(limits.user, socket_dir.parent)}
        km.start_kernel(**kwargs)
        _end_leftovers_at_shutdown(km, limits.user, group, watch)
        kc = km.client()
        kc.start_channels()
        try:
            wait_until_ready(kc, startup_timeout)
            sandbox.seal(socket_dir)
        except RuntimeError:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
            raise
        return km, kc

    nbval.kernel.start_new_kernel = start_new_kernel


def _end_leftovers_at_shutdown(km, user, group, watch=None):
    """nbval's shutdown of a grading kernel, at once: the kernel's process group is killed and
    waited for (jupyter_client would first interrupt it, then poll its end every 0.1 s: a
    grading kernel has nothing to save), its files are removed, and whatever its user or its
    control group still runs goes too (without a sandbox, a process in a session of its own
    would outlive its kernel's process group); the group is removed."""
    from rnn_course.grading import sandbox
    from rnn_course.grading.run import kill_group

    def shutdown_at_once(*args, **kwargs):
        try:
            process = getattr(km.provisioner, "process", None)
            if process is not None and process.poll() is None:
                kill_group(process.pid)
                process.wait()
            km.cleanup_resources()
        finally:
            if watch is not None:
                watch.stop()
            sandbox.end_processes_of(user)
            if group is not None:
                group.end()

    km.shutdown_kernel = shutdown_at_once


def wait_until_ready(kc: "BlockingKernelClient", timeout: float) -> None:
    """The kernel answers on its shell channel and its IOPub channel is connected and drained,
    without jupyter_client's fixed waits (wait_for_ready waits for 0.2 s of silence on IOPub
    after the reply, in every start): a kernel_info request is sent until it is answered and
    its own "idle" status is seen on IOPub, after every earlier IOPub message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        request = kc.kernel_info()
        if _reply_and_idle(kc, request, min(1.0, deadline - time.monotonic())):
            return
        if not kc.is_alive():
            raise RuntimeError("Kernel died before replying to kernel_info")
    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")


def _reply_and_idle(kc, request, wait):
    """Whether the reply to ``request`` and its idle status arrive within ``wait`` seconds
    (IOPub drops what is published before it connects: then the status never comes)."""
    end, replied = time.monotonic() + wait, False
    while time.monotonic() < end:
        try:
            if not replied:
                message = kc.get_shell_msg(timeout=max(0.01, end - time.monotonic()))
                replied = message["parent_header"].get("msg_id") == request
                continue
            message = kc.get_iopub_msg(timeout=max(0.01, end - time.monotonic()))
        except Empty:
            return False
        if message["parent_header"].get("msg_id") == request and \
                message["msg_type"] == "status" and \
                message["content"].get("execution_state") == "idle":
            return True
    return False


def _home_of(user, folder):
    """Without a sandbox, a kernel run as another user gets a home it can write."""
    if not (os.geteuid() == 0 and user):
        return {}
    home = folder / "home"
    home.mkdir(mode=0o700, exist_ok=True)
    os.chown(home, user, user)
    return {"HOME": str(home), "MPLCONFIGDIR": str(home), "IPYTHONDIR": str(home / ".ipython")}


def _limit_memory(limit):
    """RLIMIT_AS for this process; kernels started later inherit it."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


SERVERS = {}  # notebook folder name -> its CaseServer


def _load_tasks(path):
    """function -> the check's cases and what may be served during it (see grading/judge.py)."""
    from types import SimpleNamespace

    if not path:
        return {}
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    tasks = {}
    for name, task in data.items():
        sizes = [len(json.dumps(case)) for case in task["cases"]] or [0]
        tasks[name] = SimpleNamespace(
            encoded=task["cases"], helpers=tuple(task["helpers"]),
            callables=tuple(task["callables"]),
            # what the check's own data can need: a record holds every case's arguments and
            # outputs; a helper call, the arguments of about one case
            frame_limit=4 * sum(sizes) + 2**20, call_limit=2 * max(sizes) + 2**16)
    return tasks


class CaseServer:
    """The grader's end of one notebook's socket: it gives the kernel the cases of the check
    being run, serves the helpers that check allows, and takes the kernel's outputs. It knows
    which check runs from nbval's progress (``current``), never from the kernel."""

    MAX_MESSAGE = 32 * 2**20
    MAX_CONNECTIONS = 4  # at a time; the harness needs one

    def __init__(self, path: "Path | str", tasks: dict[str, SimpleNamespace], user: int) -> None:
        import socket
        import threading

        self.tasks, self.current, self.records = tasks, None, {}
        self.slots = threading.BoundedSemaphore(self.MAX_CONNECTIONS)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(path))
        if os.geteuid() == 0 and user:  # the kernel's group may connect; root owns it
            os.chown(path, 0, user)
            os.chmod(path, 0o660)
        self.listener.listen(8)
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        import threading

        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            if not self.slots.acquire(blocking=False):  # a flood of connections: refused
                connection.close()
                continue
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection):
        with connection:
            try:
                while self._answer_one(connection):
                    pass
            except Exception:  # noqa: BLE001 -- a broken or hostile peer ends its connection
                pass
            finally:
                self.slots.release()

    def _answer_one(self, connection):
        """Answer one frame. Nothing the kernel sends is parsed unless a check runs and the
        frame is no larger than that check's own data can need: such a frame is read in small
        pieces and dropped, and answered with an error (the lesson's cells between two checks
        may ask for a reference function: they get the error they always got); a frame over
        MAX_MESSAGE closes the connection."""
        import struct

        size = struct.unpack(">I", receive_exactly(connection, 4))[0]
        if size > self.MAX_MESSAGE:
            return False
        current = self.current
        task = self.tasks.get(current[1]) if current else None
        limit = getattr(task, "frame_limit", 0)
        if task is None or size > limit:
            _drop(connection, size)
            answer = {"error": "no check is running" if task is None else "a message far "
                      "larger than this check's cases", "kind": "unavailable"}
            connection.sendall(struct.pack(">I", len(json.dumps(answer)))
                               + json.dumps(answer).encode("utf-8"))
            return True
        message = json.loads(receive_exactly(connection, size))
        if isinstance(message, dict) and message.get("op") == "call" and \
                size > getattr(task, "call_limit", limit):
            answer = {"error": "a helper was called with arguments far larger than this "
                      "check's cases", "kind": "error"}
        else:
            answer = self.answer(message)
        body = json.dumps(answer).encode("utf-8")
        connection.sendall(struct.pack(">I", len(body)) + body)
        return True

    def answer(self, message: Any) -> dict[str, Any]:
        from rnn_course.grading import judge

        current = self.current
        if current is None or not isinstance(message, dict):
            return {"error": "no check is running", "kind": "unavailable"}
        cell, function = current
        task = self.tasks.get(function)
        if task is None:
            return {"error": f"no cases for {function}", "kind": "unavailable"}
        if message.get("op") == "cases":
            return {"cases": task.encoded, "helpers": list(task.helpers)}
        if message.get("op") == "call":
            return judge.serve_call(task, str(message.get("name")), message.get("args"),
                                    message.get("keywords"))
        if message.get("op") == "record":
            self.records.setdefault(cell, message.get("record"))
            return {"status": "outputs handed in to the grader"}
        return {"error": "unknown request", "kind": "unavailable"}

    def close(self) -> None:
        self.current = None
        self.listener.close()




def _drop(connection, size):
    """Read ``size`` bytes from ``connection`` and keep none of them."""
    while size > 0:
        size -= len(receive_exactly(connection, min(size, 2**16)))


def _watch_kernel_death():
    """Replace nbval's wait for a cell's reply by one that also checks, every second, that the
    kernel is alive: without it a kernel killed by os._exit costs the whole cell timeout."""
    from nbval.kernel import RunningKernel

    def await_reply(self, msg_id, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            wait = 1.0 if deadline is None else min(1.0, deadline - time.monotonic())
            if wait <= 0:
                raise Empty
            try:
                msg = self.get_message(stream="shell", timeout=wait)
            except Empty:
                if not self.is_alive():
                    raise KernelDied("the kernel died") from None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                if msg["content"]["status"] == "aborted":
                    raise RuntimeError("Kernel aborted execution request")
                return

    RunningKernel.await_reply = await_reply


def _send(config, **event):
    channel = getattr(config, "_grade_channel", None)
    if channel is not None:
        channel.write(json.dumps(event) + "\n")
        channel.flush()


def _is_cell(item):
    return hasattr(item, "cell_num") and hasattr(item.parent, "kernel")


def _notebook_of(item):
    """The notebook's folder name (the grader names each folder after its job)."""
    return item.path.parent.name


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, None, None]:
    config = item.config
    if _is_cell(item):
        notebook = _notebook_of(item)
        if config._grade_notebook != notebook:
            config._grade_notebook = notebook
            # the kernel's working folder, again if an earlier notebook's code deleted it
            item.path.parent.mkdir(parents=True, exist_ok=True)
            os.environ["IPYTHONDIR"] = str(item.path.parent.parent / f"{notebook}.ipython")
            _send(config, event="start", notebook=notebook)
        _send(config, event="cell", notebook=notebook, cell=item.cell.get("id"))
        item._grade_timed_out_before = bool(getattr(item.parent, "timed_out", False))
    yield
    server = SERVERS.get(_notebook_of(item)) if _is_cell(item) else None
    if server is not None:
        function = item.cell.get("metadata", {}).get("rnn_course_grade", {}).get("function")
        server.current = (item.cell.get("id"), function) if function else None
    kernel = getattr(item.parent, "kernel", None)
    if _is_cell(item) and kernel is not None and not getattr(item.parent, "_grade_pid", None):
        provisioner = getattr(getattr(kernel, "km", None), "provisioner", None)
        item.parent._grade_pid = getattr(provisioner, "pid", None)
        _send(config, event="kernel", notebook=_notebook_of(item), pid=item.parent._grade_pid)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: "pytest.CallInfo[None]") -> Generator[None, None, None]:
    yield
    if not _is_cell(item) or call.when == "teardown" or (call.when == "setup" and not call.excinfo):
        return
    server = SERVERS.get(_notebook_of(item))
    if server is not None:
        server.current = None  # nothing handed in after its cell counts
    _send(item.config, event="result", **_result(item, call))
    record = server.records.pop(item.cell.get("id"), None) if server is not None else None
    if record is not None:
        _send(item.config, event="record", notebook=_notebook_of(item),
              cell=item.cell.get("id"), record=record)


def _result(item, call):
    """What the grader needs to know about one cell's run."""
    outputs = getattr(item, "test_outputs", None) or []
    errors = [o for o in outputs if o.get("output_type") == "error"]
    stdout = "".join(o.get("text", "") for o in outputs
                     if o.get("output_type") == "stream" and o.get("name") == "stdout")
    kernel = getattr(item.parent, "kernel", None)
    exception = call.excinfo.value if call.excinfo else None
    return {
        "notebook": _notebook_of(item),
        "cell": item.cell.get("id"),
        "phase": call.when,
        "passed": call.excinfo is None,
        "exception": type(exception).__name__ if exception is not None else None,
        "message": str(exception)[:MAX_TEXT] if exception is not None else "",
        "ename": errors[0].get("ename") if errors else None,
        "evalue": (errors[0].get("evalue") or "")[:MAX_TEXT] if errors else None,
        "stdout": stdout[:MAX_TEXT],
        "timed_out": bool(getattr(item.parent, "timed_out", False))
        and not getattr(item, "_grade_timed_out_before", False),
        "kernel_alive": bool(kernel is not None and kernel.is_alive()),
    }


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item,
                            nextitem: "pytest.Item | None") -> Generator[None, None, None]:
    yield
    if _is_cell(item) and (nextitem is None or nextitem.parent is not item.parent):
        server = SERVERS.pop(_notebook_of(item), None)
        if server is not None:
            server.close()
        _send(item.config, event="done", notebook=_notebook_of(item))
