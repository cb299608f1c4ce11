"""How long each lesson takes a prepared student: the core path, and its "Going further".

A rough, re-runnable estimate from the lesson sources (what the student version shows):

- reading: the words of the markdown a student sees (cells tagged "answer" are not in the
  student version), at READING_WPM words per minute, a pace for technical prose with formulas,
  plus DISPLAY_FORMULA_MIN for every displayed formula ($$ ... $$) to work through;
- code to read and run: CODE_LINE_MIN per line of every non-graded code cell (reading what it
  does, running it, reading its output), plus the cell's measured running time where it trains
  models (RUN_MIN, measured with `rnn-course build` on a 2-core machine, rounded up);
- graded functions: GRADED_BASE_MIN per function, plus GRADED_LINE_MIN per line of the
  reference answer (writing, running the check, fixing one mistake);
- exercises: EXERCISE_MIN per exercise (the answers are not in the student version);
- the "Going further" section (from its heading to the end) is counted apart: optional.

    .venv/bin/python benchmarks/lesson_time.py            # every lesson
    .venv/bin/python benchmarks/lesson_time.py 07 08      # some
    .venv/bin/python benchmarks/lesson_time.py --sections 07   # minutes per section

The constants are a judgement, not a measurement of students. On the lessons before issue 19
they give the ordering of an independent review's estimates and stay at or a little below the
low ends of its ranges (lesson 04: 97 against 105-125 minutes, 06: 117 against 115-140, 07: 121
against 130-160, 08: 134 against 140-170). Each lesson states the result, rounded to 5 minutes,
at its top ("**Time.** About N minutes ...").
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READING_WPM = 120
DISPLAY_FORMULA_MIN = 0.75
CODE_LINE_MIN = 0.06
GRADED_BASE_MIN = 6.0
GRADED_LINE_MIN = 0.6
EXERCISE_MIN = 5.0
# minutes a student waits for the cells that train models, core and Going further
RUN_MIN = {"07": (1.0, 2.0), "08": (1.0, 1.0)}


def cells(path):
    """The cells of a py:percent lesson: list of (kind, tags, text) with kind markdown/code."""
    found, kind, tags, lines = [], None, "", []
    for line in path.read_text().splitlines():
        if line.startswith("# %%"):
            if kind is not None:
                found.append((kind, tags, "\n".join(lines)))
            kind = "markdown" if "[markdown]" in line else "code"
            tags, lines = line, []
        elif kind is not None:
            lines.append(line)
    found.append((kind, tags, "\n".join(lines)))
    return found


def estimate(path):
    """Minutes for the core path and for Going further, with the parts of each."""
    parts = {"core": dict.fromkeys(("reading", "code", "graded", "exercises"), 0.0),
             "further": dict.fromkeys(("reading", "code", "graded", "exercises"), 0.0)}
    section = "core"
    for kind, tags, text in cells(path):
        if '"answer"' in tags:
            continue  # not in the student version
        if kind == "markdown":
            prose = "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#")
                              for line in text.splitlines())
            if "## Going further" in prose:
                before, after = prose.split("## Going further", 1)
                add_markdown(parts[section], before)
                section = "further"
                prose = after
            add_markdown(parts[section], prose)
        elif "### BEGIN SOLUTION" in text:
            answer = sum(len(block.strip().splitlines()) for block in
                         re.findall(r"### BEGIN SOLUTION(.*?)### END SOLUTION", text, re.S))
            parts[section]["graded"] += GRADED_BASE_MIN + GRADED_LINE_MIN * answer
        else:
            code = [line for line in text.splitlines() if line.strip()]
            parts[section]["code"] += CODE_LINE_MIN * len(code)
    core_run, further_run = RUN_MIN.get(path.name[:2], (0.0, 0.0))
    if section == "core":  # no Going further: every run is on the core path
        core_run, further_run = core_run + further_run, 0.0
    parts["core"]["code"] += core_run
    parts["further"]["code"] += further_run
    return parts


def add_markdown(totals, prose):
    """Reading time of one markdown text, and its exercises."""
    words = len(re.findall(r"[A-Za-z0-9]+", re.sub(r"\$\$.*?\$\$", " ", prose, flags=re.S)))
    totals["reading"] += words / READING_WPM
    totals["reading"] += DISPLAY_FORMULA_MIN * len(re.findall(r"\$\$.*?\$\$", prose, re.S))
    totals["exercises"] += EXERCISE_MIN * len(re.findall(r"\*\*Exercise \d", prose)) \
        + EXERCISE_MIN * len(re.findall(r"^#{3,4} Exercise \d", prose, re.M))


def by_section(path):
    """Minutes per "## " section of a lesson (without running times): to decide what is core."""
    sections, title = {}, "(top)"
    for kind, tags, text in cells(path):
        if '"answer"' in tags:
            continue
        if kind == "markdown":
            for piece in re.split(r"(?m)^# (## .*)$", text):
                if piece.startswith("## "):
                    title = piece
                    continue
                prose = "\n".join(line[2:] for line in piece.splitlines())
                totals = dict.fromkeys(("reading", "exercises"), 0.0)
                add_markdown(totals, prose)
                sections[title] = sections.get(title, 0.0) + sum(totals.values())
        elif "### BEGIN SOLUTION" in text:
            answer = sum(len(block.strip().splitlines()) for block in
                         re.findall(r"### BEGIN SOLUTION(.*?)### END SOLUTION", text, re.S))
            sections[title] = sections.get(title, 0.0) + GRADED_BASE_MIN + GRADED_LINE_MIN * answer
        else:
            lines = [line for line in text.splitlines() if line.strip()]
            sections[title] = sections.get(title, 0.0) + CODE_LINE_MIN * len(lines)
    return sections


def main(selected):
    if selected and selected[0] == "--sections":
        for path in sorted((ROOT / "solutions").glob("0*_*.py")):
            if path.name[:2] in selected[1:]:
                print(path.stem)
                for title, minutes in by_section(path).items():
                    print(f"  {minutes:5.1f}  {title}")
        return
    print(f"{'lesson':32}{'core':>6}{'further':>9}   core = reading + code + graded + exercises")
    for path in sorted((ROOT / "solutions").glob("0*_*.py")):
        if selected and path.name[:2] not in selected:
            continue
        parts = estimate(path)
        core, further = (sum(parts[key].values()) for key in ("core", "further"))
        detail = " + ".join(f"{parts['core'][key]:.0f}" for key in parts["core"])
        print(f"{path.stem:32}{core:6.0f}{further:9.0f}   {detail}")


if __name__ == "__main__":
    main(sys.argv[1:])
