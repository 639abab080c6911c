"""The house rules of parley/: rooms by stage, imports one way, no cycle, modules and functions short.

Read from the source with ``ast`` (nothing is imported), so a rule broken anywhere in the package
fails here with the module and line that break it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "parley"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60  # code lines from ``def`` to its end, the docstring not counted

#: Modules allowed over MAX_MODULE_LINES, each with its reason.
LONG_MODULES: dict[str, str] = {
    "data/synth.py": "one generator of a whole synthetic dossier, grown by the living-dossier issue (reports, origins, "
                     "participation; joint speakers and event updates are in data/synth_living.py) to 605 lines; split it (texts, tables) when it next grows",
}

#: Functions allowed over MAX_FUNCTION_LINES ("module.py:function"), each with its reason.
LONG_FUNCTIONS = {
    "review/intake.py:ingest_article": "the four steps of one all-or-nothing change (seed, source row, queue, validation); "
                                       "the ingest issues #10/#11 rework intake now",
}

#: Each room and the rooms (or top-level modules) it may import: data flows one way.
ROOMS = {
    "data": set(),
    "ingest": {"data"},
    "review": {"data", "ingest"},
    "analysis": {"data"},
    "figures": {"analysis", "data"},
    "report": {"data", "analysis", "figures", "_imports"},
    "editions": {"data", "analysis", "report"},
}
GROUND = {"paths", "errors", "fileio", "journal", "words"}  # anyone may import these; they import only each other
#: Imports across the flow that are right, each with its reason: (importing room, imported module).
ACROSS = {
    ("review", "parley.report.display"): "the review widget's fallback markup uses the one HTML escape (esc) and HTMLBlock",
}


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every parley module ``path`` imports (lazy ones too), except under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(node) for guard in ast.walk(tree) if isinstance(guard, ast.If) and "TYPE_CHECKING" in ast.unparse(guard.test)
               for node in ast.walk(guard)}
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names if alias.name.startswith("parley")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("parley") and node.level == 0:
            found.append((node.module, node.lineno))
            found += [(f"{node.module}.{alias.name}", node.lineno) for alias in node.names]
    return found


def _graph() -> dict[str, set[str]]:
    """Module -> the parley modules it imports. ``from parley.x import y`` counts ``parley.x.y`` when
    that is a module, else ``parley.x``; a module's own parent packages are left out (Python has
    run them before the module, so importing from them never starts a cycle)."""
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        ancestors = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
        targets = set()
        for target, line in _imports(path):
            if target not in modules:
                continue
            targets.add(target)
        # a package imported only for the submodules named after it: keep the submodules
        for target in list(targets):
            if any(other.startswith(target + ".") for other in targets) and not _imports_names_of(path, target, modules):
                targets.discard(target)
        graph[name] = targets - ancestors - {name}
    return graph


def _imports_names_of(path: Path, package: str, modules: dict[str, Path]) -> bool:
    """Whether ``path`` takes from ``package`` a name that is not one of its modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(f"{package}.{alias.name}" not in modules
               for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == package
               for alias in node.names)


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(cycle) for cycle in cycles)


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_rooms_import_only_the_rooms_before_them():
    wrong = []
    for name, path in _modules().items():
        room = _room(name)
        if room not in ROOMS:
            continue
        for target, line in _imports(path):
            other = _room(target)
            if other is None or other == room or other in GROUND or other in ROOMS[room] or other == "__version__":
                continue
            if any(room == across_room and (target == module or target.startswith(module + ".")) for across_room, module in ACROSS):
                continue
            wrong.append(f"parley/{path.relative_to(PACKAGE)}:{line} ({room}) imports {target}")
    assert not wrong, "imports against the flow:\n" + "\n".join(sorted(set(wrong)))


def test_the_ground_floor_imports_only_the_ground_floor():
    for name in GROUND:
        modules = _modules()
        others = {target for target, _ in _imports(PACKAGE / f"{name}.py") if target in modules} - {f"parley.{ground}" for ground in GROUND} - {"parley"}
        assert not others, f"parley/{name}.py imports {sorted(others)}"


def _function_lengths():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if ast.get_docstring(node) is not None:
                    lines -= node.body[0].end_lineno - node.body[0].lineno + 1
                yield f"{relative}:{node.name}", lines, node.lineno


def test_no_module_is_over_the_limit_without_a_reason():
    long = {path.relative_to(PACKAGE).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
            for path in PACKAGE.rglob("*.py")}
    over = {name: n for name, n in long.items() if n > MAX_MODULE_LINES and name not in LONG_MODULES}
    assert not over, f"modules over {MAX_MODULE_LINES} lines: {over}; split them by job, or add a reason to LONG_MODULES"
    stale = [name for name in LONG_MODULES if long.get(name, 0) <= MAX_MODULE_LINES]
    assert not stale, f"LONG_MODULES names modules that are short now (or gone): {stale}; remove them"


def test_no_function_is_over_the_limit_without_a_reason():
    lengths = {name: (lines, lineno) for name, lines, lineno in _function_lengths()}
    over = {f"parley/{name.split(':')[0]}:{lineno} {name.split(':')[1]}": lines
            for name, (lines, lineno) in lengths.items() if lines > MAX_FUNCTION_LINES and name not in LONG_FUNCTIONS}
    assert not over, f"functions over {MAX_FUNCTION_LINES} lines: {over}; split them into named steps, or add a reason to LONG_FUNCTIONS"
    stale = [name for name in LONG_FUNCTIONS if lengths.get(name, (0, 0))[0] <= MAX_FUNCTION_LINES]
    assert not stale, f"LONG_FUNCTIONS names functions that are short now (or gone): {stale}; remove them"


@pytest.mark.parametrize("reasons", [LONG_MODULES, LONG_FUNCTIONS, ACROSS], ids=["modules", "functions", "across"])
def test_every_exception_carries_a_reason(reasons):
    assert all(isinstance(reason, str) and len(reason.split()) >= 5 for reason in reasons.values())
