"""rnn-course report: a class's mistakes at a glance, counted right, anonymous by default, safe
to open; the stable mistake codes and their list in docs/mistakes.md."""

import random
import re
from collections import Counter

import pytest
from support.course import ROOT

from rnn_course.cli import main
from rnn_course.grading.class_report import count_class, read_grades
from rnn_course.grading.course import load_course
from rnn_course.grading.mistakes import catalogue, markdown, mistake_code
from rnn_course.grading.report import write_outputs

COURSE = load_course(ROOT, ["01", "02", "07"])
HOSTILE = ['<script>alert("id")</script>', '"><img src=x onerror=alert(1)>', "=cmd|' /C calc'!A0",
           "a|b`c*_d_[e](javascript:alert(2))", "## heading\nnewline"]


def synthetic_class(size=200, seed=7, extra=()):
    """grades.csv rows of ``size`` students (plus ``extra`` ids) over lessons 01, 02 and 07,
    each status drawn with a seeded generator, each failure with a known mistake code."""
    rng = random.Random(seed)
    codes = catalogue()
    rows = []
    for student in [f"s{index:03d}" for index in range(size)] + list(extra):
        for lesson in COURSE.lessons:
            for exercise in lesson.exercises:
                status = rng.choices(["passed", "failed", "error", "timeout", "missing"],
                                     [6, 3, 1, 0.5, 1])[0]
                named = status == "failed" and rng.random() < 0.8
                mistake = rng.choice(sorted(codes[exercise.function])[:4]) if named else ""
                points = exercise.points if status == "passed" else 0
                rows.append({"student": student, "notebook": lesson.filename,
                             "exercise": exercise.function, "points": points,
                             "max_points": exercise.points, "status": status,
                             "message": f"{status} <b>{student}</b>", "mistake": mistake})
    return rows


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    rows = synthetic_class(extra=HOSTILE)
    write_outputs(out, rows, {})
    anonymous = out / "anonymous"
    anonymous.mkdir()
    write_outputs(anonymous, rows, {})
    assert main(["report", str(out), "--names", "--course", str(ROOT)]) == 0
    assert main(["report", str(anonymous), "--course", str(ROOT)]) == 0
    return {"rows": rows, "out": out, "anonymous": anonymous}


def test_the_counts_equal_the_grades(written):
    rows = read_grades(written["out"])
    report = count_class(rows, COURSE)
    for exercise in report.exercises:
        mine = [r for r in rows if r["exercise"] == exercise.function]
        assert exercise.statuses == Counter(r["status"] for r in mine)
        assert exercise.handed_in == sum(r["status"] != "missing" for r in mine)
        assert {code: sorted(who) for code, who in exercise.mistakes.items()} == {
            code: sorted(r["student"] for r in mine if r["mistake"] == code)
            for code in {r["mistake"] for r in mine if r["mistake"]}}
    text = (written["out"] / "report.md").read_text(encoding="utf-8")
    for exercise in report.exercises:  # the table says the same
        counts = " | ".join(str(exercise.statuses[s]) for s in
                            ("passed", "failed", "error", "timeout", "missing"))
        assert f"| `{exercise.function}` | {exercise.handed_in} | {counts} |" in text


def test_what_to_reteach_is_the_three_most_frequent_mistakes(written):
    made = Counter(r["mistake"] for r in written["rows"] if r["mistake"])
    top = sorted(made.items(), key=lambda item: (-item[1], item[0]))[:3]
    text = (written["out"] / "report.md").read_text(encoding="utf-8")
    reteach = text.split("## What to re-teach")[1].split("##")[0]
    for rank, (code, _count) in enumerate(top, start=1):
        students = len({r["student"] for r in written["rows"] if r["mistake"] == code})
        assert re.search(rf"^{rank}\. `{re.escape(code)}`: {students} of 205 students\. .*"
                         rf"Explained in \d\d_\w+, section “[^”]+”\.$", reteach, re.MULTILINE)


def test_the_report_is_anonymous_unless_asked(written):
    for name in ("report.md", "report.html"):
        anonymous = (written["anonymous"] / name).read_text(encoding="utf-8")
        assert "s000" not in anonymous and "s199" not in anonymous
        assert "onerror" not in anonymous and "alert" not in anonymous
        assert "s000" in (written["out"] / name).read_text(encoding="utf-8")


def test_student_text_is_escaped_in_both_files(written):
    page = (written["out"] / "report.html").read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;id&quot;)&lt;/script&gt;" in page
    assert len(re.findall(r"<script|<img(?! id=\"(scores|pass-rates)\")", page)) == 0
    text = (written["out"] / "report.md").read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text and "\n## heading" not in text
    assert "(javascript:alert(2))" not in text  # no live Markdown link


def test_mistake_codes_are_stable_and_listed_in_the_docs():
    assert (ROOT / "docs" / "mistakes.md").read_text(encoding="utf-8") == markdown(), (
        "a diagnosis was added, renamed or dropped: codes are kept across releases; if it is "
        "meant, run: .venv/bin/python -m rnn_course.grading.mistakes > docs/mistakes.md")
    codes = [code for codes in catalogue().values() for code in codes]
    assert len(codes) == len(set(codes)) > 150
    assert all(re.fullmatch(r"[a-z_0-9]+/[a-zA-Z0-9-]+", code) for code in codes)
    assert mistake_code("rnn_cell_forward", "missing_ba") == "rnn_cell_forward/missing-ba"
    assert mistake_code("clip", None) == ""


def test_a_folder_without_grades_is_a_clear_error(tmp_path, capsys):
    assert main(["report", str(tmp_path), "--course", str(ROOT)]) == 2
    assert "grades.csv not found" in capsys.readouterr().err
    (tmp_path / "grades.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["report", str(tmp_path), "--course", str(ROOT)]) == 2
    assert "is not a grades.csv" in capsys.readouterr().err


def test_the_html_opens_in_chromium_without_errors_and_shows_its_pictures(written):
    """A real browser: no console error, no script of a student runs, both plots decoded."""
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = "/usr/bin/chromium"
    if not __import__("os").path.exists(chromium):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    problems, dialogs = [], []
    with playwright.sync_playwright() as engine:
        browser = engine.chromium.launch(executable_path=chromium,
                                         args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto((written["out"] / "report.html").as_uri())
        widths = page.eval_on_selector_all("img", "images => images.map(i => i.naturalWidth)")
        reteach = page.inner_text("#reteach")
        body = page.inner_text("body")
        browser.close()
    assert problems == [] and dialogs == []
    assert len(widths) == 2 and all(width > 300 for width in widths)
    assert reteach.count("students") == 3
    assert '<script>alert("id")</script>' in body  # shown as text, never run


def test_similar_code_is_shown_side_by_side_as_text(written):
    from rnn_course.grading.class_report import html_page, markdown
    from rnn_course.grading.similarity import Pair

    report = count_class(read_grades(written["out"]), COURSE)
    report.similar = [Pair("clip", HOSTILE[0], HOSTILE[1], 0.91,
                           "x = 1  # </pre><script>alert(3)</script>", "y = '<b>'")]
    page = html_page(report, names=True)
    assert "<script>alert(3)" not in page and "&lt;/pre&gt;&lt;script&gt;alert(3)" in page
    assert page.count('<div class="pair">') == 1 and "91% similar" in page
    hidden = html_page(report, names=False) + markdown(report, names=False)
    assert HOSTILE[1][:10] not in hidden and "1 pairs above the threshold" in hidden
