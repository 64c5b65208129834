"""Helpers for the media player, coordinator and action tests."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import SupportsResponse
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.spotify_webapi.const import CONFIRM_DELAY, DOMAIN

if TYPE_CHECKING:
    from collections.abc import Mapping

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant, State
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import LoggedRequest, SpotifySimulator

ALICE = "media_player.spotify_alice_example"
CAROL = "media_player.spotify_carol_example"


def api_calls(sim: SpotifySimulator) -> list[tuple[str, str, dict[str, str], Any]]:
    """(method, path, query, JSON body) of every Web API request since the log was cleared."""
    return [(r.method, r.path, r.query, r.json) for r in sim.requests if r.path.startswith("/v1/")]


def polls(sim: SpotifySimulator) -> list[LoggedRequest]:
    """The playback polls the simulator saw."""
    return [r for r in sim.requests if r.method == "GET" and r.path == "/v1/me/player"]


def state(hass: HomeAssistant, entity_id: str = ALICE) -> State:
    """The entity's current state (it must exist)."""
    found = hass.states.get(entity_id)
    assert found is not None, entity_id
    return found


async def media(hass: HomeAssistant, service: str, entity_id: str = ALICE, **data: Any) -> None:
    """Call a media_player service on the entity and wait for it."""
    await hass.services.async_call(
        "media_player", service, {"entity_id": entity_id, **data}, blocking=True
    )


def set_options(hass: HomeAssistant, entry: MockConfigEntry, options: Mapping[str, Any]) -> None:
    """Store options as the options flow does: the loaded account is told at once."""
    if entry.state is ConfigEntryState.LOADED:
        entry.runtime_data.coordinator.async_apply_options(options)
    hass.config_entries.async_update_entry(entry, options=options)


async def later(hass: HomeAssistant, seconds: float) -> None:
    """Let HA's timers that fall due within ``seconds`` fire (no real waiting)."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
    await hass.async_block_till_done(wait_background_tasks=True)


async def confirm(hass: HomeAssistant) -> None:
    """Let the confirmation poll after commands run."""
    await later(hass, CONFIRM_DELAY + 0.1)


async def next_poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Let the coordinator's timer fire once."""
    interval = entry.runtime_data.coordinator.update_interval
    assert interval is not None
    await later(hass, interval.total_seconds() + 0.6)


async def tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    """Let ``seconds`` pass for HA and the simulator alike (frozen clocks); run what fell due."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def act(
    hass: HomeAssistant, entry: MockConfigEntry, service: str, **data: Any
) -> dict[str, Any] | None:
    """Run one of our actions for ``entry``; return its response where it has one."""
    respond = hass.services.supports_response(DOMAIN, service) is not SupportsResponse.NONE
    response = await hass.services.async_call(
        DOMAIN,
        service,
        {"config_entry_id": entry.entry_id, **data},
        blocking=True,
        return_response=respond,
    )
    return dict(response) if response is not None else None


async def open_device(
    hass: HomeAssistant, entry: MockConfigEntry, key: str, choice: str = "device"
) -> dict[str, Any]:
    """The options form of the remembered device ``key`` (``choice``: "device" or "forget")."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["settings", "devices"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "devices"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "devices"
    result = await hass.config_entries.options.async_configure(result["flow_id"], {"device": key})
    assert result["type"] is FlowResultType.MENU
    assert (result["step_id"], result["menu_options"]) == ("device_menu", ["device", "forget"])
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": choice}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == choice
    return dict(result)
