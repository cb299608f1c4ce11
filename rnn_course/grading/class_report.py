"""``rnn-course report OUT``: what a graded class got wrong, for the instructor on Monday.

Read from OUT/grades.csv (written by ``rnn-course grade ... --out OUT``) and the course's
releases; written as OUT/report.md (a terminal, a forum post) and OUT/report.html (one file,
pictures embedded, opened in a browser):
- per lesson and exercise: handed in, passed, failed, error, timeout, missing, the pass rate;
- per exercise the named mistakes (grades.csv's ``mistake`` codes, docs/mistakes.md) with how
  many students made each, and who (only with ``names``: anonymous by default, so that the
  report can be shown to the class);
- the score distribution and the pass rates, as plots;
- what to re-teach: the three most frequent mistakes, each with the lesson section that
  explains the exercise;
- optionally the similar pairs of graded cells (grading/similarity.py).
Everything a student wrote (an id, a message) is escaped: nothing in it runs in the browser.
"""

import base64
import csv
import html
import io
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rnn_course.grading.batch import GradeError
from rnn_course.grading.course import Course, load_course, nbgrader
from rnn_course.grading.mistakes import catalogue
from rnn_course.grading.report import restored_cell, write_text_atomic
from rnn_course.grading.similarity import SIMILARITY_NOTE, Pair

STATUSES = ("passed", "failed", "error", "timeout", "missing")
MAX_ROWS = 200_000  # rows of grades.csv read (a class of 2,000 with 100 exercises)
TOP = 3  # mistakes in "what to re-teach"
NEAR_BEST = 0.8  # a section scoring this share of the best one counts as explaining the mistake


@dataclass
class ExerciseCount:
    """One exercise of one lesson across the class."""

    lesson: str
    function: str
    statuses: Counter = field(default_factory=Counter)
    mistakes: dict[str, list[str]] = field(default_factory=dict)  # code -> students

    @property
    def handed_in(self) -> int:
        return sum(self.statuses.values()) - self.statuses["missing"]

    @property
    def pass_rate(self) -> float:
        total = sum(self.statuses.values())
        return self.statuses["passed"] / total if total else 0.0


@dataclass
class ClassReport:
    exercises: list[ExerciseCount]
    scores: dict[str, tuple[float, float]]  # student -> (points, max_points)
    sections: dict[str, list[tuple[str, str]]]  # function -> its lesson's sections before it
    explanations: dict[str, str]  # mistake code -> what the student is told
    similar: list[Pair] = field(default_factory=list)

    def where_explained(self, code: str, function: str) -> str:
        """The lesson section to re-teach for mistake ``code`` of ``function``."""
        return section_for(self.sections.get(function, []), self.explanations.get(code, ""))

    def top_mistakes(self, count: int = TOP) -> list[tuple[str, str, int]]:
        """(code, function, students) of the most frequent mistakes, most frequent first."""
        found = [(code, exercise.function, len(students)) for exercise in self.exercises
                 for code, students in exercise.mistakes.items()]
        return sorted(found, key=lambda item: (-item[2], item[0]))[:count]


def read_grades(out: Path) -> list[dict]:
    """The rows of OUT/grades.csv (student ids as they were, before the grader neutralised
    formula-like cells); GradeError when there is none or it is not the grader's."""
    path = Path(out) / "grades.csv"
    if not path.is_file():
        raise GradeError(f"{path} not found: grade the class first (rnn-course grade "
                         "SUBMISSIONS --out OUT)")
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        needed = {"student", "notebook", "exercise", "points", "max_points", "status"}
        if not needed <= set(reader.fieldnames or ()):
            raise GradeError(f"{path} is not a grades.csv of rnn-course grade (its header: "
                             f"{','.join(reader.fieldnames or [])[:200]})")
        rows = []
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise GradeError(f"{path} has more than {MAX_ROWS} rows")
            rows.append({**row, "student": restored_cell(row["student"])})
    return rows


def count_class(rows: list[dict], course: "Course | None" = None) -> ClassReport:
    """The counts of the report from the rows of grades.csv."""
    exercises, scores = {}, {}
    for row in rows:
        key = (row["notebook"], row["exercise"])
        exercise = exercises.setdefault(key, ExerciseCount(
            row["notebook"].removesuffix(".ipynb"), row["exercise"]))
        status = row["status"] if row["status"] in STATUSES else "error"
        exercise.statuses[status] += 1
        if row.get("mistake") and status == "failed":
            exercise.mistakes.setdefault(row["mistake"], []).append(row["student"])
        points, maximum = scores.get(row["student"], (0.0, 0.0))
        scores[row["student"]] = (points + _float(row["points"]),
                                  maximum + _float(row["max_points"]))
    explanations = {code: text for codes in catalogue().values() for code, text in codes.items()}
    return ClassReport(sorted(exercises.values(), key=lambda e: (e.lesson, _order(course, e))),
                       scores, sections_of(course) if course else {}, explanations)


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


def _order(course, exercise):
    """The exercise's place in its lesson (the notebook's order), else its name."""
    for lesson in course.lessons if course else ():
        names = [graded.function for graded in lesson.exercises]
        if lesson.name == exercise.lesson and exercise.function in names:
            return f"{names.index(exercise.function):04d}"
    return exercise.function


