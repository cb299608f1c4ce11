"""Similar graded cells: a planted copy (renamed, reordered, comments gone) is flagged, honest
solutions written differently are not, and the release's scaffolding matches nothing."""

import pytest
from support.course import MAKE, ROOT
from support.lesson01 import write_class

from rnn_course.cli import main
from rnn_course.grading.course import load_course
from rnn_course.grading.similarity import class_pairs

pytest.importorskip("copydetect")
LESSON = "02_rnn_forward"
RELEASE = MAKE.release(LESSON)
ORIGINAL = MAKE.answer("rnn_forward")
HEADER = ORIGINAL.split('    """', 2)
SIGNATURE_AND_DOCSTRING = HEADER[0] + '    """' + HEADER[1] + '    """\n'
BODY = ORIGINAL[len(SIGNATURE_AND_DOCSTRING):]
RENAMES = [("caches", "memo"), ("a_next", "h"), ("y_pred", "outputs"), ("yt_pred", "out"),
           ("T_x", "steps"), ("cache", "kept")]


def planted_copy():
    """The original with every variable renamed, independent lines swapped and moved, and the
    comments dropped: what a student hiding a copy does."""
    lines = [line.split("  #")[0].rstrip() for line in BODY.splitlines()
             if not line.strip().startswith("#")]
    first = next(i for i, line in enumerate(lines) if "np.zeros((n_a" in line)
    second = next(i for i, line in enumerate(lines) if "np.zeros((n_y" in line)
    lines[first], lines[second] = lines[second], lines[first]
    moved = lines.pop(next(i for i, line in enumerate(lines) if "caches = []" in line))
    lines.insert(next(i for i, line in enumerate(lines) if "for t in" in line), moved)
    body = "\n".join(lines) + "\n"
    for old, new in RENAMES:
        body = body.replace(old, new)
    return SIGNATURE_AND_DOCSTRING + body.replace(" a = ", " states = ").replace(
        "a[:, :, t]", "states[:, :, t]").replace("return a,", "return states,")


HONEST_STACK = SIGNATURE_AND_DOCSTRING + """\
    states, predictions, step_caches = [], [], []
    state = a0
    for xt in np.moveaxis(x, 2, 0):
        state, prediction, step_cache = rnn_cell_forward(xt, state, parameters)
        states.append(state)
        predictions.append(prediction)
        step_caches.append(step_cache)
    return np.stack(states, axis=2), np.stack(predictions, axis=2), (step_caches, x)
"""
HONEST_WHILE = SIGNATURE_AND_DOCSTRING + """\
    T = x.shape[2]
    outputs = [rnn_cell_forward(x[:, :, 0], a0, parameters)]
    t = 1
    while t < T:
        outputs.append(rnn_cell_forward(x[:, :, t], outputs[-1][0], parameters))
        t += 1
    a = np.concatenate([o[0][:, :, None] for o in outputs], axis=-1)
    y = np.concatenate([o[1][:, :, None] for o in outputs], axis=-1)
    return a, y, ([o[2] for o in outputs], x)
"""


@pytest.fixture(scope="module")
def pairs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("similar") / "class"
    sources = {"ann": ORIGINAL, "ben": planted_copy(), "cem": HONEST_STACK,
               "dia": HONEST_WHILE, "eve": None}  # eve: the release, untouched
    write_class(folder, {student: {f"{LESSON}.ipynb": MAKE.with_source(
        RELEASE, "rnn_forward", source) if source else RELEASE}
        for student, source in sources.items()})
    found = class_pairs(folder, load_course(ROOT, ["02"]))
    return {(pair.first, pair.second): pair for pair in found}, folder


def test_the_planted_copy_is_flagged_and_honest_solutions_are_not(pairs):
    found, _ = pairs
    assert set(found) == {("ann", "ben")}
    assert found[("ann", "ben")].similarity >= 0.6
    assert "memo" in found[("ann", "ben")].second_code


def test_the_copy_really_is_disguised():
    copy = planted_copy()
    assert "caches" not in copy.split('"""')[2] and "#" not in copy.split('"""')[2]
    assert copy != ORIGINAL and copy.count("np.zeros") == 2
    body = copy.split('"""')[2]
    assert body.index("memo = []") > body.index("np.zeros((n_y")  # moved below the zeros


def test_the_command_lists_the_pair(pairs, capsys):
    _, folder = pairs
    assert main(["similarity", str(folder), "--course", str(ROOT)]) == 0
    out = capsys.readouterr()
    assert "rnn_forward: 'ann' and 'ben'" in out.out and "similar by nature" in out.out
    assert "1 similar pairs" in out.err
