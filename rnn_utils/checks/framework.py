"""The machinery shared by every check: run a student's function on cases, compare, diagnose.

A check is described by an ``Exercise`` (the graded function's name, its cases, the known
mistakes to recognise) and run by ``run_check``. For each case it:
1. calls the student's function on deep copies of the inputs, quietly (prints and warnings are
   captured, so they cannot change the check's output; a failure shows the case's prints), in
   isolation (helpers from earlier exercises are the reference ones, so one mistake costs one
   exercise) and within a time limit (an endless loop, or the student's interrupt, becomes a
   two-line failure naming the function and the case, not a traceback through this code);
2. checks that no input was modified in place (and, where the function promises a new object,
   that it did not return an argument itself), then the returned structure, the shapes, and
   the values of every output (caches included) against the reference, in that order;
3. at the first problem raises ``CheckFailure``, naming the case, the output and the likely
   mistake when the wrong output equals a known mistake's output (its "fingerprint"); for a
   gradient with wrong values it also reports how far it is from a central-difference estimate.
When every case passes it prints one short deterministic line (nbval compares it).
"""

import contextlib
import copy
import dataclasses
import io
import os
import re
import time
import traceback
import types
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

import rnn_utils
from rnn_utils import reference
from rnn_utils.checks.compare import first_difference, same
from rnn_utils.gradcheck import relative_error
from rnn_utils.limits import TimeLimitExceeded, case_seconds, printed_tail, time_limit
from rnn_utils.shapes import ShapeError, check_shape
from rnn_utils.signatures import HELPERS, SIGNATURES, ReferenceUseError  # noqa: F401

# HELPERS (rnn_utils.signatures): the reference helpers each graded function may call; during
# its check these names, in the student's function's globals, are the reference implementations.


_CASE_SALT = []  # while the grader draws fresh cases: [its salt]


def case_rng(seed):
    """The random generator of a check's case ``seed``: the published cases, or, inside
    ``fresh_cases``, cases no one could know before the grading run."""
    return np.random.default_rng([seed, *_CASE_SALT] if _CASE_SALT else seed)


def case_seed(seed):
    """An integer seed for a case's own seeded helpers (initialize_rnn_parameters): ``seed``
    itself for the published cases, a salted one inside ``fresh_cases``."""
    return int(case_rng(seed).integers(2**31)) if _CASE_SALT else seed


@contextlib.contextmanager
def fresh_cases(salt):
    """Within the block, every check draws its cases with ``salt`` mixed into each seed."""
    _CASE_SALT.append(int(salt))
    try:
        yield
    finally:
        _CASE_SALT.pop()


class CheckFailure(AssertionError):
    """A check found a problem; the message says what, where, and the likely mistake.

    Attributes, for the grader's feedback:
    function -- the graded function's name
    kind -- what failed: "not_implemented", "exception", "return", "shape", "values" (of an
            array or a number), "layout" (of a structure such as a cache) or "input_modified"
    case -- the label of the case (its sizes), or None
    output -- the output (or modified argument) concerned, e.g. "a_next", or None
    diagnosis -- key of the recognised mistake, e.g. "missing_ba", or None
    lines -- the message, line by line
    """

    def __init__(self, function, problem, details=(), *, kind, case=None, output=None,
                 diagnosis=None):
        self.function, self.kind, self.case = function, kind, case
        self.output, self.diagnosis = output, diagnosis
        self.lines = [f"{function}: FAILED - {problem}", *details]
        super().__init__("\n".join(self.lines))

    def add_lines(self, lines):
        """Add ``lines`` at the end of the message."""
        self.lines = [*self.lines, *lines]
        self.args = ("\n".join(self.lines),)

    def _render_traceback_(self):
        """IPython shows these lines instead of a traceback through the checking code."""
        return list(self.lines)


@dataclass(frozen=True)
class Case:
    """One set of inputs: ``arguments`` by name, in the order of the function's parameters
    (they are passed by position, so a renamed parameter does not matter); the ``sizes``
    (n_x, n_a, ...) they have; a ``label`` naming the sizes; the ``title`` shown in messages
    ("Case 2 of 6: ...")."""

    label: str
    arguments: dict
    sizes: dict
    title: str = ""


@dataclass(frozen=True)
class Mistake:
    """A known mistake: ``variant`` computes what a function with this mistake returns."""

    key: str
    explanation: str
    variant: Callable


