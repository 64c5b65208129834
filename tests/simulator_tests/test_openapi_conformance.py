"""Every Web API response the simulators gave during this run, checked against the spec.

The conftest runs this module last, so the recorder holds the whole run's exchanges.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from typing import TYPE_CHECKING

import pytest
import yaml  # type: ignore[import-untyped]  # the venvs carry no PyYAML stubs

from custom_components.spotify_webapi.webapi.models.player import Disallows
from tests.simulator import Exchange, SpotifySimulator, recorder
from tests.simulator.player import DISALLOWS_FLAGS

from .helpers import api_for
from .spec_check import NULLABLE_IN_PRACTICE, SpecChecker, find_spec

if TYPE_CHECKING:
    import aiohttp

SPEC = find_spec()
pytestmark = pytest.mark.skipif(
    SPEC is None,
    reason="spotify-web-api-openapi.yml not found in <repo>/../shared/reference/ "
    "(set SPOTIFY_OPENAPI_SPEC to check responses against it)",
)


@pytest.fixture(scope="module")
def checker() -> SpecChecker:
    assert SPEC is not None
    return SpecChecker(SPEC)


def _exchange(path: str, status: int, body: object) -> Exchange:
    return Exchange(
        method="GET",
        url=f"http://127.0.0.1/{path}",
        path=path,
        route=path,
        scripted=False,
        query={},
        request_headers={},
        request_body=b"",
        status=status,
        response_headers={"Content-Type": "application/json"},
        response_body=json.dumps(body).encode(),
    )


def test_the_checker_catches_wrong_shapes(checker: SpecChecker) -> None:
    bad_device = _exchange("/v1/me/player/devices", 200, {"devices": [{"id": 5}]})
    bad_error = _exchange("/v1/me/player/pause", 404, {"error": "no device"})
    good_device = _exchange(
        "/v1/me/player/devices", 200, {"devices": [{"id": None, "volume_percent": None}]}
    )

    assert checker.problems(bad_device)
    assert checker.problems(bad_error)
    assert checker.problems(good_device) == []


def test_deviations_are_only_nulls(checker: SpecChecker) -> None:
    with_null = _exchange("/v1/me/player/queue", 200, {"currently_playing": None, "queue": []})
    with_number = _exchange("/v1/me/player/queue", 200, {"currently_playing": 3, "queue": []})

    assert ("QueueObject", "currently_playing") in NULLABLE_IN_PRACTICE
    assert checker.problems(with_null) == []
    assert checker.problems(with_number)


def test_deviations_for_audiobooks_are_only_what_spotify_sends(checker: SpecChecker) -> None:
    book: dict[str, object] = {
        "authors": [], "available_markets": [], "copyrights": [], "description": "",
        "explicit": False, "external_urls": {}, "href": "", "html_description": "", "id": "b",
        "images": [], "languages": [], "media_type": "audio", "name": "B", "narrators": [],
        "publisher": "", "total_chapters": 0, "type": "audiobook", "uri": "spotify:show:b",
    }  # fmt: skip
    chapter: dict[str, object] = {
        "audio_preview_url": None, "chapter_number": 0, "description": "",
        "html_description": "", "duration_ms": 1, "explicit": False, "external_urls": {},
        "href": "", "id": "c", "images": [], "is_playable": True, "languages": [],
        "name": "C", "release_date": "2024", "release_date_precision": "year",
        "type": "chapter", "uri": "spotify:episode:c",
    }  # fmt: skip
    paging: dict[str, object] = {
        "href": "",
        "limit": 1,
        "next": None,
        "offset": 0,
        "previous": None,
        "total": 1,
    }

    def saved(item: object) -> Exchange:
        return _exchange("/v1/me/audiobooks", 200, {**paging, "items": [item]})

    def chapters(item: object) -> Exchange:
        return _exchange("/v1/audiobooks/b/chapters", 200, {**paging, "items": [item]})

    assert checker.problems(saved(book)) == []
    assert checker.problems(saved({"added_at": "2026-01-01T00:00:00Z", "audiobook": book}))
    assert checker.problems(chapters(chapter)) == []
    assert checker.problems(chapters({**chapter, "type": "track"}))


def _web_api_routes() -> set[tuple[str, str]]:
    """(method, pattern) of every Web API route the simulator serves."""
    served = set()
    for route in SpotifySimulator().build_app().router.routes():
        pattern = route.resource.canonical if route.resource is not None else ""
        if pattern.startswith("/v1/") and route.method != "HEAD":
            served.add((route.method, pattern))
    return served


async def _tour(http: aiohttp.ClientSession) -> None:
    """Visit every route once, so the check means something even when run alone."""
    async with SpotifySimulator() as sim:
        world = sim.world
        alice, carol = api_for(http, sim, "alice"), api_for(http, sim, "carol")
        playlist = next(iter(world.playlists))
        album, artist = next(iter(world.catalogue.albums)), next(iter(world.catalogue.artists))
        show, episode = next(iter(world.catalogue.shows)), next(iter(world.catalogue.episodes))
        track = next(iter(world.catalogue.tracks))
        book, chapter = next(iter(world.catalogue.audiobooks)), next(iter(world.catalogue.chapters))
        speaker = next(d for d in sim.player().devices if d.name == "Living Room")
        for path in [
            "/me", "/users/bob", "/me/player", "/me/player/devices", "/me/player/queue",
            "/me/player/currently-playing", "/me/player/recently-played", "/me/playlists",
            f"/playlists/{playlist}", f"/playlists/{playlist}/items", "/me/tracks",
            "/me/albums", "/me/shows", "/me/episodes", "/me/following?type=artist",
            "/me/top/artists", "/me/top/tracks", f"/albums/{album}", f"/albums/{album}/tracks",
            f"/artists/{artist}", f"/artists/{artist}/albums", f"/shows/{show}",
            f"/shows/{show}/episodes", f"/tracks/{track}", f"/episodes/{episode}",
            "/search?q=the&type=track,album,artist,playlist,show,episode,audiobook",
            f"/me/library/contains?uris=spotify:track:{track}", "/me/tracks?limit=99",
            f"/albums/{'Z' * 22}", "/me/audiobooks", f"/audiobooks/{book}",
            f"/audiobooks/{book}/chapters?limit=2&offset=1", f"/chapters/{chapter}",
            f"/me/library/contains?uris=spotify:audiobook:{book}",
        ]:  # fmt: skip
            await alice.get(path)
        for api in (carol, alice):
            await api.put("/me/player/pause")
            await api.put("/me/player/play", json={"context_uri": f"spotify:album:{album}"})
            await api.post("/me/player/next")
            await api.post("/me/player/previous")
            await api.put("/me/player/seek", position_ms=1000)
            await api.put("/me/player/repeat", state="context")
            await api.put("/me/player/shuffle", state="true")
            await api.put("/me/player/volume", volume_percent=40)
            await api.post("/me/player/queue", uri=f"spotify:episode:{episode}")
        await alice.put("/me/player", json={"device_ids": [speaker.id], "play": True})
        await alice.put("/me/player/play", json={"uris": [f"spotify:episode:{episode}"]})
        await alice.get("/me/player")
        await alice.get("/me/player/queue")
        await alice.put("/me/player/play", json={"context_uri": f"spotify:audiobook:{book}"})
        await alice.post("/me/player/queue", uri=f"spotify:chapter:{chapter}")
        await alice.get("/me/player")
        await alice.get("/me/player/queue")
        await alice.get("/me/player/currently-playing")
        await alice.put("/me/library", uris=f"spotify:audiobook:{book}")
        await alice.call("DELETE", "/me/library", uris=f"spotify:audiobook:{book}")
        await alice.put("/me/library", uris=f"spotify:track:{track}")
        await alice.call("DELETE", "/me/library", uris=f"spotify:track:{track}")
        await alice.call("POST", "/me/playlists", json={"name": "Tour", "public": False})
        await alice.call(
            "POST", f"/playlists/{playlist}/items", json={"uris": [f"spotify:track:{track}"]}
        )
        await carol.call(
            "POST", f"/playlists/{playlist}/items", json={"uris": [f"spotify:track:{track}"]}
        )
        for path in ("/me/player", "/me/player/queue", "/me/player/recently-played"):
            await carol.get(path)
        await api_for(http, sim, "bob").put("/me/player/play")


async def test_every_recorded_web_api_response_matches_the_spec(
    checker: SpecChecker, http: aiohttp.ClientSession
) -> None:
    await _tour(http)
    exchanges = [e for e in recorder.exchanges if e.path.startswith("/v1/") and not e.scripted]
    routes = Counter((e.method, e.route) for e in exchanges)

    problems = [problem for e in exchanges for problem in checker.problems(e)]

    # The tour alone covers every route the simulator serves.
    served = _web_api_routes()
    assert served <= set(routes), sorted(served - set(routes))
    assert problems == [], "\n".join(problems[:40])


def test_every_disallows_flag_of_the_spec_is_sent_by_the_simulator_and_parsed() -> None:
    assert SPEC is not None
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    flags = set(spec["components"]["schemas"]["DisallowsObject"]["properties"])

    assert flags == DISALLOWS_FLAGS
    assert flags == {field.name for field in dataclasses.fields(Disallows)}
