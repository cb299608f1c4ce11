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
made, ``available()`` says why and the limits stay per process (the report says which).
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
    if group is None:
        why = "the grader is not root" if os.geteuid() != 0 else \
            "no writable control group file system here"
        return f"memory: bounded per process, not per notebook ({why})"
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
