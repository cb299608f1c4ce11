"""The grader's parts without kernels: composition, reading, verdicts, outputs, CLI, progress.

One test at the end runs kernels: the same class graded twice gives byte-identical files.
"""

import copy
import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from support.course import MAKE, ROOT
from support.handins import results_of

from rnn_course.cli import main
from rnn_course.grading import compose as compose_module
from rnn_course.grading import run as grade_run
from rnn_course.grading.batch import Progress, grade
from rnn_course.grading.compose import NotANotebook, compose, read_submission
from rnn_course.grading.course import CourseError, load_course
from rnn_course.grading.judge import exercises, make_task
from rnn_course.grading.run import Job, Run, Settings, _collect, run_batch, run_jobs
from rnn_course.grading.verdict import one_line, verdict_of
from rnn_course.options import memory_size
from rnn_utils import reference

COURSE = load_course(ROOT, ["01", "02"])
ONE, TWO = COURSE.lessons




def cells_of(notebook, tmp_path, name="nb.ipynb"):
    path = tmp_path / name
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return read_submission(path)


def by_id(composed):
    return {cell.id: cell for cell in composed.notebook.cells}


# ---- composition ---------------------------------------------------------------------------


def test_composition_keeps_the_answer_restores_locked_cells_and_stores_no_outputs(
        tmp_path, monkeypatch):
    monkeypatch.setattr(compose_module, "ONLY_NEEDED", False)  # every restored cell, here
    notebook = MAKE.with_source(MAKE.release(ONE.name), "rnn_cell_forward", "def f(): pass\n")
    notebook = MAKE.with_source(notebook, "cell-05", "print('edited')\n")
    notebook = MAKE.tampered_check(notebook)
    composed = compose(ONE, cells_of(notebook, tmp_path), COURSE.package_root)
    cells = by_id(composed)
    release_ids = [c.id for c in ONE.release.cells]
    last_check = max(release_ids.index(ex.check_id) for ex in ONE.exercises)
    assert last_check < len(release_ids) - 1  # lesson 01 has cells after its last check
    # the release up to its last check cell: nothing after it is graded, so nothing runs
    assert [c.id for c in composed.notebook.cells] == release_ids[:last_check + 1]
    assert cells["rnn_cell_forward"].source == "def f(): pass\n"
    assert cells["cell-05"].source == by_id_release(ONE)["cell-05"].source
    check = cells["check_rnn_cell_forward"]
    # the check cell hands the function to the grader, whatever the student made of it
    assert check.source.endswith("rnn_grade_harness.hand_in('rnn_cell_forward', globals())\n")
    assert check.metadata["rnn_course_grade"] == {"function": "rnn_cell_forward"}
    for cell in composed.notebook.cells:  # nbval compares nothing: no cell has outputs
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert any("cell-05" in remark for remark in composed.remarks)


def by_id_release(lesson):
    return {cell.id: cell for cell in lesson.release.cells}


def test_added_cells_follow_the_cell_they_followed(tmp_path):
    notebook = MAKE.with_added(MAKE.release(TWO.name), "cell-01", "mine = 1\n")
    notebook = MAKE.with_added(notebook, "rnn_forward", "mine = 2\n")
    notebook["cells"].insert(0, {"cell_type": "code", "id": "first", "metadata": {"tags": [
        "raises-exception"]}, "outputs": [], "execution_count": None, "source": "mine = 0\n"})
    ids = [c.id for c in compose(TWO, cells_of(notebook, tmp_path)).notebook.cells]
    assert ids[0] == "added-0"
    assert ids[ids.index("cell-01") + 1] == "added-1"
    assert ids[ids.index("rnn_forward") + 1] == "added-2"
    assert ids[ids.index("added-2") + 1] == "check_rnn_forward"
    first = compose(TWO, cells_of(notebook, tmp_path)).notebook.cells[0]
    assert first.metadata == {}  # the student's tags do not reach nbval


