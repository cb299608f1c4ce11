"""rnn-course grade's verdicts in an nbgrader gradebook: `rnn-course grade ... --gradebook DB`.

The gradebook is that of an nbgrader course written by `rnn-course nbgrader` in which
`nbgrader generate_assignment` has run for each lesson graded (each lesson is an assignment
holding one notebook of the same name). Each verdict becomes the autograded score of the
exercise's check cell (``check_<function>``) in the student's submission, and the grader's
one-line message the comment on the graded cell, so the formgrader and `nbgrader export` show
rnn-course grade's points. A lesson not handed in gets no submission, as in nbgrader.
This module imports nbgrader; the rest of rnn_course does not need it.
"""

from pathlib import Path
from typing import TYPE_CHECKING

from nbgrader.api import Gradebook, MissingEntry

from rnn_course.errors import RnnCourseError

if TYPE_CHECKING:
    from rnn_course.grading.course import Course


class GradebookError(RnnCourseError):
    """The gradebook cannot take the verdicts; the message says why."""


def _url(path):
    return f"sqlite:///{Path(path).resolve()}"


def check_gradebook(path: "Path | str", course: "Course") -> None:
    """Raise GradebookError unless ``path`` is a gradebook holding every exercise of the
    lessons of ``course`` (a grading.course.Course): run before grading."""
    if not Path(path).is_file():
        raise GradebookError(f"{path}: no such gradebook (make the nbgrader course with "
                             "`rnn-course nbgrader` and run `nbgrader generate_assignment` there)")
    with Gradebook(_url(path)) as gradebook:
        for lesson in course.lessons:
            for exercise in lesson.exercises:
                try:
                    gradebook.find_grade_cell(exercise.check_id, lesson.name, lesson.name)
                except MissingEntry:
                    raise GradebookError(
                        f"{path} has no grade cell {exercise.check_id} in assignment "
                        f"{lesson.name}: run `nbgrader generate_assignment {lesson.name}` in "
                        "the nbgrader course") from None


def write_gradebook(path: "Path | str", rows: list[dict]) -> None:
    """Write the grade rows (dicts with GRADES_HEADER keys) into the gradebook at ``path``."""
    with Gradebook(_url(path)) as gradebook:
        for row in rows:
            if row["status"] == "missing":
                continue
            lesson, student = Path(row["notebook"]).stem, row["student"]
            gradebook.update_or_create_student(student)
            gradebook.update_or_create_submission(lesson, student)
            grade = gradebook.find_grade(f"check_{row['exercise']}", lesson, lesson, student)
            grade.auto_score = float(row["points"])
            grade.manual_score = None
            grade.needs_manual_grade = False
            comment = gradebook.find_comment(row["exercise"], lesson, lesson, student)
            mistake = f" [{row['mistake']}]" if row.get("mistake") else ""
            comment.auto_comment = f"rnn-course grade: {row['status']}: {row['message']}{mistake}"
        gradebook.db.commit()
