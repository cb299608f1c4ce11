"""The course as an nbgrader course, run with the real nbgrader (rnn-course nbgrader).

One course folder is made for the module, as an instructor would: `rnn-course nbgrader`,
`nbgrader generate_assignment` of lessons 01-02, the example class collected into
submitted/<student>/<lesson>/, `nbgrader autograde` of both lessons (once: it runs 11
notebooks). The tests read the release and the gradebook; a few run nbgrader once more.
nbgrader's apps run in this process (as nbgrader's own tests run them), which saves starting
nbgrader for every command; the notebooks run in kernels of their own.
"""

import copy
import csv
import json
import logging
import os
import re
import shutil
import sys
from io import StringIO
from pathlib import Path

import pytest
from jupyter_core.application import NoStart

pytest.importorskip("nbgrader", reason="nbgrader is not installed: the nbgrader course is "
                    "tested with the real nbgrader, which the dev extra installs "
                    "(pip install -e '.[dev]')")

import nbformat  # noqa: E402
from nbgrader.api import Gradebook, MissingEntry  # noqa: E402
from nbgrader.apps import NbGraderApp  # noqa: E402
from nbgrader.converters import Autograde, GenerateAssignment  # noqa: E402
from nbgrader.utils import compute_checksum  # noqa: E402
from nbgrader.validator import Validator  # noqa: E402

from rnn_course.authoring.build import lesson_paths, solution_notebook  # noqa: E402
from rnn_course.authoring.lesson import read_lesson, solution_lines, without_markers  # noqa: E402
from rnn_course.authoring.marks import checksum  # noqa: E402
from rnn_course.cli import main  # noqa: E402
from rnn_course.platforms.nbgrader.course import (  # noqa: E402
    CONFIG_NAME,
    GENERATE_PREPROCESSORS,
    SANITIZE_PREPROCESSORS,
    is_lesson,
    repair,
)

ROOT = Path(__file__).resolve().parents[2]
CLASS = ROOT / "examples" / "class"
LESSONS = ["01_rnn_cell_forward", "02_rnn_forward"]
PASS_LINE = "rnn_cell_forward: all checks passed"
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)]+)\)")


