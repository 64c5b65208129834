"""Fixtures for the simulator's own tests: an HTTP session next to the shared simulator."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
import pytest

from tests.simulator import SimClock, SpotifySimulator

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

FROZEN_AT = 1_790_000_000.0  # 2026-09-21, a fixed "now" for exact playback arithmetic


@pytest.fixture
async def http(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp session, as a client of the simulator would use."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def frozen(socket_enabled: None) -> AsyncIterator[SpotifySimulator]:
    """A simulator whose clock only moves when told, so playback progress is exact."""
    async with SpotifySimulator(clock=SimClock(frozen_at=FROZEN_AT)) as sim:
        yield sim


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the OpenAPI conformance check last: it reads what every other test recorded."""
    items.sort(key=lambda item: item.path.name == "test_openapi_conformance.py")
