"""The course as an nbgrader course: `rnn-course nbgrader COURSE_DIR [--lessons ...]`.

    COURSE_DIR/nbgrader_config.py                     names the course, adds our preprocessors
    COURSE_DIR/source/<lesson>/<lesson>.ipynb         from solutions/<lesson>.py, answers marked
    COURSE_DIR/source/<lesson>/figures/NAME.svg       the figures the lesson shows

The source notebook is the solution version without its answer cells: each graded cell keeps
its answer between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (nbgrader's own markers, so
``nbgrader generate_assignment`` makes the student's stub), every cell carries nbgrader's marks
(authoring/marks.py), and figure links point to ``figures/`` beside the notebook, as in
notebooks/ (nbgrader copies the folder into release/<lesson>/ and autograded/...). The release
nbgrader makes from it is the course's own notebooks/<lesson>.ipynb, cell for cell.

Autograde repairs a submission as `rnn-course grade` composes one (``repair``, run by the
preprocessor in platforms/nbgrader/preprocessors.py), so that a notebook saved without ids or
metadata, with edited or deleted locked cells, is graded like any other.
"""

import copy
import re
import shutil
from pathlib import Path
from typing import Callable

from nbformat import NotebookNode

from rnn_course.authoring.build import (
    FIGURES_FROM_NOTEBOOKS,
    FIGURES_FROM_SOLUTIONS,
    lesson_paths,
    new_cell,
    notebook_of,
    released_lesson,
    to_text,
)
from rnn_course.authoring.lesson import Lesson
from rnn_course.errors import RnnCourseError
from rnn_course.grading.compose import compose, plain_cell
from rnn_course.grading.course import CourseError, CourseLesson, exercises_of, select_lessons

CONFIG_NAME = "nbgrader_config.py"
CONFIG_MARK = "# Written by `rnn-course nbgrader`"
ANSWER_TAG = "answer"
_FIGURE = re.compile(re.escape(FIGURES_FROM_SOLUTIONS) + r"([\w.-]+)")
_PREPROCESSORS = "rnn_course.platforms.nbgrader.preprocessors"

# nbgrader 0.9's own preprocessors of each step (a test compares them with nbgrader's defaults),
# after ours.
GENERATE_PREPROCESSORS = [
    f"{_PREPROCESSORS}.RefuseReleasedSolutions",
    f"{_PREPROCESSORS}.RemoveAnswerCells",
    *(f"nbgrader.preprocessors.{name}" for name in (
        "IncludeHeaderFooter", "InstantiateTests", "LockCells", "ClearSolutions", "ClearOutput",
        "CheckCellMetadata", "ComputeChecksums", "SaveCells", "ClearHiddenTests",
        "ClearMarkScheme", "ComputeChecksums", "CheckCellMetadata")),
]
SANITIZE_PREPROCESSORS = [
    f"{_PREPROCESSORS}.RepairSubmission",
    *(f"nbgrader.preprocessors.{name}" for name in (
        "ClearOutput", "DeduplicateIds", "OverwriteKernelspec", "OverwriteCells",
        "CheckCellMetadata")),
]

CONFIG = '''{mark}; it rewrites this file. See docs/nbgrader.md in the course.
"""nbgrader configuration of the course "Backpropagation through time, step by step".

The preprocessors are named as strings: nothing is imported while nbgrader reads this file
(nbgrader logs and ignores an error there), and a missing rnn_course stops nbgrader loudly.
"""

c = get_config()  # noqa: F821 (nbgrader defines it)

c.CourseDirectory.course_id = {course_id!r}

# generate_assignment: refuse a source that is a student release (nbgrader would replace each
# graded cell, signature and docstring included, by a stub) and remove every cell tagged
# "answer" (the source written by rnn-course nbgrader holds none: a second line of defence).
c.GenerateAssignment.preprocessors = {generate}

# autograde: first repair the submission as `rnn-course grade` composes one (graded cells found
# by id, grade_id or definition; read-only cells restored, also where deleted; metadata put
# back), then nbgrader's own sanitizing, which restores and verifies read-only cells again.
c.Autograde.sanitize_preprocessors = {sanitize}

# the lessons' experiments run for seconds (lesson 08 trains models for longer)
c.Execute.timeout = 120
'''


class NbgraderCourseError(RnnCourseError):
    """The nbgrader course cannot be written; the message says why."""


def source_notebook(lesson: Lesson) -> NotebookNode:
    """The nbgrader source of a lesson: answers inside their markers, no answer cells, every
    cell marked, figure links relative to the notebook's folder."""
    cells = [new_cell(entry, entry.cell.source.replace(FIGURES_FROM_SOLUTIONS,
                                                       FIGURES_FROM_NOTEBOOKS), mark_all=True)
             for entry in lesson.cells if entry.role != "answer"]
    return notebook_of(cells)


