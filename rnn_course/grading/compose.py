"""Compose the notebook the grader runs from a student's submission and the release.

The composed notebook is the release's sequence of cells, in the release's order:
- each graded cell holds the student's source for it (found by cell id, else by nbgrader
  grade_id, else as the last student cell defining the function); the release's stub when the
  student deleted it;
- every other release cell is restored from the release, whatever the student did to it;
- each check cell is replaced by a hand-in of the student's function to the grader, which
  judges it outside the kernel (``check_source``, judge.py); no cell has stored outputs,
  so nbval compares nothing the student's code could print;
- the student's own code cells (ids the release does not know) are kept, placed after the
  release cell they followed in the submission, with their outputs and metadata dropped.
Nothing the student wrote into a check cell, its outputs or its metadata reaches the run.
"""

import ast
import copy
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import nbformat

from rnn_course.grading.course import CourseLesson, GradedFunction, nbgrader
from rnn_course.grading.dependencies import needed_sources
from rnn_course.grading.files import MAX_SUBMISSION_BYTES, Unreadable, read_regular

if TYPE_CHECKING:
    from pathlib import Path

MAX_NOTEBOOK_BYTES = MAX_SUBMISSION_BYTES
REFERENCE_IMPORT = re.compile(
    r"rnn_utils\.reference|from\s+rnn_utils\s+import\s[^\n]*\breference\b")


class NotANotebook(Exception):
    """The file cannot be read as a notebook; the message says why, in a few words."""


@dataclass
class Composed:
    """The notebook to run, and remarks on the submission for the feedback."""

    notebook: nbformat.NotebookNode
    remarks: list[str] = field(default_factory=list)  # lesson-wide, for the student
    notes: dict[str, str] = field(default_factory=dict)  # function -> remark on its graded cell


# ---- reading a submission --------------------------------------------------------------------


def read_submission(path: "Path | str") -> list[dict]:
    """The cells of a student's notebook as plain dicts (cell_type, source, id, metadata).

    Tolerant of what notebook editors write (missing ids, source as a list of lines, nbformat
    3); raises NotANotebook for a file that is not a notebook at all.
    """
    try:
        data = read_regular(path, MAX_NOTEBOOK_BYTES)
    except Unreadable as error:
        raise NotANotebook(str(error)) from None
    if not data.strip():
        raise NotANotebook("empty file")
    try:
        content = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise NotANotebook("not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise NotANotebook(f"not JSON: {error}") from None
    except RecursionError:
        raise NotANotebook("JSON nested too deeply") from None
    except (ValueError, MemoryError) as error:  # e.g. an integer with too many digits
        raise NotANotebook(f"not usable JSON: {type(error).__name__}") from None
    if isinstance(content, dict) and "worksheets" in content:  # nbformat 3
        content = _upgrade(content)
    if not isinstance(content, dict) or not isinstance(content.get("cells"), list):
        raise NotANotebook("JSON without a list of cells")
    return [plain_cell(cell) for cell in content["cells"] if isinstance(cell, dict)]


def _upgrade(content):
    try:
        return json.loads(nbformat.writes(nbformat.reads(json.dumps(content), as_version=4)))
    except Exception as error:  # any failure of the conversion means: not a usable notebook
        raise NotANotebook(f"nbformat 3 notebook that cannot be converted: {error}") from None


def plain_cell(cell: dict) -> dict:
    """A notebook cell (a dict as JSON gives it) as a plain dict: cell_type, source, id,
    metadata, each of its type whatever the file held."""
    source = cell.get("source", "")
    if isinstance(source, list):
        source = "".join(part for part in source if isinstance(part, str))
    metadata = cell.get("metadata")
    return {
        "cell_type": cell.get("cell_type") if isinstance(cell.get("cell_type"), str) else "",
        "source": source if isinstance(source, str) else "",
        "id": cell.get("id") if isinstance(cell.get("id"), str) else None,
        "metadata": metadata if isinstance(metadata, dict) else {},
    }


# ---- matching the submission's cells with the release's ---------------------------------------


MAX_PARSED_SOURCE = 200_000  # characters of a cell parsed with ast (an answer is ~2,000)


def defines(source: str, function: str) -> bool:
    """True when ``source`` parses and defines ``function`` at top level. A cell longer than
    MAX_PARSED_SOURCE is not parsed at all (ast takes ~340 bytes of memory per byte of
    source): the grader's own work on student input is bounded before it starts."""
    if len(source) > MAX_PARSED_SOURCE or not re.search(rf"\bdef\s+{re.escape(function)}\b",
                                                         source):
        return False
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # nested too deeply, too big
        return False
    return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == function
               for node in tree.body)


