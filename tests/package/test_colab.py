"""Google Colab: one place says where the course is published (pyproject.toml), and the README's
links, every notebook's set-up cell and the Colab notebooks' figures follow it; the set-up cell
acts on Colab only; a student's install without the grader's packages gets a clear message.
(Installing into an environment pinned like Colab's: test_colab_environment.py.)"""

import importlib.util
import json
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

from rnn_course.authoring import colab
from rnn_course.authoring.build import lesson_paths

ROOT = Path(__file__).resolve().parents[2]
RELEASE = colab.read_release(ROOT)
LESSONS = [path.stem for path in lesson_paths(ROOT)]
REAL_FIND_SPEC = importlib.util.find_spec
FIGURE = re.compile(r"!\[(.*?)\]\((\S+?\.svg)\)")


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


def test_the_release_is_the_package_version_of_the_one_repository():
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert RELEASE.tag == f"v{version.group(1)}"
    assert RELEASE.package == (f"rnn-course @ git+https://github.com/{RELEASE.repository}"
                               f"@{RELEASE.tag}")


def test_the_readme_opens_every_lesson_in_colab_at_the_release():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = set(re.findall(r"https://colab\.research\.google\.com/github/[^)\s]+", readme))
    assert links == {colab.colab_url(RELEASE, name) for name in LESSONS}
    for name in LESSONS:  # the notebook each link opens is in the repository
        assert (ROOT / "notebooks" / colab.COLAB_FOLDER / f"{name}.ipynb").exists()


@pytest.mark.parametrize("folder", ["notebooks", "notebooks/colab", "solutions"])
@pytest.mark.parametrize("name", LESSONS)
def test_the_first_code_cell_is_the_locked_set_up_cell(folder, name):
    code = [cell for cell in cells(ROOT / folder / f"{name}.ipynb") if cell["cell_type"] == "code"]
    first = code[0]
    assert first["id"] == colab.SETUP_CELL_ID
    assert source(first) == colab.setup_source(RELEASE)
    if folder != "solutions":  # released: read-only, so that the grader restores it
        assert first["metadata"]["nbgrader"]["locked"] is True
        assert first["metadata"]["editable"] is False
    assert sum(cell.get("id") == colab.SETUP_CELL_ID for cell in code) == 1


@pytest.mark.parametrize("name", LESSONS)
def test_figures_are_relative_in_notebooks_and_at_the_release_on_colab(name):
    local = [FIGURE.findall(source(cell)) for cell in cells(ROOT / "notebooks" / f"{name}.ipynb")]
    remote = [FIGURE.findall(source(cell))
              for cell in cells(ROOT / "notebooks" / colab.COLAB_FOLDER / f"{name}.ipynb")]
    local, remote = sum(local, []), sum(remote, [])
    assert local and len(local) == len(remote)
    for (alt, path), (alt_there, url) in zip(local, remote):
        assert alt and alt == alt_there  # every figure has its alt text, on Colab too
        assert path.startswith("figures/") and (ROOT / "notebooks" / path).is_file()
        assert url == RELEASE.figures + path.removeprefix("figures/")


def run_setup_cell(monkeypatch, on_colab, installed=("rnn_utils",)):
    """Execute the set-up cell's source here, with google.colab importable or not and the
    given modules already installed; returns the commands it ran."""
    commands = []
    monkeypatch.setattr(subprocess, "run", lambda command, **kw: commands.append(command))
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: REAL_FIND_SPEC(name, *a) if name in installed else None)
    if on_colab:
        google = types.ModuleType("google")
        google.colab = types.ModuleType("google.colab")
        monkeypatch.setitem(sys.modules, "google", google)
        monkeypatch.setitem(sys.modules, "google.colab", google.colab)
    else:
        monkeypatch.setitem(sys.modules, "google.colab", None)  # import fails, as off Colab
    exec(colab.setup_source(RELEASE), {})
    return commands


def test_the_set_up_cell_does_nothing_off_colab(monkeypatch):
    assert run_setup_cell(monkeypatch, on_colab=False, installed=()) == []


def test_on_colab_it_installs_the_release_and_only_what_is_missing_without_dependencies(
        monkeypatch):
    [command] = run_setup_cell(monkeypatch, on_colab=True, installed=("numpy",))
    assert command[1:] == ["-m", "pip", "install", "--quiet", "--no-deps", RELEASE.package,
                           *RELEASE.not_on_colab]
    assert RELEASE.not_on_colab == ("autograd>=1.7,<2",)
    # run again in the same session (the package now there): nothing to do
    assert run_setup_cell(monkeypatch, on_colab=True, installed=("rnn_utils",)) == []


def test_a_wrong_repository_is_refused(tmp_path):
    text = (ROOT / "pyproject.toml").read_text().replace(
        f'repository = "{RELEASE.repository}"', 'repository = "https://github.com/a/b"')
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(colab.LessonError, match="owner/name"):
        colab.read_release(tmp_path)


def test_a_student_install_gets_one_line_naming_the_extra(tmp_path):
    """`rnn-course build` where the grade extra is missing (its modules made unimportable)."""
    blocked = "; ".join(f"sys.modules[{name!r}] = None" for name in
                        ("nbformat", "nbclient", "jupyter_client", "jupytext", "nbval"))
    script = (f"import sys; {blocked}; from rnn_course.cli import main; "
              f"sys.exit(main(['build', '--course', {str(ROOT)!r}, '--check']))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "pip install 'rnn-course[grade]'" in result.stderr
