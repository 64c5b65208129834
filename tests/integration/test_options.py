"""The options flow: bounded polling intervals and restricted devices, applied without a reload."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.data_entry_flow import FlowResultType, InvalidData

from custom_components.spotify_webapi.const import (
    CONF_DEFAULT_DEVICE,
    CONF_IDLE_INTERVAL,
    CONF_PLAYING_INTERVAL,
    CONF_SHOW_RESTRICTED_DEVICES,
    DEFAULT_IDLE_INTERVAL,
    DEFAULT_PLAYING_INTERVAL,
    DEFAULT_SHOW_RESTRICTED_DEVICES,
    IDLE_INTERVAL_RANGE,
    PLAYING_INTERVAL_RANGE,
)

from .conftest import setup_entry
from .helpers import media, set_options

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials", "sim")


def defaults(result: dict[str, object]) -> dict[str, object]:
    """The form's default values, by field name (fields without one left out)."""
    schema = result["data_schema"]
    return {
        str(key): key.default()
        for key in schema.schema  # type: ignore[attr-defined]
        if key.default is not vol.UNDEFINED
    }


def device_choices(result: dict[str, object]) -> list[dict[str, str]] | None:
    """The options of the default-device dropdown (None when the form has no such field)."""
    schema = result["data_schema"]
    for key, value in schema.schema.items():  # type: ignore[attr-defined]
        if str(key) == CONF_DEFAULT_DEVICE:
            return [dict(option) for option in value.config["options"]]
    return None


