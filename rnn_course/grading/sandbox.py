"""The sandbox each grading kernel runs in: which engine, and the command that starts a kernel.

One sandbox per notebook: nbval (in the grader's pytest process, outside) starts each kernel
through ``kernel_command``, and everything the student's code starts lives and dies inside it.
With bubblewrap (``bwrap``) the kernel gets
- a new root of its own: the system's programs and libraries and the Python installation,
  read-only; the course as the grader prepared it (``rnn_utils`` without the reference
  implementations or the checks, never ``solutions/``), read-only; a private, size-limited
  /tmp, home and working folder; no SUBMISSIONS, no OUT, no other notebook's folder;
- no network (``--unshare-net``, which also hides the host's abstract Unix sockets), its own
  PID, IPC, UTS and cgroup namespaces, a new session, and ``--die-with-parent``: when the
  grader's pytest process ends or is killed, the whole sandbox goes with it;
- no capabilities, and hard resource limits (soft = hard) set by ``kernel/exec_shim.py`` before
  the kernel starts: address space, processes, file size, open files, no core files;
- an environment made from nothing (``--clearenv``): no variable of the instructor's leaks in.
The kernel talks to nbval over Unix sockets (ZeroMQ's ipc transport) in one small folder of
its own, the only host folder it can write.

``none`` runs the kernel directly, as before: the limits still apply, nothing else does.
"""

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rnn_course.errors import RnnCourseError
from rnn_course.options import ENGINE_CHOICES  # noqa: F401 -- declared once, with the options

EXEC_HELPER = Path(__file__).parent / "kernel" / "exec_shim.py"
HOME = "/home/student"
WORK = f"{HOME}/notebook"
EXEC_INSIDE = "/grader/kernel_exec.py"
SOCKETS = "/grader/kernel"  # the kernel's socket folder, inside
COURSE = "/course"  # the prepared course package inside the sandbox
TMPFS_BYTES = 256 * 2**20  # each of /tmp and the home folder
PASSED_VARIABLES = ("LANG", "LC_ALL", "NPY_DISABLE_CPU_FEATURES", "OPENBLAS_CORETYPE",
                    "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                    "MALLOC_ARENA_MAX", "PYDEVD_DISABLE_FILE_VALIDATION", "MPLBACKEND")
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
SYSTEM_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "fonts",
              "localtime", "mime.types", "nsswitch.conf")


class EngineError(RnnCourseError):
    """The sandbox engine asked for does not work here; the message says why."""


def processes_owned(owned: "Callable[[int], bool]") -> list[int]:
    """The pids of the processes whose owner's uid ``owned(uid)`` accepts (a scan of /proc)."""
    found = []
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            if owned(os.stat(f"/proc/{name}").st_uid):
                found.append(int(name))
        except OSError:
            continue
    return found


def tasks_of_user(uid: "int | None" = None) -> int:
    """How many processes and threads the user ``uid`` (default: this one) runs now: what
    RLIMIT_NPROC counts, machine-wide."""
    uid = os.getuid() if uid is None else uid
    count = 0
    for pid in processes_owned(lambda owner: owner == uid):
        try:
            count += len(os.listdir(f"/proc/{pid}/task"))
        except OSError:
            continue
    return count


def process_limit(extra: int = 512) -> int:
    """RLIMIT_NPROC for the kernels. As root, each kernel has a user of its own (own_user), who
    runs nothing else: ``extra`` tasks. Otherwise ``extra`` beyond what the grader's user runs
    already (the limit counts every task of a user, a desktop session's threads too; in
    bubblewrap's user namespace, Linux 5.14 and later count the sandbox's tasks alone)."""
    return extra if os.geteuid() == 0 else tasks_of_user(os.getuid()) + extra


KERNEL_USERS = 2**20  # as root, the kernels' own uids start here: far above any real user's
KERNELS_PER_PROCESS = 16  # serial numbers of kernels a pytest process starts, before reuse


def own_user(limits: "Limits", serial: int) -> "Limits":
    """The limits of one kernel, with a user of its own when the grader runs as root: RLIMIT_NPROC
    counts a user's tasks machine-wide, so kernels sharing a uid could exhaust each other's
    budget (and signal or trace each other). The uid is made from this process's pid (unique
    while it runs; a pytest process runs one kernel at a time) and the kernel's serial number:
    no two kernels alive on the machine share it. Not root: the limits as they are."""
    if os.geteuid() != 0 or not limits.user:
        return limits
    uid = KERNEL_USERS + os.getpid() * KERNELS_PER_PROCESS + serial % KERNELS_PER_PROCESS
    return dataclasses.replace(limits, user=uid)


