"""The suite's fixtures (simulator, credentials, entries) for the benchmark's harness runs."""

from __future__ import annotations

pytest_plugins = ["tests.conftest", "tests.integration.conftest"]
