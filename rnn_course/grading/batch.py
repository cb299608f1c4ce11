"""``rnn-course grade``: grade a folder of submissions; the one engine of every grading.

    SUBMISSIONS/<student>/<lesson>.ipynb  --compose-->  release + the student's cells
                                          --nbval---->  one sandboxed kernel per notebook
                                          --judge---->  OUT/grades.csv, OUT/summary.csv,
                                                        OUT/feedback/<student>.md

``grade`` grades a folder of students; ``grade_students`` is the engine it shares with one
submission (single.py) and the platforms. The map of the grading room is in its __init__.py;
the contract in DESIGN.md, "Grading contract"; docs/grading.md explains the choices and limits.
"""

import dataclasses
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TextIO

from rnn_course.errors import RnnCourseError
from rnn_course.grading import cgroups
from rnn_course.grading.compose import Composed, NotANotebook, compose, read_submission
from rnn_course.grading.course import (
    Course,
    CourseLesson,
    GradedFunction,
    kernel_course,
    load_course,
)
from rnn_course.grading.files import entry_kind, list_folder, printable_name
from rnn_course.grading.judge import Task, exercises, make_task, new_salt
from rnn_course.grading.report import feedback_text, write_outputs
from rnn_course.grading.run import Job, Run, Settings, kernel_limits, run_jobs
from rnn_course.grading.sandbox import Engine, check_kernels_can_start, probe
from rnn_course.grading.verdict import Verdict, one_line, verdict_of
from rnn_course.options import GradingOptions

Report = Callable[[str], None]  # told, in one line each, what the grader does (the engine)


class GradeError(RnnCourseError):
    """The grader cannot run (bad arguments); the message says why."""


@dataclass
class Submission:
    """One student's hand-in of one lesson and what became of it."""

    student: str
    lesson: CourseLesson
    problem: "Verdict | None" = None  # missing or unreadable: the verdict on every exercise
    composed: "Composed | None" = None  # when it runs
    run: "Run | None" = None  # once it ran
    added: set[str] = field(default_factory=set)  # ids of the student's own cells


def students(submissions: Path) -> list[tuple[str, Path]]:
    """(student id, folder) for every student folder, sorted; other entries are reported.

    A student folder is a real folder: a symbolic link (which could lead out of SUBMISSIONS)
    is not followed. The id is the folder's name, made printable when it is not UTF-8.
    """
    found, seen = [], set()
    for name in list_folder(submissions):
        if name.startswith("."):
            continue
        path = Path(submissions) / name
        student = printable_name(name)
        kind = entry_kind(path)
        if kind != "folder":
            print(f"rnn-course grade: ignored {printable_name(str(path))} (not a student folder:"
                  f" {kind})", file=sys.stderr)
            continue
        while student in seen:  # two names that print alike (rare): keep both, distinct
            student += "_"
        seen.add(student)
        found.append((student, path))
    return found


def prepare(course: Course, student: str, files: dict[str, Path]) -> list[Submission]:
    """The student's Submissions, one per lesson: composed, missing or unreadable. ``files``
    maps a lesson's name to the path of its hand-in (absent: not handed in). Total: any
    failure to read or compose a file becomes that lesson's verdict."""
    prepared = []
    for lesson in course.lessons:
        submission = Submission(student, lesson)
        path = files.get(lesson.name)
        try:
            kind = entry_kind(path) if path is not None else "missing"
            if kind == "missing":
                submission.problem = Verdict(
                    "missing", f"not handed in: no {lesson.filename} in the student's folder")
            else:
                cells = read_submission(path)
                submission.composed = compose(lesson, cells, course.package_root)
                submission.added = {c.id for c in submission.composed.notebook.cells
                                    if c.id.startswith("added-")}
        except NotANotebook as error:
            submission.problem = Verdict("error", one_line(f"not a valid notebook ({error})"))
        except Exception as error:  # noqa: BLE001 -- whatever a submission does, it is its row
            submission.problem = Verdict("error", one_line(
                f"not a valid notebook (it could not be read: {type(error).__name__})"))
        prepared.append(submission)
    return prepared


@dataclass
class Student:
    """One student of a grading: their id, their hand-in per lesson, the files not graded."""

    name: str
    files: dict[str, Path]  # lesson name -> path of the hand-in
    ignored: list[str]  # printable names of other files, listed in the feedback


def folder_student(course: Course, name: str, folder: Path) -> Student:
    """The Student of a folder SUBMISSIONS/<student>/ (lesson files by their names)."""
    files = {lesson.name: Path(folder) / lesson.filename for lesson in course.lessons}
    return Student(name, files, ignored_files(course, folder))


