"""Playlists, the library and the catalogue, against the simulator's seeded world."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from custom_components.spotify_webapi.webapi import (
    AlbumGroup,
    Episode,
    InvalidArgumentError,
    InvalidSpotifyUriError,
    SearchType,
    SpotifyForbiddenError,
    SpotifyNotFoundError,
    SpotifyResponseError,
    SpotifyWebApiClient,
    TimeRange,
    Track,
)

from .helpers import answered_json, api_requests, last_request

if TYPE_CHECKING:
    from datetime import datetime

    from tests.simulator import LoggedRequest, SpotifySimulator
    from tests.simulator.library import Library, Playlist

PLAYLIST_KINDS = {"additional_types": "track,episode"}


@pytest.fixture
def library(simulator: SpotifySimulator) -> Library:
    """The signed-in user's seeded library."""
    return simulator.world.libraries[simulator.accounts.approve_as]


@pytest.fixture
def road_trip(simulator: SpotifySimulator, library: Library) -> Playlist:
    """The user's 250-item playlist (tracks, and a few episodes)."""
    playlist = simulator.world.playlists[library.playlists[0]]
    assert len(playlist.entries) > 200
    return playlist


def positions(requests: list[LoggedRequest]) -> list[tuple[str | None, str | None]]:
    """(offset, limit) of each request."""
    return [(r.query.get("offset"), r.query.get("limit")) for r in requests]


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- playlists ----------------------------------------------------------------------------


async def test_current_user_playlists(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, library: Library
) -> None:
    page = await client.get_current_user_playlists(limit=2, offset=1)

    request = last_request(simulator)
    assert (request.method, request.path, request.query) == (
        "GET",
        "/v1/me/playlists",
        {"limit": "2", "offset": "1"},
    )
    assert [playlist.id for playlist in page.items] == library.playlists[1:3]
    assert (page.total, page.offset, page.limit) == (len(library.playlists), 1, 2)
    for playlist in page.items:
        assert playlist.id is not None
        stored = simulator.world.playlists[playlist.id]
        assert playlist.name == stored.name
        assert playlist.uri == f"spotify:playlist:{stored.id}"
        assert playlist.owner is not None
        assert playlist.owner.id == stored.owner_id
        assert playlist.public is stored.public
        assert playlist.collaborative is stored.collaborative
        assert playlist.total_items == len(stored.entries)
        assert playlist.items is None


async def test_playlist_with_its_first_items(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, road_trip: Playlist
) -> None:
    playlist = await client.get_playlist(f"https://open.spotify.com/playlist/{road_trip.id}?si=1")

    request = last_request(simulator)
    assert (request.method, request.path, request.query) == (
        "GET",
        f"/v1/playlists/{road_trip.id}",
        PLAYLIST_KINDS,
    )
    assert (playlist.id, playlist.name, playlist.description) == (
        road_trip.id,
        road_trip.name,
        road_trip.description,
    )
    assert playlist.snapshot_id == road_trip.snapshot_id
    assert playlist.total_items == len(road_trip.entries)
    assert playlist.items is not None
    first = playlist.items.items
    assert [entry.item.uri for entry in first if entry.item] == [
        entry.uri for entry in road_trip.entries[: len(first)]
    ]
    assert [iso(entry.added_at) for entry in first] == [
        entry.added_at for entry in road_trip.entries[: len(first)]
    ]
    assert [entry.added_by.id for entry in first if entry.added_by] == [
        entry.added_by for entry in road_trip.entries[: len(first)]
    ]
    assert any(isinstance(entry.item, Episode) for entry in first)
    assert playlist.items.next is not None


async def test_playlist_of_someone_else_comes_without_items(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, library: Library
) -> None:
    others = [p for p in library.playlists if simulator.world.playlists[p].owner_id == "spotify"]
    playlist = await client.get_playlist(others[0])
    assert playlist.owner is not None
    assert playlist.owner.id == "spotify"
    assert playlist.items is None
    with pytest.raises(SpotifyForbiddenError):
        await client.get_playlist_items(others[0])


