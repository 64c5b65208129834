"""Source selection, play_media (items, links, Liked Songs, enqueue), fallbacks, errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import STATE_PAUSED, STATE_PLAYING
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from custom_components.spotify_webapi.const import (
    CONF_DEFAULT_DEVICE,
    CONF_SHOW_RESTRICTED_DEVICES,
    DOMAIN,
)
from tests.simulator.devices import Device as SimDevice
from tests.simulator.ids import collection_uri, uri

from .conftest import entry_for, setup_entry
from .helpers import CAROL, api_calls, confirm, media, next_poll, set_options, state

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

DEVICES = ("GET", "/v1/me/player/devices", {}, None)


@pytest.fixture
async def alice(hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry) -> Any:
    """Alice's entry, set up, with the request log cleared."""
    await setup_entry(hass, config_entry)
    sim.clear_requests()
    return config_entry


def device_id(sim: SpotifySimulator, name: str, user: str = "alice") -> str:
    found = next(d for d in sim.player(user).devices if d.name == name)
    assert found.id is not None
    return found.id


# --- select_source ---------------------------------------------------------------------------


async def test_select_source_transfers_and_keeps_playing(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    await media(hass, "select_source", source="Living Room")

    living_room = device_id(sim, "Living Room")
    assert api_calls(sim) == [
        DEVICES,  # the list a command needs is read fresh
        ("PUT", "/v1/me/player", {}, {"device_ids": [living_room], "play": False}),
    ]
    assert state(hass).attributes["source"] == "Living Room"
    player = sim.player("alice")
    assert player.active is not None
    assert player.active.name == "Living Room"
    assert player.playback is not None
    assert player.playback.is_playing


async def test_select_source_keeps_paused_playback_paused(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    player.pause(None)
    await next_poll(hass, alice)

    await media(hass, "select_source", source="Bedroom TV")

    assert player.active is not None
    assert player.active.name == "Bedroom TV"
    assert player.playback is not None
    assert not player.playback.is_playing
    assert state(hass).state == STATE_PAUSED
    assert state(hass).attributes["source"] == "Bedroom TV"


@pytest.mark.parametrize(
    "source",
    [
        "Nowhere",
        "Kitchen Echo",  # restricted: hidden while the option says so
        "Web Player (Firefox)",  # id null: Spotify cannot address it
    ],
)
async def test_select_source_refuses_what_it_cannot_select(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry, source: str
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await media(hass, "select_source", source=source)

    assert caught.value.translation_key == "unknown_source"
    assert caught.value.translation_placeholders == {"source": source}
    assert api_calls(sim) == [DEVICES]  # nothing was sent to move playback


async def test_a_device_that_just_appeared_can_be_selected(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    player.devices.append(SimDevice("a" * 40, "Garage", "Speaker", 20))

    await media(hass, "select_source", source="Garage")

    assert player.active is not None
    assert player.active.name == "Garage"
    assert "Garage" in state(hass).attributes["source_list"]


async def test_restricted_devices_shown_by_option_are_refused_by_spotify(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    set_options(hass, alice, {**alice.options, CONF_SHOW_RESTRICTED_DEVICES: True})
    await hass.async_block_till_done()
    assert "Kitchen Echo" in state(hass).attributes["source_list"]

    with pytest.raises(HomeAssistantError) as caught:
        await media(hass, "select_source", source="Kitchen Echo")

    assert caught.value.translation_key == "command_refused"
    assert api_calls(sim)[-1][:2] == ("PUT", "/v1/me/player")
    assert state(hass).attributes["source"] == "Alice's MacBook"


# --- play_media ------------------------------------------------------------------------------


def some(sim: SpotifySimulator, kind: str) -> str:
    """The id of the first catalogue object of a kind."""
    catalogue = sim.world.catalogue
    table = {
        "track": catalogue.tracks,
        "album": catalogue.albums,
        "artist": catalogue.artists,
        "show": catalogue.shows,
        "episode": catalogue.episodes,
        "playlist": sim.world.playlists,
    }[kind]
    return next(iter(table))


@pytest.mark.parametrize(
    ("media_id", "body"),
    [
        ("spotify:track:{track}", {"uris": ["spotify:track:{track}"]}),
        (
            "https://open.spotify.com/intl-de/track/{track}?si=0123abcd",
            {"uris": ["spotify:track:{track}"]},
        ),
        ("spotify:episode:{episode}", {"uris": ["spotify:episode:{episode}"]}),
        ("spotify:album:{album}", {"context_uri": "spotify:album:{album}"}),
        ("https://open.spotify.com/album/{album}", {"context_uri": "spotify:album:{album}"}),
        ("spotify:artist:{artist}", {"context_uri": "spotify:artist:{artist}"}),
        ("spotify:playlist:{playlist}", {"context_uri": "spotify:playlist:{playlist}"}),
        ("spotify:show:{show}", {"context_uri": "spotify:show:{show}"}),
    ],
)
async def test_play_media_plays_items_contexts_and_links(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    media_id: str,
    body: dict[str, Any],
) -> None:
    ids = {kind: some(sim, kind) for kind in ("track", "episode", "album", "artist", "playlist")}
    ids["show"] = some(sim, "show")

    def fill(value: Any) -> Any:
        if isinstance(value, list):
            return [fill(item) for item in value]
        return value.format(**ids)

    await media(hass, "play_media", media_content_type="music", media_content_id=fill(media_id))

    expected = {key: fill(value) for key, value in body.items()}
    assert api_calls(sim) == [("PUT", "/v1/me/player/play", {}, expected)]
    player = sim.player("alice")
    assert player.playback is not None
    assert player.playback.is_playing
    if "uris" in expected:
        assert player.playback.item_uri == expected["uris"][0]
    else:
        assert player.playback.context_uri == expected["context_uri"]
    assert state(hass).state == STATE_PLAYING


async def test_play_media_liked_songs_plays_the_users_collection(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    await media(
        hass,
        "play_media",
        media_content_type="current_user_saved_tracks",
        media_content_id="current_user_saved_tracks",
    )

    liked_songs = collection_uri("alice")
    assert api_calls(sim) == [("PUT", "/v1/me/player/play", {}, {"context_uri": liked_songs})]
    playback = sim.player("alice").playback
    assert playback is not None
    assert playback.is_playing
    assert playback.context_uri == liked_songs
    newest_saved = uri("track", sim.world.libraries["alice"].saved_tracks[0].id)
    assert playback.item_uri == newest_saved

    await confirm(hass)
    assert state(hass).state == STATE_PLAYING
    assert state(hass).attributes["media_content_id"] == newest_saved
    context = alice.runtime_data.coordinator.data.playback.context
    assert (context.type, context.uri) == ("collection", liked_songs)


@pytest.mark.parametrize("enqueue", ["add", "next"])
async def test_enqueue_add_and_next_queue_a_track(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry, enqueue: str
) -> None:
    track = uri("track", some(sim, "track"))

    await media(
        hass,
        "play_media",
        media_content_type="music",
        media_content_id=track,
        enqueue=enqueue,
    )

    assert api_calls(sim) == [("POST", "/v1/me/player/queue", {"uri": track}, None)]
    assert sim.player("alice").queue == [track]


@pytest.mark.parametrize("enqueue", ["play", "replace"])
async def test_enqueue_play_and_replace_start_playback(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry, enqueue: str
) -> None:
    album = uri("album", some(sim, "album"))

    await media(
        hass, "play_media", media_content_type="album", media_content_id=album, enqueue=enqueue
    )

    assert api_calls(sim) == [("PUT", "/v1/me/player/play", {}, {"context_uri": album})]


async def test_enqueue_of_a_context_is_refused_before_sending(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    album = uri("album", some(sim, "album"))

    with pytest.raises(ServiceValidationError) as caught:
        await media(
            hass, "play_media", media_content_type="album", media_content_id=album, enqueue="add"
        )

    assert caught.value.translation_key == "cannot_queue"
    assert api_calls(sim) == []


@pytest.mark.parametrize(
    "media_id",
    [
        "spotify:track:tooShort",
        "spotify:user:alice",
        "https://example.com/track/6rqhFgbbKwnb9MLmUQDhG6",
        "media-source://media_source/local/song.mp3",
    ],
)
async def test_play_media_refuses_what_is_not_spotify_media(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry, media_id: str
) -> None:
    with pytest.raises(ServiceValidationError) as caught:
        await media(hass, "play_media", media_content_type="music", media_content_id=media_id)

    assert caught.value.translation_key == "invalid_media"
    assert api_calls(sim) == []


# --- no active device ------------------------------------------------------------------------


@pytest.fixture
async def carol(hass: HomeAssistant, sim: SpotifySimulator) -> Any:
    """Carol has devices but none is active and nothing is loaded."""
    entry = entry_for(sim, "carol")
    await setup_entry(hass, entry)
    sim.clear_requests()
    return entry


async def test_no_active_device_and_no_way_to_choose_tells_the_user(
    hass: HomeAssistant, sim: SpotifySimulator, carol: MockConfigEntry
) -> None:
    track = uri("track", some(sim, "track"))

    with pytest.raises(ServiceValidationError) as caught:
        await media(hass, "play_media", CAROL, media_content_type="music", media_content_id=track)

    assert caught.value.translation_key == "no_active_device"
    assert caught.value.translation_domain == DOMAIN
    assert "open Spotify on a device" in str(caught.value)
    assert api_calls(sim) == [DEVICES]
    assert sim.player("carol").playback is None


async def test_no_active_device_plays_on_the_default_device(
    hass: HomeAssistant, sim: SpotifySimulator, carol: MockConfigEntry
) -> None:
    living_room = device_id(sim, "Living Room", "carol")
    set_options(hass, carol, {CONF_DEFAULT_DEVICE: living_room})
    track = uri("track", some(sim, "track"))

    await media(hass, "play_media", CAROL, media_content_type="music", media_content_id=track)

    assert api_calls(sim) == [
        DEVICES,
        ("PUT", "/v1/me/player/play", {"device_id": living_room}, {"uris": [track]}),
    ]
    player = sim.player("carol")
    assert player.active is not None
    assert player.active.name == "Living Room"
    assert player.playback is not None
    assert player.playback.is_playing


async def test_no_active_device_plays_on_the_only_device_available(
    hass: HomeAssistant, sim: SpotifySimulator, carol: MockConfigEntry
) -> None:
    player = sim.player("carol")
    # The restricted and the id-less devices cannot take playback: one device is left.
    player.devices = [d for d in player.devices if d.is_restricted or d.id is None]
    player.devices.append(SimDevice("b" * 40, "Carol's Laptop", "Computer", 40))

    await media(hass, "media_play", CAROL)

    assert api_calls(sim) == [DEVICES, ("PUT", "/v1/me/player/play", {"device_id": "b" * 40}, None)]
    assert player.active is not None
    assert player.active.name == "Carol's Laptop"


async def test_no_active_device_plays_on_the_device_used_last(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    macbook = device_id(sim, "Alice's MacBook")
    player.active, player.playback = None, None
    await next_poll(hass, alice)
    assert state(hass).state == "idle"
    set_options(hass, alice, {CONF_DEFAULT_DEVICE: device_id(sim, "Living Room")})
    sim.clear_requests()

    await media(hass, "media_play")

    assert api_calls(sim) == [DEVICES, ("PUT", "/v1/me/player/play", {"device_id": macbook}, None)]
    assert player.active is not None
    assert player.active.id == macbook


async def test_an_active_device_that_went_away_falls_back(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    player.pause(None)
    await next_poll(hass, alice)
    macbook = device_id(sim, "Alice's MacBook")
    player.active = None  # closed since the last poll
    sim.clear_requests()

    await media(hass, "media_play")

    assert [(method, path, query) for method, path, query, _ in api_calls(sim)] == [
        ("PUT", "/v1/me/player/play", {}),  # 404: no active device
        ("GET", "/v1/me/player/devices", {}),
        ("PUT", "/v1/me/player/play", {"device_id": macbook}),
    ]
    assert player.active is not None
    assert player.playback is not None
    assert player.playback.is_playing


# --- Spotify's refusals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "reason", "key", "placeholders"),
    [
        (404, "NO_ACTIVE_DEVICE", "no_device_responded", {"message": "Gone"}),
        (403, "UNKNOWN", "command_refused", {"message": "Gone"}),
        (502, None, "command_failed", None),
        (429, None, "rate_limited", {"seconds": "30"}),
    ],
)
async def test_spotify_refusals_become_translated_errors(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    status: int,
    reason: str | None,
    key: str,
    placeholders: dict[str, str] | None,
) -> None:
    sim.fail_next(
        "/v1/me/player/pause",
        status,
        error=reason,
        description="Gone",
        retry_after=30 if status == 429 else None,
    )

    with pytest.raises(HomeAssistantError) as caught:
        await media(hass, "media_pause")

    assert not isinstance(caught.value, ServiceValidationError)
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key == key
    if placeholders is not None:
        assert caught.value.translation_placeholders == placeholders
    assert state(hass).state == STATE_PLAYING  # nothing optimistic about a refusal


async def test_rate_limit_message_says_when_to_retry(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    sim.fail_next("/v1/me/player/pause", 429, retry_after=30)

    with pytest.raises(HomeAssistantError) as caught:
        await media(hass, "media_pause")

    assert str(caught.value) == (
        "Spotify is limiting requests from this account; try again in 30 seconds"
    )


async def test_refused_authorization_during_a_command_starts_reauth(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    # Spotify no longer takes the token HA considers valid, and the user revoked the app.
    sim.expire_access_tokens()
    sim.revoke_refresh_tokens()

    with pytest.raises(HomeAssistantError) as caught:
        await media(hass, "media_pause")

    assert caught.value.translation_key == "authorization_refused"
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == alice.entry_id


async def test_a_command_with_a_token_spotify_refuses_early_refreshes_and_succeeds(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    sim.expire_access_tokens()  # HA's clock still says the token is valid
    sim.clear_requests()

    await media(hass, "media_pause")

    assert [(r.path, r.status) for r in sim.requests][:3] == [
        ("/v1/me/player/pause", 401),
        ("/api/token", 200),
        ("/v1/me/player/pause", 204),
    ]
    assert not hass.config_entries.flow.async_progress()
