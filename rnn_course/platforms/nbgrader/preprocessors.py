"""The preprocessors the course's nbgrader_config.py adds to nbgrader (see course.py beside it).

- RefuseReleasedSolutions (generate_assignment): stops on a solution cell without a
  ``BEGIN SOLUTION`` region, which nbgrader would replace whole (signature and docstring
  included) by a stub: the source is then a student release, such as notebooks/.
- RemoveAnswerCells (generate_assignment): removes every cell tagged ``answer``.
- RepairSubmission (autograde, sanitizing): the submission as `rnn-course grade` composes it.
This module imports nbgrader; the rest of rnn_course does not need it.
"""

from pathlib import Path
from typing import Any

from nbformat import NotebookNode, read
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_solution

from rnn_course.authoring.lesson import BEGIN
from rnn_course.platforms.nbgrader.course import ANSWER_TAG, is_lesson, repair


class RefuseReleasedSolutions(NbGraderPreprocessor):
    """Refuse a source notebook whose solution cells hold no answer region."""

    def preprocess(self, nb: NotebookNode,
                   resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        for cell in nb.cells:
            if is_solution(cell) and cell.cell_type == "code" and BEGIN not in cell.source:
                name = cell.metadata["nbgrader"].get("grade_id", "?")
                raise ValueError(
                    f"solution cell {name!r} has no '{BEGIN}' region: nbgrader would replace "
                    "all of it, signature and docstring included, by a stub. This source is a "
                    "student release (the course's notebooks/); write the course's source with "
                    "`rnn-course nbgrader COURSE_DIR`, from its solutions.")
        return nb, resources


class RemoveAnswerCells(NbGraderPreprocessor):
    """Remove the cells tagged ``answer`` (answers to the exercises of a lesson)."""

    def preprocess(self, nb: NotebookNode,
                   resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        kept = [cell for cell in nb.cells if ANSWER_TAG not in cell.metadata.get("tags", [])]
        if len(kept) != len(nb.cells):
            self.log.warning("removed %d cell(s) tagged %r", len(nb.cells) - len(kept), ANSWER_TAG)
        nb.cells = kept
        return nb, resources


class RepairSubmission(NbGraderPreprocessor):
    """Compose the submission with the release, as rnn-course grade does (graded cells found by
    id, grade_id or definition; read-only cells restored; metadata put back)."""

    def preprocess(self, nb: NotebookNode,
                   resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        info = resources["nbgrader"]
        path = self._release_path(info["assignment"], info["notebook"])
        if not Path(path).is_file():
            raise FileNotFoundError(f"{path} is missing: submissions are repaired with the "
                                    f"release; run `nbgrader generate_assignment "
                                    f"{info['assignment']}` first")
        release = read(path, as_version=4)
        if not is_lesson(release):
            self.log.info("%s: not a lesson of the course, graded as submitted", path)
            return nb, resources
        repaired, remarks = repair(info["notebook"], release, nb)
        for remark in remarks:
            self.log.info("%s/%s: %s", info["student"], info["notebook"], remark)
        return repaired, resources

    def _release_path(self, assignment, notebook):
        owner = self.parent
        while owner is not None and not isinstance(getattr(owner, "coursedir", None),
                                                   CourseDirectory):
            owner = getattr(owner, "parent", None)
        coursedir = owner.coursedir if owner is not None else CourseDirectory(parent=self)
        folder = coursedir.format_path(coursedir.release_directory, ".", assignment)
        return f"{folder}/{notebook}.ipynb"
