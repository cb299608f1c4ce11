"""Verdicts outside the kernel: the grader draws the cases, serves the helpers, and judges.

For each exercise the grader (this trusted process) draws two sets of cases: the published ones
(the check's own seeds, so that an honest student's diagnosis reads the same in every run) and
a fresh set (the same sizes, every seed salted with a number drawn for this grading run, so
that no table of answers can be prepared). The grading kernel gets them as plain data, runs the
student's function on them (``harness.hand_in``) and hands back what it returned and its
arguments as it left them, as plain data. Here they are compared with the reference and
diagnosed by the very code of the in-kernel checks (``rnn_utils.checks.framework.judge_case``):
same messages, same fingerprints of known mistakes, same gradient check.

Nothing the kernel sends can make a wrong answer pass: the expected values never leave this
process, and a value that is not plain data compares unequal to everything.
"""

import dataclasses
import importlib
import secrets
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rnn_course.grading.kernel import harness

if TYPE_CHECKING:
    from types import SimpleNamespace

    from rnn_utils.checks.framework import Case, CheckFailure, Exercise

FRESH = "on fresh cases drawn for this grading"


@dataclass
class Task:
    """One exercise's check as the grader runs it."""

    exercise: "Exercise"
    cases: "list[Case]"  # the published ones, then the fresh ones
    published: int  # how many of ``cases`` are the published ones
    encoded: list[Any]  # the cases' arguments as plain data, in order
    helpers: tuple[str, ...]  # reference helpers the student's function may call during the check
    callables: tuple[str, ...]  # names of functions among the cases' arguments (served, too)

    def message(self) -> dict[str, Any]:
        return {"cases": self.encoded, "helpers": list(self.helpers)}


def exercises() -> "dict[str, Exercise]":
    """Graded function name -> its Exercise, from every module of rnn_utils.checks."""
    import pkgutil

    from rnn_utils import checks
    from rnn_utils.checks import framework

    found = {}
    for info in pkgutil.iter_modules(checks.__path__):
        module = importlib.import_module(f"{checks.__name__}.{info.name}")
        found.update({value.name: value for value in vars(module).values()
                      if isinstance(value, framework.Exercise)})
    return found


def new_salt() -> int:
    return secrets.randbits(63)


def make_task(exercise: "Exercise", salt: int) -> Task:
    """The Task of ``exercise``: published cases and fresh ones drawn with ``salt``."""
    from rnn_utils.checks import framework

    published = exercise.make_cases()
    with framework.fresh_cases(salt):
        fresh = exercise.make_cases()
    cases = [dataclasses.replace(case, title=f"Case {n} of {len(published)}: {case.label}")
             for n, case in enumerate(published, start=1)]
    cases += [dataclasses.replace(case, title=f"Case {n} of {len(fresh)} {FRESH}: {case.label}")
              for n, case in enumerate(fresh, start=1)]
    callables = []
    encoded = [harness.encode(case.arguments, callables) for case in cases]
    return Task(exercise, cases, len(published), encoded,
                tuple(framework.HELPERS.get(exercise.name, ())), tuple(sorted(set(callables))))


# ---- serving the kernel ------------------------------------------------------------------------


def serve_call(task: "Task | SimpleNamespace", name: str, encoded_args: Any,
               encoded_keywords: Any = None) -> dict[str, Any]:
    """Run a reference helper or a case's function for the kernel: an answer message. The
    student may name the arguments (``rnn_cell_forward(xt=..., a_prev=..., parameters=...)``)
    as the function's own signature allows, exactly as at home."""
    from rnn_utils import reference
    from rnn_utils.shapes import ShapeError

    if name in task.helpers:
        function = getattr(reference, name)
    elif name in task.callables:
        module, _, attribute = name.rpartition(".")
        function = getattr(importlib.import_module(module), attribute)
    else:
        from rnn_utils.signatures import reference_refusal  # the home check's very words

        return {"error": reference_refusal(name), "kind": "ReferenceUseError"}
    try:
        arguments = harness.decode(encoded_args)
        keywords = harness.decode(encoded_keywords) if encoded_keywords is not None else {}
        if not isinstance(keywords, dict) or not all(isinstance(k, str) for k in keywords):
            raise TypeError("keyword arguments must be named")
        result = function(*arguments, **keywords)
    except ShapeError as error:
        return {"error": str(error), "kind": "ShapeError"}
    except Exception as error:  # noqa: BLE001 -- the student's call was wrong: say so there
        return {"error": f"{name} could not run on these arguments: "
                f"{type(error).__name__}: {error}"[:2000], "kind": "error"}
    return {"result": harness.encode(result)}


