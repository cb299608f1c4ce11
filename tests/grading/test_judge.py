"""Verdicts outside the kernel: hostile students who cheat inside their own kernel gain nothing.

The first part needs no kernel: the wire format, the judge on malformed records, the helper
service. The second grades one class once (every lesson, bubblewrap if it works here,
else no sandbox): each student tries one way to pass with a wrong answer, or to make a correct
one fail; the correct students around them must pass. Every attack stays inside its kernel.
"""

import base64
import dataclasses
import json

import numpy as np
import pytest
from support.course import MAKE
from support.handins import results_of
from support.lesson01 import ANSWER, FILE, graded, in_function, write_class

from rnn_course.grading.batch import grade
from rnn_course.grading.judge import exercises, judge_outputs, make_task, serve_call
from rnn_course.grading.kernel import harness as wire
from rnn_course.grading.sandbox import EngineError, probe
from rnn_utils import reference

ROOT = MAKE.ROOT
EXERCISES = exercises()
FILE_02 = "02_rnn_forward.ipynb"
RELEASE_02 = MAKE.release("02_rnn_forward")
ANSWER_02 = MAKE.answer("rnn_forward")


# ---- the wire format and the judge, without kernels -----------------------------------------


def test_plain_data_survives_the_round_trip_exactly():
    value = {"a": np.arange(6.0).reshape(2, 3) / 7, "b": (1, 2.5, None, True, "s"),
             "c": [np.float32(1.5), np.int64(3), np.zeros((0, 2))], "nan": float("nan")}
    back = wire.decode(json.loads(json.dumps(wire.encode(value))))
    assert np.array_equal(back["a"], value["a"]) and back["a"].dtype == np.float64
    assert back["b"] == value["b"] and isinstance(back["b"], tuple)
    assert back["c"][0].dtype == np.float32 and back["c"][1] == 3 and back["c"][2].shape == (0, 2)
    assert np.isnan(back["nan"])


class AlwaysEqual(np.ndarray):
    def __eq__(self, other):
        return True


def test_what_is_not_plain_data_compares_unequal_to_everything():
    lying = np.zeros(3).view(AlwaysEqual)
    assert type(wire.decode(wire.encode(lying))) is not AlwaysEqual
    for value in (object(), {1: 2}, np.array([object()]), (x for x in ()), lambda: 0):
        decoded = wire.decode(wire.encode(value))
        assert isinstance(decoded, wire.Unsupported) and decoded != decoded


@pytest.mark.parametrize("data", [
    {"array": "float64", "shape": [3], "data": base64.b64encode(b"x" * 8).decode(), "scalar": 0},
    {"array": "object", "shape": [1], "data": "", "scalar": 0}, [1, 2],
    {"dict": 5}, {"list": [{"list": []}] * 2, "x": 1},
])
def test_malformed_data_is_refused(data):
    with pytest.raises((ValueError, TypeError, KeyError)):
        wire.decode(data)
    assert isinstance(wire.decode({"nope": 1}), wire.Unsupported)


@pytest.fixture(scope="module")
def cell_task():
    return make_task(EXERCISES["rnn_cell_forward"], salt=12345)


def test_the_judge_passes_the_reference_and_fails_a_bug_with_the_checks_diagnosis(cell_task):
    assert judge_outputs(cell_task, {"results": results_of(cell_task,
                                                          reference.rnn_cell_forward)}) is None
    namespace = {"np": np, "softmax": reference.softmax}
    exec(MAKE.variant("rnn_cell_forward", "Waa @ a_prev + ba)", "Waa @ a_prev)"), namespace)
    failure = judge_outputs(cell_task, {"results": results_of(cell_task,
                                                             namespace["rnn_cell_forward"])})
    assert failure.diagnosis == "missing_ba" and "Case 1 of 6: n_x=3" in failure.lines[1]


def test_a_table_of_the_published_cases_fails_on_the_fresh_ones(cell_task):
    results = results_of(cell_task, reference.rnn_cell_forward)
    for result in results[cell_task.published:]:  # what a precomputed table cannot know
        result["returned"] = results[0]["returned"]
    failure = judge_outputs(cell_task, {"results": results})
    assert failure is not None and "fresh cases" in failure.lines[1]


@pytest.mark.parametrize("record", [None, [], {"results": 3}, {"results": [{}]},
                                    {"results": [{"returned": {"x": 1}}] * 12},
                                    {"results": [{"error": {"types": 5}}] * 12}])
def test_a_malformed_record_fails_the_student_and_never_the_grader(cell_task, record):
    failure = judge_outputs(cell_task, record)
    assert failure is not None and failure.function == "rnn_cell_forward"


