"""GitHub Classroom: the workflow template, and the grading step it runs, run here as the
workflow runs it (a checkout of the submission beside one of the course) on the example class."""

import base64
import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from rnn_course.platforms.classroom import RUNNER, workflow

ROOT = Path(__file__).resolve().parents[2]
CLASS = ROOT / "examples" / "class"
LESSONS = ("01_rnn_cell_forward", "02_rnn_forward")


def steps(text):
    return yaml.safe_load(text)["jobs"]["run-autograding-tests"]["steps"]


def grading_step(text):
    return next(step for step in steps(text) if step.get("id") == RUNNER)


def test_the_workflow_grades_with_the_instructors_course_at_a_fixed_commit():
    text = workflow("teacher/rnn-course", "0123abc", ["01", "02"])
    data = yaml.safe_load(text)
    assert data["env"] == {"COURSE_REPOSITORY": "teacher/rnn-course", "COURSE_REF": "0123abc"}
    course = next(s for s in steps(text) if s.get("with", {}).get("path") == "course")
    assert course["with"]["repository"] == "${{ env.COURSE_REPOSITORY }}"
    assert course["with"]["ref"] == "${{ env.COURSE_REF }}"
    assert "--lessons 01 02" in grading_step(text)["run"]
    assert "bubblewrap" in " ".join(s.get("run", "") for s in steps(text))


def test_the_reporter_reads_the_grading_steps_result():
    text = workflow("teacher/rnn-course", "v1.0")
    reporter = steps(text)[-1]
    assert reporter["uses"].startswith("classroom-resources/autograding-grading-reporter@")
    assert reporter["with"]["runners"] == RUNNER
    assert reporter["env"] == {f"{RUNNER.upper()}_RESULTS":
                               f"${{{{ steps.{RUNNER}.outputs.result }}}}"}
    assert "--lessons" not in grading_step(text)["run"]  # every lesson


@pytest.mark.parametrize("repository, ref", [("rnn-course", "v1"), ("a/b", "x; rm -rf ~"),
                                             ("a/b$(id)", "v1"), ("a/b", "")])
def test_a_bad_repository_or_ref_is_refused(repository, ref):
    with pytest.raises(ValueError):
        workflow(repository, ref)


def expected(student):
    with open(CLASS / "expected.csv", newline="", encoding="utf-8") as handle:
        return {f"{row['notebook'][:-6]}: {row['exercise']}": int(row["points"])
                for row in csv.DictReader(handle) if row["student"] == student}


def run_grading_step(tmp_path, student):
    """The workflow's grading step, as the runner runs it, in a folder holding the student's
    repository (submission/) and the course (course/); sudo is a no-op here."""
    (tmp_path / "submission" / "notebooks").mkdir(parents=True)
    for lesson in LESSONS:
        if (CLASS / student / f"{lesson}.ipynb").exists():
            shutil.copy(CLASS / student / f"{lesson}.ipynb", tmp_path / "submission/notebooks")
    (tmp_path / "course").symlink_to(ROOT)
    script = grading_step(workflow("teacher/rnn-course", "v1", ["01", "02"]))["run"]
    environment = {**os.environ, "GITHUB_OUTPUT": str(tmp_path / "output"),
                   "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
                   "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-euo", "pipefail", "-c",
                           'sudo() { shift; "$@"; }\n' + script], cwd=tmp_path,
                          env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    [line] = (tmp_path / "output").read_text().splitlines()
    name, encoded = line.split("=", 1)
    assert name == "result"
    return json.loads(base64.b64decode(encoded)), done.stdout


def test_the_grading_step_gives_the_reporter_the_points_of_rnn_course_grade(tmp_path):
    student = "carol"  # a seeded bug in lesson 01, lesson 02 right
    results, stdout = run_grading_step(tmp_path, student)
    assert results["version"] == 1 and results["max_score"] == 5
    assert {test["name"]: test["score"] for test in results["tests"]} == expected(student)
    for test in results["tests"]:
        assert test["status"] == ("pass" if test["score"] else "fail")
        assert test["message"]
    assert results["status"] == "fail"  # not every point
    summary = (tmp_path / "summary.md").read_text()
    assert "# rnn-course: your notebooks, graded" in summary and "Points:" in summary
    assert "Points:" in stdout
    bug = results["tests"][0]["message"]
    assert "the bias ba is missing" in bug and "expected" in bug
