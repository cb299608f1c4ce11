"""Benchmark: `rnn-course grade` against `nbgrader autograde`, side by side on one class.

    .venv/bin/python benchmarks/versus_nbgrader.py [--class examples/class] [--lessons 01 02]
                                                   [--repeats 3] [--sandbox bwrap]

The same submissions (one folder per student) graded by both, in interleaved rounds so that a
busy machine slows both alike; the best of R rounds counts:
- nbgrader: the course made as docs/nbgrader.md tells an instructor (`rnn-course nbgrader`,
  `nbgrader generate_assignment`), the class copied into submitted/, then `nbgrader autograde
  LESSON --force` for each lesson (nbgrader grades one notebook at a time, unsandboxed);
- rnn-course: `rnn-course grade CLASS --lessons ... --jobs 1`, and with the default jobs (every
  core), in the sandbox asked for.
Each is a separate process, timed whole (start-up, every notebook, every file written).
Prints seconds per notebook and how many times faster rnn-course is per core (--jobs 1) and
at its default. Not a test: the figures go into issue notes.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(command, cwd):
    """Seconds ``command`` took; stops the benchmark when it fails."""
    start = time.perf_counter()
    path = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"  # nbgrader runs alembic from there
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PATH": path})
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, command))} failed:\n{done.stderr[-3000:]}")
    return seconds


def nbgrader_course(folder, submissions, lessons):
    """The nbgrader course of ``lessons`` with the class in submitted/; the lesson names."""
    from rnn_course.grading.course import load_course

    names = [lesson.name for lesson in load_course(ROOT, lessons).lessons]
    run([BIN / "rnn-course", "nbgrader", str(folder), "--lessons", *lessons,
         "--course", str(ROOT)], ROOT)
    for name in names:
        run([BIN / "nbgrader", "generate_assignment", name, "--force"], folder)
    count = 0
    for student in sorted(p for p in Path(submissions).iterdir() if p.is_dir()):
        for name in names:
            handed_in = student / f"{name}.ipynb"
            if handed_in.is_file():
                target = folder / "submitted" / student.name / name
                target.mkdir(parents=True)
                shutil.copy(handed_in, target / handed_in.name)
                count += 1
    return names, count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--class", dest="submissions", default=str(ROOT / "examples" / "class"))
    parser.add_argument("--lessons", nargs="+", default=["01", "02"])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sandbox", default="bwrap")
    args = parser.parse_args()
    grade = [BIN / "rnn-course", "grade", args.submissions, "--lessons", *args.lessons,
             "--course", str(ROOT), "--sandbox", args.sandbox]
    with tempfile.TemporaryDirectory() as temporary:
        temporary = Path(temporary)
        names, count = nbgrader_course(temporary / "course", args.submissions, args.lessons)
        variants = {
            "nbgrader autograde": lambda: sum(
                run([BIN / "nbgrader", "autograde", name, "--force"], temporary / "course")
                for name in names),
            "rnn-course grade --jobs 1": lambda: run(
                grade + ["--jobs", "1", "--out", str(temporary / "out1")], ROOT),
            "rnn-course grade (default jobs)": lambda: run(
                grade + ["--out", str(temporary / "out")], ROOT),
        }
        best = {label: float("inf") for label in variants}
        for _ in range(args.repeats):
            for label, timed in variants.items():
                best[label] = min(best[label], timed())
    print(f"{count} notebooks (lessons {' '.join(args.lessons)} of {args.submissions}), best of "
          f"{args.repeats} interleaved rounds, sandbox {args.sandbox}")
    print(f"{'run':34} {'total s':>8} {'s/notebook':>11}")
    for label, seconds in best.items():
        print(f"{label:34} {seconds:8.1f} {seconds / count:11.2f}")
    peer = best["nbgrader autograde"]
    print(f"rnn-course per core (--jobs 1): {peer / best['rnn-course grade --jobs 1']:.2f}x as "
          f"fast as nbgrader; at its default jobs: "
          f"{peer / best['rnn-course grade (default jobs)']:.2f}x")


if __name__ == "__main__":
    main()
