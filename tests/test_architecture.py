"""The import graph of the tooling is a rule (docs/architecture.md): imports point down.

    cli, nbgrader_preprocessors (shim)      4
    platforms/                               3
    authoring/    grading/                   2   (siblings: neither imports the other)
    options                                  1
    errors                                   0
    grading/kernel/   runs inside the sandbox: imports nothing of rnn_course
    rnn_utils         the learners' package: imports nothing of rnn_course

and the answers (rnn_utils.reference, rnn_utils.checks) are imported only by the trusted side
of the grader, the checks themselves and the few lesson helpers listed in ANSWER_USERS.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RANKS = {"errors": 0, "options": 1, "authoring": 2, "grading": 2, "platforms": 3, "cli": 4,
         "nbgrader_preprocessors": 4}
ANSWERS = ("rnn_utils.reference", "rnn_utils.checks")
# rnn_utils modules that call the reference to show something (a plot, lesson 08's LSTM, the
# gradient check): in a grading kernel rnn_utils.reference is a stub that the grader refuses.
ANSWER_USERS = {"rnn_utils.gradcheck", "rnn_utils.training", "rnn_utils.viz", "rnn_utils.charlm"}


def module_name(path, root=ROOT):
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source, module):
    """Every module ``source`` imports (at any depth), as absolute dotted names."""
    package = module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def room(module):
    """"kernel", a RANKS key, "package" (rnn_course itself), or None outside rnn_course."""
    parts = module.split(".")
    if parts[0] != "rnn_course":
        return None
    if parts[1:3] == ["grading", "kernel"]:
        return "kernel"
    return parts[1] if len(parts) > 1 else "package"


def violations(sources):
    """The broken rules in ``sources`` (module name -> source text), one line each."""
    broken = []
    for module, source in sorted(sources.items()):
        mine = room(module)
        for target in sorted(imports(source, module)):
            theirs = room(target)
            if module.startswith("rnn_utils") and theirs is not None:
                broken.append(f"{module} imports {target}: rnn_utils never imports rnn_course")
            if target.startswith(ANSWERS) and not _may_import_answers(module):
                broken.append(f"{module} imports {target}: only the trusted side holds answers")
            if mine is None or theirs is None or theirs in ("package", mine):
                continue
            if mine == "kernel":
                broken.append(f"{module} imports {target}: grading/kernel imports nothing of "
                              "rnn_course (it runs in the sandbox)")
            elif theirs == "kernel" and mine != "grading":
                broken.append(f"{module} imports {target}: only grading/ uses its kernel side")
            elif theirs != "kernel" and RANKS.get(mine, 9) <= RANKS.get(theirs, 9):
                broken.append(f"{module} ({mine}) imports {target} ({theirs}): imports point "
                              "down (see docs/architecture.md)")
    return broken


def _may_import_answers(module):
    if module.startswith(("rnn_utils.checks", "rnn_utils.reference")) or module in ANSWER_USERS:
        return True
    return room(module) == "grading"


def course_sources():
    paths = [*ROOT.joinpath("rnn_course").rglob("*.py"), *ROOT.joinpath("rnn_utils").rglob("*.py")]
    return {module_name(path): path.read_text(encoding="utf-8") for path in paths}


def test_the_tooling_imports_point_down():
    assert violations(course_sources()) == []


def test_the_rule_sees_an_upward_import():
    sources = course_sources()
    sources["rnn_course.grading.report"] += "\nfrom rnn_course.platforms import hub\n"
    sources["rnn_course.options"] += "\ndef late():\n    from rnn_course.grading import batch\n"
    broken = violations(sources)
    assert any(line.startswith("rnn_course.grading.report (grading) imports rnn_course.platforms")
               for line in broken)
    assert any(line.startswith("rnn_course.options (options) imports") for line in broken)


def test_the_rule_sees_the_kernel_or_the_package_reaching_up():
    sources = course_sources()
    sources["rnn_course.grading.kernel.harness"] += "\nimport rnn_course.grading.judge\n"
    sources["rnn_utils.data"] += "\nfrom rnn_course.options import GradingOptions\n"
    sources["rnn_course.authoring.build"] += "\nfrom rnn_course.grading import compose\n"
    sources["rnn_course.platforms.hub"] += "\nfrom rnn_utils import reference\n"
    sources["rnn_course.grading.kernel.exec_shim"] += "\nfrom rnn_utils.checks import framework\n"
    broken = "\n".join(violations(sources))
    for expected in ("grading/kernel imports nothing", "rnn_utils never imports rnn_course",
                     "rnn_course.authoring.build (authoring) imports rnn_course.grading",
                     "rnn_course.platforms.hub imports rnn_utils.reference",
                     "rnn_course.grading.kernel.exec_shim imports rnn_utils.checks"):
        assert expected in broken
