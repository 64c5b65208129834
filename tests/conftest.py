"""Fixtures shared by every test: the simulator on loopback, and the plugin set-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

# Import the project's package before Home Assistant's loader can find another
# custom_components on sys.path (e.g. one in a test config folder).
import custom_components.spotify_webapi as _integration
from tests.simulator import SpotifySimulator

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

pytest_plugins = ["pytest_homeassistant_custom_component"]

assert _integration.__file__.startswith(
    str(__import__("pathlib").Path(__file__).resolve().parent.parent)
), f"loaded the wrong custom_components: {_integration.__file__}"


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[SpotifySimulator]:
    """A fresh Spotify simulator (accounts + Web API) on an ephemeral loopback port."""
    async with SpotifySimulator() as sim:
        yield sim
