"""The instructor's command line, ``rnn-course COMMAND``: a table of commands (COMMANDS), each
with its arguments and its handler. Every error of the tooling is an RnnCourseError: main
prints its message and exits with 2. See docs/architecture.md for where each command's work is
done, and docs/grading.md, docs/platforms.md for what they do."""

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from rnn_course.errors import RnnCourseError
from rnn_course.options import (
    GradingOptions,
    add_course_option,
    add_grading_options,
    add_lessons_option,
    memory_size,  # noqa: F401 -- where instructors' scripts and older tests found it
)


def find_root(start: "Path | str | None" = None) -> Path:
    """The course checkout: the nearest folder above ``start`` holding solutions/ and rnn_utils/."""
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "solutions").is_dir() and (folder / "rnn_utils").is_dir():
            return folder
    raise RnnCourseError(f"no course checkout (solutions/ and rnn_utils/) at or above {start}")


def course_root(args: argparse.Namespace) -> Path:
    """The course of this command: --course (or --root), else found from the current folder."""
    return Path(args.course) if args.course else find_root()


def say(line: str) -> None:
    print(f"rnn-course: {line}", file=sys.stderr)


@dataclass(frozen=True)
class Command:
    """One ``rnn-course`` command: its name, one line of help, a function that declares its
    arguments on a parser, and the handler that runs it (returns the exit status)."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    handler: Callable[[argparse.Namespace], int]
    description: "str | None" = None


# ---- rnn-course build ---------------------------------------------------------------------


def _build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if any generated file differs from a fresh "
                        "build")
    add_course_option(parser)
    parser.add_argument("lessons", nargs="*", help="lesson names to execute (default: all)")


def _build(args: argparse.Namespace) -> int:
    from rnn_course.authoring.build import build_course

    stale = build_course(course_root(args), check=args.check, only=args.lessons,
                         log=lambda line: print(line, file=sys.stderr))
    if args.check and stale:
        say("generated files are out of date; run `make notebooks`")
        return 1
    return 0


# ---- rnn-course grade -----------------------------------------------------------------------


def _grade_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("submissions", metavar="SUBMISSIONS | NOTEBOOK", nargs="+",
                        help="a folder with one folder per student, or one student's .ipynb "
                        "files")
    parser.add_argument("--out", metavar="OUT", help="folder for grades.csv, summary.csv and "
                        "feedback/ (created; earlier results replaced); required for a folder "
                        "of students")
    parser.add_argument("--json", metavar="FILE", help="one student's notebooks: write the "
                        "verdicts as JSON to FILE (- for standard output, the default when "
                        "--out is not given)")
    parser.add_argument("--student", default="submission", help="one student's notebooks: the "
                        "id in the rows (default: submission)")
    _grading_run_arguments(parser)
    parser.add_argument("--gradebook", metavar="DB",
                        help="also write the verdicts into this nbgrader gradebook.db (of a "
                        "course made by `rnn-course nbgrader`; see docs/nbgrader.md)")


def _grading_run_arguments(parser: argparse.ArgumentParser, leave_out: tuple = ()) -> None:
    """The options of every command that grades: rnn-course grade, classroom, gradescope."""
    add_grading_options(parser, leave_out)
    add_course_option(parser)
    add_lessons_option(parser)


def _grade(args: argparse.Namespace) -> int:
    from rnn_course.grading.batch import GradeError, Progress, grade

    root = course_root(args)
    to_gradebook = _gradebook_writer(args, root)
    start, said = time.monotonic(), []

    def report(line: str) -> None:
        said.append(line)
        print(f"rnn-course grade: {line}", file=sys.stderr)

    options = GradingOptions.from_args(args)
    first = args.submissions[0]
    single = len(args.submissions) > 1 or first.endswith(".ipynb") or (
        os.path.lexists(first) and not os.path.isdir(first))
    if single:
        where = _grade_single(args, root, options, report, to_gradebook)
    else:
        if not args.out:
            raise GradeError("give --out OUT, the folder for the results of a class")
        rows = grade(first, args.out, root, lessons=args.lessons, options=options,
                     progress=Progress(), report=report)
        if to_gradebook:
            to_gradebook(rows)
        where = f"{len({row['student'] for row in rows})} students"
        where += f"; results in {Path(args.out) / 'grades.csv'}"
    engine = said[0].split(" (")[0] if said else "sandbox: ?"
    say(f"graded {where} in {time.monotonic() - start:.0f} s ({engine})")
    return 0


def _grade_single(args, root, options, report, to_gradebook=None) -> str:
    """One student's notebooks: JSON on stdout or in --json FILE, grade files in --out."""
    from rnn_course.grading.batch import GradeError, Progress
    from rnn_course.grading.report import number, write_outputs, write_text_atomic
    from rnn_course.grading.single import as_json, grade_single

    missing = [path for path in args.submissions if not os.path.lexists(path)]
    if missing:
        raise GradeError(f"no such file: {missing[0]}")
    graded, student = grade_single(args.submissions, root, student=args.student,
                                   lessons=args.lessons, options=options, progress=Progress(),
                                   report=report)
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


