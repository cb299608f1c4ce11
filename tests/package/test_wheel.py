"""The install a user makes: the built wheel carries every module and data file, and works from
another folder with no checkout beside it (an editable install would hide a missing file)."""

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from support.environments import fresh_environment

from rnn_course.platforms.gradescope import build_wheel

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("rnn_utils", "rnn_course")


def source_files():
    """Every file of the two packages in the checkout, as paths relative to the top."""
    return {
        path.relative_to(ROOT).as_posix()
        for package in PACKAGES for path in (ROOT / package).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel, built as `pip install .` builds it, from a copy of the checkout (the very
    builder of the Gradescope zip)."""
    return build_wheel(ROOT, tmp_path_factory.mktemp("wheel"))


def test_the_wheel_carries_every_file_of_the_packages(wheel):
    with zipfile.ZipFile(wheel) as archive:
        inside = {name for name in archive.namelist() if name.split("/")[0] in PACKAGES}
    missing = source_files() - inside
    assert not missing, f"left out of the wheel (declare them in pyproject.toml): {missing}"
    assert "rnn_utils/checks/__init__.py" in inside and "rnn_course/nbval_sanitize.cfg" in inside
    assert not inside - source_files(), "the wheel has files the checkout does not"


def test_the_installed_wheel_works_from_another_folder(wheel, tmp_path):
    python, site_packages = fresh_environment(tmp_path / "venv")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(site_packages), str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    program = textwrap.dedent("""
        import importlib, importlib.resources, pkgutil, sys
        import numpy as np
        import rnn_utils, rnn_course
        for package in (rnn_utils, rnn_course):
            for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                loaded = importlib.import_module(module.name)
                assert loaded.__file__.startswith(sys.argv[1]), loaded.__file__
        assert (importlib.resources.files("rnn_course") / "nbval_sanitize.cfg").is_file()
        from rnn_utils.checks import check_clip
        check_clip(lambda gradients, max_value: {
            name: np.clip(array, -max_value, max_value) for name, array in gradients.items()})
    """)
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run([str(python), "-c", program, str(site_packages)], cwd=elsewhere,
                            env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "passed" in result.stdout.lower()
    script = subprocess.run([str(python), "-m", "rnn_course.cli", "--help"], cwd=elsewhere,
                            env=environment, capture_output=True, text=True)
    assert script.returncode == 0 and "grade" in script.stdout, script.stderr


def test_a_lesson_runs_from_a_home_that_holds_only_the_notebooks(wheel, tmp_path):
    """A JupyterHub that mounts each student's persistent home over the image's copy of the
    repository: the course installed without -e (as postBuild does) still serves the lessons
    that nbgitpuller put into the home, with no checkout anywhere on the path."""
    python, site_packages = fresh_environment(tmp_path / "venv")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(site_packages), str(wheel)], check=True, capture_output=True)
    subprocess.run([str(python), "-m", "ipykernel", "install", "--prefix",
                    str(tmp_path / "venv")], check=True, capture_output=True)
    home = tmp_path / "home" / "rnn-course"
    shutil.copytree(ROOT / "notebooks", home / "notebooks")
    shutil.copy(ROOT / "solutions" / "01_rnn_cell_forward.ipynb", home / "notebooks" / "run.ipynb")
    program = textwrap.dedent("""
        import sys, nbformat, nbclient, rnn_utils
        assert rnn_utils.__file__.startswith(sys.argv[1]), rnn_utils.__file__
        notebook = nbformat.read("run.ipynb", as_version=4)
        notebook.cells.append(nbformat.v4.new_code_cell(
            "import rnn_utils; print('kernel:', rnn_utils.__file__)"))
        nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
        outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
        assert not [o for o in outputs if o.output_type == "error"]
        print("".join(o.get("text", "") for o in outputs if o.output_type == "stream"))
    """)
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    environment.update(HOME=str(tmp_path / "home"),
                       JUPYTER_PATH=str(tmp_path / "venv" / "share" / "jupyter"))
    result = subprocess.run([str(python), "-c", program, str(site_packages)],
                            cwd=home / "notebooks", env=environment, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "rnn_cell_forward: all checks passed" in result.stdout
    assert f"kernel: {site_packages}" in result.stdout  # the kernel's too, not a checkout's
