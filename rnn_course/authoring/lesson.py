"""Read a lesson source (jupytext py:percent) and classify its cells.

A lesson is a list of cells, each with a role:
- "graded": a code cell holding one function and ``### BEGIN SOLUTION`` / ``### END SOLUTION``;
- "check": the code cell right after a graded cell, with ``points=N`` in its header;
- "answer": a cell tagged ``answer`` (solution version only);
- "plain": everything else.
See docs/authoring.md for the conventions this module enforces.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jupytext

from rnn_course.errors import RnnCourseError

if TYPE_CHECKING:
    from nbformat import NotebookNode

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
_LESSON_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")


class LessonError(RnnCourseError, ValueError):
    """A lesson source breaks the authoring conventions."""


@dataclass
class Cell:
    cell: "NotebookNode"  # the nbformat cell (source, metadata) as read from the source
    role: str  # "graded", "check", "answer" or "plain"
    cell_id: str  # stable id, the same in the solution and the student notebook
    grade_id: str = ""  # function name (graded) or "check_<function>" (check)
    points: int = 0  # for a check cell


@dataclass
class Lesson:
    name: str  # e.g. "01_rnn_cell_forward"
    source_path: Path
    notebook: "NotebookNode"  # as read by jupytext
    cells: list[Cell]


def _function_name(source, where):
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        raise LessonError(f"{where}: graded cell does not parse: {error}") from error
    functions = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    if len(functions) != 1:
        raise LessonError(
            f"{where}: a graded cell must define exactly one function, found {functions}")
    return functions[0]


def _check_markers(source, where):
    depth = 0
    for line in source.splitlines():
        marker = line.strip()
        if marker == BEGIN:
            depth += 1
        elif marker == END:
            depth -= 1
        if depth not in (0, 1):
            raise LessonError(f"{where}: unbalanced {BEGIN!r} / {END!r} markers")
    if depth != 0:
        raise LessonError(f"{where}: {BEGIN!r} without {END!r}")


def read_lesson(path: "Path | str") -> Lesson:
    """Read ``solutions/NN_topic.py`` and return a Lesson whose cells carry their roles."""
    path = Path(path)
    if not _LESSON_NAME.match(path.stem):
        raise LessonError(f"{path}: lesson files are named NN_topic.py (lower case, underscores)")
    notebook = jupytext.read(path, fmt="py:percent")
    cells, pending = [], None  # pending: the graded Cell still waiting for its check cell
    for index, cell in enumerate(notebook.cells):
        where = f"{path.name}, cell {index}"
        tags = cell.metadata.get("tags", [])
        is_code = cell.cell_type == "code"
        if pending is not None:
            points = cell.metadata.get("points")
            expected_call = f"check_{pending.grade_id}({pending.grade_id})"
            if not is_code or points is None or expected_call not in cell.source:
                raise LessonError(
                    f"{where}: the cell after graded `{pending.grade_id}` must be its check cell: "
                    f"header `# %% points=N`, calling {expected_call}"
                )
            if not isinstance(points, int) or points < 1:
                raise LessonError(f"{where}: points must be a positive integer, got {points!r}")
            check_id = f"check_{pending.grade_id}"
            cells.append(Cell(cell, "check", check_id, check_id, points))
            pending = None
        elif is_code and BEGIN in cell.source:
            _check_markers(cell.source, where)
            name = _function_name(cell.source, where)
            pending = Cell(cell, "graded", name, name)
            cells.append(pending)
        elif "points" in cell.metadata:
            raise LessonError(f"{where}: a cell with points must follow a graded cell")
        elif "answer" in tags:
            cells.append(Cell(cell, "answer", f"cell-{index:02d}"))
        else:
            cells.append(Cell(cell, "plain", f"cell-{index:02d}"))
    if pending is not None:
        raise LessonError(f"{path.name}: graded `{pending.grade_id}` has no check cell after it")
    graded = [c.grade_id for c in cells if c.role == "graded"]
    if len(graded) != len(set(graded)):
        raise LessonError(f"{path.name}: a function is graded twice: {graded}")
    return Lesson(path.stem, path, notebook, cells)


def strip_solution(source: str) -> str:
    """Replace every BEGIN/END SOLUTION region by a placeholder at the region's indentation."""
    out, inside = [], False
    for line in source.splitlines():
        if line.strip() == BEGIN:
            indent = line[: len(line) - len(line.lstrip())]
            out += [f"{indent}# YOUR CODE HERE", f"{indent}raise NotImplementedError()"]
            inside = True
        elif line.strip() == END:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def solution_lines(source: str) -> list[str]:
    """The lines inside the BEGIN/END SOLUTION regions of a cell (the answer)."""
    lines, inside = [], False
    for line in source.splitlines():
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside:
            lines.append(line)
    return lines


def without_markers(source: str) -> str:
    """The full solution: the cell with only the marker lines removed."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in (BEGIN, END))