def figures_of(lesson: Lesson) -> list[str]:
    """The names of the figures the lesson shows (in notebooks/figures/)."""
    return sorted({name for entry in lesson.cells for name in _FIGURE.findall(entry.cell.source)})


def config_text(course_id: str) -> str:
    def listing(names):
        return "[\n" + "".join(f"    {name!r},\n" for name in names) + "]"
    return CONFIG.format(mark=CONFIG_MARK, course_id=course_id,
                         generate=listing(GENERATE_PREPROCESSORS),
                         sanitize=listing(SANITIZE_PREPROCESSORS))


def write_course(course_dir: "Path | str", root: "Path | str", only: "list[str] | None" = None,
                 course_id: str = "rnn-course",
                 log: Callable[[str], None] = print) -> list[Path]:
    """Write the nbgrader course of the checkout ``root`` into ``course_dir`` (made if needed):
    the config and, for each lesson (or those named in ``only``), its source folder. A config
    that rnn-course nbgrader did not write is not replaced (NbgraderCourseError).
    Returns the paths written."""
    course_dir, root = Path(course_dir), Path(root)
    lessons = {path.stem: path for path in lesson_paths(root)}
    if not lessons:
        raise NbgraderCourseError(f"no lessons found in {root / 'solutions'}")
    wanted = select_lessons(list(lessons), only)
    config = course_dir / CONFIG_NAME
    if config.exists() and not config.read_text(encoding="utf-8").startswith(CONFIG_MARK):
        raise NbgraderCourseError(f"{config} exists and was not written by rnn-course nbgrader: "
                                  "move it away (or merge it by hand)")
    course_dir.mkdir(parents=True, exist_ok=True)
    config.write_text(config_text(course_id), encoding="utf-8")
    written = [config]
    for name in sorted(wanted):
        written += _write_lesson(released_lesson(lessons[name], root), course_dir, root)
    for path in written:
        log(f"{path}: written")
    return written


def _write_lesson(lesson, course_dir, root):
    folder = course_dir / "source" / lesson.name
    (folder / "figures").mkdir(parents=True, exist_ok=True)
    notebook = folder / f"{lesson.name}.ipynb"
    notebook.write_text(to_text(source_notebook(lesson)), encoding="utf-8")
    written = [notebook]
    for name in figures_of(lesson):
        source = root / "notebooks" / "figures" / name
        if not source.is_file():
            raise NbgraderCourseError(f"{lesson.name} shows {name}, missing from {source.parent}")
        written.append(Path(shutil.copyfile(source, folder / "figures" / name)))
    return written


# ---- autograde: a submission repaired as rnn-course grade composes it ----------------------


def is_lesson(release: NotebookNode) -> bool:
    """True when ``release`` is a lesson of the course as released: every cell marked for
    nbgrader, each graded cell followed by its check cell. Another assignment of the same
    nbgrader course is left to nbgrader as it is (its unmarked cells are the student's)."""
    if not all("nbgrader" in cell.get("metadata", {}) for cell in release.cells):
        return False
    try:
        exercises_of(release, Path("release.ipynb"))
    except CourseError:
        return False
    return True


def repair(name: str, release: NotebookNode, notebook: dict) -> tuple[NotebookNode, list[str]]:
    """The submission ``notebook`` (a dict) as nbgrader should grade it, and the remarks of the
    composition: rnn-course grade's composition (grading.compose.compose: the notebook ends at
    the last check cell, nothing after it is graded), with the release's check cells and
    every release cell's metadata put back, so that nbgrader finds each graded, check and
    read-only cell by its grade_id. ``release`` is the notebook nbgrader released
    (release/<lesson>/<lesson>.ipynb)."""
    lesson = CourseLesson(name, release, exercises_of(release, Path(f"{name}.ipynb")))
    cells = [plain_cell(cell) for cell in notebook.get("cells", []) if isinstance(cell, dict)]
    composed = compose(lesson, cells)
    by_id = {cell.id: cell for cell in release.cells}
    graded = {exercise.graded_id for exercise in lesson.exercises}
    out = []
    for cell in composed.notebook.cells:
        released = by_id.get(cell.id)
        if released is None:  # a cell of the student's own
            out.append(cell)
        elif cell.id in graded:  # the student's answer, with the release's marks
            cell.metadata = copy.deepcopy(released.metadata)
            out.append(cell)
        else:  # read-only: as released
            out.append(copy.deepcopy(released))
    composed.notebook.cells = out
    remarks = composed.remarks + [f"{function}: {note}" for function, note
                                  in composed.notes.items()]
    return composed.notebook, remarks