def end_processes_of(user: int) -> None:
    """Kill every process of ``user`` (a kernel's own uid, root only): what a kernel run
    without namespaces left behind (a process started in a session of its own escapes its
    kernel's process group). A child becomes that user and signals everything it may."""
    if os.geteuid() != 0 or user < KERNEL_USERS:
        return
    child = os.fork()
    if child == 0:  # pragma: no cover -- runs in the child
        try:
            os.setgroups([])
            os.setgid(user)
            os.setuid(user)
            os.kill(-1, signal.SIGKILL)  # every process of this uid but the caller
        finally:
            os._exit(0)
    os.waitpid(child, 0)


@dataclass(frozen=True)
class Limits:
    """Hard limits of every process in a kernel's sandbox (0: no limit)."""

    memory: int = 2 * 2**30  # bytes of address space
    processes: int = 512  # tasks of the kernel's user (see process_limit)
    file_size: int = 256 * 2**20  # bytes of any one file written
    open_files: int = 1024
    user: int = 65534  # as root: kernels run as another user (each its own: see own_user)

    def arguments(self) -> list[str]:
        user = [f"--user={self.user}"] if os.geteuid() == 0 and self.user else []
        return [f"--as={self.memory}", f"--nproc={self.processes}",
                f"--fsize={self.file_size}", f"--nofile={self.open_files}", *user]


@dataclass(frozen=True)
class Engine:
    name: str  # "bwrap" or "none"
    program: "str | None" = None  # the engine's executable
    detail: str = ""  # what the probe found, for the report
    user: int = 0  # "none" run by root: the kernels' uid (0: the grader's own)

    @property
    def contained(self) -> bool:
        return self.name != "none"

    def describe(self) -> str:
        if self.name == "none" and self.user:
            return (f"sandbox: none ({self.detail}): each kernel runs as a user of its own, "
                    "without namespaces; the time and resource limits apply")
        if self.name == "none":
            return ("sandbox: none (asked for): kernels run as this user, without namespaces; "
                    "only the time and resource limits apply")
        return f"sandbox: {self.name} ({self.program}; {self.detail})"


def probe(requested: str = "auto") -> Engine:
    """The Engine to use. ``auto`` takes bubblewrap when it works here; else EngineError,
    naming what was tried (a class is never graded unsandboxed unless ``none`` was asked)."""
    if requested not in ENGINE_CHOICES:
        raise EngineError(f"unknown sandbox engine {requested!r} (choose from "
                          f"{', '.join(ENGINE_CHOICES)})")
    if requested == "none":
        return Engine("none")
    found = _probe_bwrap()
    if isinstance(found, Engine):
        return found
    others = [name for name in ("docker", "podman") if shutil.which(name)]
    other = (f"; {' and '.join(others)} found, but this grader runs kernels only under "
             "bubblewrap" if others else "")
    raise EngineError(f"no working sandbox: bubblewrap {found}{other}. Install it (Debian/"
                      "Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) or, "
                      "for a class you trust, grade with --sandbox none")


def _probe_bwrap():
    program = shutil.which("bwrap")
    if program is None:
        return "is not installed (no bwrap on PATH)"
    command = [program, *_namespace_options(), "--ro-bind", "/", "/", "--proc", "/proc",
               "--dev", "/dev", "--", sys.executable, "-c", "print('ok')"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"cannot run ({error})"
    if result.returncode != 0 or result.stdout.strip() != "ok":
        why = (result.stderr.strip().splitlines() or ["no message"])[-1]
        return (f"does not work here ({why}); it needs unprivileged user namespaces "
                "(sysctl kernel.unprivileged_userns_clone=1, user.max_user_namespaces > 0) "
                "or root")
    version = subprocess.run([program, "--version"], capture_output=True, text=True)
    user = "each kernel as a user of its own" if os.geteuid() == 0 else "user namespace"
    return Engine("bwrap", program, f"{version.stdout.strip() or 'bubblewrap'}; {user}; own "
                  "pid/net/ipc/uts namespaces, no network")


def _namespace_options():
    """Namespaces and privileges: everything unshared; as root, every capability dropped."""
    options = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
               "--unshare-cgroup-try", "--die-with-parent", "--new-session"]
    if os.geteuid() == 0:  # kept only to become ``Limits.user``; gone after that setuid
        return options + ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID",
                          "--cap-add", "CAP_SETGID"]
    return ["--unshare-user", *options]


JOIN_GROUPS = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 97; shift; done; shift; exec "$@"'


def kernel_command(engine: Engine, limits: Limits, socket_dir: "Path | str",
                   course_dir: "Path | str", kernel_argv: list[str],
                   groups: "list[str] | tuple[str, ...]" = ()) -> list[str]:
    """The command that starts one kernel (``kernel_argv``, e.g. python -m ipykernel_launcher
    -f FILE) in its sandbox. ``socket_dir`` (host folder of the kernel's ipc sockets and
    connection file) is the only host folder it can write; ``course_dir`` is mounted at
    /course. ``groups``: the cgroup.procs files of the kernel's control groups (cgroups.py),
    joined by a shell before anything else starts, so that the whole sandbox is counted there."""
    joined = ["/bin/sh", "-c", JOIN_GROUPS, "sh", *groups, "--"] if groups else []
    return joined + _sandboxed(engine, limits, socket_dir, course_dir, kernel_argv)


