"""Which statements of a composed notebook the checks depend on: the grader runs only those.

A check hands the student's function the grader's own cases (judge.py), so what it depends on
is that function and whatever the function reaches by name when it runs: the modules and
helpers the lesson imported, constants and functions defined in the lesson's cells, the
student's own cells. The lesson's demonstrations (worked examples, experiments, plots,
printed tables) feed no check; running them for every student only costs time (and pyplot's
import, about a third of a second of CPU per notebook).

The unit is a top-level statement of a release cell. Every cell of the student's (graded or
added) and every check hand-in is kept whole. A release statement is kept when
- it binds a name that a kept statement or student cell loads (found to a fixed point, in any
  order: a function runs after the cell that defines it, and may load names bound later);
- or it may change state that is not a name: it stores into an attribute or an item
  (``module.option = ...``, ``table[key] = ...``), declares ``global``, imports with ``*``,
  or calls a function that sets state by its name (``np.random.seed``, ``np.set_printoptions``,
  ``warnings.filterwarnings``, ``matplotlib.use``, ...);
- or its cell is not plain Python (an IPython magic): that cell is kept whole.
When any student cell can reach the notebook's names other than by name (``globals()``,
``eval``, ``exec``, ``vars``, ``get_ipython``, ``__main__``, frames, ``gc``, ``sys``), or cannot be
parsed, nothing is dropped. A statement that calls a function which changes its argument in
place (``values.append(...)``) is not seen as a change: a lesson keeps such state-setting out
of its demonstrations (tests/grading/test_dependencies.py grades the courses' own cases and the
example class with and without this, and compares every verdict).
"""

import ast
from dataclasses import dataclass, field

DYNAMIC_NAMES = frozenset({
    "globals", "vars", "locals", "eval", "exec", "get_ipython", "__main__", "__builtins__",
    "builtins", "gc", "sys", "inspect", "f_globals", "f_locals", "f_back", "__dict__",
    "__import__", "importlib", "ctypes"})
STATE_SETTERS = ("set", "seed", "filterwarnings", "simplefilter", "resetwarnings", "use",
                 "reload", "register", "rc", "enable", "disable")


@dataclass
class Unit:
    """One top-level statement of a release cell (or a whole cell kept as one)."""

    source: str
    binds: set[str] = field(default_factory=set)
    loads: set[str] = field(default_factory=set)
    always: bool = False  # kept whatever it binds


def names_of(tree: ast.AST) -> tuple[set[str], set[str]]:
    """(names bound, names loaded) anywhere in ``tree``, attribute names counted as loads."""
    binds, loads = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loads if isinstance(node.ctx, ast.Load) else binds).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            binds.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                binds.add(alias.asname or alias.name.split(".")[0])
                loads.add(alias.name.split(".")[0])  # the module it reaches
        elif isinstance(node, ast.Attribute):
            loads.add(node.attr)
        elif isinstance(node, ast.Constant) and node.value == "__main__":
            loads.add("__main__")
    return binds, loads


def changes_state(statement: ast.stmt) -> bool:
    """Whether ``statement`` may change state other than by binding names (see the module)."""
    for node in ast.walk(statement):
        if isinstance(node, (ast.Attribute, ast.Subscript)) and \
                not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            return True
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            return True
        if isinstance(node, ast.Call):
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else \
                getattr(node.func, "id", "")
            if callee.startswith(STATE_SETTERS):
                return True
    return False


def release_units(source: str) -> list[Unit]:
    """The units of a release cell: its statements (each with its decorators and whole
    lines), or the whole cell as one when it is not Python or two statements share a line."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return [Unit(source, always=True)]
    lines = source.splitlines()
    spans = [(min([statement.lineno] + [d.lineno for d in getattr(statement, "decorator_list",
                                                                   [])]), statement.end_lineno)
             for statement in tree.body]
    if any(after[0] <= before[1] for before, after in zip(spans, spans[1:])):
        binds, loads = names_of(tree)
        return [Unit(source, binds, loads, always=any(map(changes_state, tree.body)))]
    units = []
    for statement, (first, last) in zip(tree.body, spans):
        binds, loads = names_of(statement)
        units.append(Unit("\n".join(lines[first - 1:last]), binds, loads,
                          always=changes_state(statement)))
    return units


def student_loads(sources: list[str]) -> "set[str] | None":
    """The names the student's cells (and the hand-ins) load, or None when they may reach the
    notebook's names in ways no analysis follows (then every statement runs)."""
    loads = set()
    for source in sources:
        try:
            _, found = names_of(ast.parse(source))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        if found & DYNAMIC_NAMES:
            return None
        loads |= found
    return loads


def needed_sources(release: dict[str, str], student_sources: list[str],
                   functions: list[str]) -> "dict[str, str] | None":
    """Release cell id -> the source that runs (only its needed statements; cells with none
    left out). ``release`` maps the composed notebook's release code cells to their sources;
    ``student_sources`` are the student's cells (graded and added); ``functions`` the graded
    functions the hand-ins fetch by name. None: run everything."""
    needed = student_loads(student_sources)
    if needed is None:
        return None
    cells = {cell_id: release_units(source) for cell_id, source in release.items()}
    units = [unit for cell in cells.values() for unit in cell]
    kept = {id(unit) for unit in units if unit.always}
    needed |= set(functions).union(*(unit.loads for unit in units if id(unit) in kept))
    changed = True
    while changed:  # to a fixed point: loads of a kept unit make more units needed
        changed = False
        for unit in units:
            if id(unit) not in kept and unit.binds & needed:
                kept.add(id(unit))
                needed |= unit.loads
                changed = True
    return {cell_id: "\n".join(unit.source for unit in cell if id(unit) in kept)
            for cell_id, cell in cells.items() if any(id(unit) in kept for unit in cell)}
