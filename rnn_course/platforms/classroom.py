"""GitHub Classroom: the workflow for the students' repositories, and the command it runs.

    rnn-course classroom-workflow --repository ORG/rnn-course --ref COMMIT [--lessons 01 02]
        writes .github/workflows/classroom.yml for the assignment's template repository;
    rnn-course classroom NOTEBOOK... --github-output "$GITHUB_OUTPUT" [--summary FILE]
        grades one student's notebooks (rnn-course grade of one submission: the same engine,
        sandbox and verdicts) and hands the reporter
        (classroom-resources/autograding-grading-reporter) one test per graded function.

The reporter reads each runner's results as base64-encoded JSON in ``<RUNNER>_RESULTS``:
``{"version": 1, "status": "pass"|"fail"|"error", "max_score": N, "tests": [{"name",
"status", "score", "message"}, ...]}``; it adds up the tests' scores against max_score.
"""

import base64
import json
from pathlib import Path
from typing import Any

from rnn_course.errors import RnnCourseError
from rnn_course.grading.batch import Graded, Student, lesson_of
from rnn_course.grading.report import write_text_atomic

TEMPLATE = Path(__file__).parent / "templates" / "classroom.yml"
RUNNER = "rnn_course"  # the grading step's id, and the reporter's runner


class WorkflowError(RnnCourseError, ValueError):
    """The workflow's arguments cannot go into a workflow file safely."""


def workflow(repository: str, ref: str, lessons: "list[str] | None" = None) -> str:
    """The workflow file's text, for the course at ``repository`` (owner/name) and ``ref``."""
    if not repository or "/" not in repository or any(c in repository for c in " \"'\n$"):
        raise WorkflowError(f"--repository must be owner/name, got {repository!r}")
    if not ref or any(c in ref for c in " \"'\n$"):
        raise WorkflowError(f"--ref must be a commit or tag, got {ref!r}")
    chosen = " ".join(lessons or [])
    if any(not lesson.replace("_", "").isalnum() for lesson in lessons or []):
        raise WorkflowError(f"--lessons must be lesson names or numbers, got {chosen!r}")
    text = TEMPLATE.read_text(encoding="utf-8")
    return (text.replace("@COURSE_REPOSITORY@", repository).replace("@COURSE_REF@", ref)
            .replace("@LESSONS_OPTION@", f" --lessons {chosen}" if chosen else ""))


def reporter_results(graded: Graded) -> dict[str, Any]:
    """The reporter's JSON for one student's Graded: one test per graded function."""
    tests = []
    for row in graded.rows:
        verdict = graded.verdict(row)
        status = "pass" if row["status"] == "passed" else "fail"  # the reason is the message
        message = "\n".join(verdict.details) if verdict.details else row["message"]
        tests.append({"name": f"{lesson_of(row)}: {row['exercise']}", "status": status,
                      "score": row["points"], "message": message, "line_no": 0,
                      "filename": row["notebook"], "test_code": f"check_{row['exercise']}",
                      "mistake": row["mistake"]})  # docs/mistakes.md
    failed = any(test["status"] != "pass" for test in tests)
    return {"version": 1, "status": "fail" if failed else "pass",
            "max_score": graded.max_points, "tests": tests}


def write_github_output(path: "Path | str", results: dict[str, Any]) -> None:
    """Append ``result=<base64 JSON>`` to the step's output file (GITHUB_OUTPUT)."""
    encoded = base64.b64encode(json.dumps(results).encode("utf-8")).decode("ascii")
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"result={encoded}\n")


def write_summary(path: "Path | str", graded: Graded, student: Student) -> None:
    """The student's feedback as the job summary (GITHUB_STEP_SUMMARY), added to it."""
    text = graded.feedback[student.name].replace(
        f"# Feedback for {student.name}", "# rnn-course: your notebooks, graded", 1)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"{text}\n")


def save_workflow(text: str, out: "Path | str") -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out, text)
    return out
