"""A notebook saved by Google Colab is graded as the same notebook saved by Jupyter. Colab
writes nbformat 4.0 (cell ids in each cell's metadata, ``metadata.id``, none at the top level,
where nbformat 4.5 keeps them), its own notebook metadata (``colab``, ``accelerator``), an
``outputId`` per cell and the outputs the student's session printed; it may drop metadata it
does not know (nbgrader's marks: the worst case, made here). The fixture is the example
class's alice (all correct) and bob (the release untouched), saved that way."""

import contextlib
import io
import json
import secrets
from pathlib import Path

import pytest

from rnn_course.cli import main

CLASS = Path(__file__).resolve().parents[2] / "examples" / "class"
FAKE_PASS = "rnn_cell_forward: all checks passed (6 cases: shapes, values, cache layout, " \
            "inputs unchanged).\n"


def colab_cell_id():
    return secrets.token_urlsafe(9)[:12]  # Colab's ids look like "hT3k0_xq1Zb9"


def saved_by_colab(path: Path, target: Path) -> Path:
    """``path`` as Colab writes it after a session in which every code cell ran and each
    check cell printed that all checks passed."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["nbformat_minor"] = 0
    notebook["metadata"] = {
        "colab": {"provenance": [], "name": target.name, "toc_visible": True},
        "accelerator": "GPU", "gpuClass": "standard",
        "kernelspec": {"name": "python3", "display_name": "Python 3"},
        "language_info": {"name": "python"}}
    for number, cell in enumerate(notebook["cells"], start=1):
        cell.pop("id", None)
        cell["metadata"] = {"id": colab_cell_id()}
        if cell["cell_type"] != "code":
            continue
        cell["metadata"].update({"colab": {"base_uri": "https://localhost:8080/"},
                                 "outputId": secrets.token_hex(4)})
        cell["execution_count"] = number
        cell["outputs"] = ([{"output_type": "stream", "name": "stdout", "text": [FAKE_PASS]}]
                           if "check_rnn_cell_forward(" in "".join(cell["source"]) else [])
    target.write_text(json.dumps(notebook, indent=2), encoding="utf-8")
    return target


def grade(notebook: Path) -> dict:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["grade", str(notebook), "--lessons", "01", "--json", "-"])
    assert code == 0, stderr.getvalue()
    return json.loads(stdout.getvalue())


@pytest.mark.parametrize("student, points", [("alice", 2), ("bob", 0)])
def test_a_notebook_saved_by_colab_gets_the_verdict_of_its_code(student, points, tmp_path):
    saved = saved_by_colab(CLASS / student / "01_rnn_cell_forward.ipynb",
                           tmp_path / "01_rnn_cell_forward.ipynb")
    assert '"id": "colab-setup"' not in saved.read_text()  # the ids are Colab's now
    [exercise] = grade(saved)["exercises"]
    assert (exercise["exercise"], exercise["points"]) == ("rnn_cell_forward", points)
    assert exercise["status"] == ("passed" if points else "failed"), exercise["message"]