def ignored_files(course: Course, folder: Path) -> list[str]:
    """Names in a student's folder that are not lessons of the course (hidden ones aside);
    a lesson of the course that is not graded in this run is not listed."""
    names = course.names or [lesson.name for lesson in course.lessons]
    lessons = {f"{name}.ipynb" for name in names}
    return sorted(printable_name(name) for name in list_folder(folder)
                  if name not in lessons and not name.startswith("."))


def grade(submissions: "Path | str", out: "Path | str", course_root: "Path | str",
          lessons: "list[str] | None" = None, options: "GradingOptions | None" = None,
          progress: "Progress | None" = None, report: "Report | None" = None,
          **overrides: Any) -> list[dict]:
    """Grade every student folder of ``submissions`` into ``out``; returns the grade rows.

    ``options`` (or ``overrides`` of its fields: jobs, timeout, notebook_timeout, memory,
    sandbox) are the run's GradingOptions. ``report(line)`` is told which engine is used.
    Raises an RnnCourseError (GradeError, CourseError, EngineError) when the grader cannot run.
    """
    submissions, out = Path(submissions).resolve(), Path(out).resolve()
    _check_folders(submissions, out)
    course = load_course(Path(course_root).resolve(), lessons)

    def roster():
        return [folder_student(course, name, folder) for name, folder in students(submissions)]

    graded = grade_students(course, roster, GradingOptions.of(options, **overrides),
                            progress=progress, report=report)
    write_outputs(out, graded.rows, graded.feedback)
    return graded.rows


@dataclass
class Graded:
    """What a grading found: the rows of grades.csv (in order), each student's feedback, and
    the verdict behind each row, by (student, lesson name, function)."""

    rows: list[dict]
    feedback: dict[str, str]  # student -> feedback text
    verdicts: dict[tuple[str, str, str], Verdict]

    def verdict(self, row: dict) -> Verdict:
        """The Verdict behind one of the rows."""
        return self.verdicts[(row["student"], lesson_of(row), row["exercise"])]

    @property
    def points(self) -> float:
        return sum(row["points"] for row in self.rows)

    @property
    def max_points(self) -> float:
        return sum(row["max_points"] for row in self.rows)


def lesson_of(row: dict) -> str:
    """The lesson name of a grade row ("01_rnn_cell_forward" for its notebook's file)."""
    return row["notebook"].removesuffix(".ipynb")


def grade_students(course: Course, roster: Callable[[], list[Student]],
                   options: "GradingOptions | None" = None, progress: "Progress | None" = None,
                   report: "Report | None" = None, **overrides: Any) -> Graded:
    """Grade the Students ``roster()`` returns (called once the sandbox works) in ``course``:
    the one engine of the batch grader, of a single submission and of the platforms.
    ``options.sandbox`` may be an Engine already probed (the platforms choose their own)."""
    options = GradingOptions.of(options, **overrides)
    _check_same_package(course)
    engine = options.sandbox if isinstance(options.sandbox, Engine) else probe(options.sandbox)
    (report or (lambda line: None))(engine.describe())
    (report or (lambda line: None))(cgroups.available())
    tasks = make_tasks(course)
    with tempfile.TemporaryDirectory(prefix="rnn-course-grading-") as private:
        if engine.user:  # kernels run as that user without a sandbox: /course is reached here
            Path(private).chmod(0o711)
        (Path(private) / "course").mkdir()
        settings = Settings(timeout=options.timeout, memory=options.memory,
                            package_root=course.package_root,
                            notebook_timeout=options.notebook_timeout, engine=engine,
                            course_dir=kernel_course(course, Path(private) / "course"),
                            tasks_file=write_tasks(tasks, Path(private) / "tasks.json"))
        check_kernels_can_start(engine, kernel_limits(settings), settings.course_dir)
        return _grade_with(course, roster(), settings, options.jobs, progress, tasks)


def make_tasks(course: Course, salt: "int | None" = None) -> dict[str, Task]:
    """function -> judge.Task for every exercise of the course, with fresh cases."""
    known = exercises()
    salt = new_salt() if salt is None else salt
    return {exercise.function: make_task(known[exercise.function], salt)
            for lesson in course.lessons for exercise in lesson.exercises}


def write_tasks(tasks: dict[str, Task], path: Path) -> Path:
    """The tasks as the plugin reads them (plain data only), in a file of the grader's."""
    path.write_text(json.dumps({name: {"cases": task.encoded, "helpers": list(task.helpers),
                                       "callables": list(task.callables)}
                                for name, task in tasks.items()}), encoding="utf-8")
    return path