@dataclass(frozen=True)
class Exercise:
    """What a check needs to know about one graded function.

    name -- the graded function's name: its key in SIGNATURES and in rnn_utils.reference
    make_cases -- function of no arguments returning the list of Cases
    mistakes -- the known Mistakes, tried in order when an output is wrong
    layouts -- output name -> names of its entries, e.g. "cache" -> ("a_next", "a_prev", ...)
    aspects -- what a pass guarantees, shown in the success line
    gradient_check -- for a backward function: function (arguments, output name) returning a
                      central-difference estimate of that gradient output (an array), or None
                      when the output is not a gradient; run only when the output is wrong
    input_hints -- argument name -> (diagnosis key, hint) replacing the generic in-place hint
                   when the function changed that argument; or a function of (what the student
                   returned, that argument as changed) giving the (key, hint), for a hint that
                   depends on them (e.g. the changed argument is what was returned)
    new_results -- argument name -> (diagnosis key, hint) for a function promising a NEW
                   object: returning that argument itself (even unchanged) fails, with the hint
    exception_hints -- rows like EXCEPTION_HINTS for exceptions typical of this exercise,
                       tried before the general ones
    consumed -- names of arguments the function is meant to change, such as a random
                Generator whose draws it uses: not compared with their value before the call
    fallback -- function (case, received arguments) returning a Mistake for a wrong output
                that no known mistake reproduces (e.g. the Generator left unused), or None
    after_values -- function (case, received arguments) called when every output is right;
                    it may raise a CheckFailure (e.g. for draws beyond the one per step)
    further_diagnoses -- diagnosis key -> explanation of those that ``fallback`` and
                         ``after_values`` give, so that diagnoses() lists every one
    output_order -- the outputs in the order the lesson's derivation computes them: they are
                    compared in this order, so a failure names the earliest wrong one
                    (default: the order of SIGNATURES)
    derivation -- for a backward function: rows (quantity, what it is, outputs computed from
                  it) in the derivation's order, intermediate quantities such as dc included;
                  a wrong output then also says which outputs are wrong together and, from
                  that, the quantities where the error starts (see error_sources)
    carried_back -- for a backward pass through time: output name -> what one step passes
                    back to the step before it, for an output whose last axis is time (dx);
                    a wrong one then also names the first wrong step going backwards
                    (see first_wrong_step_lines)
    """

    name: str
    make_cases: Callable
    mistakes: tuple = ()
    layouts: dict = field(default_factory=dict)
    aspects: str = "shapes, values, cache layout, inputs unchanged"
    gradient_check: Callable = None
    input_hints: dict = field(default_factory=dict)
    new_results: dict = field(default_factory=dict)
    exception_hints: tuple = ()
    consumed: tuple = ()
    fallback: Callable = None
    after_values: Callable = None
    further_diagnoses: dict = field(default_factory=dict)
    output_order: tuple = ()
    derivation: tuple = ()
    carried_back: dict = field(default_factory=dict)


def diagnoses(exercise):
    """Every diagnosis key a check of ``exercise`` can give -> the explanation it shows: the
    known mistakes, the exception hints, the hints on changed or returned arguments. The keys
    are the stable mistake codes' last part (docs/mistakes.md)."""
    found = {mistake.key: mistake.explanation for mistake in exercise.mistakes}
    for _, _, key, hint in exercise.exception_hints + EXCEPTION_HINTS:
        found.setdefault(key, hint)
    found.setdefault("input_modified", IN_PLACE_HINT.removeprefix("Likely mistake: "))
    found.setdefault("endless_loop", ENDLESS_LOOP)
    found.setdefault("not_float64", "an output array is not float64, so its values were rounded "
                     "when stored (see diagnose()).")
    for name in exercise.layouts:  # permuted_layout's diagnosis
        found.setdefault(f"{name}_order", f"the entries of {name} are in the wrong order.")
    for hint in exercise.input_hints.values():
        pairs = getattr(hint, "diagnoses", {}).items() if callable(hint) else [hint]
        for key, text in pairs:
            found.setdefault(key, text)
    for key, text in [*exercise.new_results.values(), *exercise.further_diagnoses.items()]:
        found.setdefault(key, text)
    return found


