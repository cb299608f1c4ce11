"""Colab's runtime, as far as a machine without Colab can show it: an environment pinned like
Colab's (colab_pins.txt, Python 3.13) where a plain `pip install` of the course's wheel changes
no pin, and where strict nbval of every solution notebook passes in a kernel of that
environment, run from a folder that holds only the notebooks (the course comes from the
installed wheel). The environment is made once per test session, from pip's cache."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rnn_course.options import NBVAL_SANITIZE_FILE
from rnn_course.platforms.gradescope import build_wheel

ROOT = Path(__file__).resolve().parents[2]
PINS = Path(__file__).with_name("colab_pins.txt")
COLAB_PYTHON = "python3.13"


def colab_python():
    """A Python 3.13 that runs (a pyenv shim may exist without its version selected)."""
    candidates = [shutil.which(COLAB_PYTHON),
                  *sorted(map(str, Path.home().glob(".pyenv/versions/3.13*/bin/python3.13")))]
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", "pass"], capture_output=True).returncode == 0:
            return candidate
    pytest.skip(f"no working {COLAB_PYTHON} (Colab's Python) here")


def pip(python, *arguments):
    return subprocess.run([str(python), "-m", "pip", *arguments], check=True,
                          capture_output=True, text=True).stdout


def freeze(python):
    """{name: version} of everything installed in the environment of ``python``."""
    lines = pip(python, "list", "--format=json")
    return {entry["name"].lower().replace("_", "-"): entry["version"]
            for entry in json.loads(lines)}


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    """(python, freeze before the course, freeze after) of the Colab-pinned environment with
    the course's wheel installed by plain pip."""
    base = colab_python()
    folder = tmp_path_factory.mktemp("colab")
    subprocess.run([base, "-m", "venv", str(folder / "env")], check=True)
    python = folder / "env" / "bin" / "python"
    pip(python, "install", "--quiet", "-r", str(PINS))
    before = freeze(python)
    wheel = build_wheel(ROOT, folder / "wheel")
    pip(python, "install", "--quiet", str(wheel))  # plain pip, as a student would
    return python, before, freeze(python)


def pins():
    return dict(line.lower().replace("_", "-").split("==") for line in
                PINS.read_text().splitlines() if line and not line.startswith("#"))


def test_installing_the_course_changes_no_package_of_the_runtime(colab):
    python, before, after = colab
    assert {name: before[name] for name in pins()} == pins()  # the runtime is Colab's
    changed = {name: (version, after.get(name)) for name, version in before.items()
               if after.get(name) != version}
    assert changed == {}, f"the course's install changed Colab's packages: {changed}"
    assert set(after) - set(before) == {"rnn-course", "autograd"}


def test_the_solutions_pass_strict_nbval_in_a_kernel_of_that_runtime(colab, tmp_path):
    python = colab[0]
    kernels = tmp_path / "jupyter" / "kernels" / "colab"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Colab-pinned", "language": "python"}))
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    for notebook in sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb")):
        shutil.copy(notebook, lessons)
    (lessons / "zz_where.ipynb").write_text(json.dumps(where_notebook()))
    environment = {**os.environ, "JUPYTER_PATH": str(tmp_path / "jupyter"),
                   "PYTHONPATH": ""}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval",
         "--nbval-kernel-name", "colab", "--nbval-cell-timeout=120",
         "--nbval-sanitize-with", str(NBVAL_SANITIZE_FILE), "--rootdir", str(lessons),
         str(lessons)], cwd=lessons, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"\b1[0-9]{2} passed", result.stdout), result.stdout[-500:]


def where_notebook():
    """A notebook whose stored output says which Python, package and widgets the kernel has:
    nbval fails unless the kernel is the Colab-pinned one with the installed course."""
    source = ("import sys, ipywidgets, IPython, rnn_utils\n"
              "print(sys.version_info[:2], ipywidgets.__version__, IPython.__version__,\n"
              "      'site-packages' in rnn_utils.__file__)")
    cell = {"cell_type": "code", "execution_count": 1, "id": "where", "metadata": {},
            "source": source,
            "outputs": [{"output_type": "stream", "name": "stdout",
                         "text": "(3, 13) 7.7.1 7.34.0 True\n"}]}
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [cell]}
