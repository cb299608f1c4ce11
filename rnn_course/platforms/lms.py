"""``rnn-course export canvas|generic OUT``: the points of a graded class as an LMS gradebook.

canvas -- the CSV that Canvas's gradebook import takes (Grades > Import): the columns
    ``Student, ID, SIS User ID, SIS Login ID, Section``, a ``Points Possible`` row, then one
    column of points per lesson graded, headed by the assignment's name (with its Canvas id in
    parentheses, "Lesson 1 (1234)", to update an existing assignment; a new name makes a new
    one). The roster is Canvas's own gradebook export (Grades > Export), which holds those
    columns for every student; ``--match COLUMN`` says which of them is the name of the
    student's folder in SUBMISSIONS (default: SIS Login ID).
generic -- ``student, <lesson>..., total, max_points``: one row per student, for any LMS.

Cells are neutralised against spreadsheet formula injection as OWASP recommends: a value that
begins with =, +, -, @, a tab or a carriage return gets a leading apostrophe.
"""

import csv
import io
from pathlib import Path

from rnn_course.errors import RnnCourseError
from rnn_course.grading.class_report import read_grades
from rnn_course.grading.report import number, safe_cell, write_text_atomic

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")


class ExportError(RnnCourseError):
    """The export cannot be made (roster missing a column, an unknown lesson name, ...)."""


def lesson_points(rows: list[dict]) -> tuple[list[str], dict[str, dict[str, float]], dict]:
    """(lessons in order, student -> lesson -> points, lesson -> points possible)."""
    lessons, points, possible = [], {}, {}
    for row in rows:
        lesson = row["notebook"].removesuffix(".ipynb")
        if lesson not in lessons:
            lessons.append(lesson)
        mine = points.setdefault(row["student"], {})
        mine[lesson] = mine.get(lesson, 0.0) + float(row["points"] or 0)
        if row["student"] == rows[0]["student"]:
            possible[lesson] = possible.get(lesson, 0.0) + float(row["max_points"] or 0)
    return lessons, points, possible


def _csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        [[safe_cell(cell) for cell in row] for row in rows])
    return buffer.getvalue()


def generic_csv(rows: list[dict]) -> str:
    lessons, points, possible = lesson_points(rows)
    table = [["student", *lessons, "total", "max_points"]]
    total_possible = sum(possible.values())
    for student, mine in points.items():
        table.append([student, *(number(mine.get(lesson, 0)) for lesson in lessons),
                      number(sum(mine.values())), number(total_possible)])
    return _csv(table)


def read_roster(path: Path, match: str) -> list[dict]:
    """The roster's rows (Canvas's gradebook export); ExportError when a column is missing."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            roster = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ExportError(f"the roster {path} cannot be read: {error}") from None
    columns = set(roster[0]) if roster else set()
    missing = [c for c in (*CANVAS_COLUMNS, match) if c not in columns]
    if missing:
        raise ExportError(f"the roster {path} has no column {', '.join(missing)} (use "
                          "Canvas's gradebook export: Grades > Export)")
    return [row for row in roster if row["Student"].strip().lower() != "points possible"]


def canvas_csv(rows: list[dict], roster: list[dict], match: str = "SIS Login ID",
               assignments: "dict[str, str] | None" = None) -> tuple[str, list[str]]:
    """(the import CSV, the graded students not in the roster). ``assignments``: lesson name
    or number -> column header ("Lesson 1 (1234)"); default: the lesson's name."""
    lessons, points, possible = lesson_points(rows)
    assignments = assignments or {}
    unknown = [key for key in assignments if not any(lesson == key or lesson[:2] == key
                                                     for lesson in lessons)]
    if unknown:
        raise ExportError(f"no lesson {', '.join(unknown)} was graded (lessons: "
                          f"{', '.join(lessons)})")
    headers = [next((name for key, name in assignments.items()
                     if lesson == key or lesson[:2] == key), lesson) for lesson in lessons]
    table = [[*CANVAS_COLUMNS, *headers],
             ["Points Possible", "", "", "", "", *(number(possible[lesson]) for lesson in lessons)]]
    matched = set()
    for person in roster:
        mine = points.get(person[match])
        if mine is not None:
            matched.add(person[match])
        table.append([person[column] for column in CANVAS_COLUMNS]
                     + [number(mine[lesson]) if mine and lesson in mine else ""
                        for lesson in lessons])
    return _csv(table), sorted(set(points) - matched)


def export(kind: str, out: Path, destination: Path, roster: "Path | None" = None,
           match: str = "SIS Login ID", assignments: "dict[str, str] | None" = None) -> list:
    """Write the ``kind`` ("canvas" or "generic") CSV of OUT's grades to ``destination``;
    returns the graded students the roster does not hold (canvas)."""
    rows = read_grades(out)
    if not rows:
        raise ExportError(f"{Path(out) / 'grades.csv'} holds no grades")
    if kind == "generic":
        write_text_atomic(destination, generic_csv(rows))
        return []
    if roster is None:
        raise ExportError("canvas needs --roster ROSTER.csv (Canvas's gradebook export)")
    text, unmatched = canvas_csv(rows, read_roster(roster, match), match, assignments)
    write_text_atomic(destination, text)
    return unmatched
