"""The grader against hostile and broken submissions, made here from lesson 01's release.

One class, graded once for the module (lesson 01 only, 5 s per cell, two jobs): each student
hands in one kind of trouble, and the correct students around them must still pass.
"""

import csv

import pytest
from support.course import ROOT
from support.lesson01 import (
    ANSWER,
    FILE,
    PASS_LINE,
    RELEASE,
    added,
    graded,
    in_function,
    tree_hash,
    write_class,
)

from rnn_course.grading.batch import grade

STUBBORN_LOOP = """\
import time
while True:
    try:
        time.sleep(0.2)
    except KeyboardInterrupt:
        pass
"""
FAKE_CHECK = f"def check_rnn_cell_forward(function):\n    print({PASS_LINE!r})\n"
PATCHES = f"""\
import rnn_utils.checks
import rnn_utils.checks.framework as framework
import rnn_utils.reference as reference
framework.run_check = lambda exercise, function: print({PASS_LINE!r})
rnn_utils.checks.check_rnn_cell_forward = lambda function: print({PASS_LINE!r})
reference.rnn_cell_forward = rnn_cell_forward
"""
DELETE_AND_MOVE = """\
import os
for name in os.listdir("."):
    if os.path.isfile(name):
        os.remove(name)
os.chdir("/")
"""
WRAPPED_REFERENCE = """\
from rnn_utils.reference import rnn_cell_forward as _theirs


def rnn_cell_forward(xt, a_prev, parameters):
    return _theirs(xt, a_prev, parameters)
"""

# student -> {file name: notebook JSON (dict) or raw text}
CLASS = {
    "a_correct": {FILE: graded(ANSWER)},
    "endless_loop": {FILE: graded(in_function("import time\nwhile True:\n    time.sleep(0.1)"))},
    "stubborn_loop_in_added_cell": {FILE: added(graded(ANSWER), "cell-01", STUBBORN_LOOP)},
    "os_exit_in_function": {FILE: graded(in_function("import os\nos._exit(1)"))},
    "os_exit_in_added_cell": {FILE: added(graded(ANSWER), "cell-01", "import os\nos._exit(3)\n")},
    "sys_exit_in_function": {FILE: graded(in_function("import sys\nsys.exit(3)"))},
    "syntax_error": {FILE: graded(ANSWER.replace("a_next = np.tanh(", "a_next = np.tanh((", 1))},
    "huge_allocation": {FILE: graded(in_function("big = np.ones(4 * 2**30 // 8)"))},
    "deletes_files_and_moves": {FILE: graded(in_function(DELETE_AND_MOVE))},
    "not_json": {FILE: "this is not a notebook {"},
    "empty_file": {FILE: ""},
    "empty_folder": {},
    "foreign_files": {FILE: graded(ANSWER), "99_unknown.ipynb": RELEASE, "notes.txt": "hi\n"},
    "redefined_check": {FILE: added(RELEASE, "cell-01", FAKE_CHECK)},
    "patched_modules": {FILE: added(graded("def rnn_cell_forward(xt, a_prev, parameters):\n"
                                           "    return None\n"), "rnn_cell_forward", PATCHES)},
    "reference_as_answer": {FILE: added(RELEASE, "rnn_cell_forward",
                                        "from rnn_utils.reference import rnn_cell_forward\n")},
    "wrapped_reference": {FILE: graded(WRAPPED_REFERENCE)},
    "prints_and_fails": {FILE: graded("def rnn_cell_forward(xt, a_prev, parameters):\n"
                                      "    print('debugging: xt has shape', xt.shape)\n"
                                      "    return None\n")},
    "prints_and_passes": {FILE: graded(in_function("print('debugging, all fine')"))},
    "z_correct": {FILE: graded(ANSWER)},
}


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    write_class(base / "class", CLASS)
    before = tree_hash(base / "class")
    rows = grade(base / "class", base / "out", ROOT, jobs=2, timeout=5, lessons=["01"])
    return {"rows": {r["student"]: r for r in rows}, "all": rows, "out": base / "out",
            "unchanged": before == tree_hash(base / "class")}


