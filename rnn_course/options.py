"""Every option of a grading run, declared once: its name, type, default and help.

``GradingOptions`` is what the graders take (grading.batch.grade, grading.single.grade_single,
the platforms); ``add_grading_options`` puts the same fields on a command line (rnn-course
grade, classroom, gradescope), so a flag, its keyword and its default never differ between
layers: ``--notebook-timeout`` is ``notebook_timeout`` everywhere.

    option              default     meaning
    jobs                all cores   notebooks graded in parallel
    timeout             60          seconds per cell
    notebook_timeout    600         seconds of wall clock per notebook (0: none)
    memory              2G          memory per notebook (a control group, where the
                                    grader may make one) and address space per process
                                    (0: none)
    sandbox             auto        auto | bwrap | none (where each kernel runs)

The course root (``--course``, also spelled ``--root``) and ``--lessons`` are the options every
command shares; they are declared here too.
"""

import argparse
import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ENGINE_CHOICES = ("auto", "bwrap", "none")
NBVAL_SANITIZE_FILE = Path(__file__).with_name("nbval_sanitize.cfg")  # the build's and grader's
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)


def memory_size(text: str) -> int:
    """Bytes from "2G", "512M", "1.5g", "2GB" (powers of 1024); "0" or "none": no limit."""
    if text.strip().lower() in ("0", "none", "unlimited"):
        return 0
    match = _SIZE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (examples: 2G, 512M, none)")
    power = " kmgt".index(match.group(2).lower() or " ")
    return int(float(match.group(1)) * 1024**power)


def positive(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    """A command-line parser of ``kind`` that refuses zero and negative values."""
    def parse(text: str) -> Any:
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value
    return parse


def not_negative(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = kind(text)
        if value < 0:
            raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
        return value
    return parse


def _option(help: str, parse: Callable[[str], Any], default: Any = None, *,
            factory: Callable[[], Any] = None, metavar: str = None, choices: tuple = None):
    """A field of GradingOptions with what the command line needs to offer it."""
    metadata = {"help": help, "parse": parse, "metavar": metavar, "choices": choices}
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def all_cores() -> int:
    return os.cpu_count() or 1


@dataclass(frozen=True)
class GradingOptions:
    """The options of a grading run (see the table above). Checked when made."""

    jobs: int = _option("notebooks graded in parallel (default: all cores)", positive(int),
                        factory=all_cores)
    timeout: float = _option("time limit per cell (default: 60)", positive(float), 60.0,
                             metavar="SECONDS")
    notebook_timeout: float = _option("wall-clock budget of each notebook (default: 600; 0: "
                                      "none)", not_negative(float), 600.0, metavar="SECONDS")
    memory: int = _option("memory limit of each notebook, all its processes together where "
                          "control groups can be made, and of each process's address space "
                          "(default: 2G; none: no limit)",
                          memory_size, 2 * 2**30, metavar="SIZE")
    sandbox: str = _option("where each kernel runs: auto (bubblewrap, which must work), bwrap, "
                           "or none (no sandbox: only for a class you trust)", str, "auto",
                           choices=ENGINE_CHOICES)

    def __post_init__(self):
        problems = [f"{name} must be positive, got {getattr(self, name)!r}"
                    for name in ("jobs", "timeout") if not getattr(self, name) > 0]
        problems += [f"{name} must be 0 or more, got {getattr(self, name)!r}"
                     for name in ("notebook_timeout", "memory") if getattr(self, name) < 0]
        if self.sandbox not in ENGINE_CHOICES and not hasattr(self.sandbox, "describe"):
            problems.append(f"sandbox must be one of {', '.join(ENGINE_CHOICES)}, "
                            f"got {self.sandbox!r}")
        if problems:
            raise ValueError("; ".join(problems))

    @classmethod
    def of(cls, options: "GradingOptions | None" = None, **overrides: Any) -> "GradingOptions":
        """``options`` (default: the defaults) with ``overrides`` replacing some fields."""
        return dataclasses.replace(options or cls(), **overrides)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> "GradingOptions":
        """The options given on a command line made by add_grading_options."""
        names = {item.name for item in dataclasses.fields(cls)}
        return cls(**{name: value for name, value in vars(args).items() if name in names})


def add_grading_options(parser: argparse.ArgumentParser, leave_out: tuple = ()) -> None:
    """Every GradingOptions field (but those in ``leave_out``) as a --flag of ``parser``."""
    defaults = GradingOptions()
    for item in dataclasses.fields(GradingOptions):
        if item.name in leave_out:
            continue
        meta = item.metadata
        parser.add_argument("--" + item.name.replace("_", "-"), dest=item.name,
                            type=meta["parse"], default=getattr(defaults, item.name),
                            metavar=meta["metavar"], choices=meta["choices"], help=meta["help"])


def add_course_option(parser: argparse.ArgumentParser) -> None:
    """The course checkout: --course (--root, its older spelling, is accepted too)."""
    parser.add_argument("--course", "--root", dest="course", metavar="FOLDER",
                        help="course checkout (default: found from the current folder)")


def add_lessons_option(parser: argparse.ArgumentParser, what: str = "only these lessons") -> None:
    parser.add_argument("--lessons", nargs="+", metavar="LESSON",
                        help=f"{what} (names or numbers, e.g. 01 02; default: all)")
