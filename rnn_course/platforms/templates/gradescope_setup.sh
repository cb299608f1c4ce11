#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (made by
# `rnn-course gradescope`). It installs Python, bubblewrap (the grader's sandbox) and the
# course's wheel into its own virtual environment; the tests run it with RNN_COURSE_PYTHON set
# (an environment that exists already) and without apt-get.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -z "${RNN_COURSE_PYTHON:-}" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq python3 python3-venv python3-pip bubblewrap
    python3 -m venv /autograder/rnn-course-venv
    RNN_COURSE_PYTHON=/autograder/rnn-course-venv/bin/python
fi
# constraints.txt pins what the course's CI tests (made on Python 3.11; on 3.10 pip resolves
# within the wheel's ranges, as `make install` does).
constraints=()
if "$RNN_COURSE_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    constraints=(-c "$here/constraints.txt")
fi
# [grade]: the grader's packages (nbval, nbclient, ...), which a student's install leaves out
wheel=("$here"/rnn_course-*.whl)
"$RNN_COURSE_PYTHON" -m pip install --quiet "${constraints[@]}" "${wheel[0]}[grade]"
"$RNN_COURSE_PYTHON" -c 'import rnn_utils, rnn_course.platforms.gradescope; print("rnn-course installed")'
