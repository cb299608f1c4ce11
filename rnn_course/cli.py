"""The instructor's command line: `rnn-course build [--check]`, `rnn-course grade` and
`rnn-course nbgrader`."""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

from rnn_course.authoring.build import build_course
from rnn_course.authoring.lesson import LessonError
from rnn_course.grading.batch import GradeError, Progress, grade
from rnn_course.grading.course import CourseError, load_course
from rnn_course.grading.report import number, write_outputs, write_text_atomic
from rnn_course.grading.sandbox import ENGINE_CHOICES, EngineError
from rnn_course.grading.single import as_json, grade_single
from rnn_course.platforms.nbgrader.course import NbgraderCourseError, write_course

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
        "grade", help="grade SUBMISSIONS/<student>/<lesson>.ipynb, or one student's notebooks",
        description="Grade every student folder of SUBMISSIONS; write OUT/grades.csv, "
                    "OUT/summary.csv and OUT/feedback/<student>.md. Or grade one student's "
                    "NOTEBOOK files and print (--json) the verdicts. See docs/grading.md.")
    grade_parser.add_argument("submissions", metavar="SUBMISSIONS | NOTEBOOK", nargs="+",
                              help="a folder with one folder per student, or one student's "
                              ".ipynb files")
    grade_parser.add_argument("--out", metavar="OUT", help="folder for grades.csv, summary.csv "
                              "and feedback/ (created; earlier results replaced); required "
                              "for a folder of students")
    grade_parser.add_argument("--json", metavar="FILE", help="one student's notebooks: write "
                              "the verdicts as JSON to FILE (- for standard output, the "
                              "default when --out is not given)")
    grade_parser.add_argument("--student", default="submission", help="one student's "
                              "notebooks: the id in the rows (default: submission)")
    _run_options(grade_parser)
    grade_parser.add_argument("--gradebook", metavar="DB",
                              help="also write the verdicts into this nbgrader gradebook.db "
                              "(of a course made by `rnn-course nbgrader`; see docs/nbgrader.md)")
    _nbgrader_parser(commands)
    _gradescope_parser(commands)
    _classroom_parsers(commands)
    link = commands.add_parser("hub-link", help="print the nbgitpuller link that opens the "
                               "course on a JupyterHub")
    link.add_argument("--hub", required=True, help="the hub's URL, e.g. https://hub.example.edu")
    link.add_argument("--repository", required=True,
                      help="the course's git URL, e.g. https://github.com/ORG/rnn-course")
    link.add_argument("--branch", default="main")
    link.add_argument("--lesson", default="01_rnn_cell_forward", help="the notebook it opens")
    link.add_argument("--classic", action="store_true", help="open the classic interface")
    return parser


def _run_options(parser, jobs=True):
    """The options of a grading run: rnn-course grade, classroom and gradescope."""
    if jobs:
        parser.add_argument("--jobs", type=positive(int), default=os.cpu_count() or 1,
                            help="notebooks graded in parallel (default: all cores)")
    parser.add_argument("--timeout", type=positive(float), default=60.0, metavar="SECONDS",
                        help="time limit per cell (default: 60)")
    parser.add_argument("--notebook-timeout", type=float, default=600.0, metavar="SECONDS",
                        help="wall-clock budget of each notebook (default: 600; 0: none)")
    parser.add_argument("--memory", type=memory_size, default="2G",
                        help="address-space limit per kernel (default: 2G; none: no limit)")
    parser.add_argument("--sandbox", choices=ENGINE_CHOICES, default="auto",
                        help="where each kernel runs: auto (bubblewrap, which must work), "
                        "bwrap, or none (no sandbox: only for a class you trust)")
    parser.add_argument("--course", help="course checkout (default: found from the current "
                        "folder)")
    parser.add_argument("--lessons", nargs="+", metavar="LESSON",
                        help="only these lessons (names or numbers, e.g. 01 02; default: all)")


def _classroom_parsers(commands):
    parser = commands.add_parser(
        "classroom", help="grade one student's notebooks for GitHub Classroom's reporter "
        "(the command the classroom workflow runs)")
    parser.add_argument("submissions", metavar="NOTEBOOK", nargs="*",
                        help="the student's .ipynb files")
    parser.add_argument("--student", default="submission", help="the id in the rows")
    _run_options(parser)
    parser.add_argument("--github-output", metavar="FILE", required=True,
                        help="the step's output file ($GITHUB_OUTPUT): result=<base64 JSON>")
    parser.add_argument("--summary", metavar="FILE",
                        help="append the feedback to this file ($GITHUB_STEP_SUMMARY)")
    workflow = commands.add_parser(
        "classroom-workflow", help="write the GitHub Classroom workflow for the template "
        "repository (.github/workflows/classroom.yml)")
    workflow.add_argument("--repository", required=True, metavar="OWNER/NAME",
                          help="the course's repository on GitHub, whose checkout grades")
    workflow.add_argument("--ref", required=True, help="its commit or tag (fixed: the "
                          "grading does not change under the students)")
    workflow.add_argument("--lessons", nargs="+", metavar="LESSON",
                          help="the lessons of this assignment (default: all)")
    workflow.add_argument("--out", default=".github/workflows/classroom.yml",
                          help="where to write it (default: .github/workflows/classroom.yml)")


