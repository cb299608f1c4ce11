"""The one-source pipeline: lesson parsing, the student version, and no drift from a fresh build."""

import re
import textwrap
from pathlib import Path

import nbformat
import pytest

from rnn_course.authoring.build import (
    build_course,
    comparable,
    execute,
    lesson_paths,
    reference_module,
    solution_notebook,
    student_notebook,
    to_text,
    without_outputs,
)
from rnn_course.authoring.lesson import LessonError, read_lesson, solution_lines, strip_solution

ROOT = Path(__file__).resolve().parents[2]
LESSONS = [read_lesson(path) for path in lesson_paths(ROOT)]
LESSON_IDS = [lesson.name for lesson in LESSONS]


def committed(folder, lesson):
    return nbformat.read(ROOT / folder / f"{lesson.name}.ipynb", as_version=4)


def test_there_are_lessons_and_each_has_both_notebooks():
    assert len(LESSONS) >= 2
    for lesson in LESSONS:
        assert (ROOT / "solutions" / f"{lesson.name}.ipynb").exists()
        assert (ROOT / "notebooks" / f"{lesson.name}.ipynb").exists()
    stray = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")} - set(LESSON_IDS)
    assert not stray, f"notebooks without a lesson source: {stray}"


def test_committed_files_equal_a_fresh_build():
    """The committed notebooks and reference are what the build makes. Solution notebooks are
    compared in their sources and metadata; their outputs are strict nbval's to check (make test
    runs it over solutions/), so the lessons are not executed twice (`rnn-course build --check`
    does execute them)."""
    stale = build_course(ROOT, check=True, log=lambda line: None, run=False)
    assert not stale, f"out of date (run `make notebooks`): {[str(p) for p in stale]}"


# --- the drift key: what nbval compares, and nothing else ----------------------------------------

def _solution_text(name="07_exploding_vanishing_gradients"):
    return (ROOT / "solutions" / f"{name}.ipynb").read_text(encoding="utf-8")


def _changed(text, change):
    notebook = nbformat.reads(text, as_version=4)
    change(notebook.cells)
    return nbformat.writes(notebook)


def _first(cells, predicate):
    return next(cell for cell in cells if predicate(cell))


def _ignored(cell):
    return "nbval-ignore-output" in cell.metadata.get("tags", []) and cell.outputs


def _printing(cell):
    return cell.cell_type == "code" and "nbval-ignore-output" not in cell.metadata.get(
        "tags", []) and any(o.output_type == "stream" for o in cell.outputs)


def _with_image(cell):
    return any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


def _set_stream(cell, text):
    _first(cell.outputs, lambda o: o.output_type == "stream").text = text


def _set_png(cell, data):
    _first(cell.outputs, lambda o: "image/png" in o.get("data", {})).data["image/png"] = data


@pytest.mark.parametrize("change", [
    lambda cells: setattr(_first(cells, _ignored), "outputs", []),
    lambda cells: _set_png(_first(cells, _with_image), "iVBORw0KGgo="),
], ids=["ignored-output", "image-bytes"])
def test_drift_key_ignores_what_nbval_does_not_compare(change):
    text = _solution_text()
    assert comparable(_changed(text, change)) == comparable(text)


def test_drift_key_applies_the_sanitizers():
    text = _solution_text("01_rnn_cell_forward")
    stream = _first(_first(nbformat.reads(text, as_version=4).cells, _printing).outputs,
                    lambda o: o.output_type == "stream").text
    assert "np.float64" not in stream
    same = _changed(text, lambda cells: _set_stream(
        _first(cells, _printing), stream.replace("\n", " np.float64(2.5)\n", 1)))
    written = _changed(text, lambda cells: _set_stream(
        _first(cells, _printing), stream.replace("\n", " 2.5\n", 1)))
    assert comparable(same) == comparable(written) != comparable(text)


@pytest.mark.parametrize("change", [
    lambda cells: setattr(_first(cells, lambda c: c.cell_type == "code"), "source", "pass"),
    lambda cells: setattr(_first(cells, lambda c: c.metadata.get("nbgrader", {}).get("grade")),
                          "source", "check_nothing()"),
    lambda cells: _set_stream(_first(cells, _printing), "0.75\n"),
    lambda cells: _first(cells, _ignored).metadata.update(tags=[]),
    lambda cells: cells.pop(3),
], ids=["source", "check-line", "compared-output", "tag-removed", "cell-removed"])
def test_drift_key_catches_every_stale_notebook(change):
    text = _solution_text()
    assert comparable(_changed(text, change)) != comparable(text)


def test_the_unexecuted_drift_key_sees_sources_and_metadata_only():
    text = _solution_text()
    edited_source = _changed(text, lambda cells: setattr(
        _first(cells, lambda c: c.cell_type == "code"), "source", "pass"))
    edited_output = _changed(text, lambda cells: _set_stream(_first(cells, _printing), "0.75\n"))
    assert without_outputs(edited_source) != without_outputs(text)
    assert without_outputs(edited_output) == without_outputs(text)  # nbval's to catch


