"""One symbol, one meaning: the lessons' LaTeX against docs/notation.md, and what every lesson
states at its top (the notation link, its expected time).

The patterns below are second meanings the course once had; a lesson that brings one back fails
here with the line to fix. Only the markdown of the lesson sources is read (the prose and its
formulas), not the code, and the "to PyTorch" sections may use PyTorch's own names.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The lessons this table covers; a new lesson joins the list once it follows docs/notation.md.
LESSONS = sorted(path for path in (ROOT / "solutions").glob("0[1-8]_*.py"))

# pattern (in a formula) -> why it is a second meaning
FORBIDDEN = {
    r"(?<![a-zA-Z\\])d?z_(?:\{)?[fgico\\](?![a-zA-Z])":
        "a gate's pre-activation is u_f, u_i, u_c, u_o (u_\\star); z is the output scores",
    r"\\delta(?!_\{?[a-z]{2}\}?)": "delta is only the Kronecker delta delta_{kj}; the full "
                                   "gradient reaching a<t> is gamma<t>",
    r"(?<![a-zA-Z\\])s\^\{\\langle": "the LSTM's stack is chi<t>; s is the scale of W_aa",
    r"(?<![a-zA-Z\\{])[fg]'": "f is the forget gate and g the gradient vector: an activation's "
                              "slope is phi'",
    r"(?<![a-zA-Z\\_])[WbuJ]_g(?![a-zA-Z])":
        "a gate letter in general is \\star (W_\\star, u_\\star)",
    r"\\lambda_i": "lambda is an eigenvalue (lesson 07); the bigram's multiplier is nu_i",
}
# symbols that mean one thing, so may appear only in the lessons that use that meaning
ONLY_IN = {
    r"\\tau(?![a-zA-Z])": ({"08"}, "tau is the sampling temperature (the clipping threshold "
                                    "is kappa)"),
    r"\\kappa(?![a-zA-Z])": ({"07"}, "kappa is the clipping threshold"),
    r"\\gamma(?![a-zA-Z])": ({"04"}, "gamma<t> is lesson 04's full gradient dL/da<t>"),
    r"\\chi(?![a-zA-Z])": ({"05", "06"}, "chi is the LSTM's stack [a_prev; x]"),
    r"\\epsilon(?![a-zA-Z])": ({"08"}, "epsilon_A is Adagrad's constant (the finite-difference "
                                       "step is varepsilon)"),
}


def markdown_cells(path):
    """The markdown cells of a py:percent lesson: list of (first line number, text)."""
    cells, current, start, kind = [], [], 0, None
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if line.startswith("# %%"):
            if kind == "markdown":
                cells.append((start, "\n".join(current)))
            kind = "markdown" if "[markdown]" in line else "code"
            current, start = [], number + 1
        elif kind == "markdown":
            current.append(line[2:] if line.startswith("# ") else line.lstrip("#"))
    if kind == "markdown":
        cells.append((start, "\n".join(current)))
    return cells


def formulas(path):
    """Every LaTeX formula of a lesson's prose, outside its "to PyTorch" sections:
    (line number, formula)."""
    found = []
    for start, text in markdown_cells(path):
        text = re.split(r"\n## From this notebook to PyTorch", text)[0]
        if text.startswith("## From this notebook to PyTorch"):
            continue
        for match in re.finditer(r"\$\$.*?\$\$|\$[^$]+\$", text, flags=re.S):
            found.append((start + text.count("\n", 0, match.start()), match.group()))
    return found


def test_every_lesson_has_formulas():
    assert len(LESSONS) == 8
    for path in LESSONS:
        assert formulas(path), path.name


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_no_symbol_has_a_second_meaning(path):
    number = path.name[:2]
    problems = []
    for line, formula in formulas(path):
        for pattern, why in FORBIDDEN.items():
            if re.search(pattern, formula):
                problems.append(f"{path.name}:{line}: {formula[:60]!r}: {why}")
        for pattern, (lessons, why) in ONLY_IN.items():
            if number not in lessons and re.search(pattern, formula):
                problems.append(f"{path.name}:{line}: {formula[:60]!r}: {why}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_each_lesson_links_the_notation_and_states_its_time(path):
    first = markdown_cells(path)[0][1]
    assert "docs/notation.md" in first, f"{path.name}: link docs/notation.md near the top"
    assert re.search(r"\*\*Time\.\*\* About \d+ minutes", first), (
        f"{path.name}: state the expected time at the top (\"**Time.** About N minutes ...\")")


@pytest.mark.parametrize("path", LESSONS, ids=lambda path: path.stem)
def test_going_further_is_last_and_holds_nothing_graded(path):
    """A "Going further" section, where a lesson has one, comes after every graded cell."""
    text = path.read_text()
    if "## Going further" not in text:
        return
    start = text.index("## Going further")
    assert "### BEGIN SOLUTION" not in text[start:], f"{path.name}: a graded cell in Going further"
    assert "points=" not in text[start:], f"{path.name}: a check cell in Going further"


def test_the_lint_catches_what_it_should():
    samples = {r"$dz_g = W_g s$": True, r"$du_\star = W_\star \chi$": False,
               r"$\delta^{\langle t \rangle}$": True, r"$\delta_{kj}$": False,
               r"$f'(u)$": True, r"$\phi'(u)$": False, r"$z^{\langle t \rangle}$": False,
               r"$s^{\langle t \rangle}$": True, r"$J_g$": True, r"$J_\psi$": False}
    for formula, flagged in samples.items():
        hits = [pattern for pattern in FORBIDDEN if re.search(pattern, formula)]
        assert bool(hits) == flagged, (formula, hits)