# ---- judging ----------------------------------------------------------------------------------


def judge_outputs(task: Task, record: Any) -> "CheckFailure | None":
    """The outcome of the check from what the kernel handed in: None when every case passed
    (the line the check prints then is ``passed_line``), else the CheckFailure."""
    from rnn_utils.checks import framework

    results = record.get("results") if isinstance(record, dict) else None
    if not isinstance(results, list) or len(results) != len(task.cases):
        return framework.CheckFailure(task.exercise.name, "the check's results did not reach "
                                      "the grader complete", kind="exception")
    for case, result in zip(task.cases, results):
        try:
            _judge_case_outputs(task.exercise, case, result)
        except framework.CheckFailure as failure:  # with what the function printed, as at home
            printed = result.get("printed") if isinstance(result, dict) else None
            if isinstance(printed, str):
                failure.add_lines(framework.printed_lines(printed))
            return failure
        except Exception as error:  # noqa: BLE001 -- malformed data: the student's loss only
            return framework.CheckFailure(
                task.exercise.name, "what the function returned could not be read as plain "
                f"data ({type(error).__name__})", [case.title], kind="return", case=case.label)
    return None


def passed_line(task: Task) -> str:
    exercise = task.exercise
    return f"{exercise.name}: all checks passed ({task.published} cases: {exercise.aspects})."


def _judge_case_outputs(exercise, case, result):
    from rnn_utils.checks import framework

    if "error" in result:
        error = result["error"]
        types = [str(name) for name in error.get("types", [])][:10]
        if "NotImplementedError" in types:
            raise framework.not_implemented(exercise)
        if "TimeLimitExceeded" in types:  # the harness's bound on one case (rnn_utils.limits)
            from rnn_utils.limits import case_seconds

            raise framework.time_limit_failure(exercise, case_seconds(), case)
        raise framework.exception_failure(exercise, rebuilt_error(types, error.get("message")),
                                          case, frame=_frame(error.get("frame")))
    functions = {harness.qualified_name(value): value
                 for value in case.arguments.values() if callable(value)}

    def function_named(name):  # the case's own function, handed back unchanged
        return functions.get(name, harness.Unsupported(name))

    received = harness.decode(result["arguments"], function_named)
    returned = harness.decode(result["returned"], function_named)
    if not isinstance(received, dict) or set(received) != set(case.arguments):
        raise ValueError("arguments")
    same = result.get("same_as")
    if isinstance(same, str) and same in received:  # the function returned an argument itself
        returned = received[same]
    framework.judge_case(exercise, case, received, returned)


def rebuilt_error(types: list[str], message: object) -> Exception:
    """An exception standing for one raised in the kernel: of a class with the same name,
    derived from the first of its classes known here (so that the hints recognise it)."""
    import builtins

    from rnn_utils.shapes import ShapeError
    from rnn_utils.signatures import ReferenceUseError

    known = {"ShapeError": ShapeError, "ReferenceUseError": ReferenceUseError}
    base = Exception
    for name in types:
        candidate = known.get(name) or getattr(builtins, name, None)
        if isinstance(candidate, type) and issubclass(candidate, Exception):
            base = candidate
            break
    text = str(message or "")
    kind = type(types[0] if types else "Exception", (base,), {"__str__": lambda self: text})
    return kind.__new__(kind)


def _frame(data):
    if not (isinstance(data, list) and len(data) == 3):
        return None
    lineno, name, line = data
    return traceback.FrameSummary("<cell>", int(lineno), str(name)[:100], line=str(line)[:300])