def run_check(exercise, function):
    """Check ``function`` on every case of ``exercise``; print one line if all pass.

    Raises CheckFailure at the first problem; returns None.
    """
    cases = exercise.make_cases()
    try:
        for number, case in enumerate(cases, start=1):
            title = f"Case {number} of {len(cases)}: {case.label}"
            check_case(exercise, function, dataclasses.replace(case, title=title))
    except KeyboardInterrupt:  # while the check compared or diagnosed: no traceback either
        raise CheckFailure(exercise.name, "the check was interrupted (Kernel > Interrupt); run "
                           "this cell again", kind="interrupted") from None
    print(f"{exercise.name}: all checks passed ({len(cases)} cases: {exercise.aspects}).")


def check_case(exercise, function, case):
    """Run ``function`` on one case and compare everything with the reference; a failure
    shows what the function printed on the case."""
    received = copy.deepcopy(case.arguments)  # the student's function may modify these
    printed = io.StringIO()
    try:
        returned = call_student(exercise, function, received, case, printed)
        judge_case(exercise, case, received, returned)
    except CheckFailure as failure:
        failure.add_lines(printed_lines(printed.getvalue()))
        raise


def printed_lines(text):
    """The lines of a failure that show what the function printed (none if nothing)."""
    if not text.strip():
        return []
    shown = printed_tail(text.rstrip("\n"))
    return ["What your function printed on this case:",
            *(f"    {line}" for line in shown.splitlines())]


def reference_seconds(exercise, case):
    """How long the reference takes on ``case``: the time limit of the student's function
    scales with it (and so with the student's machine)."""
    start = time.perf_counter()
    call_quietly(reference_of(exercise), case.arguments)
    return time.perf_counter() - start


def judge_case(exercise, case, received, returned):
    """Compare what the student's function did on ``case`` with the reference: ``received``
    holds its arguments as it left them, by name; ``returned`` what it returned. Also used by
    the grader, which receives both from the grading kernel as plain data."""
    expected = outputs_by_name(exercise, call_quietly(reference_of(exercise), case.arguments))
    check_inputs_unchanged(exercise, case, received, returned)
    check_result_is_new(exercise, case, received, returned)
    outputs = unpack_returned(exercise, returned, case)
    check_shapes(exercise, case, outputs)
    for name in exercise.output_order or SIGNATURES[exercise.name].returns:
        difference = first_difference(expected[name], outputs[name], name)
        if difference:
            raise wrong_output(exercise, case, name, expected[name], outputs, difference,
                               received)
    if exercise.after_values is not None:
        exercise.after_values(case, received)


def reference_of(exercise):
    """The reference implementation, looked up at check time (reference.py is regenerated)."""
    return getattr(reference, exercise.name)


def outputs_by_name(exercise, returned):
    """Output name -> value, for a function returning a tuple, a dict or one value."""
    signature = SIGNATURES[exercise.name]
    names = list(signature.returns)
    if signature.returns_single:
        return {names[0]: returned}
    if isinstance(returned, dict):
        return {name: returned[name] for name in names}
    return dict(zip(names, returned))


# ---- calling the student's function ---------------------------------------------------------


@contextlib.contextmanager
def quietly(sink=None):
    """Send prints to ``sink`` (a StringIO; by default, nowhere) and record (so hide) warnings
    for the duration of a ``with`` block.

    A debugging print or a warning must not change the check's output, which nbval compares.
    """
    sink = io.StringIO() if sink is None else sink
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")  # record every warning; never turn one into an error
            yield


def call_quietly(function, arguments):
    """``function(*arguments.values())`` on a deep copy of the arguments, quietly."""
    with quietly():
        return function(*copy.deepcopy(arguments).values())


def isolated(function, helper_names):
    """A copy of ``function`` whose globals give the reference version of each helper.

    The copy shares the code but gets its own globals dict, so the notebook's namespace (where
    the student's own, possibly wrong, helper lives) is not touched.
    """
    if not isinstance(function, types.FunctionType) or not helper_names:
        return function
    helpers = {name: getattr(reference, name) for name in helper_names}
    copied = types.FunctionType(function.__code__, {**function.__globals__, **helpers},
                                function.__name__, function.__defaults__, function.__closure__)
    copied.__kwdefaults__ = copy.copy(function.__kwdefaults__)
    return copied


