"""Benchmark: where the time of grading one notebook goes, wall and CPU by phase.

    .venv/bin/python benchmarks/grade_profile.py [--lesson 01] [--sandbox bwrap] [--repeats 3]

Grades one student who hands in the solution of one lesson, in this process (as
`rnn-course grade --jobs 1` does), and times each phase:
- set-up: load the course, draw the fresh cases, write the kernels' course, probe the sandbox
  and start one test Python in it (once per grading run, whatever the class's size);
- compose: the notebook the grader runs, from the submission and the release;
- pytest start: from starting the batch's pytest process to its first report;
- kernel start: from the notebook's start to its kernel being ready (in its sandbox);
- cells: each cell the grader runs, split into the hand-ins of the checks and the others
  (the lesson's own cells: imports, demonstrations, experiments, plots);
- pytest end: from the notebook's last report to the end of the pytest process;
- judge and files: the verdicts, the feedback and grades.csv.
Wall seconds come from the reports of the grader's pytest plugin, timed as they arrive; CPU
seconds from getrusage: this process's own for its phases, and the pytest process's with its
kernel (children) for the run. Then the same kernel start alone, to split pytest from kernel:
a sandboxed Python importing what a kernel imports. Best of R repeats per phase.
Not a test: the figures go into issue notes.
"""

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def cpu(who=resource.RUSAGE_SELF):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


class Clock:
    """Wall and CPU seconds by phase, added up over one grading."""

    def __init__(self):
        self.wall, self.cpu = defaultdict(float), defaultdict(float)

    def timed(self, phase, function, who=resource.RUSAGE_SELF):
        def wrapper(*args, **kwargs):
            start, start_cpu = time.perf_counter(), cpu(who)
            try:
                return function(*args, **kwargs)
            finally:
                self.wall[phase] += time.perf_counter() - start
                self.cpu[phase] += cpu(who) - start_cpu
        return wrapper


def run_phases(clock, events, cells_of_checks, started, ended):
    """Split the run's wall time by the arrival times of the plugin's reports."""
    times = {}
    for event, arrival in events:
        if event["event"] == "start":
            times["start"] = arrival
        elif event["event"] == "kernel":  # reported after the first cell's set-up started it
            times["kernel"] = arrival
            times["cell"] = arrival
        elif event["event"] == "cell":
            times["cell"] = arrival
        elif event["event"] == "result" and "cell" in times:
            kind = "cells: check hand-ins" if event["cell"] in cells_of_checks else \
                "cells: the lesson's others"
            clock.wall[kind] += arrival - times.pop("cell")
        elif event["event"] == "done":
            times["done"] = arrival
    clock.wall["pytest start"] += times["start"] - started
    clock.wall["kernel start"] += times["kernel"] - times["start"]
    clock.wall["pytest end"] += ended - times["done"]


