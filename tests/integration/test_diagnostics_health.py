"""Diagnostics (redacted, snapshot) and system health."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import get_system_health_info
from syrupy.filters import props

from custom_components.spotify_webapi.const import DOMAIN
from custom_components.spotify_webapi.diagnostics import async_get_config_entry_diagnostics

from .conftest import setup_entry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from syrupy.assertion import SnapshotAssertion

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")


async def test_diagnostics_redact_every_secret_and_personal_detail(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    await setup_entry(hass, config_entry)

    diagnostics = await async_get_config_entry_diagnostics(hass, config_entry)

    text = json.dumps(diagnostics)
    token = config_entry.data["token"]
    user = sim.users["alice"]
    for secret in (
        token["access_token"],
        token["refresh_token"],
        sim.DEFAULT_CLIENT_SECRET,
        user.id,
        user.email,
        user.display_name,
    ):
        assert secret not in text
    assert diagnostics == snapshot(exclude=props("expires_at"))


async def test_system_health_reports_reachability_and_accounts(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    assert await async_setup_component(hass, "system_health", {})
    await setup_entry(hass, config_entry)
    sim.clear_requests()

    info = await get_system_health_info(hass, DOMAIN)
    info = {
        key: await value if hasattr(value, "__await__") else value for key, value in info.items()
    }

    assert info == {"api_endpoint_reachable": "ok", "accounts_configured": 1}
    assert [(r.method, r.path) for r in sim.requests] == [("GET", "/v1")]

    await sim.stop()
    info = await get_system_health_info(hass, DOMAIN)
    assert await info["api_endpoint_reachable"] == {"type": "failed", "error": "unreachable"}