def call_student(exercise, function, arguments, case, printed=None):
    """Run the student's function on ``arguments`` within the case's time limit, its prints
    going to ``printed`` (a StringIO); its exceptions, an overrun and an interrupt become
    CheckFailures."""
    isolated_function = isolated(function, HELPERS.get(exercise.name, ()))
    seconds = case_seconds(reference_seconds(exercise, case))
    try:
        with quietly(printed), time_limit(seconds):
            return isolated_function(*arguments.values())
    except NotImplementedError:
        raise not_implemented(exercise) from None
    except TimeLimitExceeded as overrun:
        raise time_limit_failure(exercise, overrun.seconds, case) from None
    except KeyboardInterrupt:
        raise CheckFailure(exercise.name, "interrupted (Kernel > Interrupt) while your function "
                           "ran", [case.title], kind="interrupted", case=case.label) from None
    except Exception as error:  # whatever the student's code raises becomes a diagnosis
        raise exception_failure(exercise, error, case) from None


ENDLESS_LOOP = ("a loop that never ends: a `while` whose condition never becomes False (is "
                "its variable updated inside the loop?), or a loop over a list it appends to.")


def time_limit_failure(exercise, seconds, case):
    """The CheckFailure of a function that ran over its ``seconds`` on ``case``."""
    return CheckFailure(exercise.name, f"your function did not return within {seconds} s "
                        "(the reference takes a fraction of a second)",
                        [case.title, f"Likely mistake: {ENDLESS_LOOP}"], kind="timeout",
                        case=case.label, diagnosis="endless_loop")


# ---- exceptions raised by the student's code -------------------------------------------------

# Frames in library code are not where the student's mistake is.
_LIBRARY_DIRS = tuple(os.path.dirname(module.__file__) + os.sep for module in (rnn_utils, np))

# (exception type, regular expression the message must match (None: any), diagnosis key, hint)
EXCEPTION_HINTS = (
    (ReferenceUseError, None, "reference_used",
     "the answer hands the work to the course's reference implementation, which this "
     "exercise's check does not allow (only the exercise's helpers, its earlier exercises, "
     "are): write the computation yourself."),
    (NameError, None, "name_not_defined",
     "your function uses a name that no cell has defined in this kernel. After a restart or "
     "on a reopened notebook, run the cells above first: Run > Run All Above Selected Cell."),
    (ShapeError, None, "helper_argument_shape",
     "a helper was given an argument of the wrong shape (named above). Check what you pass "
     "to it: the input of step t is x[:, :, t], of shape (n_x, m)."),
    (ValueError, r"matmul|not aligned", "matmul_shapes",
     "a matrix product has its operands transposed or in the wrong order: W @ v with "
     "W (rows, cols) needs v with cols rows."),
    (ValueError, r"could not be broadcast.*\(\d+,\)", "flat_vector",
     "an array of shape (n,) meets one of shape (n, m). A flat vector lines up with the LAST "
     "axis (the examples), not the first: keep biases as columns (n, 1), e.g. b[:, None]."),
    (ValueError, r"could not be broadcast", "broadcast_shapes",
     "two arrays of incompatible shapes are combined elementwise (+, *): is `*` used where "
     "the matrix product `@` is meant, or is an operand transposed?"),
)


def not_implemented(exercise):
    return CheckFailure(
        exercise.name, "not implemented yet: replace `raise NotImplementedError()` with your code",
        kind="not_implemented")


def exception_failure(exercise, error, case, frame=None):
    """A CheckFailure for an exception raised by the student's code: what, on which line, why.
    ``frame``: the student's line (a traceback.FrameSummary) when the error carries no
    traceback (the grader rebuilds errors raised in the grading kernel)."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    problem = f"your code raised {type(error).__name__}" + (f": {message}" if message else "")
    details = [case.title]
    frame = frame or student_frame(error)
    if frame is not None:
        line = (frame.line or "").strip()  # empty when the source is not available
        details.append(f"At line {frame.lineno} of {frame.name}" + (f": {line}" if line else "."))
    key, hint = exception_hint(error, message, exercise.exception_hints + EXCEPTION_HINTS)
    if hint:
        details.append(f"Likely mistake: {hint}")
    return CheckFailure(exercise.name, problem, details, kind="exception", case=case.label,
                        diagnosis=key)


def exception_hint(error, message, hints=EXCEPTION_HINTS):
    """(diagnosis key, hint) of the first row of ``hints`` that fits, or (None, None)."""
    for error_type, pattern, key, hint in hints:
        if isinstance(error, error_type) and (pattern is None or re.search(pattern, message)):
            return key, hint
    return None, None


def student_frame(error):
    """The innermost traceback frame outside rnn_utils and NumPy: the student's line, or None."""
    frames = traceback.extract_tb(error.__traceback__)
    outside = [frame for frame in frames if not frame.filename.startswith(_LIBRARY_DIRS)]
    return outside[-1] if outside else None


