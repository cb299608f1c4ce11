"""Set hard resource limits, then become the kernel: ``python exec_shim.py --as=BYTES
--nproc=N --fsize=BYTES --nofile=N -- python -m ipykernel_launcher -f FILE``.

Run by the grader as the first process of each kernel's sandbox (a plain script: it imports
nothing of the course). Every limit is set with soft = hard, so that the student's code, which
has no capability to raise a hard limit, cannot undo it; core files are off.
"""

import os
import resource
import sys
from typing import NoReturn

LIMITS = {"--as": resource.RLIMIT_AS, "--nproc": resource.RLIMIT_NPROC,  # and --user=UID
          "--fsize": resource.RLIMIT_FSIZE, "--nofile": resource.RLIMIT_NOFILE}


def limit(which: int, value: int) -> None:
    """soft = hard = ``value`` (0: keep the current hard limit, as both), never above the
    current hard limit."""
    _, hard = resource.getrlimit(which)
    if value > 0 and (hard == resource.RLIM_INFINITY or value < hard):
        hard = value
    resource.setrlimit(which, (hard, hard))


def main(argv: list[str]) -> NoReturn:
    split, user = argv.index("--"), None
    for option in argv[:split]:
        name, value = option.split("=", 1)
        if name == "--user":
            user = int(value)
        else:
            limit(LIMITS[name], int(value))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if user is not None:  # root in the sandbox: become an unprivileged user, for good
        os.setgroups([])
        os.setgid(user)
        os.setuid(user)
    command = argv[split + 1:]
    os.execv(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