def test_only_the_helpers_of_the_running_check_are_served():
    sequence = make_task(EXERCISES["rnn_forward"], salt=1)
    arguments = wire.decode(make_task(EXERCISES["rnn_cell_forward"], salt=1).encoded[0])
    served = serve_call(sequence, "rnn_cell_forward", wire.encode(list(arguments.values())))
    expected = reference.rnn_cell_forward(*arguments.values())
    assert np.array_equal(wire.decode(served["result"])[0], expected[0])
    for task, name in ((sequence, "rnn_forward"), (make_task(EXERCISES["rnn_cell_forward"], 1),
                                                   "rnn_cell_forward")):
        refused = serve_call(task, name, wire.encode(list(arguments.values())))
        assert refused["kind"] == "ReferenceUseError" and "result" not in refused
        assert "which this check does not allow" in refused["error"]  # the home check's words


# ---- hostile students, graded in kernels ------------------------------------------------------

WRONG = "    return np.zeros_like(a_prev), None, None\n"


def answer_with(code, last=WRONG):
    """rnn_cell_forward that runs ``code`` then returns a wrong answer (unless ``code`` returns
    first)."""
    return in_function(code + "\n" + "".join(line[4:] + "\n" for line in last.splitlines()))


REFERENCE_BY_NAME = """\
import importlib
return importlib.import_module("rnn_utils." + "reference").rnn_cell_forward(xt, a_prev, parameters)
"""
UNWRAPPED = """\
import rnn_utils.reference as r
f = r.rnn_cell_forward
while getattr(f, "__wrapped__", None) or getattr(f, "__closure__", None):
    f = getattr(f, "__wrapped__", None) or f.__closure__[0].cell_contents
return f(xt, a_prev, parameters)
"""
OTHER_REFERENCE = """\
from rnn_utils.reference import rnn_forward
a, y, caches = rnn_forward(xt[:, :, None], a_prev, parameters)
return a[:, :, 0], y[:, :, 0], caches[0][0]
"""
SOURCE_OF_THE_ANSWER = """\
import inspect, os, glob
import rnn_utils, rnn_utils.reference
texts = [inspect.getsource(rnn_utils.reference)]
for path in glob.glob("/**/solutions/*.py", recursive=True)[:50]:
    texts.append(open(path).read())
for text in texts:
    if "def rnn_cell_forward" in text and "np.tanh(" in text:
        namespace = {}
        exec(text, namespace)
        return namespace["rnn_cell_forward"](xt, a_prev, parameters)
"""
FRAMES = """\
import sys
frame = sys._getframe(1)
while frame is not None:
    for name in ("expected", "reference_outputs", "want"):
        if name in frame.f_locals:
            return frame.f_locals[name]
    frame = frame.f_back
"""
LYING_ARRAY = """\
class AlwaysEqual(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), bool)
    def __array_function__(self, func, types, args, kwargs):
        return True
wrong = np.zeros_like(a_prev).view(AlwaysEqual)
return wrong, wrong, (wrong, a_prev, xt, parameters)
"""
EQUAL_TO_ALL = """\
class Anything:
    def __eq__(self, other):
        return True
return Anything(), Anything(), Anything()
"""
PATCH_EVERYTHING = """\
import builtins, sys
np.allclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
builtins.isinstance = lambda *a: True
class Finder:
    def find_spec(self, name, path=None, target=None):
        return None
sys.meta_path.insert(0, Finder())
"""
TRANSFORMER = """\
def _rewrite(lines):
    if any("rnn_grade_harness" in line for line in lines):
        return ["print('rnn_cell_forward: all checks passed (6 cases: shapes, values, cache "
                "layout, inputs unchanged).')\\n"]
    return lines
get_ipython().input_transformers_cleanup.append(_rewrite)
"""
FORGED_HAND_IN = """\
import rnn_grade_harness as h
try:
    h._exchange({"op": "record", "record": {"results": []}})
except Exception:
    pass
"""
NOISY_BUT_CORRECT = """\
import logging
import matplotlib.pyplot as plt
from IPython.display import display
print("debug", xt.shape)
display({"a": 1})
logging.getLogger("student").warning("a warning")
plt.figure(); plt.plot([1, 2]); plt.close("all")
"""