def nbgrader(course, *args):
    """`nbgrader ARGS` run in ``course``, in this process; returns (exit code, its log)."""
    log, here, path = StringIO(), os.getcwd(), os.environ.get("PATH", "")
    # nbgrader runs `alembic` when it makes a gradebook: the one of this environment
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{path}"
    os.chdir(course)
    app, code = NbGraderApp.instance(), 0
    try:
        app.initialize(list(args))
        app.init_logging(logging.StreamHandler, [log], color=False, subapps=True)
        app.start()
    except NoStart:  # what the app raises once its subcommand has run
        pass
    except SystemExit as stop:
        code = stop.code
    finally:
        app.reset()
        os.chdir(here)
        os.environ["PATH"] = path
    return code, log.getvalue()


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def scores(course):
    """(student, lesson, grade cell) -> (score, needs manual grade), from the gradebook."""
    found = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in gradebook.students:
            for lesson in LESSONS:
                try:
                    submission = gradebook.find_submission_notebook(lesson, lesson, student.id)
                except MissingEntry:
                    continue
                for grade in submission.grades:
                    found[student.id, lesson, grade.name] = (grade.score,
                                                             grade.needs_manual_grade)
    return found


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course made and graded as docs/nbgrader.md tells an instructor to."""
    folder = tmp_path_factory.mktemp("nbgrader") / "mycourse"
    assert main(["nbgrader", str(folder), "--lessons", "01", "02", "--root", str(ROOT)]) == 0
    logs = {}
    for lesson in LESSONS:
        logs["generate", lesson] = nbgrader(folder, "generate_assignment", lesson)
    for student in sorted(p.name for p in CLASS.iterdir() if p.is_dir()):
        for lesson in LESSONS:
            handed_in = CLASS / student / f"{lesson}.ipynb"
            if handed_in.exists():
                target = folder / "submitted" / student / lesson
                target.mkdir(parents=True)
                shutil.copy(handed_in, target / handed_in.name)
    for lesson in LESSONS:
        logs["autograde", lesson] = nbgrader(folder, "autograde", lesson)
    return {"folder": folder, "logs": logs, "scores": scores(folder)}


def release_of(course, lesson):
    return course["folder"] / "release" / lesson / f"{lesson}.ipynb"


def test_generate_and_autograde_succeed(course):
    for (step, lesson), (code, log) in course["logs"].items():
        assert code == 0, f"nbgrader {step} {lesson} failed:\n{log}"
        assert "ERROR" not in log, log


def test_autograde_gives_the_points_of_rnn_course_grade(course):
    """expected.csv holds rnn-course grade's verdicts (tests/test_grade_example.py proves
    them): erin's edited import and replaced check, frank's notebook without metadata too."""
    got, want = {}, {}
    for row in read_csv(CLASS / "expected.csv"):
        lesson = row["notebook"].removesuffix(".ipynb")
        key = (row["student"], lesson, f"check_{row['exercise']}")
        want[key] = (float(row["points"]), False)
        got[key] = course["scores"].get(key, (0.0, False))  # not handed in: no submission
        if row["status"] == "missing":
            assert key not in course["scores"]
    assert got == want
    assert got["frank", "01_rnn_cell_forward", "check_rnn_cell_forward"] == (2.0, False)
    assert got["erin", "02_rnn_forward", "check_rnn_forward"] == (0.0, False)


def test_autograde_says_what_it_repaired(course):
    _, log = course["logs"]["autograde", "02_rnn_forward"]
    assert "erin/02_rnn_forward: 1 locked cell(s) you edited were graded as released" in log
    assert "no graded cell for rnn_forward was found" in log


def test_the_release_is_the_courses_own_student_notebook(course):
    """nbgrader's release of the source is notebooks/<lesson>.ipynb, cell for cell: sources,
    ids, metadata (marks, checksums, locks) and all."""
    for lesson in LESSONS:
        released = json.loads(release_of(course, lesson).read_text(encoding="utf-8"))
        ours = json.loads((ROOT / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8"))
        assert released == ours


def test_no_answer_text_reaches_the_release(course):
    for path in lesson_paths(ROOT)[:2]:
        lesson = read_lesson(path)
        source = course["folder"] / "source" / lesson.name / f"{lesson.name}.ipynb"
        assert not [cell for cell in nbformat.read(source, as_version=4).cells
                    if "answer" in cell.metadata.get("tags", [])]
        released = release_of(course, lesson.name).read_text(encoding="utf-8")
        lines = {line.strip() for cell in nbformat.reads(released, 4).cells
                 for line in cell.source.splitlines()}
        assert "BEGIN SOLUTION" not in released
        secret = [line.strip() for entry in lesson.cells if entry.role == "answer"
                  for line in entry.cell.source.splitlines() if len(line.strip()) > 20]
        secret += [line.strip() for entry in lesson.cells if entry.role == "graded"
                   for line in solution_lines(entry.cell.source)
                   if line.strip() and not line.strip().startswith("#")]
        assert secret and not [line for line in secret if line in lines]


def test_the_config_removes_answer_cells_a_source_may_still_hold(course):
    """Second line of defence: an answer cell put into a source is not released."""
    lesson = read_lesson(lesson_paths(ROOT)[0])
    answers = [c for c in solution_notebook(lesson).cells if "answer" in c.metadata.get("tags", [])]
    name = "01_with_answers"
    folder = course["folder"] / "source" / name
    shutil.copytree(course["folder"] / "source" / lesson.name, folder)
    (folder / f"{lesson.name}.ipynb").rename(folder / f"{name}.ipynb")
    notebook = nbformat.read(folder / f"{name}.ipynb", as_version=4)
    notebook.cells += copy.deepcopy(answers)
    nbformat.write(notebook, folder / f"{name}.ipynb")
    code, log = nbgrader(course["folder"], "generate_assignment", name)
    assert code == 0, log
    assert f"removed {len(answers)} cell(s) tagged 'answer'" in log
    released = (course["folder"] / "release" / name / f"{name}.ipynb").read_text(encoding="utf-8")
    assert answers and not [c for c in answers if c.source.strip()[:60] in released]


def test_generate_assignment_refuses_a_student_release_as_source(course):
    """notebooks/ holds no answer regions: nbgrader would make each graded cell a bare stub."""
    name = "01_from_notebooks"
    folder = course["folder"] / "source" / name
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / "01_rnn_cell_forward.ipynb", folder / f"{name}.ipynb")
    code, log = nbgrader(course["folder"], "generate_assignment", name)
    assert code != 0
    assert "solution cell 'rnn_cell_forward' has no '### BEGIN SOLUTION' region" in log
    assert "rnn-course nbgrader" in log
    assert not (course["folder"] / "release" / name).exists()


def test_figures_resolve_in_source_release_and_autograded(course):
    folder = course["folder"]
    for lesson in LESSONS:
        places = [folder / "source" / lesson, folder / "release" / lesson,
                  folder / "autograded" / "alice" / lesson]
        for place in places:
            cells = nbformat.read(place / f"{lesson}.ipynb", as_version=4).cells
            links = [link for cell in cells if cell.cell_type == "markdown"
                     for link in IMAGE_LINK.findall(cell.source)]
            assert links, f"{lesson} shows a figure"
            for link in links:
                assert (place / link).is_file(), f"{place}: {link}"


def solved(notebook_path, tmp_path, change=None):
    """A copy of a release notebook with the graded cell answered (and ``change`` applied),
    with the figures beside it."""
    notebook = nbformat.read(notebook_path, as_version=4)
    graded = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("solution"))
    lesson = read_lesson(ROOT / "solutions" / "01_rnn_cell_forward.py")
    graded.source = next(without_markers(e.cell.source) for e in lesson.cells
                         if e.role == "graded")
    if change:
        change(notebook)
    path = tmp_path / notebook_path.name
    nbformat.write(notebook, path)
    return path


def replace_check(notebook):
    check = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade"))
    check.source = f"print({PASS_LINE!r})"


def test_validate_passes_a_solved_release(course, tmp_path):
    release = release_of(course, "01_rnn_cell_forward")
    assert Validator().validate(str(solved(release, tmp_path))) == {}


def test_validate_reports_a_replaced_check_in_the_courses_own_release(tmp_path):
    """notebooks/ carries nbgrader's checksums (it is the release, as tested above)."""
    notebook = ROOT / "notebooks" / "01_rnn_cell_forward.ipynb"
    changed = Validator().validate(str(solved(notebook, tmp_path, replace_check)))
    assert [cell["source"] for cell in changed["changed"]] == [f"print({PASS_LINE!r})"]


