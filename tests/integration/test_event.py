"""The playback event entity: one event per change the polls see, and no request of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component

from custom_components.spotify_webapi.playback_events import EVENT_TYPES, playback_events
from custom_components.spotify_webapi.webapi import Context, Device, PlaybackState, Track
from tests.simulator.ids import uri

from .conftest import setup_entry
from .helpers import api_calls, confirm, media, state

if TYPE_CHECKING:
    from homeassistant.core import Event, HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

EVENT_ENTITY = "event.spotify_alice_example_playback"


@pytest.fixture
async def alice(hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry) -> Any:
    """Alice's entry, set up, with the request log cleared."""
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    sim.clear_requests()
    return config_entry


def record_events(hass: HomeAssistant) -> list[tuple[str, dict[str, Any]]]:
    """(event type, attributes) of every event the entity fires from now on."""
    fired: list[tuple[str, dict[str, Any]]] = []

    @callback
    def on_change(event: Event[Any]) -> None:
        new = event.data["new_state"]
        if event.data["entity_id"] == EVENT_ENTITY and new and new.attributes.get("event_type"):
            fired.append((new.attributes["event_type"], dict(new.attributes)))

    hass.bus.async_listen(EVENT_STATE_CHANGED, on_change)
    return fired


async def poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_offers_the_event_types_and_starts_without_an_event(
    hass: HomeAssistant, alice: MockConfigEntry
) -> None:
    event = state(hass, EVENT_ENTITY)
    assert event.attributes["event_types"] == list(EVENT_TYPES)
    assert event.attributes["event_type"] is None
    assert event.attributes["friendly_name"] == "Spotify Alice Example Playback"
    registered = er.async_get(hass).async_get(EVENT_ENTITY)
    assert registered is not None
    assert registered.unique_id == "alice_playback_event"


