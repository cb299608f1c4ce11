"""JupyterHub: the nbgitpuller link, and nbgitpuller itself in the course's environment (the
install that survives a home mounted over the repository is tested in test_wheel.py)."""

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from rnn_course.platforms.hub import hub_link

ROOT = Path(__file__).resolve().parents[2]


def test_the_link_opens_the_lesson_in_the_folder_nbgitpuller_makes():
    link = hub_link("https://hub.example.edu/", "https://github.com/teacher/rnn-course.git",
                    branch="spring", lesson="05_lstm_forward")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https", "hub.example.edu", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query) == {
        "repo": ["https://github.com/teacher/rnn-course.git"], "branch": ["spring"],
        "urlpath": ["lab/tree/rnn-course/notebooks/05_lstm_forward.ipynb"]}
    assert "%2F" in parts.query  # encoded, as nbgitpuller's link generator writes them


def test_the_classic_interface_link():
    link = hub_link("https://hub.example.edu", "https://github.com/teacher/course")
    assert parse_qs(urlsplit(link).query)["urlpath"] == ["lab/tree/course/notebooks/"
                                                         "01_rnn_cell_forward.ipynb"]
    classic = hub_link("https://hub.example.edu", "https://github.com/teacher/course",
                       classic=True)
    assert parse_qs(urlsplit(classic).query)["urlpath"] == [
        "tree/course/notebooks/01_rnn_cell_forward.ipynb"]


@pytest.mark.parametrize("hub, repository", [("hub.example.edu", "https://github.com/a/b"),
                                             ("https://hub.example.edu", "git@github.com:a/b")])
def test_a_link_needs_urls(hub, repository):
    with pytest.raises(ValueError):
        hub_link(hub, repository)


@pytest.fixture(scope="module")
def server_extensions():
    """What `jupyter server extension list` says, without its colours."""
    result = subprocess.run([sys.executable, "-m", "jupyter", "server", "extension", "list"],
                            capture_output=True, text=True)
    return re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)


def test_nbgitpuller_is_installed_and_enabled_in_the_jupyter_server(server_extensions):
    listed = server_extensions
    assert re.search(r"^\s*nbgitpuller enabled$", listed, re.MULTILINE), listed
    assert re.search(r"^\s*nbgitpuller [0-9.]+ OK$", listed, re.MULTILINE), listed


def test_the_environment_files_carry_nbgitpuller():
    assert "\n  - nbgitpuller" in (ROOT / "environment.yml").read_text()
    assert '"nbgitpuller' in (ROOT / "pyproject.toml").read_text()


def test_nbgrader_adds_no_instructor_panels_to_the_students_lab(server_extensions):
    """nbgrader is a dev dependency (its tests); `make install` turns its JupyterLab panels and
    server extensions off, so a student's `make lab` shows the course only."""
    if not (Path(sys.prefix) / ".installed").exists():
        pytest.skip("not the environment `make install` made")
    clean = re.compile(r"\x1b\[[0-9;]*m")
    lab = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"],
                         capture_output=True, text=True)
    assert re.search(r"@jupyter/nbgrader \S+ disabled", clean.sub("", lab.stdout + lab.stderr))
    assert not re.search(r"nbgrader\S* enabled", server_extensions), server_extensions