def _gradescope_parser(commands):
    parser = commands.add_parser(
        "gradescope", help="build a Gradescope autograder zip (see docs/platforms.md)",
        description="Write a Gradescope autograder zip: setup.sh installs the course, "
                    "run_autograder grades each submission with rnn-course's engine and writes "
                    "results.json, one test per graded function.")
    parser.add_argument("--out", required=True, help="the zip to write, e.g. autograder.zip")
    _run_options(parser, jobs=False)
    parser.add_argument("--require-sandbox", action="store_true",
                        help="give no points (and say why) when bubblewrap does not work in "
                        "Gradescope's container (else: graded there, kernels as uid 65533)")
    parser.add_argument("--hidden", action="store_true",
                        help="tests visible to students only after the grades are published")


def _gradescope(args):
    from rnn_course.platforms.gradescope import build_zip

    root = Path(args.course) if args.course else find_root()
    settings = {"sandbox": args.sandbox, "require_sandbox": args.require_sandbox,
                "timeout": args.timeout, "notebook_timeout": args.notebook_timeout,
                "memory": args.memory, "visibility": "after_published" if args.hidden
                else "visible"}
    out = build_zip(root, args.out, args.lessons, settings)
    print(f"rnn-course: wrote {out}: upload it as the assignment's autograder on Gradescope "
          "(Configure Autograder, Zip file upload)", file=sys.stderr)
    return 0


def _classroom(args):
    from rnn_course.platforms import classroom

    if args.command == "classroom-workflow":
        try:
            text = classroom.workflow(args.repository, args.ref, args.lessons)
        except ValueError as error:
            raise GradeError(str(error)) from None
        out = classroom.save_workflow(text, args.out)
        print(f"rnn-course: wrote {out}: commit it to the assignment's template repository",
              file=sys.stderr)
        return 0
    root = Path(args.course) if args.course else find_root()
    missing = [path for path in args.submissions if not os.path.lexists(path)]
    graded, student = grade_single([p for p in args.submissions if p not in missing], root,
                                   student=args.student, lessons=args.lessons,
                                   workers=args.jobs, timeout=args.timeout, memory=args.memory,
                                   notebook_budget=args.notebook_timeout, sandbox=args.sandbox,
                                   report=lambda line: print(f"rnn-course: {line}",
                                                             file=sys.stderr))
    results = classroom.reporter_results(graded)
    classroom.write_github_output(args.github_output, results)
    if args.summary:
        classroom.write_summary(args.summary, graded, student)
    print(graded.feedback[student.name])
    return 0


def _hub_link(args):
    from rnn_course.platforms.hub import hub_link

    try:
        print(hub_link(args.hub, args.repository, args.branch, args.lesson, args.classic))
    except ValueError as error:
        raise GradeError(str(error)) from None
    return 0




# ---- rnn-course nbgrader, and rnn-course grade --gradebook --------------------------------


def _gradebook_writer(args, root):
    """For --gradebook: the function writing the rows into it, checked before grading (the
    gradebook must hold every exercise graded); None without the option."""
    if not args.gradebook:
        return None
    try:
        from rnn_course.platforms.nbgrader import gradebook as nbgrader_gradebook
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
        if args.command == "gradescope":
            return _gradescope(args)
        if args.command in ("classroom", "classroom-workflow"):
            return _classroom(args)
        if args.command == "hub-link":
            return _hub_link(args)
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

    options = dict(workers=args.jobs, timeout=args.timeout, memory=args.memory,
                   progress=Progress(), notebook_budget=args.notebook_timeout,
                   sandbox=args.sandbox, report=report)
    first = args.submissions[0]
    single = len(args.submissions) > 1 or first.endswith(".ipynb") or (
        os.path.lexists(first) and not os.path.isdir(first))
    if single:
        where = _grade_single(args, root, options, to_gradebook)
    else:
        if not args.out:
            raise GradeError("give --out OUT, the folder for the results of a class")
        rows = grade(args.submissions[0], args.out, root, lessons=args.lessons, **options)
        if to_gradebook:
            to_gradebook(rows)
        where = f"{len({row['student'] for row in rows})} students"
        where += f"; results in {Path(args.out) / 'grades.csv'}"
    engine = said[0].split(" (")[0] if said else "sandbox: ?"
    print(f"rnn-course: graded {where} in {time.monotonic() - start:.0f} s ({engine})",
          file=sys.stderr)
    return 0


def _grade_single(args, root, options, to_gradebook=None):
    """One student's notebooks: JSON on stdout or in --json FILE, grade files in --out."""
    missing = [path for path in args.submissions if not os.path.lexists(path)]
    if missing:
        raise GradeError(f"no such file: {missing[0]}")
    graded, student = grade_single(args.submissions, root, student=args.student,
                                   lessons=args.lessons, **options)
    if args.out:
        write_outputs(Path(args.out), graded.rows, graded.feedback)
    if to_gradebook:
        to_gradebook(graded.rows)
    text = json.dumps(as_json(graded, student), indent=2, ensure_ascii=False) + "\n"
    if args.json and args.json != "-":
        write_text_atomic(Path(args.json), text)
    elif args.json == "-" or not args.out:
        sys.stdout.write(text)
    return f"{student.name}: {number(graded.points)} of {number(graded.max_points)} points"


if __name__ == "__main__":
    sys.exit(main())
