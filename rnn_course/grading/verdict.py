"""Turn what became of a check cell into a grade: status, points and a reason.

Every check cell of a composed notebook hands the student's outputs to the grader (the kernel
side: grading/kernel/harness.py), and the grader judges them outside the kernel
(grading/judge.py). The verdict on a function:
- passed / failed: the outputs reached the grader, and the judge found them right, or found
  the mistake (its diagnosis is the reason);
- timeout: the check, or the graded cell it depends on, ran over the per-cell time limit, or
  the notebook stopped making progress;
- error: anything else that kept the outputs from being judged: the graded cell does not run
  (syntax error, an exception), the function is not defined, the kernel died, sys.exit(), ...
Reasons are one line and hold nothing that changes from run to run (no paths, no pids).
"""

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # for the hints only
    from rnn_course.grading.course import GradedFunction
    from rnn_course.grading.judge import Task
    from rnn_course.grading.run import Run

MAX_MESSAGE = 600
_VOLATILE = (
    (re.compile(r"\((?:[^()\s]*/)?\d+\.py, line (\d+)\)"), r"(line \1)"),  # SyntaxError's cell file
    (re.compile(r"/tmp/ipykernel_\d+/\d+\.py"), "<cell>"),
    (re.compile(r"\S*rnn-course-grade-[^/\s]+(/nb\d+)?"), "."),
    (re.compile(r"at 0x[0-9a-fA-F]+"), "at 0x..."),
)


@dataclass
class Verdict:
    status: str  # passed, failed, error, timeout or missing
    message: str  # one line
    details: list[str] = field(default_factory=list)  # lines for the feedback (the diagnosis)
    note: str = ""  # a remark on the graded cell, for the feedback
    mistake: str = ""  # the diagnosis's stable code (grading/mistakes.py), when one is named


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """``text`` on one line, without volatile parts, at most ``limit`` characters."""
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def verdict_of(exercise: "GradedFunction", run: "Run", timeout: float,
               describe_cell: Callable[[str], str], task: "Task") -> Verdict:
    """The Verdict on ``exercise`` from the notebook's Run, its outputs judged with ``task``
    (the exercise's cases). describe_cell(cell id) -> words for a cell ("a cell you added",
    ...), for reasons that point at an earlier cell. Nothing the kernel printed counts."""
    from rnn_course.grading.judge import judge_outputs, passed_line
    from rnn_course.grading.mistakes import mistake_code

    check = run.results.get(exercise.check_id)
    if check is None:
        return _not_run(run, timeout)
    record = run.records.get(exercise.check_id)
    if check["passed"] and isinstance(record, dict) and not record.get("missing"):
        failure = judge_outputs(task, record)
        if failure is None:
            return Verdict("passed", one_line(passed_line(task).split(": ", 1)[-1]))
        return failed_with(exercise, failure.lines,
                           mistake_code(exercise.function, failure.diagnosis))
    return _not_judged(exercise, run, check, record, timeout, describe_cell)


def _not_judged(exercise, run, check, record, timeout, describe_cell):
    """Why the outputs were not judged: the kernel, the graded cell or the hand-in."""
    if check["phase"] == "setup":
        return Verdict("error", one_line(f"the kernel did not start: {check['message']}"))
    graded = run.results.get(exercise.graded_id)
    stopped = (_stopped(check, run, timeout, describe_cell)
               or _graded_cell_problem(exercise, graded, timeout))
    if stopped:
        return stopped
    if isinstance(record, dict) and record.get("missing"):
        return Verdict("error", f"{exercise.function} is not defined: define it in its graded "
                       "cell, under this name")
    if check["ename"]:
        return _other_problem(exercise, check)
    return Verdict("error", "the check's outputs did not reach the grader (was the hand-in "
                   "to the grader tampered with?)")


def failed_with(exercise: "GradedFunction", lines: list[str], mistake: str = "") -> Verdict:
    """A failed Verdict from a CheckFailure's lines: the first says what, the others why;
    ``mistake``: the code of the mistake it names, if any."""
    head = lines[0] if lines else "the check failed"
    head = head.split(" - ", 1)[-1] if head.startswith(f"{exercise.function}: FAILED") else head
    return Verdict("failed", one_line(" | ".join([head, *lines[1:]])), list(lines),
                   mistake=mistake)


def _not_run(run, timeout):
    if run.timed_out:
        return Verdict("timeout", one_line(f"not graded: {run.broken}"))
    reason = run.broken or "the check cell did not run"
    return Verdict("error", one_line(f"not graded: {reason}"))


def _stopped(check, run, timeout, describe_cell):
    """The kernel died or timed out in this cell or an earlier one; None otherwise."""
    if check["exception"] == "KernelDied":
        return Verdict("error", "the kernel died while the check ran (os._exit(), a crash, or "
                       "no memory left)")
    if check["timed_out"]:
        return Verdict("timeout", f"the check did not finish within {timeout:g} s (an endless "
                       "loop, or far too slow?)")
    if "Kernel dead" not in check["message"]:
        return None
    for cell_id, result in run.results.items():
        where = describe_cell(cell_id)
        if result["exception"] == "KernelDied":
            return Verdict("error", f"not run: the kernel died in {where} (os._exit(), a "
                           "crash, or no memory left)")
        if result["timed_out"] and not result["kernel_alive"]:
            return Verdict("timeout", f"not run: {where} did not finish within {timeout:g} s "
                           "and its kernel had to be stopped")
    return Verdict("error", "not run: the kernel had stopped")


def _graded_cell_problem(exercise, graded, timeout):
    """The graded cell itself did not run through: that is the reason, not the check's error."""
    if graded is None or graded["passed"]:
        return None
    if graded["timed_out"]:
        return Verdict("timeout", f"the graded cell did not finish within {timeout:g} s")
    if graded["ename"]:
        return Verdict("error", one_line(
            f"the graded cell raised {graded['ename']}: {graded['evalue'] or ''}".rstrip(": ")))
    return None


def _other_problem(exercise, check):
    text = f"the check stopped with {check['ename']}: {check['evalue'] or ''}".rstrip(": ")
    if check["ename"] == "NameError" and exercise.function in (check["evalue"] or ""):
        text += f" (define {exercise.function} in its graded cell, under this name)"
    return Verdict("error", one_line(text))
