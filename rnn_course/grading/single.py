"""One submission at a time: ``rnn-course grade NOTEBOOK.ipynb [...] --json FILE``.

Platforms that grade per submission (Gradescope, GitHub Classroom, a hub's own queue) hand the
grader one student's files. They are graded by the batch grader's own engine
(``batch.grade_students``), as a class of one: the same composition, sandbox, cases and judge,
so a notebook gets the same verdicts either way (tests/grading/test_single.py compares them).

Which lesson a file is: its name when it is a lesson's (``01_rnn_cell_forward.ipynb``); else
its content, the lesson whose graded functions it holds (by cell id, nbgrader grade_id or a
``def``), so that ``01_rnn_cell_forward (2).ipynb`` or ``homework.ipynb`` is still graded;
else, when exactly one lesson is asked for and one file is left, that file. Anything else is
listed as not graded, as a file in a student's folder would be.
"""

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rnn_course.grading.batch import Graded, Progress, Report, Student, grade_students, lesson_of
from rnn_course.grading.compose import NotANotebook, defines, read_submission
from rnn_course.grading.course import Course, load_course, nbgrader
from rnn_course.grading.files import printable_name
from rnn_course.grading.report import number
from rnn_course.options import GradingOptions

FORMAT_VERSION = 1


def grade_single(paths: "Sequence[Path | str]", course_root: "Path | str",
                 student: str = "submission", lessons: "list[str] | None" = None,
                 options: "GradingOptions | None" = None, progress: "Progress | None" = None,
                 report: "Report | None" = None, **overrides: Any) -> tuple[Graded, Student]:
    """Grade one student's ``paths`` (notebook files); returns (Graded, Student).

    ``lessons``: the lessons this hand-in is for (names or numbers); a lesson among them
    that no file is gives ``missing`` rows. Without it, the lessons of the files are graded.
    ``options``/``overrides``: the run's GradingOptions, as for batch.grade_students.
    """
    course = load_course(Path(course_root).resolve(), lessons)
    files, ignored = assign_lessons(course, [Path(p) for p in paths], asked=bool(lessons))
    if not lessons:  # only the lessons handed in: a platform's assignment is one lesson
        course.lessons = [lesson for lesson in course.lessons if lesson.name in files]
    me = Student(student, files, ignored)
    graded = grade_students(course, lambda: [me], GradingOptions.of(options, **overrides),
                            progress=progress, report=report)
    return graded, me


def assign_lessons(course: Course, paths: list[Path],
                   asked: bool = False) -> tuple[dict[str, Path], list[str]]:
    """lesson name -> path, and the printable names of the files that are no lesson."""
    by_name = {lesson.filename: lesson.name for lesson in course.lessons}
    files, left = {}, []
    for path in sorted(paths, key=lambda p: (p.name not in by_name, str(p))):
        lesson = by_name.get(path.name) or _lesson_of_content(course, path)
        if lesson and lesson not in files:
            files[lesson] = path
        else:
            left.append(path)
    if asked and len(course.lessons) == 1 and not files and len(left) == 1:
        files[course.lessons[0].name] = left.pop()  # graded, whatever it is (its rows say)
    return files, sorted(printable_name(path.name) for path in left)


def _lesson_of_content(course, path):
    """The one lesson whose graded functions the notebook holds most of (None: no lesson)."""
    try:
        cells = read_submission(path)
    except NotANotebook:
        return None
    counts = {}
    for lesson in course.lessons:
        functions = {exercise.function for exercise in lesson.exercises}
        found = {name for name in functions for cell in cells
                 if cell["id"] == name or nbgrader(cell).get("grade_id") == name
                 or (cell["cell_type"] == "code" and defines(cell["source"], name))}
        if found:
            counts[lesson.name] = len(found)
    best = sorted(counts.items(), key=lambda item: -item[1])
    if not best or (len(best) > 1 and best[0][1] == best[1][1]):
        return None
    return best[0][0]


def as_json(graded: Graded, student: Student) -> dict:
    """The verdicts as a JSON-ready dict: totals, one entry per exercise (the columns of
    grades.csv, plus the full diagnosis), the feedback text and the files not graded."""
    exercises = [{**row, "lesson": lesson_of(row),
                  "file": _file_name(student.files.get(lesson_of(row))),
                  "details": list(graded.verdict(row).details or [])} for row in graded.rows]
    return {"format": "rnn-course-grade", "version": FORMAT_VERSION, "student": student.name,
            "points": _plain(graded.points), "max_points": _plain(graded.max_points),
            "exercises": exercises,
            "not_graded": student.ignored, "feedback": graded.feedback[student.name]}


def _file_name(path):
    return printable_name(path.name) if path is not None else None


def _plain(value):
    """2 rather than 2.0, as in the CSV files."""
    return json.loads(number(value))
