"""Hostile students against the sandbox: each reaches beyond its kernel, and must not get there.

One class, graded once under bubblewrap (lesson 01, two jobs). Every attack is bounded in time,
memory and disk, and every attack that aims beyond its kernel first checks that its target lies
inside this test's temporary folder (BASE), where the grader's own temporary folders are too
(``tempfile.tempdir`` points there while grading). An attack that succeeds makes the student's
otherwise correct function return None, so it shows as a failed row.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from support.course import ROOT
from support.lesson01 import ANSWER, FILE, graded, in_function, tree_hash, write_class

from rnn_course.grading.batch import grade
from rnn_course.grading.sandbox import EngineError, probe

MARKER = "rnn-course-survivor-marker"

try:
    probe("bwrap")
    HAVE_BWRAP = True
except EngineError:
    HAVE_BWRAP = False

pytestmark = pytest.mark.skipif(not HAVE_BWRAP, reason="bubblewrap does not work here")


def guarded(base, body):
    """``body`` (code using BASE) run only where BASE, the test's folder, is the target."""
    return f"BASE = {str(base)!r}\nimport os\n" + body


def attacks(base, port):
    """student -> code run first thing in a correct rnn_cell_forward; None when it succeeds."""
    return {
        "network": f"""
import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    return None
except OSError:
    pass
""",
        "reads_classmates_and_solutions": guarded(base, f"""
seen = [p for p in (BASE, os.path.join(BASE, "class", "a_correct", {FILE!r}),
                    {str(ROOT / "solutions")!r}, {str(ROOT / "rnn_utils")!r}) if os.path.exists(p)]
if seen:
    return None
"""),
        "writes_the_course": guarded(base, f"""
import rnn_utils
target = os.path.realpath(os.path.join(os.path.dirname(rnn_utils.__file__), "__init__.py"))
# only the grader's copy of the course for kernels: /course in a sandbox (a folder under
# BASE on the host), or a folder under BASE without one; never the checkout itself
if target.startswith((BASE, "/course/")) and not target.startswith({str(ROOT)!r}):
    try:
        with open(target, "a") as handle:
            handle.write("raise SystemExit('planted')\\n")
        return None
    except OSError:
        pass
"""),
        "raises_its_memory_limit": """
import resource
try:
    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    return None
except (ValueError, OSError):
    pass
""",
        "kills_the_grader": guarded(base, """
import signal
for pid in os.listdir("/proc"):
    if pid.isdigit() and int(pid) != os.getpid():
        try:
            if os.readlink(f"/proc/{pid}/cwd").startswith(BASE):
                os.kill(int(pid), signal.SIGKILL)
        except OSError:
            pass
"""),
        "plants_startup_files": guarded(base, """
for folder, _, _ in os.walk(BASE):
    try:
        os.makedirs(os.path.join(folder, "profile_default", "startup"), exist_ok=True)
        with open(os.path.join(folder, "profile_default", "startup", "00.py"), "w") as f:
            f.write("raise SystemExit('planted')\\n")
    except OSError:
        pass
"""),
        "forges_results_for_classmates": guarded(base, """
import json
lines = "".join(json.dumps({"event": "record", "notebook": f"nb{k}",
                            "cell": "check_rnn_cell_forward", "record": {"missing": True}})
                + "\\n" for k in range(8)).encode()
for pid in os.listdir("/proc"):
    try:
        if not (pid.isdigit() and os.readlink(f"/proc/{pid}/cwd").startswith(BASE)):
            continue
        for fd in os.listdir(f"/proc/{pid}/fd"):
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("pipe:"):
                with open(f"/proc/{pid}/fd/{fd}", "wb", buffering=0) as pipe:
                    pipe.write(lines)
    except OSError:
        pass
"""),
        "fills_its_socket_folder": """
import glob, os
if os.stat("/grader/kernel").st_uid == 0:  # the grader runs as root: the folder is sealed
    for folder in ["/grader/kernel", *glob.glob("/grader/*")]:
        try:
            with open(os.path.join(folder, "filler"), "wb") as handle:
                handle.write(b"x" * 1000)
            return None
        except OSError:
            pass
""",
        "grows_a_file_in_its_socket_folder": """
import os
if os.stat("/grader/kernel").st_uid == 0:  # sealed: nothing in it is the kernel's to write
    for name in ("kernel-inside.json", "kernel.json", "cases", "k-1", "k-2", "k-3"):
        try:
            with open(os.path.join("/grader/kernel", name), "ab") as handle:
                handle.write(b" " * 1000)
            return None
        except OSError:
            pass
""",
        "leaves_a_process": f"""
import subprocess, sys
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)  # {MARKER}"],
                 start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
""",
        "forks_without_end": """
import threading, time
count = 0
try:
    for count in range(2000):
        threading.Thread(target=time.sleep, args=(3,), daemon=True).start()
    return None
except RuntimeError:
    pass
""",
    }


