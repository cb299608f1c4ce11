"""The one base class of the instructor tooling's errors.

Every error that means "the tool cannot do what was asked, and here is why" (a bad argument, a
course file missing or malformed, no working sandbox) derives from ``RnnCourseError``;
``rnn-course`` (cli.main) prints its message and exits with status 2. Each room defines the
subclasses it raises, beside the code that raises them:

    authoring.lesson.LessonError          a lesson source breaks the authoring conventions
    grading.course.CourseError            the course files the grader needs are missing/wrong
    grading.batch.GradeError              a grading cannot start (arguments, folders)
    grading.sandbox.EngineError           no working sandbox engine
    platforms.nbgrader.course.NbgraderCourseError, platforms.nbgrader.gradebook.GradebookError

What goes wrong with one submission is never an error of the tool: it is that submission's
verdict (grading.verdict.Verdict), and the others are graded as usual.
"""


class RnnCourseError(Exception):
    """The instructor's tool cannot do what was asked; the message says why, in one line."""