def test_a_notebook_without_ids_is_matched_by_source_and_definition(tmp_path):
    notebook = MAKE.without_ids(MAKE.with_source(MAKE.release(ONE.name), "rnn_cell_forward",
                                                 MAKE.answer("rnn_cell_forward")))
    composed = compose(ONE, cells_of(notebook, tmp_path))
    assert not [c for c in composed.notebook.cells if c.id.startswith("added-")]
    assert by_id(composed)["rnn_cell_forward"].source == MAKE.answer("rnn_cell_forward")
    assert composed.remarks == [] and composed.notes == {}


def test_a_graded_cell_with_a_new_id_is_found_by_its_grade_id(tmp_path):
    notebook = MAKE.with_source(MAKE.release(ONE.name), "rnn_cell_forward", "def x(): 1\n")
    notebook["cells"][MAKE.cell_index(notebook, "rnn_cell_forward")]["id"] = "renewed"
    assert by_id(compose(ONE, cells_of(notebook, tmp_path)))["rnn_cell_forward"].source == (
        "def x(): 1\n")


def test_a_deleted_graded_cell_is_replaced_by_the_stub_with_a_note(tmp_path):
    notebook = MAKE.edited_import_and_deleted_graded(MAKE.release(TWO.name))
    composed = compose(TWO, cells_of(notebook, tmp_path))
    assert "NotImplementedError" in by_id(composed)["rnn_forward"].source
    assert "rnn_forward" in composed.notes
    assert "reference" not in by_id(composed)["cell-01"].source.split("import")[-1]


@pytest.mark.parametrize("content, reason", [
    (b"", "empty file"), (b"  \n", "empty file"), (b"{oops", "not JSON"),
    (b"[1, 2]", "JSON without a list of cells"), (b"\xff\xfe\x00", "not UTF-8 text"),
])
def test_files_that_are_not_notebooks_are_refused_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "x.ipynb"
    path.write_bytes(content)
    with pytest.raises(NotANotebook, match=reason):
        read_submission(path)


# ---- verdicts ------------------------------------------------------------------------------


def result(**fields):
    base = {"phase": "call", "passed": False, "exception": "NbCellError", "message": "",
            "ename": None, "evalue": None, "stdout": "", "timed_out": False,
            "kernel_alive": True}
    return {**base, **fields}


TASK = make_task(exercises()["rnn_cell_forward"], salt=12345)


def handed_in(function):
    """The record a check cell hands in when the student's function is ``function``."""
    return {"results": results_of(TASK, function)}


def judge_one(results, records=None, **run):
    exercise = ONE.exercises[0]
    return verdict_of(exercise, Run(results=results, records=records or {}, **run), 60,
                      lambda cell: f"cell {cell}", TASK)


def test_outputs_handed_in_are_judged_and_a_failure_keeps_the_diagnosis_lines():
    passed = {"check_rnn_cell_forward": result(passed=True, exception=None)}
    right = handed_in(reference.rnn_cell_forward)
    assert judge_one(passed, {"check_rnn_cell_forward": right}).status == "passed"
    namespace = {"np": np, "softmax": reference.softmax}
    exec(MAKE.variant("rnn_cell_forward", "Waa @ a_prev + ba)", "Waa @ a_prev)"), namespace)
    wrong = handed_in(namespace["rnn_cell_forward"])
    verdict = judge_one(passed, {"check_rnn_cell_forward": wrong})
    assert verdict.status == "failed" and "ba" in verdict.message
    assert len(verdict.details) > 2 and verdict.details[1].startswith("Case 1 of 6")
    assert verdict.message == " | ".join([verdict.details[0].split(" - ", 1)[-1],
                                          *verdict.details[1:]])[:len(verdict.message)]


def test_whatever_the_kernel_printed_a_check_without_outputs_is_not_passed():
    printed = {"check_rnn_cell_forward": result(passed=True, exception=None,
                                                stdout="rnn_cell_forward: all checks passed")}
    verdict = judge_one(printed)
    assert verdict.status == "error" and "did not reach the grader" in verdict.message


def test_a_notebook_that_stopped_early_gives_timeout_or_error():
    assert judge_one({}, broken="timeout", timed_out=True).status == "timeout"
    verdict = judge_one({}, broken="the grading process stopped (exit status 3)")
    assert (verdict.status, verdict.message) == (
        "error", "not graded: the grading process stopped (exit status 3)")


