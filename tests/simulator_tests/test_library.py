"""The user's library over HTTP: playlists and their paging, saved items, follows, top items."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from .helpers import Api, api_for

if TYPE_CHECKING:
    import aiohttp

    from tests.simulator import SpotifySimulator


@pytest.fixture
def alice(simulator: SpotifySimulator, http: aiohttp.ClientSession) -> Api:
    return api_for(http, simulator, "alice")


async def _follow_pages(api: Api, first: dict[str, Any], key: str | None = None) -> list[Any]:
    """Collect items by following `next` links exactly as given."""
    page, items = first, []
    while True:
        items += page["items"]
        if page["next"] is None:
            return items
        assert page["next"].startswith(api.sim.api_url)
        body = await api.ok(page["next"].removeprefix(api.sim.api_url))
        page = body[key] if key else body


def _playlist_id(sim: SpotifySimulator, name: str) -> str:
    return next(p.id for p in sim.world.playlists.values() if p.name == name)


async def test_my_playlists_page_by_page(simulator: SpotifySimulator, alice: Api) -> None:
    first = await alice.ok("/me/playlists", limit=2)

    everything = await _follow_pages(alice, first)

    assert first["href"] == f"{simulator.api_url}/me/playlists?offset=0&limit=2"
    assert (first["limit"], first["offset"], first["previous"]) == (2, 0, None)
    assert first["total"] == len(simulator.world.libraries["alice"].playlists)
    assert [p["id"] for p in everything] == simulator.world.libraries["alice"].playlists
    road_trip = everything[0]
    assert road_trip["items"] == {
        "href": f"{simulator.api_url}/playlists/{road_trip['id']}/items",
        "total": 250,
    }
    assert road_trip["owner"]["id"] == "alice"
    assert "tracks" not in road_trip


async def test_playlist_items_span_pages(simulator: SpotifySimulator, alice: Api) -> None:
    playlist_id = _playlist_id(simulator, "Road Trip")

    first = await alice.ok(f"/playlists/{playlist_id}/items", limit=50)
    items = await _follow_pages(alice, first)
    last = await alice.ok(f"/playlists/{playlist_id}/items", limit=50, offset=200)
    beyond = await alice.ok(f"/playlists/{playlist_id}/items", offset=300)

    assert len(items) == first["total"] == 250
    assert [entry["item"]["uri"] for entry in items] == [
        entry.uri for entry in simulator.world.playlists[playlist_id].entries
    ]
    assert sum(entry["item"]["type"] == "episode" for entry in items) == 3
    assert {"added_at", "added_by", "is_local", "item"} <= set(items[0])
    assert last["previous"].endswith("/items?offset=150&limit=50")
    assert last["next"] is None
    assert beyond["items"] == []
    assert (await alice.get(f"/playlists/{playlist_id}/items", limit=51))[1] == {
        "error": {"status": 400, "message": "Invalid limit"}
    }
    assert (await alice.get(f"/playlists/{playlist_id}/items", offset=-1))[0] == 400


async def test_playlist_object_and_the_owner_rule(simulator: SpotifySimulator, alice: Api) -> None:
    own = await alice.ok(f"/playlists/{_playlist_id(simulator, 'Road Trip')}")
    editorial_id = _playlist_id(simulator, "Sim Top 50")
    editorial = await alice.ok(f"/playlists/{editorial_id}")
    shared_id = _playlist_id(simulator, "Shared Mix")

    assert len(own["items"]["items"]) == 100
    assert own["items"]["next"].endswith("/items?offset=100&limit=100")
    assert "items" not in editorial
    assert editorial["followers"]["total"] > 0
    assert editorial["owner"]["display_name"] == "Spotify"
    assert (await alice.get(f"/playlists/{editorial_id}/items"))[0] == 403
    shared = await alice.ok(f"/playlists/{shared_id}/items")
    assert shared["total"] == 15
    assert {entry["added_by"]["id"] for entry in shared["items"]} == {"alice", "bob"}
    assert (await alice.get("/playlists/" + "Z" * 22))[1] == {
        "error": {"status": 404, "message": "Resource not found"}
    }


async def test_saved_tracks_albums_shows_episodes(simulator: SpotifySimulator, alice: Api) -> None:
    library = simulator.world.libraries["alice"]

    tracks = await alice.ok("/me/tracks", limit=50)
    albums = await alice.ok("/me/albums")
    shows = await alice.ok("/me/shows")
    episodes = await alice.ok("/me/episodes")

    assert tracks["total"] == len(library.saved_tracks)
    assert tracks["next"].endswith("/me/tracks?offset=50&limit=50")
    added = [item["added_at"] for item in tracks["items"]]
    assert added == sorted(added, reverse=True)
    assert tracks["items"][0]["track"]["id"] == library.saved_tracks[0].id
    assert albums["items"][0]["album"]["tracks"]["total"] > 0
    assert shows["items"][0]["show"]["type"] == "show"
    assert episodes["items"][0]["episode"]["show"]["type"] == "show"
    assert (await alice.get("/me/tracks", market="usa"))[1] == {
        "error": {"status": 400, "message": "Invalid market code"}
    }


async def test_followed_artists_use_cursors(simulator: SpotifySimulator, alice: Api) -> None:
    followed = simulator.world.libraries["alice"].followed_artists

    first = await alice.ok("/me/following", type="artist", limit=3)
    artists = await _follow_pages(alice, first["artists"], key="artists")

    page = first["artists"]
    assert page["total"] == len(followed)
    assert page["cursors"] == {"after": followed[2]}
    assert page["next"].endswith(f"/me/following?type=artist&after={followed[2]}&limit=3")
    assert [a["id"] for a in artists] == followed
    assert (await alice.get("/me/following"))[0] == 400
    assert (await alice.get("/me/following", type="user"))[0] == 400


async def test_nobody_followed(simulator: SpotifySimulator, http: aiohttp.ClientSession) -> None:
    carol = api_for(http, simulator, "carol")

    page = (await carol.ok("/me/following", type="artist"))["artists"]

    assert (page["items"], page["total"], page["next"]) == ([], 0, None)


async def test_top_items(simulator: SpotifySimulator, alice: Api) -> None:
    library = simulator.world.libraries["alice"]

    medium = await alice.ok("/me/top/artists")
    short = await alice.ok("/me/top/artists", time_range="short_term")
    tracks = await alice.ok("/me/top/tracks", limit=5, offset=5)

    assert [a["id"] for a in medium["items"]] == library.top_artists
    assert sorted(a["id"] for a in short["items"]) == sorted(library.top_artists)
    assert short["items"] != medium["items"]
    assert [t["id"] for t in tracks["items"]] == library.top_tracks[5:10]
    assert (await alice.get("/me/top/artists", time_range="forever"))[0] == 400
    assert (await alice.get("/me/top/genres"))[0] == 404


async def test_save_check_and_remove(simulator: SpotifySimulator, alice: Api) -> None:
    library = simulator.world.libraries["alice"]
    track_id = next(t for t in simulator.world.catalogue.tracks if not library.has("track", t))
    artist_id = next(
        a for a in simulator.world.catalogue.artists if a not in library.followed_artists
    )
    uris = f"spotify:track:{track_id},spotify:artist:{artist_id}"

    assert await alice.call("GET", "/me/library/contains", uris=uris) == (200, [False, False])
    assert (await alice.put("/me/library", uris=uris))[0] == 200
    assert await alice.get("/me/library/contains", uris=uris) == (200, [True, True])
    newest = (await alice.ok("/me/tracks", limit=1))["items"][0]
    assert newest["track"]["id"] == track_id
    assert (await alice.call("DELETE", "/me/library", uris=uris))[0] == 200
    assert await alice.get("/me/library/contains", uris=uris) == (200, [False, False])
    logged = simulator.requests[1]
    assert (logged.method, logged.path, logged.query) == ("PUT", "/v1/me/library", {"uris": uris})

    assert (await alice.put("/me/library", uris="spotify:track:nope"))[0] == 400
    assert (await alice.put("/me/library", uris="spotify:track:" + "Q" * 22))[0] == 400
    too_many = ",".join([f"spotify:track:{track_id}"] * 41)
    assert (await alice.put("/me/library", uris=too_many))[0] == 400


async def test_library_needs_its_scope(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    narrow = api_for(http, simulator, "alice", scope="user-read-private")

    assert await narrow.get("/me/tracks") == (
        403,
        {"error": {"status": 403, "message": "Insufficient client scope"}},
    )
    assert (await narrow.get("/me/playlists"))[0] == 403