# ---- without running nbgrader ---------------------------------------------------------------


def test_checksums_are_nbgraders():
    """Every cell of every release notebook carries nbgrader's checksum, computed by our code
    as nbgrader computes it, also on cells changed in each part the checksum covers."""
    count = 0
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            assert cell.metadata.nbgrader.checksum == compute_checksum(cell) == checksum(cell)
            count += 1
            changed = copy.deepcopy(cell)
            changed.source += " "
            changed.metadata.nbgrader.grade_id += "x"
            assert checksum(changed) == compute_checksum(changed) != checksum(cell)
            if changed.metadata.nbgrader.get("grade"):
                changed.metadata.nbgrader.points += 1
                assert checksum(changed) == compute_checksum(changed)
    assert count > 100


def test_our_preprocessors_come_before_nbgraders_defaults():
    def names(classes):
        return [f"nbgrader.preprocessors.{cls.__name__}" for cls in classes]
    generate = GenerateAssignment.class_traits()["preprocessors"].default()
    sanitize = Autograde.class_traits()["sanitize_preprocessors"].default()
    assert GENERATE_PREPROCESSORS[2:] == names(generate)
    assert SANITIZE_PREPROCESSORS[1:] == names(sanitize)
    assert all(name.startswith("rnn_course.platforms.nbgrader.preprocessors.")
               for name in GENERATE_PREPROCESSORS[:2] + SANITIZE_PREPROCESSORS[:1])


def test_configs_written_before_the_move_still_load_our_preprocessors():
    """nbgrader_config.py files of rnn-course 0.1 name rnn_course.nbgrader_preprocessors.X:
    nbgrader imports each name as a string (traitlets' import_item), so the shim must keep
    giving the same classes."""
    from traitlets.utils.importstring import import_item

    for name in GENERATE_PREPROCESSORS[:2] + SANITIZE_PREPROCESSORS[:1]:
        old = name.replace("rnn_course.platforms.nbgrader.preprocessors.",
                           "rnn_course.nbgrader_preprocessors.")
        assert old != name and import_item(old) is import_item(name)