def test_a_kernel_that_does_not_start_is_an_error():
    verdict = judge_one({"check_rnn_cell_forward": result(phase="setup", message="boom")})
    assert (verdict.status, verdict.message) == ("error", "the kernel did not start: boom")


def test_messages_lose_what_changes_from_run_to_run():
    text = "invalid syntax (3185484453.py, line 5)\n at 0x7f00 /tmp/ipykernel_12/34.py"
    assert one_line(text) == "invalid syntax (line 5) at 0x... <cell>"
    assert len(one_line("x" * 5000)) == 600


def test_a_notebook_that_never_started_is_never_charged_for_a_classmate():
    jobs = [Job(index, "a.ipynb", {}) for index in range(3)]
    events = [{"event": "start", "notebook": "nb0"}, {"event": "done", "notebook": "nb0"},
              {"event": "start", "notebook": "nb1"}]
    finished, again = _collect(jobs, events, "timeout")
    assert finished[0].broken is None
    assert "stopped making progress" in finished[1].broken and finished[1].timed_out
    assert again == [jobs[2]] and jobs[2].alone  # next time in a batch of its own
    # a batch of one that breaks down before its notebook starts: the breakdown is its own
    finished, again = _collect([jobs[2]], [], "the grading process stopped")
    assert again == [] and finished[2].broken == "the grading process stopped"


def test_two_hostile_notebooks_around_a_classmate_cannot_cost_it_its_run(monkeypatch):
    """Each hostile notebook stops the batch it runs in (as one that hangs and is killed by
    the watchdog does). The classmate between them, never started, is run again, alone."""
    def fake_batch(batch, settings):
        events = []
        for index, job in enumerate(batch):
            events.append({"event": "start", "notebook": f"nb{index}"})
            if job.key.startswith("hostile"):
                return grade_run._collect(batch, events, "timeout")
            events.append({"event": "done", "notebook": f"nb{index}"})
        return grade_run._collect(batch, events, None)

    monkeypatch.setattr(grade_run, "run_batch", fake_batch)
    for order in (["hostile1", "classmate", "hostile2"], ["classmate", "hostile1", "hostile2"],
                  ["hostile1", "hostile2", "classmate", "hostile3"]):
        jobs = [Job(key, "a.ipynb", {}) for key in order]
        runs = grade_run.run_jobs(jobs, Settings(), parallel=1)
        assert set(runs) == set(order)
        assert runs["classmate"].broken is None, order
        assert all(runs[key].timed_out for key in order if key.startswith("hostile"))


# ---- course, command line, outputs -----------------------------------------------------------


def small_course(tmp_path):
    """A course holding only the releases of lessons 01 and 02: all that grading reads of a
    lesson (no solutions/, no rnn_utils: the installed one)."""
    course = tmp_path / "course"
    (course / "notebooks").mkdir(parents=True)
    for lesson in (ONE, TWO):
        shutil.copy(ROOT / "notebooks" / lesson.filename, course / "notebooks")
    return course


def test_every_lesson_of_the_course_gets_rows_and_regrading_replaces_old_files(tmp_path):
    course = small_course(tmp_path)
    for student in ("ann", "ben"):
        (tmp_path / "class" / student).mkdir(parents=True)
    out = tmp_path / "out"
    assert main(["grade", str(tmp_path / "class"), "--out", str(out), "--course",
                 str(course)]) == 0
    first = (out / "grades.csv").read_text()
    assert [line.split(",")[:3] for line in first.splitlines()[1:]] == [
        ["ann", "01_rnn_cell_forward.ipynb", "rnn_cell_forward"],
        ["ann", "02_rnn_forward.ipynb", "rnn_forward"],
        ["ben", "01_rnn_cell_forward.ipynb", "rnn_cell_forward"],
        ["ben", "02_rnn_forward.ipynb", "rnn_forward"]]
    assert all(",missing," in line for line in first.splitlines()[1:])
    shutil.rmtree(tmp_path / "class" / "ben")
    assert main(["grade", str(tmp_path / "class"), "--out", str(out), "--course",
                 str(course)]) == 0
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["ann.md"]
    assert (out / "summary.csv").read_text() == "student,points,max_points\nann,0,5\n"


