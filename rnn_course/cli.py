"""The instructor's command line: `rnn-course build [--check]`, `rnn-course grade` and
`rnn-course nbgrader`."""

import argparse
import os
import re
import sys
import time
from pathlib import Path

from rnn_course.build import build_course
from rnn_course.grade import GradeError, Progress, grade
from rnn_course.grade_course import CourseError, load_course
from rnn_course.grade_sandbox import ENGINE_CHOICES, EngineError
from rnn_course.lesson import LessonError
from rnn_course.nbgrader_course import NbgraderCourseError, write_course

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)


def find_root(start=None):
    """The course checkout: the nearest folder above ``start`` holding solutions/ and rnn_utils/."""
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "solutions").is_dir() and (folder / "rnn_utils").is_dir():
            return folder
    raise FileNotFoundError(f"no course checkout (solutions/ and rnn_utils/) at or above {start}")


def memory_size(text):
    """Bytes from "2G", "512M", "1.5g", "2GB" (powers of 1024); "0" or "none": no limit."""
    if text.strip().lower() in ("0", "none", "unlimited"):
        return 0
    match = _SIZE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (examples: 2G, 512M, none)")
    power = " kmgt".index(match.group(2).lower() or " ")
    return int(float(match.group(1)) * 1024**power)


def positive(kind):
    def parse(text):
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive, got {text}")
        return value
    return parse


def _parser():
    parser = argparse.ArgumentParser(prog="rnn-course", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser(
        "build", help="rebuild notebooks/, solutions/*.ipynb and rnn_utils/reference.py")
    build.add_argument(
        "--check", action="store_true",
        help="write nothing; exit 1 if any generated file differs from a fresh build")
    build.add_argument("--root", help="course checkout (default: found from the current folder)")
    build.add_argument("lessons", nargs="*", help="lesson names to execute (default: all)")
    grade_parser = commands.add_parser(
        "grade", help="grade SUBMISSIONS/<student>/<lesson>.ipynb with nbval",
        description="Grade every student folder of SUBMISSIONS; write OUT/grades.csv, "
                    "OUT/summary.csv and OUT/feedback/<student>.md. See docs/grading.md.")
    grade_parser.add_argument("submissions", metavar="SUBMISSIONS",
                              help="folder with one folder per student")
    grade_parser.add_argument("--out", required=True, metavar="OUT",
                              help="folder for the results (created; earlier results replaced)")
    grade_parser.add_argument("--jobs", type=positive(int), default=os.cpu_count() or 1,
                              help="notebooks graded in parallel (default: all cores)")
    grade_parser.add_argument("--timeout", type=positive(float), default=60.0, metavar="SECONDS",
                              help="time limit per cell (default: 60)")
    grade_parser.add_argument("--notebook-timeout", type=float, default=600.0, metavar="SECONDS",
                              help="wall-clock budget of each notebook (default: 600; 0: none)")
    grade_parser.add_argument("--memory", type=memory_size, default="2G",
                              help="address-space limit per kernel (default: 2G; none: no limit)")
    grade_parser.add_argument("--sandbox", choices=ENGINE_CHOICES, default="auto",
                              help="where each kernel runs: auto (bubblewrap, which must work), "
                              "bwrap, or none (no sandbox: only for a class you trust)")
    grade_parser.add_argument("--course", help="course checkout (default: found from the "
                              "current folder)")
    grade_parser.add_argument("--lessons", nargs="+", metavar="LESSON",
                              help="grade only these lessons (names or numbers, e.g. 01 02)")
    grade_parser.add_argument("--gradebook", metavar="DB",
                              help="also write the verdicts into this nbgrader gradebook.db "
                              "(of a course made by `rnn-course nbgrader`; see docs/nbgrader.md)")
    _nbgrader_parser(commands)
    return parser


# ---- rnn-course nbgrader, and rnn-course grade --gradebook --------------------------------


def _gradebook_writer(args, root):
    """For --gradebook: the function writing the rows into it, checked before grading (the
    gradebook must hold every exercise graded); None without the option."""
    if not args.gradebook:
        return None
    try:
        from rnn_course import nbgrader_gradebook
    except ImportError as error:
        raise GradeError(f"--gradebook needs nbgrader: {error}") from None
    try:
        nbgrader_gradebook.check_gradebook(args.gradebook, load_course(root, args.lessons))
    except nbgrader_gradebook.GradebookError as error:
        raise GradeError(str(error)) from None
    return lambda rows: nbgrader_gradebook.write_gradebook(args.gradebook, rows)


def _nbgrader_parser(commands):
    nbgrader = commands.add_parser(
        "nbgrader", help="write an nbgrader course (source/<lesson>/, nbgrader_config.py)",
        description="Write COURSE_DIR/source/<lesson>/<lesson>.ipynb (from the solutions, "
                    "answers inside BEGIN/END SOLUTION), its figures, and COURSE_DIR/"
                    "nbgrader_config.py. See docs/nbgrader.md.")
    nbgrader.add_argument("course_dir", metavar="COURSE_DIR",
                          help="the nbgrader course folder (made if needed)")
    nbgrader.add_argument("--lessons", nargs="+", metavar="LESSON",
                          help="only these lessons (names or numbers, e.g. 01 02)")
    nbgrader.add_argument("--course-id", default="rnn-course",
                          help="nbgrader's CourseDirectory.course_id (default: rnn-course)")
    nbgrader.add_argument("--root", help="course checkout (default: found from the current "
                          "folder)")


def _nbgrader(args):
    root = Path(args.root) if args.root else find_root()
    written = write_course(args.course_dir, root, only=args.lessons, course_id=args.course_id,
                           log=lambda line: None)
    lessons = sorted({path.parent.name for path in written if path.suffix == ".ipynb"})
    print(f"rnn-course nbgrader: wrote {len(written)} files into {args.course_dir} "
          f"({', '.join(lessons)}); next: cd {args.course_dir} && nbgrader generate_assignment "
          f"{lessons[0]}", file=sys.stderr)
    return 0


# ---- entry point -------------------------------------------------------------------------


def main(argv=None):
    args = _parser().parse_args(argv)
    try:
        if args.command == "grade":
            return _grade(args)
        if args.command == "nbgrader":
            return _nbgrader(args)
        root = Path(args.root) if args.root else find_root()
        stale = build_course(root, check=args.check, only=args.lessons,
                             log=lambda line: print(line, file=sys.stderr))
    except (LessonError, FileNotFoundError, CourseError, GradeError, EngineError,
            NbgraderCourseError) as error:
        print(f"rnn-course: {error}", file=sys.stderr)
        return 2
    if args.check and stale:
        print("rnn-course: generated files are out of date; run `make notebooks`", file=sys.stderr)
        return 1
    return 0


def _grade(args):
    root = Path(args.course) if args.course else find_root()
    to_gradebook = _gradebook_writer(args, root)
    start, said = time.monotonic(), []

    def report(line):
        said.append(line)
        print(f"rnn-course grade: {line}", file=sys.stderr)

    rows = grade(args.submissions, args.out, root, workers=args.jobs, timeout=args.timeout,
                 memory=args.memory, lessons=args.lessons, progress=Progress(),
                 notebook_budget=args.notebook_timeout, sandbox=args.sandbox, report=report)
    if to_gradebook:
        to_gradebook(rows)
    students = len({row["student"] for row in rows})
    engine = said[0].split(" (")[0] if said else "sandbox: ?"
    print(f"rnn-course: graded {students} students in {time.monotonic() - start:.0f} s "
          f"({engine}); results in {Path(args.out) / 'grades.csv'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