def _gradebook_writer(args, root):
    """For --gradebook: the function writing the rows into it, checked before grading (the
    gradebook must hold every exercise graded); None without the option."""
    if not args.gradebook:
        return None
    from rnn_course.grading.batch import GradeError
    from rnn_course.grading.course import load_course

    try:
        from rnn_course.platforms.nbgrader import gradebook
    except ImportError as error:
        raise GradeError(f"--gradebook needs nbgrader: {error}") from None
    gradebook.check_gradebook(args.gradebook, load_course(root, args.lessons))
    return lambda rows: gradebook.write_gradebook(args.gradebook, rows)


# ---- rnn-course nbgrader ----------------------------------------------------------------------


def _nbgrader_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("course_dir", metavar="COURSE_DIR",
                        help="the nbgrader course folder (made if needed)")
    add_lessons_option(parser)
    parser.add_argument("--course-id", default="rnn-course",
                        help="nbgrader's CourseDirectory.course_id (default: rnn-course)")
    add_course_option(parser)


def _nbgrader(args: argparse.Namespace) -> int:
    from rnn_course.platforms.nbgrader.course import write_course

    written = write_course(args.course_dir, course_root(args), only=args.lessons,
                           course_id=args.course_id, log=lambda line: None)
    lessons = sorted({path.parent.name for path in written if path.suffix == ".ipynb"})
    print(f"rnn-course nbgrader: wrote {len(written)} files into {args.course_dir} "
          f"({', '.join(lessons)}); next: cd {args.course_dir} && nbgrader generate_assignment "
          f"{lessons[0]}", file=sys.stderr)
    return 0


# ---- rnn-course gradescope ------------------------------------------------------------------


def _gradescope_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="the zip to write, e.g. autograder.zip")
    _grading_run_arguments(parser, leave_out=("jobs",))  # Gradescope: one submission, all cores
    parser.add_argument("--require-sandbox", action="store_true",
                        help="give no points (and say why) when bubblewrap does not work in "
                        "Gradescope's container (else: graded there, each kernel as a user "
                        "of its own)")
    parser.add_argument("--hidden", action="store_true",
                        help="tests visible to students only after the grades are published")


def _gradescope(args: argparse.Namespace) -> int:
    from rnn_course.platforms.gradescope import build_zip

    settings = {**_zip_options(args), "require_sandbox": args.require_sandbox,
                "visibility": "after_published" if args.hidden else "visible"}
    out = build_zip(course_root(args), args.out, args.lessons, settings)
    say(f"wrote {out}: upload it as the assignment's autograder on Gradescope (Configure "
        "Autograder, Zip file upload)")
    return 0


def _zip_options(args: argparse.Namespace) -> dict:
    """The grading options a zip carries (all but jobs: the container's cores decide)."""
    options = GradingOptions.from_args(argparse.Namespace(**vars(args), jobs=1))
    return {name: value for name, value in vars(options).items() if name != "jobs"}


# ---- rnn-course classroom, classroom-workflow ---------------------------------------------------


def _classroom_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("submissions", metavar="NOTEBOOK", nargs="*",
                        help="the student's .ipynb files")
    parser.add_argument("--student", default="submission", help="the id in the rows")
    _grading_run_arguments(parser)
    parser.add_argument("--github-output", metavar="FILE", required=True,
                        help="the step's output file ($GITHUB_OUTPUT): result=<base64 JSON>")
    parser.add_argument("--summary", metavar="FILE",
                        help="append the feedback to this file ($GITHUB_STEP_SUMMARY)")


def _classroom(args: argparse.Namespace) -> int:
    from rnn_course.grading.single import grade_single
    from rnn_course.platforms import classroom

    missing = [path for path in args.submissions if not os.path.lexists(path)]
    graded, student = grade_single([p for p in args.submissions if p not in missing],
                                   course_root(args), student=args.student,
                                   lessons=args.lessons, options=GradingOptions.from_args(args),
                                   report=lambda line: say(line))
    classroom.write_github_output(args.github_output, classroom.reporter_results(graded))
    if args.summary:
        classroom.write_summary(args.summary, graded, student)
    print(graded.feedback[student.name])
    return 0


