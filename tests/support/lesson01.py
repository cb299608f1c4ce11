"""Submissions of lesson 01 made from its release: the material of the grader's hostile tests."""

import hashlib
import json
from pathlib import Path

from support.course import MAKE

LESSON = "01_rnn_cell_forward"
FILE = f"{LESSON}.ipynb"
PASS_LINE = ("rnn_cell_forward: all checks passed (6 cases: shapes, values, cache layout, "
             "inputs unchanged).")
RELEASE = MAKE.release(LESSON)
ANSWER = MAKE.answer("rnn_cell_forward")
DOCSTRING_START = '    """One time step'


def in_function(code):
    """The correct answer with ``code`` run first thing inside the function."""
    assert DOCSTRING_START in ANSWER
    body = "".join(f"    {line}\n" for line in code.splitlines())
    return ANSWER.replace(DOCSTRING_START, body + DOCSTRING_START, 1)


def graded(source):
    """The release with ``source`` in the graded cell of rnn_cell_forward."""
    return MAKE.with_source(RELEASE, "rnn_cell_forward", source)


def added(notebook, after, source):
    """``notebook`` with a cell of the student's (``source``) after the cell ``after``."""
    return MAKE.with_added(notebook, after, source)


def tree_hash(folder):
    """A digest of every name and byte under ``folder`` (to prove it was not modified)."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def write_class(folder, students):
    """SUBMISSIONS at ``folder``: students maps an id to {file name: notebook or text}."""
    for student, files in students.items():
        (folder / student).mkdir(parents=True)
        for name, content in files.items():
            text = content if isinstance(content, str) else json.dumps(content, indent=1)
            (folder / student / name).write_text(text, encoding="utf-8")
