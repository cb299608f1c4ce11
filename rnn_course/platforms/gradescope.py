"""Gradescope: build the autograder zip, and grade inside it.

    rnn-course gradescope --out autograder.zip [--lessons 01] [--timeout 60] [--sandbox auto]

The zip holds what Gradescope's autograder specification asks for:
- ``setup.sh``: run once when Gradescope builds the image (as root, in /autograder/source): it
  installs Python, bubblewrap and the course's wheel (with constraints.txt's pins on Python
  3.11 and later) into /autograder/rnn-course-venv;
- ``run_autograder``: run for every submission, in its own container: it grades the
  notebooks in /autograder/submission/ with the course's own engine (``rnn-course grade`` of
  one submission: composition, sandbox, cases and judge outside the kernel) and writes
  /autograder/results/results.json, one test per graded function;
- ``course/notebooks/``: the lessons' release notebooks (all the grader reads of a lesson; the
  cases and expected values come from the installed package, and no answer is in the zip),
  plus the wheel, constraints.txt and ``gradescope.json`` (the options chosen at build time).

``AUTOGRADER_ROOT`` (default /autograder) and ``RNN_COURSE_PYTHON`` (default the venv that
setup.sh makes) let the scripts run anywhere, which is how the tests run them.

The sandbox: bubblewrap, which setup.sh installs, when it works in the container. A
container may not allow the namespaces it needs (a default Docker container does not). Then,
unless the zip was built with ``--require-sandbox`` (no points, and why), the submission is
graded without bubblewrap inside Gradescope's container, which holds this submission alone,
and the results say so. Run as root there (as Gradescope runs it), the grader still runs
every kernel as an unprivileged user of its own (sandbox.own_user). That user cannot read the
installed reference and checks (made root's only) and cannot write the results. Whatever it
leaves running is killed when its notebook ends, and again before the results are written.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from rnn_course.errors import RnnCourseError
from rnn_course.grading.batch import Graded, GradeError, Student, lesson_of
from rnn_course.grading.course import load_course
from rnn_course.grading.files import entry_kind, list_folder
from rnn_course.grading.report import number, write_text_atomic
from rnn_course.grading.sandbox import (
    KERNEL_USERS,
    Engine,
    EngineError,
    probe,
    processes_owned,
)
from rnn_course.grading.single import grade_single
from rnn_course.options import GradingOptions

CONFIG = "gradescope.json"
VENV = "/autograder/rnn-course-venv"
CONTAINER_USER = 65533  # without bubblewrap: kernels run as other users (each its own uid)
MAX_FILES = 50  # files of a submission looked at; the rest are listed as not graded
TEMPLATES = Path(__file__).parent / "templates"


# ---- building the zip ---------------------------------------------------------------------------


def build_zip(course_root: "Path | str", out: "Path | str", lessons: "list[str] | None" = None,
              settings: "dict[str, Any] | None" = None,
              wheel: "Path | str | None" = None) -> Path:
    """Write the autograder zip for ``lessons`` (default: all) of the course at ``course_root``
    to ``out``; ``settings`` are the grading options stored in gradescope.json. Returns out."""
    course_root = Path(course_root).resolve()
    course = load_course(course_root, lessons)
    defaults = {name: value for name, value in vars(GradingOptions(jobs=1)).items()
                if name != "jobs"}  # the container's cores decide
    config = {"lessons": [lesson.name for lesson in course.lessons], **defaults,
              "require_sandbox": False, "visibility": "visible", **(settings or {})}
    with tempfile.TemporaryDirectory() as work:
        wheel = Path(wheel) if wheel else build_wheel(course_root, Path(work))
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in ("setup.sh", "run_autograder"):
                _add(archive, name, (TEMPLATES / f"gradescope_{name}").read_bytes(), 0o755)
            _add(archive, wheel.name, wheel.read_bytes())
            _add(archive, "constraints.txt", (course_root / "constraints.txt").read_bytes())
            _add(archive, CONFIG, json.dumps(config, indent=2).encode() + b"\n")
            for lesson in course.lessons:
                release = course_root / "notebooks" / lesson.filename
                _add(archive, f"course/notebooks/{lesson.filename}", release.read_bytes())
    return Path(out)


def build_wheel(course_root: Path, work: Path) -> Path:
    """The course's wheel, built from a copy of the checkout as `pip install .` builds it."""
    source = work / "source"
    shutil.copytree(course_root, source, ignore=shutil.ignore_patterns(
        ".venv*", ".git", "__pycache__", "build", "dist", "*.egg-info", "*.pyc",
        ".ipynb_checkpoints"))
    offline = ["--no-build-isolation"] if _has_setuptools() else []  # else pip fetches them
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                             *offline, "--wheel-dir", str(work / "dist"), str(source)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise GradeError(f"building the course's wheel failed: {result.stderr.strip()[-500:]}")
    return next((work / "dist").glob("rnn_course-*.whl"))


def _has_setuptools():
    try:
        import setuptools  # noqa: F401
    except ImportError:
        return False
    return True


def _add(archive, name, data, mode=0o644):
    """A member with a fixed date, so that the same course gives the same zip."""
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


# ---- grading one submission inside the container ------------------------------------------------


