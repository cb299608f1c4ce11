"""A student in a real JupyterLab (Chromium, driven by playwright) whose code misbehaves and
whose kernel forgets (issue 21, item 7).

The notebook is lesson 07's student version cut to four of its cells: the imports, the graded
`clip` (here an endless loop, as a student may write one), its check cell and the clipping
explorer. The student runs cells with Shift+Enter, interrupts and restarts the kernel with the
toolbar's buttons, and reopens the notebook on a new kernel, and reads what the cells show.

Run against an older course (its notebooks and rnn_utils), e.g. a worktree of another commit:
copy this file into its tests/package/ and put the worktree first on PYTHONPATH.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
TOKEN = "student-in-lab"
KEPT_CELLS = ("cell-01", "clip", "check_clip", "cell-27")  # imports, graded, check, explorer
ENDLESS_CLIP = ('def clip(gradients, max_value):\n    """A student\'s endless loop."""\n'
                "    total = 0\n    while True:\n        total += 1\n    return gradients\n")
IMPORTS, GRADED, CHECK, EXPLORER = range(4)


def student_notebook(path):
    """Lesson 07's student notebook cut to KEPT_CELLS, `clip` made an endless loop."""
    notebook = json.loads((ROOT / "notebooks" / "07_exploding_vanishing_gradients.ipynb")
                          .read_text())
    cells = {cell.get("id"): cell for cell in notebook["cells"]}
    notebook["cells"] = [cells[name] for name in KEPT_CELLS]
    notebook["cells"][GRADED]["source"] = ENDLESS_CLIP
    path.write_text(json.dumps(notebook))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a private home and folder; yields (url, folder)."""
    pytest.importorskip("playwright.sync_api")
    pytest.importorskip("jupyterlab")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    home, folder = tmp_path_factory.mktemp("home"), tmp_path_factory.mktemp("course")
    port = free_port()
    environment = {**os.environ, "HOME": str(home),
                   "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
         f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={folder}"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url)
        yield url, folder
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for_server(url, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=5)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


class Student:
    """What a student does in JupyterLab's notebook view, and reads there."""

    def __init__(self, page, url, name):
        self.page, self.url, self.name = page, url, name
        self.cells = page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell")

    def open(self):
        # a workspace of its own, reset: no tab of an earlier test is restored beside it
        workspace = Path(self.name).stem
        self.page.goto(f"{self.url}/lab/workspaces/{workspace}/tree/{self.name}"
                       f"?token={TOKEN}&reset")
        self.wait_idle()

    def wait_idle(self):
        self.page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=90_000)

    def run(self, index, wait=True):
        """Select cell ``index`` and press Ctrl+Enter (run it, stay there): its prompt turns
        [*] at once; wait until it has run (its prompt [n])."""
        self.cells.nth(index).locator(".jp-InputPrompt").click()
        self.page.keyboard.press("Control+Enter")
        if wait:
            self.wait_until_run(index)

    def wait_until_run(self, index, seconds=60):
        self.page.wait_for_function(
            """index => /\\[\\d+\\]/.test(document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')[index]
                .querySelector('.jp-InputPrompt').innerText)""", arg=index,
            timeout=seconds * 1000)

    def wait_until_running(self, index):
        self.page.wait_for_function(
            """index => document.querySelectorAll(
                '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')[index]
                .querySelector('.jp-InputPrompt').innerText.includes('*')""", arg=index)

    def output(self, index):
        return self.cells.nth(index).locator(".jp-OutputArea").first.inner_text()  # the cell's

    def press_toolbar(self, command):
        self.page.locator(f"[data-command='{command}']").first.click()

    def restart_kernel(self):
        self.press_toolbar("notebook:restart-kernel")
        self.page.locator(".jp-Dialog .jp-mod-accept").click()
        self.wait_idle()

    def explorer_responds(self, index):
        """Move the explorer's first slider one step with the keyboard; True when the figure
        below it is drawn again within a few seconds."""
        cell = self.cells.nth(index)
        images, handles = (cell.locator(".jp-OutputArea img"),
                           cell.locator(".noUi-handle, .ui-slider-handle"))
        if not images.count() or not handles.count():  # no widget drawn ("Loading widget...")
            return False
        before = images.first.get_attribute("src")
        handles.first.click()
        self.page.keyboard.press("ArrowRight")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if images.count() and images.first.get_attribute("src") != before:
                return True
            time.sleep(0.25)
        return False

    def stale_note_shown(self, index):
        notes = self.cells.nth(index).locator(".rnn-stale-note")
        return notes.count() == 1 and notes.first.is_visible()


