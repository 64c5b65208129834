"""Catalogue objects, search, and the deterministic catalogue itself."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from tests.simulator.catalogue import build_catalogue

from .helpers import Api, api_for, basic_auth, post_token

if TYPE_CHECKING:
    import aiohttp

    from tests.simulator import SpotifySimulator

BASE62_ID = re.compile(r"[0-9A-Za-z]{22}")


@pytest.fixture
def alice(simulator: SpotifySimulator, http: aiohttp.ClientSession) -> Api:
    return api_for(http, simulator, "alice")


def test_catalogue_is_deterministic_with_valid_ids() -> None:
    first, second = build_catalogue(), build_catalogue()

    assert first == second
    every_id = [
        *first.artists,
        *first.albums,
        *first.tracks,
        *first.shows,
        *first.episodes,
    ]
    assert all(BASE62_ID.fullmatch(item_id) for item_id in every_id)
    assert len(set(every_id)) == len(every_id)
    assert build_catalogue(seed=1) != first


async def test_album_and_its_tracks(simulator: SpotifySimulator, alice: Api) -> None:
    album = max(simulator.world.catalogue.albums.values(), key=lambda a: len(a.track_ids))

    body = await alice.ok(f"/albums/{album.id}")
    page = await alice.ok(f"/albums/{album.id}/tracks", limit=3, offset=3)

    assert (body["id"], body["uri"], body["type"]) == (
        album.id,
        f"spotify:album:{album.id}",
        "album",
    )
    assert body["total_tracks"] == body["tracks"]["total"] == len(album.track_ids)
    assert [t["id"] for t in body["tracks"]["items"]] == album.track_ids
    assert [t["track_number"] for t in page["items"]] == [4, 5, 6]
    assert page["previous"].endswith(f"/albums/{album.id}/tracks?offset=0&limit=3")
    assert body["images"][0]["width"] == 640


async def test_artist_and_discography(simulator: SpotifySimulator, alice: Api) -> None:
    artist = next(iter(simulator.world.catalogue.artists.values()))

    body = await alice.ok(f"/artists/{artist.id}")
    default = await alice.ok(f"/artists/{artist.id}/albums")
    appears = await alice.ok(f"/artists/{artist.id}/albums", include_groups="appears_on")

    assert (body["name"], body["genres"]) == (artist.name, list(artist.genres))
    assert default["limit"] == 5
    assert default["total"] == len(artist.album_ids)
    assert {a["album_group"] for a in appears["items"]} == {"appears_on"}
    assert all(a["artists"][0]["id"] != artist.id for a in appears["items"])
    assert appears["total"] > 0
    assert (await alice.get(f"/artists/{artist.id}/albums", limit=11))[0] == 400
    assert (await alice.get(f"/artists/{artist.id}/albums", include_groups="mixtape"))[0] == 400


async def test_track_show_and_episode(simulator: SpotifySimulator, alice: Api) -> None:
    catalogue = simulator.world.catalogue
    track = next(iter(catalogue.tracks.values()))
    show = max(catalogue.shows.values(), key=lambda s: len(s.episode_ids))

    track_body = await alice.ok(f"/tracks/{track.id}")
    show_body = await alice.ok(f"/shows/{show.id}")
    episodes = await alice.ok(f"/shows/{show.id}/episodes", limit=50, offset=50)
    episode_body = await alice.ok(f"/episodes/{show.episode_ids[0]}")

    assert track_body["album"]["id"] == track.album_id
    assert track_body["duration_ms"] == track.duration_ms
    assert show_body["total_episodes"] == len(show.episode_ids) > 50
    assert show_body["episodes"]["next"].endswith("episodes?offset=50&limit=50")
    assert [e["id"] for e in episodes["items"]] == show.episode_ids[50:]
    assert episode_body["show"]["id"] == show.id


@pytest.mark.parametrize("kind", ["albums", "artists", "tracks", "shows", "episodes"])
async def test_unknown_and_malformed_ids(alice: Api, kind: str) -> None:
    assert await alice.get(f"/{kind}/{'Z' * 22}") == (
        404,
        {"error": {"status": 404, "message": "Resource not found"}},
    )
    assert await alice.get(f"/{kind}/not-an-id") == (
        400,
        {"error": {"status": 400, "message": "Invalid base62 id"}},
    )


async def test_search(simulator: SpotifySimulator, alice: Api) -> None:
    artist = next(iter(simulator.world.catalogue.artists.values()))

    body = await alice.ok("/search", q=artist.name, type="artist,track,album")
    second = (await alice.ok(body["tracks"]["next"].removeprefix(simulator.api_url)))["tracks"]

    assert set(body) == {"artists", "tracks", "albums"}
    assert body["artists"]["items"][0]["id"] == artist.id
    assert body["tracks"]["limit"] == 5
    assert body["tracks"]["total"] > 5
    assert all(
        artist.id in [a["id"] for a in t["artists"]]
        for t in body["tracks"]["items"] + second["items"]
    )
    assert second["offset"] == 5


async def test_search_playlists_shows_episodes(simulator: SpotifySimulator, alice: Api) -> None:
    body = await alice.ok("/search", q="mix", type="playlist")
    shows = await alice.ok("/search", q="token talk", type="show,episode", limit=10)

    # Only public playlists are found ("Shared Mix" is private).
    assert body["playlists"]["items"] == []
    assert shows["shows"]["items"][0]["name"] == "Token Talk"
    assert shows["episodes"]["total"] == 25


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"type": "track"}, "No search query"),
        ({"q": "x"}, "Missing required field: type"),
        ({"q": "x", "type": "song"}, "Bad search type field"),
        ({"q": "x", "type": "track", "limit": "11"}, "Invalid limit"),
        ({"q": "x", "type": "track", "offset": "1001"}, "Invalid offset"),
    ],
)
async def test_search_errors(alice: Api, params: dict[str, str], message: str) -> None:
    assert await alice.get("/search", **params) == (
        400,
        {"error": {"status": 400, "message": message}},
    )


async def test_app_token_reads_the_catalogue_but_not_the_user(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    _, tokens, _ = await post_token(
        http,
        simulator,
        {"grant_type": "client_credentials"},
        auth=basic_auth(simulator.DEFAULT_CLIENT_ID, simulator.DEFAULT_CLIENT_SECRET),
    )
    app = Api(http, simulator, tokens["access_token"])
    album_id = next(iter(simulator.world.catalogue.albums))

    assert (await app.get(f"/albums/{album_id}"))[0] == 200
    assert (await app.get("/me/player"))[0] == 401