def test_repair_gives_a_notebook_without_metadata_the_release_marks():
    release = nbformat.read(ROOT / "notebooks" / "01_rnn_cell_forward.ipynb", as_version=4)
    frank = json.loads((CLASS / "frank" / "01_rnn_cell_forward.ipynb").read_text("utf-8"))
    assert all(cell["metadata"] == {} for cell in frank["cells"])
    repaired, remarks = repair("01_rnn_cell_forward", release, frank)
    by_id = {cell.id: cell for cell in release.cells}
    assert [cell.metadata for cell in repaired.cells] == [
        by_id[cell.id].metadata for cell in repaired.cells]
    graded = next(cell for cell in repaired.cells if cell.id == "rnn_cell_forward")
    assert "raise NotImplementedError" not in graded.source and "np.tanh" in graded.source
    assert remarks == []


def test_only_the_courses_lessons_are_repaired():
    """Another assignment of the same nbgrader course keeps its unmarked (student) cells."""
    release = nbformat.read(ROOT / "notebooks" / "01_rnn_cell_forward.ipynb", as_version=4)
    assert is_lesson(release)
    foreign = copy.deepcopy(release)
    foreign.cells.append(nbformat.v4.new_markdown_cell("Your essay here."))
    assert not is_lesson(foreign)
    unchecked = copy.deepcopy(release)
    unchecked.cells = [c for c in unchecked.cells if not c.metadata.nbgrader.get("grade")]
    assert not is_lesson(unchecked)


def test_a_config_rnn_course_did_not_write_is_kept(tmp_path, capsys):
    (tmp_path / CONFIG_NAME).write_text("c = get_config()\n", encoding="utf-8")
    assert main(["nbgrader", str(tmp_path), "--lessons", "01", "--root", str(ROOT)]) == 2
    assert "was not written by rnn-course nbgrader" in capsys.readouterr().err
    assert (tmp_path / CONFIG_NAME).read_text(encoding="utf-8") == "c = get_config()\n"


def test_an_unknown_lesson_is_refused(tmp_path, capsys):
    assert main(["nbgrader", str(tmp_path), "--lessons", "99", "--root", str(ROOT)]) == 2
    assert "no lesson '99'" in capsys.readouterr().err


# ---- rnn-course grade --gradebook: its verdicts in nbgrader's gradebook ---------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A course with lessons 01-02 generated, nothing graded."""
    folder = tmp_path_factory.mktemp("gradebook") / "mycourse"
    assert main(["nbgrader", str(folder), "--lessons", "01", "02", "--root", str(ROOT)]) == 0
    for lesson in LESSONS:
        code, log = nbgrader(folder, "generate_assignment", lesson)
        assert code == 0, log
    return folder


def test_rnn_course_grade_writes_its_verdicts_into_the_gradebook(generated, tmp_path):
    submissions = tmp_path / "submissions"
    for student in ("frank", "dave"):
        shutil.copytree(CLASS / student, submissions / student)
    out, gradebook = tmp_path / "out", generated / "gradebook.db"
    assert main(["grade", str(submissions), "--out", str(out), "--lessons", "01", "02",
                 "--course", str(ROOT), "--gradebook", str(gradebook)]) == 0
    rows = read_csv(out / "grades.csv")
    got = scores(generated)
    for row in rows:
        key = (row["student"], row["notebook"].removesuffix(".ipynb"), f"check_{row['exercise']}")
        if row["status"] == "missing":
            assert key not in got
        else:
            assert got[key] == (float(row["points"]), False)
    assert got["frank", "01_rnn_cell_forward", "check_rnn_cell_forward"] == (2.0, False)
    with Gradebook(f"sqlite:///{gradebook}") as book:
        comment = book.find_comment("rnn_forward", "02_rnn_forward", "02_rnn_forward", "frank")
        assert comment.comment.startswith("rnn-course grade: failed: ")
        assert "state is not carried" in comment.comment
    assert nbgrader(generated, "export")[0] == 0
    exported = {(r["student_id"], r["assignment"]): r["score"]
                for r in read_csv(generated / "grades.csv")}
    assert exported == {("frank", "01_rnn_cell_forward"): "2.0", ("frank", "02_rnn_forward"): "0.0",
                        ("dave", "01_rnn_cell_forward"): "2.0",
                        ("dave", "02_rnn_forward"): "0.0"}  # not handed in: 0 in the export


def test_a_gradebook_without_the_lessons_is_refused_before_grading(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["grade", str(CLASS), "--out", str(out), "--lessons", "01", "--course",
                 str(ROOT), "--gradebook", str(tmp_path / "gradebook.db")])
    assert code == 2 and not out.exists()
    assert "no such gradebook" in capsys.readouterr().err
