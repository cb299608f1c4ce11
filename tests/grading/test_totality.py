"""Hostile students against the grader's own reading: nothing a submission is can stop the class.

Each attack of this file stays inside the test's temporary folder: the pipes, links and odd
names are made there, and the link targets are the test's own files or /dev/zero (read by
nothing once the grader refuses it).
"""

import json
import os
from pathlib import Path

import pytest
from support.course import MAKE, ROOT
from support.lesson01 import ANSWER, FILE, RELEASE, graded

from rnn_course.grading.batch import grade, students
from rnn_course.grading.compose import NotANotebook, compose, defines, read_submission
from rnn_course.grading.course import load_course
from rnn_course.grading.files import printable_name
from rnn_course.grading.run import Settings, _read_events, parse_event

ONE = load_course(ROOT, ["01"]).lessons[0]


def deeply_nested(depth=200_000):
    return "[" * depth + "]" * depth


def test_a_notebook_nested_too_deeply_for_json_is_not_a_notebook(tmp_path):
    path = tmp_path / FILE
    path.write_text('{"cells": ' + deeply_nested() + "}", encoding="utf-8")
    with pytest.raises(NotANotebook, match="nested too deeply"):
        read_submission(path)


def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    path = tmp_path / FILE
    os.mkfifo(path)  # nobody ever writes: a read would block forever
    with pytest.raises(NotANotebook, match="named pipe"):
        read_submission(path)


def test_a_link_is_never_followed(tmp_path):
    target = tmp_path / "target.ipynb"
    target.write_text(json.dumps(RELEASE), encoding="utf-8")
    for name, points_to in (("to_file.ipynb", target), ("to_zero.ipynb", Path("/dev/zero"))):
        (tmp_path / name).symlink_to(points_to)
        with pytest.raises(NotANotebook, match="symbolic link"):
            read_submission(tmp_path / name)


def test_a_grade_id_that_is_a_list_or_a_dict_is_ignored(tmp_path):
    notebook = json.loads(json.dumps(graded(ANSWER)))
    for cell in notebook["cells"]:
        cell.pop("id", None)
        cell.setdefault("metadata", {})["nbgrader"] = {"grade_id": ["rnn_cell_forward"]}
    notebook["cells"][0]["metadata"]["nbgrader"] = {"grade_id": {"a": 1}}
    path = tmp_path / FILE
    path.write_text(json.dumps(notebook), encoding="utf-8")
    composed = compose(ONE, read_submission(path))
    graded_cell = next(c for c in composed.notebook.cells if c.id == "rnn_cell_forward")
    assert graded_cell.source == ANSWER  # found by its definition instead


def test_an_expression_too_deep_for_ast_defines_nothing():
    assert defines("x = " + "(" * 100_000 + "1" + ")" * 100_000, "rnn_cell_forward") is False
    assert defines("x = " + "-" * 200_000 + "1", "rnn_cell_forward") is False


def test_folder_names_that_are_not_utf8_get_a_printable_id(tmp_path):
    (tmp_path / os.fsdecode(b"caf\xe9")).mkdir()
    (tmp_path / os.fsdecode(b"caf\xe8")).mkdir()
    (tmp_path / "tab\there").mkdir()
    names = [name for name, _ in students(tmp_path)]
    assert names == sorted(names) or len(names) == 3
    assert set(names) == {"caf\\xe9", "caf\\xe8", "tab\\there"}
    assert all(name.isprintable() for name in names)
    assert printable_name("plain") == "plain"


@pytest.mark.parametrize("line", [
    b"not json at all", b"[1, 2]", b'{"event": "result"}', b'{"event": 3}', b'"string"',
    b'{"event": "start", "notebook": ["nb0"]}', b'{"event": "start", "notebook": "../x"}',
    deeply_nested(100_000).encode(), b"\xff\xfe",
])
def test_a_line_on_the_result_channel_that_is_not_an_event_is_dropped(line):
    assert parse_event(line) is None


def test_the_reader_of_the_result_channel_survives_garbage():
    read_end, write_end = os.pipe()
    good = json.dumps({"event": "start", "notebook": "nb0"}).encode()
    os.write(write_end, b"garbage\n" + deeply_nested(20_000).encode() + b"\n" + good + b"\n")
    os.close(write_end)
    events = []
    try:
        assert _read_events(read_end, Settings(timeout=1), events) is None
    finally:
        os.close(read_end)
    assert events == [{"event": "start", "notebook": "nb0"}]


