"""A control group per kernel: memory and tasks counted for the whole notebook, not per process.

RLIMIT_AS bounds each process of a kernel; a kernel that forks holds ``tasks x --memory``.
Where the grader may create control groups (root, with the cgroup file system writable: a
virtual machine, a CI runner, Docker run with ``--cgroupns=host`` or privileged), each kernel
and everything it starts is put into a group of its own before its sandbox starts, with
- ``--memory`` as the group's memory limit (page cache and the sandbox's tmpfs files included):
  beyond it the kernel's own processes are reclaimed or killed by the kernel's OOM killer, in
  this group only;
- the task limit as the group's ``pids.max``.
cgroup v2 (unified) and v1 (a hierarchy per controller) are both used. Where no group can be
made but the grader is root, each kernel's user is its own (sandbox.own_user), and a
MemoryWatch adds up that user's resident memory instead; not root, the limits stay per
process. ``available()`` says which, in the grader's first lines.
"""

import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
PREFIX = "rnn-course-kernel-"


@dataclass
class KernelGroup:
    """One kernel's groups (one folder in v2; one per controller in v1)."""

    folders: list[Path] = field(default_factory=list)

    @property
    def procs_files(self) -> list[str]:
        """The files a process writes its pid to, to join the group (see sandbox.joined)."""
        return [str(folder / "cgroup.procs") for folder in self.folders]

    def end(self) -> None:
        """Kill whatever is left in the group, then remove it."""
        for folder in self.folders:
            for _ in range(50):
                pids = _read_pids(folder)
                if not pids:
                    break
                for pid in pids:
                    _kill(pid)
                time.sleep(0.02)
            try:
                folder.rmdir()
            except OSError:
                pass


def make(name: str, memory: int, tasks: int) -> "KernelGroup | None":
    """A group for one kernel, limited to ``memory`` bytes (0: none) and ``tasks`` tasks, or
    None where groups cannot be made here."""
    if os.geteuid() != 0:
        return None
    places = _places()
    if not places:
        return None
    group = KernelGroup()
    try:
        for controllers, parent in places:
            folder = parent / f"{PREFIX}{name}"
            folder.mkdir(exist_ok=True)
            group.folders.append(folder)
            _limit(folder, controllers, memory, tasks)
    except OSError:
        group.end()
        return None
    return group


def available() -> str:
    """One line for the report: how memory and tasks are bounded."""
    group = make(f"probe-{os.getpid()}", 2**30, 64)
    if group is None and os.geteuid() == 0:
        return ("memory: bounded per notebook where each kernel runs as a user of its own, by a "
                "watch of that user's resident memory every 0.25 s (no writable control group "
                "file system here)")
    if group is None:
        return "memory: bounded per process, not per notebook (the grader is not root)"
    group.end()
    version = "v2" if len(group.folders) == 1 else "v1"
    return f"memory and tasks: bounded per notebook (a control group per kernel, cgroup {version})"


def _places():
    """[(controllers, folder to make groups in)]: cgroup v2 when it has both controllers
    delegated to this process's group, else v1's memory and pids hierarchies; [] if neither."""
    own = _own_groups()
    unified = ROOT / own.get("", "/").lstrip("/")
    if (ROOT / "cgroup.controllers").exists() and _enable(unified, ("memory", "pids")):
        return [(("memory", "pids"), unified)]
    places = [((name,), ROOT / name / own[name].lstrip("/")) for name in ("memory", "pids")
              if name in own and (ROOT / name).is_dir()]
    return places if len(places) == 2 and all(os.access(p, os.W_OK) for _, p in places) else []


def _own_groups():
    """controller -> this process's group path ('' for v2), from /proc/self/cgroup."""
    groups = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return groups
    for line in lines:
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            groups[controller] = path
    return groups


def _enable(folder, controllers):
    """Whether ``controllers`` are (or could be made) available to groups made in folder."""
    try:
        enabled = (folder / "cgroup.subtree_control").read_text().split()
        missing = [name for name in controllers if name not in enabled]
        if missing:
            (folder / "cgroup.subtree_control").write_text(" ".join(f"+{n}" for n in missing))
        return True
    except OSError:
        return False


def _limit(folder, controllers, memory, tasks):
    if "memory" in controllers and memory:
        for name in ("memory.max", "memory.limit_in_bytes"):
            if (folder / name).exists():
                (folder / name).write_text(str(memory))
                break
        else:
            raise OSError("no memory limit file")
        if (folder / "memory.swap.max").exists():
            (folder / "memory.swap.max").write_text("0")
    if "pids" in controllers and tasks:
        (folder / "pids.max").write_text(str(tasks))


def _read_pids(folder):
    try:
        return [int(pid) for pid in (folder / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return []


def _kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


class MemoryWatch:
    """Where no control group can be made but each kernel has a user of its own (root without
    a writable cgroup file system, as in Docker by default): a thread that adds up the resident
    memory of every process of that user, every ``interval`` seconds, and kills them all when
    the sum passes ``memory``. Coarser than a group (an allocation faster than the interval
    can pass the limit briefly; each process is still held to it by RLIMIT_AS), but it counts
    the notebook, not the process."""

    def __init__(self, user: int, memory: int, interval: float = 0.25) -> None:
        import threading

        self.user, self.memory, self.interval = user, memory, interval
        self.stopped, self.exceeded = threading.Event(), False
        threading.Thread(target=self._watch, daemon=True).start()

    def stop(self) -> None:
        self.stopped.set()

    def _watch(self):
        from rnn_course.grading.sandbox import processes_owned

        while not self.stopped.wait(self.interval):
            pids = processes_owned(lambda owner: owner == self.user)
            if sum(map(resident_bytes, pids)) > self.memory:
                self.exceeded = True
                for pid in pids:
                    _kill(pid)


def resident_bytes(pid: int) -> int:
    """The resident memory of ``pid`` (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def watch_memory(user: int, memory: int) -> "MemoryWatch | None":
    """A MemoryWatch for a kernel of its own ``user`` (root only), or None where that cannot
    count the notebook (no limit, or kernels sharing the grader's user)."""
    from rnn_course.grading.sandbox import KERNEL_USERS

    if os.geteuid() != 0 or user < KERNEL_USERS or not memory:
        return None
    return MemoryWatch(user, memory)
