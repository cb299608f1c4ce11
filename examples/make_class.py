"""Make the example class: a few students of lessons 01-02, 08 and 09 whose grades are known.

    .venv/bin/python examples/make_class.py [FOLDER]     (default: examples/class)

Each student's notebooks are made from the release notebooks (notebooks/) and the answers in
the lesson sources (solutions/*.py), so that the class follows the course when it changes;
tests/grading/test_example_class.py fails when the committed class differs from what this script
makes. FOLDER/expected.csv holds the verdict each exercise of lessons 01-02 must get, and why;
FOLDER/expected_08.csv the same for lesson 08, which two of the students hand in (it is graded
apart: its notebook trains models and takes longer), FOLDER/expected_09.csv for lesson 09 (the
GRU), which two of the students hand in.

Try it: make grade SUBMISSIONS=examples/class OUT=/tmp/grade-out
"""

import copy
import csv
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rnn_course.authoring.lesson import read_lesson, without_markers  # noqa: E402

LESSONS = ("01_rnn_cell_forward", "02_rnn_forward")
POINTS = {"rnn_cell_forward": 2, "rnn_forward": 3}
LESSON_08 = "08_character_language_model"
POINTS_08 = {"sample": 3, "sgd_update": 1, "adagrad_update": 2, "training_step": 3,
             "train_truncated": 3, "loss_per_character": 2}
LESSON_09 = "09_gru"
POINTS_09 = {"gru_cell_forward": 3, "gru_forward": 2, "gru_cell_backward": 5, "gru_backward": 3}
PASS_LINE = ("rnn_cell_forward: all checks passed (6 cases: shapes, values, cache layout, "
             "inputs unchanged).\n")


