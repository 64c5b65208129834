"""The integration uses Home Assistant's public API only: no private member of HA's classes.

A private name (``_schedule_refresh``, ``_listeners``, ``_token_request``) may change or go
in any HA release without notice; a custom integration built on one breaks for its users
the month HA changes it. The integration's source is read as written (AST), and every
``_name`` it takes is checked:

- on another object (``entry._x``, ``hass._y``): never a private name of an HA class the
  integration imports from, whatever the object;
- on ``self``/``super()``, or defined in a class body, in a class derived from an HA class:
  only if no HA class it derives from has that name (overriding or reading HA's own private
  members is the thing to avoid), unless HA documents the name for integrations.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import textwrap
from functools import cache
from pathlib import Path
from typing import Final

import pytest

PACKAGE: Final = Path(__file__).resolve().parent.parent / "custom_components" / "spotify_webapi"

# Names HA's developer documentation tells integrations to set or override.
DOCUMENTED: Final = {
    # Entity: attributes behind the entity's properties.
    "_attr_",
    # DataUpdateCoordinator: the one-off setup and the fetch.
    "_async_setup",
    "_async_update_data",
    # CoordinatorEntity: react to the coordinator's new data.
    "_handle_coordinator_update",
    # EventEntity: fire an event (then write the state).
    "_trigger_event",
    # Store: the migration hook a versioned store overrides.
    "_async_migrate_func",
    # ConfigFlow: the unique-id checks and the entry of a reauth or reconfigure flow.
    "_abort_if_unique_id_configured",
    "_abort_if_unique_id_mismatch",
    "_get_reauth_entry",
    "_get_reconfigure_entry",
}


# A named tuple's own API (``_replace``, ``_asdict``...) is public despite the underscore.
NAMED_TUPLE_API: Final = {"_replace", "_asdict", "_make", "_fields", "_field_defaults"}


def is_documented(name: str) -> bool:
    """A name HA documents for integrations (``_attr_*`` by its prefix)."""
    return name in DOCUMENTED or name in NAMED_TUPLE_API or name.startswith("_attr_")


def is_private(name: str) -> bool:
    """``_name``, not ``__dunder__``."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def modules() -> list[tuple[str, Path]]:
    """Every module of the integration, by dotted name."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent.parent).with_suffix("").parts
        dotted = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found.append((dotted, path))
    return found


@cache
def private_names_of_ha_class(cls: type) -> frozenset[str]:
    """The private names an HA class defines: in its body, and on ``self`` in its methods."""
    names = {name for name in vars(cls) if is_private(name)}
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return frozenset(names)
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
            and is_private(node.attr)
        ):
            names.add(node.attr)
    return frozenset(names)


def ha_private_names(cls: type) -> frozenset[str]:
    """The private names of every Home Assistant class ``cls`` derives from."""
    names: set[str] = set()
    for base in cls.__mro__[1:]:
        if base.__module__.split(".")[0] == "homeassistant":
            names |= private_names_of_ha_class(base)
    return frozenset(names)


@cache
def every_ha_private_name() -> frozenset[str]:
    """The private names of every HA class in the HA modules the integration imports from."""
    names: set[str] = set()
    for _, path in modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("homeassistant"):
                if importlib.util.find_spec(str(node.module)) is None:
                    continue  # newer than this release (llm.py's): checked on the leg that has it
                ha_module = importlib.import_module(str(node.module))
                for value in vars(ha_module).values():
                    if isinstance(value, type) and value.__module__.startswith("homeassistant"):
                        names |= private_names_of_ha_class(value) | ha_private_names(value)
    return frozenset(names)


def is_self(node: ast.expr) -> bool:
    """``self``, ``cls`` or ``super()``."""
    if isinstance(node, ast.Name):
        return node.id in ("self", "cls")
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
    )


def violations_in(dotted: str, path: Path) -> list[str]:
    """The private HA members, and other objects' private names, that a module takes."""
    tree = ast.parse(path.read_text())
    module = importlib.import_module(dotted)

    def where(node: ast.AST) -> str:
        shown = path.relative_to(PACKAGE) if path.is_relative_to(PACKAGE) else path.name
        return f"{shown}:{getattr(node, 'lineno', '?')}"

    found = [
        f"{where(node)}: takes {node.attr} of another object"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and not is_self(node.value)
        and node.attr in every_ha_private_name()
        and not is_documented(node.attr)
    ]
    for cls_node in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
        cls = getattr(module, cls_node.name, None)
        if not isinstance(cls, type):
            continue  # a class defined inside a function: its bases are checked nowhere else
        theirs = ha_private_names(cls)
        for node in ast.walk(cls_node):
            name = None
            if isinstance(node, ast.Attribute) and is_self(node.value):
                name = node.attr
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node in cls_node.body:
                name = node.name
            if name and is_private(name) and name in theirs and not is_documented(name):
                found.append(f"{where(node)}: {cls_node.name} uses HA's private {name}")
    return found


@pytest.mark.parametrize(("dotted", "path"), modules(), ids=[d for d, _ in modules()])
def test_no_private_member_of_home_assistant_is_used(dotted: str, path: Path) -> None:
    assert violations_in(dotted, path) == []


def test_the_check_sees_an_override_of_a_private_coordinator_method() -> None:
    """The check itself: today's main overrode _schedule_refresh and read _listeners."""
    probe = Path(__file__).parent / "probes" / "ha_private_members.py"
    found = violations_in("tests.probes.ha_private_members", probe)
    assert [line.split(": ", 1)[1] for line in found] == [
        "takes _async_schedule_save of another object",
        "Polling uses HA's private _schedule_refresh",
        "Polling uses HA's private _listeners",
        "Polling uses HA's private _schedule_refresh",
    ]