@pytest.mark.parametrize("arguments, words", [
    (["grade", "no/such/folder", "--out", "x"], "not a folder of submissions"),
    (["grade", "{class}", "--out", "{class}/out"], "must not be inside SUBMISSIONS"),
    (["grade", "{class}", "--out", "x", "--course", "{class}"], "no lesson notebooks"),
    (["grade", "{class}", "--out", "x", "--lessons", "99"], "no lesson '99'"),
])
def test_bad_arguments_exit_2_with_a_clear_message(tmp_path, capsys, arguments, words):
    (tmp_path / "class").mkdir()
    arguments = [a.replace("{class}", str(tmp_path / "class")) for a in arguments]
    assert main(arguments) == 2
    assert words in capsys.readouterr().err
    assert not (tmp_path / "class" / "out").exists()


@pytest.mark.parametrize("option", [["--jobs", "0"], ["--timeout", "-1"], ["--memory", "lots"]])
def test_bad_option_values_exit_2(tmp_path, option):
    with pytest.raises(SystemExit) as stop:
        main(["grade", str(tmp_path), "--out", str(tmp_path / "o"), *option])
    assert stop.value.code == 2


def test_memory_sizes():
    assert memory_size("2G") == 2 * 2**30
    assert memory_size("512m") == 512 * 2**20
    assert memory_size("1.5GB") == int(1.5 * 2**30)
    assert memory_size("none") == 0


def test_course_errors_name_the_broken_file(tmp_path):
    course = small_course(tmp_path)
    assert not (course / "solutions").exists() and len(load_course(course).lessons) == 2
    (course / "notebooks" / ONE.filename).write_text("{oops", encoding="utf-8")
    with pytest.raises(CourseError, match="01_rnn_cell_forward.ipynb cannot be read"):
        load_course(course)


