"""The README's "Use it with your platform" and docs/platforms.md name commands that exist."""

import contextlib
import io
import re
from pathlib import Path

import pytest

from rnn_course.cli import main

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", ROOT / "docs" / "platforms.md"]


def test_the_readme_has_a_section_for_each_platform():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Use it with your platform"):]
    section = section[:section.index("\n## ", 5)]
    for platform in ("nbgrader", "Gradescope", "GitHub Classroom", "JupyterHub", "Binder"):
        assert f"**{platform}**" in section, platform
    assert "docs/platforms.md" in section


def commands():
    found = set()
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"rnn-course ([a-z][a-z-]+)", text))
    return sorted(found - {"grade:"})


@pytest.mark.parametrize("command", commands())
def test_every_command_the_docs_name_exists(command):
    with contextlib.redirect_stdout(io.StringIO()) as said, pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0 and "usage: rnn-course" in said.getvalue()
