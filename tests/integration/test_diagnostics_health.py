"""Diagnostics (redacted, snapshot) and system health."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import get_system_health_info
from syrupy.filters import props

from custom_components.spotify_webapi.const import CONF_LINKED_PLAYERS, CONF_WAKE_UP, DOMAIN
from custom_components.spotify_webapi.diagnostics import (
    async_get_config_entry_diagnostics,
    async_get_device_diagnostics,
)

from .conftest import entry_for, setup_entry
from .helpers import set_options

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
    assert diagnostics == snapshot(exclude=props("expires_at", *VOLATILE))


async def test_diagnostics_redact_the_device_ids_the_options_are_keyed_by(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    device_id = str(next(d for d in sim.player("alice").devices if d.id).id)
    config_entry.add_to_hass(hass)
    set_options(
        hass,
        config_entry,
        {
            CONF_WAKE_UP: {device_id: {"entity_id": "script.wake", "wait": 30}},
            CONF_LINKED_PLAYERS: {device_id: "media_player.kitchen"},
        },
    )
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()

    diagnostics = await async_get_config_entry_diagnostics(hass, config_entry)

    assert device_id not in json.dumps(diagnostics)


# Timing-dependent: seconds since the device list was read, the position in the track.
VOLATILE = ("devices_age_seconds", "progress_ms", "update_interval_seconds")


async def test_device_diagnostics_show_the_player_without_personal_details(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    await setup_entry(hass, config_entry)
    entity = er.async_get(hass).async_get("media_player.spotify_alice_example")
    assert entity is not None
    device = dr.async_get(hass).async_get(entity.device_id or "")
    assert device is not None

    diagnostics = await async_get_device_diagnostics(hass, config_entry, device)

    text = json.dumps(diagnostics)
    player = sim.player("alice")
    assert player.playback is not None
    personal = [d.name for d in player.devices] + [d.id for d in player.devices if d.id]
    for secret in [*personal, player.playback.item_uri, player.playback.context_uri]:
        assert secret not in text
    assert len(diagnostics["connect_devices"]) == len(player.devices)
    assert [d["has_id"] for d in diagnostics["connect_devices"]] == [
        d.id is not None for d in player.devices
    ]
    assert diagnostics["playback"]["is_playing"] is True
    assert diagnostics == snapshot(exclude=props(*VOLATILE))


async def test_device_diagnostics_of_an_idle_account(
    hass: HomeAssistant, sim: SpotifySimulator
) -> None:
    carol = entry_for(sim, "carol")
    await setup_entry(hass, carol)
    entity = er.async_get(hass).async_get("media_player.spotify_carol_example")
    assert entity is not None
    device = dr.async_get(hass).async_get(entity.device_id or "")
    assert device is not None

    diagnostics = await async_get_device_diagnostics(hass, carol, device)

    assert diagnostics["playback"] is None
    assert diagnostics["last_device_known"] is False
    assert len(diagnostics["connect_devices"]) == len(sim.player("carol").devices)


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
