"""Benchmark: the grader's cost per notebook against nbval's own run, and its parallel speed-up.

    .venv/bin/python benchmarks/grade_times.py [--students N] [--lessons 01 02]

Makes N synthetic students who hand in the solutions of the chosen lessons, then times
1. `rnn-course grade --jobs 1` and `--jobs 2` on them (everything: composing, running,
   judging, writing the files);
2. nbval's own run of the same composed notebooks: one `pytest --nbval` over all of them, with
   the same options, environment and kernels, but without the grader.
Prints seconds per notebook, the grader's overhead over nbval and the speed-up of 2 jobs over 1.
Not a test: the figures go into issue notes.
"""

import argparse
import importlib.util
import json
import subprocess
import tempfile
import time
from pathlib import Path

from rnn_course.grade import grade
from rnn_course.grade_compose import compose, read_submission
from rnn_course.grade_course import load_course
from rnn_course.grade_run import Settings, kernel_environment, pytest_command

ROOT = Path(__file__).resolve().parents[1]


def make_students(folder, count, lessons):
    """``count`` students, each handing in the solution of every lesson."""
    spec = importlib.util.spec_from_file_location("make_class", ROOT / "examples/make_class.py")
    make_class = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_class)
    for number in range(count):
        student = folder / f"student{number:02d}"
        student.mkdir(parents=True)
        for lesson in lessons:
            notebook = make_class.release(lesson.name)
            for exercise in lesson.exercises:
                notebook = make_class.with_source(notebook, exercise.graded_id,
                                                  make_class.answer(exercise.function))
            text = json.dumps(notebook, indent=1)
            (student / lesson.filename).write_text(text, encoding="utf-8")


def timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def plain_nbval(course, submissions, folder, settings):
    """nbval over the same composed notebooks, in one pytest process, without the grader."""
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    paths = []
    for index, path in enumerate(sorted(submissions.glob("*/*.ipynb"))):
        lesson = next(lesson for lesson in course.lessons if lesson.filename == path.name)
        composed = compose(lesson, read_submission(path), course.package_root)
        (folder / f"nb{index}").mkdir()
        paths.append(folder / f"nb{index}" / path.name)
        paths[-1].write_text(json.dumps(composed.notebook), encoding="utf-8")
    command = pytest_command(folder, paths, settings)
    result = subprocess.run(command, cwd=folder, env=kernel_environment(settings),
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"nbval failed on the solutions:\n{result.stdout[-2000:]}")
    return len(paths)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=4)
    parser.add_argument("--lessons", nargs="+", default=["01", "02"])
    args = parser.parse_args()
    course = load_course(ROOT, args.lessons)
    settings = Settings(package_root=course.package_root)
    with tempfile.TemporaryDirectory() as temporary:
        temporary = Path(temporary)
        submissions = temporary / "class"
        make_students(submissions, args.students, course.lessons)
        count = args.students * len(course.lessons)
        grading = {jobs: timed(lambda jobs=jobs: grade(
            submissions, temporary / f"out{jobs}", ROOT, workers=jobs, lessons=args.lessons))
            for jobs in (1, 2)}
        (temporary / "nbval").mkdir()
        nbval = timed(lambda: plain_nbval(course, submissions, temporary / "nbval", settings))
    print(f"{count} notebooks ({args.students} students x lessons {' '.join(args.lessons)})")
    print(f"{'run':28} {'total s':>8} {'s/notebook':>11}")
    for label, seconds in [("nbval alone (1 process)", nbval),
                           ("rnn-course grade --jobs 1", grading[1]),
                           ("rnn-course grade --jobs 2", grading[2])]:
        print(f"{label:28} {seconds:8.1f} {seconds / count:11.2f}")
    print(f"overhead of grading over nbval (--jobs 1): {100 * (grading[1] / nbval - 1):+.0f}%")
    print(f"speed-up of --jobs 2 over --jobs 1: {grading[1] / grading[2]:.2f}x")


if __name__ == "__main__":
    main()
