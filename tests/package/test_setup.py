"""The set-up files agree: pyproject, environment.yml, Binder, Makefile, CI and README."""

import re
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same parser, before it joined the standard library (a dev dependency on 3.10)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
# conda-forge name -> PyPI name, where they differ
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib"}


def requirement_name(requirement):
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def conda_packages():
    """{PyPI name: conda requirement} of environment.yml, and the Python version it pins."""
    lines = (ROOT / "environment.yml").read_text().splitlines()
    start = lines.index("dependencies:") + 1
    packages = {}
    for line in lines[start:]:
        if line.strip().startswith("- "):
            requirement = line.strip()[2:].replace(" ", "")
            name = requirement_name(requirement)
            packages[CONDA_TO_PYPI.get(name, name)] = requirement[len(name):]
    return packages


def pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def runtime_requirements(python_version, extras=("lab",)):
    """{name: version range} of pyproject's dependencies and of its ``extras`` that apply on
    ``python_version``; a package in both has the two ranges combined."""
    environment = {"python_version": python_version, "python_full_version": python_version + ".0"}
    project = pyproject()["project"]
    lines = project["dependencies"] + [line for extra in extras
                                       for line in project["optional-dependencies"][extra]]
    result = {}
    for line in lines:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(environment):
            name = requirement_name(requirement.name)
            result[name] = result.get(name, SpecifierSet()) & requirement.specifier
    return result


def test_environment_yml_names_the_same_packages_and_ranges_as_pyproject():
    """environment.yml is a student's environment (Binder, a hub): the default install and the
    `lab` extra, with their ranges (where both name a package, the narrower of the two)."""
    conda = conda_packages()
    python = conda.pop("python").lstrip("=")
    conda.pop("pip")
    runtime = runtime_requirements(python)
    assert set(conda) == set(runtime)
    for name, specifier in runtime.items():
        versions = [f"{major}.{minor}" for major in range(0, 12) for minor in range(0, 40)]
        conda_range = Requirement(f"{name}{conda[name]}").specifier
        assert list(conda_range.filter(versions)) == list(specifier.filter(versions)), name


def test_the_name_map_covers_what_conda_forge_splits():
    """matplotlib on conda-forge pulls in Qt; matplotlib-base is the same library without it."""
    names = (ROOT / "environment.yml").read_text()
    assert "- matplotlib-base" in names and "- matplotlib>" not in names
    assert "- autograd" in names  # lesson 04's cross-check runs on Binder too


def test_constraints_pin_every_declared_package_inside_its_range():
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==")
            pins[requirement_name(name)] = version
    project = pyproject()["project"]
    extras = [item for group in project["optional-dependencies"].values() for item in group]
    for requirement in project["dependencies"] + extras:
        parsed = Requirement(requirement)
        if requirement_name(parsed.name) == requirement_name(project["name"]):
            continue  # an extra that includes another (dev includes grade)
        if parsed.marker is not None and not parsed.marker.evaluate({"python_version": "3.11"}):
            continue  # constraints.txt is made on Python 3.11
        if parsed.name == "pip":
            continue  # the installer itself: each virtual environment brings its own
        name = requirement_name(parsed.name)
        assert name in pins, f"{name} is not pinned in constraints.txt"
        assert parsed.specifier.contains(pins[name]), f"{name}=={pins[name]}: {parsed.specifier}"


def test_postbuild_installs_the_package_after_the_environment():
    postbuild = (ROOT / "postBuild").read_text()
    assert "pip install --no-deps ." in postbuild  # not -e: a hub mounts homes over it
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
