"""A follow-on error in a released notebook names the unfinished exercise behind it."""

import types
from pathlib import Path

import nbformat

from rnn_course.authoring.build import execute
from rnn_utils import hints

ROOT = Path(__file__).resolve().parents[2]


def _function(source, name):
    namespace = {"__name__": "__main__"}
    exec(compile(source, "<cell>", "exec"), namespace)
    return namespace[name]


def test_only_notebook_functions_that_still_raise_count_as_unfinished():
    namespace = {
        "rnn_cell_forward": _function("def rnn_cell_forward(x):\n    raise NotImplementedError()",
                                      "rnn_cell_forward"),
        "rnn_forward": _function("def rnn_forward(x):\n    return x", "rnn_forward"),
        "imported": types.SimpleNamespace,
        "np": types,
    }
    assert hints.unfinished_exercises(namespace) == ["rnn_cell_forward"]
    assert "`rnn_cell_forward`" in hints.hint(namespace)
    del namespace["rnn_cell_forward"]
    assert hints.hint(namespace) is None


def test_install_is_harmless_outside_ipython():
    assert hints.install() is False


def test_follow_on_errors_of_the_released_notebook_name_the_exercise():
    """Runs a kernel: lesson 01 as released, every exercise unfinished."""
    notebook = nbformat.read(ROOT / "notebooks" / "01_rnn_cell_forward.ipynb", as_version=4)
    execute(notebook, ROOT / "notebooks", timeout=60, allow_errors=True)
    failing = [cell for cell in notebook.cells if cell.cell_type == "code"
               and any(o.output_type == "error" for o in cell.outputs)
               and not cell.metadata.get("nbgrader", {}).get("grade")]
    assert failing, "cells after the exercise use its results"
    for cell in failing:
        error = next(o for o in cell.outputs if o.output_type == "error")
        assert error.ename in ("NameError", "NotImplementedError", "KeyError"), error.ename
        printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert "Note: your `rnn_cell_forward` is not finished yet" in printed, cell.source[:80]


def test_a_name_the_cells_above_define_gets_the_line_to_run_them_again():
    missing = NameError("name 'rnn_cell_forward' is not defined", name="rnn_cell_forward")
    line = hints.forgotten_hint(missing, {"np": types})
    assert line.startswith("Note: `rnn_cell_forward` is not defined in this kernel")
    assert "Run > Run All Above Selected Cell" in line and "\n" not in line
    assert hints.forgotten_hint(missing, {"rnn_cell_forward": print}) is None
    assert hints.forgotten_hint(KeyError("x"), {}) is None


def _alone_in_a_fresh_kernel(lesson, chosen):
    """The first cell of the released ``lesson`` for which ``chosen(cell)`` holds, run alone in
    a new kernel (as after a restart): (its error output or None, what it printed)."""
    notebook = nbformat.read(ROOT / "notebooks" / f"{lesson}.ipynb", as_version=4)
    notebook.cells = [next(cell for cell in notebook.cells if chosen(cell))]
    execute(notebook, ROOT / "notebooks", timeout=60, allow_errors=True)
    outputs = notebook.cells[0].outputs
    error = next((o for o in outputs if o.output_type == "error"), None)
    return error, "".join(o.get("text", "") for o in outputs if o.output_type == "stream")


def test_after_a_restart_a_check_cell_says_what_to_run():
    """Runs a kernel: lesson 01's check cell alone."""
    error, printed = _alone_in_a_fresh_kernel(
        "01_rnn_cell_forward", lambda cell: cell.metadata.get("nbgrader", {}).get("grade"))
    assert (error.ename, error.evalue) == ("NameError", "name 'rnn_cell_forward' is not defined")
    assert printed.strip() == ("Note: `rnn_cell_forward` is not defined in this kernel: after a "
                               "restart or on a reopened notebook the kernel has forgotten the "
                               f"cells above. {hints.RUN_ABOVE}.")


def test_after_a_restart_an_explorer_cell_runs_on_its_own():
    """Runs a kernel: lesson 07's first explorer alone."""
    error, _ = _alone_in_a_fresh_kernel(
        "07_exploding_vanishing_gradients", lambda cell: "gradient_norm_explorer()" in cell.source)
    assert error is None