def _sandboxed(engine, limits, socket_dir, course_dir, kernel_argv):
    if not engine.contained:
        return [sys.executable, str(EXEC_HELPER), *limits.arguments(), "--", *kernel_argv]
    limited = [sys.executable, EXEC_INSIDE, *limits.arguments(), "--", *kernel_argv]
    python = _python_mounts()
    command = [engine.program, *_namespace_options(), "--clearenv"]
    command += _system_mounts()
    command += ["--proc", "/proc", "--dev", "/dev",
                "--perms", "1777", "--size", str(TMPFS_BYTES), "--tmpfs", "/tmp",
                "--perms", "0777", "--size", str(TMPFS_BYTES), "--tmpfs", HOME,
                "--perms", "0777", "--dir", WORK, "--perms", "0777", "--dir", f"{HOME}/.ipython",
                "--perms", "0777", "--dir", f"{HOME}/.config",
                "--perms", "0777", "--dir", f"{HOME}/.config/matplotlib",
                *python,
                *_hide_installed_package(course_dir, python),
                "--ro-bind", str(course_dir), COURSE,
                "--perms", "0755", "--dir", "/grader",
                "--ro-bind", str(EXEC_HELPER), EXEC_INSIDE,
                "--bind", str(socket_dir), SOCKETS,
                "--chdir", WORK]
    command += _font_cache()
    for name, value in _environment().items():
        command += ["--setenv", name, value]
    return command + ["--", *limited]


def hand_over(engine: Engine, socket_dir: "Path | str", connection_file: "Path | str",
              limits: Limits) -> str:
    """The connection file as the kernel reads it. In a sandbox the socket folder is mounted
    at SOCKETS, so the kernel's copy names its sockets there: the kernel learns nothing about
    the host's folders. When the grader runs as root, the kernel runs as ``limits.user``: the
    file stays root's, readable by the kernel's group alone, so that nothing in its host folder
    is the kernel's to write but the sockets it makes (see seal)."""
    if not engine.contained:
        if os.geteuid() == 0 and limits.user:  # "none" as another user: let it in, no more
            _readable_by(connection_file, limits.user)
            os.chmod(socket_dir, 0o733)
        return str(connection_file)
    with open(connection_file, encoding="utf-8") as handle:
        info = json.load(handle)
    info["ip"] = f"{SOCKETS}/{Path(info['ip']).name}"
    inside = Path(socket_dir) / "kernel-inside.json"
    inside.write_text(json.dumps(info), encoding="utf-8")
    inside.chmod(0o600)
    if os.geteuid() == 0 and limits.user:
        _readable_by(inside, limits.user)
        os.chmod(socket_dir, 0o733)  # the kernel may create its sockets, not list the folder
    return f"{SOCKETS}/{inside.name}"


def _readable_by(path, user):
    """``path`` root's, readable by the group ``user`` (the kernel's: exec_shim sets its gid to
    its uid) and by nobody else, writable by root alone."""
    os.chown(path, 0, user)
    os.chmod(path, 0o640)


KERNEL_IMPORTS = "import ipykernel, numpy, rnn_utils, rnn_grade_harness"
PROBE_SECONDS = 120


def check_kernels_can_start(engine: Engine, limits: Limits, course_dir: "Path | str") -> None:
    """Fail loudly, before any notebook: start a Python exactly as a kernel starts (the same
    engine, user, limits and course folder) and import what a kernel imports. EngineError with
    the reason when it cannot (the kernels' user cannot enter a folder on the way to the Python
    environment, a root-only environment, ...), so that a class is never graded 0 in silence."""
    if not engine.contained and not (os.geteuid() == 0 and limits.user):
        return  # the grader's own user and Python: what runs the grader runs the kernels
    with tempfile.TemporaryDirectory(prefix="rnn-course-probe-") as folder:
        socket_dir = Path(folder) / "kernel"
        socket_dir.mkdir()
        if not engine.contained:  # as hand_over lets a kernel of another user in
            Path(folder).chmod(0o711)
            socket_dir.chmod(0o733)
        command = kernel_command(engine, limits, socket_dir, course_dir,
                                 [sys.executable, "-c", KERNEL_IMPORTS])
        environment = {**os.environ, "PYTHONPATH": str(course_dir), "HOME": str(socket_dir)}
        try:
            result = subprocess.run(command, env=environment, cwd=folder, text=True,
                                    capture_output=True, timeout=PROBE_SECONDS)
        except subprocess.TimeoutExpired:
            raise EngineError(f"a test kernel did not start within {PROBE_SECONDS} s") from None
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no message)"])[-1][:300]
        raise EngineError(
            f"the grading kernels cannot start: run as uid {limits.user or os.geteuid()}, "
            f"{sys.executable} cannot import the course ({last}). Every folder on the way to "
            "the Python environment and the course must be readable and searchable by that "
            "user (a checkout inside a folder only its owner may enter, mode 0700, is not); "
            "nothing was graded")