# ---- what the student's function did and returned ------------------------------------------

IN_PLACE_HINT = (
    "Likely mistake: an in-place operation (+=, x[...] = ..., or an alias such as "
    "a_next = a_prev then changed) on an argument. The caller still needs its inputs: "
    "compute a new array instead."
)


def check_inputs_unchanged(exercise, case, received, returned=None):
    """Fail when the student's function changed one of its arguments in place.

    ``received`` holds the arguments the function was given (as it left them), by name;
    ``returned`` is what it returned, which a hint may depend on (see Exercise.input_hints).
    """
    for name, original in case.arguments.items():
        if name in exercise.consumed:  # meant to change (a Generator's state)
            continue
        difference = first_difference(original, received[name], name)
        if difference:
            hint_of = exercise.input_hints.get(name, ("input_modified", None))
            if callable(hint_of):  # depends on what was returned and the changed argument
                hint_of = hint_of(returned, received[name])
            key, hint = hint_of
            raise CheckFailure(
                exercise.name, f"your function modified its argument {difference.path} in place",
                [case.title, f"Compared with before the call: {difference.message}",
                 f"Likely mistake: {hint}" if hint else IN_PLACE_HINT],
                kind="input_modified", case=case.label, output=difference.path,
                diagnosis=key)


def check_result_is_new(exercise, case, received, returned):
    """Fail when the function returned one of the arguments of ``exercise.new_results`` itself:
    the caller would hold one object under two names, and changing the result would change
    its own argument."""
    for name, (key, hint) in exercise.new_results.items():
        if returned is received[name]:
            raise CheckFailure(
                exercise.name, f"your function returned its argument {name} itself, not a new "
                f"{type(returned).__name__}", [case.title, f"Likely mistake: {hint}"],
                kind="return", case=case.label, output=name, diagnosis=key)


def unpack_returned(exercise, returned, case):
    """Output name -> value; a CheckFailure when the returned structure is wrong."""
    problem = return_problem(SIGNATURES[exercise.name], returned)
    if problem:
        raise CheckFailure(exercise.name, problem, [case.title], kind="return", case=case.label)
    return outputs_by_name(exercise, returned)


def return_problem(signature, returned):
    """What is wrong with the structure of ``returned`` (a sentence), or None."""
    names = list(signature.returns)
    wanted = "a dict with keys " if signature.returns_dict else "a tuple "
    wanted = names[0] if signature.returns_single else wanted + f"({', '.join(names)})"
    kind = dict if signature.returns_dict else (tuple, list)
    if returned is None:
        return f"returned None, expected {wanted}: is the `return` line missing?"
    if signature.returns_single:  # its type and shape are compared with the reference's
        return None
    if not isinstance(returned, kind):
        example = f': return {{"{names[0]}": {names[0]}, ...}}' if signature.returns_dict else ""
        return f"returned a {type(returned).__name__}, expected {wanted}{example}"
    if signature.returns_dict and not all(name in returned for name in names):
        missing = ", ".join(name for name in names if name not in returned)
        return f"the returned dict has no key {missing}; expected {wanted}"
    if not signature.returns_dict and len(returned) != len(names):
        return f"returned {len(returned)} values, expected {len(names)}: {wanted}"
    return None


def check_shapes(exercise, case, outputs):
    """Fail at the first array output whose shape is not the one SIGNATURES gives."""
    for name, shape in SIGNATURES[exercise.name].returns.items():
        if shape is None:  # not an array (a cache): compared entry by entry later
            continue
        try:
            check_shape(outputs[name], shape, name, dict(case.sizes))
        except (TypeError, ShapeError) as error:
            mistake = diagnose(exercise, case, name, outputs[name], outputs=outputs)
            raise CheckFailure(
                exercise.name, f"{name} has the wrong shape", [case.title, str(error),
                                                               *likely(mistake)],
                kind="shape", case=case.label, output=name, diagnosis=mistake and mistake.key,
            ) from None


