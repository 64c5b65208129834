"""Snapshot and restore: pause, announce, resume exactly; move a session; refusals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.exceptions import ServiceValidationError

from custom_components.spotify_webapi.actions.snapshot_store import SAVE_DELAY
from custom_components.spotify_webapi.const import DOMAIN
from tests.simulator.ids import uri

from .conftest import setup_entry
from .helpers import act, api_calls, confirm, later, media, set_options, state

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator
    from tests.simulator.devices import Device

pytestmark = pytest.mark.usefixtures("setup_credentials")


@pytest.fixture
async def alice(hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry) -> Any:
    """Alice's entry, set up, with the request log cleared (and the simulator's clock frozen)."""
    sim.clock.freeze()
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    sim.clear_requests()
    return config_entry


def device(sim: SpotifySimulator, name: str) -> Device:
    return next(d for d in sim.player("alice").devices if d.name == name)


async def test_pause_announce_resume_exactly(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    before = player.playback
    assert before is not None
    item, context = before.item_uri, before.context_uri
    player.set_repeat(None, "context")
    mac = device(sim, "Alice's MacBook")

    taken = await act(hass, alice, "snapshot", name="announcement")

    assert taken is not None
    position = taken["position_ms"]
    assert position == int(before.position_ms)
    assert taken == {
        "name": "announcement",
        "device_id": mac.id,
        "device_name": "Alice's MacBook",
        "context_uri": context,
        "item_uri": item,
        "item_name": taken["item_name"],
        "position_ms": position,
        "shuffle": False,
        "repeat": "context",
        "volume": mac.volume_percent,
        "is_playing": True,
    }
    assert [call[:2] for call in api_calls(sim)] == [("GET", "/v1/me/player")]

    # The announcement: pause, something else plays meanwhile, the volume changes.
    await media(hass, "media_pause")
    album = next(iter(sim.world.catalogue.albums))
    player.play(None, context_uri=uri("album", album))
    player.set_repeat(None, "off")
    mac.volume_percent = 90
    sim.clear_requests()

    await act(hass, alice, "restore", name="announcement")

    assert api_calls(sim) == [
        (
            "PUT",
            "/v1/me/player/play",
            {"device_id": mac.id},
            {"context_uri": context, "offset": {"uri": item}, "position_ms": position},
        ),
        ("PUT", "/v1/me/player/shuffle", {"state": "false", "device_id": mac.id}, None),
        ("PUT", "/v1/me/player/repeat", {"state": "context", "device_id": mac.id}, None),
        ("PUT", "/v1/me/player/volume", {"volume_percent": "60", "device_id": mac.id}, None),
    ]
    after = player.sync()
    assert after is not None
    assert (after.item_uri, after.context_uri, after.position_ms) == (item, context, position)
    assert after.is_playing
    assert player.repeat == "context"
    assert mac.volume_percent == 60
    await confirm(hass)
    assert state(hass).state == "playing"


async def test_a_paused_session_comes_back_paused_on_its_device(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    tv = device(sim, "Bedroom TV")  # no volume control
    player.transfer(str(tv.id), play=False)
    player.pause(None)
    player.set_shuffle(None, state=True)
    await act(hass, alice, "snapshot")
    player.transfer(str(device(sim, "Living Room").id), play=True)
    sim.clear_requests()

    await act(hass, alice, "restore")

    assert [call[:2] for call in api_calls(sim)] == [
        ("PUT", "/v1/me/player/play"),
        ("PUT", "/v1/me/player/shuffle"),
        ("PUT", "/v1/me/player/repeat"),
        ("PUT", "/v1/me/player/pause"),
    ]
    assert player.active is tv
    assert player.shuffle
    playback = player.sync()
    assert playback is not None
    assert not playback.is_playing


async def test_restore_moves_a_session_to_another_device(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    await act(hass, alice, "snapshot", name="evening")
    living_room = device(sim, "Living Room")

    await act(hass, alice, "restore", name="evening", device="Living Room")

    assert player.active is living_room
    # The volume belonged to the other device: it is not carried over.
    assert not [call for call in api_calls(sim) if call[1] == "/v1/me/player/volume"]


async def test_restore_falls_back_when_the_device_is_gone(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    await act(hass, alice, "snapshot")
    mac = device(sim, "Alice's MacBook")
    player.devices.remove(mac)
    player.active = None
    living_room = device(sim, "Living Room")
    set_options(hass, alice, {"default_device": living_room.id})
    alice.runtime_data.coordinator.last_device_id = None
    await hass.async_block_till_done()

    await act(hass, alice, "restore")

    assert player.active is living_room
    playback = player.sync()
    assert playback is not None
    assert playback.is_playing


async def test_snapshots_are_stored_and_survive_a_reload(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    taken = await act(hass, alice, "snapshot", name="kept")
    await later(hass, SAVE_DELAY + 1)
    stored = hass_storage[f"{DOMAIN}.{alice.entry_id}.snapshots"]
    assert taken is not None
    assert (stored["version"], stored["minor_version"]) == (1, 2)
    assert stored["data"]["snapshots"]["kept"]["item_uri"] == taken["item_uri"]
    await hass.config_entries.async_reload(alice.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    sim.player("alice").pause(None)

    await act(hass, alice, "restore", name="kept")

    playback = sim.player("alice").sync()
    assert playback is not None
    assert playback.item_uri == taken["item_uri"]
    assert playback.is_playing


async def test_restoring_nothing_loaded_only_stops_playback(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    saved = player.active, player.playback
    player.active, player.playback = None, None
    taken = await act(hass, alice, "snapshot", name="silence")
    assert taken is not None
    assert taken["item_uri"] is None
    player.active, player.playback = saved
    await alice.runtime_data.coordinator.async_refresh()
    sim.clear_requests()

    await act(hass, alice, "restore", name="silence")

    assert [call[:2] for call in api_calls(sim)] == [("PUT", "/v1/me/player/pause")]


@pytest.mark.parametrize(
    ("data", "key"),
    [({"name": "never taken"}, "unknown_snapshot"), ({"name": "  "}, "empty_snapshot_name")],
)
async def test_restore_refuses_without_sending(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    data: dict[str, Any],
    key: str,
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await act(hass, alice, "restore", **data)

    assert raised.value.translation_key == key
    assert api_calls(sim) == []


async def test_removing_the_account_removes_its_snapshots(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    await act(hass, alice, "snapshot")
    await later(hass, SAVE_DELAY + 1)
    key = f"{DOMAIN}.{alice.entry_id}.snapshots"
    assert key in hass_storage

    await hass.config_entries.async_remove(alice.entry_id)
    await hass.async_block_till_done()

    assert key not in hass_storage
