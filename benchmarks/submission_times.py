"""Benchmark: the wall time of grading one submission, as the platforms grade it, old and new.

    .venv/bin/python benchmarks/submission_times.py [--old COMMIT] [--lessons 01 02 08]
                                                    [--repeats 3]

The single-submission form, `rnn-course grade NOTEBOOK... --json FILE`, is what Gradescope's
run_autograder and the GitHub Classroom workflow run for each student (after their set-up,
which installs the course once): its wall time is the time a student waits. For each lesson,
the lesson's solution is graded as one submission by the grader of commit COMMIT (exported
with `git archive`, run with this environment) and by this checkout's, in interleaved rounds;
the best of R counts. Not a test: the figures go into issue notes.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from grade_times import export  # noqa: E402  (the same export as the batch benchmark)

RUN = "import sys; from rnn_course.cli import main; sys.exit(main(sys.argv[1:]))"


def graded_once(tree, notebook, result):
    """Seconds of one single-submission grading of ``notebook`` by the grader in ``tree``."""
    command = [sys.executable, "-c", RUN, "grade", str(notebook), "--json", str(result),
               "--course", str(tree)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)},
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"grading failed in {tree}:\n{done.stderr[-2000:]}")
    if "passed" not in json.dumps(json.loads(result.read_text(encoding="utf-8"))):
        raise SystemExit(f"the solution did not pass in {tree}: {result.read_text()[:2000]}")
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default="55ddd52", help="commit of the grader to compare with")
    parser.add_argument("--lessons", nargs="+", default=["01", "02", "08"])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        temporary = Path(temporary)
        trees = {"old": export(args.old, temporary / "old"), "new": ROOT}
        notebooks = {lesson: next((ROOT / "solutions").glob(f"{lesson}_*.ipynb"))
                     for lesson in args.lessons}
        best = {(lesson, label): float("inf") for lesson in notebooks for label in trees}
        for _ in range(args.repeats):
            for lesson, notebook in notebooks.items():
                for label, tree in trees.items():
                    seconds = graded_once(tree, notebook, temporary / "result.json")
                    best[lesson, label] = min(best[lesson, label], seconds)
    print(f"one submission (the lesson's solution), `rnn-course grade NOTEBOOK --json`, best of "
          f"{args.repeats}; old = {args.old}")
    print(f"{'lesson':10} {'old s':>7} {'new s':>7} {'new / old':>10}")
    for lesson in notebooks:
        old, new = best[lesson, "old"], best[lesson, "new"]
        print(f"{lesson:10} {old:7.2f} {new:7.2f} {new / old:10.2f}")


if __name__ == "__main__":
    main()
