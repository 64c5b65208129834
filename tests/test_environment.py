"""The venvs are what Home Assistant would install: its own package constraints hold."""

from __future__ import annotations

import subprocess

import pytest

from tests.devserver import hass as devserver_hass
from tests.ha_constraints import constraints_file, violations


def test_installed_packages_keep_home_assistants_constraints() -> None:
    assert constraints_file().is_file()
    assert violations() == []


@pytest.mark.e2e
def test_the_dev_hass_keeps_home_assistants_constraints() -> None:
    python = devserver_hass.DEV_VENV / "bin" / "python"
    assert python.exists(), devserver_hass.missing_dev_venv_message()

    checked = subprocess.run(  # noqa: S603 - our own venv's interpreter
        [python, "-m", "tests.ha_constraints"],
        cwd=devserver_hass.PROJECT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert checked.returncode == 0, checked.stdout + checked.stderr