def _workflow_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repository", required=True, metavar="OWNER/NAME",
                        help="the course's repository on GitHub, whose checkout grades")
    parser.add_argument("--ref", required=True, help="its commit or tag (fixed: the grading "
                        "does not change under the students)")
    add_lessons_option(parser, "the lessons of this assignment")
    parser.add_argument("--out", default=".github/workflows/classroom.yml",
                        help="where to write it (default: .github/workflows/classroom.yml)")


def _workflow(args: argparse.Namespace) -> int:
    from rnn_course.platforms import classroom

    text = classroom.workflow(args.repository, args.ref, args.lessons)
    out = classroom.save_workflow(text, args.out)
    say(f"wrote {out}: commit it to the assignment's template repository")
    return 0


# ---- rnn-course hub-link ----------------------------------------------------------------------


def _hub_link_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hub", required=True,
                        help="the hub's URL, e.g. https://hub.example.edu")
    parser.add_argument("--repository", required=True,
                        help="the course's git URL, e.g. https://github.com/ORG/rnn-course")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--lesson", default="01_rnn_cell_forward", help="the notebook it opens")
    parser.add_argument("--classic", action="store_true", help="open the classic interface")


def _hub_link(args: argparse.Namespace) -> int:
    from rnn_course.platforms.hub import hub_link

    print(hub_link(args.hub, args.repository, args.branch, args.lesson, args.classic))
    return 0


# ---- rnn-course report, similarity, export ------------------------------------------------------


def _report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", metavar="OUT", help="the folder rnn-course grade --out wrote")
    parser.add_argument("--names", action="store_true", help="show the students' ids (default: "
                        "anonymous, so that the report can be shown to the class)")
    parser.add_argument("--submissions", metavar="SUBMISSIONS", help="also compare the graded "
                        "cells of every pair of students (the similarity section)")
    parser.add_argument("--threshold", type=_share, default=None,
                        help="similarity above which a pair is listed (default: 0.6)")
    add_course_option(parser)


def _share(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be in (0, 1], got {text}")
    return value


def _report(args: argparse.Namespace) -> int:
    from rnn_course.grading.class_report import write_report

    similar = _pairs(args.submissions, course_root(args), args.threshold) \
        if args.submissions else None
    written = write_report(args.out, course_root(args), names=args.names, similar=similar)
    say(f"wrote {written[0]} and {written[1]}")
    return 0


def _pairs(submissions: str, root: Path, threshold: "float | None") -> list:
    from rnn_course.grading.batch import GradeError
    from rnn_course.grading.course import load_course
    from rnn_course.grading.similarity import THRESHOLD, class_pairs

    if not Path(submissions).is_dir():
        raise GradeError(f"{submissions} is not a folder of submissions")
    return class_pairs(Path(submissions), load_course(root), threshold or THRESHOLD)


def _similarity_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("submissions", metavar="SUBMISSIONS",
                        help="a folder with one folder per student")
    parser.add_argument("--threshold", type=_share, default=None,
                        help="similarity above which a pair is listed (default: 0.6)")
    add_course_option(parser)


def _similarity(args: argparse.Namespace) -> int:
    from rnn_course.grading.similarity import SIMILARITY_NOTE

    pairs = _pairs(args.submissions, course_root(args), args.threshold)
    print(SIMILARITY_NOTE)
    for pair in pairs:
        print(f"{pair.function}: {pair.first!r} and {pair.second!r}, "
              f"{pair.similarity:.0%} similar")
    say(f"{len(pairs)} similar pairs")
    return 0


def _export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=("canvas", "generic"),
                        help="canvas: Canvas's gradebook import; generic: student, lessons, total")
    parser.add_argument("out", metavar="OUT", help="the folder rnn-course grade --out wrote")
    parser.add_argument("--to", required=True, metavar="FILE", help="the CSV to write")
    parser.add_argument("--roster", metavar="ROSTER.csv", help="canvas: Canvas's gradebook "
                        "export (Grades > Export), holding every student's Canvas columns")
    parser.add_argument("--match", default="SIS Login ID", metavar="COLUMN", help="canvas: the "
                        "roster column equal to the student's folder name (default: SIS Login "
                        "ID)")
    parser.add_argument("--assignment", action="append", default=[], metavar="LESSON=NAME",
                        help="canvas: the column of a lesson, e.g. 01='Lesson 1 (1234)' (the "
                        "Canvas id updates that assignment); default: the lesson's name")