@pytest.fixture
def student(lab, request):
    """A student with a fresh copy of the notebook, in a fresh browser."""
    from playwright.sync_api import sync_playwright

    url, folder = lab
    name = f"{request.node.name}.ipynb"
    student_notebook(folder / name)
    with sync_playwright() as engine:
        browser = engine.chromium.launch(executable_path=CHROMIUM,
                                         args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        someone = Student(page, url, name)
        someone.open()
        yield someone
        browser.close()


def short_and_own(text, function):
    """The check's words alone: at most two lines, naming the function, no traceback."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert 1 <= len(lines) <= 2, text
    assert lines[0].startswith(f"{function}: FAILED"), text
    for internal in ("Traceback", "KeyboardInterrupt", "rnn_utils", "File "):
        assert internal not in text, text


def test_an_endless_loop_interrupted_or_timed_out_gives_two_lines(student):
    student.run(IMPORTS)
    student.run(GRADED)
    student.run(CHECK, wait=False)
    student.wait_until_running(CHECK)
    time.sleep(2)  # inside the student's loop by now
    student.press_toolbar("notebook:interrupt-kernel")
    student.wait_until_run(CHECK, seconds=20)
    short_and_own(student.output(CHECK), "clip")
    assert "interrupted" in student.output(CHECK)

    started = time.monotonic()
    student.run(CHECK, wait=False)
    student.wait_until_run(CHECK, seconds=30)  # the check's own time limit: about 5 s
    assert time.monotonic() - started < 25
    said = student.output(CHECK)
    assert "clip: FAILED - your function did not return within" in said
    assert "Traceback" not in said and "rnn_utils" not in said


def test_after_a_restart_a_check_alone_says_what_to_run_and_the_explorer_says_it_is_stale(
        student):
    student.run(IMPORTS)
    student.run(EXPLORER)
    assert student.explorer_responds(EXPLORER)
    assert not student.stale_note_shown(EXPLORER)

    student.restart_kernel()
    student.run(CHECK)
    lines = [line for line in student.output(CHECK).splitlines() if line.strip()]
    assert lines[-1].startswith("Note: `clip` is not defined in this kernel"), lines
    assert "Run > Run All Above Selected Cell" in lines[-1]
    assert student.stale_note_shown(EXPLORER)

    student.run(EXPLORER)  # alone, after the restart
    assert "Error" not in student.output(EXPLORER)
    assert student.explorer_responds(EXPLORER)
    assert not student.stale_note_shown(EXPLORER)


def test_a_reopened_notebook_runs_its_explorer_cell_alone(student, lab):
    student.run(IMPORTS)
    student.run(EXPLORER)
    student.page.keyboard.press("Control+s")
    time.sleep(1)
    url, _ = lab
    stop_every_kernel(url)  # the next day: the notebook is opened on a new kernel
    student.page.reload()
    student.wait_idle()
    assert not student.explorer_responds(EXPLORER)  # the old widget is gone with its kernel

    student.run(EXPLORER)
    assert "Error" not in student.output(EXPLORER)
    assert student.explorer_responds(EXPLORER)


def stop_every_kernel(url):
    """Delete every session of the server (its kernel stops), as closing Jupyter does."""
    sessions = json.load(urllib.request.urlopen(f"{url}/api/sessions?token={TOKEN}"))
    for session in sessions:
        request = urllib.request.Request(f"{url}/api/sessions/{session['id']}?token={TOKEN}",
                                         method="DELETE")
        urllib.request.urlopen(request)
