"""The grader runs only the statements a check depends on (grading/dependencies.py).

The analysis on its own, then the proof that matters: every verdict is the same with and
without it, on the example class, on every lesson's solution and on students whose functions
lean on the lesson's cells in the ways the analysis must follow.
"""

import json
import shutil

import pytest
from support.course import CLASS, ROOT

from rnn_course.grading import compose as compose_module
from rnn_course.grading.batch import grade
from rnn_course.grading.compose import compose, read_submission
from rnn_course.grading.course import load_course
from rnn_course.grading.dependencies import needed_sources

RELEASE = {
    "imports": "import numpy as np\nimport matplotlib.pyplot as plt\nnp.random.seed(1)",
    "demo": "table = np.arange(6.0).reshape(2, 3)\nprint(table)",
    "constant": "SCALE = 2.0",
    "plot": "figure, axes = plt.subplots()\naxes.plot([1, 2])",
    "magic": "%timeit np.zeros(3)",
    "option": "np.core.arrayprint.options = None",
    "decorated": "@staticmethod\ndef helper(x):\n    return x * SCALE",
}


def kept(student, release=RELEASE, functions=("double",)):
    return needed_sources(release, [student], list(functions))


def test_the_demonstrations_are_left_out_and_what_the_function_needs_is_kept():
    sources = kept("def double(x):\n    return np.asarray(x) * SCALE\n")
    assert sources["imports"] == "import numpy as np\nnp.random.seed(1)"  # no pyplot
    assert "demo" not in sources and "plot" not in sources
    assert sources["constant"] == "SCALE = 2.0"
    assert sources["magic"] == RELEASE["magic"]  # not Python: kept whole
    assert sources["option"] == RELEASE["option"]  # changes state other than a name


def test_a_name_from_a_demonstration_keeps_that_statement_and_what_it_needs():
    sources = kept("def double(x):\n    return x * table.sum() * helper(1)\n")
    assert sources["demo"] == "table = np.arange(6.0).reshape(2, 3)"  # its print is not needed
    assert sources["decorated"] == RELEASE["decorated"]  # with its decorator
    assert "SCALE = 2.0" in sources["constant"]  # what helper loads, to a fixed point


@pytest.mark.parametrize("student", [
    "def double(x):\n    return globals()['table']\n",
    "def double(x):\n    return eval('table')\n",
    "import __main__\ndef double(x):\n    return __main__.table\n",
    "def double(x):\n    return sys._getframe().f_globals['table']\n",
    "%who\ndef double(x):\n    return x\n",
])
def test_a_student_cell_that_reaches_names_dynamically_runs_everything(student):
    assert kept(student) is None


def test_changing_an_object_counts_as_binding_its_name_unless_it_is_shared():
    release = {"made": "weights = {}\nweights['a'] = 1.0\ndef fill(table):\n    table['b'] = 2",
               "module": "import numpy as np\nnp.tau = 6.28", "unknown": "options['x'] = 1"}
    assert kept("def double(x):\n    return x\n", release) == {
        "module": release["module"], "unknown": release["unknown"]}  # shared state: kept
    sources = kept("def double(x):\n    return x * weights['a']\n", release)
    assert sources["made"] == "weights = {}\nweights['a'] = 1.0"  # a function's body: not
    # a change until it is called


def test_statements_sharing_a_line_stay_together():
    sources = kept("def double(x):\n    return x * SCALE\n",
                   {"cell": "SCALE = 2.0; table = 1\nprint(table)"})
    assert sources == {"cell": "SCALE = 2.0; table = 1\nprint(table)"}


def test_a_composed_solution_of_lesson_01_runs_neither_pyplot_nor_the_demonstrations():
    lesson = load_course(ROOT, ["01"]).lessons[0]
    composed = compose(lesson, read_submission(ROOT / "solutions" / lesson.filename))
    code = [cell.source for cell in composed.notebook.cells if cell.cell_type == "code"]
    assert len(code) == 3 and "matplotlib" not in "".join(code)
    assert "rnn_grade_harness.hand_in('rnn_cell_forward'" in code[-1]


LEANS_ON_THE_LESSON = """\
def rnn_cell_forward(xt, a_prev, parameters):
    # correct only where the demonstration's `products` and `bias` exist
    assert products.shape == (3, 4) and bias.shape == (3, 1)
    return _answer(xt, a_prev, parameters)
"""


@pytest.fixture(scope="module")
def both_ways(tmp_path_factory):
    """The example class, a student handing in every lesson's solution and one whose function
    needs a demonstration's names, graded with and without the analysis."""
    from support.lesson01 import ANSWER, FILE, graded

    base = tmp_path_factory.mktemp("dependencies")
    shutil.copytree(CLASS, base / "class", ignore=shutil.ignore_patterns("*.csv"))
    (base / "class" / "solutions").mkdir()
    for notebook in sorted((ROOT / "solutions").glob("0*.ipynb")):
        shutil.copy(notebook, base / "class" / "solutions" / notebook.name)
    (base / "class" / "leaning").mkdir()
    leaning = graded(ANSWER.replace("def rnn_cell_forward(", "def _answer(") + "\n\n" +
                     LEANS_ON_THE_LESSON)
    (base / "class" / "leaning" / FILE).write_text(json.dumps(leaning), encoding="utf-8")
    rows = {}
    for only_needed in (True, False):
        compose_module.ONLY_NEEDED = only_needed
        try:
            found = grade(base / "class", base / f"out-{only_needed}", ROOT, jobs=2)
        finally:
            compose_module.ONLY_NEEDED = True
        rows[only_needed] = [(r["student"], r["notebook"], r["exercise"], r["points"],
                              r["status"], r["message"]) for r in found]
    return rows


def test_every_verdict_is_the_same_with_and_without_the_analysis(both_ways):
    assert both_ways[True] == both_ways[False]
    passed = {(row[0], row[2]) for row in both_ways[True] if row[4] == "passed"}
    assert ("leaning", "rnn_cell_forward") in passed
    assert sum(1 for student, _ in passed if student == "solutions") > 20
