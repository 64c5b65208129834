"""The media player: entity and device, state and attributes, features, and each command."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components.media_player import MediaPlayerEntityFeature as Feature
from homeassistant.const import STATE_IDLE, STATE_PAUSED, STATE_PLAYING
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from custom_components.spotify_webapi import media_player
from custom_components.spotify_webapi.const import DOMAIN
from tests.simulator.artwork import images
from tests.simulator.ids import uri

from .conftest import entry_for, setup_entry
from .helpers import ALICE, CAROL, api_calls, confirm, media, next_poll, polls, state

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

SEARCH = getattr(Feature, "SEARCH_MEDIA", Feature(0))
ALWAYS = Feature.BROWSE_MEDIA | Feature.SELECT_SOURCE | SEARCH
START = Feature.PLAY | Feature.PLAY_MEDIA | Feature.MEDIA_ENQUEUE
CONTROLS = (
    Feature.PAUSE
    | Feature.SEEK
    | Feature.NEXT_TRACK
    | Feature.PREVIOUS_TRACK
    | Feature.SHUFFLE_SET
    | Feature.REPEAT_SET
)
VOLUME = Feature.VOLUME_SET | Feature.VOLUME_STEP | Feature.VOLUME_MUTE


def features(hass: HomeAssistant, entity_id: str = ALICE) -> Feature:
    return Feature(state(hass, entity_id).attributes["supported_features"])


@pytest.fixture
async def alice(hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry) -> Any:
    """Alice's entry, set up, with the request log cleared."""
    await setup_entry(hass, config_entry)
    sim.clear_requests()
    return config_entry