async def test_a_track_change_elsewhere_fires_once_with_names_and_uris(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    fired = record_events(hass)
    player = sim.player("alice")
    playback = player.playback
    assert playback is not None
    before = playback.item_uri
    player.next(None)

    await poll(hass, alice)
    await poll(hass, alice)  # the same reading again is no change

    assert [kind for kind, _ in fired] == ["track_changed"]
    attributes = fired[0][1]
    track = sim.world.catalogue.tracks[player.playback.item_uri.rsplit(":", 1)[1]]
    assert attributes["uri"] == player.playback.item_uri
    assert attributes["previous_uri"] == before
    assert attributes["name"] == track.name
    assert attributes["artists"] == [sim.world.catalogue.artists[a].name for a in track.artist_ids]
    assert attributes["context_uri"] == playback.context_uri
    assert attributes["device_name"] == "Alice's MacBook"
    # Two polls; the only other request is the library switch's one read of the new track.
    assert [call[:2] for call in api_calls(sim)] == [
        ("GET", "/v1/me/player"),
        ("GET", "/v1/me/library/contains"),
        ("GET", "/v1/me/player"),
    ]


async def test_moving_and_starting_a_context_elsewhere(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    player.pause(None)
    await poll(hass, alice)
    fired = record_events(hass)
    living_room = next(d for d in player.devices if d.name == "Living Room")
    album = next(iter(sim.world.catalogue.albums))
    player.play(living_room.id, context_uri=uri("album", album))

    await poll(hass, alice)

    assert [kind for kind, _ in fired] == [
        "playback_started",
        "device_changed",
        "context_changed",
        "track_changed",
    ]
    device_changed = dict(fired)["device_changed"]
    assert device_changed["spotify_device_id"] == living_room.id
    assert device_changed["device_name"] == "Living Room"
    assert device_changed["previous_device_name"] == "Alice's MacBook"
    assert dict(fired)["context_changed"]["context_uri"] == uri("album", album)


async def test_pausing_and_nothing_loaded_stop_playback_once(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    fired = record_events(hass)

    await media(hass, "media_pause")
    await confirm(hass)
    sim.player("alice").active, sim.player("alice").playback = None, None
    await poll(hass, alice)

    # The pause shows (and fires) at once; the confirming poll and the idle one change nothing.
    assert [kind for kind, _ in fired] == ["playback_stopped"]
    assert state(hass, EVENT_ENTITY).attributes["event_type"] == "playback_stopped"


async def test_an_automation_triggers_on_the_event_type(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    calls: list[str] = []
    hass.services.async_register(
        "test", "record", callback(lambda call: calls.append(call.data["kind"]))
    )
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": {"trigger": "state", "entity_id": EVENT_ENTITY},
                "conditions": {
                    "condition": "state",
                    "entity_id": EVENT_ENTITY,
                    "attribute": "event_type",
                    "state": "track_changed",
                },
                "actions": {
                    "action": "test.record",
                    "data": {"kind": "{{ trigger.to_state.attributes.name }}"},
                },
            }
        },
    )
    player = sim.player("alice")
    player.next(None)
    await poll(hass, alice)

    track = sim.world.catalogue.tracks[player.playback.item_uri.rsplit(":", 1)[1]]
    assert calls == [track.name]


def test_events_between_readings() -> None:
    mac = Device(id="a" * 40, name="MacBook")
    web = Device(id=None, name="Web Player")
    song = Track(uri="spotify:track:1", name="One")
    other = Track(uri="spotify:track:2", name="Two")
    playing = PlaybackState(device=mac, is_playing=True, item=song, context=None)

    def kinds(before: PlaybackState | None, after: PlaybackState | None) -> list[str]:
        return [kind for kind, _ in playback_events(before, after)]

    assert kinds(playing, playing) == []
    assert kinds(None, None) == []
    assert kinds(None, playing) == ["playback_started", "device_changed", "track_changed"]
    assert kinds(playing, None) == ["playback_stopped"]
    paused = PlaybackState(device=mac, is_playing=False, item=other)
    assert kinds(playing, paused) == ["track_changed", "playback_stopped"]
    # Devices without an id are told apart by name.
    assert kinds(playing, PlaybackState(device=web, is_playing=True, item=song)) == [
        "device_changed"
    ]
    in_album = PlaybackState(
        device=mac, is_playing=True, item=song, context=Context(uri="spotify:album:x")
    )
    assert kinds(playing, in_album) == ["context_changed"]
    assert playback_events(playing, in_album)[0][1]["previous_context_uri"] is None


async def test_a_resume_spotify_does_not_carry_out_fires_nothing(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    """Spotify answers 204 and plays nothing: no playback_started, no playback_stopped."""
    player = sim.player("alice")
    player.pause(None)
    await poll(hass, alice)
    fired = record_events(hass)
    sim.fail_next("/v1/me/player/play", 204)

    await media(hass, "media_play")
    assert state(hass).state == "playing"  # the prediction shows at once
    await confirm(hass)
    await poll(hass, alice)

    assert player.playback is not None
    assert not player.playback.is_playing
    assert state(hass).state == "paused"
    assert fired == []


async def test_a_transfer_spotify_does_not_carry_out_fires_nothing(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    fired = record_events(hass)
    sim.fail_next("/v1/me/player", 204, method="PUT")

    await media(hass, "select_source", source="Living Room")
    await confirm(hass)
    await poll(hass, alice)

    assert [kind for kind, _ in fired] == []


async def test_a_pause_from_home_assistant_fires_once_when_spotify_confirms_it(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    fired = record_events(hass)
    await media(hass, "media_pause")
    assert fired == []  # predicted: shown, not yet an event
    await poll(hass, alice)
    await poll(hass, alice)
    assert [kind for kind, _ in fired] == ["playback_stopped"]
    assert fired[0][1]["spotify_device_id"] == sim.player("alice").active.id  # type: ignore[union-attr]
    assert "device_id" not in fired[0][1]