def wrong_output(exercise, case, name, expected, outputs, difference, received=None):
    """The CheckFailure for output ``name`` of ``outputs`` (the student's, by name) with wrong
    values or a wrong layout; ``received`` holds the arguments as the function left them."""
    mistake = diagnose(exercise, case, name, outputs[name], expected, outputs=outputs)
    if mistake is None and exercise.fallback is not None and received is not None:
        mistake = exercise.fallback(case, received)
    details = [case.title, difference.message]
    if name in exercise.layouts:
        details.append(f"Expected layout: {name} = ({', '.join(exercise.layouts[name])})")
    details += gradient_check_lines(exercise, case, name, outputs[name])
    details += wrong_together_lines(exercise, case, outputs)
    details += first_wrong_step_lines(exercise, case, outputs)
    problem, kind = problem_and_kind(name, expected, outputs[name], difference)
    return CheckFailure(exercise.name, problem, details + likely(mistake), kind=kind,
                        case=case.label, output=name, diagnosis=mistake and mistake.key)


def problem_and_kind(name, expected, wrong, difference):
    """The headline of a wrong output ``name`` and its CheckFailure kind."""
    if isinstance(expected, np.ndarray):
        return f"{name} has wrong values", "values"
    if isinstance(expected, float):  # a number such as a loss
        return f"{name} has a wrong value", "values"
    if isinstance(expected, dict) and isinstance(wrong, dict) and set(expected) <= set(wrong):
        # A dict of arrays (e.g. clipped gradients) with every key: one array is wrong.
        key = next(key for key in expected if first_difference(expected[key], wrong[key], ""))
        if isinstance(expected[key], np.ndarray) and isinstance(wrong[key], np.ndarray):
            if wrong[key].shape == expected[key].shape:
                return f"{difference.path} has wrong values", "values"
            return f"{difference.path} has the wrong shape", "shape"
    return f"{name} is not as expected", "layout"  # a structure such as a cache


def gradient_check_lines(exercise, case, name, wrong):
    """The "Gradient check" line for a wrong gradient output, as a list of 0 or 1 lines.

    Compares the student's array with a central-difference estimate of the same gradient (the
    exercise's ``gradient_check`` hook, which differentiates the forward computation), so that
    the student sees how far off the gradient is, independently of the reference.
    """
    if (exercise.gradient_check is None or not isinstance(wrong, np.ndarray)
            or wrong.dtype.kind not in "biuf" or not np.all(np.isfinite(wrong))):
        return []  # NaN is reported on its own
    try:
        estimate = exercise.gradient_check(copy.deepcopy(case.arguments), name)
    except Exception:  # the estimate only adds to the diagnosis: it must never replace it
        return []
    if estimate is None or estimate.shape != wrong.shape:
        return []
    return [f"Gradient check: relative error of your {name} against central differences "
            f"{relative_error(wrong, estimate):.1e} (a correct gradient gives < 1e-7)."]


def wrong_together_lines(exercise, case, outputs):
    """For an exercise with a ``derivation``: which outputs are wrong together, and where in
    the derivation the error starts (0 to 2 lines)."""
    if not exercise.derivation or any(isinstance(value, np.ndarray) and value.dtype != np.float64
                                      for value in outputs.values()):
        return []  # a rounded dtype (diagnosed on its own) makes every output wrong
    expected = outputs_by_name(exercise, call_quietly(reference_of(exercise), case.arguments))
    order = exercise.output_order or tuple(SIGNATURES[exercise.name].returns)
    wrong = [name for name in order if first_difference(expected[name], outputs[name], name)]
    right = [name for name in order if name not in wrong]
    lines = [f"Wrong together: {', '.join(wrong)}; "
             + (f"right: {', '.join(right)}." if right else "none is right.")]
    sources = error_sources(exercise.derivation, set(wrong))
    if sources:
        names = " and ".join(", ".join(name for name, _ in sources).rsplit(", ", 1))
        meanings = "; ".join(f"{name} is {meaning}" for name, meaning in sources)
        lines.append(f"The error starts at {names}: exactly the gradients computed from "
                     f"{'it' if len(sources) == 1 else 'them'} are wrong ({meanings}).")
    return lines


