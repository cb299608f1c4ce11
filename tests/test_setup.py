"""The set-up files agree: pyproject, environment.yml, Binder, Makefile, CI and README."""

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python >= 3.11; CI runs 3.11

ROOT = Path(__file__).resolve().parents[1]


def requirement_name(requirement):
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def conda_packages():
    lines = (ROOT / "environment.yml").read_text().splitlines()
    start = lines.index("dependencies:") + 1
    return {
        requirement_name(line.strip()[2:]): line.strip()[2:]
        for line in lines[start:] if line.strip().startswith("- ")
    }


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_environment_yml_names_the_same_packages_and_ranges_as_pyproject():
    runtime = {requirement_name(r): r for r in pyproject()["project"]["dependencies"]}
    conda = conda_packages()
    assert set(conda) - {"python", "pip"} == set(runtime)
    for name, requirement in runtime.items():
        assert conda[name].replace(" ", "") == requirement.replace(" ", ""), name


def test_constraints_pin_every_declared_package_inside_its_range():
    from packaging.requirements import Requirement

    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==")
            pins[requirement_name(name)] = version
    project = pyproject()["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        parsed = Requirement(requirement)
        name = requirement_name(parsed.name)
        assert name in pins, f"{name} is not pinned in constraints.txt"
        assert parsed.specifier.contains(pins[name]), f"{name}=={pins[name]}: {parsed.specifier}"


def test_postbuild_installs_the_package_after_the_environment():
    postbuild = (ROOT / "postBuild").read_text()
    assert "pip install --no-deps -e ." in postbuild
    assert (ROOT / "postBuild").stat().st_mode & 0o111
    # a binder/ folder would make repo2docker ignore the files at the top level
    assert not (ROOT / "binder").exists()


def test_readme_starts_with_the_two_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text()
    first_code = re.search(r"```(?:bash|sh)?\n(.*?)```", readme, re.S).group(1)
    assert [line.split("#")[0].strip() for line in first_code.strip().splitlines()] == [
        "make lab", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab:", "test:", "notebooks:"):
        assert re.search(rf"^{target}", makefile, re.M), target


def test_readme_lists_every_lesson():
    readme = (ROOT / "README.md").read_text()
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        assert notebook.name in readme, notebook.name


def test_every_data_file_of_the_package_is_declared_as_package_data():
    """A wheel carries only the data files that pyproject declares: lesson 08's word list and
    its provenance note must be among them (an editable install would hide the omission)."""
    declared = pyproject()["tool"]["setuptools"]["package-data"]["rnn_utils"]
    shipped = sorted(path.name for path in (ROOT / "rnn_utils").iterdir()
                     if path.is_file() and path.suffix not in (".py", ".pyc"))
    assert shipped == sorted(declared)