def _grade_with(course, roster, settings, parallel, progress, tasks):
    prepared = [s for student in roster for s in prepare(course, student.name, student.files)]
    to_run = [s for s in prepared if s.composed is not None]
    if progress:
        progress.start(len(to_run))
    jobs = [Job(index, s.lesson.filename, s.composed.notebook) for index, s in enumerate(to_run)]
    runs = run_jobs(jobs, settings, parallel, done=progress.advance if progress else lambda n: 0)
    for index, submission in enumerate(to_run):
        submission.run = runs[index]
    if progress:
        progress.finish()
    return _results(course, roster, prepared, settings.timeout, tasks)


def _check_same_package(course):
    """The grader judges with the rnn_utils it imports: it must be the course's own."""
    import rnn_utils

    mine = Path(rnn_utils.__file__).resolve().parent
    if course.package_root and mine != (course.package_root / "rnn_utils").resolve():
        raise GradeError(f"the course at {course.root} has its own rnn_utils, but this grader "
                         f"judges with {mine}: run the rnn-course installed from that checkout "
                         f"(pip install -e {course.root})")


def _check_folders(submissions, out):
    if not submissions.is_dir():
        raise GradeError(f"{submissions} is not a folder of submissions")
    if out == submissions or submissions in out.parents:
        raise GradeError(f"OUT ({out}) must not be inside SUBMISSIONS ({submissions}): "
                         "the submissions are never modified")
    if out.exists() and not out.is_dir():
        raise GradeError(f"OUT ({out}) exists and is not a folder")


def _results(course, roster, prepared, timeout, tasks):
    """The rows of grades.csv, in order, each student's feedback text and the verdicts."""
    rows, feedback, all_verdicts = [], {}, {}
    for student in roster:
        mine = [s for s in prepared if s.student == student.name]
        student_rows, verdicts, remarks = [], {}, {}
        for submission in mine:
            remarks[submission.lesson.name] = submission.composed.remarks if submission.composed \
                else []
            for exercise in submission.lesson.exercises:
                verdict = _verdict(submission, exercise, timeout, tasks.get(exercise.function))
                verdicts[(submission.lesson.name, exercise.function)] = verdict
                all_verdicts[(student.name, submission.lesson.name, exercise.function)] = verdict
                student_rows.append(_row(submission, exercise, verdict))
        rows += student_rows
        problems = {s.lesson.name: s.problem.message for s in mine if s.problem}
        feedback[student.name] = feedback_text(student.name, course.lessons, student_rows,
                                               verdicts, remarks, student.ignored, problems)
    return Graded(rows, feedback, all_verdicts)


def _verdict(submission: Submission, exercise: GradedFunction, timeout: float,
             task: Task) -> Verdict:
    """The verdict on one exercise, with the composition's note on its graded cell."""
    if submission.problem:
        return submission.problem
    verdict = verdict_of(exercise, submission.run, timeout, _describer(submission), task)
    note = submission.composed.notes.get(exercise.function)
    if note:
        message = one_line(f"{verdict.message.rstrip('.')}; note: {note}")
        verdict = dataclasses.replace(verdict, message=message, note=note)
    return verdict


def _describer(submission):
    """Words for a cell of the composed notebook, for reasons pointing at an earlier cell."""
    graded = {ex.graded_id: ex.function for ex in submission.lesson.exercises}

    def describe(cell_id):
        if cell_id in submission.added:
            return "a cell you added"
        if cell_id in graded:
            return f"the graded cell of {graded[cell_id]}"
        return f"cell {cell_id} of the lesson"

    return describe


def _row(submission, exercise, verdict):
    return {
        "student": submission.student,
        "notebook": submission.lesson.filename,
        "exercise": exercise.function,
        "points": exercise.points if verdict.status == "passed" else 0,
        "max_points": exercise.points,
        "status": verdict.status,
        "message": verdict.message,
        "mistake": verdict.mistake if verdict.status == "failed" else "",
    }


class Progress:
    """A progress bar on stderr, ``grading [#####.....] 12/40 notebooks``; drawn only when
    stderr is a terminal, so that logs and CI output stay clean."""

    WIDTH = 30

    def __init__(self, stream: "TextIO | None" = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.total = self.count = 0

    def start(self, total: int) -> None:
        self.total = total
        self._draw()

    def advance(self, count: int) -> None:
        self.count += count
        self._draw()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self):
        if not self.enabled:
            return
        filled = self.WIDTH * self.count // self.total if self.total else self.WIDTH
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\rgrading [{bar}] {self.count}/{self.total} notebooks")
        self.stream.flush()