async def test_playlist_items_follow_next_until_the_limit(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, road_trip: Playlist
) -> None:
    page = await client.get_playlist_items(road_trip.id, limit=120)

    requests = api_requests(simulator)
    assert {r.path for r in requests} == {f"/v1/playlists/{road_trip.id}/items"}
    assert positions(requests) == [("0", "50"), ("50", "50"), ("100", "20")]
    assert all(r.query["additional_types"] == "track,episode" for r in requests)
    assert [entry.item.uri for entry in page.items if entry.item] == [
        entry.uri for entry in road_trip.entries[:120]
    ]
    assert (page.total, page.offset, page.limit) == (len(road_trip.entries), 0, 120)
    assert page.next is not None
    assert "offset=120" in page.next


async def test_playlist_items_stop_at_the_end(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, road_trip: Playlist
) -> None:
    page = await client.get_playlist_items(f"spotify:playlist:{road_trip.id}", limit=1000)
    assert len(page.items) == len(road_trip.entries)
    assert len(api_requests(simulator)) == -(-len(road_trip.entries) // 50)
    assert page.next is None


async def test_playlist_items_from_an_offset(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, road_trip: Playlist
) -> None:
    start = len(road_trip.entries) - 10
    page = await client.get_playlist_items(road_trip.id, offset=start)
    assert positions(api_requests(simulator)) == [(str(start), "50")]
    assert [entry.item.uri for entry in page.items if entry.item] == [
        entry.uri for entry in road_trip.entries[start:]
    ]


# --- the library --------------------------------------------------------------------------


async def test_saved_tracks_across_two_pages(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, library: Library
) -> None:
    page = await client.get_saved_tracks(limit=60)

    requests = api_requests(simulator)
    assert {r.path for r in requests} == {"/v1/me/tracks"}
    assert positions(requests) == [("0", "50"), ("50", "10")]
    assert [(s.track.id if s.track else None, iso(s.added_at)) for s in page.items] == [
        (saved.id, saved.added_at) for saved in library.saved_tracks[:60]
    ]
    assert page.total == len(library.saved_tracks)


async def test_saved_albums(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, library: Library
) -> None:
    page = await client.get_saved_albums(limit=3, offset=1)
    request = last_request(simulator)
    assert (request.path, request.query) == ("/v1/me/albums", {"limit": "3", "offset": "1"})
    assert [s.album.id for s in page.items if s.album] == [a.id for a in library.saved_albums[1:4]]
    assert all(s.album and s.album.artists for s in page.items)


async def test_saved_shows(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, library: Library
) -> None:
    page = await client.get_saved_shows()
    request = last_request(simulator)
    assert (request.path, request.query) == ("/v1/me/shows", {"limit": "50", "offset": "0"})
    assert [s.show.id for s in page.items if s.show] == [s.id for s in library.saved_shows]
    names = {s.show.name for s in page.items if s.show}
    assert names == {simulator.world.catalogue.shows[s.id].name for s in library.saved_shows}


async def test_followed_artists(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, library: Library
) -> None:
    page = await client.get_followed_artists(limit=5)
    request = last_request(simulator)
    assert (request.path, request.query) == ("/v1/me/following", {"type": "artist", "limit": "5"})
    followed = library.followed_artists
    assert [artist.id for artist in page.items] == followed[:5]
    assert page.cursors is not None
    assert page.cursors.after == followed[4]
    assert page.total == len(followed)
    simulator.clear_requests()

    rest = await client.get_followed_artists(after=f"spotify:artist:{followed[4]}")
    assert last_request(simulator).query == {"type": "artist", "after": followed[4], "limit": "50"}
    assert [artist.id for artist in rest.items] == followed[5:]
    assert rest.next is None


async def test_followed_artists_follow_the_after_cursor(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, library: Library
) -> None:
    followed = library.followed_artists
    # A first page of two, as Spotify would send for limit=2; the rest come from the simulator.
    first = {
        "artists": {
            "href": f"{simulator.api_url}/me/following?type=artist&limit=2",
            "limit": 2,
            "next": f"{simulator.api_url}/me/following?type=artist&after={followed[1]}&limit=2",
            "cursors": {"after": followed[1]},
            "total": len(followed),
            "items": [{"id": artist_id, "type": "artist"} for artist_id in followed[:2]],
        }
    }
    simulator.fail_next("/v1/me/following", 200, body=json.dumps(first).encode())

    page = await client.get_followed_artists(limit=5)

    requests = api_requests(simulator)
    assert [(r.query.get("after"), r.query["limit"]) for r in requests] == [
        (None, "5"),
        (followed[1], "2"),
        (followed[3], "1"),
    ]
    assert [artist.id for artist in page.items] == followed[:5]
    assert page.cursors is not None
    assert page.cursors.after == followed[4]


async def test_top_artists(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, library: Library
) -> None:
    page = await client.get_top_artists()
    request = last_request(simulator)
    assert (request.path, request.query) == ("/v1/me/top/artists", {"limit": "50", "offset": "0"})
    assert [artist.id for artist in page.items] == library.top_artists
    assert all(artist.images and artist.genres for artist in page.items)


async def test_top_tracks_of_a_time_range(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    page = await client.get_top_tracks(time_range=TimeRange.SHORT_TERM, limit=5, offset=1)
    request = last_request(simulator)
    assert (request.path, request.query) == (
        "/v1/me/top/tracks",
        {"limit": "5", "offset": "1", "time_range": "short_term"},
    )
    answer = answered_json(simulator, "/v1/me/top/tracks")
    assert [track.id for track in page.items] == [item["id"] for item in answer["items"]]
    assert len(page.items) == 5


# --- the catalogue ------------------------------------------------------------------------


async def test_album_and_its_tracks(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    album_id, stored = next(iter(simulator.world.catalogue.albums.items()))

    album = await client.get_album(f"spotify:album:{album_id}")
    assert last_request(simulator).path == f"/v1/albums/{album_id}"
    assert (album.id, album.name, album.album_type) == (album_id, stored.name, stored.album_type)
    assert album.release_date == stored.release_date
    assert album.total_tracks == len(stored.track_ids)
    assert [artist.id for artist in album.artists] == list(stored.artist_ids)
    assert album.tracks is not None
    assert [track.id for track in album.tracks.items] == stored.track_ids
    simulator.clear_requests()

    tracks = await client.get_album_tracks(album_id, limit=5, offset=2)
    request = last_request(simulator)
    assert (request.path, request.query) == (
        f"/v1/albums/{album_id}/tracks",
        {"limit": "5", "offset": "2"},
    )
    assert [track.id for track in tracks.items] == stored.track_ids[2:7]
    assert all(track.album is None and track.artists for track in tracks.items)


async def test_artist_and_their_albums(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    catalogue = simulator.world.catalogue
    artist_id, stored = next(iter(catalogue.artists.items()))

    artist = await client.get_artist(artist_id)
    assert last_request(simulator).path == f"/v1/artists/{artist_id}"
    assert (artist.id, artist.name, artist.genres) == (artist_id, stored.name, stored.genres)
    assert artist.images
    simulator.clear_requests()

    everything = await client.get_artist_albums(artist_id, limit=12)
    request = last_request(simulator)
    assert (request.path, request.query) == (
        f"/v1/artists/{artist_id}/albums",
        {"limit": "10", "offset": "0"},  # 10 is the most Spotify serves per page since 2026
    )
    assert [album.id for album in everything.items] == stored.album_ids
    simulator.clear_requests()

    own = await client.get_artist_albums(
        f"spotify:artist:{artist_id}", include_groups=[AlbumGroup.ALBUM, "single", "album"]
    )
    assert last_request(simulator).query == {
        "include_groups": "album,single",
        "limit": "10",
        "offset": "0",
    }
    assert [album.id for album in own.items] == [
        album_id
        for album_id in stored.album_ids
        if catalogue.albums[album_id].artist_ids[0] == artist_id
        and catalogue.albums[album_id].album_type in {"album", "single"}
    ]


async def test_track(client: SpotifyWebApiClient, simulator: SpotifySimulator) -> None:
    track_id, stored = next(iter(simulator.world.catalogue.tracks.items()))
    track = await client.get_track(track_id)
    assert last_request(simulator).path == f"/v1/tracks/{track_id}"
    assert (track.id, track.name, track.duration_ms) == (track_id, stored.name, stored.duration_ms)
    assert track.album is not None
    assert track.album.id == stored.album_id


async def test_show_episode_and_episodes(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    catalogue = simulator.world.catalogue
    stored = max(catalogue.shows.values(), key=lambda show: len(show.episode_ids))
    assert len(stored.episode_ids) > 50

    show = await client.get_show(stored.id)
    assert last_request(simulator).path == f"/v1/shows/{stored.id}"
    assert (show.name, show.publisher, show.total_episodes) == (
        stored.name,
        stored.publisher,
        len(stored.episode_ids),
    )
    assert show.episodes is not None
    assert [e.id for e in show.episodes.items] == stored.episode_ids[: len(show.episodes.items)]
    simulator.clear_requests()

    episodes = await client.get_show_episodes(f"spotify:show:{stored.id}", limit=55)
    requests = api_requests(simulator)
    assert {r.path for r in requests} == {f"/v1/shows/{stored.id}/episodes"}
    assert positions(requests) == [("0", "50"), ("50", "5")]
    assert [episode.id for episode in episodes.items] == stored.episode_ids[:55]
    simulator.clear_requests()

    episode = await client.get_episode(stored.episode_ids[0])
    assert last_request(simulator).path == f"/v1/episodes/{stored.episode_ids[0]}"
    assert episode.name == catalogue.episodes[stored.episode_ids[0]].name
    assert episode.show is not None
    assert episode.show.id == stored.id


async def test_unknown_catalogue_object_is_not_found(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    with pytest.raises(SpotifyNotFoundError, match="Resource not found"):
        await client.get_album("0000000000000000000000")
    assert last_request(simulator).status == 404


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get_album("../me"),
        lambda c: c.get_artist("spotify:album:0000000000000000000000"),
        lambda c: c.get_playlist("37i9dQZF1DXcBWIGoYBM5M/items"),
        lambda c: c.get_playlist_items("https://example.com/playlist/37i9dQZF1DXcBWIGoYBM5M"),
        lambda c: c.get_show_episodes(""),
        lambda c: c.get_followed_artists(after="spotify:track:0000000000000000000000"),
    ],
)
async def test_invalid_ids_never_reach_spotify(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, call: Any
) -> None:
    with pytest.raises(InvalidSpotifyUriError):
        await call(client)
    assert simulator.requests == []


# --- search -------------------------------------------------------------------------------


async def test_search_follows_each_types_next_link(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    catalogue = simulator.world.catalogue
    artist_id, artist = next(
        (artist_id, artist)
        for artist_id, artist in catalogue.artists.items()
        if sum(artist_id in track.artist_ids for track in catalogue.tracks.values()) > 20
    )
    credited = [t.id for t in catalogue.tracks.values() if artist_id in t.artist_ids]

    result = await client.search(artist.name, [SearchType.TRACK, "artist"], limit=15)

    requests = api_requests(simulator)
    assert requests[0].query == {
        "q": artist.name,
        "type": "track,artist",
        "limit": "10",
        "offset": "0",
    }
    assert [(r.query["type"], r.query["offset"], r.query["limit"]) for r in requests[1:]] == [
        ("track", "10", "5")
    ]
    assert result.tracks is not None
    assert [track.id for track in result.tracks.items] == credited[:15]
    assert result.tracks.total == len(credited)
    assert result.artists is not None
    assert [found.id for found in result.artists.items] == [artist_id]
    assert (result.albums, result.playlists, result.shows, result.episodes) == (None,) * 4


async def test_search_every_type(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, road_trip: Playlist
) -> None:
    result = await client.search(road_trip.name, list(SearchType), limit=3)
    assert (
        last_request(simulator).query["type"]
        == "track,album,artist,playlist,show,episode,audiobook"
    )
    assert result.playlists is not None
    assert [playlist.id for playlist in result.playlists.items] == [road_trip.id]
    pages = (result.tracks, result.albums, result.artists, result.shows, result.episodes)
    for page in (*pages, result.audiobooks):
        assert page is not None
        assert len(page.items) <= 3


async def test_search_for_shows_and_episodes(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    show = next(iter(simulator.world.catalogue.shows.values()))
    result = await client.search(show.name, ["show", SearchType.EPISODE], limit=2)
    assert result.shows is not None
    assert [found.id for found in result.shows.items] == [show.id]
    assert result.episodes is not None
    assert [episode.id for episode in result.episodes.items] == show.episode_ids[:2]


@pytest.mark.parametrize(
    ("query", "types", "limit"),
    [
        ("", ["track"], 5),
        ("   ", ["track"], 5),
        ("abba", [], 5),
        ("abba", ["audiobooks"], 5),
        ("abba", "tracks", 5),
        ("abba", ["track"], 0),
    ],
)
async def test_search_refuses_invalid_arguments(
    client: SpotifyWebApiClient,
    simulator: SpotifySimulator,
    query: str,
    types: list[str],
    limit: int,
) -> None:
    with pytest.raises(InvalidArgumentError):
        await client.search(query, types, limit=limit)
    assert simulator.requests == []


async def test_search_accepts_one_type_as_a_string(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    await client.search("silver", "album")
    assert last_request(simulator).query["type"] == "album"


# --- paging edge cases --------------------------------------------------------------------


def page_body(items: list[Any], next_link: str | None) -> bytes:
    body = {"href": "", "items": items, "limit": 1, "next": next_link, "offset": 0, "total": 9}
    return json.dumps(body).encode()


async def test_next_link_outside_the_api_is_not_followed(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    evil = "https://evil.example/v1/me/tracks?offset=1&limit=1"
    simulator.fail_next("/v1/me/tracks", 200, body=page_body([{"track": None}], evil))
    with pytest.raises(SpotifyResponseError, match="outside the Web API"):
        await client.get_saved_tracks(limit=5)
    assert len(api_requests(simulator)) == 1


async def test_paging_stops_at_an_empty_page(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    loop = f"{simulator.api_url}/me/tracks?offset=0&limit=1"
    simulator.fail_next("/v1/me/tracks", 200, body=page_body([], loop))
    page = await client.get_saved_tracks(limit=5)
    assert page.items == ()
    assert len(api_requests(simulator)) == 1


async def test_paging_never_returns_more_than_the_limit(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    # A server that ignores `limit`: the client still hands back no more than asked for.
    items = [{"added_at": None, "track": {"id": f"t{n}", "type": "track"}} for n in range(4)]
    simulator.fail_next("/v1/me/tracks", 200, body=page_body(items, None))
    page = await client.get_saved_tracks(limit=2)
    assert [saved.track.id for saved in page.items if isinstance(saved.track, Track)] == [
        "t0",
        "t1",
    ]


@pytest.mark.parametrize("limit", [0, -1, True, 2.5])
async def test_limit_must_be_positive(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, limit: Any
) -> None:
    with pytest.raises(InvalidArgumentError, match="limit"):
        await client.get_saved_albums(limit=limit)
    with pytest.raises(InvalidArgumentError, match="offset"):
        await client.get_saved_albums(offset=-1)
    assert simulator.requests == []