def verdict(result, student):
    found = result["rows"][student]
    return found["status"], found["points"], found["message"]


def test_one_row_per_student_and_the_submissions_are_not_modified(result):
    assert [r["student"] for r in result["all"]] == sorted(CLASS)
    assert result["unchanged"]


@pytest.mark.parametrize("student", ["a_correct", "z_correct", "foreign_files"])
def test_correct_students_pass_whatever_their_neighbours_do(result, student):
    assert verdict(result, student)[:2] == ("passed", 2)


def test_an_endless_loop_in_the_function_is_a_timeout(result):
    status, points, message = verdict(result, "endless_loop")
    assert (status, points) == ("timeout", 0)
    assert "did not finish within 5 s" in message


def test_the_feedback_shows_what_a_failing_function_printed_as_the_home_check_does(result):
    status, _, message = verdict(result, "prints_and_fails")
    assert status == "failed"
    assert "What your function printed on this case: | debugging: xt has shape (3, 4)" in \
        message, message  # the lines of the home check's message, joined in grades.csv
    assert verdict(result, "prints_and_passes")[:2] == ("passed", 2)


def test_a_loop_that_ignores_interrupts_stops_the_kernel_and_is_a_timeout(result):
    status, _, message = verdict(result, "stubborn_loop_in_added_cell")
    assert status == "timeout"
    assert "a cell you added" in message and "stopped" in message


@pytest.mark.parametrize("student", ["os_exit_in_function", "os_exit_in_added_cell"])
def test_a_dead_kernel_is_an_error_with_its_reason(result, student):
    status, points, message = verdict(result, student)
    assert (status, points) == ("error", 0)
    assert "kernel died" in message


def test_sys_exit_is_an_error(result):
    status, _, message = verdict(result, "sys_exit_in_function")
    assert status == "error" and "SystemExit" in message


def test_a_syntax_error_in_the_graded_cell_is_named(result):
    status, _, message = verdict(result, "syntax_error")
    assert status == "error"
    assert message.startswith("the graded cell raised SyntaxError")
    assert ".py" not in message  # no kernel-specific file names: the same every time


def test_memory_is_limited(result):
    status, _, message = verdict(result, "huge_allocation")
    assert status == "failed" and "MemoryError" in message


def test_a_function_that_deletes_files_and_changes_folder_is_graded_normally(result):
    assert verdict(result, "deletes_files_and_moves")[:2] == ("passed", 2)


def test_a_file_that_is_not_json_is_an_error(result):
    status, _, message = verdict(result, "not_json")
    assert status == "error" and message.startswith("not a valid notebook (not JSON")


def test_an_empty_file_is_an_error(result):
    assert verdict(result, "empty_file") == ("error", 0, "not a valid notebook (empty file)")


def test_an_empty_folder_is_missing(result):
    assert verdict(result, "empty_folder")[:2] == ("missing", 0)


def test_foreign_files_are_listed_in_the_feedback(result):
    text = (result["out"] / "feedback" / "foreign_files.md").read_text(encoding="utf-8")
    assert "99_unknown.ipynb, notes.txt" in text


@pytest.mark.parametrize("student", ["redefined_check", "patched_modules"])
def test_replacing_or_patching_the_checks_gains_nothing(result, student):
    assert verdict(result, student)[:2] == ("failed", 0)


def test_the_reference_passed_off_as_the_answer_fails(result):
    status, _, message = verdict(result, "reference_as_answer")
    assert status == "failed" and "which this check does not allow" in message


def test_a_graded_cell_that_only_calls_the_reference_gets_nothing(result):
    status, points, message = verdict(result, "wrapped_reference")
    assert (status, points) == ("failed", 0)  # the kernel holds no reference to call
    assert "which this check does not allow" in message


def test_messages_are_single_lines(result):
    with open(result["out"] / "grades.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(CLASS)
    assert all(row["message"] and "\n" not in row["message"] for row in rows)
