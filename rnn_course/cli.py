"""The instructor's command line: `rnn-course build [--check]`."""

import argparse
import sys
from pathlib import Path

from rnn_course.build import build_course
from rnn_course.lesson import LessonError


def find_root(start=None):
    """The course checkout: the nearest folder above ``start`` holding solutions/ and rnn_utils/."""
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / "solutions").is_dir() and (folder / "rnn_utils").is_dir():
            return folder
    raise FileNotFoundError(f"no course checkout (solutions/ and rnn_utils/) at or above {start}")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="rnn-course", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser(
        "build", help="rebuild notebooks/, solutions/*.ipynb and rnn_utils/reference.py")
    build.add_argument(
        "--check", action="store_true",
        help="write nothing; exit 1 if any generated file differs from a fresh build")
    build.add_argument("--root", help="course checkout (default: found from the current folder)")
    build.add_argument("lessons", nargs="*", help="lesson names to execute (default: all)")
    args = parser.parse_args(argv)
    try:
        root = Path(args.root) if args.root else find_root()
        stale = build_course(root, check=args.check, only=args.lessons,
                             log=lambda line: print(line, file=sys.stderr))
    except (LessonError, FileNotFoundError) as error:
        print(f"rnn-course: {error}", file=sys.stderr)
        return 2
    if args.check and stale:
        print("rnn-course: generated files are out of date; run `make notebooks`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
