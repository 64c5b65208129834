"""The player endpoints against the simulator's stateful player, over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest

from custom_components.spotify_webapi.webapi import (
    Device,
    Disallows,
    Episode,
    InvalidArgumentError,
    InvalidSpotifyUriError,
    ItemType,
    RepeatMode,
    SpotifyForbiddenError,
    SpotifyNoActiveDeviceError,
    SpotifyNotFoundError,
    SpotifyUri,
    SpotifyWebApiClient,
    Track,
)
from tests.simulator.player import Played

from .helpers import api_requests, last_request, sign_in_as

if TYPE_CHECKING:
    from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
    from tests.simulator import SpotifySimulator
    from tests.simulator.player import Player


@pytest.fixture(autouse=True)
def frozen_clock(simulator: SpotifySimulator) -> None:
    """Stop the simulator's clock so playback progress reads the same every time."""
    simulator.clock.freeze()


@pytest.fixture
def player(simulator: SpotifySimulator) -> Player:
    """The signed-in user's simulated player (seeded: playing a playlist)."""
    return simulator.player()


def sent(simulator: SpotifySimulator) -> tuple[str, str, dict[str, str], Any]:
    """Method, path, query and JSON body of the one request the call made."""
    request = last_request(simulator)
    return request.method, request.path, request.query, request.json


def track_uris(simulator: SpotifySimulator, count: int) -> list[str]:
    return [
        f"spotify:track:{track_id}" for track_id in list(simulator.world.catalogue.tracks)[:count]
    ]


def first_episode(simulator: SpotifySimulator) -> str:
    return f"spotify:episode:{next(iter(simulator.world.catalogue.episodes))}"


def expected_device(device: Any, active: Any) -> Device:
    return Device(
        id=device.id,
        name=device.name,
        type=device.type,
        is_active=device is active,
        is_private_session=device.is_private_session,
        is_restricted=device.is_restricted,
        volume_percent=device.volume_percent,
        supports_volume=device.supports_volume,
    )


# --- reading the player -------------------------------------------------------------------


