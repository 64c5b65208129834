"""Remembered devices: stored across restarts, offered as sources, removed with the entry."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.data_entry_flow import FlowResultType

from custom_components.spotify_webapi.const import (
    CONF_IDLE_INTERVAL,
    CONF_LINKED_PLAYERS,
    CONF_PLAYING_INTERVAL,
    CONF_SHOW_RESTRICTED_DEVICES,
    CONF_WAKE_UP,
)
from custom_components.spotify_webapi.devices.remembered import STORAGE_VERSION, storage_key

from .conftest import setup_entry
from .helpers import api_calls, open_device, state
from .sleepers import KITCHEN, PLUG, WAKE_SCRIPT, add_speaker, put_to_sleep, setup_wake_up_tools

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")


def stored(hass_storage: dict[str, Any], entry: MockConfigEntry) -> dict[str, Any]:
    data: dict[str, Any] = hass_storage[storage_key(entry.entry_id)]
    assert data["version"] == STORAGE_VERSION
    return dict(data["data"])


async def restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload and load the entry again: a new coordinator reads the stored devices."""
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_devices_are_remembered_across_a_restart_and_offered_while_offline(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    speaker = add_speaker(sim)
    await setup_entry(hass, config_entry)
    sim.player("alice").put_to_sleep(KITCHEN)
    await restart(hass, config_entry)  # the new coordinator's first read lacks the speaker

    names = {d["name"]: d for d in stored(hass_storage, config_entry)["devices"]}
    # Restricted devices and devices without an id cannot be controlled: not remembered.
    assert set(names) == {"Alice's MacBook", "Alice's iPhone", "Bedroom TV", KITCHEN, "Living Room"}
    assert names[KITCHEN] | {"last_seen": None} == {
        "key": speaker.id,
        "id": speaker.id,
        "name": KITCHEN,
        "type": "Speaker",
        "supports_volume": True,
        "last_seen": None,
    }
    source_list = state(hass).attributes["source_list"]
    assert source_list[-1] == f"{KITCHEN} (offline)"
    assert source_list[:-1] == sorted(source_list[:-1], key=str.casefold)
    assert KITCHEN not in source_list


async def test_the_last_device_survives_a_restart(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    await setup_entry(hass, config_entry)
    active = sim.player("alice").active
    assert active is not None
    await restart(hass, config_entry)
    assert stored(hass_storage, config_entry)["last_used"] == active.id
    last = config_entry.runtime_data.coordinator.remembered.last_used
    assert last is not None
    assert last.name == active.name


async def test_a_damaged_store_loses_only_the_damaged_records(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    good = {
        "key": "a" * 40,
        "id": "b" * 40,
        "name": "Attic",
        "type": "Speaker",
        "supports_volume": False,
        "last_seen": "2026-01-01T00:00:00+00:00",
    }
    hass_storage[storage_key(config_entry.entry_id)] = {
        "version": STORAGE_VERSION,
        "key": storage_key(config_entry.entry_id),
        "data": {"devices": [good, {"id": 7}, "junk"], "last_used": "nowhere"},
    }
    await setup_entry(hass, config_entry)
    assert config_entry.state is ConfigEntryState.LOADED
    remembered = config_entry.runtime_data.coordinator.remembered
    assert remembered.get("a" * 40) is not None
    last = remembered.last_used  # not the damaged "nowhere": the device playing now
    assert last is not None
    assert last.name == "Alice's MacBook"
    assert "Ignoring a damaged remembered device" in caplog.text
    assert "Attic (offline)" in state(hass).attributes["source_list"]


async def test_the_store_goes_with_the_entry(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    await setup_entry(hass, config_entry)
    await hass.config_entries.async_unload(config_entry.entry_id)
    assert storage_key(config_entry.entry_id) in hass_storage  # written when unloading
    await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert storage_key(config_entry.entry_id) not in hass_storage


async def test_polls_of_the_same_device_write_the_store_at_most_once_an_hour(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinator
    writes = 0
    original = coordinator.remembered._store.async_delay_save

    def counted(*args: Any, **kwargs: Any) -> None:
        nonlocal writes
        writes += 1
        original(*args, **kwargs)

    coordinator.remembered._store.async_delay_save = counted  # type: ignore[method-assign]
    for _ in range(5):  # the same device, only later: no write
        freezer.tick(timedelta(minutes=5))
        await coordinator.async_refresh()
    assert writes == 0

    freezer.tick(timedelta(hours=1))  # an hour after the last write: its last_seen is kept
    await coordinator.async_refresh()
    assert writes == 1

    active = sim.player("alice").active
    assert active is not None
    active.name = "Renamed"  # news: written at once
    await coordinator.async_refresh()
    await coordinator.async_refresh_devices()
    assert writes == 2


async def test_remembering_costs_no_request(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)
    sim.clear_requests()
    await config_entry.runtime_data.coordinator.async_refresh()
    assert [(m, p) for m, p, _, _ in api_calls(sim)] == [("GET", "/v1/me/player")]


# --- the options flow -------------------------------------------------------------------


@pytest.fixture
async def alice(hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry) -> Any:
    """Alice's entry has seen the kitchen speaker; the wake-up tools exist."""
    add_speaker(sim)
    await setup_wake_up_tools(hass, sim)
    await setup_entry(hass, config_entry)
    return config_entry


async def test_options_give_a_device_a_wake_up_action(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    kitchen = sim.player("alice").named(KITCHEN)
    result = await open_device(hass, alice, str(kitchen.id))
    assert result["description_placeholders"]["device"] == KITCHEN

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"wake_up_entity": "switch.nothing_here", "wait": 20}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"wake_up_entity": "entity_not_found"}
    assert CONF_WAKE_UP not in alice.options

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"wake_up_entity": PLUG, "wait": 20}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert alice.options[CONF_WAKE_UP] == {kitchen.id: {"entity_id": PLUG, "wait": 20}}

    # The general settings keep the wake-up actions.
    result = await hass.config_entries.options.async_init(alice.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "settings"}
    )
    settings = {
        CONF_PLAYING_INTERVAL: 10,
        CONF_IDLE_INTERVAL: 60,
        CONF_SHOW_RESTRICTED_DEVICES: False,
    }
    result = await hass.config_entries.options.async_configure(result["flow_id"], settings)
    assert alice.options == settings | {
        CONF_WAKE_UP: {kitchen.id: {"entity_id": PLUG, "wait": 20}},
        CONF_LINKED_PLAYERS: {},
    }

    # The device's form shows the action; clearing it removes it.
    result = await open_device(hass, alice, str(kitchen.id))
    fields = {str(key): key for key in result["data_schema"].schema}
    assert fields["wake_up_entity"].description == {"suggested_value": PLUG}
    assert fields["wait"].default() == 20
    result = await hass.config_entries.options.async_configure(result["flow_id"], {"wait": 20})
    assert alice.options[CONF_WAKE_UP] == {}


async def test_options_forget_a_device(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    kitchen = sim.player("alice").named(KITCHEN)
    result = await open_device(hass, alice, str(kitchen.id))
    await hass.config_entries.options.async_configure(
        result["flow_id"], {"wake_up_entity": WAKE_SCRIPT, "wait": 30}
    )
    await put_to_sleep(hass, sim, alice)
    assert f"{KITCHEN} (offline)" in state(hass).attributes["source_list"]

    options = dict(alice.options)
    remembered = alice.runtime_data.coordinator.remembered

    # Cancelled at the confirmation: nothing changes.
    result = await open_device(hass, alice, str(kitchen.id), "forget")
    assert result["description_placeholders"] == {"device": KITCHEN}
    hass.config_entries.options.async_abort(result["flow_id"])
    assert dict(alice.options) == options
    assert remembered.find(KITCHEN) is not None

    result = await open_device(hass, alice, str(kitchen.id), "forget")
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert alice.options[CONF_WAKE_UP] == {}
    assert remembered.find(KITCHEN) is None
    assert f"{KITCHEN} (offline)" not in state(hass).attributes["source_list"]


async def test_a_device_form_left_with_an_error_then_cancelled_changes_nothing(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    kitchen = sim.player("alice").named(KITCHEN)
    options = dict(alice.options)
    result = await open_device(hass, alice, str(kitchen.id))
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"wake_up_entity": "script.gone", "wait": 30}
    )
    assert result["errors"] == {"wake_up_entity": "entity_not_found"}
    hass.config_entries.options.async_abort(result["flow_id"])
    assert dict(alice.options) == options
    assert alice.runtime_data.coordinator.remembered.find(KITCHEN) is not None
