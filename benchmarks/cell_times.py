"""Benchmark: the cells of the solution notebooks that make a student wait, with their times.

    .venv/bin/python benchmarks/cell_times.py [LESSON ...] [--over SECONDS]

Executes each lesson's solution notebook once (as `rnn-course build` does, in a fresh kernel)
and prints every code cell that ran longer than --over seconds (default 5), with the first
line of its source: the cells that should show their progress (docs/authoring.md). Not a
test: the times depend on the machine; the figures go into issue notes.
"""

import argparse
from datetime import datetime
from pathlib import Path

from nbclient import NotebookClient

from rnn_course.authoring.build import lesson_paths, solution_notebook
from rnn_course.authoring.lesson import read_lesson

ROOT = Path(__file__).resolve().parents[1]


def cell_seconds(cell):
    """Seconds between the kernel starting a cell and its reply (nbclient's timing record)."""
    execution = cell.metadata["execution"]
    started, replied = (datetime.fromisoformat(execution[key].replace("Z", "+00:00"))
                        for key in ("iopub.execute_input", "shell.execute_reply"))
    return (replied - started).total_seconds()


def slow_cells(path, over):
    """(index, seconds, first source line) of every code cell of the lesson over ``over`` s."""
    notebook = solution_notebook(read_lesson(path))
    NotebookClient(notebook, timeout=600, record_timing=True,
                   resources={"metadata": {"path": str(ROOT / "solutions")}}).execute()
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and cell_seconds(cell) > over:
            first = next((line for line in cell.source.splitlines()
                          if line.strip() and not line.startswith("#")), "")
            found.append((index, cell_seconds(cell), first))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="lesson numbers, e.g. 07 08 (default: all)")
    parser.add_argument("--over", type=float, default=5.0)
    args = parser.parse_args()
    for path in lesson_paths(ROOT):
        if args.lessons and path.name[:2] not in args.lessons:
            continue
        cells = slow_cells(path, args.over)
        print(f"{path.stem}: {len(cells)} cells over {args.over:g} s")
        for index, seconds, first in cells:
            print(f"  cell {index:3d} {seconds:6.1f} s  {first[:70]}")


if __name__ == "__main__":
    main()
