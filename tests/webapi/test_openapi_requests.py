"""Every request the client sends is one Spotify's OpenAPI document (2026.5.31) accepts."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
import yaml  # type: ignore[import-untyped]
from openapi_core import OpenAPI
from openapi_core.exceptions import OpenAPIError
from openapi_core.testing import MockRequest

from custom_components.spotify_webapi.webapi import SearchType, SpotifyWebApiClient, TimeRange
from tests.simulator_tests.spec_check import find_spec

from .helpers import api_requests

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from tests.simulator import LoggedRequest, SpotifySimulator

SPEC = find_spec()
pytestmark = [
    pytest.mark.skipif(SPEC is None, reason="spotify-web-api-openapi.yml not found"),
    # openapi-core cannot check oauth2 security schemes; the simulator checks tokens.
    pytest.mark.filterwarnings("ignore:Unsupported scheme type"),
]

type Call = Callable[[SpotifyWebApiClient, SpotifySimulator], Awaitable[object]]


@pytest.fixture(scope="module")
def spec() -> OpenAPI:
    assert SPEC is not None
    return OpenAPI.from_dict(yaml.safe_load(SPEC.read_text(encoding="utf-8")))


def problems(spec: OpenAPI, request: LoggedRequest) -> list[str]:
    body = None if request.json is None else json.dumps(request.json).encode()
    mock = MockRequest(
        "https://api.spotify.com",
        request.method.lower(),
        request.path,
        args=request.query,
        data=body,
        content_type="application/json",
    )
    try:
        spec.validate_request(mock)
    except OpenAPIError as err:
        details = getattr(err.__cause__, "schema_errors", None) or [err.__cause__ or err]
        return [f"{request.method} {request.path} {request.query}: {d}" for d in details]
    return []


def _ids(sim: SpotifySimulator) -> dict[str, str]:
    catalogue = sim.world.catalogue
    library = sim.world.libraries[sim.accounts.approve_as]
    player = sim.player()
    assert player.active is not None
    assert player.active.id is not None
    return {
        "album": next(iter(catalogue.albums)),
        "artist": next(iter(catalogue.artists)),
        "track": next(iter(catalogue.tracks)),
        "show": next(iter(catalogue.shows)),
        "episode": next(iter(catalogue.episodes)),
        "playlist": library.playlists[0],
        "device": player.active.id,
        "followed": library.followed_artists[0],
        "audiobook": next(iter(catalogue.audiobooks)),
        "chapter": next(iter(catalogue.chapters)),
    }


CALLS: dict[str, Call] = {
    "current user": lambda c, s: c.get_current_user(),
    "playback state": lambda c, s: c.get_playback_state(),
    "devices": lambda c, s: c.get_devices(),
    "transfer": lambda c, s: c.transfer_playback(_ids(s)["device"], play=True),
    "play context": lambda c, s: c.start_playback(
        context_uri=f"spotify:album:{_ids(s)['album']}",
        offset=1,
        position_ms=10,
        device_id=_ids(s)["device"],
    ),
    "play uris": lambda c, s: c.start_playback(
        uris=[f"spotify:track:{_ids(s)['track']}"], offset=f"spotify:track:{_ids(s)['track']}"
    ),
    "pause": lambda c, s: c.pause_playback(device_id=_ids(s)["device"]),
    "next": lambda c, s: c.skip_to_next(),
    "previous": lambda c, s: c.skip_to_previous(),
    "seek": lambda c, s: c.seek(1000, device_id=_ids(s)["device"]),
    "repeat": lambda c, s: c.set_repeat("context"),
    "volume": lambda c, s: c.set_volume(40, device_id=_ids(s)["device"]),
    "shuffle": lambda c, s: c.set_shuffle(True),
    "queue": lambda c, s: c.get_queue(),
    "add to queue": lambda c, s: c.add_to_queue(f"spotify:episode:{_ids(s)['episode']}"),
    "recently played": lambda c, s: c.get_recently_played(limit=3, before=1),
    "my playlists": lambda c, s: c.get_current_user_playlists(limit=2, offset=1),
    "playlist": lambda c, s: c.get_playlist(_ids(s)["playlist"]),
    "playlist items": lambda c, s: c.get_playlist_items(_ids(s)["playlist"], limit=120),
    "saved tracks": lambda c, s: c.get_saved_tracks(limit=60),
    "saved albums": lambda c, s: c.get_saved_albums(),
    "saved shows": lambda c, s: c.get_saved_shows(),
    "followed artists": lambda c, s: c.get_followed_artists(after=_ids(s)["followed"]),
    "top artists": lambda c, s: c.get_top_artists(time_range=TimeRange.LONG_TERM),
    "top tracks": lambda c, s: c.get_top_tracks(limit=5, offset=2),
    "album": lambda c, s: c.get_album(_ids(s)["album"]),
    "album tracks": lambda c, s: c.get_album_tracks(_ids(s)["album"], limit=3),
    "artist": lambda c, s: c.get_artist(_ids(s)["artist"]),
    "artist albums": lambda c, s: c.get_artist_albums(
        _ids(s)["artist"], include_groups=["album", "appears_on"], limit=30
    ),
    "track": lambda c, s: c.get_track(_ids(s)["track"]),
    "show": lambda c, s: c.get_show(_ids(s)["show"]),
    "show episodes": lambda c, s: c.get_show_episodes(_ids(s)["show"], limit=60),
    "episode": lambda c, s: c.get_episode(_ids(s)["episode"]),
    "search": lambda c, s: c.search("a", list(SearchType), limit=25),
    "saved audiobooks": lambda c, s: c.get_saved_audiobooks(limit=60, offset=1),
    "audiobook": lambda c, s: c.get_audiobook(_ids(s)["audiobook"]),
    "audiobook chapters": lambda c, s: c.get_audiobook_chapters(_ids(s)["audiobook"], limit=3),
    "chapter": lambda c, s: c.get_chapter(_ids(s)["chapter"]),
    "play audiobook": lambda c, s: c.start_playback(
        context_uri=f"spotify:audiobook:{_ids(s)['audiobook']}"
    ),
    "play chapter": lambda c, s: c.start_playback(uris=[f"spotify:chapter:{_ids(s)['chapter']}"]),
    "queue chapter": lambda c, s: c.add_to_queue(f"spotify:chapter:{_ids(s)['chapter']}"),
    "save audiobook": lambda c, s: c.save_to_library(f"spotify:audiobook:{_ids(s)['audiobook']}"),
}


@pytest.mark.parametrize("name", sorted(CALLS))
async def test_request_matches_the_spec(
    name: str, client: SpotifyWebApiClient, simulator: SpotifySimulator, spec: OpenAPI
) -> None:
    await CALLS[name](client, simulator)
    sent = api_requests(simulator)
    assert sent
    assert all(request.status < 400 for request in sent), sent
    assert [problem for request in sent for problem in problems(spec, request)] == []


def test_the_check_catches_a_request_spotify_would_refuse(spec: OpenAPI) -> None:
    def request(path: str, query: dict[str, str], body: Any = None) -> LoggedRequest:
        from tests.simulator import LoggedRequest  # noqa: PLC0415 - only this check builds one

        method = "GET" if body is None else "PUT"
        return LoggedRequest(method, path, query, {}, None, body, 200)

    assert problems(spec, request("/v1/search", {"q": "a", "type": "track", "limit": "11"}))
    assert problems(spec, request("/v1/playlists/x/items", {"limit": "100"}))
    assert problems(spec, request("/v1/me/player", {}, {"play": True}))
    assert problems(spec, request("/v1/me/player/tracks", {}))