def grade_once(lesson, sandbox):
    """One grading of one student's solution of ``lesson``: a Clock."""
    from grade_times import make_students

    from rnn_course.grading import batch, judge, run
    from rnn_course.grading import course as course_module
    from rnn_course.grading.compose import GRADE_METADATA

    clock, events = Clock(), []
    parse = run.parse_event

    def parse_and_time(line):
        event = parse(line)
        if event is not None:
            events.append((event, time.perf_counter()))
        return event

    patches = {(run, "parse_event"): parse_and_time,
               (batch, "compose"): clock.timed("compose", batch.compose),
               (batch, "make_tasks"): clock.timed("set-up", batch.make_tasks),
               (batch, "kernel_course"): clock.timed("set-up", course_module.kernel_course),
               (batch, "check_kernels_can_start"): clock.timed(
                   "set-up", batch.check_kernels_can_start, resource.RUSAGE_CHILDREN),
               (judge, "judge_outputs"): clock.timed("judge and files", judge.judge_outputs),
               (batch, "write_outputs"): clock.timed("judge and files", batch.write_outputs)}
    saved = {key: getattr(*key) for key in patches}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        make_students(folder / "class", 1, [lesson])
        run_batch = run.run_batch

        def run_and_time(jobs, settings):
            cells_of_checks = {cell.get("id") for job in jobs for cell in job.notebook.cells
                               if GRADE_METADATA in cell.get("metadata", {})}
            start, start_cpu = time.perf_counter(), cpu(resource.RUSAGE_CHILDREN)
            result = run_batch(jobs, settings)
            ended = time.perf_counter()
            clock.cpu["pytest and kernel (children)"] += \
                cpu(resource.RUSAGE_CHILDREN) - start_cpu
            run_phases(clock, events, cells_of_checks, start, ended)
            return result

        patches[(run, "run_batch")] = run_and_time
        saved[(run, "run_batch")] = run_batch
        for (module, name), value in patches.items():
            setattr(module, name, value)
        try:
            start, start_cpu = time.perf_counter(), cpu()
            rows = batch.grade(folder / "class", folder / "out", ROOT, lessons=[lesson], jobs=1,
                               sandbox=sandbox)
            clock.wall["total"] = time.perf_counter() - start
            clock.cpu["grader process (all its phases)"] = cpu() - start_cpu
        finally:
            for (module, name), value in saved.items():
                setattr(module, name, value)
    if not all(row["status"] == "passed" for row in rows):
        raise SystemExit(f"the solution did not pass: {json.dumps(rows)[:2000]}")
    return clock


def kernel_imports_alone(sandbox):
    """Wall and CPU seconds of a sandboxed Python importing what a kernel imports at start."""
    import subprocess

    from rnn_course.grading.run import Settings, kernel_limits
    from rnn_course.grading.sandbox import kernel_command, probe

    engine = probe(sandbox)
    limits = kernel_limits(Settings(engine=engine))
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        Path(folder).chmod(0o755)
        for label, code in (("python alone", "pass"),
                            ("ipykernel", "import ipykernel.kernelapp"),
                            ("ipykernel + numpy + rnn_utils",
                             "import ipykernel.kernelapp, numpy, rnn_utils"),
                            ("... + matplotlib.pyplot",
                             "import ipykernel.kernelapp, numpy, rnn_utils, matplotlib.pyplot")):
            command = kernel_command(engine, limits, folder, ROOT, [sys.executable, "-c", code])
            start, start_cpu = time.perf_counter(), cpu(resource.RUSAGE_CHILDREN)
            subprocess.run(command, check=True, cwd=folder, env={"PYTHONPATH": str(ROOT)})
            figures[label] = (time.perf_counter() - start,
                              cpu(resource.RUSAGE_CHILDREN) - start_cpu)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="01")
    parser.add_argument("--sandbox", default="bwrap")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    clocks = [grade_once(args.lesson, args.sandbox) for _ in range(args.repeats)]
    print(f"lesson {args.lesson}, one notebook, sandbox {args.sandbox}, --jobs 1; best of "
          f"{args.repeats} per phase (seconds)")
    print(f"{'phase':34} {'wall':>6} {'cpu':>6}")
    phases = sorted({phase for clock in clocks for phase in (*clock.wall, *clock.cpu)},
                    key=lambda phase: (phase == "total", phase))
    for phase in phases:
        wall = min(clock.wall.get(phase, float("nan")) for clock in clocks)
        used = min(clock.cpu.get(phase, float("nan")) for clock in clocks)
        print(f"{phase:34} {wall:6.2f} {used:6.2f}")
    print("\nthe kernel's start alone, in its sandbox (best of 3):")
    alone = [kernel_imports_alone(args.sandbox) for _ in range(3)]
    for label in alone[0]:
        wall = min(figures[label][0] for figures in alone)
        used = min(figures[label][1] for figures in alone)
        print(f"{label:34} {wall:6.2f} {used:6.2f}")


if __name__ == "__main__":
    main()