def once(code):
    """``code`` run on the first call only (the check calls the function once per case)."""
    body = "".join(f"    {line}\n" for line in code.strip("\n").splitlines())
    return ("import builtins\nif not getattr(builtins, '_attacked', False):\n"
            "    builtins._attacked = True\n" + body)


def survivors():
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                if MARKER.encode() in handle.read() and int(pid) != os.getpid():
                    found.append(int(pid))
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def sandboxed(tmp_path_factory):
    base = tmp_path_factory.mktemp("sandbox")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    connections, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connections.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    students = {"a_correct": {FILE: graded(ANSWER)}, "z_correct": {FILE: graded(ANSWER)}}
    for name, code in attacks(base, listener.getsockname()[1]).items():
        students[name] = {FILE: graded(in_function(once(code)))}
    write_class(base / "class", students)
    before = tree_hash(base / "class")
    saved, tempfile.tempdir = tempfile.tempdir, str(base / "grader-tmp")
    os.makedirs(tempfile.tempdir)
    try:
        rows = grade(base / "class", base / "out", ROOT, jobs=2, timeout=20, lessons=["01"],
                     sandbox=os.environ.get("RNN_COURSE_TEST_SANDBOX", "bwrap"))
    finally:
        tempfile.tempdir = saved
        stop.set()
        thread.join()
        listener.close()
    left = survivors()
    for pid in left:  # our own marker processes, should the test fail
        os.kill(pid, 9)
    yield {"rows": {r["student"]: r for r in rows}, "connections": len(connections),
           "unchanged": before == tree_hash(base / "class"), "survivors": left, "base": base}
    shutil.rmtree(base, ignore_errors=True)


def test_every_attack_fails_and_every_student_is_graded(sandboxed):
    rows = sandboxed["rows"]
    wrong = {name: row["message"] for name, row in rows.items() if row["status"] != "passed"}
    assert wrong == {}
    assert sandboxed["unchanged"]


def test_no_network(sandboxed):
    assert sandboxed["connections"] == 0


def test_nothing_outlives_the_grading(sandboxed):
    assert sandboxed["survivors"] == []


def test_no_startup_file_was_planted_outside_a_kernel(sandboxed):
    planted = list(Path(sandboxed["base"]).rglob("profile_default"))
    assert planted == []


def test_an_environment_under_tmp_is_mounted_over_the_private_tmp(monkeypatch):
    """A checkout (and its .venv) under /tmp, as a CI runner may clone it: the private /tmp of
    the sandbox must not hide the Python the kernel runs with."""
    import sys

    from rnn_course.grading import sandbox as grade_sandbox

    monkeypatch.setattr(sys, "prefix", "/tmp/checkout/.venv")
    command = grade_sandbox.kernel_command(
        probe("bwrap"), grade_sandbox.Limits(), "/tmp/sockets", "/tmp/checkout", ["python"])
    tmpfs = next(i for i, item in enumerate(command) if item == "/tmp" and
                 command[i - 1] == "--tmpfs")
    venv = command.index("/tmp/checkout/.venv")
    assert command[venv - 1] == "--ro-bind" and venv > tmpfs


