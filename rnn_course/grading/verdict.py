"""Turn nbval's result for each check cell into a grade: status, points and a reason.

A check cell's result decides its function's grade:
- passed: the check cell ran and nbval found its output equal to the solution's;
- failed: the check found a mistake (CheckFailure: its diagnosis is the reason), or the check
  cell printed something other than the expected line;
- timeout: the check, or the graded cell it depends on, ran over the per-cell time limit, or
  the notebook stopped making progress;
- error: anything else that kept the check from judging the function: the graded cell does not
  run (syntax error, an exception), the kernel died, sys.exit(), ...
Reasons are one line and hold nothing that changes from run to run (no paths, no pids).
"""

import re
from dataclasses import dataclass, field

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
    details: list = field(default_factory=list)  # lines for the feedback (the diagnosis)
    note: str = ""  # a remark on the graded cell, for the feedback


def one_line(text, limit=MAX_MESSAGE):
    """``text`` on one line, without volatile parts, at most ``limit`` characters."""
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def judge(exercise, run, timeout, describe_cell, expected="", task=None):
    """The Verdict on ``exercise`` from the notebook's Run.

    describe_cell(cell id) -> words for a cell ("a cell you added", ...), for reasons that
    point at an earlier cell; expected -- the text the check prints when it passes; task --
    the grade_judge.Task of the exercise: then the check cell handed the student's outputs to
    the grader, and the grader's comparison decides (nothing the kernel printed counts).
    """
    check = run.results.get(exercise.check_id)
    if check is None:
        return _not_run(run, timeout)
    if task is not None:
        return _judged_outside(exercise, run, check, task, timeout, describe_cell)
    if check["passed"]:
        line = check["stdout"].strip().splitlines()[0] if check["stdout"].strip() else "passed"
        return Verdict("passed", one_line(line.split(": ", 1)[-1]))
    if check["phase"] == "setup":
        return Verdict("error", one_line(f"the kernel did not start: {check['message']}"))
    if check["ename"] == "CheckFailure":
        return _check_failure(exercise, check)
    graded = run.results.get(exercise.graded_id)
    return (_stopped(check, run, timeout, describe_cell)
            or _graded_cell_problem(exercise, graded, timeout)
            or _other_problem(exercise, check, expected))


def _judged_outside(exercise, run, check, task, timeout, describe_cell):
    """The verdict from the outputs the kernel handed in, judged here (grade_judge)."""
    from rnn_course.grading.judge import judge_record, passed_line

    record = run.records.get(exercise.check_id)
    if check["passed"] and isinstance(record, dict) and not record.get("missing"):
        failure = judge_record(task, record)
        if failure is None:
            return Verdict("passed", one_line(passed_line(task).split(": ", 1)[-1]))
        return failed_with(exercise, failure.lines)
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
        return _other_problem(exercise, check, "")
    return Verdict("error", "the check's outputs did not reach the grader (was the hand-in "
                   "to the grader tampered with?)")


def failed_with(exercise, lines):
    """A failed Verdict from a CheckFailure's lines: the first says what, the others why."""
    head = lines[0] if lines else "the check failed"
    head = head.split(" - ", 1)[-1] if head.startswith(f"{exercise.function}: FAILED") else head
    return Verdict("failed", one_line(" | ".join([head, *lines[1:]])), list(lines))


def _not_run(run, timeout):
    if run.timed_out:
        return Verdict("timeout", one_line(f"not graded: {run.broken}"))
    reason = run.broken or "the check cell did not run"
    return Verdict("error", one_line(f"not graded: {reason}"))


def _check_failure(exercise, check):
    """The check's own diagnosis: the first line says what, the others where and why."""
    lines = [line for line in (check["evalue"] or "").splitlines() if line.strip()]
    return failed_with(exercise, lines)


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


def _other_problem(exercise, check, expected):
    if check["ename"]:
        text = f"the check stopped with {check['ename']}: {check['evalue'] or ''}".rstrip(": ")
        if check["ename"] == "NameError" and exercise.function in (check["evalue"] or ""):
            text += f" (define {exercise.function} in its graded cell, under this name)"
        return Verdict("error", one_line(text))
    if "outputs differ" in check["message"]:
        return Verdict("failed", "the check printed something other than the expected output",
                       ["Expected:", *expected.splitlines(), "Your notebook printed:",
                        *(check["stdout"].splitlines() or ["(nothing)"])])
    return Verdict("error", one_line(f"the check could not run: {check['message']}"))