async def test_playback_state(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    state = await client.get_playback_state()

    assert sent(simulator) == (
        "GET",
        "/v1/me/player",
        {"additional_types": "track,episode"},
        None,
    )
    playback = player.playback
    assert playback is not None
    assert state is not None
    assert state.device == expected_device(player.active, player.active)
    assert state.is_playing is True
    assert isinstance(state.item, Track)
    assert state.item.uri == playback.item_uri
    assert state.item.album is not None
    assert state.currently_playing_type == "track"
    assert state.context is not None
    assert (state.context.type, state.context.uri) == ("playlist", playback.context_uri)
    assert state.progress_ms == int(playback.position_ms)
    assert state.timestamp == int(playback.changed_at * 1000)
    assert state.shuffle_state is False
    assert state.repeat_state is RepeatMode.OFF
    assert state.disallows == Disallows(**player.disallows())
    assert state.disallows.resuming is True  # it is playing


async def test_playback_state_of_an_episode(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    episode_uri = first_episode(simulator)
    player.load(None, uris=[episode_uri], position_ms=1000, playing=False)

    state = await client.get_playback_state()

    assert state is not None
    assert isinstance(state.item, Episode)
    assert state.item.uri == episode_uri
    assert state.item.show is not None
    assert state.currently_playing_type == "episode"
    assert state.context is None
    assert state.is_playing is False
    assert state.progress_ms == 1000


async def test_no_playback_is_none(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, auth: AuthClient
) -> None:
    sign_in_as(simulator, auth, "carol")
    assert await client.get_playback_state() is None
    assert last_request(simulator).status == 204


async def test_devices_including_awkward_ones(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    devices = await client.get_devices()

    assert sent(simulator) == ("GET", "/v1/me/player/devices", {}, None)
    assert devices == [expected_device(device, player.active) for device in player.devices]
    assert any(device.id is None for device in devices)
    assert any(device.volume_percent is None for device in devices)
    assert any(device.is_restricted for device in devices)
    assert any(device.is_private_session for device in devices)
    assert [device.is_active for device in devices].count(True) == 1


async def test_queue(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    queue = await client.get_queue()

    assert sent(simulator) == ("GET", "/v1/me/player/queue", {}, None)
    assert player.playback is not None
    assert queue.currently_playing is not None
    assert queue.currently_playing.uri == player.playback.item_uri
    assert [item.uri for item in queue.queue] == player.upcoming()
    kinds = {type(item) for item in queue.queue}
    assert kinds == {Track, Episode}  # the seeded playlist has an episode coming up


async def test_recently_played(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    history = await client.get_recently_played(limit=5)

    assert sent(simulator) == ("GET", "/v1/me/player/recently-played", {"limit": "5"}, None)
    expected = player.history[:5]
    assert [entry.track.uri for entry in history.items if entry.track] == [p.uri for p in expected]
    assert [entry.played_at for entry in history.items] == [
        datetime.fromtimestamp(int(p.played_at * 1000) / 1000, UTC) for p in expected
    ]
    assert all(
        entry.context and entry.context.uri == p.context_uri
        for entry, p in zip(history.items, expected, strict=True)
    )
    assert history.cursors is not None
    assert history.cursors.before == str(int(expected[-1].played_at * 1000))
    assert history.next is not None


async def test_recently_played_before_a_cursor(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    cutoff = int(player.history[2].played_at * 1000)
    history = await client.get_recently_played(limit=3, before=cutoff)
    assert sent(simulator)[2] == {"limit": "3", "before": str(cutoff)}
    assert [entry.track.uri for entry in history.items if entry.track] == [
        p.uri for p in player.history[3:6]
    ]


async def test_recently_played_follows_cursors_across_pages(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    now = simulator.clock.now()
    uris = track_uris(simulator, 130)
    player.history = [Played(now - 60 * (n + 1), uris[n], None) for n in range(130)]

    history = await client.get_recently_played(limit=120)

    requests = api_requests(simulator)
    assert [r.query.get("limit") for r in requests] == ["50", "50", "20"]
    assert "before" not in requests[0].query
    assert requests[1].query["before"] == str(int(player.history[49].played_at * 1000))
    assert requests[2].query["before"] == str(int(player.history[99].played_at * 1000))
    assert [entry.track.uri for entry in history.items if entry.track] == uris[:120]
    assert history.limit == 120
    assert history.next is not None  # ten more could follow


async def test_recently_played_refuses_both_cursors(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    with pytest.raises(InvalidArgumentError, match="after or before"):
        await client.get_recently_played(after=1, before=2)
    assert simulator.requests == []


# --- commands -----------------------------------------------------------------------------


@pytest.mark.parametrize("play", [True, False])
async def test_transfer_playback(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player, play: bool
) -> None:
    player.pause(None)
    target = player.devices[1]
    assert target.id is not None

    await client.transfer_playback(target.id, play=play)

    assert sent(simulator) == (
        "PUT",
        "/v1/me/player",
        {},
        {"device_ids": [target.id], "play": play},
    )
    assert player.active is target
    assert player.playback is not None
    assert player.playback.is_playing is play


async def test_start_playback_of_a_context_at_an_offset(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    album_id, album = next(iter(simulator.world.catalogue.albums.items()))
    device = player.active
    assert device is not None
    assert device.id is not None

    await client.start_playback(
        context_uri=f"https://open.spotify.com/intl-de/album/{album_id}?si=abc",
        offset=2,
        position_ms=1500,
        device_id=device.id,
    )

    assert sent(simulator) == (
        "PUT",
        "/v1/me/player/play",
        {"device_id": device.id},
        {
            "context_uri": f"spotify:album:{album_id}",
            "offset": {"position": 2},
            "position_ms": 1500,
        },
    )
    playback = player.playback
    assert playback is not None
    assert playback.context_uri == f"spotify:album:{album_id}"
    assert playback.item_uri == f"spotify:track:{album.track_ids[2]}"
    assert playback.position_ms == 1500
    assert playback.is_playing is True


async def test_start_playback_of_uris_at_an_item(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    track, episode = track_uris(simulator, 1)[0], first_episode(simulator)

    await client.start_playback(
        uris=[track, SpotifyUri(ItemType.EPISODE, episode.rsplit(":", 1)[1])], offset=episode
    )

    assert sent(simulator) == (
        "PUT",
        "/v1/me/player/play",
        {},
        {"uris": [track, episode], "offset": {"uri": episode}},
    )
    assert player.playback is not None
    assert player.playback.items == [track, episode]
    assert player.playback.item_uri == episode


async def test_start_playback_of_one_uri(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    track = track_uris(simulator, 5)[4]
    await client.start_playback(uris=track)
    assert sent(simulator)[3] == {"uris": [track]}
    assert player.playback is not None
    assert player.playback.item_uri == track


async def test_start_playback_of_liked_songs(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    # The simulator plays no Liked Songs context; what matters is what is sent.
    simulator.fail_next("/v1/me/player/play", 204, body=b"")
    await client.start_playback(context_uri="spotify:user:alice:collection", offset=0)
    assert sent(simulator)[3] == {
        "context_uri": "spotify:user:alice:collection",
        "offset": {"position": 0},
    }


async def test_resume_sends_no_body(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    player.pause(None)
    await client.start_playback()
    assert sent(simulator) == ("PUT", "/v1/me/player/play", {}, None)
    assert player.playback is not None
    assert player.playback.is_playing is True


async def test_pause(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    await client.pause_playback()
    assert sent(simulator) == ("PUT", "/v1/me/player/pause", {}, None)
    assert player.playback is not None
    assert player.playback.is_playing is False


async def test_skip_to_next_and_back(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    playback = player.playback
    assert playback is not None
    first = playback.item_uri
    device = player.active
    assert device is not None
    assert device.id is not None

    await client.skip_to_next(device_id=device.id)
    assert sent(simulator) == ("POST", "/v1/me/player/next", {"device_id": device.id}, None)
    assert playback.item_uri == playback.items[4]
    simulator.clear_requests()

    await client.skip_to_previous()
    assert sent(simulator) == ("POST", "/v1/me/player/previous", {}, None)
    assert playback.item_uri == first


async def test_seek(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    await client.seek(12_345)
    assert sent(simulator) == ("PUT", "/v1/me/player/seek", {"position_ms": "12345"}, None)
    assert player.playback is not None
    assert player.playback.position_ms == 12_345


@pytest.mark.parametrize("mode", [RepeatMode.TRACK, "context", RepeatMode.OFF])
async def test_set_repeat(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player, mode: str
) -> None:
    player.repeat = "track" if mode == "off" else "off"
    await client.set_repeat(mode)
    assert sent(simulator) == ("PUT", "/v1/me/player/repeat", {"state": str(mode)}, None)
    assert player.repeat == mode


@pytest.mark.parametrize("volume", [0, 55, 100])
async def test_set_volume(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player, volume: int
) -> None:
    await client.set_volume(volume)
    assert sent(simulator) == ("PUT", "/v1/me/player/volume", {"volume_percent": str(volume)}, None)
    assert player.active is not None
    assert player.active.volume_percent == volume


async def test_set_volume_of_a_named_device(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    speaker = player.devices[1]
    assert speaker.id is not None
    await client.set_volume(20, device_id=f" {speaker.id} ")
    assert sent(simulator)[2] == {"volume_percent": "20", "device_id": speaker.id}
    assert speaker.volume_percent == 20


@pytest.mark.parametrize("state", [True, False])
async def test_set_shuffle(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player, state: bool
) -> None:
    player.shuffle = not state
    await client.set_shuffle(state)
    assert sent(simulator) == ("PUT", "/v1/me/player/shuffle", {"state": str(state).lower()}, None)
    assert player.shuffle is state


async def test_add_to_queue(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, player: Player
) -> None:
    episode = first_episode(simulator)
    await client.add_to_queue(f"https://open.spotify.com/episode/{episode.rsplit(':', 1)[1]}")
    assert sent(simulator) == ("POST", "/v1/me/player/queue", {"uri": episode}, None)
    assert player.queue == [episode]


# --- how commands fail --------------------------------------------------------------------


async def test_command_without_an_active_device(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, auth: AuthClient
) -> None:
    sign_in_as(simulator, auth, "carol")
    with pytest.raises(SpotifyNoActiveDeviceError) as caught:
        await client.pause_playback()
    assert caught.value.status == 404
    assert caught.value.reason == "NO_ACTIVE_DEVICE"
    assert caught.value.message == "Player command failed: No active device found"
    assert isinstance(caught.value, SpotifyNotFoundError)


async def test_command_on_a_free_account(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, auth: AuthClient
) -> None:
    sign_in_as(simulator, auth, "bob")
    with pytest.raises(SpotifyForbiddenError) as caught:
        await client.skip_to_next()
    assert caught.value.reason == "PREMIUM_REQUIRED"
    assert "Premium required" in caught.value.message


async def test_volume_of_a_device_without_volume(
    client: SpotifyWebApiClient, player: Player
) -> None:
    tv = next(device for device in player.devices if not device.supports_volume)
    assert tv.id is not None
    with pytest.raises(SpotifyForbiddenError) as caught:
        await client.set_volume(10, device_id=tv.id)
    assert caught.value.reason == "VOLUME_CONTROL_DISALLOW"


async def test_command_on_a_restricted_device(client: SpotifyWebApiClient, player: Player) -> None:
    restricted = next(device for device in player.devices if device.is_restricted)
    assert restricted.id is not None
    with pytest.raises(SpotifyForbiddenError, match="Restriction violated"):
        await client.transfer_playback(restricted.id)


async def test_transfer_to_an_unknown_device(client: SpotifyWebApiClient) -> None:
    with pytest.raises(SpotifyNoActiveDeviceError, match="Device not found"):
        await client.transfer_playback("0" * 40)


async def test_404_on_a_player_read_is_not_found(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    simulator.fail_next("/v1/me/player/queue", 404, description="Not found")
    with pytest.raises(SpotifyNotFoundError) as caught:
        await client.get_queue()
    assert not isinstance(caught.value, SpotifyNoActiveDeviceError)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda c: c.set_volume(-1), InvalidArgumentError),
        (lambda c: c.set_volume(101), InvalidArgumentError),
        (lambda c: c.set_volume(True), InvalidArgumentError),
        (lambda c: c.set_volume(50.5), InvalidArgumentError),
        (lambda c: c.seek(-1), InvalidArgumentError),
        (lambda c: c.set_repeat("sometimes"), InvalidArgumentError),
        (lambda c: c.transfer_playback(""), InvalidArgumentError),
        (lambda c: c.pause_playback(device_id="  "), InvalidArgumentError),
        (lambda c: c.add_to_queue("spotify:album:4iV5W9uYEdYUVa79Axb7Rh"), InvalidSpotifyUriError),
        (lambda c: c.add_to_queue("not a uri"), InvalidSpotifyUriError),
        (
            lambda c: c.start_playback(context_uri="spotify:track:4iV5W9uYEdYUVa79Axb7Rh"),
            InvalidSpotifyUriError,
        ),
        (
            lambda c: c.start_playback(
                context_uri="spotify:album:4iV5W9uYEdYUVa79Axb7Rh",
                uris=["spotify:track:4iV5W9uYEdYUVa79Axb7Rh"],
            ),
            InvalidArgumentError,
        ),
        (lambda c: c.start_playback(uris=[]), InvalidArgumentError),
        (
            lambda c: c.start_playback(uris=["spotify:album:4iV5W9uYEdYUVa79Axb7Rh"]),
            InvalidSpotifyUriError,
        ),
        (lambda c: c.start_playback(offset=1), InvalidArgumentError),
        (
            lambda c: c.start_playback(uris="spotify:track:4iV5W9uYEdYUVa79Axb7Rh", offset=-1),
            InvalidArgumentError,
        ),
        (
            lambda c: c.start_playback(
                uris="spotify:track:4iV5W9uYEdYUVa79Axb7Rh",
                offset="spotify:show:4iV5W9uYEdYUVa79Axb7Rh",
            ),
            InvalidSpotifyUriError,
        ),
        (lambda c: c.start_playback(position_ms=-5), InvalidArgumentError),
    ],
)
async def test_invalid_arguments_are_refused_before_sending(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, call: Any, error: type[Exception]
) -> None:
    with pytest.raises(error) as caught:
        await call(client)
    assert isinstance(caught.value, ValueError)
    assert simulator.requests == []