def test_every_environment_the_python_links_through_is_mounted(tmp_path, monkeypatch):
    """A virtual environment made from another one (Python 3.10 links bin/python to the other
    environment's, not to the interpreter): the kernel must find every link's folder."""
    from rnn_course.grading import sandbox as grade_sandbox

    first, second = tmp_path / "first" / "bin", tmp_path / "second" / "bin"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    (second / "python").symlink_to(os.path.realpath(sys.executable))
    (first / "python").symlink_to("../../second/bin/python")  # relative, as venv may write
    real = os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))
    monkeypatch.setattr(sys, "executable", str(first / "python"))
    command = grade_sandbox.kernel_command(
        probe("bwrap"), grade_sandbox.Limits(), "/tmp/sockets", "/tmp/course", ["python"])
    mounted = {command[i + 1] for i, item in enumerate(command) if item == "--ro-bind"}
    assert {str(tmp_path / "first"), str(tmp_path / "second"), real} <= mounted


ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="kernels run as another user only "
                               "when the grader is root")


@ROOT_ONLY
def test_kernels_that_cannot_start_stop_the_grader_before_anything_is_graded(tmp_path):
    """The Python environment inside a folder only its owner may enter (a clone in a 0700
    home): kernels run as another user cannot start. The grader says so and stops (exit 2 on
    the command line), instead of grading a class of zeros."""
    from support.environments import fresh_environment

    private = tmp_path / "home"
    private.mkdir(mode=0o700)
    python, _ = fresh_environment(private / "venv")
    write_class(tmp_path / "class", {"ann": {FILE: graded(ANSWER)}})
    script = ("import sys\nfrom rnn_course.grading.batch import grade\n"
              "from rnn_course.grading.sandbox import Engine, EngineError\n"
              "try:\n    grade(sys.argv[1], sys.argv[2], sys.argv[3], lessons=['01'],\n"
              "          sandbox=Engine('none', user=65533))\n"
              "except EngineError as error:\n    print(error)\n    sys.exit(2)\n")
    result = subprocess.run([str(python), "-c", script, str(tmp_path / "class"),
                             str(tmp_path / "out"), str(ROOT)], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert result.returncode == 2, result.stderr[-2000:]
    assert re.search(r"the grading kernels cannot start: run as uid \d+", result.stdout)
    assert "0700" in result.stdout and not (tmp_path / "out" / "grades.csv").exists()


@ROOT_ONLY
def test_the_start_check_passes_where_kernels_do_start():
    from rnn_course.grading.course import kernel_course, load_course
    from rnn_course.grading.sandbox import Engine, Limits, check_kernels_can_start

    reachable = Path(tempfile.mkdtemp(prefix="rnn-course-test-"))  # not under 0700 tmp_path
    try:
        reachable.chmod(0o755)
        (reachable / "course").mkdir()
        course = kernel_course(load_course(ROOT, ["01"]), reachable / "course")
        check_kernels_can_start(probe("bwrap"), Limits(), course)  # raises if not
        # without a sandbox as another user (Gradescope's fallback): the positive case runs in
        # tests/platforms/test_gradescope.py's container, where the Python is reachable
        with pytest.raises(EngineError, match="cannot start: run as uid 65533"):
            reachable.chmod(0o700)  # the course folder behind a folder of root's only
            check_kernels_can_start(Engine("none", user=65533), Limits(user=65533), course)
    finally:
        shutil.rmtree(reachable)


HOLD_EVERY_TASK = """
import sys, threading, time
held = threading.Event()
count = 0
try:
    while count < 10000:
        threading.Thread(target=held.wait, daemon=True).start()
        count += 1
except RuntimeError:
    pass
print("holding", count, flush=True)
time.sleep(60)
"""
START_TWENTY_THREADS = """
import threading
threads = [threading.Thread(target=lambda: None) for _ in range(20)]
for thread in threads:
    thread.start()
print("started 20")
"""


def _in_sandbox(limits, folder, code, groups=()):
    """``code`` run by the sandbox's Python as a kernel is started, with ``limits``."""
    from rnn_course.grading import sandbox as grade_sandbox

    sockets = folder / f"sockets-{limits.user}"
    sockets.mkdir(mode=0o777, exist_ok=True)
    sockets.chmod(0o777)
    course = folder / "course"
    course.mkdir(exist_ok=True)
    course.chmod(0o755)
    command = grade_sandbox.kernel_command(probe("bwrap"), limits, sockets, course,
                                           [sys.executable, "-c", code], groups=groups)
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


@ROOT_ONLY
def test_no_kernel_can_spend_a_classmates_process_budget(tmp_path):
    """A kernel that holds every task its limit allows, and a classmate's kernel started while
    it does: each kernel has a user of its own, so the classmate starts its threads. The
    control: two kernels sharing one user (as every kernel did before) and the classmate
    cannot."""
    from rnn_course.grading.sandbox import Limits, own_user

    base = Limits(processes=64)
    hostile, classmate = own_user(base, 0), own_user(base, 1)
    assert hostile.user != classmate.user and hostile.user >= 2**20
    for victim, should_start in ((classmate, True), (hostile, False)):
        holder = _in_sandbox(hostile, tmp_path, HOLD_EVERY_TASK)
        try:
            assert holder.stdout.readline().startswith("holding")
            done = _in_sandbox(victim, tmp_path, START_TWENTY_THREADS).communicate(timeout=60)
            assert ("started 20" in done[0]) is should_start, done[0][-500:]
        finally:
            holder.kill()
            holder.wait()


FORK_THREE_HOLDERS = """
import os, time
children = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        held = b"x" * (200 * 2**20)  # written, so resident: 200 MB in each child
        time.sleep(3)
        os._exit(0)
    children.append(pid)
codes = [os.waitpid(pid, 0)[1] for pid in children]
print("held by all three" if all(code == 0 for code in codes) else "a holder was stopped")
"""


@ROOT_ONLY
def test_memory_is_bounded_per_notebook_not_per_process(tmp_path):
    """Three processes of one kernel, each within the per-process limit (300 MB of address
    space), together over the notebook's 300 MB: its control group stops one. The control:
    the same kernel without a group holds all three (600 MB)."""
    from rnn_course.grading import cgroups
    from rnn_course.grading.sandbox import Limits, own_user

    limits = own_user(Limits(memory=300 * 2**20), 0)
    group = cgroups.make(f"test-{os.getpid()}", limits.memory, limits.processes)
    if group is None:
        pytest.skip(cgroups.available())
    try:
        for groups, expected in ((group.procs_files, "a holder was stopped"),
                                 ((), "held by all three")):
            kernel = _in_sandbox(limits, tmp_path, FORK_THREE_HOLDERS, groups=groups)
            output = kernel.communicate(timeout=120)[0]
            assert expected in output or (groups and "held by all three" not in output), output
    finally:
        group.end()


@ROOT_ONLY
def test_without_control_groups_a_watch_bounds_the_notebooks_memory(tmp_path):
    """No control group (Docker's read-only cgroup file system): the kernel's own user's
    resident memory is watched, and the three holders of the test above, 600 MB together under
    a 300 MB notebook, do not all hold. The control: without the watch they do."""
    from rnn_course.grading import cgroups
    from rnn_course.grading.sandbox import Limits, own_user

    limits = own_user(Limits(memory=300 * 2**20), 0)
    for watched in (True, False):
        kernel = _in_sandbox(limits, tmp_path, FORK_THREE_HOLDERS)
        watch = cgroups.watch_memory(limits.user, limits.memory) if watched else None
        try:
            output = kernel.communicate(timeout=120)[0]
        finally:
            if watch is not None:
                watch.stop()
        assert ("held by all three" in output) is not watched, output
        assert watch is None or watch.exceeded
