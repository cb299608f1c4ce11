"""Home check and grader agree on what a correct function may be (issue "Trust, second round").

A correct answer passes both, whatever kind of callable the student binds to the graded name:
an instance of a class with ``__call__``, a ``functools.partial``, a lambda, a decorated
function, a static or bound method, extra keyword-only parameters, ``*args``. Each is graded by
the grader (one class, one run) and checked by the home check in a fresh Python.
"""

import subprocess
import sys

import pytest
from support.course import ROOT
from support.lesson01 import ANSWER, FILE, graded, write_class

from rnn_course.grading.batch import grade

INNER = ANSWER.replace("def rnn_cell_forward(", "def _rnn_cell_forward(")
CALLABLES = {
    "class_instance": "class Cell:\n    def __call__(self, xt, a_prev, parameters):\n"
                      "        return _rnn_cell_forward(xt, a_prev, parameters)\n\n"
                      "rnn_cell_forward = Cell()\n",
    "partial": "import functools\nrnn_cell_forward = functools.partial(_rnn_cell_forward)\n",
    "lambda": "rnn_cell_forward = lambda xt, a_prev, parameters: "
              "_rnn_cell_forward(xt, a_prev, parameters)\n",
    "decorated": "import functools\ndef logged(function):\n    @functools.wraps(function)\n"
                 "    def inner(*args, **kwargs):\n        return function(*args, **kwargs)\n"
                 "    return inner\n\nrnn_cell_forward = logged(_rnn_cell_forward)\n",
    "static_method": "class Holder:\n    @staticmethod\n"
                     "    def rnn_cell_forward(xt, a_prev, parameters):\n"
                     "        return _rnn_cell_forward(xt, a_prev, parameters)\n\n"
                     "rnn_cell_forward = Holder.rnn_cell_forward\n",
    "bound_method": "class Holder:\n    def step(self, xt, a_prev, parameters):\n"
                    "        return _rnn_cell_forward(xt, a_prev, parameters)\n\n"
                    "rnn_cell_forward = Holder().step\n",
    "keyword_only": "def rnn_cell_forward(xt, a_prev, parameters, *, verbose=False):\n"
                    "    return _rnn_cell_forward(xt, a_prev, parameters)\n",
    "varargs": "def rnn_cell_forward(*args):\n    return _rnn_cell_forward(*args)\n",
}
HOME = ("import numpy as np\nfrom rnn_utils import sigmoid, softmax\n"
        "from rnn_utils.checks import check_rnn_cell_forward\n"
        "exec(open(0).read())\ncheck_rnn_cell_forward(rnn_cell_forward)\n")


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    base = tmp_path_factory.mktemp("callables")
    write_class(base / "class", {name: {FILE: graded(INNER + "\n" + code)}
                                 for name, code in CALLABLES.items()})
    rows = grade(base / "class", base / "out", ROOT, jobs=2, lessons=["01"])
    return {row["student"]: row for row in rows}


@pytest.mark.parametrize("kind", sorted(CALLABLES))
def test_every_kind_of_callable_passes_at_home_and_in_the_grader(kind, graded_class):
    home = subprocess.run([sys.executable, "-c", HOME], input=INNER + "\n" + CALLABLES[kind],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "all checks passed" in home.stdout, home.stdout + home.stderr
    row = graded_class[kind]
    assert (row["status"], row["points"]) == ("passed", row["max_points"]), row