def run_autograder(root: "Path | str") -> dict[str, Any]:
    """Grade ``root``/submission into ``root``/results/results.json; returns the results."""
    root = Path(root)
    source = root / "source"
    config = json.loads((source / CONFIG).read_text(encoding="utf-8"))
    said = []
    try:
        engine = choose_sandbox(config, said, root)
        options = GradingOptions(timeout=config["timeout"], memory=config["memory"],
                                 notebook_timeout=config["notebook_timeout"], sandbox=engine)
        graded, student = grade_single(submission_files(root / "submission"),
                                       source / "course", lessons=config["lessons"],
                                       options=options, report=said.append)
        results = results_json(graded, student, config, said)
    except RnnCourseError as error:
        results = failure_json(config, error)
    finally:
        stop_leftovers()
    (root / "results").mkdir(parents=True, exist_ok=True)
    write_text_atomic(root / "results" / "results.json", json.dumps(results, indent=2) + "\n")
    return results


def choose_sandbox(config: dict[str, Any], said: list[str], root: "Path | None" = None) -> Engine:
    """bubblewrap when it works; else, unless the zip requires it (EngineError: the results
    say why), no sandbox inside Gradescope's container, with the kernels as CONTAINER_USER
    when the grader is root (as on Gradescope), said in the results."""
    try:
        return probe(config["sandbox"])
    except EngineError as error:
        if config.get("require_sandbox"):
            raise
        if os.geteuid() != 0:
            said.append(f"Graded WITHOUT a sandbox ({error}), as the grader's user: build the "
                        "autograder with --require-sandbox to refuse this.")
            return Engine("none")
        _protect_answers(root)
        said.append(f"Graded without bubblewrap ({error}): in this submission's own container, "
                    "each kernel ran as a user of its own (uid "
                    f"{KERNEL_USERS} and above), which can read neither the course's answers "
                    "nor the results; build the autograder with "
                    "--require-sandbox to refuse to grade without bubblewrap.")
        return Engine("none", detail="in the autograder's container", user=CONTAINER_USER)


def _protect_answers(root: "Path | None" = None) -> None:
    """Every copy of the answers readable by root alone (the grader's judge reads them), not
    by the kernels' user: the installed reference and checks, the reference's compiled copies
    that pip wrote in __pycache__, and the course's wheel in the autograder folder ``root``."""
    import rnn_utils

    package = Path(rnn_utils.__file__).parent
    answers = [package / "reference.py", package / "checks",
               *(package / "__pycache__").glob("reference.*")]
    answers += list(Path(root).rglob("*.whl")) if root else []
    for path in answers:
        if path.exists():
            path.chmod(0o700 if path.is_dir() else 0o600)


def stop_leftovers(user: "int | None" = None) -> None:
    """Kill whatever the kernels' users still run (each kernel ran as a uid of its own, from
    sandbox.KERNEL_USERS up, which nothing else uses; or ``user``), so that nothing of the
    submission outlives its grading."""
    if os.geteuid() != 0:
        return
    for pid in processes_owned(lambda owner: owner == user or
                               (user is None and owner >= KERNEL_USERS)):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            continue


def submission_files(folder: "Path | str") -> list[Path]:
    """The files of the submission (in subfolders too, as a zip or repository upload has
    them), not following links, hidden files and folders aside."""
    found, pending = [], [Path(folder)]
    while pending and len(found) < MAX_FILES:
        current = pending.pop()
        for name in list_folder(current):
            path = current / name
            if name.startswith(".") or name == "__MACOSX":
                continue
            kind = entry_kind(path)
            if kind == "folder":
                pending.append(path)
            elif kind != "missing":
                found.append(path)
    return sorted(found)


def results_json(graded: Graded, student: Student, config: dict[str, Any],
                 said: list[str]) -> dict[str, Any]:
    """Gradescope's results.json: one test per graded function."""
    tests = []
    for row in graded.rows:
        verdict = graded.verdict(row)
        output = "\n".join([row["message"], *(["", *verdict.details] if verdict.details else [])])
        tests.append({"name": f"{lesson_of(row)}: {row['exercise']}",
                      "score": row["points"], "max_score": row["max_points"],
                      "status": "passed" if row["status"] == "passed" else "failed",
                      "output": f"{row['status']}: {output}",
                      "visibility": config["visibility"],
                      "extra_data": {"mistake": row["mistake"]}})  # docs/mistakes.md
    lines = [f"{number(graded.points)} of {number(graded.max_points)} points, graded by rnn-course "
             f"({said[0] if said else 'sandbox: ?'})."]
    lines += said[1:]
    if student.ignored:
        lines.append("Not graded (not a lesson of this assignment): " + ", ".join(student.ignored))
    return {"score": graded.points, "output": "\n".join(lines), "visibility": "visible",
            "stdout_visibility": "hidden", "tests": tests}


def failure_json(config: dict[str, Any], error: Exception) -> dict[str, Any]:
    """results.json when the grader itself cannot run: 0 points and why, for the instructor."""
    return {"score": 0, "visibility": "visible", "stdout_visibility": "visible", "tests": [],
            "output": f"The autograder could not grade this submission: {error}. This is a "
                      "problem of the autograder, not of the submission: tell your instructor."}


def main(argv: "list[str] | None" = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rnn_course.platforms.gradescope",
                                     description="grade /autograder/submission (run_autograder)")
    parser.add_argument("--root", default=os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    results = run_autograder(parser.parse_args(argv).root)
    print(results["output"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
