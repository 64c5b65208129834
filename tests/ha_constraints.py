"""Whether the installed packages keep the package constraints of the installed Home Assistant.

Home Assistant installs itself under ``homeassistant/package_constraints.txt``; a venv built
without them can pair libraries that cannot work together (aiodns with a pycares it cannot
call). Run as ``python -m tests.ha_constraints`` to check any venv, e.g. ``.venv/dev``.
"""

from __future__ import annotations

import sys
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement


def constraints_file() -> Path:
    """The constraints file of the Home Assistant this interpreter imports."""
    spec = find_spec("homeassistant")
    assert spec is not None, "homeassistant is not installed"
    assert spec.origin is not None
    return Path(spec.origin).with_name("package_constraints.txt")


def violations() -> list[str]:
    """Installed distributions whose version a constraint of Home Assistant excludes."""
    found = []
    for line in constraints_file().read_text().splitlines():
        text = line.split("#", 1)[0].strip()
        if not text or text.startswith("-"):
            continue
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        try:
            installed = metadata.version(requirement.name)
        except metadata.PackageNotFoundError:
            continue
        if not requirement.specifier.contains(installed, prereleases=True):
            found.append(f"{requirement.name} {installed} (Home Assistant wants {requirement})")
    return found


if __name__ == "__main__":
    problems = violations()
    for problem in problems:
        print(problem)  # noqa: T201
    sys.exit(1 if problems else 0)