def cheats():
    """student -> files; each cheat must fail (0 points)."""
    def one(source):
        return {FILE: graded(source)}

    return {
        "reference_by_computed_name": one(answer_with(REFERENCE_BY_NAME)),
        "reference_unwrapped": one(answer_with(UNWRAPPED)),
        "another_reference_answers": one(answer_with(OTHER_REFERENCE)),
        "source_of_the_answer": one(answer_with(SOURCE_OF_THE_ANSWER)),
        "reads_the_frames": one(answer_with(FRAMES)),
        "lying_array": one(answer_with(LYING_ARRAY)),
        "equal_to_everything": one(answer_with(EQUAL_TO_ALL)),
        "patches_numpy_builtins_imports": {FILE: MAKE.with_added(
            graded(answer_with("")), "rnn_cell_forward", PATCH_EVERYTHING)},
        "input_transformer": {FILE: MAKE.with_added(
            graded(answer_with("")), "rnn_cell_forward", TRANSFORMER)},
        "forged_hand_in": {FILE: MAKE.with_added(
            graded(answer_with(FORGED_HAND_IN)), "rnn_cell_forward",
            FORGED_HAND_IN)},
    }


def every_solution():
    """Every lesson of the course with the solution in each graded cell (from solutions/)."""
    from rnn_course.authoring.lesson import read_lesson, without_markers
    from rnn_course.grading.course import load_course

    files = {}
    for lesson in load_course(ROOT).lessons:
        notebook = MAKE.release(lesson.name)
        for entry in read_lesson(ROOT / "solutions" / f"{lesson.name}.py").cells:
            if entry.role == "graded":
                notebook = MAKE.with_source(notebook, entry.grade_id,
                                            without_markers(entry.cell.source))
        files[lesson.filename] = notebook
    return files


THREADED_GRADIENT = """\
def numerical_gradient(f, x, eps=1e-6):
    \"\"\"Central differences, each entry's pair of evaluations in a thread of its own.\"\"\"
    from concurrent.futures import ThreadPoolExecutor

    indices = list(np.ndindex(x.shape))

    def one(index):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        return (f(plus) - f(minus)) / (2 * eps)

    grad = np.zeros_like(x)
    with ThreadPoolExecutor(4) as pool:
        for index, value in zip(indices, pool.map(one, indices)):
            grad[index] = value
    return grad
"""


def correct_students():
    sequence = MAKE.with_source(RELEASE_02, "rnn_forward", ANSWER_02)
    return {
        "all_solutions": every_solution(),
        "noisy_but_correct": {FILE: graded(in_function(NOISY_BUT_CORRECT))},
        "patches_numpy_but_correct": {FILE: MAKE.with_added(
            graded(ANSWER), "rnn_cell_forward", PATCH_EVERYTHING.split("import builtins")[0]
            + "np.allclose = lambda *a, **k: False\n")},
        "helper_called_by_keyword": {FILE_02: MAKE.with_source(
            RELEASE_02, "rnn_forward", ANSWER_02.replace(
                "rnn_cell_forward(x[:, :, t], a_next, parameters)",
                "rnn_cell_forward(xt=x[:, :, t], a_prev=a_next, parameters=parameters)"))},
        "threads_in_numerical_gradient": {"03_rnn_cell_backward.ipynb": MAKE.with_source(
            MAKE.release("03_rnn_cell_backward"), "numerical_gradient", THREADED_GRADIENT)},
        "wrong_cell_but_helper_served": {
            FILE_02: MAKE.with_added(sequence, "cell-01",
                                     "def rnn_cell_forward(xt, a_prev, parameters):\n"
                                     "    return None\n")},
    }


class Rows(dict):
    """(student, notebook) -> the last row of that notebook; .by_exercise: every row."""


FILE_08 = "08_character_language_model.ipynb"
CHARLM_ADAGRAD = """\
def adagrad_update(parameters, gradients, memory, learning_rate, epsilon=1e-8):
    from rnn_utils import charlm
    return charlm.adagrad(parameters, gradients, memory, learning_rate, epsilon)
"""


@pytest.fixture(scope="module")
def judged(tmp_path_factory):
    base = tmp_path_factory.mktemp("judge")
    fast_path = {"charlm_fast_path": {FILE_08: MAKE.with_source(
        MAKE.release("08_character_language_model"), "adagrad_update", CHARLM_ADAGRAD)}}
    write_class(base / "class", {**cheats(), **correct_students(), **fast_path})
    try:
        sandbox = probe("bwrap").name
    except EngineError:
        sandbox = "none"
    rows = grade(base / "class", base / "out", ROOT, jobs=2, timeout=30, sandbox=sandbox)
    found = Rows(((r["student"], r["notebook"]), r) for r in rows)
    found.by_exercise = {(r["student"], r["exercise"]): r for r in rows}
    return found


@pytest.mark.parametrize("student", sorted(cheats()))
def test_a_cheat_gains_nothing(judged, student):
    row = judged[(student, FILE)]
    assert (row["status"], row["points"]) != ("passed", 2), row["message"]
    assert row["points"] == 0


@pytest.mark.parametrize("student", sorted(correct_students()))
def test_correct_work_passes_whatever_the_notebook_does_around_it(judged, student):
    mine = [row for (name, _), row in judged.items() if name == student
            and row["status"] != "missing"]
    assert mine and all(row["status"] == "passed" for row in mine), [r["message"] for r in mine]


