"""The Gradescope autograder zip, run as Gradescope runs it: setup.sh once, then run_autograder
per submission, in a folder laid out like /autograder (AUTOGRADER_ROOT), with the course
installed from the zip's wheel into an environment of its own (not this checkout's)."""

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from support.environments import fresh_environment

from rnn_course.authoring.lesson import read_lesson, solution_lines
from rnn_course.platforms.gradescope import build_zip

ROOT = Path(__file__).resolve().parents[2]
CLASS = ROOT / "examples" / "class"
BASH = shutil.which("bash")


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    """The zip for lessons 01-02, unpacked into source/ and set up by its setup.sh."""
    work = tmp_path_factory.mktemp("gradescope")
    archive = build_zip(ROOT, work / "autograder.zip", ["01", "02"])
    (work / "source").mkdir()
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(work / "source")
        modes = {info.filename: info.external_attr >> 16 for info in opened.infolist()}
    for name, mode in modes.items():  # zipfile does not restore modes; Gradescope's unzip does
        os.chmod(work / "source" / name, mode & 0o777)
    python, _ = fresh_environment(work / "venv")
    environment = {**os.environ, "RNN_COURSE_PYTHON": str(python), "PIP_NO_INDEX": "1"}
    environment.pop("PYTHONPATH", None)
    setup = subprocess.run([BASH, str(work / "source" / "setup.sh")], env=environment,
                           capture_output=True, text=True, cwd=work / "source")
    assert setup.returncode == 0, setup.stderr
    return {"zip": archive, "root": work, "python": python, "venv": work / "venv",
            "env": environment,
            "setup": setup.stdout}


