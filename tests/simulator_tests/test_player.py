"""The player state machine over HTTP: commands, the clock, queue, repeat, shuffle, errors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from .helpers import Api, api_for

if TYPE_CHECKING:
    import aiohttp

    from tests.simulator import SpotifySimulator

NO_ACTIVE_DEVICE = {
    "error": {
        "status": 404,
        "message": "Player command failed: No active device found",
        "reason": "NO_ACTIVE_DEVICE",
    }
}
RESTRICTED = {
    "error": {
        "status": 403,
        "message": "Player command failed: Restriction violated",
        "reason": "UNKNOWN",
    }
}


@pytest.fixture
def alice(frozen: SpotifySimulator, http: aiohttp.ClientSession) -> Api:
    return api_for(http, frozen, "alice")


def _context_items(sim: SpotifySimulator, user: str = "alice") -> list[str]:
    playback = sim.player(user).playback
    assert playback is not None
    return playback.items


def _duration(sim: SpotifySimulator, item_uri: str) -> int:
    return sim.player().duration_ms(item_uri)


async def _state(api: Api, **params: str) -> dict[str, Any]:
    state: dict[str, Any] = await api.ok("/me/player", **params)
    return state


async def test_initial_playback_state(frozen: SpotifySimulator, alice: Api) -> None:
    items = _context_items(frozen)
    road_trip = next(p for p in frozen.world.playlists.values() if p.name == "Road Trip")

    state = await _state(alice)

    assert state["device"]["name"] == "Alice's MacBook"
    assert state["device"]["is_active"] is True
    assert state["context"]["uri"] == f"spotify:playlist:{road_trip.id}"
    assert state["context"]["href"] == f"{frozen.api_url}/playlists/{road_trip.id}"
    assert state["item"]["uri"] == items[3]
    assert (state["progress_ms"], state["is_playing"]) == (42_000, True)
    assert (state["repeat_state"], state["shuffle_state"]) == ("off", False)
    assert state["currently_playing_type"] == "track"
    assert state["actions"] == {"disallows": {"resuming": True}}
    assert state["timestamp"] == int(frozen.clock.now() * 1000)


async def test_progress_follows_the_clock_and_rolls_into_the_next_item(
    frozen: SpotifySimulator, alice: Api
) -> None:
    items = _context_items(frozen)
    remaining = _duration(frozen, items[3]) - 42_000

    frozen.clock.advance(10)
    assert (await _state(alice))["progress_ms"] == 52_000

    frozen.clock.advance((remaining - 10_000) / 1000 + 1.5)
    state = await _state(alice)

    assert state["item"]["uri"] == items[4]
    assert state["progress_ms"] == 1_500
    history = await alice.ok("/me/player/recently-played", limit=1)
    assert history["items"][0]["track"]["uri"] == items[3]
    assert history["items"][0]["context"]["uri"] == state["context"]["uri"]


async def test_queue_plays_before_the_context(frozen: SpotifySimulator, alice: Api) -> None:
    items = _context_items(frozen)
    queued = "spotify:track:" + next(iter(frozen.world.catalogue.tracks))

    status, _ = await alice.post("/me/player/queue", uri=queued)
    queue = await alice.ok("/me/player/queue")

    assert status == 204
    assert queue["currently_playing"]["uri"] == items[3]
    assert [item["uri"] for item in queue["queue"][:3]] == [queued, items[4], items[5]]
    logged = frozen.requests[0]
    assert (logged.method, logged.path, logged.query) == (
        "POST",
        "/v1/me/player/queue",
        {"uri": queued},
    )

    frozen.clock.advance((_duration(frozen, items[3]) - 42_000) / 1000)
    assert (await _state(alice))["item"]["uri"] == queued
    frozen.clock.advance(_duration(frozen, queued) / 1000)
    assert (await _state(alice))["item"]["uri"] == items[4]


async def test_pause_and_resume(frozen: SpotifySimulator, alice: Api) -> None:
    assert await alice.put("/me/player/play") == (403, RESTRICTED)

    assert await alice.put("/me/player/pause") == (204, None)
    frozen.clock.advance(30)
    paused = await _state(alice)
    assert (paused["is_playing"], paused["progress_ms"]) == (False, 42_000)
    assert paused["actions"] == {"disallows": {"pausing": True}}
    assert await alice.put("/me/player/pause") == (403, RESTRICTED)

    assert await alice.put("/me/player/play") == (204, None)
    frozen.clock.advance(1)
    resumed = await _state(alice)
    assert (resumed["is_playing"], resumed["progress_ms"]) == (True, 43_000)


async def test_next_and_previous(frozen: SpotifySimulator, alice: Api) -> None:
    items = _context_items(frozen)

    assert await alice.post("/me/player/next") == (204, None)
    assert (await _state(alice))["item"]["uri"] == items[4]

    frozen.clock.advance(5)
    assert await alice.post("/me/player/previous") == (204, None)
    restarted = await _state(alice)
    assert (restarted["item"]["uri"], restarted["progress_ms"]) == (items[4], 0)

    assert await alice.post("/me/player/previous") == (204, None)
    assert (await _state(alice))["item"]["uri"] == items[3]


async def test_previous_is_disallowed_on_the_first_item(
    frozen: SpotifySimulator, alice: Api
) -> None:
    status, _ = await alice.put(
        "/me/player/play",
        json={"context_uri": (await _state(alice))["context"]["uri"], "offset": {"position": 0}},
    )
    assert status == 204

    state = await _state(alice)

    assert state["item"]["uri"] == _context_items(frozen)[0]
    assert state["actions"]["disallows"] == {"resuming": True, "skipping_prev": True}
    assert await alice.post("/me/player/previous") == (403, RESTRICTED)


async def test_repeat_modes_at_the_end_of_an_album(frozen: SpotifySimulator, alice: Api) -> None:
    album = next(a for a in frozen.world.catalogue.albums.values() if len(a.track_ids) == 2)
    first, last = (f"spotify:track:{t}" for t in album.track_ids)
    context = f"spotify:album:{album.id}"
    await alice.put("/me/player/play", json={"context_uri": context, "offset": {"uri": last}})
    assert (await _state(alice))["actions"]["disallows"]["skipping_next"] is True
    assert await alice.post("/me/player/next") == (403, RESTRICTED)

    assert await alice.put("/me/player/repeat", state="track") == (204, None)
    frozen.clock.advance(_duration(frozen, last) / 1000 + 1)
    state = await _state(alice)
    assert (state["item"]["uri"], state["progress_ms"], state["repeat_state"]) == (
        last,
        1_000,
        "track",
    )

    await alice.put("/me/player/repeat", state="context")
    frozen.clock.advance(_duration(frozen, last) / 1000)
    assert (await _state(alice))["item"]["uri"] == first

    await alice.put("/me/player/repeat", state="off")
    frozen.clock.advance((_duration(frozen, first) + _duration(frozen, last)) / 1000)
    stopped = await _state(alice)
    assert (stopped["item"]["uri"], stopped["is_playing"], stopped["progress_ms"]) == (
        first,
        False,
        0,
    )
    assert await alice.put("/me/player/repeat", state="sometimes") == (
        400,
        {"error": {"status": 400, "message": "State must be one of track, context or off"}},
    )


async def test_shuffle_keeps_the_current_item_and_reorders_the_rest(
    frozen: SpotifySimulator, alice: Api
) -> None:
    items = _context_items(frozen)

    assert await alice.put("/me/player/shuffle", state="true") == (204, None)
    state = await _state(alice)
    upcoming = [item["uri"] for item in (await alice.ok("/me/player/queue"))["queue"]]

    assert state["shuffle_state"] is True
    assert state["item"]["uri"] == items[3]
    assert upcoming != items[4:24]
    assert set(upcoming) <= set(items)
    await alice.post("/me/player/next")
    assert (await _state(alice))["item"]["uri"] == upcoming[0]
    await alice.put("/me/player/shuffle", state="false")
    following = [item["uri"] for item in (await alice.ok("/me/player/queue"))["queue"]]
    current = items.index(upcoming[0])
    assert following[:2] == items[current + 1 : current + 3]
    assert (await alice.put("/me/player/shuffle", state="maybe"))[0] == 400


async def test_seek(frozen: SpotifySimulator, alice: Api) -> None:
    items = _context_items(frozen)

    assert await alice.put("/me/player/seek", position_ms=90_000) == (204, None)
    assert (await _state(alice))["progress_ms"] == 90_000

    await alice.put("/me/player/seek", position_ms=_duration(frozen, items[3]) + 2_000)
    beyond = await _state(alice)
    assert (beyond["item"]["uri"], beyond["progress_ms"]) == (items[4], 2_000)

    assert (await alice.put("/me/player/seek"))[1] == {
        "error": {"status": 400, "message": "Missing required field: position_ms"}
    }
    assert (await alice.put("/me/player/seek", position_ms=-1))[0] == 400


async def test_volume(frozen: SpotifySimulator, alice: Api) -> None:
    devices = {d.name: d for d in frozen.player().devices}
    tv = devices["Bedroom TV"]

    assert await alice.put("/me/player/volume", volume_percent=15) == (204, None)
    assert (await _state(alice))["device"]["volume_percent"] == 15
    assert await alice.put(
        "/me/player/volume", volume_percent=70, device_id=str(devices["Living Room"].id)
    ) == (204, None)
    assert (await alice.put("/me/player/volume", volume_percent=101))[0] == 400
    assert await alice.put("/me/player/volume", volume_percent=5, device_id=str(tv.id)) == (
        403,
        {
            "error": {
                "status": 403,
                "message": "Player command failed: Cannot control device volume",
                "reason": "VOLUME_CONTROL_DISALLOW",
            }
        },
    )
    listed = {d["name"]: d for d in (await alice.ok("/me/player/devices"))["devices"]}
    assert listed["Living Room"]["volume_percent"] == 70
    assert listed["Bedroom TV"]["volume_percent"] is None


async def test_devices_include_the_awkward_ones(alice: Api) -> None:
    devices = (await alice.ok("/me/player/devices"))["devices"]

    assert [d["is_active"] for d in devices].count(True) == 1
    assert any(d["id"] is None for d in devices)
    assert any(d["is_restricted"] for d in devices)
    assert any(d["is_private_session"] for d in devices)
    assert any(d["volume_percent"] is None and not d["supports_volume"] for d in devices)


async def test_transfer(frozen: SpotifySimulator, alice: Api) -> None:
    devices = {d.name: d for d in frozen.player().devices}
    speaker = str(devices["Living Room"].id)
    await alice.put("/me/player/pause")

    assert await alice.put("/me/player", json={"device_ids": [speaker], "play": True}) == (
        204,
        None,
    )
    state = await _state(alice)
    assert (state["device"]["id"], state["is_playing"], state["progress_ms"]) == (
        speaker,
        True,
        42_000,
    )
    assert frozen.requests[-2].json == {"device_ids": [speaker], "play": True}

    restricted = str(devices["Kitchen Echo"].id)
    assert await alice.put("/me/player", json={"device_ids": [restricted]}) == (403, RESTRICTED)
    assert (await alice.put("/me/player", json={"device_ids": ["nope"]}))[0] == 404
    assert (await alice.put("/me/player", json={"device_ids": [speaker, speaker]}))[0] == 400
    assert (await alice.put("/me/player", json={}))[0] == 400


async def test_commands_on_a_restricted_active_device(frozen: SpotifySimulator, alice: Api) -> None:
    player = frozen.player()
    player.active = next(d for d in player.devices if d.is_restricted)

    assert await alice.put("/me/player/pause") == (403, RESTRICTED)


async def test_no_active_device(frozen: SpotifySimulator, http: aiohttp.ClientSession) -> None:
    carol = api_for(http, frozen, "carol")
    speaker = next(d for d in frozen.player("carol").devices if d.name == "Living Room")

    assert await carol.get("/me/player") == (204, None)
    assert await carol.get("/me/player/currently-playing") == (204, None)
    for method, path in [
        ("PUT", "/me/player/pause"),
        ("PUT", "/me/player/play"),
        ("POST", "/me/player/next"),
        ("POST", "/me/player/previous"),
    ]:
        assert await carol.call(method, path) == (404, NO_ACTIVE_DEVICE), path
    assert await carol.put("/me/player/seek", position_ms=0) == (404, NO_ACTIVE_DEVICE)
    assert await carol.put("/me/player/volume", volume_percent=5) == (404, NO_ACTIVE_DEVICE)
    queue = await carol.ok("/me/player/queue")
    assert queue == {"currently_playing": None, "queue": []}

    assert await carol.put("/me/player", json={"device_ids": [speaker.id]}) == (204, None)
    state = await _state(carol)
    assert (state["device"]["name"], state["is_playing"]) == ("Living Room", False)


async def test_free_accounts_cannot_control_playback(
    frozen: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    bob = api_for(http, frozen, "bob")

    state = await _state(bob)
    status, body = await bob.put("/me/player/play")

    assert state["is_playing"] is False
    assert (status, body["error"]["reason"]) == (403, "PREMIUM_REQUIRED")
    assert body["error"]["message"] == "Player command failed: Premium required"


async def test_play_a_context_uris_and_offsets(frozen: SpotifySimulator, alice: Api) -> None:
    album = next(iter(frozen.world.catalogue.albums.values()))
    tracks = [f"spotify:track:{t}" for t in album.track_ids]
    context = f"spotify:album:{album.id}"

    await alice.put("/me/player/play", json={"context_uri": context, "offset": {"position": 2}})
    state = await _state(alice)
    assert (state["context"]["uri"], state["item"]["uri"]) == (context, tracks[2])

    await alice.put("/me/player/play", json={"uris": tracks[:2], "position_ms": 10_000})
    state = await _state(alice)
    assert (state["context"], state["item"]["uri"], state["progress_ms"]) == (
        None,
        tracks[0],
        10_000,
    )

    assert (await alice.put("/me/player/play", json={"context_uri": "spotify:album:x"}))[0] == 400
    missing = "spotify:album:" + "A" * 22
    assert (await alice.put("/me/player/play", json={"context_uri": missing}))[0] == 404
    assert (await alice.put("/me/player/play", json={"uris": ["spotify:artist:x"]}))[0] == 400
    bad_offset = {"context_uri": context, "offset": {"position": 99}}
    assert (await alice.put("/me/player/play", json=bad_offset))[0] == 404
    assert (await alice.put("/me/player/play", json={"position_ms": "soon"}))[0] == 400


async def test_play_on_another_device(frozen: SpotifySimulator, alice: Api) -> None:
    speaker = next(d for d in frozen.player().devices if d.name == "Living Room")
    album = next(iter(frozen.world.catalogue.albums.values()))

    status, _ = await alice.put(
        "/me/player/play",
        json={"context_uri": f"spotify:album:{album.id}"},
        device_id=str(speaker.id),
    )

    assert status == 204
    assert (await _state(alice))["device"]["id"] == speaker.id
    assert frozen.requests[-2].query == {"device_id": speaker.id}


async def test_episodes_need_additional_types(frozen: SpotifySimulator, alice: Api) -> None:
    episode = next(iter(frozen.world.catalogue.episodes))
    await alice.put("/me/player/play", json={"uris": [f"spotify:episode:{episode}"]})

    plain = await _state(alice)
    with_episodes = await _state(alice, additional_types="track,episode")

    assert (plain["currently_playing_type"], plain["item"]) == ("episode", None)
    assert with_episodes["item"]["type"] == "episode"
    assert with_episodes["item"]["show"]["type"] == "show"
    current = await alice.ok("/me/player/currently-playing", additional_types="episode")
    assert current["item"]["id"] == episode


async def test_private_sessions_leave_no_history(frozen: SpotifySimulator, alice: Api) -> None:
    phone = next(d for d in frozen.player().devices if d.is_private_session)
    before = await alice.ok("/me/player/recently-played")
    await alice.put("/me/player", json={"device_ids": [phone.id]})

    frozen.clock.advance(1800)

    after = await alice.ok("/me/player/recently-played")
    assert after["items"] == before["items"]


async def test_recently_played_pages_backwards(frozen: SpotifySimulator, alice: Api) -> None:
    first = await alice.ok("/me/player/recently-played", limit=4)
    assert first["next"] is not None
    before = first["cursors"]["before"]
    second = await alice.ok("/me/player/recently-played", limit=4, before=before)

    times = [item["played_at"] for item in first["items"] + second["items"]]
    assert times == sorted(times, reverse=True)
    assert len(set(times)) == 8
    assert first["next"].endswith(f"before={before}&limit=4")
    assert (await alice.get("/me/player/recently-played", before=1, after=1))[0] == 400
    assert (await alice.get("/me/player/recently-played", limit=51))[0] == 400


async def test_player_scopes(frozen: SpotifySimulator, http: aiohttp.ClientSession) -> None:
    reader = api_for(http, frozen, "alice", scope="user-read-playback-state")

    assert (await reader.get("/me/player"))[0] == 200
    assert await reader.put("/me/player/pause") == (
        403,
        {"error": {"status": 403, "message": "Insufficient client scope"}},
    )
    assert (await reader.get("/me/player/recently-played"))[0] == 403


async def test_a_huge_clock_jump_on_repeat_stops_playback(
    frozen: SpotifySimulator, alice: Api
) -> None:
    await alice.put("/me/player/repeat", state="context")

    frozen.clock.advance(400 * 24 * 3600)

    state = await _state(api_for(alice.http, frozen))  # the old token has long expired
    assert (state["is_playing"], state["progress_ms"]) == (False, 0)


async def test_seek_past_the_end_while_paused_stays_on_the_item(
    frozen: SpotifySimulator, alice: Api
) -> None:
    items = _context_items(frozen)
    await alice.put("/me/player/pause")

    await alice.put("/me/player/seek", position_ms=_duration(frozen, items[3]) + 5_000)

    state = await _state(alice)
    assert state["item"]["uri"] == items[3]
    assert state["progress_ms"] == _duration(frozen, items[3]) - 1


async def test_malformed_bodies(alice: Api) -> None:
    status, body = await alice.call("PUT", "/me/player", json=["not", "an", "object"])

    assert (status, body["error"]["message"]) == (400, "Error parsing json")
    assert (await alice.put("/me/player/play", json={"offset": {"position": "x"}}))[0] == 400
    both = {"context_uri": "spotify:album:" + "A" * 22, "uris": ["spotify:track:" + "A" * 22]}
    assert (await alice.put("/me/player/play", json=both))[0] == 400


def _speaker(sim: SpotifySimulator) -> str:
    return str(next(d for d in sim.player().devices if d.name == "Living Room").id)


# Each disallows flag, and the command Spotify then refuses: (method, path, JSON body, query).
DISALLOWED_COMMANDS: dict[str, tuple[str, str, Any, dict[str, Any]]] = {
    "interrupting_playback": ("PUT", "/me/player/play", {"uris": ["spotify:track:x"]}, {}),
    "pausing": ("PUT", "/me/player/pause", None, {}),
    "resuming": ("PUT", "/me/player/play", None, {}),
    "seeking": ("PUT", "/me/player/seek", None, {"position_ms": 1_000}),
    "skipping_next": ("POST", "/me/player/next", None, {}),
    "skipping_prev": ("POST", "/me/player/previous", None, {}),
    "toggling_repeat_context": ("PUT", "/me/player/repeat", None, {"state": "context"}),
    "toggling_repeat_track": ("PUT", "/me/player/repeat", None, {"state": "track"}),
    "toggling_shuffle": ("PUT", "/me/player/shuffle", None, {"state": "true"}),
    "transferring_playback": ("PUT", "/me/player", {"device_ids": ["speaker"]}, {}),
}


@pytest.mark.parametrize("flag", sorted(DISALLOWED_COMMANDS))
async def test_every_disallows_flag_is_sent_and_enforced(
    frozen: SpotifySimulator, alice: Api, flag: str
) -> None:
    player = frozen.player()
    if flag == "resuming":
        assert await alice.put("/me/player/pause") == (204, None)
    method, path, body, query = DISALLOWED_COMMANDS[flag]
    if body == {"device_ids": ["speaker"]}:
        body = {"device_ids": [_speaker(frozen)]}
    if body == {"uris": ["spotify:track:x"]}:
        body = {"uris": [_context_items(frozen)[0]]}
    before = (await _state(alice))["actions"]["disallows"]

    player.restrict(flag)

    assert (await _state(alice))["actions"]["disallows"] == {**before, flag: True}
    send = alice.put if method == "PUT" else alice.post
    assert await send(path, json=body, **query) == (403, RESTRICTED)
    player.restrictions.clear()
    assert (await send(path, json=body, **query))[0] == 204


def test_unknown_disallows_flags_are_refused(frozen: SpotifySimulator) -> None:
    with pytest.raises(ValueError, match="no such disallows flag"):
        frozen.player().restrict("dancing")