@pytest.fixture(scope="module")
def odd_class(tmp_path_factory):
    """A class of unreadable submissions around one correct student, graded once."""
    base = tmp_path_factory.mktemp("odd")
    folder = base / "class"
    answer = json.dumps(graded(ANSWER))
    for student in ("a_correct", "deep_json", "pipe", "link_to_zero", "link_to_classmate",
                    "link_folder", "grade_id_list"):
        (folder / student).mkdir(parents=True)
    (folder / "a_correct" / FILE).write_text(answer, encoding="utf-8")
    (folder / "deep_json" / FILE).write_text('{"cells": ' + deeply_nested() + "}")
    os.mkfifo(folder / "pipe" / FILE)
    (folder / "link_to_zero" / FILE).symlink_to("/dev/zero")
    (folder / "link_to_classmate" / FILE).symlink_to(folder / "a_correct" / FILE)
    (folder / "link_folder").rmdir()
    (folder / "link_folder").symlink_to(folder / "a_correct", target_is_directory=True)
    listed = json.loads(answer)
    for cell in listed["cells"]:
        cell.setdefault("metadata", {})["nbgrader"] = {"grade_id": [1, 2]}
    (folder / "grade_id_list" / FILE).write_text(json.dumps(listed), encoding="utf-8")
    latin = folder / os.fsdecode(b"Jos\xe9")
    latin.mkdir()
    (latin / FILE).write_text(answer, encoding="utf-8")
    rows = grade(folder, base / "out", ROOT, jobs=2, timeout=20, lessons=["01"])
    return {row["student"]: row for row in rows}, base / "out"


def test_unreadable_submissions_become_rows_and_the_others_are_graded(odd_class):
    rows, out = odd_class
    assert rows["a_correct"]["status"] == "passed"
    assert rows["Jos\\xe9"]["status"] == "passed"
    assert rows["grade_id_list"]["status"] == "passed"
    assert rows["deep_json"]["message"] == "not a valid notebook (JSON nested too deeply)"
    assert "named pipe" in rows["pipe"]["message"]
    for student in ("link_to_zero", "link_to_classmate"):
        assert (rows[student]["status"], rows[student]["points"]) == ("error", 0)
        assert "symbolic link" in rows[student]["message"]
    assert "link_folder" not in rows  # a linked folder is not a student folder
    assert (out / "feedback" / "Jos\\xe9.md").read_text(encoding="utf-8").startswith(
        "# Feedback for Jos\\xe9")


SLOW_CELL = "import time\ntime.sleep(3)\n"


def test_a_notebook_of_cells_each_just_under_the_time_limit_meets_its_budget(tmp_path):
    """Each added cell stays under the 4 s cell limit; together they pass the 15 s budget (in
    which a plain lesson 01 runs on a busy machine too)."""
    slow = graded(ANSWER)
    for _ in range(7):
        slow = MAKE.with_added(slow, "cell-01", SLOW_CELL)
    (tmp_path / "class" / "slow").mkdir(parents=True)
    (tmp_path / "class" / "slow" / FILE).write_text(json.dumps(slow), encoding="utf-8")
    (tmp_path / "class" / "z_fine").mkdir()
    (tmp_path / "class" / "z_fine" / FILE).write_text(json.dumps(graded(ANSWER)))
    rows = {row["student"]: row for row in grade(
        tmp_path / "class", tmp_path / "out", ROOT, jobs=1, timeout=4, lessons=["01"],
        notebook_timeout=15)}
    assert rows["slow"]["status"] == "timeout"
    assert "wall-clock budget" in rows["slow"]["message"]
    assert rows["z_fine"]["status"] == "passed"


def test_any_legal_folder_name_is_graded_reported_and_written(tmp_path):
    """250 bytes, a newline, a formula, a leading dot: every folder is a student, gets a row,
    a summary line and a feedback file (found through feedback/index.csv when renamed)."""
    from rnn_course.grading.report import feedback_file

    names = {"a" * 250: "a" * 250, "new\nline": "new\\nline", "=1+2": "'=1+2"}
    folder = tmp_path / "class"
    for name in names:
        (folder / name).mkdir(parents=True)
        (folder / name / FILE).write_text(json.dumps(graded(ANSWER)), encoding="utf-8")
    rows = grade(folder, tmp_path / "out", ROOT, jobs=2, timeout=20, lessons=["01"])
    assert sorted(row["student"] for row in rows) == sorted(n.replace("\n", "\\n") for n in names)
    assert all(row["status"] == "passed" for row in rows)
    grades = (tmp_path / "out" / "grades.csv").read_text(encoding="utf-8")
    for student, written in names.items():
        assert f"\n{written}," in grades  # the formula one as text
        assert (tmp_path / "out" / "feedback" / feedback_file(
            student.replace("\n", "\\n"))).is_file()
