"""No answer in the grading kernel: every function of rnn_utils as the kernel sees it, called
with every exercise's cases, computes none of the exercise's graded outputs.

The kernel's copy of the package (grading.course.kernel_course) is written as the grader
writes it; a Python with that copy alone on its path (as in a sandbox) calls each of its
functions, private ones too, with each exercise's arguments, and hands back what they
returned. Here each result is compared with the reference's outputs for the same arguments.
A match is an answer a student could hand in by calling that function.
"""

import copy
import os
import pickle
import subprocess
import sys

import numpy as np
import pytest
from support.course import ROOT

from rnn_course.grading.course import kernel_course, load_course
from rnn_course.grading.judge import exercises

CALL_EVERY_FUNCTION = r"""
import contextlib, copy, importlib, inspect, io, pickle, pkgutil, signal, sys, warnings
import matplotlib
matplotlib.use("Agg")
import rnn_utils

warnings.simplefilter("ignore")
cases = pickle.load(sys.stdin.buffer)  # exercise -> list of positional arguments
signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError()))
results, names = {}, []
for info in pkgutil.walk_packages(rnn_utils.__path__, "rnn_utils."):
    try:
        module = importlib.import_module(info.name)
    except Exception:
        continue
    for name, function in sorted(vars(module).items()):
        if not inspect.isfunction(function) or function.__module__ != module.__name__:
            continue
        names.append(f"{module.__name__}.{name}")
        for exercise, argument_lists in cases.items():
            for index, arguments in enumerate(argument_lists):
                signal.setitimer(signal.ITIMER_REAL, 2)
                try:
                    with contextlib.redirect_stdout(io.StringIO()):
                        output = function(*copy.deepcopy(arguments))
                    pickle.dumps(output)
                    results[(f"{module.__name__}.{name}", exercise, index)] = output
                except BaseException:
                    pass
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
pickle.dump((names, results), sys.stdout.buffer)
"""


def arrays(value):
    """The arrays (of more than one number) in ``value``, a result or argument structure."""
    if isinstance(value, np.ndarray):
        return [value] if value.size > 1 and value.dtype.kind in "fc" else []
    if isinstance(value, dict):
        return [array for item in value.values() for array in arrays(item)]
    if isinstance(value, (tuple, list)):
        return [array for item in value for array in arrays(item)]
    return []


def same(first, second):
    return first.shape == second.shape and np.allclose(first, second, rtol=1e-6, atol=1e-9)


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    from rnn_utils import reference

    folder = tmp_path_factory.mktemp("kernel") / "course"
    folder.mkdir()
    kernel_course(load_course(ROOT), folder)
    known = exercises()
    cases = {name: [tuple(case.arguments.values()) for case in exercise.make_cases()[:2]]
             for name, exercise in known.items()}
    # arguments that are the course's own functions (numerical_gradient's f) cannot cross
    cases = {name: lists for name, lists in cases.items()
             if b"rnn_utils" not in pickle.dumps(lists)}
    assert len(cases) >= len(known) - 2
    done = subprocess.run([sys.executable, "-c", CALL_EVERY_FUNCTION], input=pickle.dumps(cases),
                          capture_output=True, cwd=folder, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(folder), "MPLBACKEND": "Agg"})
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    names, results = pickle.loads(done.stdout)
    expected = {(name, index): getattr(reference, name)(*copy.deepcopy(arguments))
                for name, argument_lists in cases.items()
                for index, arguments in enumerate(argument_lists)}
    return {"names": names, "results": results, "expected": expected, "cases": cases}


def test_the_audit_reaches_the_whole_kernel_package(audit):
    modules = {name.rsplit(".", 1)[0] for name in audit["names"]}
    assert {"rnn_utils.charlm", "rnn_utils.training", "rnn_utils.explorers",
            "rnn_utils.activations", "rnn_utils.gradcheck", "rnn_utils.signatures"} <= modules
    assert len(audit["names"]) > 80 and len(audit["results"]) > 40  # many calls do run


def test_no_function_in_the_kernel_computes_a_graded_output(audit):
    """For every exercise and case: no array a kernel function returns equals an array the
    reference returns, unless that array is one of the case's own arguments (handed back)."""
    found = []
    for (function, exercise, index), output in audit["results"].items():
        given = arrays(audit["cases"][exercise][index])
        wanted = [array for array in arrays(audit["expected"][(exercise, index)])
                  if not any(same(array, argument) for argument in given)]
        if any(same(array, answer) for array in arrays(output) for answer in wanted):
            found.append(f"{function} computes an output of {exercise}")
    assert sorted(set(found)) == []