def first_wrong_step_lines(exercise, case, outputs):
    """For each wrong output of ``exercise.carried_back`` (last axis: time, T_x > 1): the first
    step where it is wrong going backwards, as BPTT computes the steps (0 or 1 line each).

    BPTT computes step T_x-1 first, then each step from what the step after it passed back: a
    step right after wrong ones can be luck, but the first wrong one from the end says where
    the error starts, in the step itself (the last one) or in what is carried back."""
    lines = []
    for name, carried in exercise.carried_back.items():
        wrong = outputs.get(name)
        if not isinstance(wrong, np.ndarray) or wrong.dtype != np.float64 or wrong.ndim < 2:
            continue  # a wrong shape or a rounded dtype is reported on its own
        expected = outputs_by_name(exercise, call_quietly(reference_of(exercise),
                                                          case.arguments))[name]
        T_x = expected.shape[-1]
        if wrong.shape != expected.shape or T_x < 2:
            continue
        step = next((t for t in reversed(range(T_x))
                     if first_difference(expected[..., t], wrong[..., t], name)), None)
        if step == T_x - 1:
            lines.append(f"Going backwards as BPTT does, {name}[:, :, {step}] (the last step, "
                         "computed first) is already wrong: the error is in that step itself, "
                         "before anything is carried back.")
        elif step is not None:
            right = f"{T_x - 1}" + (f" down to {step + 1}" if step + 1 < T_x - 1 else "")
            lines.append(f"Going backwards as BPTT does, {name}[:, :, t] is right for t = "
                         f"{right} and first wrong at t = {step}: the error starts in what "
                         f"step {step + 1} passes back to step {step} ({carried}).")
    return lines


def error_sources(derivation, wrong):
    """The earliest quantities of ``derivation`` (rows (quantity, meaning, outputs computed
    from it)) whose outputs together are exactly the ``wrong`` ones, as (quantity, meaning)
    pairs; empty when they are outputs only or no such quantities explain ``wrong``. Going in
    the derivation's order, a quantity whose outputs are all wrong is taken unless the ones
    taken already cover them."""
    chosen, covered = [], set()
    for quantity, meaning, computed in derivation:
        if set(computed) <= wrong and not set(computed) <= covered:
            chosen.append((quantity, meaning, set(computed)))
            covered |= set(computed)
    if covered != wrong or all(computed == {quantity} for quantity, _, computed in chosen):
        return []
    return [(quantity, meaning) for quantity, meaning, _ in chosen]


# ---- recognising mistakes by their fingerprint ---------------------------------------------


def likely(mistake):
    """The "Likely mistake" line of a recognised mistake, as a list of 0 or 1 lines."""
    return [f"Likely mistake: {mistake.explanation}"] if mistake else []


def diagnose(exercise, case, name, wrong, expected=None, outputs=None):
    """The known Mistake whose output ``name`` equals the student's ``wrong`` one, or None.

    Each mistake's variant runs on the same inputs. When the student's other ``outputs`` (by
    name) are given, the first mistake that reproduces ALL of them wins (two mistakes may give
    the same first wrong output, e.g. a dxt computed without the tanh derivative, alone or in
    every gradient); otherwise the first whose output ``name`` matches. A dtype other than
    float64, and entries of a layout in the wrong order, are recognised without a variant.
    """
    if isinstance(wrong, np.ndarray) and wrong.dtype != np.float64:
        return Mistake("not_float64", f"{name} has dtype {wrong.dtype}, so its values were "
                       "rounded when stored. Create it with np.zeros(shape): float64 by default.",
                       None)
    partial = None
    for mistake in exercise.mistakes:
        try:
            produced = outputs_by_name(exercise, call_quietly(mistake.variant, case.arguments))
        except Exception:  # a variant need not apply to every case
            continue
        if not same(produced[name], wrong):
            continue
        if outputs is None or all(same(produced[other], outputs[other]) for other in produced):
            return mistake
        partial = partial or mistake
    return partial or permuted_layout(exercise, name, wrong, expected)


def permuted_layout(exercise, name, wrong, expected):
    """A Mistake when ``wrong`` holds the entries of ``expected`` in another order, else None."""
    layout = exercise.layouts.get(name)
    if layout is None or not isinstance(wrong, (tuple, list)) or len(wrong) != len(layout):
        return None
    order = []
    for entry in wrong:
        matches = [label for label, want in zip(layout, expected) if same(want, entry)]
        if len(matches) != 1:
            return None
        order.append(matches[0])
    if sorted(order) != sorted(layout):
        return None
    return Mistake(f"{name}_order", f"the entries of {name} are in the wrong order: yours is "
                   f"({', '.join(order)}), the expected layout is ({', '.join(layout)}). "
                   "The backward pass unpacks it in that order.", None)
