"""Benchmark: wall time to execute each solution notebook (kernel start included).

    .venv/bin/python benchmarks/notebook_times.py [--repeat N]

Prints one line per lesson with the median and the range over N runs. Not a test: the figures
go into issue notes and help keep every lesson within a sitting's patience (and CI's budget).
"""

import argparse
import statistics
import time
from pathlib import Path

from rnn_course.authoring.build import execute, lesson_paths, solution_notebook
from rnn_course.authoring.lesson import read_lesson

ROOT = Path(__file__).resolve().parents[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'lesson':28} {'median s':>9} {'min s':>7} {'max s':>7}")
    for path in lesson_paths(ROOT):
        lesson = read_lesson(path)
        seconds = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            execute(solution_notebook(lesson), ROOT / "solutions")
            seconds.append(time.perf_counter() - start)
        print(f"{lesson.name:28} {statistics.median(seconds):9.2f} {min(seconds):7.2f} "
              f"{max(seconds):7.2f}")


if __name__ == "__main__":
    main()