def match_cells(lesson: CourseLesson, cells: list[dict]
                ) -> "tuple[dict[str, dict], dict[int, str], list[tuple[str | None, dict]]]":
    """Pair the submission's cells with the release's.

    Returns (graded, anchors, added): graded maps function -> the student's cell for it;
    anchors maps submission index -> release cell id it stands for; added lists
    (release id the cell followed or None, cell) for the student's own code cells.
    """
    release_ids = {cell.id for cell in lesson.release.cells}
    graded_ids = {ex.graded_id: ex.function for ex in lesson.exercises}
    functions = {ex.function for ex in lesson.exercises}
    anchors, graded = {}, {}
    for index, cell in enumerate(cells):  # 1. by cell id
        if cell["id"] in release_ids and cell["id"] not in anchors.values():
            anchors[index] = cell["id"]
            if cell["id"] in graded_ids:
                graded[graded_ids[cell["id"]]] = cell
    for index, cell in enumerate(cells):  # 2. a graded cell by its nbgrader grade_id
        function = nbgrader(cell).get("grade_id")
        if not isinstance(function, str):  # a list, a dict: not a grade id (and unhashable)
            continue
        if index not in anchors and function in functions and function not in graded:
            graded[function] = cell
            anchors[index] = next(e.graded_id for e in lesson.exercises if e.function == function)
    _match_by_source(lesson, cells, anchors)
    _match_by_definition(lesson, cells, anchors, graded)
    added, follows = [], None
    for index, cell in enumerate(cells):
        if index in anchors:
            follows = anchors[index]
        elif cell["cell_type"] == "code" and cell["source"].strip():
            added.append((follows, cell))
    return graded, anchors, added


def _match_by_source(lesson, cells, anchors):
    """3. A cell without a known id that repeats a release cell's source stands for that cell
    (notebooks saved by editors that drop or renew cell ids)."""
    claimed = set(anchors.values())
    by_source = {}
    for cell in lesson.release.cells:
        if cell.id not in claimed and cell.source.strip():
            by_source.setdefault(cell.source.strip(), cell.id)
    for index, cell in enumerate(cells):
        release_id = by_source.get(cell["source"].strip())
        if index not in anchors and release_id and release_id not in claimed:
            anchors[index] = release_id
            claimed.add(release_id)


def _match_by_definition(lesson, cells, anchors, graded):
    """4. A graded cell still unmatched: the last code cell that defines the function."""
    for exercise in lesson.exercises:
        if exercise.function in graded:
            continue
        for index in reversed(range(len(cells))):
            cell = cells[index]
            if (index not in anchors and cell["cell_type"] == "code"
                    and defines(cell["source"], exercise.function)):
                graded[exercise.function] = cell
                anchors[index] = exercise.graded_id
                break


# ---- the composed notebook ---------------------------------------------------------------------

HAND_IN = """\
# rnn-course grade: the grader checks {function} outside this kernel. This cell runs it on the
# grader's cases and hands what it returned to the grader, which compares and diagnoses.
import rnn_grade_harness
rnn_grade_harness.hand_in({function!r}, globals())
"""
GRADE_METADATA = "rnn_course_grade"  # a composed check cell's metadata key: its function


def check_source(exercise: GradedFunction) -> str:
    """The source of a composed check cell (see kernel/harness.py, hand_in)."""
    return HAND_IN.format(function=exercise.function)


