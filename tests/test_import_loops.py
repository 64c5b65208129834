"""No import loops between the integration's modules, not even through type-only imports.

A loop makes the order of imports matter and hides which module sits above which: the
waker, the repairs and the exceptions reached back up into the coordinator for a type.
Every import counts here: at the top, under ``if TYPE_CHECKING:`` and inside functions.
``from .pkg import module`` counts as an import of that module, not of ``pkg``.
"""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "custom_components" / "spotify_webapi"
ROOT = "custom_components.spotify_webapi"


def module_files() -> dict[str, Path]:
    """Every module of the integration by dotted name (packages by their own name)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports_of(name: str, path: Path, modules: set[str]) -> set[str]:
    """The integration's modules that ``name`` imports, wherever the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, node.module] if node.module else parts)
            else:
                base = node.module or ""
            submodules = {f"{base}.{alias.name}" for alias in node.names}
            # ``from pkg import module`` needs the module, not what pkg/__init__ gathers.
            found |= submodules if submodules <= modules else {base}
    return {module for module in found if module in modules and module != name}


def a_loop(graph: dict[str, set[str]]) -> list[str]:
    """One loop of imports (its modules, the first repeated at the end), or [] if none."""
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as err:
        return list(err.args[1])
    return []


def test_no_module_of_the_integration_imports_itself_back() -> None:
    files = module_files()
    graph = {name: imports_of(name, path, set(files)) for name, path in files.items()}
    assert sum(len(targets) for targets in graph.values()) > 100  # the graph was read
    assert a_loop(graph) == []


def test_the_check_finds_a_type_only_loop() -> None:
    """The check itself, on the loop main had: coordinator -> waker -> coordinator (a type)."""
    graph = {
        f"{ROOT}.coordinator": {f"{ROOT}.devices.wake_up"},
        f"{ROOT}.devices.wake_up": {f"{ROOT}.coordinator", f"{ROOT}.const"},
        f"{ROOT}.const": set(),
    }
    loop = a_loop(graph)
    assert set(loop) == {f"{ROOT}.coordinator", f"{ROOT}.devices.wake_up"}
    assert loop[0] == loop[-1]