def run_autograder(autograder, tmp_path, files, path=None):
    """A fresh /autograder of ``tmp_path``: source/ from the set-up one, submission/ of
    ``files`` (name -> bytes); run_autograder run as Gradescope runs it (in a container, as
    root, at /autograder); returns results.json."""
    root = tmp_path / "autograder"
    shutil.copytree(autograder["root"] / "source", root / "source", symlinks=True)
    (root / "submission").mkdir()
    for name, data in files.items():
        (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "submission" / name).write_bytes(data)
    inside = Path("/autograder") if CONTAINED else root
    python = inside / "rnn-course-venv" / "bin" / "python" if CONTAINED else autograder["python"]
    environment = {**autograder["env"], "AUTOGRADER_ROOT": str(inside),
                   "RNN_COURSE_PYTHON": str(python)}
    if path is not None:
        environment["PATH"] = path
    command = [BASH, str(inside / "source" / "run_autograder")]
    if CONTAINED:
        command = container(root, autograder["venv"]) + command
    done = subprocess.run(command, env=environment, capture_output=True, text=True,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


CONTAINED = os.geteuid() == 0 and shutil.which("bwrap") is not None


def container(root, venv):
    """A container like Gradescope's, made with bubblewrap (run as root, its capabilities
    kept, its own PID namespace): the machine's files, ``root`` at /autograder with the course's
    environment at /autograder/rnn-course-venv, and the Python installation and the folder of
    the environment's dependencies reachable by every user at their own paths. In Gradescope's
    image they are in /usr, readable by all; here they may lie under /root (pyenv) or inside a
    checkout in a folder only its owner may enter (mode 0700), which the test's set-up and not
    the course put there."""
    options = [shutil.which("bwrap"), "--bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
               "--unshare-pid", "--die-with-parent", "--cap-add", "ALL"]
    dependencies = next(p for p in sys.path if p.endswith("site-packages"))
    options += reachable({sys.base_prefix, os.path.realpath(sys.base_prefix),
                          os.path.realpath(dependencies)})
    return options + ["--bind", str(root), "/autograder",
                      "--bind", str(venv), "/autograder/rnn-course-venv", "--"]


def reachable(folders):
    """bubblewrap options that show each of ``folders`` at its own path, read-only, to every
    user: the highest folder above it that others cannot enter is covered by an empty,
    traversable tmpfs (once), in which the way down to the folder is made again."""
    covered, ways = [], []
    for folder in sorted(folders):
        above = [parent for parent in reversed(Path(folder).parents) if str(parent) != "/"]
        closed = next((parent for parent in above if not os.stat(parent).st_mode & 0o001), None)
        if closed is None:
            continue
        if closed not in covered:
            covered.append(closed)
        ways += [item for parent in above if parent.is_relative_to(closed) and parent != closed
                 for item in ("--perms", "0755", "--dir", str(parent))]
        ways += ["--ro-bind", folder, folder]
    return [item for closed in covered for item in ("--perms", "0755", "--tmpfs", str(closed))] \
        + ways


def test_the_zip_has_what_gradescope_runs_and_no_answer(autograder):
    with zipfile.ZipFile(autograder["zip"]) as archive:
        names = set(archive.namelist())
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
        course = {name: archive.read(name).decode() for name in names
                  if name.startswith("course/")}
    assert {"setup.sh", "run_autograder", "constraints.txt", "gradescope.json"} <= names
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    assert any(name.startswith("rnn_course-") and name.endswith(".whl") for name in names)
    # the release notebooks alone: grading needs no solution notebook, not even its check cells
    assert sorted(course) == [f"course/notebooks/{lesson}.ipynb"
                              for lesson in ("01_rnn_cell_forward", "02_rnn_forward")]
    answers = [json.dumps(line.strip())[1:-1] for lesson in ("01_rnn_cell_forward",
                                                           "02_rnn_forward")
               for entry in read_lesson(ROOT / "solutions" / f"{lesson}.py").cells
               if entry.role in ("graded", "answer")
               for line in solution_lines(entry.cell.source) or entry.cell.source.splitlines()
               if len(line.strip()) > 25]  # as JSON strings hold them
    released = "".join((ROOT / "notebooks" / name.split("/")[-1]).read_text() for name in course)
    answers = [answer for answer in answers if answer not in released]  # scaffolding aside
    assert len(answers) > 10
    for text in course.values():
        assert "BEGIN SOLUTION" not in text
        assert not [answer for answer in answers if answer in text]
    assert "rnn-course installed" in autograder["setup"]


def test_the_same_course_gives_the_same_zip(autograder, tmp_path):
    wheel = next((autograder["root"] / "source").glob("rnn_course-*.whl"))
    first = build_zip(ROOT, tmp_path / "a.zip", ["01", "02"], wheel=wheel)
    second = build_zip(ROOT, tmp_path / "b.zip", ["01", "02"], wheel=wheel)
    assert first.read_bytes() == second.read_bytes()


def expected(student):
    import csv

    with open(CLASS / "expected.csv", newline="", encoding="utf-8") as handle:
        return {row["exercise"]: (int(row["points"]), int(row["max_points"]))
                for row in csv.DictReader(handle) if row["student"] == student}


def by_test(results):
    return {test["name"].split(": ")[1]: test for test in results["tests"]}


def test_a_submission_gets_one_test_per_graded_function(autograder, tmp_path):
    files = {"01_rnn_cell_forward.ipynb": (CLASS / "carol/01_rnn_cell_forward.ipynb").read_bytes(),
             "work/lab 2 (final).ipynb": (CLASS / "carol/02_rnn_forward.ipynb").read_bytes()}
    results = run_autograder(autograder, tmp_path, files)
    tests = by_test(results)
    assert {name: (t["score"], t["max_score"]) for name, t in tests.items()} == expected("carol")
    assert results["score"] == 3 and "3 of 5 points" in results["output"]
    assert "sandbox: bwrap" in results["output"]
    bug = tests["rnn_cell_forward"]
    assert bug["status"] == "failed" and "the bias ba is missing" in bug["output"]
    assert "expected" in bug["output"]  # the full diagnosis, not only its line
    assert tests["rnn_forward"]["status"] == "passed"
    assert all(t["visibility"] == "visible" for t in results["tests"])


def test_a_broken_file_and_one_without_metadata_are_graded_as_by_rnn_course_grade(
        autograder, tmp_path):
    frank = (CLASS / "frank/01_rnn_cell_forward.ipynb").read_bytes()  # no ids, no metadata
    results = run_autograder(autograder, tmp_path, {"upload.ipynb": frank,
                                                   "02_rnn_forward.ipynb": b"{oops",
                                                   "notes.txt": b"hello"})
    tests = by_test(results)
    assert tests["rnn_cell_forward"]["score"] == expected("frank")["rnn_cell_forward"][0] == 2
    assert tests["rnn_forward"]["score"] == 0
    assert "not a valid notebook" in tests["rnn_forward"]["output"]
    assert "notes.txt" in results["output"] and results["score"] == 2


def test_a_missing_lesson_gives_missing_tests(autograder, tmp_path):
    results = run_autograder(autograder, tmp_path, {"notes.txt": b"hello"})
    assert [t["output"].split(":")[0] for t in results["tests"]] == ["missing", "missing"]
    assert results["score"] == 0


def test_a_zip_that_requires_the_sandbox_gives_no_points_without_it(autograder, tmp_path):
    config = autograder["root"] / "source" / "gradescope.json"
    strict = tmp_path / "strict"
    shutil.copytree(autograder["root"], strict, symlinks=True, ignore=shutil.ignore_patterns(
        "venv"))
    settings = json.loads(config.read_text())
    (strict / "source" / "gradescope.json").write_text(json.dumps(
        {**settings, "require_sandbox": True}))
    files = {"01_rnn_cell_forward.ipynb": (CLASS / "alice/01_rnn_cell_forward.ipynb").read_bytes()}
    results = run_autograder({**autograder, "root": strict}, tmp_path, files, path="/nonexistent")
    assert results["score"] == 0 and results["tests"] == []
    assert "could not grade" in results["output"] and "bubblewrap" in results["output"]


STEAL = '''\
import glob, marshal, os, sys, zipfile


def _sources():
    """The reference's source, or its compiled code, from wherever it can be read: the
    installed package, its compiled copies in __pycache__, any wheel of the course."""
    for folder in sys.path:
        yield "py", os.path.join(folder, "rnn_utils", "reference.py")
        yield from (("pyc", path) for path in glob.glob(
            os.path.join(folder, "rnn_utils", "__pycache__", "reference.*.pyc")))
    root = os.environ.get("AUTOGRADER_ROOT", "/autograder")
    yield from (("whl", path) for path in glob.glob(os.path.join(root, "**", "*.whl"),
                                                   recursive=True))


def _code(kind, path):
    if kind == "py":
        return compile(open(path).read(), path, "exec")
    if kind == "pyc":
        with open(path, "rb") as handle:
            return marshal.loads(handle.read()[16:])
    with zipfile.ZipFile(path) as wheel:
        return compile(wheel.read("rnn_utils/reference.py").decode(), path, "exec")


def _steal(function):
    """The course's reference implementation, read from wherever rnn_utils is installed."""
    for kind, path in _sources():
        try:
            code = _code(kind, path)
        except Exception:
            continue
        space = {{}}
        try:
            exec(code, space)
        except Exception:
            continue
        found = space.get(function)
        if callable(found) and getattr(found, "__module__", None) != "rnn_grade_harness":
            return found  # the real one, not the grading kernel's request to the grader
    raise RuntimeError("no reference implementation found")


{function} = _steal("{function}")
'''


HARM = '''\
import os, subprocess
results = os.path.join(os.environ.get("AUTOGRADER_ROOT", "/autograder"), "results")
try:
    os.makedirs(results, exist_ok=True)
    with open(os.path.join(results, "results.json"), "w") as forged:
        forged.write('{"score": 100}')
except OSError:
    pass
forge = f"sleep 1; echo '{{\\"score\\": 100}}' > {results}/results.json"
subprocess.Popen(["/bin/sh", "-c", forge], start_new_session=True)  # outlive the grader
'''


def hostile(lesson, function):
    """The untouched release of ``lesson`` whose graded cell tries to forge the results and
    to take the reference implementation of ``function`` from the installed package."""
    notebook = json.loads((CLASS / f"bob/{lesson}.ipynb").read_text())
    graded = next(cell for cell in notebook["cells"] if cell.get("id") == function)
    graded["source"] = HARM + STEAL.format(function=function)
    return json.dumps(notebook).encode()


def assert_defeated(results, root, function):
    test = by_test(results)[function]
    assert test["score"] == 0 and "no reference implementation found" in test["output"], test
    time.sleep(2)  # a leftover process would have forged the results by now
    assert json.loads((root / "autograder/results/results.json").read_text()) == results


def test_the_sandboxed_kernel_cannot_reach_the_installed_reference(autograder, tmp_path):
    results = run_autograder(autograder, tmp_path, {
        "01_rnn_cell_forward.ipynb": hostile("01_rnn_cell_forward", "rnn_cell_forward"),
        "02_rnn_forward.ipynb": (CLASS / "erin/02_rnn_forward.ipynb").read_bytes()})  # tamperer
    assert "sandbox: bwrap" in results["output"]
    assert by_test(results)["rnn_forward"]["score"] == expected("erin")["rnn_forward"][0]
    assert_defeated(results, tmp_path, "rnn_cell_forward")


def test_without_bubblewrap_it_grades_as_another_user_and_says_so(autograder, tmp_path):
    files = {"01_rnn_cell_forward.ipynb": (CLASS / "alice/01_rnn_cell_forward.ipynb").read_bytes(),
             "02_rnn_forward.ipynb": hostile("02_rnn_forward", "rnn_forward")}
    results = run_autograder(autograder, tmp_path, files, path="/nonexistent")  # no bwrap
    assert "bubblewrap is not installed" in results["output"]
    assert by_test(results)["rnn_cell_forward"]["score"] == 2, results
    if not CONTAINED:  # an ordinary user: no other user to run the kernels as
        assert "Graded WITHOUT a sandbox" in results["output"]
        return
    assert "Graded without bubblewrap" in results["output"]
    assert "each kernel ran as a user of its own" in results["output"]
    assert_defeated(results, tmp_path, "rnn_forward")