def compose(lesson: CourseLesson, cells: list[dict],
            package_root: "Path | None" = None) -> Composed:
    """The notebook to grade: the release with the student's graded and added cells (see the
    module docstring). ``cells`` are the submission's, from read_submission."""
    graded, anchors, added = match_cells(lesson, cells)
    exercises = {ex.graded_id: ex for ex in lesson.exercises}
    checks = {ex.check_id: ex for ex in lesson.exercises}
    out, composed = [], Composed(None)
    for number, (follows, cell) in enumerate(added):
        if follows is None:
            out.append(_code_cell(f"added-{number}", cell["source"]))
    for cell in lesson.release.cells:
        if cell.id in exercises:
            out.append(_graded_cell(exercises[cell.id], cell, graded, composed))
        elif cell.id in checks:
            out.append(_check_cell(lesson, checks[cell.id], cell, package_root))
        else:
            out.append(_release_cell(cell))
        out += [_code_cell(f"added-{number}", c["source"])
                for number, (follows, c) in enumerate(added) if follows == cell.id]
    composed.remarks += _restored_remarks(lesson, cells, anchors)
    # Nothing after the last check cell is graded: the experiments there (lesson 08 trains
    # models for a minute) would only cost time, and a student's cells there run for nothing.
    last_check = max(index for index, cell in enumerate(out) if cell.id in checks)
    notebook = nbformat.v4.new_notebook(metadata=copy.deepcopy(lesson.release.metadata))
    notebook.cells = out[:last_check + 1]
    if ONLY_NEEDED:
        notebook.cells = only_needed(lesson, notebook.cells)
    composed.notebook = notebook
    return composed


ONLY_NEEDED = True  # tests/grading/test_dependencies.py grades with and without it


def only_needed(lesson: CourseLesson, cells: list) -> list:
    """The composed cells with the release's code cut to the statements a check depends on
    (dependencies.py): the lesson's demonstrations are not run for every student."""
    exercises = {ex.graded_id for ex in lesson.exercises}
    checks = {ex.check_id for ex in lesson.exercises}
    release_ids = {cell.id for cell in lesson.release.cells} - exercises - checks
    release = {cell.id: cell.source for cell in cells
               if cell.cell_type == "code" and cell.id in release_ids}
    student = [cell.source for cell in cells
               if cell.cell_type == "code" and cell.id not in release_ids | checks]
    needed = needed_sources(release, student, [ex.function for ex in lesson.exercises])
    if needed is None:
        return cells
    kept = []
    for cell in cells:
        if cell.id in release and cell.id not in needed:
            continue
        if cell.id in release:
            cell.source = needed[cell.id]
        kept.append(cell)
    return kept


def _code_cell(cell_id, source, metadata=None):
    cell = nbformat.v4.new_code_cell(source=source, metadata=metadata or {})
    cell.id = cell_id
    return cell


def _graded_cell(exercise, release_cell, graded, composed):
    """The student's graded cell (metadata dropped) or, if there is none, the release stub."""
    student = graded.get(exercise.function)
    if student is None or student["cell_type"] != "code":
        composed.notes[exercise.function] = (
            f"no graded cell for {exercise.function} was found in your notebook: the empty "
            "one from the release was graded")
        return _code_cell(release_cell.id, release_cell.source)
    if REFERENCE_IMPORT.search(student["source"]):
        composed.notes[exercise.function] = (
            "the graded cell imports the course's reference implementation (rnn_utils.reference)"
            ": the instructor will review it")
    return _code_cell(release_cell.id, student["source"])


def _check_cell(lesson, exercise, release_cell, package_root):
    """The check cell of the grading run: it hands the student's outputs to the grader. No
    outputs are stored, so nbval runs it without comparing anything: what it prints (or what
    the student's code makes it print) decides nothing."""
    cell = _code_cell(release_cell.id, check_source(exercise),
                      metadata={GRADE_METADATA: {"function": exercise.function}})
    cell.outputs, cell.execution_count = [], None
    return cell


def _release_cell(cell):
    """A release cell as released: nbval does not compare it (no outputs, never run)."""
    cell = copy.deepcopy(cell)
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
    return cell


def _restored_remarks(lesson, cells, anchors):
    """What the composition restored, in words a student understands."""
    graded_ids = {ex.graded_id for ex in lesson.exercises}
    by_id = {cell.id: cell for cell in lesson.release.cells}
    edited = sorted({release_id for index, release_id in anchors.items()
                     if release_id not in graded_ids
                     and cells[index]["source"].strip() != by_id[release_id].source.strip()})
    missing = sorted(set(by_id) - set(anchors.values()) - graded_ids)
    remarks = []
    if edited:
        remarks.append(f"{len(edited)} locked cell(s) you edited were graded as released "
                       f"({', '.join(edited)}).")
    if missing:
        remarks.append(f"{len(missing)} locked cell(s) missing from your notebook were put back "
                       f"({', '.join(missing)}).")
    return remarks
