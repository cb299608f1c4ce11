"""``rnn-course grade NOTEBOOK ...``: which file is which lesson, JSON, errors (no kernel runs
here except where a row needs none; the verdicts against the batch grader are compared in
grading/test_example_class.py, on the example class)."""

import contextlib
import io
import json
import os
from pathlib import Path

import pytest

from rnn_course.cli import main
from rnn_course.grading.course import load_course
from rnn_course.grading.single import assign_lessons

ROOT = Path(__file__).resolve().parents[2]
CLASS = ROOT / "examples" / "class"


@pytest.fixture(scope="module")
def course():
    return load_course(ROOT, ["01", "02"])


def copy(source, folder, name):
    path = Path(folder) / name
    path.write_bytes(Path(source).read_bytes())
    return path


def test_a_file_named_as_a_lesson_is_that_lesson(course, tmp_path):
    path = copy(CLASS / "alice/02_rnn_forward.ipynb", tmp_path, "02_rnn_forward.ipynb")
    assert assign_lessons(course, [path]) == ({"02_rnn_forward": path}, [])


def test_a_renamed_file_is_known_by_its_graded_function(course, tmp_path):
    first = copy(CLASS / "alice/01_rnn_cell_forward.ipynb", tmp_path, "lab (2).ipynb")
    second = copy(CLASS / "frank/02_rnn_forward.ipynb", tmp_path, "mine.ipynb")  # no metadata
    files, ignored = assign_lessons(course, [first, second])
    assert files == {"01_rnn_cell_forward": first, "02_rnn_forward": second} and not ignored


def test_the_lesson_file_by_its_name_wins_over_a_renamed_copy(course, tmp_path):
    named = copy(CLASS / "alice/01_rnn_cell_forward.ipynb", tmp_path, "01_rnn_cell_forward.ipynb")
    renamed = copy(CLASS / "carol/01_rnn_cell_forward.ipynb", tmp_path, "copy.ipynb")
    files, ignored = assign_lessons(course, [renamed, named])
    assert files == {"01_rnn_cell_forward": named} and ignored == ["copy.ipynb"]


def test_a_file_of_no_lesson_is_not_graded(course, tmp_path):
    notes = tmp_path / "notes.ipynb"
    notes.write_text(json.dumps({"cells": [{"cell_type": "code", "source": "x = 1"}]}))
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    assert assign_lessons(course, [notes, broken]) == ({}, ["broken.ipynb", "notes.ipynb"])


def test_one_file_for_one_asked_lesson_is_graded_whatever_it_is(tmp_path):
    one = load_course(ROOT, ["01"])
    broken = tmp_path / "upload.ipynb"
    broken.write_text("{not json")
    assert assign_lessons(one, [broken], asked=True) == ({"01_rnn_cell_forward": broken}, [])
    assert assign_lessons(one, [broken], asked=False) == ({}, ["upload.ipynb"])


def run(*arguments):
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["grade", *arguments])
    return code, stdout.getvalue(), stderr.getvalue()


def test_a_broken_hand_in_gets_rows_and_json_without_running_a_kernel(tmp_path):
    broken = tmp_path / "upload.ipynb"
    broken.write_bytes(b"\xff\xfe not a notebook")
    code, stdout, stderr = run(str(broken), "--lessons", "01", "--student", "s1")
    assert code == 0, stderr
    result = json.loads(stdout)
    assert result["format"] == "rnn-course-grade" and result["student"] == "s1"
    assert (result["points"], result["max_points"]) == (0, 2)
    [exercise] = result["exercises"]
    assert exercise["status"] == "error" and "not a valid notebook" in exercise["message"]
    assert exercise["file"] == "upload.ipynb"


def test_a_lesson_asked_for_and_not_handed_in_is_missing(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    out = tmp_path / "out"
    code, stdout, stderr = run(str(notes), "--lessons", "01", "02", "--json",
                               str(tmp_path / "r.json"), "--out", str(out))
    assert code == 0, stderr
    assert stdout == ""  # written to the file asked for
    result = json.loads((tmp_path / "r.json").read_text())
    assert [e["status"] for e in result["exercises"]] == ["missing", "missing"]
    assert result["not_graded"] == ["notes.txt"]
    assert (out / "grades.csv").read_text().count("missing") == 2


def test_a_file_that_does_not_exist_is_a_clear_error(tmp_path):
    code, _, stderr = run(str(tmp_path / "nothing.ipynb"))
    assert code == 2 and "no such file" in stderr


def test_a_class_folder_still_needs_out(tmp_path):
    code, _, stderr = run(str(tmp_path))
    assert code == 2 and "--out" in stderr


def test_a_symbolic_link_is_not_followed(tmp_path):
    link = tmp_path / "01_rnn_cell_forward.ipynb"
    os.symlink(CLASS / "alice/01_rnn_cell_forward.ipynb", link)
    code, stdout, _ = run(str(link), "--lessons", "01")
    assert code == 0
    [exercise] = json.loads(stdout)["exercises"]
    assert exercise["status"] == "error" and "symbolic link" in exercise["message"]
