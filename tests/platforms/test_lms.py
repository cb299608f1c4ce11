"""rnn-course export: Canvas's gradebook import CSV (its documented columns, a Points Possible
row, students matched through Canvas's own export) and a generic CSV; formulas neutralised."""

import csv

from rnn_course.cli import main
from rnn_course.grading.report import write_outputs
from rnn_course.platforms.lms import CANVAS_COLUMNS, safe_cell

ROWS = [  # two lessons, three students (one not in the roster), one hostile id
    ("ann", "01_rnn_cell_forward.ipynb", "rnn_cell_forward", 2, 2),
    ("ann", "02_rnn_forward.ipynb", "rnn_forward", 0, 3),
    ("=HYPERLINK(\"http://x\")", "01_rnn_cell_forward.ipynb", "rnn_cell_forward", 2, 2),
    ("=HYPERLINK(\"http://x\")", "02_rnn_forward.ipynb", "rnn_forward", 3, 3),
    ("zed", "01_rnn_cell_forward.ipynb", "rnn_cell_forward", 0, 2),
    ("zed", "02_rnn_forward.ipynb", "rnn_forward", 3, 3),
]
CANVAS_EXPORT = [  # as Canvas's Grades > Export writes it
    ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Quiz 1 (77)"],
    ["    Points Possible", "", "", "", "", "10"],
    ["Doe, Ann", "101", "S101", "ann", "RNN 2026", "8"],
    ["Evil, Eve", "102", "S102", "=HYPERLINK(\"http://x\")", "RNN 2026", ""],
    ["Absent, Al", "103", "S103", "al", "RNN 2026", ""],
]


def graded(folder):
    rows = [{"student": s, "notebook": n, "exercise": e, "points": p, "max_points": m,
             "status": "passed" if p else "failed", "message": "", "mistake": ""}
            for s, n, e, p, m in ROWS]
    write_outputs(folder, rows, {})
    return folder


def read(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_canvas_import_csv_has_canvas_columns_and_matches_through_the_roster(tmp_path, capsys):
    out = graded(tmp_path / "out")
    roster = tmp_path / "roster.csv"
    with open(roster, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(CANVAS_EXPORT)
    assert main(["export", "canvas", str(out), "--to", str(tmp_path / "canvas.csv"),
                 "--roster", str(roster), "--assignment", "01=Lesson 1 (1234)"]) == 0
    table = read(tmp_path / "canvas.csv")
    assert table[0] == [*CANVAS_COLUMNS, "Lesson 1 (1234)", "02_rnn_forward"]
    assert table[1] == ["Points Possible", "", "", "", "", "2", "3"]
    assert table[2] == ["Doe, Ann", "101", "S101", "ann", "RNN 2026", "2", "0"]
    # a hostile login is written as text, never as a formula
    assert table[3] == ["Evil, Eve", "102", "S102", "'=HYPERLINK(\"http://x\")", "RNN 2026",
                        "2", "3"]
    assert table[4] == ["Absent, Al", "103", "S103", "al", "RNN 2026", "", ""]
    assert "not in the roster (no row written): 'zed'" in capsys.readouterr().err


def test_generic_csv_has_a_row_per_student(tmp_path):
    out = graded(tmp_path / "out")
    assert main(["export", "generic", str(out), "--to", str(tmp_path / "all.csv")]) == 0
    assert read(tmp_path / "all.csv") == [
        ["student", "01_rnn_cell_forward", "02_rnn_forward", "total", "max_points"],
        ["ann", "2", "0", "2", "5"], ["'=HYPERLINK(\"http://x\")", "2", "3", "5", "5"],
        ["zed", "0", "3", "3", "5"]]


def test_what_cannot_be_exported_says_why(tmp_path, capsys):
    out = graded(tmp_path / "out")
    (tmp_path / "bad.csv").write_text("Name,Login\nAnn,ann\n", encoding="utf-8")
    for argv, words in [
            (["canvas", str(out), "--to", str(tmp_path / "x.csv")], "needs --roster"),
            (["canvas", str(out), "--to", str(tmp_path / "x.csv"), "--roster",
              str(tmp_path / "bad.csv")], "has no column Student"),
            (["generic", str(tmp_path), "--to", str(tmp_path / "x.csv")], "grades.csv not found")]:
        assert main(["export", *argv]) == 2
        assert words in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_formula_cells_are_neutralised_as_owasp_recommends():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("ann") == "ann" and safe_cell(2) == "2"
