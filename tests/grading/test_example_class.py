"""The grader on the example class (examples/class): known verdicts, outputs, feedback, CLI.

The class is graded once for the module (lessons 01-02, two jobs); the tests read the results.
"""

import contextlib
import csv
import hashlib
import io
import json
import subprocess
from pathlib import Path

import pytest
from support.course import CLASS, ROOT, load_make_class

from rnn_course.cli import main
from rnn_course.grading.report import GRADES_HEADER

LESSONS = ["01_rnn_cell_forward", "02_rnn_forward"]


def tree_hash(folder):
    """A hash of every path, mode and content under ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(str(path.stat().st_mode).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("example") / "out"
    before = tree_hash(CLASS)
    said = io.StringIO()
    with contextlib.redirect_stderr(said):
        code = main(["grade", str(CLASS), "--out", str(out), "--jobs", "2", "--timeout", "30",
                     "--lessons", *LESSONS])
    return {"code": code, "out": out, "before": before, "after": tree_hash(CLASS),
            "rows": read_csv(out / "grades.csv"), "stderr": said.getvalue()}


def test_the_grader_says_which_sandbox_it_uses(graded):
    first, *_, last = graded["stderr"].splitlines()
    assert first.startswith("rnn-course grade: sandbox: bwrap (")
    assert "(sandbox: bwrap)" in last


def row(graded, student, exercise):
    matches = [r for r in graded["rows"] if r["student"] == student and r["exercise"] == exercise]
    assert len(matches) == 1, matches
    return matches[0]


def test_the_committed_class_is_what_the_generator_makes(tmp_path):
    written = load_make_class().make_class(tmp_path)
    made = {p.relative_to(tmp_path) for p in written}
    committed = {p.relative_to(CLASS) for p in CLASS.rglob("*") if p.is_file()}
    assert made == committed, "run: .venv/bin/python examples/make_class.py"
    for relative in made:
        assert (tmp_path / relative).read_bytes() == (CLASS / relative).read_bytes(), (
            f"{relative} is stale: run .venv/bin/python examples/make_class.py")


def test_grading_exits_0_and_leaves_the_submissions_untouched(graded):
    assert graded["code"] == 0
    assert graded["before"] == graded["after"]


def test_every_verdict_is_the_known_one(graded):
    expected = read_csv(CLASS / "expected.csv")
    got = [{key: r[key] for key in ("student", "notebook", "exercise", "points", "max_points",
                                    "status")} for r in graded["rows"]]
    want = [{key: r[key] for key in got[0]} for r in expected]
    assert got == want


def test_grades_csv_has_the_contract_header_and_one_line_messages(graded):
    text = (graded["out"] / "grades.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(GRADES_HEADER)
    assert len(text.splitlines()) == 1 + len(graded["rows"])  # no message spans two lines
    assert all(r["message"] and "\n" not in r["message"] for r in graded["rows"])


def test_summary_sums_each_students_points(graded):
    summary = {r["student"]: (r["points"], r["max_points"])
               for r in read_csv(graded["out"] / "summary.csv")}
    assert summary == {"alice": ("5", "5"), "bob": ("0", "5"), "carol": ("3", "5"),
                       "dave": ("2", "5"), "erin": ("0", "5"), "frank": ("2", "5")}


def test_a_seeded_bug_is_failed_with_the_checks_diagnosis(graded):
    message = row(graded, "carol", "rnn_cell_forward")["message"]
    assert message.startswith("a_next has wrong values")
    assert "the bias ba is missing" in message
    assert "state is not carried" in row(graded, "frank", "rnn_forward")["message"]


def test_the_untouched_release_fails_as_not_implemented(graded):
    assert "not implemented" in row(graded, "bob", "rnn_forward")["message"]


def test_a_missing_lesson_gives_a_missing_row(graded):
    assert row(graded, "dave", "rnn_forward")["message"].startswith("not handed in")


def test_a_pasted_output_and_a_replaced_check_gain_nothing(graded):
    assert row(graded, "erin", "rnn_cell_forward")["status"] == "failed"
    assert "not implemented" in row(graded, "erin", "rnn_cell_forward")["message"]


def test_a_deleted_graded_cell_is_graded_as_the_stub_and_said_so(graded):
    message = row(graded, "erin", "rnn_forward")["message"]
    assert "not implemented" in message and "no graded cell" in message


def test_feedback_shows_the_diagnosis_expected_against_yours(graded):
    text = (graded["out"] / "feedback" / "carol.md").read_text(encoding="utf-8")
    assert "# Feedback for carol" in text and "Points: 3 of 5." in text
    assert "### rnn_cell_forward: failed, 0 of 2 points" in text
    assert "(yours " in text and "expected " in text
    assert "Likely mistake: the bias ba is missing" in text
    assert "### rnn_forward: passed, 3 of 3 points" in text


def test_feedback_lists_the_files_that_were_not_graded(graded):
    text = (graded["out"] / "feedback" / "dave.md").read_text(encoding="utf-8")
    assert "notes.txt" in text and "not handed in: no 02_rnn_forward.ipynb" in text


def test_feedback_tells_which_locked_cells_were_restored(graded):
    text = (graded["out"] / "feedback" / "erin.md").read_text(encoding="utf-8")
    assert "cell-01" in text and "graded as released" in text


def test_one_feedback_file_per_student(graded):
    names = sorted(p.name for p in (graded["out"] / "feedback").iterdir())
    assert names == [f"{s}.md" for s in ("alice", "bob", "carol", "dave", "erin", "frank")]


def test_make_grade_requires_submissions():
    result = subprocess.run(["make", "-s", "grade"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "SUBMISSIONS" in result.stderr + result.stdout


def test_readme_has_the_instructor_section_after_editing_a_lesson():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    edit = readme.index("## How an instructor edits a lesson")
    grading = readme.index("## Grading submissions (for instructors)")
    assert edit < grading
    assert "make grade SUBMISSIONS=" in readme[grading:]


# ---- lesson 08, graded apart: its notebook trains models ------------------------------------


@pytest.fixture(scope="module")
def graded_08(tmp_path_factory):
    out = tmp_path_factory.mktemp("example08") / "out"
    code = main(["grade", str(CLASS), "--out", str(out), "--jobs", "2", "--timeout", "300",
                 "--lessons", "08_character_language_model"])
    return {"code": code, "rows": read_csv(out / "grades.csv")}


def test_lesson_08_verdicts_are_the_known_ones(graded_08):
    assert graded_08["code"] == 0
    expected = {(r["student"], r["exercise"]): (r["points"], r["status"])
                for r in read_csv(CLASS / "expected_08.csv")}
    got = {(r["student"], r["exercise"]): (r["points"], r["status"]) for r in graded_08["rows"]
           if r["student"] in {student for student, _ in expected}}
    assert got == expected
    missing = [r for r in graded_08["rows"] if r["student"] not in {"alice", "frank"}]
    assert missing and all(r["status"] == "missing" for r in missing)


def test_lesson_08_seeded_bugs_get_their_diagnoses(graded_08):
    assert "most probable index is taken" in row(graded_08, "frank", "sample")["message"]
    assert "state is not carried" in row(graded_08, "frank", "train_truncated")["message"]


# ---- lesson 09 (the GRU), graded apart ------------------------------------------------------


@pytest.fixture(scope="module")
def graded_09(tmp_path_factory):
    out = tmp_path_factory.mktemp("example09") / "out"
    code = main(["grade", str(CLASS), "--out", str(out), "--jobs", "2", "--timeout", "120",
                 "--lessons", "09_gru"])
    return {"code": code, "rows": read_csv(out / "grades.csv")}


def test_lesson_09_verdicts_are_the_known_ones(graded_09):
    assert graded_09["code"] == 0
    expected = {(r["student"], r["exercise"]): (r["points"], r["status"])
                for r in read_csv(CLASS / "expected_09.csv")}
    got = {(r["student"], r["exercise"]): (r["points"], r["status"]) for r in graded_09["rows"]
           if r["student"] in {student for student, _ in expected}}
    assert got == expected
    missing = [r for r in graded_09["rows"] if r["student"] not in {"alice", "carol"}]
    assert missing and all(r["status"] == "missing" for r in missing)


def test_lesson_09_seeded_bugs_get_their_diagnoses(graded_09):
    assert "zt and 1 - zt are swapped" in row(graded_09, "carol", "gru_cell_forward")["message"]
    assert "the gradient from step t+1 is forgotten" in row(graded_09, "carol",
                                                            "gru_backward")["message"]
    assert row(graded_09, "carol", "gru_cell_forward")["mistake"] == \
        "gru_cell_forward/update-gate-swapped"
    assert row(graded_09, "carol", "gru_backward")["mistake"] == "gru_backward/da-not-carried"


# ---- one submission at a time: the same verdicts as the batch ---------------------------------


def grade_alone(student, folder, tmp_path, names=None):
    """``rnn-course grade`` of one student's notebooks (renamed to ``names`` if given): JSON."""
    paths = []
    for lesson, name in zip(LESSONS, names or [f"{lesson}.ipynb" for lesson in LESSONS]):
        source = folder / f"{lesson}.ipynb"
        if source.exists():
            (tmp_path / name).write_bytes(source.read_bytes())
            paths.append(str(tmp_path / name))
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
        code = main(["grade", *paths, "--student", student, "--lessons", *LESSONS,
                     "--jobs", "2", "--timeout", "30"])
    assert code == 0
    return json.loads(stdout.getvalue())


