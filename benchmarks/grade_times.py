"""Benchmark: the grader's cost per notebook, old and new side by side, and its parallel speed-up.

    .venv/bin/python benchmarks/grade_times.py [--students N] [--lessons 01 02] [--repeats R]
                                               [--old COMMIT]

Makes N synthetic students who hand in the solutions of the chosen lessons, then grades them
with `rnn-course grade` as a separate process each time (everything: composing, running,
judging, writing the files), in interleaved rounds so that a busy machine slows all variants
alike; the best of R rounds counts:
- old: the grader of commit COMMIT (default: the one before the sandbox and the judge outside
  the kernel), exported with `git archive` and run with this virtual environment;
- new under bubblewrap, and new with `--sandbox none`;
each with --jobs 1, and old and new (bubblewrap) with --jobs 2.
Prints seconds per notebook, the ratio new / old and the speed-up of 2 jobs over 1.
Not a test: the figures go into issue notes.
"""

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD_GRADER = "a67b24c"  # rnn-course grade before the sandbox and the out-of-kernel judge
RUN = ("import sys; from rnn_course.cli import main; sys.exit(main(sys.argv[1:]))")


def make_students(folder, count, lessons):
    """``count`` students, each handing in the solution of every lesson (names or numbers)."""
    spec = importlib.util.spec_from_file_location("make_class", ROOT / "examples/make_class.py")
    make_class = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_class)
    sys.path.insert(0, str(ROOT))
    from rnn_course.grading.course import load_course

    course = load_course(ROOT, lessons)
    for number in range(count):
        student = folder / f"student{number:02d}"
        student.mkdir(parents=True)
        for lesson in course.lessons:
            notebook = make_class.release(lesson.name)
            for exercise in lesson.exercises:
                notebook = make_class.with_source(notebook, exercise.graded_id,
                                                  make_class.answer(exercise.function))
            (student / lesson.filename).write_text(json.dumps(notebook, indent=1),
                                                   encoding="utf-8")
    return count * len(course.lessons)


def export(commit, folder):
    """The course checkout at ``commit``, as files in ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True,
                             capture_output=True).stdout
    folder.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def graded_in(tree, submissions, out, lessons, jobs, extra=()):
    """Seconds of one `rnn-course grade` run of the grader in ``tree``."""
    command = [sys.executable, "-c", RUN, "grade", str(submissions), "--out", str(out),
               "--jobs", str(jobs), "--course", str(tree), "--lessons", *lessons, *extra]
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(tree)}
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"grading failed in {tree}:\n{result.stderr[-2000:]}")
    rows = (out / "grades.csv").read_text(encoding="utf-8").splitlines()[1:]
    if not all(",passed," in row for row in rows):
        raise SystemExit(f"not every solution passed in {tree}:\n" + "\n".join(rows[:5]))
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=3)
    parser.add_argument("--lessons", nargs="+", default=["01", "02"])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--old", default=OLD_GRADER, help="commit of the grader to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        temporary = Path(temporary)
        count = make_students(temporary / "class", args.students, args.lessons)
        old = export(args.old, temporary / "old")
        variants = {
            "old grader, --jobs 1": (old, 1, ()),
            "new, bwrap, --jobs 1": (ROOT, 1, ("--sandbox", "bwrap")),
            "new, --sandbox none, --jobs 1": (ROOT, 1, ("--sandbox", "none")),
            "old grader, --jobs 2": (old, 2, ()),
            "new, bwrap, --jobs 2": (ROOT, 2, ("--sandbox", "bwrap")),
        }
        best = {label: float("inf") for label in variants}
        for round_number in range(args.repeats):
            for index, (label, (tree, jobs, extra)) in enumerate(variants.items()):
                out = temporary / f"out-{round_number}-{index}"
                seconds = graded_in(tree, temporary / "class", out, args.lessons, jobs, extra)
                best[label] = min(best[label], seconds)
    print(f"{count} notebooks ({args.students} students x lessons {' '.join(args.lessons)}), "
          f"best of {args.repeats} interleaved rounds")
    print(f"{'run':32} {'total s':>8} {'s/notebook':>11}")
    for label, seconds in best.items():
        print(f"{label:32} {seconds:8.1f} {seconds / count:11.2f}")
    for jobs in (1, 2):
        ratio = best[f"new, bwrap, --jobs {jobs}"] / best[f"old grader, --jobs {jobs}"]
        print(f"new (bwrap) / old per notebook, --jobs {jobs}: {ratio:.2f} "
              f"({100 * (ratio - 1):+.0f}%)")
    print(f"speed-up of --jobs 2 over --jobs 1 (new, bwrap): "
          f"{best['new, bwrap, --jobs 1'] / best['new, bwrap, --jobs 2']:.2f}x")


if __name__ == "__main__":
    main()