async def open_settings(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, Any]:
    """Open the options and pick the general settings from the menu."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert "settings" in result["menu_options"]
    return dict(
        await hass.config_entries.options.async_configure(
            result["flow_id"], {"next_step_id": "settings"}
        )
    )


def suggested(result: dict[str, object], field: str) -> object:
    schema = result["data_schema"]
    for key in schema.schema:  # type: ignore[attr-defined]
        if str(key) == field:
            return (key.description or {}).get("suggested_value")
    raise KeyError(field)


async def test_options_apply_without_a_reload(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)
    runtime = config_entry.runtime_data

    result = await open_settings(hass, config_entry)
    assert result["type"] is FlowResultType.FORM
    assert defaults(result) == {
        CONF_PLAYING_INTERVAL: DEFAULT_PLAYING_INTERVAL,
        CONF_IDLE_INTERVAL: DEFAULT_IDLE_INTERVAL,
        CONF_SHOW_RESTRICTED_DEVICES: DEFAULT_SHOW_RESTRICTED_DEVICES,
    }
    chosen = {
        CONF_PLAYING_INTERVAL: 15,
        CONF_IDLE_INTERVAL: 120,
        CONF_SHOW_RESTRICTED_DEVICES: True,
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], chosen)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options == chosen
    assert config_entry.runtime_data is runtime  # not reloaded
    # Alice is playing (far from the track's end): the playing interval applies at once.
    assert runtime.coordinator.update_interval == timedelta(seconds=15)

    result = await open_settings(hass, config_entry)
    assert defaults(result) == chosen

    # Paused (in HA: no faster polls for a resume elsewhere): the idle interval applies.
    await media(hass, "media_pause")
    await runtime.coordinator.async_refresh()
    assert runtime.coordinator.update_interval == timedelta(seconds=120)


async def test_default_device_is_chosen_from_the_live_device_list(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)
    devices = sim.player("alice").devices
    sim.clear_requests()

    result = await open_settings(hass, config_entry)

    # Read from Spotify as the form opens; no id, no control: those two are not offered.
    assert [(r.method, r.path) for r in sim.requests] == [("GET", "/v1/me/player/devices")]
    offered = [d for d in devices if d.id is not None and not d.is_restricted]
    assert device_choices(result) == sorted(
        ({"value": d.id, "label": d.name} for d in offered), key=lambda c: c["label"].casefold()
    )
    assert suggested(result, CONF_DEFAULT_DEVICE) is None
    living_room = next(d for d in devices if d.name == "Living Room")
    values = {
        CONF_PLAYING_INTERVAL: 30,
        CONF_IDLE_INTERVAL: 90,
        CONF_SHOW_RESTRICTED_DEVICES: False,
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], values | {CONF_DEFAULT_DEVICE: living_room.id}
    )
    assert config_entry.options[CONF_DEFAULT_DEVICE] == living_room.id

    # The chosen device went offline: it stays offered (by id), and stays chosen.
    sim.player("alice").devices = [d for d in devices if d is not living_room]
    result = await open_settings(hass, config_entry)
    choices = device_choices(result)
    assert choices is not None
    assert {"value": living_room.id, "label": living_room.id} in choices
    assert suggested(result, CONF_DEFAULT_DEVICE) == living_room.id


async def test_device_list_falls_back_to_the_cache_when_spotify_fails(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)
    sim.fail_next("/v1/me/player/devices", 503)

    result = await open_settings(hass, config_entry)

    choices = device_choices(result)
    assert choices is not None
    assert "Living Room" in [c["label"] for c in choices]


async def test_options_of_an_entry_that_is_not_loaded_offer_no_devices(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    sim.fail_next("/v1/me", 503)
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY

    result = await open_settings(hass, config_entry)

    assert result["type"] is FlowResultType.FORM
    assert device_choices(result) is None


@pytest.mark.parametrize(
    "bad",
    [
        {CONF_PLAYING_INTERVAL: 9},
        {CONF_PLAYING_INTERVAL: 61},
        {CONF_IDLE_INTERVAL: 29},
        {CONF_IDLE_INTERVAL: 601},
    ],
)
async def test_options_out_of_bounds_are_refused(
    hass: HomeAssistant, config_entry: MockConfigEntry, bad: dict[str, int]
) -> None:
    await setup_entry(hass, config_entry)
    result = await open_settings(hass, config_entry)
    values = {
        CONF_PLAYING_INTERVAL: 15,
        CONF_IDLE_INTERVAL: 60,
        CONF_SHOW_RESTRICTED_DEVICES: False,
    }

    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(result["flow_id"], values | bad)
    assert config_entry.options == {}


async def test_intervals_saved_below_todays_floors_are_raised_to_them_once(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    # An entry of version 1.1, whose options were saved when 1 s and 5 s were allowed.
    assert config_entry.minor_version == 1
    config_entry.add_to_hass(hass)
    set_options(
        hass,
        config_entry,
        {CONF_PLAYING_INTERVAL: 1, CONF_IDLE_INTERVAL: 5, CONF_DEFAULT_DEVICE: "d1"},
    )
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    # Migrated in the entry itself, so that every later read can trust what is stored.
    assert (config_entry.version, config_entry.minor_version) == (1, 2)
    assert config_entry.options == {
        CONF_PLAYING_INTERVAL: PLAYING_INTERVAL_RANGE[0],
        CONF_IDLE_INTERVAL: IDLE_INTERVAL_RANGE[0],
        CONF_DEFAULT_DEVICE: "d1",
    }
    coordinator = config_entry.runtime_data.coordinator
    assert coordinator.update_interval == timedelta(seconds=PLAYING_INTERVAL_RANGE[0])

    result = await open_settings(hass, config_entry)
    assert defaults(result)[CONF_PLAYING_INTERVAL] == PLAYING_INTERVAL_RANGE[0]
    assert defaults(result)[CONF_IDLE_INTERVAL] == IDLE_INTERVAL_RANGE[0]

    await media(hass, "media_pause")
    await coordinator.async_refresh()
    assert coordinator.update_interval == timedelta(seconds=IDLE_INTERVAL_RANGE[0])


async def test_an_unreadable_interval_is_migrated_to_its_default(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    config_entry.add_to_hass(hass)
    set_options(hass, config_entry, {CONF_PLAYING_INTERVAL: "often", CONF_IDLE_INTERVAL: 10_000})
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED
    assert config_entry.options == {
        CONF_PLAYING_INTERVAL: DEFAULT_PLAYING_INTERVAL,
        CONF_IDLE_INTERVAL: IDLE_INTERVAL_RANGE[1],
    }


async def test_an_entry_of_a_newer_release_is_left_alone(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry, version=2, options={CONF_PLAYING_INTERVAL: 1}
    )
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.MIGRATION_ERROR
    assert config_entry.options == {CONF_PLAYING_INTERVAL: 1}
