"""Similar graded cells: which pairs of students handed in (nearly) the same code.

The engine is copydetect (PyPI), an implementation of the winnowing algorithm of MOSS (Schleimer,
Wilkerson and Aiken, 2003): each cell is tokenised with Pygments, names and strings are
replaced by placeholders (so renaming variables changes nothing), k-grams of the tokens are
hashed and winnowed into fingerprints, and two cells are compared by the share of their
fingerprints they have in common (so reordering lines or blocks changes little). Chosen over
a plain text diff (defeated by renaming) and an AST comparison (defeated by reordering, and no
maintained package): it is what course staff already trust, runs offline, and is small.
Nothing is uploaded anywhere.

The release's own cell (signature, docstring, scaffolding) is boilerplate: its fingerprints are
removed before comparing, so two untouched stubs, or two answers sharing only the scaffolding,
do not match. Short exercises are similar by nature: a flag is a reason to look, not a verdict.
"""

import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rnn_course.grading.batch import students
from rnn_course.grading.compose import match_cells, read_submission
from rnn_course.grading.course import Course

if TYPE_CHECKING:
    from copydetect import CodeFingerprint

NOISE = 25  # copydetect's noise threshold: k-grams of 25 characters of filtered code
GUARANTEE = 30  # any shared run of 30 characters is found (window = 30 - 25 + 1)
THRESHOLD = 0.6  # both cells share at least 60 % of their fingerprints
SIMILARITY_NOTE = ("Pairs of students whose graded cells share most of their code after "
                   "renaming and reordering (winnowed fingerprints, as MOSS computes them; the "
                   "release's own scaffolding left out). Short exercises (clip, sgd_update) are "
                   "similar by nature: a flag is a reason to look, not a finding.")
MAX_SOURCE = 20_000  # characters of a graded cell compared (an answer is a few hundred)


@dataclass(frozen=True)
class Pair:
    """Two students whose graded cells for ``function`` are alike."""

    function: str
    first: str
    second: str
    similarity: float  # the smaller of the two shares of shared fingerprints
    first_code: str
    second_code: str


def fingerprint(source: str, boilerplate: "list | None" = None) -> "CodeFingerprint":
    """copydetect's fingerprint of a Python cell, ``boilerplate`` hashes left out."""
    from copydetect import CodeFingerprint

    logging.disable(logging.WARNING)  # copydetect warns on the root logger; leave it as it was
    try:
        return CodeFingerprint("cell.py", NOISE, GUARANTEE - NOISE + 1, boilerplate or [],
                               fp=io.StringIO(source[:MAX_SOURCE]))
    finally:
        logging.disable(logging.NOTSET)


def graded_sources(submissions: Path, course: Course) -> dict[str, dict[str, str]]:
    """function -> {student: the source of their graded cell}, for every student folder and
    lesson of ``course``; a file that cannot be read or a cell left as released is skipped."""
    found = {}
    for student, folder in students(Path(submissions)):
        for lesson in course.lessons:
            try:
                cells = read_submission(folder / lesson.filename)
                graded, _, _ = match_cells(lesson, cells)
            except Exception:  # noqa: BLE001 -- an unreadable hand-in has nothing to compare
                continue
            released = {e.function: c.source for e in lesson.exercises
                        for c in lesson.release.cells if c.id == e.graded_id}
            for function, cell in graded.items():
                source = cell.get("source") or ""
                if source.strip() and source != released.get(function):
                    found.setdefault(function, {})[student] = source
    return found


def similar_pairs(sources: dict[str, dict[str, str]], releases: dict[str, str],
                  threshold: float = THRESHOLD) -> list[Pair]:
    """The pairs of students above ``threshold`` for each function, most similar first.
    ``releases``: function -> the release's cell (its fingerprints are boilerplate)."""
    from copydetect import compare_files

    pairs = []
    for function, by_student in sorted(sources.items()):
        boilerplate = list(fingerprint(releases.get(function, "")).hashes)
        prints = {student: fingerprint(source, boilerplate)
                  for student, source in sorted(by_student.items())}
        names = list(prints)
        for index, first in enumerate(names):
            for second in names[index + 1:]:
                if not prints[first].hashes or not prints[second].hashes:
                    continue
                _, (one, other), _ = compare_files(prints[first], prints[second])
                similarity = float(min(one, other))
                if similarity >= threshold:
                    pairs.append(Pair(function, first, second, similarity,
                                      by_student[first], by_student[second]))
    return sorted(pairs, key=lambda pair: (-pair.similarity, pair.function, pair.first))


def class_pairs(submissions: Path, course: Course, threshold: float = THRESHOLD) -> list[Pair]:
    """similar_pairs of the class in ``submissions`` (SUBMISSIONS/<student>/<lesson>.ipynb)."""
    releases = {e.function: c.source for lesson in course.lessons for e in lesson.exercises
                for c in lesson.release.cells if c.id == e.graded_id}
    return similar_pairs(graded_sources(submissions, course), releases, threshold)