def test_the_reference_outside_its_helpers_is_named_as_unavailable(judged):
    message = judged[("another_reference_answers", FILE)]["message"]
    assert "reference implementation, which this check does not allow" in message


# ---- the same diagnoses inside and outside the kernel ---------------------------------------


def judged_outside(task, function):
    """The outcome of the grader's judge for ``function``, run as the grading kernel runs it
    (grade_harness.run_cases, helpers served by grade_judge.serve_call), without a kernel."""
    def exchange(message):
        return json.loads(json.dumps(serve_call(task, message["name"], message["args"])))

    results = wire.run_cases(function, json.loads(json.dumps(task.encoded)),
                             list(task.helpers), exchange)
    return judge_outputs(task, json.loads(json.dumps({"results": results})))


CHECKS = {name: getattr(checks_module, f"check_{name}") for name in EXERCISES
          for checks_module in [__import__("rnn_utils.checks", fromlist=["x"])]}
MISTAKES = [(name, index) for name, exercise in sorted(EXERCISES.items())
            for index in range(len(exercise.mistakes))]


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_the_reference_of_every_exercise_passes_outside(name):
    task = make_task(EXERCISES[name], salt=99)
    assert judged_outside(task, getattr(reference, name)) is None


@pytest.mark.parametrize("name, index", MISTAKES)
def test_every_known_mistake_gets_the_same_diagnosis_outside_as_inside(name, index):
    mistake = EXERCISES[name].mistakes[index]
    with pytest.raises(Exception) as inside:
        CHECKS[name](mistake.variant)
    task = make_task(EXERCISES[name], salt=7)  # the published cases decide the diagnosis
    task = dataclasses.replace(task, cases=task.cases[:task.published],
                               encoded=task.encoded[:task.published])
    outside = judged_outside(task, mistake.variant)
    assert outside is not None
    assert (outside.diagnosis, outside.lines) == (inside.value.diagnosis, inside.value.lines)


def test_a_generator_travels_as_its_state_and_nothing_else():
    """Lesson 08's sampler takes a numpy Generator: it crosses as plain data, and comes back
    with the state the student's draws left it in."""
    rng = np.random.default_rng(7)
    rng.random(3)  # a state that is not the seed's first
    sent = wire.encode(rng)
    json.dumps(sent)  # plain data
    copy_of = wire.decode(json.loads(json.dumps(sent)))
    assert type(copy_of) is np.random.Generator
    assert np.array_equal(copy_of.random(5), rng.random(5))
    forged = {"generator": wire.encode({"bit_generator": "MT19937", "state": {}})}
    with pytest.raises(ValueError, match="PCG64"):
        wire.decode(forged)
    broken = {"generator": wire.encode({"bit_generator": "PCG64", "state": "x"})}
    with pytest.raises(ValueError, match="PCG64"):
        wire.decode(broken)


def test_every_exercise_draws_fresh_cases_that_differ_from_its_published_ones():
    """A table of the published answers (the repository has the reference and the seeds)
    must not pass: every case that is drawn at all is drawn anew for a grading run. Only a
    case with nothing random in it (a single class, say) may come out the same."""
    from rnn_utils.checks import framework

    def drawn(exercise, salt=None):
        if salt is None:
            cases = exercise.make_cases()
        else:
            with framework.fresh_cases(salt):
                cases = exercise.make_cases()
        return [json.dumps(wire.encode(case.arguments), sort_keys=True) for case in cases]

    for name, exercise in sorted(EXERCISES.items()):
        published, first, second = drawn(exercise), drawn(exercise, 11), drawn(exercise, 12)
        random = [index for index in range(len(published)) if first[index] != second[index]]
        assert len(random) >= len(published) - 1, name
        assert all(first[index] != published[index] for index in random), name


def test_the_fast_path_of_lesson_08_is_refused_by_the_grader_as_at_home(judged):
    """charlm.adagrad computes adagrad_update's answer: the grading kernel holds its signature
    only, and the home check refuses it with the same words."""
    from rnn_utils.checks import CheckFailure, check_adagrad_update

    row = judged.by_exercise[("charlm_fast_path", "adagrad_update")]
    assert (row["status"], row["points"]) == ("failed", 0), row["message"]
    assert "rnn_utils.charlm.adagrad, the course's own fast path" in row["message"]
    namespace = {}
    exec(CHARLM_ADAGRAD, namespace)
    with pytest.raises(CheckFailure) as failure:
        check_adagrad_update(namespace["adagrad_update"])
    assert "rnn_utils.charlm.adagrad, the course's own fast path" in str(failure.value)
    assert failure.value.diagnosis == "reference_used"
