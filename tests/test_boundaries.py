"""The library half (oauthcli/, webapi/) knows nothing of Home Assistant."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "custom_components" / "spotify_webapi"
ROOT = "custom_components.spotify_webapi"

# What each library package may import besides the standard library and itself.
ALLOWED = {
    "oauthcli": {"aiohttp", "oauthlib", "multidict", "yarl", f"{ROOT}.oauthcli"},
    "webapi": {"aiohttp", "multidict", "yarl", f"{ROOT}.webapi", f"{ROOT}.oauthcli"},
}


def imported_modules(source: str, package: str) -> set[str]:
    """Absolute names of the modules a source imports; relative imports resolved in ``package``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                names.add(".".join([*parts, node.module] if node.module else parts))
            else:
                names.add(node.module or "")
    return names


def violations(library: str, source: str, package: str) -> list[str]:
    """Imports of ``source`` that ``library`` may not make."""
    allowed = ALLOWED[library] | set(sys.stdlib_module_names) | {"__future__"}
    return sorted(
        module
        for module in imported_modules(source, package)
        if not any(module == a or module.startswith(f"{a}.") for a in allowed)
    )


@pytest.mark.parametrize("library", sorted(ALLOWED))
def test_library_imports_no_home_assistant(library: str) -> None:
    files = sorted((PACKAGE / library).rglob("*.py"))
    assert files, f"{library}/ has no modules"
    for path in files:
        package = ".".join([ROOT, *path.relative_to(PACKAGE).parent.parts])
        assert violations(library, path.read_text(), package) == [], path.name


def test_checker_sees_forbidden_imports() -> None:
    """The check above is not vacuous."""
    source = (
        "import json\nimport aiohttp\nfrom homeassistant.core import HomeAssistant\n"
        "from ..media_player import X\nfrom .errors import Y\n"
    )
    assert violations("webapi", source, f"{ROOT}.webapi") == [
        "custom_components.spotify_webapi.media_player",
        "homeassistant.core",
    ]
    assert violations("oauthcli", "from ..webapi import client\n", f"{ROOT}.oauthcli") == [
        "custom_components.spotify_webapi.webapi"
    ]


def test_cli_runs_standalone_without_home_assistant() -> None:
    """scripts/cli runs oauthcli as a top-level package, so the HA-free venv can run it."""
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['oauthcli', '--help']\n"
        "try:\n"
        "    runpy.run_module('oauthcli', run_name='__main__')\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'homeassistant'], 'HA imported'\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", probe],
        env={**os.environ, "PYTHONPATH": str(PACKAGE)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "authorize" in result.stdout