class Terminal(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


def test_the_progress_bar_is_drawn_on_a_terminal_only():
    for tty in (True, False):
        stream = Terminal(tty)
        progress = Progress(stream)
        progress.start(4)
        progress.advance(1)
        progress.finish()
        expected = "grading [#######.......................] 1/4 notebooks" if tty else ""
        assert stream.getvalue().split("\r")[-1].strip() == expected


def test_the_grader_and_make_test_use_one_sanitize_file():
    # One file: the rules that make the solutions reproducible are the rules grading uses.
    assert "--nbval-sanitize-with rnn_course/nbval_sanitize.cfg" in (ROOT / "Makefile").read_text()
    assert not (ROOT / "tests" / "nbval_sanitize.cfg").exists()
    assert "regex" in (ROOT / "rnn_course" / "nbval_sanitize.cfg").read_text()


def test_grading_again_gives_byte_identical_files(tmp_path):
    """Runs kernels: one failing and one passing notebook, graded twice into the same OUT."""
    one = MAKE.release(ONE.name)
    bug = MAKE.variant("rnn_cell_forward", "Waa @ a_prev + ba)", "Waa @ a_prev)")
    for student, source in (("ann", bug), ("ben", MAKE.answer("rnn_cell_forward"))):
        (tmp_path / "class" / student).mkdir(parents=True)
        notebook = copy.deepcopy(MAKE.with_source(one, "rnn_cell_forward", source))
        (tmp_path / "class" / student / ONE.filename).write_text(json.dumps(notebook))
    files = []
    for _ in range(2):
        grade(tmp_path / "class", tmp_path / "out", ROOT, jobs=2, lessons=["01"])
        files.append({p.name: p.read_bytes() for p in (tmp_path / "out").rglob("*")
                      if p.is_file()})
    assert files[0] == files[1]
    assert b"ann,01_rnn_cell_forward.ipynb,rnn_cell_forward,0,2,failed," in files[0]["grades.csv"]
    assert b"ben,01_rnn_cell_forward.ipynb,rnn_cell_forward,2,2,passed," in files[0]["grades.csv"]


def test_the_watchdog_kills_a_silent_batch_and_runs_the_rest_again(tmp_path, monkeypatch):
    """Runs kernels: a kernel that ignores interrupts keeps nbval silent (it waits for the
    kernel); with a 3 s limit the watchdog ends the batch, charges a timeout to that notebook
    and hands back the notebook that had not started."""
    monkeypatch.setattr(grade_run, "WATCHDOG_SLACK", 1)
    settings = Settings(timeout=1, startup_timeout=2, package_root=COURSE.package_root)
    deaf = "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(60)\n"
    release = MAKE.release(ONE.name)
    hang = compose(ONE, cells_of(MAKE.with_added(release, "cell-01", deaf), tmp_path, "a"))
    fine = compose(ONE, cells_of(release, tmp_path, "b"))
    jobs = [Job("hang", ONE.filename, hang.notebook), Job("fine", ONE.filename, fine.notebook)]
    finished, again = run_batch(jobs, settings)
    assert list(finished) == ["hang"] and finished["hang"].timed_out
    assert again == [jobs[1]]
    verdict = verdict_of(ONE.exercises[0], finished["hang"], 1, str, TASK)
    assert verdict.status == "timeout"
    # the notebook handed back runs as usual: a kernel start may take over 3 s and an import
    # cell over 1 s on a busy machine (1 s interrupted it there, and its check never ran)
    settings.startup_timeout, settings.timeout = 60, 30
    check = run_jobs(again, settings)["fine"].results["check_rnn_cell_forward"]
    assert check["phase"] == "call"  # it ran (and, with no grader to hand in to, failed)


def test_a_forged_kernel_pid_kills_nothing_outside_the_batch():
    """The pid of a "kernel" event is only killed when it is a child of the batch's pytest."""
    bystander = subprocess.Popen(["sleep", "30"], start_new_session=True)
    batch = subprocess.Popen(["sleep", "30"], start_new_session=True)
    try:
        grade_run._kill(batch, [{"event": "kernel", "notebook": "nb0", "pid": bystander.pid}])
        assert batch.wait(timeout=10) == -9
        assert bystander.poll() is None  # not the batch's child: left alone
    finally:
        bystander.kill()
        bystander.wait()


def test_a_course_whose_rnn_utils_is_not_the_graders_own_is_refused(tmp_path, capsys):
    course = small_course(tmp_path)
    (course / "rnn_utils").mkdir()  # another copy: the grader would judge with the wrong one
    (tmp_path / "class" / "ann").mkdir(parents=True)
    assert main(["grade", str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--course",
                 str(course)]) == 2
    assert "has its own rnn_utils" in capsys.readouterr().err


HOSTILE_IDS = ["a" * 250, "new\\nline", "=1+2", "-2", "@SUM(A1)", "+x", ".hidden", "ok"]


def test_any_legal_folder_name_gets_its_feedback_and_no_cell_is_a_formula(tmp_path):
    """A 250-byte id cannot be a file name with an extension (255 bytes), a leading dot would
    hide the file: such ids get short names, mapped back in feedback/index.csv; every CSV cell
    that a spreadsheet would run as a formula is written as text (OWASP)."""
    from rnn_course.grading.report import feedback_file, write_outputs

    rows = [{"student": student, "notebook": ONE.filename, "exercise": "rnn_cell_forward",
             "points": 2, "max_points": 2, "status": "passed", "message": "=HYPERLINK(1)",
             "mistake": ""} for student in HOSTILE_IDS]
    write_outputs(tmp_path, rows, {student: f"# {student}\n" for student in HOSTILE_IDS})
    files = {p.name for p in (tmp_path / "feedback").iterdir()}
    assert files == {feedback_file(s) for s in HOSTILE_IDS} | {"index.csv"}
    assert "ok.md" in files and all(len(name.encode()) <= 40 for name in files)
    with open(tmp_path / "feedback" / "index.csv", encoding="utf-8", newline="") as handle:
        index = {row["file"]: row["student"] for row in csv.DictReader(handle)}
    for student in HOSTILE_IDS:
        if feedback_file(student) != f"{student}.md":
            text = (tmp_path / "feedback" / feedback_file(student)).read_text(encoding="utf-8")
            assert text == f"# {student}\n" and index[feedback_file(student)].lstrip("'") == student
    for name in ("grades.csv", "summary.csv", "feedback/index.csv"):
        with open(tmp_path / name, encoding="utf-8", newline="") as handle:
            cells = [cell for row in csv.reader(handle) for cell in row]
        assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")], name


def test_the_case_server_parses_nothing_outside_a_check_or_beyond_its_cases(monkeypatch):
    """Frames are dropped unread, with an error, while no check runs or when larger than the
    running check's own cases can need (a frame over 32 MB closes the connection); a helper
    call far larger than one case is answered with an error, never run."""
    import socket
    import struct
    import tempfile

    from rnn_course.grading import plugin
    from rnn_course.grading.batch import make_tasks, write_tasks

    folder = Path(tempfile.mkdtemp(prefix="cs-"))  # a short path: Unix sockets allow ~100
    tasks = plugin._load_tasks(write_tasks(make_tasks(COURSE, salt=1), folder / "tasks.json"))
    server = plugin.CaseServer(folder / "s", tasks, 0)
    parsed = []  # the size of every frame the server parsed

    class CountingJson:
        dumps = staticmethod(json.dumps)

        @staticmethod
        def loads(data):
            parsed.append(len(data))
            return json.loads(data)

    monkeypatch.setattr(plugin, "json", CountingJson)

    def exchange(message, declared=None):
        body = json.dumps(message).encode()
        with socket.socket(socket.AF_UNIX) as connection:
            connection.connect(str(folder / "s"))
            connection.sendall(struct.pack(">I", declared or len(body))
                               + (body[:2**16] if declared else body))
            connection.settimeout(10)
            try:
                header = connection.recv(4)
            except ConnectionResetError:
                header = b""
            if not header:
                return None  # closed unread
            size = struct.unpack(">I", header)[0]
            data = b""
            while len(data) < size:
                data += connection.recv(size - len(data))
            return json.loads(data)

    try:
        flood = {"op": "cases", "padding": [{}] * 500_000}  # ~2 MB of {}: parsed, ~100 MB
        assert exchange(flood)["error"] == "no check is running"  # dropped unread
        server.current = ("check_rnn_cell_forward", "rnn_cell_forward")
        assert "cases" in exchange({"op": "cases"})
        assert "far larger" in exchange(flood)["error"]  # beyond the check's data: dropped
        assert exchange({"op": "cases"}, declared=64 * 2**20) is None  # over any limit: closed
        task = tasks["rnn_cell_forward"]
        assert task.call_limit < 300_000 < task.frame_limit  # a frame the check may carry ...
        huge = {"op": "call", "name": "softmax", "args": [[0.5] * 60_000]}  # ... ~300 kB
        assert "far larger than this check's cases" in exchange(huge)["error"]
        assert max(parsed) < 400_000 and len(parsed) == 2  # the two "cases" and the call
    finally:
        server.close()
        shutil.rmtree(folder, ignore_errors=True)


def test_the_grader_parses_no_cell_beyond_its_bound(monkeypatch):
    """ast takes ~340 bytes per byte of source: a huge unmatched cell is never parsed."""
    import ast

    from rnn_course.grading import compose as composing

    answer = "def rnn_cell_forward(xt, a_prev, parameters):\n    return xt\n"
    huge = "x = 1\n" * 100_000 + answer  # 600 kB
    parsed = []

    class CountingAst:  # the module compose sees: ast, with its parse counted
        def __getattr__(self, name):
            return getattr(ast, name)

        @staticmethod
        def parse(source, *arguments, **keywords):
            parsed.append(len(source))
            return ast.parse(source, *arguments, **keywords)

    monkeypatch.setattr(composing, "ast", CountingAst())
    assert composing.defines(answer, "rnn_cell_forward")
    assert not composing.defines(huge, "rnn_cell_forward")
    assert not composing.defines("y = 2\n" * 10, "rnn_cell_forward")  # no def: not parsed
    assert parsed == [len(answer)]
