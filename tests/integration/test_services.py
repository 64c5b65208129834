"""The actions: what each sends and answers, and each bad input refused before sending."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.setup import async_setup_component

import custom_components.spotify_webapi as integration
from custom_components.spotify_webapi.actions import ALL_ACTIONS as ACTIONS
from custom_components.spotify_webapi.const import DOMAIN
from tests.simulator.artwork import images
from tests.simulator.ids import uri

from .conftest import entry_for, setup_entry
from .helpers import CAROL, act, api_calls, confirm, state

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

PACKAGE = Path(integration.__file__).parent


@pytest.fixture
async def alice(hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry) -> Any:
    """Alice's entry, set up, with the request log cleared."""
    await setup_entry(hass, config_entry)
    sim.clear_requests()
    return config_entry


def device(sim: SpotifySimulator, name: str, user: str = "alice") -> Any:
    return next(d for d in sim.player(user).devices if d.name == name)


def first(sim: SpotifySimulator, kind: str) -> str:
    table = getattr(sim.world.catalogue, f"{kind}s")
    return uri(kind, next(iter(table)))


# --- transfer_playback -------------------------------------------------------------------------


async def test_transfer_playback_by_name_keeps_the_state(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    living_room = device(sim, "Living Room")

    await act(hass, alice, "transfer_playback", device="Living Room")

    # The cached list knew the device: no read, one command.
    assert api_calls(sim) == [
        ("PUT", "/v1/me/player", {}, {"device_ids": [living_room.id], "play": False})
    ]
    player = sim.player("alice")
    assert player.active is living_room
    assert player.playback is not None
    assert player.playback.is_playing
    assert state(hass).attributes["source"] == "Living Room"


async def test_transfer_playback_by_id_starts_playing_at_a_volume(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    player.pause(None)
    tv = device(sim, "Alice's iPhone")

    await act(hass, alice, "transfer_playback", device=tv.id, play=True, volume=40)

    assert api_calls(sim) == [
        ("PUT", "/v1/me/player", {}, {"device_ids": [tv.id], "play": True}),
        ("PUT", "/v1/me/player/volume", {"volume_percent": "40", "device_id": tv.id}, None),
    ]
    assert player.active is tv
    assert tv.volume_percent == 40
    assert player.playback is not None
    assert player.playback.is_playing
    assert state(hass).attributes["volume_level"] == 0.4


@pytest.mark.parametrize(
    ("data", "key", "reads_devices"),
    [
        ({"device": "Nowhere"}, "unknown_device", True),
        ({"device": "Kitchen Echo"}, "device_not_controllable", False),  # restricted
        ({"device": "Web Player (Firefox)"}, "device_not_controllable", False),  # id null
        ({"device": "Living Room", "volume": 101}, "volume_out_of_range", False),
        ({"device": "Living Room", "volume": -1}, "volume_out_of_range", False),
    ],
)
async def test_transfer_playback_refuses_bad_input_without_sending(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    data: dict[str, Any],
    key: str,
    reads_devices: bool,
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await act(hass, alice, "transfer_playback", **data)

    assert caught.value.translation_key == key
    assert caught.value.translation_domain == DOMAIN
    assert api_calls(sim) == ([("GET", "/v1/me/player/devices", {}, None)] if reads_devices else [])
    assert sim.player("alice").active is device(sim, "Alice's MacBook")


async def test_unknown_device_message_names_it(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await act(hass, alice, "transfer_playback", device="Nowhere")

    assert str(caught.value) == (
        'Spotify lists no device with the id or name "Nowhere". Open Spotify on it, then try again'
    )


# --- play ----------------------------------------------------------------------------------------


async def test_play_a_context_on_a_device_from_an_offset_and_shuffled(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    album = max(sim.world.catalogue.albums.values(), key=lambda a: len(a.track_ids))
    album_uri = uri("album", album.id)
    living_room = device(sim, "Living Room")

    await act(
        hass,
        alice,
        "play",
        context_uri=f"https://open.spotify.com/album/{album.id}?si=x",
        offset=2,
        position=30,
        device="Living Room",
        shuffle=True,
    )

    assert api_calls(sim) == [
        (
            "PUT",
            "/v1/me/player/play",
            {"device_id": living_room.id},
            {"context_uri": album_uri, "offset": {"position": 2}, "position_ms": 30000},
        ),
        ("PUT", "/v1/me/player/shuffle", {"state": "true", "device_id": living_room.id}, None),
    ]
    player = sim.player("alice")
    assert player.active is living_room
    assert player.shuffle
    assert player.playback is not None
    assert player.playback.context_uri == album_uri
    assert player.playback.item_uri == uri("track", album.track_ids[2])
    assert player.playback.position_ms >= 30000


async def test_play_tracks_from_an_item_on_the_active_device(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    tracks = [uri("track", t) for t in list(sim.world.catalogue.tracks)[:3]]

    await act(hass, alice, "play", uris=tracks, offset=tracks[1])
    await act(hass, alice, "play", uris=tracks, offset="2")  # as the UI's text field sends it

    assert api_calls(sim) == [
        ("PUT", "/v1/me/player/play", {}, {"uris": tracks, "offset": {"uri": tracks[1]}}),
        ("PUT", "/v1/me/player/play", {}, {"uris": tracks, "offset": {"position": 2}}),
    ]
    playback = sim.player("alice").playback
    assert playback is not None
    assert playback.item_uri == tracks[2]


async def test_play_with_no_active_device_uses_the_fallback_or_says_why_not(
    hass: HomeAssistant, sim: SpotifySimulator
) -> None:
    carol = entry_for(sim, "carol")
    await setup_entry(hass, carol)
    sim.clear_requests()
    album = first(sim, "album")

    with pytest.raises(ServiceValidationError) as caught:
        await act(hass, carol, "play", context_uri=album)
    assert caught.value.translation_key == "no_active_device"
    assert api_calls(sim) == [("GET", "/v1/me/player/devices", {}, None)]

    player = sim.player("carol")
    player.devices = [d for d in player.devices if d.name == "Living Room"]
    await act(hass, carol, "play", context_uri=album)
    assert api_calls(sim)[-1] == (
        "PUT",
        "/v1/me/player/play",
        {"device_id": player.devices[0].id},
        {"context_uri": album},
    )
    assert state(hass, CAROL).state == "idle"  # nothing to show until Spotify confirms
    await confirm(hass)
    assert state(hass, CAROL).state == "playing"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({}, "uris_or_context"),
        (
            {"uris": ["spotify:track:{track}"], "context_uri": "spotify:album:{album}"},
            "uris_or_context",
        ),
        ({"uris": []}, "uris_or_context"),
        ({"context_uri": "spotify:album:bad"}, "invalid_uri"),
        ({"context_uri": "spotify:track:{track}"}, "invalid_uri"),  # a track is no context
        ({"uris": ["spotify:album:{album}"]}, "invalid_uri"),  # an album is no track
        ({"uris": ["not a uri"]}, "invalid_uri"),
        ({"context_uri": "spotify:album:{album}", "offset": -1}, "invalid_offset"),
        (
            {"context_uri": "spotify:album:{album}", "offset": "spotify:album:{album}"},
            "invalid_uri",
        ),
        ({"context_uri": "spotify:album:{album}", "position": -5}, "invalid_position"),
        ({"context_uri": "spotify:album:{album}", "device": "Nowhere"}, "unknown_device"),
    ],
)
async def test_play_refuses_bad_input_without_sending(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    data: dict[str, Any],
    key: str,
) -> None:
    ids = {"track": first(sim, "track").split(":")[-1], "album": first(sim, "album").split(":")[-1]}

    def fill(value: Any) -> Any:
        if isinstance(value, list):
            return [fill(item) for item in value]
        return value.format(**ids) if isinstance(value, str) else value

    with pytest.raises(ServiceValidationError) as caught:
        await act(hass, alice, "play", **{name: fill(value) for name, value in data.items()})

    assert caught.value.translation_key == key
    sent = [call for call in api_calls(sim) if call[0] != "GET"]
    assert sent == []


# --- add_to_queue ------------------------------------------------------------------------------


async def test_add_to_queue_queues_a_track_or_an_episode(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    track, episode = first(sim, "track"), first(sim, "episode")
    macbook = device(sim, "Alice's MacBook")

    await act(hass, alice, "add_to_queue", uri=track)
    await act(hass, alice, "add_to_queue", uri=episode, device="Alice's MacBook")

    assert api_calls(sim) == [
        ("POST", "/v1/me/player/queue", {"uri": track}, None),
        ("POST", "/v1/me/player/queue", {"uri": episode, "device_id": macbook.id}, None),
    ]
    assert sim.player("alice").queue == [track, episode]


@pytest.mark.parametrize("value", ["spotify:album:{album}", "spotify:track:bad", ""])
async def test_add_to_queue_refuses_what_cannot_be_queued(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry, value: str
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await act(
            hass, alice, "add_to_queue", uri=value.format(album=first(sim, "album").split(":")[-1])
        )

    assert caught.value.translation_key == "invalid_uri"
    assert api_calls(sim) == []


# --- responses ---------------------------------------------------------------------------------


async def test_get_devices_answers_every_device_read_now(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    response = await act(hass, alice, "get_devices")

    assert api_calls(sim) == [("GET", "/v1/me/player/devices", {}, None)]
    assert response is not None
    player = sim.player("alice")
    assert response["devices"] == [
        device.render(active=device is player.active) for device in player.devices
    ]
    json.dumps(response)  # what an action answers must be JSON


async def test_get_queue_answers_what_plays_now_and_next(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    episode = first(sim, "episode")
    sim.player("alice").queue.append(episode)
    playback = sim.player("alice").playback
    assert playback is not None

    response = await act(hass, alice, "get_queue")

    assert api_calls(sim) == [("GET", "/v1/me/player/queue", {}, None)]
    assert response is not None
    current = response["currently_playing"]
    track = sim.world.catalogue.tracks[playback.item_uri.split(":")[-1]]
    assert current["uri"] == playback.item_uri
    assert current["name"] == track.name
    assert current["type"] == "track"
    assert current["duration_ms"] == track.duration_ms
    assert current["artists"] == [sim.world.catalogue.artists[a].name for a in track.artist_ids]
    assert current["album"] == sim.world.catalogue.albums[track.album_id].name
    assert current["image"] == images(sim.base_url, "album", track.album_id)[0]["url"]
    upcoming = response["queue"]
    assert upcoming[0]["uri"] == episode
    assert upcoming[0]["type"] == "episode"
    show_id = sim.world.catalogue.episodes[episode.split(":")[-1]].show_id
    assert upcoming[0]["show"] == sim.world.catalogue.shows[show_id].name
    assert [item["uri"] for item in upcoming[1:]] == playback.items[4:23]
    json.dumps(response)


async def test_get_playback_answers_the_state_read_now(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    playback = player.playback
    assert playback is not None
    assert player.active is not None

    response = await act(hass, alice, "get_playback")

    assert api_calls(sim) == [("GET", "/v1/me/player", {"additional_types": "track,episode"}, None)]
    assert response is not None
    answered = response["playback"]
    assert answered["is_playing"] is True
    assert answered["device"] == player.active.render(active=True)
    assert answered["item"]["uri"] == playback.item_uri
    assert answered["context_uri"] == playback.context_uri
    assert answered["progress_ms"] >= 42000
    assert answered["shuffle"] is False
    assert answered["repeat"] == "off"
    json.dumps(response)


async def test_get_playback_and_queue_when_nothing_plays(
    hass: HomeAssistant, sim: SpotifySimulator
) -> None:
    carol = entry_for(sim, "carol")
    await setup_entry(hass, carol)

    assert await act(hass, carol, "get_playback") == {"playback": None}
    assert await act(hass, carol, "get_queue") == {"currently_playing": None, "queue": []}


# --- the account, and Spotify's refusals --------------------------------------------------------


async def test_an_unknown_account_is_refused(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await hass.services.async_call(
            DOMAIN, "get_devices", {"config_entry_id": "nope"}, blocking=True, return_response=True
        )
    assert caught.value.translation_key == "unknown_entry"
    assert api_calls(sim) == []


async def test_an_account_that_is_not_loaded_is_refused(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    sim.fail_next("/v1/me", 503)
    await setup_entry(hass, config_entry)

    with pytest.raises(ServiceValidationError) as caught:
        await act(hass, config_entry, "get_devices")
    assert caught.value.translation_key == "entry_not_loaded"
    assert caught.value.translation_placeholders == {"account": "Alice Example"}


async def test_spotify_refusals_in_actions_are_translated(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    sim.fail_next("/v1/me/player/queue", 429, retry_after=12)

    with pytest.raises(HomeAssistantError) as caught:
        await act(hass, alice, "get_queue")
    assert caught.value.translation_key == "rate_limited"
    assert caught.value.translation_placeholders == {"seconds": "12"}

    # The whole entry waits: the next action is refused without a request.
    with pytest.raises(HomeAssistantError) as caught:
        await act(hass, alice, "add_to_queue", uri=first(sim, "track"))
    assert caught.value.translation_key == "rate_limited"
    assert len(api_calls(sim)) == 1


# --- registration and descriptions -------------------------------------------------------------


async def test_actions_are_registered_without_any_account(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})

    assert set(hass.services.async_services_for_domain(DOMAIN)) == set(ACTIONS)


def test_services_yaml_strings_and_icons_describe_every_field() -> None:
    described = yaml.safe_load((PACKAGE / "services.yaml").read_text())
    strings = json.loads((PACKAGE / "strings.json").read_text())["services"]
    all_icons = json.loads((PACKAGE / "icons.json").read_text())
    icons = all_icons["services"]
    player_key = "spotify"  # the translation key test_media_player finds in the registry
    assert all_icons["entity"]["media_player"][player_key]["default"] == "mdi:spotify"

    assert set(described) == set(ACTIONS) == set(strings) == set(icons)
    for name, (_, schema, _) in ACTIONS.items():
        fields = {str(key) for key in schema.schema}
        assert set(described[name]["fields"]) == fields, name
        assert set(strings[name]["fields"]) == fields, name
        assert strings[name]["name"]
        assert strings[name]["description"]
        assert all(
            field["name"] and field["description"] for field in strings[name]["fields"].values()
        )
        assert icons[name]["service"].startswith("mdi:")