def release(lesson):
    """The cells of the release notebook, as JSON dicts."""
    return json.loads((ROOT / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8"))


def answer(function):
    """The full solution of a graded function, from its lesson source."""
    for lesson in (*LESSONS, LESSON_08, LESSON_09):
        for entry in read_lesson(ROOT / "solutions" / f"{lesson}.py").cells:
            if entry.role == "graded" and entry.grade_id == function:
                return without_markers(entry.cell.source)
    raise KeyError(function)


def variant(function, old, new):
    """The solution with one seeded change; stops when the solution no longer contains ``old``."""
    source = answer(function)
    if old not in source:
        raise SystemExit(f"make_class: the solution of {function} no longer contains {old!r}")
    return source.replace(old, new, 1)


def cell_index(notebook, cell_id):
    return next(i for i, cell in enumerate(notebook["cells"]) if cell.get("id") == cell_id)


def with_source(notebook, cell_id, source):
    """A copy of ``notebook`` whose cell ``cell_id`` holds ``source``."""
    notebook = copy.deepcopy(notebook)
    notebook["cells"][cell_index(notebook, cell_id)]["source"] = source
    return notebook


def with_added(notebook, after_id, source):
    """A copy with a code cell of the student's own inserted after cell ``after_id``."""
    notebook = copy.deepcopy(notebook)
    cell = {"cell_type": "code", "execution_count": None, "id": f"student-{after_id}",
            "metadata": {}, "outputs": [], "source": source}
    notebook["cells"].insert(cell_index(notebook, after_id) + 1, cell)
    return notebook


def without_ids(notebook):
    """As an old editor saves it: nbformat 4.4, no cell ids, no cell metadata."""
    notebook = copy.deepcopy(notebook)
    notebook["nbformat_minor"] = 4
    for cell in notebook["cells"]:
        cell.pop("id", None)
        cell["metadata"] = {}
    return notebook


def tampered_check(notebook):
    """The check cell replaced by a print of the success line, its output pasted in."""
    notebook = with_source(notebook, "check_rnn_cell_forward", f"print({PASS_LINE.strip()!r})")
    cell = notebook["cells"][cell_index(notebook, "check_rnn_cell_forward")]
    cell["execution_count"] = 3
    cell["outputs"] = [{"name": "stdout", "output_type": "stream", "text": PASS_LINE}]
    return notebook


def edited_import_and_deleted_graded(notebook):
    """The locked import cell edited to take rnn_forward from the reference; graded cell gone."""
    import_id = "cell-01"
    source = "".join(notebook["cells"][cell_index(notebook, import_id)]["source"])
    notebook = with_source(notebook, import_id,
                           source.rstrip("\n") + "\nfrom rnn_utils.reference import rnn_forward\n")
    del notebook["cells"][cell_index(notebook, "rnn_forward")]
    return notebook


def lesson_08_answers(**changed):
    """The release of lesson 08 with every graded cell answered; ``changed`` maps a function
    to its answer (a seeded bug) instead of the solution."""
    notebook = release(LESSON_08)
    for function in POINTS_08:
        notebook = with_source(notebook, function, changed.get(function, answer(function)))
    return notebook


def lesson_08_students():
    """student -> (notebook JSON, {function: (status, why)})."""
    correct = {function: ("passed", "correct") for function in POINTS_08}
    return {
        "alice": (lesson_08_answers(), correct),
        "frank": (lesson_08_answers(
            sample=variant("sample", "int(rng.choice(n_x, p=probabilities[:, 0]))",
                           "int(np.argmax(probabilities))"),
            train_truncated=variant("train_truncated", "y[:, :, window], a_prev, parameters",
                                    "y[:, :, window], a0, parameters")),
            {**correct, "sample": ("failed", "seeded bug: argmax instead of a draw"),
             "train_truncated": ("failed", "seeded bug: the state is not carried")}),
    }


def lesson_09_answers(**changed):
    """The release of lesson 09 with every graded cell answered; ``changed`` maps a function
    to its answer (a seeded bug) instead of the solution."""
    notebook = release(LESSON_09)
    for function in POINTS_09:
        notebook = with_source(notebook, function, changed.get(function, answer(function)))
    return notebook


def lesson_09_students():
    """student -> (notebook JSON, {function: (status, why)})."""
    correct = {function: ("passed", "correct") for function in POINTS_09}
    return {
        "alice": (lesson_09_answers(), correct),
        "carol": (lesson_09_answers(
            gru_cell_forward=variant("gru_cell_forward", "a_next = zt * a_prev + (1 - zt) * hht",
                                     "a_next = (1 - zt) * a_prev + zt * hht"),
            gru_backward=variant("gru_backward", "gru_cell_backward(da[:, :, t] + da_carried,",
                                 "gru_cell_backward(da[:, :, t],")),
            {**correct, "gru_cell_forward": ("failed", "seeded bug: z and 1 - z swapped"),
             "gru_backward": ("failed", "seeded bug: the gradient from step t+1 is forgotten")}),
    }


def students():
    """student -> (lesson -> notebook JSON, other files, expected rows)."""
    one, two = release(LESSONS[0]), release(LESSONS[1])
    noisy = variant("rnn_forward", "    caches = (caches, x)\n",
                    "    print('debugging: done with', T_x, 'steps')\n"
                    "    import warnings\n"
                    "    warnings.warn('a warning from my rnn_forward')\n"
                    "    caches = (caches, x)\n")
    return {
        "alice": ({
            LESSONS[0]: with_source(one, "rnn_cell_forward", answer("rnn_cell_forward")),
            LESSONS[1]: with_source(two, "rnn_forward", answer("rnn_forward")),
        }, {}, [("passed", "correct"), ("passed", "correct")]),
        "bob": ({LESSONS[0]: one, LESSONS[1]: two}, {},
                [("failed", "the release, untouched"), ("failed", "the release, untouched")]),
        "carol": ({
            LESSONS[0]: with_source(one, "rnn_cell_forward", variant(
                "rnn_cell_forward", "Waa @ a_prev + ba)", "Waa @ a_prev)")),
            LESSONS[1]: with_added(with_source(two, "rnn_forward", noisy), "cell-01",
                                   "raise ValueError('a cell of my own that fails')\n"),
        }, {}, [("failed", "seeded bug: the bias ba is missing"),
                ("passed", "correct, prints and warns; an added cell raises")]),
        "dave": ({LESSONS[0]: with_source(one, "rnn_cell_forward", answer("rnn_cell_forward"))},
                 {"notes.txt": "my notes, not a lesson\n"},
                 [("passed", "correct"), ("missing", "lesson 02 not handed in")]),
        "erin": ({
            LESSONS[0]: tampered_check(one),
            LESSONS[1]: edited_import_and_deleted_graded(two),
        }, {}, [("failed", "stub; check cell replaced by a print, expected output pasted"),
                ("failed", "graded cell deleted; locked import edited to the reference")]),
        "frank": ({
            LESSONS[0]: without_ids(with_source(one, "rnn_cell_forward",
                                                answer("rnn_cell_forward"))),
            LESSONS[1]: with_source(two, "rnn_forward", variant(
                "rnn_forward", "rnn_cell_forward(x[:, :, t], a_next, parameters)",
                "rnn_cell_forward(x[:, :, t], a0, parameters)")),
        }, {}, [("passed", "correct, saved without cell ids or metadata"),
                ("failed", "seeded bug: the state is not carried from step to step")]),
    }


def expected_lesson_csv(table, lesson, points_of):
    """The expected verdicts of one lesson graded apart (08 or 09), as CSV text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "notebook", "exercise", "points", "max_points", "status", "why"])
    for student, (_, verdicts) in sorted(table.items()):
        for function, (status, why) in verdicts.items():
            points = points_of[function] if status == "passed" else 0
            writer.writerow([student, f"{lesson}.ipynb", function, points,
                             points_of[function], status, why])
    return buffer.getvalue()


def expected_csv(table):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "notebook", "exercise", "points", "max_points", "status", "why"])
    functions = list(POINTS)
    for student, (_, _, verdicts) in sorted(table.items()):
        for lesson, function, (status, why) in zip(LESSONS, functions, verdicts):
            points = POINTS[function] if status == "passed" else 0
            writer.writerow([student, f"{lesson}.ipynb", function, points, POINTS[function],
                             status, why])
    return buffer.getvalue()


def make_class(folder):
    """Write the class into ``folder`` (made if needed); returns the paths written."""
    folder = Path(folder)
    table = students()
    written = []
    for student, (notebooks, others, _) in table.items():
        (folder / student).mkdir(parents=True, exist_ok=True)
        files = {f"{lesson}.ipynb": json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
                 for lesson, nb in notebooks.items()}
        for name, text in {**files, **others}.items():
            (folder / student / name).write_text(text, encoding="utf-8")
            written.append(folder / student / name)
    apart = ((LESSON_08, lesson_08_students(), POINTS_08, "expected_08.csv"),
             (LESSON_09, lesson_09_students(), POINTS_09, "expected_09.csv"))
    for lesson, lesson_students, points_of, expected_name in apart:
        for student, (notebook, _) in lesson_students.items():
            path = folder / student / f"{lesson}.ipynb"
            path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n",
                            encoding="utf-8")
            written.append(path)
        (folder / expected_name).write_text(
            expected_lesson_csv(lesson_students, lesson, points_of), encoding="utf-8")
        written.append(folder / expected_name)
    (folder / "expected.csv").write_text(expected_csv(table), encoding="utf-8")
    return written + [folder / "expected.csv"]


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "examples" / "class"
    for path in make_class(target):
        print(path)
