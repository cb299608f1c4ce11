"""Google Colab: where the course is published, and the set-up cell every lesson opens with.

ONE place holds where the course is published: pyproject.toml, its ``[tool.rnn-course]``
``repository`` (GitHub's owner/name) and its ``[project]`` ``version`` (the release tag is
"v" + version). From them come
- each lesson's set-up cell (``setup_source``): on Colab it installs the course's package at
  this release; anywhere else it does nothing;
- the Colab version of each student notebook (notebooks/colab/, ``COLAB_FOLDER``): the same
  notebook with its figures at absolute URLs of the release (Colab resolves no relative link);
- the README's "Open in Colab" links (``colab_url``; tests/package/test_colab.py compares).
"""

import copy
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from rnn_course.authoring.lesson import Cell, Lesson, LessonError

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser before it joined the standard library (the grade extra brings it)
    import tomli as tomllib

SETUP_CELL_ID = "colab-setup"
COLAB_FOLDER = "colab"  # under notebooks/: the notebooks the README's Colab links open
# The student install's packages that Colab's runtime lacks: the set-up cell installs them when
# they are missing (every other one, numpy, matplotlib, ipywidgets, Colab provides and pins).
NOT_ON_COLAB = ("autograd",)
_REPOSITORY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")

SETUP_TEMPLATE = '''\
# Set-up on Google Colab; anywhere else this cell does nothing. On Colab it installs this
# lesson's release of the course's package (rnn_utils) and what Colab lacks, without changing
# any package Colab provides (--no-deps): once per Colab session.
import importlib.util
import subprocess
import sys

COURSE = "{package}"
NOT_ON_COLAB = {missing!r}  # module: requirement

try:
    import google.colab  # noqa: F401 -- importable on Colab only
except ImportError:
    pass
else:
    if importlib.util.find_spec("rnn_utils") is None:
        missing = [requirement for module, requirement in NOT_ON_COLAB.items()
                   if importlib.util.find_spec(module) is None]
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                        COURSE, *missing], check=True)
        importlib.invalidate_caches()'''


@dataclass(frozen=True)
class Release:
    """Where the course is published: GitHub's ``owner/name``, the release's git tag, and the
    requirements (from pyproject's dependencies) of the packages Colab lacks."""

    repository: str
    tag: str
    not_on_colab: "tuple[str, ...]" = ()

    @property
    def package(self) -> str:
        """The pip requirement of the course's package at this release."""
        return f"rnn-course @ git+https://github.com/{self.repository}@{self.tag}"

    @property
    def figures(self) -> str:
        """The URL prefix of the release's figures. jsDelivr serves them as image/svg+xml;
        raw.githubusercontent.com serves text/plain, which browsers refuse to show as SVG."""
        return f"https://cdn.jsdelivr.net/gh/{self.repository}@{self.tag}/notebooks/figures/"


def read_release(root: "Path | str") -> Release:
    """The release of the course checkout ``root``, from its pyproject.toml."""
    project = tomllib.loads(Path(root, "pyproject.toml").read_text(encoding="utf-8"))
    repository = project.get("tool", {}).get("rnn-course", {}).get("repository", "")
    if not _REPOSITORY.match(repository):
        raise LessonError(f"pyproject.toml: [tool.rnn-course] repository = {repository!r} is "
                          "not GitHub's owner/name of the course")
    requirements = {re.split(r"[<>=!~ ;\[]", line, maxsplit=1)[0]: line.split(";")[0].strip()
                    for line in project["project"]["dependencies"]}
    not_on_colab = tuple(requirements[name] for name in NOT_ON_COLAB)
    return Release(repository, f"v{project['project']['version']}", not_on_colab)


def colab_url(release: Release, lesson_name: str) -> str:
    """The link that opens the lesson's Colab notebook (of this release) in Colab."""
    return (f"https://colab.research.google.com/github/{release.repository}/blob/{release.tag}"
            f"/notebooks/{COLAB_FOLDER}/{lesson_name}.ipynb")


def setup_source(release: Release) -> str:
    """The source of the set-up cell (see SETUP_TEMPLATE)."""
    missing = {re.split(r"[<>=!~ ]", requirement, maxsplit=1)[0]: requirement
               for requirement in release.not_on_colab}
    return SETUP_TEMPLATE.format(missing=missing, package=release.package)


def with_setup_cell(lesson: Lesson, release: Release) -> Lesson:
    """The lesson with the set-up cell before its first code cell: a plain cell (locked in the
    student version, restored by the grader) whose id is SETUP_CELL_ID."""
    cells = list(lesson.cells)
    first_code = next(index for index, entry in enumerate(cells)
                      if entry.cell.cell_type == "code")
    setup = copy.deepcopy(cells[first_code].cell)
    setup.source, setup.metadata = setup_source(release), {}
    cells.insert(first_code, Cell(setup, "plain", SETUP_CELL_ID))
    return Lesson(lesson.name, lesson.source_path, lesson.notebook, cells)