def sections_of(course: Course) -> dict[str, list[tuple[str, str]]]:
    """function -> [(heading, text)] of the lesson sections before its graded cell (the "Your
    turn" headings aside): where the lesson explains what the exercise computes."""
    found = {}
    for lesson in course.lessons:
        sections = []
        for cell in lesson.release.cells:
            if cell.cell_type == "markdown":
                for line in cell.source.splitlines():
                    match = re.match(r"^#{2,3}\s+(.+)", line)
                    if match:
                        sections.append([match.group(1).strip(), ""])
                    elif sections:
                        sections[-1][1] += line + "\n"
            if nbgrader(cell).get("solution"):
                found[nbgrader(cell).get("grade_id") or cell.id] = [
                    (f"{lesson.name}, section \u201c{heading}\u201d", text)
                    for heading, text in sections if not heading.lower().startswith("your turn")]
    return found


def _words(text: str) -> set[str]:
    """The words of ``text``, code and LaTeX alike: W_{ax}, Wax and W_ax are all "wax"."""
    flat = re.sub(r"[_{}\\]", "", text.lower())
    return set(re.findall(r"[a-z][a-z0-9]+", flat)) - {"the", "and", "of", "to", "is", "in"}


def section_for(sections: list[tuple[str, str]], explanation: str) -> str:
    """The section that shares the most telling words with the mistake's explanation (words
    weighted by how few sections use them; the last such section on a tie): where to send a
    student who made it. The goals and prerequisites are never it."""
    candidates = [s for s in sections if not s[0].lower().endswith("goal and prerequisites\u201d")]
    if not candidates:
        return "the lesson"
    words = [_words(heading + " " + text) for heading, text in candidates]
    rarity = {word: math.log(len(words) / sum(word in w for w in words))
              for word in set().union(*words)}
    wanted = _words(explanation)
    scores = [sum(rarity[word] for word in wanted & w) for w in words]
    # the lesson builds up to its exercise: of the sections that score near the best, the last
    good = [index for index, score in enumerate(scores) if score >= NEAR_BEST * max(scores)]
    return candidates[good[-1]][0]


# ---- plots -------------------------------------------------------------------------------------


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def score_plot(report: ClassReport) -> str:
    """A histogram of the students' scores (percent of the points), as base64 PNG."""
    from matplotlib.figure import Figure  # drawn without pyplot: no backend, no window
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(6, 3))
    axes = figure.add_subplot()
    shares = [100 * points / maximum for points, maximum in report.scores.values() if maximum]
    axes.hist(shares, bins=range(0, 105, 5), color="#3b6ea5", edgecolor="white")
    axes.set(xlabel="score (% of the points)", ylabel="students", xlim=(0, 100))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # whole students
    figure.tight_layout()
    return _png(figure)