@pytest.mark.parametrize("student, names", [
    ("carol", None),  # a seeded bug, prints and warnings, an added cell that raises
    ("erin", None),  # tampering: a replaced check, an edited locked import, a deleted cell
    ("frank", ["homework (1).ipynb", "my rnn.ipynb"]),  # no ids or metadata; renamed files
])
def test_one_submission_gets_the_batch_verdicts_and_feedback(graded, tmp_path, student, names):
    alone = grade_alone(student, CLASS / student, tmp_path, names)
    batch = [r for r in graded["rows"] if r["student"] == student]
    columns = [{key: str(r[key]) for key in GRADES_HEADER} for r in alone["exercises"]]
    assert columns == batch
    assert alone["points"] == sum(int(r["points"]) for r in batch)
    feedback = (graded["out"] / "feedback" / f"{student}.md").read_text(encoding="utf-8")
    assert alone["feedback"] == feedback
    assert [e["file"] for e in alone["exercises"]] == (
        names or [f"{lesson}.ipynb" if (CLASS / student / f"{lesson}.ipynb").exists() else None
                  for lesson in LESSONS])


def test_the_mistake_column_names_the_seeded_bugs_by_their_codes(graded):
    from rnn_course.grading.mistakes import catalogue

    codes = {code for codes in catalogue().values() for code in codes}
    mistakes = {(r["student"], r["exercise"]): r["mistake"] for r in graded["rows"]}
    assert mistakes[("carol", "rnn_cell_forward")] == "rnn_cell_forward/missing-ba"
    assert mistakes[("frank", "rnn_forward")] == "rnn_forward/state-not-carried"
    assert all(r["mistake"] == "" for r in graded["rows"] if r["status"] != "failed")
    assert all(r["mistake"] in codes for r in graded["rows"] if r["mistake"])
    assert mistakes[("bob", "rnn_cell_forward")] == ""  # not implemented: no mistake named
