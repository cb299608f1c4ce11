"""nbgrader's marks on the course's cells (schema version 3), and nbgrader's cell checksum.

Every cell of a lesson carries nbgrader metadata in the student version and in the source of
an nbgrader course (platforms/nbgrader/course.py):
- a graded cell is a solution cell (``solution: true``), its grade_id the function's name;
- its check cell is a locked grade cell worth the check's points;
- every other cell is read-only (``locked: true``), its grade_id its stable cell id, so that
  nbgrader restores it when a student edits it and ``nbgrader validate`` reports the change.
The student version also holds the checksums nbgrader would compute, so that it is the very
notebook ``nbgrader generate_assignment`` makes from the course's source (a test compares).
"""

import hashlib
from typing import Any

SCHEMA_VERSION = 3


def marks(role: str, grade_id: str, points: float = 0) -> dict[str, Any]:
    """The nbgrader metadata of a cell of the given role ("graded", "check", anything else:
    read-only), without checksum."""
    if role == "graded":
        return {"grade": False, "grade_id": grade_id, "locked": False,
                "schema_version": SCHEMA_VERSION, "solution": True}
    if role == "check":
        return {"grade": True, "grade_id": grade_id, "locked": True, "points": points,
                "schema_version": SCHEMA_VERSION, "solution": False}
    return {"grade": False, "grade_id": grade_id, "locked": True,
            "schema_version": SCHEMA_VERSION, "solution": False}


def checksum(cell: dict) -> str:
    """nbgrader's checksum of a marked cell: an MD5 of its source, type, roles, grade_id and,
    for a grade cell, points (as nbgrader.utils.compute_checksum computes it; a test proves
    the two equal). It changes when the source of a read-only cell changes."""
    meta = cell["metadata"]["nbgrader"]
    grade, solution = bool(meta.get("grade")), bool(meta.get("solution"))
    locked = not solution and (grade or bool(meta.get("locked")))
    digest = hashlib.md5()
    for part in (cell["source"], cell["cell_type"], str(grade), str(solution), str(locked),
                 meta["grade_id"]):
        digest.update(part.encode("utf-8"))
    if grade:
        digest.update(str(float(meta["points"])).encode("utf-8"))
    return digest.hexdigest()


def as_released(cell: dict) -> dict:
    """Give a marked cell what ``nbgrader generate_assignment`` gives it in a release: its
    checksum and cell type in the nbgrader metadata, and the lock flags of the notebook
    interface (a graded cell cannot be deleted; every other cell cannot be edited either)."""
    meta = cell["metadata"]["nbgrader"]
    meta["checksum"] = checksum(cell)
    meta["cell_type"] = cell["cell_type"]
    cell["metadata"]["deletable"] = False
    if not meta["solution"]:
        cell["metadata"]["editable"] = False
    return cell