def seal(socket_dir: "Path | str") -> None:
    """Once the kernel has made its sockets: it may create nothing more in its one host folder
    (when the grader runs as root, the folder is root's and the kernel's user cannot undo it)."""
    if os.geteuid() == 0:
        os.chmod(socket_dir, 0o711)


def _system_mounts():
    """Programs, libraries and the system's configuration files the kernel needs."""
    mounts = []
    for folder in SYSTEM_DIRS:
        if os.path.islink(folder):
            mounts += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            mounts += ["--ro-bind", folder, folder]
    for name in SYSTEM_ETC:
        path = f"/etc/{name}"
        if os.path.exists(path):
            mounts += ["--ro-bind", path, path]
    return mounts


def _python_mounts():
    """The Python installation and this virtual environment, read-only, and any other
    site-packages folder on the path (one a .pth file adds). Mounted after the private /tmp
    and home, so that a checkout or environment under /tmp stays visible."""
    mounts, mounted = [], []
    for prefix in sorted({sys.base_prefix, sys.prefix, *_executable_prefixes()}):
        if not prefix.startswith(SYSTEM_DIRS):
            mounts += [*_parents(prefix), "--ro-bind", prefix, prefix]
        mounted.append(prefix)
    for folder in sys.path:
        inside = any(folder == m or folder.startswith(m.rstrip("/") + "/") for m in mounted)
        if (os.path.basename(folder) in ("site-packages", "dist-packages") and not inside
                and os.path.isdir(folder) and not folder.startswith(SYSTEM_DIRS)):
            mounts += [*_parents(folder), "--ro-bind", folder, folder]
            mounted.append(folder)
    return mounts


def _executable_prefixes(executable=None):
    """The installation folder (two above bin/python) of every link on the way from this
    Python to the real file: a virtual environment made from another one links through it."""
    path, prefixes = executable or sys.executable, []
    for _ in range(40):  # a loop of links ends here as well
        prefixes.append(os.path.dirname(os.path.dirname(os.path.abspath(path))))
        if not os.path.islink(path):
            break
        path = os.path.join(os.path.dirname(path), os.readlink(path))
    real = os.path.dirname(os.path.dirname(os.path.realpath(executable or sys.executable)))
    return [*prefixes, real]


def _hide_installed_package(course_dir, mounts):
    """When the course is installed (a wheel, not a checkout), its rnn_utils lies in a folder
    ``mounts`` (the options of _python_mounts) make visible, reference and checks included:
    the kernel sees the prepared copy (without them) there instead."""
    import rnn_utils

    installed = os.path.dirname(os.path.realpath(rnn_utils.__file__))
    mounted = [mounts[index + 2] for index, item in enumerate(mounts) if item == "--ro-bind"]
    if not installed.startswith(tuple(f"{folder}/" for folder in mounted)):
        return []
    return ["--ro-bind", str(Path(course_dir) / "rnn_utils"), installed]


def _parents(path, made=("/", "/tmp")):
    """Options making the folders above ``path`` inside the sandbox, traversable by the
    kernel's user (bubblewrap would make them 0700 for root)."""
    parents = [str(parent) for parent in reversed(Path(path).parents) if str(parent) not in made]
    return [item for parent in parents for item in ("--perms", "0755", "--dir", parent)]


def _font_cache():
    """matplotlib's font list, read-only, so that no kernel spends a second rebuilding it."""
    try:
        import matplotlib

        cache = Path(matplotlib.get_cachedir())
    except Exception:  # noqa: BLE001 -- without matplotlib or its cache the kernel builds one
        return []
    return [item for path in sorted(cache.glob("fontlist-*.json"))
            for item in ("--ro-bind", str(path), f"{HOME}/.config/matplotlib/{path.name}")]


def _environment():
    env = {"HOME": HOME, "PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin",
           "PYTHONPATH": COURSE, "IPYTHONDIR": f"{HOME}/.ipython", "TMPDIR": "/tmp",
           "MPLCONFIGDIR": f"{HOME}/.config/matplotlib", "JUPYTER_PLATFORM_DIRS": "1",
           "PYTHONNOUSERSITE": "1", "USER": "student"}
    env.update({name: os.environ[name] for name in PASSED_VARIABLES if name in os.environ})
    return env
