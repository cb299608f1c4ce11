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
# the cells kept (plain cells' ids are positions, cell-NN: found by what they hold)
FIRST_CODE_CELL, CLIPPING_EXPLORER = "first code cell", "explorers.clipping_explorer()"
KEPT_CELLS = (FIRST_CODE_CELL, "clip", "check_clip", CLIPPING_EXPLORER)
ENDLESS_CLIP = ('def clip(gradients, max_value):\n    """A student\'s endless loop."""\n'
                "    total = 0\n    while True:\n        total += 1\n    return gradients\n")
IMPORTS, GRADED, CHECK, EXPLORER = range(4)


def cut_notebook(path, lesson, kept, sources):
    """The lesson's student notebook cut to the cells ``kept`` (ids), in that order; the cells
    named in ``sources`` (id -> source) get that source, as a student wrote it."""
    notebook = json.loads((ROOT / "notebooks" / f"{lesson}.ipynb").read_text())
    notebook["cells"] = [find_cell(notebook, name) for name in kept]
    for cell in notebook["cells"]:
        cell["source"] = sources.get(cell["id"], cell["source"])
    path.write_text(json.dumps(notebook))


def find_cell(notebook, name):
    """The cell whose id is ``name``; the first code cell for FIRST_CODE_CELL; else the code
    cell whose source contains ``name``."""
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    if name == FIRST_CODE_CELL:
        return code[0]
    return next((cell for cell in code if cell.get("id") == name), None) or next(
        cell for cell in code if name in "".join(cell["source"]))


def student_notebook(path):
    """Lesson 07's student notebook cut to KEPT_CELLS, `clip` made an endless loop."""
    cut_notebook(path, "07_exploding_vanishing_gradients", KEPT_CELLS, {"clip": ENDLESS_CLIP})


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
def page():
    """A page of a fresh Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as engine:
        browser = engine.chromium.launch(executable_path=CHROMIUM,
                                         args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(30_000)
        yield page
        browser.close()


@pytest.fixture
def student(lab, page, request):
    """A student with a fresh copy of lesson 07's cut notebook open, in a fresh browser."""
    url, folder = lab
    name = f"{request.node.name}.ipynb"
    student_notebook(folder / name)
    someone = Student(page, url, name)
    someone.open()
    return someone


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


def solution_source(lesson, cell_id):
    """The source of a cell of the lesson's solution notebook (a right answer, as a student's)."""
    notebook = json.loads((ROOT / "solutions" / f"{lesson}.ipynb").read_text())
    return next("".join(cell["source"]) for cell in notebook["cells"] if cell.get("id") == cell_id)


def saved_model(path):
    """An .npz as lesson 08's Training section saves it: an RNN of 64 units, and words."""
    import numpy as np

    rng = np.random.default_rng(0)
    shapes = {"Wax": (64, 27), "Waa": (64, 64), "Wya": (27, 64), "ba": (64, 1), "by": (27, 1)}
    np.savez(path, words=np.array(["anna", "bob"]),
             **{name: 0.1 * rng.standard_normal(shape) for name, shape in shapes.items()})


def test_lesson_08s_explorer_runs_after_a_restart_without_training(lab, page):
    url, folder = lab
    name = "lesson08_explorer.ipynb"
    lesson = "08_character_language_model"
    cut_notebook(folder / name, lesson, (FIRST_CODE_CELL, "sample", "explorers.sampling_explorer("),
                 {"sample": solution_source(lesson, "sample")})
    saved_model(folder / "lesson08_model.npz")  # made by the Training section, not run here
    student = Student(page, url, name)
    student.open()
    imports, sample, explorer = range(3)
    student.run(imports)
    student.run(sample)
    student.run(explorer)
    assert student.explorer_responds(explorer)

    student.restart_kernel()
    student.run(sample)  # the student's own function, then the explorer alone
    started = time.monotonic()
    student.run(explorer)
    assert time.monotonic() - started < 15  # loaded, not trained
    said = student.output(explorer)
    assert "Error" not in said and "No model was saved" not in said, said
    assert student.explorer_responds(explorer)


PROGRESS_CELL = """import time

from rnn_utils import progress

for step in progress.each(range(8), "training 8 steps"):
    time.sleep(0.5)
print("trained")
"""


def test_a_long_cell_shows_its_progress_and_leaves_only_its_prints(lab, page):
    url, folder = lab
    name = "progress.ipynb"
    cut_notebook(folder / name, "07_exploding_vanishing_gradients", (FIRST_CODE_CELL,),
                 {})
    notebook = json.loads((folder / name).read_text())
    notebook["cells"][0]["source"] = PROGRESS_CELL
    (folder / name).write_text(json.dumps(notebook))
    student = Student(page, url, name)
    student.open()
    student.run(0, wait=False)
    seen = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "trained" not in student.output(0):
        seen.add(student.output(0).strip())
        time.sleep(0.2)
    assert any(line.startswith("training 8 steps: [") and "s left" in line for line in seen), seen
    student.wait_until_run(0)
    assert student.output(0).strip() == "trained"  # the progress line is emptied