def _export(args: argparse.Namespace) -> int:
    from rnn_course.platforms.lms import ExportError, export

    assignments = {}
    for item in args.assignment:
        lesson, equals, name = item.partition("=")
        if not equals or not lesson or not name:
            raise ExportError(f"--assignment wants LESSON=NAME, got {item!r}")
        assignments[lesson] = name
    unmatched = export(args.kind, Path(args.out), Path(args.to),
                       Path(args.roster) if args.roster else None, args.match, assignments)
    if unmatched:
        say(f"not in the roster (no row written): {', '.join(map(repr, unmatched))}")
    say(f"wrote {args.to}")
    return 0


# ---- the table, and the entry point ---------------------------------------------------------

COMMANDS = (
    Command("build", "rebuild notebooks/, solutions/*.ipynb and rnn_utils/reference.py",
            _build_arguments, _build),
    Command("grade", "grade SUBMISSIONS/<student>/<lesson>.ipynb, or one student's notebooks",
            _grade_arguments, _grade,
            "Grade every student folder of SUBMISSIONS; write OUT/grades.csv, OUT/summary.csv "
            "and OUT/feedback/<student>.md. Or grade one student's NOTEBOOK files and print "
            "(--json) the verdicts. See docs/grading.md."),
    Command("nbgrader", "write an nbgrader course (source/<lesson>/, nbgrader_config.py)",
            _nbgrader_arguments, _nbgrader,
            "Write COURSE_DIR/source/<lesson>/<lesson>.ipynb (from the solutions, answers "
            "inside BEGIN/END SOLUTION), its figures, and COURSE_DIR/nbgrader_config.py. See "
            "docs/nbgrader.md."),
    Command("gradescope", "build a Gradescope autograder zip (see docs/platforms.md)",
            _gradescope_arguments, _gradescope,
            "Write a Gradescope autograder zip: setup.sh installs the course, run_autograder "
            "grades each submission with rnn-course's engine and writes results.json, one test "
            "per graded function."),
    Command("classroom", "grade one student's notebooks for GitHub Classroom's reporter (the "
            "command the classroom workflow runs)", _classroom_arguments, _classroom),
    Command("classroom-workflow", "write the GitHub Classroom workflow for the template "
            "repository (.github/workflows/classroom.yml)", _workflow_arguments, _workflow),
    Command("hub-link", "print the nbgitpuller link that opens the course on a JupyterHub",
            _hub_link_arguments, _hub_link),
    Command("report", "write OUT/report.html and OUT/report.md: what the graded class got "
            "wrong", _report_arguments, _report),
    Command("similarity", "list the pairs of students whose graded cells are alike",
            _similarity_arguments, _similarity),
    Command("export", "write the points of a graded class as an LMS gradebook CSV (Canvas, "
            "or generic)", _export_arguments, _export),
)


def parser() -> argparse.ArgumentParser:
    """The command line of every command in COMMANDS."""
    top = argparse.ArgumentParser(prog="rnn-course", description=__doc__.split("\n\n")[0])
    commands = top.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        sub = commands.add_parser(command.name, help=command.help,
                                  description=command.description or command.help)
        command.arguments(sub)
        sub.set_defaults(handler=command.handler)
    return top


# The modules of the `grade` extra (and what they bring) that the commands import. A student's
# install (`pip install rnn-course`, Colab's set-up cell) leaves them out on purpose.
GRADE_EXTRA_MODULES = frozenset({"nbformat", "nbclient", "jupyter_client", "jupytext", "nbval",
                                 "pytest", "copydetect", "ipykernel"})


def missing_extra(error: ModuleNotFoundError) -> "str | None":
    """The one-line message for a command that needs the `grade` extra where it is not
    installed; None when the missing module is not one of the extra's."""
    module = (error.name or "").split(".")[0]
    if module not in GRADE_EXTRA_MODULES:
        return None
    return (f"this command needs {module}, which a student's install of the course leaves out; "
            "install the instructor's tools with: pip install 'rnn-course[grade]'")


def main(argv: "list[str] | None" = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except RnnCourseError as error:
        say(str(error))
        return 2
    except ModuleNotFoundError as error:
        message = missing_extra(error)
        if message is None:
            raise
        say(message)
        return 2


if __name__ == "__main__":
    sys.exit(main())