@pytest.mark.parametrize("lesson", LESSONS, ids=LESSON_IDS)
def test_student_build_is_byte_for_byte_reproducible(lesson):
    again = read_lesson(lesson.source_path)
    assert to_text(student_notebook(lesson)) == to_text(student_notebook(again))
    assert to_text(solution_notebook(lesson)) == to_text(solution_notebook(again))


@pytest.mark.parametrize("lesson", LESSONS, ids=LESSON_IDS)
def test_no_answer_line_leaks_into_the_student_notebook(lesson):
    student_lines = {
        line.strip() for cell in committed("notebooks", lesson).cells
        for line in cell.source.splitlines()
    }
    for entry in lesson.cells:
        if entry.role == "graded":
            answer = {line.strip() for line in solution_lines(entry.cell.source)}
            answer -= {""}
            answer = {line for line in answer if not line.startswith("#")}
            assert answer, f"{entry.grade_id}: empty solution region"
            assert not answer & student_lines, f"{entry.grade_id} leaks {answer & student_lines}"
        if entry.role == "answer":
            for line in entry.cell.source.splitlines():
                if len(line.strip()) > 20:
                    assert line.strip() not in student_lines, f"answer leaks: {line!r}"


@pytest.mark.parametrize("lesson", LESSONS, ids=LESSON_IDS)
def test_graded_and_check_cells_and_locks(lesson):
    """Every cell carries nbgrader's marks as a release does (checksums:
    tests/platforms/test_nbgrader.py compares them with nbgrader's): the graded cell a solution
    cell that cannot be deleted, its check cell a read-only grade cell, every other cell
    read-only with its cell id as grade_id."""
    notebook = committed("notebooks", lesson)
    cells = notebook.cells
    graded = [c for c in cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert graded, "a lesson has at least one graded cell"

    def marks(cell, **extra):
        return {"grade": False, "grade_id": cell.id, "locked": True, "schema_version": 3,
                "solution": False, "cell_type": cell.cell_type,
                "checksum": cell.metadata["nbgrader"]["checksum"], **extra}

    for index, cell in enumerate(cells):
        nbgrader = cell.metadata["nbgrader"]
        assert len(nbgrader["checksum"]) == 32
        if nbgrader["solution"]:
            assert nbgrader == marks(cell, locked=False, solution=True)
            assert cell.id == nbgrader["grade_id"] and cell.cell_type == "code"
            assert "raise NotImplementedError()" in cell.source
            assert "editable" not in cell.metadata and cell.metadata["deletable"] is False
            check = cells[index + 1]
            points = check.metadata["nbgrader"]["points"]
            assert check.metadata["nbgrader"] == marks(check, grade=True, points=points)
            assert check.id == f"check_{cell.id}" and points >= 1
            assert f"check_{cell.id}({cell.id})" in check.source
        elif not nbgrader["grade"]:
            assert nbgrader == marks(cell)
        if not nbgrader["solution"]:
            assert cell.metadata["editable"] is False and cell.metadata["deletable"] is False
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    ids = [cell.id for cell in cells]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("lesson", LESSONS, ids=LESSON_IDS)
def test_figures_exist_and_paths_fit_each_folder(lesson):
    for folder in ("solutions", "notebooks"):
        for cell in committed(folder, lesson).cells:
            if cell.cell_type != "markdown":
                continue
            for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", cell.source):
                assert (ROOT / folder / target).exists(), f"{folder}/{lesson.name}: {target}"


@pytest.mark.parametrize("lesson", LESSONS, ids=LESSON_IDS)
def test_released_student_notebook_fails_every_check_and_does_not_hang(lesson):
    """Run down to the last check cell. The cells after it (lesson 08 trains models for a
    minute there, with the package's own functions) are the solution's cells, which strict
    nbval runs: this test makes sure they are the same cells, rather than running them again."""
    notebook = committed("notebooks", lesson)
    is_check = [bool(c.metadata.get("nbgrader", {}).get("grade")) for c in notebook.cells]
    last_check = max(index for index, check in enumerate(is_check) if check)
    after = notebook.cells[last_check + 1:]
    solution = {cell.id: cell for cell in committed("solutions", lesson).cells}
    for cell in after:
        if cell.cell_type == "code":
            assert cell.id in solution and cell.source == solution[cell.id].source, cell.id
    notebook.cells = notebook.cells[:last_check + 1]
    execute(notebook, ROOT / "notebooks", timeout=60, allow_errors=True)
    checks = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert checks
    for cell in checks:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert errors, f"{cell.metadata.nbgrader.grade_id} passed on the released notebook"
        assert errors[0].ename == "CheckFailure"
        assert "not implemented" in errors[0].evalue.lower()


def test_solution_notebooks_pass_every_check():
    for lesson in LESSONS:
        for cell in committed("solutions", lesson).cells:
            for output in cell.get("outputs", []):
                assert output.output_type != "error", f"{lesson.name}: {output.get('ename')}"


def test_reference_module_holds_every_graded_function():
    text = reference_module(LESSONS)
    graded = [e.grade_id for lesson in LESSONS for e in lesson.cells if e.role == "graded"]
    namespace = {}
    exec(compile(text, "reference.py", "exec"), namespace)
    assert all(callable(namespace[name]) for name in graded)
    assert "### BEGIN SOLUTION" not in text


# --- the lesson format and its error messages ----------------------------------------------------

def write_lesson(tmp_path, body, name="01_demo.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


GOOD = """\
    # %% [markdown]
    # # Demo

    # %%
    def double(x):
        \"\"\"Twice x.\"\"\"
        if x is None:
            ### BEGIN SOLUTION
            return 0
            ### END SOLUTION
        ### BEGIN SOLUTION
        return 2 * x
        ### END SOLUTION

    # %% points=2
    check_double(double)

    # %% [markdown] tags=["answer"]
    # The answer is secret.
    """


def test_a_well_formed_lesson_is_classified(tmp_path):
    lesson = read_lesson(write_lesson(tmp_path, GOOD))
    assert [c.role for c in lesson.cells] == ["plain", "graded", "check", "answer"]
    assert lesson.cells[2].points == 2 and lesson.cells[2].grade_id == "check_double"
    student = student_notebook(lesson)
    assert len(student.cells) == 3
    assert student.cells[1].source == textwrap.dedent("""\
        def double(x):
            \"\"\"Twice x.\"\"\"
            if x is None:
                # YOUR CODE HERE
                raise NotImplementedError()
            # YOUR CODE HERE
            raise NotImplementedError()""")


@pytest.mark.parametrize("body, message", [
    (GOOD.replace("    # %% points=2\n    check_double(double)\n", ""), "must be its check cell"),
    (GOOD.replace("points=2", ""), "must be its check cell"),
    (GOOD.replace("points=2", "points=0"), "positive integer"),
    (GOOD.replace("check_double(double)", "check_other(double)"), "calling check_double(double)"),
    (GOOD.replace("    def double(x):", "    def helper():\n        pass\n    def double(x):"),
     "exactly one function"),
    (GOOD.replace("        ### END SOLUTION\n\n", "\n"), "without"),
    (GOOD.replace("# %% [markdown] tags", "# %% points=1 tags"), "must follow a graded cell"),
])
def test_malformed_lessons_are_refused_with_a_reason(tmp_path, body, message):
    with pytest.raises(LessonError, match=re.escape(message)):
        read_lesson(write_lesson(tmp_path, body))


def test_lesson_file_names_are_checked(tmp_path):
    with pytest.raises(LessonError, match="NN_topic.py"):
        read_lesson(write_lesson(tmp_path, GOOD, name="Demo Lesson.py"))


def test_strip_solution_keeps_everything_outside_the_markers():
    source = "a = 1\n    ### BEGIN SOLUTION\n    b = 2\n    ### END SOLUTION\nc = 3"
    expected = "a = 1\n    # YOUR CODE HERE\n    raise NotImplementedError()\nc = 3"
    assert strip_solution(source) == expected


def test_printed_text_split_by_the_kernel_is_merged():
    from rnn_course.authoring.build import _normalize_outputs

    cell = nbformat.v4.new_code_cell("print(1); print(2)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n"),
                    nbformat.v4.new_output("stream", name="stdout", text="2\n"),
                    nbformat.v4.new_output("stream", name="stderr", text="warning\n"),
                    nbformat.v4.new_output("stream", name="stdout", text="3\n")]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    merged = _normalize_outputs(notebook).cells[0].outputs
    assert [(o.name, o.text) for o in merged] == [
        ("stdout", "1\n2\n"), ("stderr", "warning\n"), ("stdout", "3\n")]


def test_check_mode_reports_a_drifted_notebook_and_writes_nothing(tmp_path):
    import shutil

    def not_a_lesson_file(_, names):
        return [name for name in names if not name.endswith((".py", ".ipynb")) and name != "colab"]

    for folder in ("solutions", "notebooks"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=not_a_lesson_file)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)  # where the course is published (colab.py)
    (tmp_path / "rnn_utils").mkdir()
    shutil.copy(ROOT / "rnn_utils" / "reference.py", tmp_path / "rnn_utils" / "reference.py")
    first = LESSONS[0].name
    drifted = tmp_path / "notebooks" / f"{first}.ipynb"
    drifted.write_text(drifted.read_text().replace("Lesson 01", "Lesson 1"), encoding="utf-8")
    before = drifted.read_text()
    stale = build_course(tmp_path, check=True, only=[first], log=lambda line: None)
    assert stale == [drifted]
    assert drifted.read_text() == before


def test_cli_refuses_an_unknown_lesson(capsys):
    from rnn_course.cli import main

    assert main(["build", "--root", str(ROOT), "99_no_such_lesson"]) == 2
    assert "no lesson named 99_no_such_lesson" in capsys.readouterr().err
