"""Write the grader's outputs: OUT/grades.csv, OUT/summary.csv and OUT/feedback/<student>.md.

Every file is written whole and then renamed into place, and the feedback files of an earlier
grading are removed first, so OUT always holds the results of one grading; the same
submissions give byte-identical files.
"""

import csv
import hashlib
import io
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rnn_course.grading.course import CourseLesson
    from rnn_course.grading.verdict import Verdict

GRADES_HEADER = ["student", "notebook", "exercise", "points", "max_points", "status", "message",
                 "mistake"]  # the diagnosis's stable code (grading/mistakes.py), or empty
SUMMARY_HEADER = ["student", "points", "max_points"]


def number(value: float) -> str:
    """Points as written: 2 rather than 2.0."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SAFE_FILE_NAME = re.compile(r"[A-Za-z0-9_\\][A-Za-z0-9_.@+=\\ -]{0,99}")
INDEX_HEADER = ["file", "student"]


def safe_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text and never runs as a formula: a value that
    begins with =, +, -, @, a tab or a carriage return gets a leading apostrophe (OWASP)."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def restored_cell(text: str) -> str:
    """The value safe_cell wrote: its leading apostrophe taken off again (for readers of the
    grader's own CSV files, such as rnn-course report and export)."""
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_START else text


def feedback_file(student: str) -> str:
    """The feedback file of ``student``: ``<id>.md`` when the id is a short, plain file name;
    otherwise ``student-<hash>.md`` (listed in feedback/index.csv), so that any legal folder
    name (250 bytes long, a newline, a leading dot) is written."""
    if SAFE_FILE_NAME.fullmatch(student) and len(student.encode("utf-8")) <= 100:
        return f"{student}.md"
    return f"student-{hashlib.sha256(student.encode('utf-8', 'surrogatepass')).hexdigest()[:16]}.md"


def write_outputs(out: "Path | str", rows: list[dict], feedback: dict[str, str]) -> None:
    """rows: dicts with GRADES_HEADER keys, in order; feedback: student -> Markdown text."""
    out = Path(out)
    folder = out / "feedback"
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("*.md"), *folder.glob("index.csv")]:  # ours: an earlier grading's
        old.unlink()
    _write(out / "grades.csv", _csv(GRADES_HEADER, [
        {**row, "points": number(row["points"]), "max_points": number(row["max_points"])}
        for row in rows]))
    _write(out / "summary.csv", _csv(SUMMARY_HEADER, summary(rows)))
    renamed = []
    for student, text in feedback.items():
        _write(folder / feedback_file(student), text)
        if feedback_file(student) != f"{student}.md":
            renamed.append({"file": feedback_file(student), "student": student})
    if renamed:
        _write(folder / "index.csv", _csv(INDEX_HEADER, renamed))


def summary(rows: list[dict]) -> list[dict[str, str]]:
    """One row per student (in the order of ``rows``) with the sums of points."""
    totals = {}
    for row in rows:
        points, max_points = totals.get(row["student"], (0, 0))
        totals[row["student"]] = (points + row["points"], max_points + row["max_points"])
    return [{"student": student, "points": number(points), "max_points": number(max_points)}
            for student, (points, max_points) in totals.items()]


def _csv(header, rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: safe_cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def write_text_atomic(path: "Path | str", text: str) -> None:
    """Write ``text`` to ``path`` whole, then rename it into place (a reader never sees half)."""
    _write(Path(path), text)


def _write(path, text):
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def feedback_text(student: str, lessons: "list[CourseLesson]", rows: list[dict],
                  verdicts: "dict[tuple[str, str], Verdict]", remarks: dict[str, list[str]],
                  ignored: list[str], problems: dict[str, str]) -> str:
    """The Markdown feedback of one student.

    lessons -- the course's lessons; rows -- this student's rows; verdicts -- (lesson name,
    function) -> Verdict; remarks -- lesson name -> list of remarks; ignored -- file names
    in the student's folder that are not lessons; problems -- lesson name -> why it was not
    run (not handed in, not a notebook).
    """
    total = sum(row["points"] for row in rows)
    maximum = sum(row["max_points"] for row in rows)
    lines = [f"# Feedback for {student}", "", f"Points: {number(total)} of {number(maximum)}.", ""]
    for lesson in lessons:
        mine = [row for row in rows if row["notebook"] == lesson.filename]
        got = sum(row["points"] for row in mine)
        lines += [f"## {lesson.filename}: {number(got)} of {number(lesson.max_points)} points", ""]
        if lesson.name in problems:
            lines += [problems[lesson.name], ""]
            lines += [f"- {row['exercise']}: {row['status']}, 0 of {number(row['max_points'])} "
                      "points" for row in mine] + [""]
            continue
        for row in mine:
            lines += _exercise_lines(row, verdicts[(lesson.name, row["exercise"])])
        lines += [f"Note: {remark}" for remark in remarks.get(lesson.name, [])]
        lines += [""] if remarks.get(lesson.name) else []
    if ignored:
        lines += ["## Other files in your folder", "",
                  "Not graded (not a lesson graded here): " + ", ".join(ignored), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _exercise_lines(row, verdict):
    lines = [f"### {row['exercise']}: {row['status']}, {number(row['points'])} of "
             f"{number(row['max_points'])} points", ""]
    if verdict.details:
        lines += ["```text", *verdict.details, "```", ""]
    else:
        lines += [verdict.message.split("; note: ")[0] if verdict.note else row["message"], ""]
    return lines + ([f"Note: {verdict.note}", ""] if verdict.note else [])
