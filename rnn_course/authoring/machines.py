"""Run a command on emulated CPUs: the same course, other rounding.

Different CPUs give different last digits: NumPy picks its tanh/exp kernels by the CPU's
instruction set (AVX-512, AVX2 or plain SSE), OpenBLAS its matrix-product kernels by the CPU
model. Both can be told to use a lower level than the CPU offers, which is how one machine
checks that an output does not depend on the machine:

    NPY_DISABLE_CPU_FEATURES=...   switches NumPy's dispatched kernels off, level by level
    OPENBLAS_CORETYPE=...          picks OpenBLAS's kernel set (never one the CPU cannot run)

    python -m rnn_course.authoring.machines --list            the machines this CPU can emulate
    python -m rnn_course.authoring.machines -- CMD [ARGS...]  run CMD once under each, report each

A machine is emulated only where the CPU has what its kernels need; the CPU itself is the top
level. `make test` runs strict nbval of the solutions natively and then under every other
machine listed here.
"""

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import TextIO

# NumPy level -> which of NumPy's dispatch targets stay on (the rest are switched off).
_KEEP = {
    "AVX-512": lambda name: True,
    "AVX2": lambda name: not (name.startswith("AVX512") or name == "X86_V4"),
    "SSE": lambda name: False,
}
# (NumPy level, OpenBLAS kernel, CPU features both need), from the highest machine down.
_MACHINES = [
    ("AVX-512", "SkylakeX", ("AVX512F", "AVX512CD", "AVX512BW", "AVX512DQ", "AVX512VL")),
    ("AVX2", "Haswell", ("AVX2", "FMA3")),
    ("SSE", "Sandybridge", ("AVX",)),
    ("SSE", "Nehalem", ("SSE42",)),
]


@dataclass(frozen=True)
class Machine:
    name: str
    env: dict[str, str]  # the environment variables that emulate it


def _numpy_cpu():
    """(features this CPU has, NumPy's dispatch targets) as NumPy sees them."""
    from numpy._core import _multiarray_umath as umath

    return umath.__cpu_features__, list(umath.__cpu_dispatch__)


def machines(features: "dict[str, bool] | None" = None, dispatch: "list[str] | None" = None,
             limit: int = 3) -> list[Machine]:
    """The machines to test on, highest first: the CPU itself, then lower levels.

    Arguments:
    features -- dict feature name -> bool (default: this CPU, as NumPy reports it)
    dispatch -- NumPy's dispatch target names (default: the installed NumPy's)
    limit -- how many machines at most (the native one included); the lowest always stays

    Returns:
    list of Machine; the first is the native machine, with an empty env
    """
    if features is None or dispatch is None:
        features, dispatch = _numpy_cpu()
    usable = [(level, blas) for level, blas, needs in _MACHINES
              if all(features.get(name, False) for name in needs)]
    if not usable:  # not x86, or a CPU below SSE4.2: only the machine itself
        return [Machine("native", {})]
    chosen = usable[:limit - 1] + usable[-1:] if len(usable) > limit else usable
    result = []
    for index, (level, blas) in enumerate(chosen):
        if index == 0:
            result.append(Machine(f"this CPU (NumPy {level} kernels, its own OpenBLAS kernel)", {}))
            continue
        off = [name for name in dispatch if features.get(name) and not _KEEP[level](name)]
        env = {"OPENBLAS_CORETYPE": blas}
        if off:
            env["NPY_DISABLE_CPU_FEATURES"] = " ".join(off)
        result.append(Machine(f"{level} + {blas}", env))
    return result


def run_on_each(command: list[str], emulated_only: bool = False, limit: int = 3,
                stream: TextIO = sys.stdout) -> list[str]:
    """Run ``command`` (a list) once per machine; returns the names of those where it failed."""
    failed = []
    for index, machine in enumerate(machines(limit=limit)):
        if emulated_only and index == 0:
            continue
        settings = " ".join(f"{key}='{value}'" for key, value in machine.env.items())
        print(f"\n=== machine: {machine.name} {settings}".rstrip(), file=stream, flush=True)
        result = subprocess.run(command, env={**os.environ, **machine.env})
        if result.returncode != 0:
            failed.append(machine.name)
    return failed


def main(argv: "list[str] | None" = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rnn_course.authoring.machines",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="print the machines and exit")
    parser.add_argument("--emulated-only", action="store_true",
                        help="skip the native machine (it was tested already)")
    parser.add_argument("--limit", type=int, default=3, help="machines at most (default 3)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- CMD [ARGS...]")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if args.list or not command:
        for machine in machines(limit=args.limit):
            print(machine.name, " ".join(f"{k}='{v}'" for k, v in machine.env.items()))
        return 0
    failed = run_on_each(command, args.emulated_only, args.limit)
    if len(machines(limit=args.limit)) == 1:
        print("\nNo other machine can be emulated on this CPU: only the native run counts.")
    if failed:
        print(f"\nFAILED on: {'; '.join(failed)}", file=sys.stderr)
        return 1
    print("\nPassed on every emulated machine.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