async def test_one_player_per_account_on_a_service_device(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    carol = entry_for(sim, "carol")
    await setup_entry(hass, carol)

    registry = er.async_get(hass)
    for entity_id, user_id, entry in ((ALICE, "alice", alice), (CAROL, "carol", carol)):
        entity = registry.async_get(entity_id)
        assert entity is not None
        assert entity.unique_id == user_id
        assert entity.config_entry_id == entry.entry_id
        assert entity.has_entity_name
        assert entity.original_name is None  # the device's name is the entity's name
        assert entity.translation_key == "spotify"
        device = dr.async_get(hass).async_get(entity.device_id or "")
        assert device is not None
        assert device.identifiers == {(DOMAIN, user_id)}
        assert device.entry_type is dr.DeviceEntryType.SERVICE
        assert device.name == f"Spotify {sim.users[user_id].display_name}"
        assert device.manufacturer == "Spotify AB"
    assert state(hass).attributes["friendly_name"] == "Spotify Alice Example"
    assert media_player.PARALLEL_UPDATES == 1  # HA runs one command of the account at a time


async def test_playing_track_attributes(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    playback = player.playback
    assert playback is not None
    catalogue = sim.world.catalogue
    track = catalogue.tracks[playback.item_uri.split(":")[-1]]
    album = catalogue.albums[track.album_id]
    artists = ", ".join(catalogue.artists[a].name for a in track.artist_ids)
    album_artists = ", ".join(catalogue.artists[a].name for a in album.artist_ids)

    current = state(hass)
    attributes = current.attributes

    assert current.state == STATE_PLAYING
    assert attributes["media_title"] == track.name
    assert attributes["media_artist"] == artists
    assert attributes["media_album_name"] == album.name
    assert attributes["media_album_artist"] == album_artists
    assert attributes["media_track"] == track.track_number
    assert attributes["media_content_id"] == playback.item_uri
    assert attributes["media_content_type"] == "music"
    assert attributes["media_duration"] == round(track.duration_ms / 1000)
    assert attributes["media_position"] == 42
    assert attributes["media_position_updated_at"] is not None
    # Spotify's CDN is public: the picture is its own URL, not HA's proxy.
    assert attributes["entity_picture"] == images(sim.base_url, "album", album.id)[0]["url"]
    assert attributes["media_playlist"] == "Road Trip"
    assert attributes["shuffle"] is False
    assert attributes["repeat"] == "off"
    assert attributes["volume_level"] == 0.6
    assert attributes["is_volume_muted"] is False
    assert attributes["source"] == "Alice's MacBook"
    # Sorted; the restricted Kitchen Echo and the id-less web player are not offered.
    assert attributes["source_list"] == [
        "Alice's iPhone",
        "Alice's MacBook",
        "Bedroom TV",
        "Living Room",
    ]
    # Playing: resuming is disallowed by Spotify, so PLAY is not offered; PAUSE is.
    # Turning off pauses while playing.
    power = Feature.TURN_ON | Feature.TURN_OFF
    assert features(hass) == ALWAYS | (START & ~Feature.PLAY) | CONTROLS | VOLUME | power


async def test_episode_is_a_podcast_with_its_show(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    catalogue = sim.world.catalogue
    episode = next(iter(catalogue.episodes.values()))
    show = catalogue.shows[episode.show_id]
    sim.player("alice").load(None, uris=[uri("episode", episode.id)], position_ms=1_000)

    await setup_entry(hass, config_entry)

    attributes = state(hass).attributes
    assert attributes["media_content_type"] == "podcast"
    assert attributes["media_content_id"] == uri("episode", episode.id)
    assert attributes["media_title"] == episode.name
    assert attributes["media_artist"] == show.name
    assert "media_album_name" not in attributes
    assert "media_track" not in attributes
    assert "media_playlist" not in attributes  # a list of URIs, no playlist
    assert attributes["entity_picture"] == images(sim.base_url, "episode", episode.id)[0]["url"]


async def test_a_playlist_spotify_will_not_describe_just_has_no_name(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    playback = sim.player("alice").playback
    assert playback is not None
    assert playback.context_uri is not None
    playlist_id = playback.context_uri.split(":")[-1]
    sim.fail_next(f"/v1/playlists/{playlist_id}", 404)  # e.g. Spotify's own mixes

    await setup_entry(hass, config_entry)

    assert state(hass).state == STATE_PLAYING
    assert "media_playlist" not in state(hass).attributes
    # Asked once per context, not on every poll.
    await next_poll(hass, config_entry)
    assert len([r for r in sim.requests if r.path == f"/v1/playlists/{playlist_id}"]) == 1


async def test_polls_while_paused_write_no_new_state(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    """Paused, nothing moves: the position's timestamp stays, so HA writes nothing new."""
    player = sim.player("alice")
    player.pause(None)
    await next_poll(hass, alice)
    paused = state(hass)
    assert paused.state == STATE_PAUSED

    await next_poll(hass, alice)
    await next_poll(hass, alice)

    again = state(hass)
    assert (
        again.attributes["media_position_updated_at"]
        == (paused.attributes["media_position_updated_at"])
    )
    assert again.last_updated == paused.last_updated  # no state write, no recorder row

    player.seek(None, 10_000)  # moved elsewhere while paused: a new position, a new stamp
    await next_poll(hass, alice)
    assert state(hass).attributes["media_position"] == 10
    assert (
        state(hass).attributes["media_position_updated_at"]
        != (paused.attributes["media_position_updated_at"])
    )


async def test_paused_then_idle_follow_spotify(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    player.pause(None)
    await next_poll(hass, alice)
    assert state(hass).state == STATE_PAUSED
    # Turning on resumes while paused.
    power = Feature.TURN_ON | Feature.TURN_OFF
    assert features(hass) == ALWAYS | START | (CONTROLS & ~Feature.PAUSE) | VOLUME | power

    player.active, player.playback = None, None  # Spotify closed everywhere
    await next_poll(hass, alice)
    current = state(hass)
    assert current.state == STATE_IDLE
    # Play resumes on a fallback device; turning on resumes on the device used last.
    assert features(hass) == ALWAYS | START | power
    for absent in ("media_title", "source", "volume_level", "shuffle", "repeat"):
        assert absent not in current.attributes
    assert current.attributes["source_list"] == [
        "Alice's iPhone",
        "Alice's MacBook",
        "Bedroom TV",
        "Living Room",
    ]


async def test_features_follow_disallowed_actions(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    playback = player.playback
    assert playback is not None
    # The first item, no repeat: Spotify disallows going back.
    player.load(playback.context_uri, index=0, position_ms=1_000)
    await next_poll(hass, alice)
    assert Feature.PREVIOUS_TRACK not in features(hass)
    assert Feature.NEXT_TRACK in features(hass)

    # The last item: no skipping forward.
    player.load(playback.context_uri, index=len(playback.items) - 1, position_ms=1_000)
    await next_poll(hass, alice)
    assert Feature.NEXT_TRACK not in features(hass)
    assert Feature.PREVIOUS_TRACK in features(hass)


async def test_restricted_device_offers_only_source_selection(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    player.active = next(d for d in player.devices if d.is_restricted)
    await next_poll(hass, alice)

    assert state(hass).attributes["source"] == "Kitchen Echo"
    assert features(hass) == ALWAYS


async def test_device_without_volume_control_offers_no_volume(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    player.active = next(d for d in player.devices if not d.supports_volume)
    await next_poll(hass, alice)

    attributes = state(hass).attributes
    assert attributes["source"] == "Bedroom TV"
    assert "volume_level" not in attributes
    assert not features(hass) & VOLUME


def commands(sim: SpotifySimulator) -> list[tuple[str, str, dict[str, str], Any]]:
    """The requests other than polls."""
    return [call for call in api_calls(sim) if call[:2] != ("GET", "/v1/me/player")]


@pytest.mark.parametrize(
    ("service", "data", "sent", "expected"),
    [
        (
            "media_pause",
            {},
            ("PUT", "/v1/me/player/pause", {}, None),
            {"state": STATE_PAUSED},
        ),
        (
            "media_seek",
            {"seek_position": 100},
            ("PUT", "/v1/me/player/seek", {"position_ms": "100000"}, None),
            {"media_position": 100},
        ),
        (
            "volume_set",
            {"volume_level": 0.25},
            ("PUT", "/v1/me/player/volume", {"volume_percent": "25"}, None),
            {"volume_level": 0.25},
        ),
        (
            "volume_up",
            {},
            ("PUT", "/v1/me/player/volume", {"volume_percent": "70"}, None),
            {"volume_level": 0.7},
        ),
        (
            "volume_down",
            {},
            ("PUT", "/v1/me/player/volume", {"volume_percent": "50"}, None),
            {"volume_level": 0.5},
        ),
        (
            "shuffle_set",
            {"shuffle": True},
            ("PUT", "/v1/me/player/shuffle", {"state": "true"}, None),
            {"shuffle": True},
        ),
        (
            "repeat_set",
            {"repeat": "all"},
            ("PUT", "/v1/me/player/repeat", {"state": "context"}, None),
            {"repeat": "all"},
        ),
        (
            "repeat_set",
            {"repeat": "one"},
            ("PUT", "/v1/me/player/repeat", {"state": "track"}, None),
            {"repeat": "one"},
        ),
    ],
)
async def test_command_is_sent_shown_at_once_and_checked_by_the_next_poll(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    service: str,
    data: dict[str, Any],
    sent: tuple[str, str, dict[str, str], Any],
    expected: dict[str, Any],
) -> None:
    await media(hass, service, **data)

    assert api_calls(sim) == [sent]  # nothing else: no poll right after the command
    current = state(hass)
    shown = {"state": current.state} | dict(current.attributes)
    assert {key: shown[key] for key in expected} == expected

    # Its whole effect is shown: no confirming poll, the regular one checks it.
    await confirm(hass)
    assert polls(sim) == []
    await next_poll(hass, alice)
    assert len(polls(sim)) == 1
    confirmed = state(hass)
    assert {
        key: ({"state": confirmed.state} | dict(confirmed.attributes))[key] for key in expected
    } == expected


async def test_pause_and_play_offer_the_other_button_before_the_confirming_poll(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    # Spotify disallows resuming while playing: the optimistic state must not keep that.
    assert Feature.PLAY not in features(hass)

    await media(hass, "media_pause")
    shown = features(hass)
    assert Feature.PLAY in shown
    assert Feature.PAUSE not in shown
    await next_poll(hass, alice)
    assert len(polls(sim)) == 1
    assert features(hass) == shown  # what Spotify answers

    await media(hass, "media_play")
    shown = features(hass)
    assert Feature.PAUSE in shown
    assert Feature.PLAY not in shown
    await confirm(hass)
    assert features(hass) == shown


async def test_a_resume_is_shown_whole_but_a_start_on_the_fallback_device_is_confirmed(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    await media(hass, "media_pause")
    await media(hass, "media_play")
    assert state(hass).state == STATE_PLAYING
    # Resuming on the device it was paused on changes only the play state: no poll.
    await confirm(hass)
    assert polls(sim) == []

    # The device went away elsewhere: play starts on the fallback, and a poll tells what.
    await media(hass, "media_pause")
    player = sim.player("alice")
    player.active, player.playback = None, None
    await media(hass, "media_play")
    assert [c[:2] for c in commands(sim)[-3:]] == [
        ("PUT", "/v1/me/player/play"),  # no active device
        ("GET", "/v1/me/player/devices"),
        ("PUT", "/v1/me/player/play"),
    ]
    await confirm(hass)
    assert len(polls(sim)) == 1


async def test_commands_change_the_simulated_player(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    await media(hass, "volume_set", volume_level=0.3)
    await media(hass, "shuffle_set", shuffle=True)
    await media(hass, "repeat_set", repeat="one")
    await media(hass, "media_pause")

    assert player.active is not None
    assert player.active.volume_percent == 30
    assert player.shuffle is True
    assert player.repeat == "track"
    assert player.playback is not None
    assert not player.playback.is_playing

    # Each of them was shown whole: none needs a confirming poll.
    await confirm(hass)
    assert polls(sim) == []
    await media(hass, "media_play")
    assert commands(sim)[-1] == ("PUT", "/v1/me/player/play", {}, None)
    assert player.playback.is_playing
    assert state(hass).state == STATE_PLAYING


async def test_next_and_previous_show_the_item_the_poll_confirms(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    playback = player.playback
    assert playback is not None
    items = playback.items

    await media(hass, "media_next_track")
    assert commands(sim) == [("POST", "/v1/me/player/next", {}, None)]
    await confirm(hass)
    assert state(hass).attributes["media_content_id"] == items[4]
    assert state(hass).attributes["media_position"] == 0

    await media(hass, "media_previous_track")
    assert commands(sim)[-1] == ("POST", "/v1/me/player/previous", {}, None)
    await confirm(hass)
    assert state(hass).attributes["media_content_id"] == items[3]


async def test_mute_remembers_and_restores_the_volume(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    await media(hass, "volume_mute", is_volume_muted=True)
    assert state(hass).attributes["is_volume_muted"] is True
    assert state(hass).attributes["volume_level"] == 0
    await confirm(hass)
    assert state(hass).attributes["is_volume_muted"] is True
    await media(hass, "volume_mute", is_volume_muted=True)  # muting again forgets nothing

    await media(hass, "volume_mute", is_volume_muted=False)

    assert commands(sim) == [
        ("PUT", "/v1/me/player/volume", {"volume_percent": "0"}, None),
        ("PUT", "/v1/me/player/volume", {"volume_percent": "0"}, None),
        ("PUT", "/v1/me/player/volume", {"volume_percent": "60"}, None),
    ]
    assert state(hass).attributes["volume_level"] == 0.6
    player = sim.player("alice")
    assert player.active is not None
    assert player.active.volume_percent == 60


async def test_unmute_after_muting_elsewhere_uses_a_sensible_volume(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    assert player.active is not None
    player.active.volume_percent = 0  # muted in the Spotify app
    await next_poll(hass, alice)
    assert state(hass).attributes["is_volume_muted"] is True

    await media(hass, "volume_mute", is_volume_muted=False)

    assert commands(sim) == [("PUT", "/v1/me/player/volume", {"volume_percent": "50"}, None)]
    assert player.active.volume_percent == 50
