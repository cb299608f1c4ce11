"""Type hints are a rule of rnn_course (issue 17): every public function and method annotates
each parameter and its return, and every dataclass field has a real type (not ``object``).

Public: a function at module level, or a method of a class at module level, whose name does
not start with "_"; constructors (``__init__``) of those classes count too, since they are how
the class is called. ``self``/``cls`` need no annotation; ``*args``/``**kwargs`` do. Left out:
nested functions and classes (local), and the pytest hooks of grading/plugin.py (``pytest_*``:
pytest calls them, by name). The annotations must also mean something on this Python: every
one of them resolves (with the names imported under ``if TYPE_CHECKING:``), and the dataclasses
keep exactly the fields their bodies declare.
"""

import ast
import dataclasses
import importlib
import sys
import typing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "rnn_course"
HOOK_MODULES = {"rnn_course.grading.plugin"}  # where pytest_* functions are pytest's hooks


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources():
    return {module_name(path): path.read_text(encoding="utf-8")
            for path in sorted(PACKAGE.rglob("*.py"))}


def _is_dataclass(node):
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name == "dataclass":
            return True
    return False


def _decorated(node, name):
    return any(isinstance(d, ast.Name) and d.id == name for d in node.decorator_list)


def _names_in(annotation):
    """The bare names an annotation uses, also inside a quoted (string) annotation."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        annotation = ast.parse(annotation.value, mode="eval")
    names = set()
    for node in ast.walk(annotation):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names |= _names_in(node)  # a quoted part of an annotation: list["Case"]
    return names


def _function_problems(where, function, method):
    problems = []
    arguments = function.args
    positional = [*arguments.posonlyargs, *arguments.args]
    if method and not _decorated(function, "staticmethod"):
        positional = positional[1:]  # self or cls
    for argument in [*positional, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]:
        if argument is not None and argument.annotation is None:
            problems.append(f"{where}: parameter {argument.arg} has no annotation")
    if function.returns is None:
        problems.append(f"{where}: no return annotation")
    return problems


def _class_problems(module, node):
    problems = []
    for item in node.body:
        where = f"{module}.{node.name}.{getattr(item, 'name', '')}"
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                not item.name.startswith("_") or item.name == "__init__"):
            problems += _function_problems(where, item, method=True)
        elif _is_dataclass(node) and isinstance(item, ast.AnnAssign):
            field = f"{module}.{node.name}.{ast.unparse(item.target)}"
            if "object" in _names_in(item.annotation):
                problems.append(f"{field}: typed object (give the real type; import it under "
                                "`if TYPE_CHECKING:` if it must not be imported at run time)")
    return problems


def missing_hints(source, module):
    """Where ``source`` (the text of ``module``) breaks the rule, one line each."""
    problems = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.name.startswith("_"):
                continue
            if node.name.startswith("pytest_") and module in HOOK_MODULES:
                continue
            problems += _function_problems(f"{module}.{node.name}", node, method=False)
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            problems += _class_problems(module, node)
    return problems


def test_every_public_function_and_dataclass_field_of_rnn_course_is_annotated():
    problems = [line for module, source in sources().items()
                for line in missing_hints(source, module)]
    assert problems == []


def test_the_rule_sees_what_lacks_a_hint():
    source = '''
from dataclasses import dataclass

def public(a, b: int = 1, *rest, flag=False, **more) -> None: ...
def returns(a: int): ...
def _private(a): ...
def pytest_configure(config): ...

@dataclass(frozen=True)
class Record:
    key: object
    items: "list[object]"
    fine: "int | None" = None

    def method(self, value) -> int: ...
    @staticmethod
    def helper(value: int): ...
    def _inner(self, x): ...

class Plain:
    def __init__(self, stream): ...
    def __repr__(self): ...
'''
    problems = "\n".join(missing_hints(source, "rnn_course.some"))
    for expected in ("some.public: parameter a has", "some.public: parameter rest",
                     "some.public: parameter flag", "some.public: parameter more",
                     "some.returns: no return annotation", "some.pytest_configure: parameter",
                     "some.Record.key: typed object", "some.Record.items: typed object",
                     "some.Record.method: parameter value", "some.Record.helper: no return",
                     "some.Plain.__init__: parameter stream"):
        assert expected in problems
    for left_alone in ("_private", "Record.fine", "_inner", "__repr__", "parameter self",
                       "public: parameter b"):
        assert left_alone not in problems
    hooks = "\n".join(missing_hints(source, "rnn_course.grading.plugin"))
    assert "pytest_configure" not in hooks


def _type_checking_names(source, module):
    """The names ``source`` imports under ``if TYPE_CHECKING:``, imported now."""
    names = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING",
                                                                  "typing.TYPE_CHECKING"):
            block = ast.Module(body=node.body, type_ignores=[])
            exec(compile(block, module, "exec"), {"__name__": module}, names)
    return names


def _functions_of(value):
    """``value`` itself (a function), or a class's own functions, properties and class methods."""
    for item in vars(value).values() if isinstance(value, type) else [value]:
        item = getattr(item, "fget", getattr(item, "__func__", item))
        if callable(item) and hasattr(item, "__annotations__"):
            yield item


def test_the_hints_resolve_and_the_dataclasses_keep_their_fields():
    was_loaded = "rfc3987_syntax" in sys.modules  # grading.plugin hides it from jsonschema
    try:
        for name, source in sources().items():
            module = importlib.import_module(name)
            namespace = {**vars(module), **_type_checking_names(source, name)}
            for value in list(vars(module).values()):
                if getattr(value, "__module__", None) != name or not callable(value):
                    continue
                if isinstance(value, type) and dataclasses.is_dataclass(value):
                    hints = typing.get_type_hints(value, globalns=namespace)
                    declared = list(value.__dict__.get("__annotations__", {}))
                    assert [item.name for item in dataclasses.fields(value)] == declared, value
                    assert all(hints[field] is not object for field in declared), value
                for function in _functions_of(value):
                    typing.get_type_hints(function, globalns=namespace)
    finally:
        if not was_loaded and sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]
