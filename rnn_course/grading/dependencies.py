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
import symtable
from dataclasses import dataclass, field

DYNAMIC_NAMES = frozenset({
    "globals", "vars", "locals", "eval", "exec", "get_ipython", "__main__", "__builtins__",
    "builtins", "gc", "sys", "inspect", "f_globals", "f_locals", "f_back", "__dict__",
    "__import__", "importlib", "ctypes"})
STATE_SETTERS = frozenset({  # calls that set process-wide state, by the called name
    "seed", "set_printoptions", "seterr", "seterrcall", "setrecursionlimit", "setdefault",
    "filterwarnings", "simplefilter", "resetwarnings", "use", "reload", "putenv", "chdir",
    "set_state", "rc", "rcdefaults", "setattr", "delattr", "register", "enable", "disable"})


@dataclass
class Unit:
    """One top-level statement of a release cell (or a whole cell kept as one)."""

    source: str
    binds: set[str] = field(default_factory=set)
    loads: set[str] = field(default_factory=set)
    always: bool = False  # kept whatever it binds
    mutates: set[str] = field(default_factory=set)  # roots of attribute and item stores
    imports: set[str] = field(default_factory=set)  # names it binds to modules


def names_of(source: str) -> tuple[set[str], set[str]]:
    """(names ``source`` binds at the top level, module-level names it loads: at the top level
    and, inside its functions and classes, the names that are global there), by Python's own
    scoping (symtable): a function's parameters and locals are not loads of the notebook's
    names, so a local ``x`` does not make the lesson's ``x = ...`` needed."""
    table = symtable.symtable(source, "<cell>", "exec")
    binds = {symbol.get_name() for symbol in table.get_symbols()
             if symbol.is_assigned() or symbol.is_imported() or symbol.is_namespace()}
    loads = {symbol.get_name() for symbol in table.get_symbols() if symbol.is_referenced()}
    pending = list(table.get_children())
    while pending:
        scope = pending.pop()
        loads |= {symbol.get_name() for symbol in scope.get_symbols()
                  if symbol.is_global() and symbol.is_referenced()}
        pending += scope.get_children()
    return binds, loads


def reaches_dynamically(tree: ast.AST) -> bool:
    """Whether ``tree`` may reach the notebook's names other than by name (DYNAMIC_NAMES)."""
    for node in ast.walk(tree):
        name = node.id if isinstance(node, ast.Name) else \
            node.attr if isinstance(node, ast.Attribute) else \
            node.value if isinstance(node, ast.Constant) else None
        if name in DYNAMIC_NAMES:
            return True
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                (alias.name.split(".")[0] in DYNAMIC_NAMES) for alias in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in \
                DYNAMIC_NAMES:
            return True
    return False


def changes_state(statement: ast.stmt) -> bool:
    """Whether ``statement`` may change process-wide state (see the module): declares global
    names, imports with ``*``, or calls a function of STATE_SETTERS by name."""
    for node in ast.walk(statement):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            return True
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            return True
        if isinstance(node, ast.Call):
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else \
                getattr(node.func, "id", "")
            if callee in STATE_SETTERS:
                return True
    return False


def mutated_roots(statement: ast.stmt) -> set[str]:
    """The names whose objects ``statement`` changes by storing into an attribute or an item
    (``table[key] = ...``, ``module.option = ...``): the root name of each such target."""
    roots, pending = set(), [statement]
    while pending:  # not into functions' bodies: they change what they change when called
        node = pending.pop()
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            pending += ast.iter_child_nodes(node)
        if isinstance(node, (ast.Attribute, ast.Subscript)) and \
                not isinstance(node.ctx, ast.Load):
            root = node
            while isinstance(root, (ast.Attribute, ast.Subscript)):
                root = root.value
            roots.add(getattr(root, "id", "?"))  # "?": a call's result, say: unknown
    return roots


def release_units(source: str) -> list[Unit]:
    """The units of a release cell: its statements (each with its decorators and whole
    lines), or the whole cell as one when it is not Python or two statements share a line."""
    try:
        tree = ast.parse(source)
        return _statements(source, tree)
    except (SyntaxError, ValueError):  # symtable is stricter than ast at the top level
        return [Unit(source, always=True)]


def _statements(source, tree):
    lines = source.splitlines()
    spans = [(min([statement.lineno] + [d.lineno for d in getattr(statement, "decorator_list",
                                                                   [])]), statement.end_lineno)
             for statement in tree.body]
    if any(after[0] <= before[1] for before, after in zip(spans, spans[1:])):
        return [_unit(source, tree.body)]
    return [_unit("\n".join(lines[first - 1:last]), [statement])
            for statement, (first, last) in zip(tree.body, spans)]


def _unit(source, statements):
    binds, loads = names_of(source)
    mutates = set().union(*(mutated_roots(statement) for statement in statements))
    imports = {alias.asname or alias.name.split(".")[0] for statement in statements
               for node in ast.walk(statement) if isinstance(node, (ast.Import, ast.ImportFrom))
               for alias in node.names}
    return Unit(source, binds | mutates, loads, any(map(changes_state, statements)), mutates,
                imports)


def student_loads(sources: list[str]) -> "set[str] | None":
    """The notebook names the student's cells load, or None when they may reach the
    notebook's names in ways no analysis follows (then every statement runs)."""
    loads = set()
    for source in sources:
        try:
            if reaches_dynamically(ast.parse(source)):
                return None
            loads |= names_of(source)[1]
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
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
    # changing a module's object, or one no release statement made, changes shared state
    imported = set().union(*(unit.imports for unit in units))
    made = set().union(*(unit.binds - unit.mutates for unit in units))
    kept = {id(unit) for unit in units
            if unit.always or unit.mutates & imported or unit.mutates - made}
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