def pass_rate_plot(report: ClassReport) -> str:
    """The pass rate of every exercise, as base64 PNG."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 0.6 + 0.3 * len(report.exercises)))
    axes = figure.add_subplot()
    labels = [f"{e.lesson[:2]} {e.function}" for e in report.exercises]
    axes.barh(labels[::-1], [100 * e.pass_rate for e in report.exercises][::-1],
              color="#4c9a5b")
    axes.set(xlabel="passed (% of the class)", xlim=(0, 100))
    figure.tight_layout()
    return _png(figure)


# ---- the two files -----------------------------------------------------------------------------


def _who(students: list[str], names: bool) -> str:
    return ", ".join(sorted(students)) if names else ""


def markdown(report: ClassReport, names: bool = False) -> str:
    """report.md. Student text is escaped for Markdown and HTML (a forum renders both)."""
    students = len(report.scores)
    lines = ["# What the class got wrong", "",
             f"{students} students, {len(report.exercises)} exercises. Student ids are "
             + ("shown." if names else "not shown (rnn-course report --names shows them)."), "",
             "## What to re-teach", ""]
    for rank, (code, function, count) in enumerate(report.top_mistakes(), start=1):
        lines.append(f"{rank}. `{code}`: {count} of {students} students. "
                     f"{_line(report.explanations.get(code, ''))} "
                     f"Explained in {report.where_explained(code, function)}.")
    if not report.top_mistakes():
        lines.append("No named mistake in this class.")
    lines += ["", "## Per exercise", "",
              "| lesson | exercise | handed in | passed | failed | error | timeout | missing "
              "| pass rate |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for e in report.exercises:
        counts = " | ".join(str(e.statuses[s]) for s in STATUSES)
        lines.append(f"| {e.lesson} | `{e.function}` | {e.handed_in} | {counts} | "
                     f"{100 * e.pass_rate:.0f}% |")
    lines += ["", "## Named mistakes", ""]
    for e in report.exercises:
        if e.mistakes:
            lines += [f"### `{e.function}` ({e.lesson})", ""]
            for code, who in sorted(e.mistakes.items(), key=lambda item: (-len(item[1]),
                                                                         item[0])):
                listed = _who(who, names)
                lines.append(f"- `{code}`: {_students(len(who))}" +
                             (f" ({_md(listed)})" if listed else ""))
            lines.append("")
    lines += _similar_markdown(report, names)
    return "\n".join(lines).rstrip("\n") + "\n"


def _students(count: int) -> str:
    return f"{count} student" + ("" if count == 1 else "s")


def _line(text: str) -> str:
    """Course text on one line (it is ours: Markdown in it is meant)."""
    return " ".join(str(text).split())


def _md(text: str) -> str:
    """Student or course text made inert in Markdown: one line, HTML escaped, no table break."""
    text = html.escape(" ".join(str(text).split()))
    return re.sub(r"([\\`*_\[\]|#<>])", r"\\\1", text)


def _similar_markdown(report, names):
    if not report.similar:
        return []
    lines = ["## Similar graded cells", "", SIMILARITY_NOTE, ""]
    if not names:
        return lines + [f"{len(report.similar)} pairs above the threshold (their ids: "
                        "rnn-course report --names).", ""]
    for pair in report.similar:
        lines.append(f"- `{pair.function}`: {_md(pair.first)} and {_md(pair.second)}, "
                     f"{pair.similarity:.0%} similar")
    return lines + [""]


def html_page(report: ClassReport, names: bool = False) -> str:
    """report.html: one self-contained page (plots embedded as PNG data)."""
    e = html.escape
    students = len(report.scores)
    rows = "".join(
        f"<tr><td>{e(x.lesson)}</td><td>{e(x.function)}</td><td>{x.handed_in}</td>"
        + "".join(f"<td>{x.statuses[s]}</td>" for s in STATUSES)
        + f"<td>{100 * x.pass_rate:.0f}%</td></tr>" for x in report.exercises)
    teach = "".join(
        f"<li><code>{e(code)}</code>: {count} of {students} students. "
        f"{e(report.explanations.get(code, ''))} Explained in "
        f"{e(report.where_explained(code, function))}.</li>"
        for code, function, count in report.top_mistakes()) or "<li>No named mistake.</li>"
    named = "".join(_html_mistakes(x, names) for x in report.exercises if x.mistakes)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>What the class got wrong</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222;background:#fff}}
table{{border-collapse:collapse}}td,th{{border:1px solid #bbb;padding:.2em .5em}}
pre{{background:#f4f4f4;padding:.5em;overflow:auto;white-space:pre-wrap}}
.pair{{display:flex;gap:1em}}.pair>div{{flex:1;min-width:0}}</style></head><body>
<h1>What the class got wrong</h1>
<p>{students} students, {len(report.exercises)} exercises. Student ids are
{"shown" if names else "not shown (rnn-course report --names shows them)"}.</p>
<h2>What to re-teach</h2><ol id="reteach">{teach}</ol>
<h2>Scores</h2>
<img id="scores" alt="Histogram of the students' scores, in percent of the points"
 src="data:image/png;base64,{score_plot(report)}">
<img id="pass-rates" alt="Pass rate of every exercise, in percent of the class"
 src="data:image/png;base64,{pass_rate_plot(report)}">
<h2>Per exercise</h2>
<table id="exercises"><tr><th>lesson</th><th>exercise</th><th>handed in</th>
{"".join(f"<th>{s}</th>" for s in STATUSES)}<th>pass rate</th></tr>{rows}</table>
<h2>Named mistakes</h2>{named or "<p>None.</p>"}
{_similar_html(report, names)}
</body></html>
"""


def _html_mistakes(exercise, names):
    e = html.escape
    items = "".join(
        f"<li><code>{e(code)}</code>: {_students(len(who))}"
        + (f" ({e(_who(who, names))})" if names else "") + "</li>"
        for code, who in sorted(exercise.mistakes.items(), key=lambda i: (-len(i[1]), i[0])))
    return f"<h3>{e(exercise.function)} ({e(exercise.lesson)})</h3><ul>{items}</ul>"


def _similar_html(report, names):
    if not report.similar:
        return ""
    e = html.escape
    head = f"<h2>Similar graded cells</h2><p>{e(SIMILARITY_NOTE)}</p>"
    if not names:
        return head + (f"<p>{len(report.similar)} pairs above the threshold (their ids: "
                       "rnn-course report --names).</p>")
    pairs = "".join(
        f"<h3>{e(pair.function)}: {e(pair.first)} and {e(pair.second)}, "
        f"{pair.similarity:.0%} similar</h3><div class=\"pair\"><div><pre>{e(pair.first_code)}"
        f"</pre></div><div><pre>{e(pair.second_code)}</pre></div></div>"
        for pair in report.similar)
    return head + pairs


def write_report(out: "Path | str", course_root: "Path | str", names: bool = False,
                 similar: "list[Pair] | None" = None) -> list[Path]:
    """Write OUT/report.md and OUT/report.html; returns their paths."""
    out = Path(out)
    course = load_course(Path(course_root))
    report = count_class(read_grades(out), course)
    report.similar = similar or []
    written = [out / "report.md", out / "report.html"]
    write_text_atomic(written[0], markdown(report, names))
    write_text_atomic(written[1], html_page(report, names))
    return written
