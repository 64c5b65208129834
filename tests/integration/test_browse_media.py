"""Browsing the library through HA's websocket API, paging, search, and the module-level helper."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components.media_player import BrowseError
from homeassistant.components.media_player import MediaPlayerEntityFeature as Feature
from homeassistant.exceptions import HomeAssistantError

from custom_components.spotify_webapi import async_browse_media
from custom_components.spotify_webapi.browse import media as browse_media
from custom_components.spotify_webapi.browse.media import (
    MEDIA_PLAYER_PREFIX,
    is_spotify_webapi_media_type,
    spotify_uri_from_media_browser_url,
)
from custom_components.spotify_webapi.browse.nodes import (
    album_node,
    artist_node,
    episode_node,
    playable_node,
    playlist_node,
    show_node,
    track_node,
)
from custom_components.spotify_webapi.webapi import (
    Album,
    Artist,
    Episode,
    Image,
    Playlist,
    Show,
    Track,
)
from tests.simulator.artwork import images
from tests.simulator.ids import uri

from .conftest import entry_for, setup_entry
from .helpers import ALICE, api_calls, media, state

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import WebSocketGenerator

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

ROOT_TITLES = [
    "Playlists",
    "Liked Songs",
    "Albums",
    "Artists",
    "Podcasts",
    "Audiobooks",
    "Recently played",
    "Top tracks",
    "Top artists",
]


@pytest.fixture
async def browse(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> Any:
    """Browse Alice's player over the websocket API, as the frontend does."""
    await setup_entry(hass, config_entry)
    client = await hass_ws_client(hass)
    sim.clear_requests()

    async def run(kind: str | None = None, content_id: str | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {"type": "media_player/browse_media", "entity_id": ALICE}
        if kind is not None:
            message |= {"media_content_type": kind, "media_content_id": content_id}
        await client.send_json_auto_id(message)
        answer = await client.receive_json()
        if not answer["success"]:
            raise BrowseError(answer["error"]["message"])
        result: dict[str, Any] = answer["result"]
        return result

    return run


def ids(node: dict[str, Any]) -> list[str]:
    return [child["media_content_id"] for child in node["children"]]


async def test_root_lists_the_library_folders(browse: Any, sim: SpotifySimulator) -> None:
    root = await browse()

    assert root["title"] == "Spotify"
    assert root["can_expand"]
    assert not root["can_play"]
    assert [child["title"] for child in root["children"]] == ROOT_TITLES
    playable = [child["title"] for child in root["children"] if child["can_play"]]
    assert playable == ["Liked Songs"]
    assert all(child["can_expand"] for child in root["children"])
    assert api_calls(sim) == []  # the root needs no request


async def test_playlists_expand_only_where_spotify_lists_items(
    browse: Any, sim: SpotifySimulator
) -> None:
    node = await browse("current_user_playlists", "current_user_playlists")

    playlists = {p.name: p for p in sim.world.playlists.values()}
    expected = ["Road Trip", "Focus", "Shared Mix", "Sim Top 50"]
    assert [child["title"] for child in node["children"]] == expected
    assert ids(node) == [uri("playlist", playlists[name].id) for name in expected]
    # Alice's own and the collaborative one list their items; Spotify's editorial one does not.
    assert [child["can_expand"] for child in node["children"]] == [True, True, True, False]
    assert all(child["can_play"] for child in node["children"])
    assert [child["thumbnail"] for child in node["children"]] == [
        images(sim.base_url, "playlist", playlists[name].id)[0]["url"] for name in expected
    ]
    assert api_calls(sim) == [
        ("GET", "/v1/me/playlists", {"limit": "50", "offset": "0"}, None),
    ]


async def test_a_long_playlist_is_browsed_in_chunks_without_losing_items(
    browse: Any, sim: SpotifySimulator
) -> None:
    road_trip = next(p for p in sim.world.playlists.values() if p.name == "Road Trip")
    playlist_uri = uri("playlist", road_trip.id)
    expected = [entry.uri for entry in road_trip.entries]
    assert len(expected) == 250

    seen: list[str] = []
    node = await browse("playlist", playlist_uri)
    assert node["title"] == "Road Trip"
    assert node["can_play"]
    chunks = 1
    while node["children"][-1]["media_class"] == "directory":
        more = node["children"][-1]
        assert not more["can_play"]
        assert more["can_expand"]
        seen += ids(node)[:-1]
        node = await browse(more["media_content_type"], more["media_content_id"])
        chunks += 1
    seen += ids(node)

    assert seen == expected  # every item, in order, repeats included
    # The first chunk is the 100 items the playlist embeds; then one request per 50,
    # and the playlist itself is read once (its title is remembered).
    assert chunks == 4
    assert [
        (r.path.removeprefix("/v1/playlists/"), r.query.get("offset")) for r in sim.requests
    ] == [
        (road_trip.id, None),
        (f"{road_trip.id}/items", "100"),
        (f"{road_trip.id}/items", "150"),
        (f"{road_trip.id}/items", "200"),
    ]
    assert {r.query.get("limit") for r in sim.requests[1:]} == {"50"}
    kinds = {child["media_class"] for child in node["children"]}
    assert kinds <= {"track", "episode"}


async def test_pages_after_null_entries_neither_repeat_nor_skip(
    browse: Any, sim: SpotifySimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A followed playlist its owner deleted, and an album Spotify withdrew, stay in
    # the lists as null entries (as in recorded /me/playlists and /me/albums pages).
    monkeypatch.setattr(browse_media, "CHUNK", 3)
    library = sim.world.libraries["alice"]
    del sim.world.playlists[library.playlists[1]]
    withdrawn = library.saved_albums[2].id
    del sim.world.catalogue.albums[withdrawn]

    for kind, expected in [
        ("current_user_playlists", [uri("playlist", p) for p in library.playlists]),
        ("current_user_saved_albums", [uri("album", a.id) for a in library.saved_albums]),
    ]:
        sim.clear_requests()
        seen: list[str] = []
        node = await browse(kind, kind)
        while node["children"][-1]["media_class"] == "directory":
            seen += ids(node)[:-1]
            more = node["children"][-1]
            node = await browse(more["media_content_type"], more["media_content_id"])
        seen += ids(node)
        assert seen == [
            item
            for item in expected
            if item not in {uri("playlist", library.playlists[1]), uri("album", withdrawn)}
        ]
        # One request per chunk, each starting where the last one ended.
        offsets = [int(r.query.get("offset", "0")) for r in sim.requests]
        assert offsets == list(range(0, len(expected), 3))


async def test_playlist_episodes_are_episodes(browse: Any, sim: SpotifySimulator) -> None:
    road_trip = next(p for p in sim.world.playlists.values() if p.name == "Road Trip")
    node = await browse("playlist", uri("playlist", road_trip.id))

    episode = node["children"][10]
    assert episode["media_content_type"] == "episode"
    assert episode["media_class"] == "episode"
    assert episode["can_play"]
    assert not episode["can_expand"]


async def test_a_short_playlist_needs_one_request(browse: Any, sim: SpotifySimulator) -> None:
    focus = next(p for p in sim.world.playlists.values() if p.name == "Focus")

    node = await browse("playlist", uri("playlist", focus.id))

    assert ids(node) == [entry.uri for entry in focus.entries]
    assert [r.path for r in sim.requests] == [f"/v1/playlists/{focus.id}"]


async def test_a_playlist_spotify_will_not_list_is_a_translated_error(
    browse: Any, sim: SpotifySimulator
) -> None:
    top = next(p for p in sim.world.playlists.values() if p.name == "Sim Top 50")

    with pytest.raises(BrowseError, match="does not let apps list"):
        await browse("playlist", uri("playlist", top.id))


@pytest.mark.parametrize(
    ("kind", "count", "child_class"),
    [
        ("current_user_saved_tracks", 50, "track"),  # a page of 50, then "More"
        ("current_user_saved_albums", 6, "album"),
        ("current_user_followed_artists", 8, "artist"),
        ("current_user_saved_shows", 2, "podcast"),
        ("current_user_recently_played", 10, "track"),
        ("current_user_top_tracks", 30, "track"),
        ("current_user_top_artists", 10, "artist"),
    ],
)
async def test_library_folders_list_everything(
    browse: Any, sim: SpotifySimulator, kind: str, count: int, child_class: str
) -> None:
    node = await browse(kind, kind)

    children = [child for child in node["children"] if child["media_class"] != "directory"]
    assert len(children) == count
    assert {child["media_class"] for child in children} == {child_class}
    assert node["children_media_class"] == child_class
    assert all(child["can_play"] for child in children)
    assert all(child["thumbnail"] for child in children)
    assert node["can_play"] == (kind == "current_user_saved_tracks")
    assert len(sim.requests) == 1  # one request per page


async def test_followed_artists_page_on_spotify_cursor(
    browse: Any, sim: SpotifySimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browse_media, "CHUNK", 3)
    followed = sim.world.libraries["alice"].followed_artists

    seen: list[str] = []
    node = await browse("current_user_followed_artists", "current_user_followed_artists")
    while node["children"][-1]["media_class"] == "directory":
        seen += ids(node)[:-1]
        more = node["children"][-1]
        node = await browse(more["media_content_type"], more["media_content_id"])
    seen += ids(node)

    assert seen == [uri("artist", artist_id) for artist_id in followed]
    afters = [r.query.get("after") for r in sim.requests if r.path == "/v1/me/following"]
    assert afters == [None, followed[2], followed[5]]


async def test_album_artist_and_show_expand(browse: Any, sim: SpotifySimulator) -> None:
    catalogue = sim.world.catalogue
    album = max(catalogue.albums.values(), key=lambda a: len(a.track_ids))
    node = await browse("album", uri("album", album.id))
    assert node["title"] == album.name
    assert ids(node) == [uri("track", t) for t in album.track_ids]
    cover = images(sim.base_url, "album", album.id)[0]["url"]
    assert node["thumbnail"] == cover
    assert {child["thumbnail"] for child in node["children"]} == {cover}

    artist = next(iter(catalogue.artists.values()))
    node = await browse("artist", uri("artist", artist.id))
    assert node["title"] == artist.name
    assert node["can_play"]
    assert sorted(ids(node)) == sorted(uri("album", a) for a in artist.album_ids)
    assert all(child["can_expand"] for child in node["children"])

    show = max(catalogue.shows.values(), key=lambda s: len(s.episode_ids))
    node = await browse("show", uri("show", show.id))
    assert node["title"] == show.name
    # The 50 episodes the show embeds, then "More" for the other 10.
    assert len(show.episode_ids) == 60
    assert ids(node)[:-1] == [uri("episode", e) for e in show.episode_ids[:50]]
    assert node["children"][-1]["media_content_id"] == f"{uri('show', show.id)}@50"
    rest = await browse("show", f"{uri('show', show.id)}@50")
    assert ids(rest) == [uri("episode", e) for e in show.episode_ids[50:]]
    assert {child["media_class"] for child in rest["children"]} == {"episode"}
    assert sim.requests[-1].path == f"/v1/shows/{show.id}/episodes"  # the title is remembered


async def test_a_short_show_needs_one_request_and_album_pages_continue(
    browse: Any, sim: SpotifySimulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = sim.world.catalogue
    show = min(catalogue.shows.values(), key=lambda s: len(s.episode_ids))
    node = await browse("show", uri("show", show.id))
    assert ids(node) == [uri("episode", e) for e in show.episode_ids]
    assert [r.path for r in sim.requests] == [f"/v1/shows/{show.id}"]

    monkeypatch.setattr(browse_media, "CHUNK", 5)
    album = max(catalogue.albums.values(), key=lambda a: len(a.track_ids))
    node = await browse("album", f"{uri('album', album.id)}@5")
    assert ids(node)[:-1] == [uri("track", t) for t in album.track_ids[5:10]]
    assert not node["can_play"]  # a chunk is not the album
    assert node["children"][-1]["media_content_id"] == f"{uri('album', album.id)}@10"
    assert node["children"][-1]["title"] == f"More… ({len(album.track_ids)} in all)"


def test_nodes_leave_out_what_cannot_be_played() -> None:
    assert track_node(Track(uri=None, name="x")) is None
    assert track_node(Track(uri="spotify:local:a:b:c:1", name="x", is_local=True)) is None
    assert episode_node(Episode(uri=None)) is None
    assert playable_node(None) is None
    assert album_node(Album(uri=None)) is None
    assert artist_node(Artist(uri=None)) is None
    assert playlist_node(Playlist(uri=None), "alice") is None
    assert show_node(Show(uri=None)) is None
    show = Show(uri="spotify:show:x", images=(Image(url="https://i.scdn.co/show"),))
    episode = episode_node(Episode(uri="spotify:episode:y", name="E", show=show))
    assert episode is not None
    assert episode.thumbnail == "https://i.scdn.co/show"  # the show's art when it has none


@pytest.mark.parametrize(
    ("kind", "content_id", "message"),
    [
        ("video", "x", "nothing of type"),
        ("album", "spotify:album:nope", "not something the Spotify browser can open"),
        ("current_user_playlists", "current_user_playlists@ten", "not something"),
    ],
)
async def test_unknown_nodes_are_translated_browse_errors(
    browse: Any, sim: SpotifySimulator, kind: str, content_id: str, message: str
) -> None:
    with pytest.raises(BrowseError, match=message):
        await browse(kind, content_id)
    assert api_calls(sim) == []


async def test_spotify_failure_while_browsing_is_translated(
    browse: Any, sim: SpotifySimulator
) -> None:
    sim.fail_next("/v1/me/albums", 503)

    with pytest.raises(BrowseError, match="failed"):
        await browse("current_user_saved_albums", "current_user_saved_albums")


# --- search ------------------------------------------------------------------------------------

HAS_SEARCH = hasattr(Feature, "SEARCH_MEDIA")


async def test_search_is_offered_exactly_where_ha_has_it(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    await setup_entry(hass, config_entry)
    client = await hass_ws_client(hass)

    supported = Feature(state(hass).attributes["supported_features"])
    await client.send_json_auto_id(
        {"type": "media_player/search_media", "entity_id": ALICE, "search_query": "Lanterns"}
    )
    searched = await client.receive_json()
    if HAS_SEARCH:
        assert Feature.SEARCH_MEDIA in supported
        assert searched["success"]
    else:  # HA 2025.4 has no media search at all: nothing offered, nothing to call
        assert int(supported) < 1 << 22
        assert searched["error"]["code"] == "unknown_command"
    assert Feature.BROWSE_MEDIA in supported
    assert Feature.PLAY_MEDIA in supported

    # Either way the player loads, browses and plays.
    await client.send_json_auto_id({"type": "media_player/browse_media", "entity_id": ALICE})
    browsed = await client.receive_json()
    assert [child["title"] for child in browsed["result"]["children"]] == ROOT_TITLES
    await media(hass, "media_pause")
    assert state(hass).state == "paused"


class TestSearchMedia:
    """Search over the websocket API, as the frontend does (HA 2025.5+)."""

    # HA 2025.4 has no search: there these tests do not exist (not skipped); the test above
    # covers that version.
    __test__ = HAS_SEARCH

    @pytest.fixture
    async def search(
        self,
        hass: HomeAssistant,
        sim: SpotifySimulator,
        config_entry: MockConfigEntry,
        hass_ws_client: WebSocketGenerator,
    ) -> Any:
        """Search Alice's player over the websocket API."""
        await setup_entry(hass, config_entry)
        client = await hass_ws_client(hass)
        sim.clear_requests()

        async def run(query: str, classes: list[str] | None = None) -> list[dict[str, Any]]:
            message: dict[str, Any] = {
                "type": "media_player/search_media",
                "entity_id": ALICE,
                "search_query": query,
            }
            if classes is not None:
                message["media_filter_classes"] = classes
            await client.send_json_auto_id(message)
            answer = await client.receive_json()
            if not answer["success"]:
                raise HomeAssistantError(answer["error"]["message"])
            result: list[dict[str, Any]] = answer["result"]["result"]
            return result

        return run

    async def test_search_covers_every_kind(self, search: Any, sim: SpotifySimulator) -> None:
        found = await search("Token")

        classes = {item["media_class"] for item in found}
        assert {"podcast", "episode"} <= classes  # "Token Talk" and its episodes
        artist = next(item for item in found if item["media_class"] == "artist")
        assert artist["title"] == "The Bearer Tokens"
        (search_request,) = [r for r in sim.requests if r.path == "/v1/search"][:1]
        assert search_request.query["q"] == "Token"
        assert search_request.query["type"] == (
            "track,album,artist,playlist,show,episode,audiobook"
        )
        book = next(item for item in found if item["media_content_type"] == "audiobook")
        assert book["title"] == "A Token for Tomorrow, by Rin Okafor, Lee Park"
        assert search_request.query["limit"] == "10"

    async def test_search_filters_by_media_class(self, search: Any, sim: SpotifySimulator) -> None:
        found = await search("Lanterns", ["artist"])

        assert [(item["title"], item["media_class"]) for item in found] == [
            ("The Loopback Lanterns", "artist")
        ]
        assert [r.query["type"] for r in sim.requests] == ["artist"]

    async def test_search_failure_is_translated(self, search: Any, sim: SpotifySimulator) -> None:
        sim.fail_next("/v1/search", 503)

        with pytest.raises(HomeAssistantError, match="The command to Spotify failed"):
            await search("Lanterns")

    async def test_search_without_a_query_or_searchable_class_sends_nothing(
        self, search: Any, sim: SpotifySimulator
    ) -> None:
        assert await search("   ") == []
        assert await search("Lanterns", ["genre"]) == []
        assert api_calls(sim) == []


# --- for other media players -----------------------------------------------------------------


async def test_module_level_browse_serves_every_loaded_account(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)
    carol = entry_for(sim, "carol")
    await setup_entry(hass, carol)

    root = await async_browse_media(hass, None, None)
    assert [child["title"] for child in [c.as_dict() for c in root.children or []]] == [
        "Alice Example",
        "Carol Example",
    ]
    account = (root.children or [])[0]
    assert is_spotify_webapi_media_type(str(account.media_content_type))

    library = await async_browse_media(
        hass, str(account.media_content_type), account.media_content_id
    )
    assert [child.title for child in library.children or []] == ROOT_TITLES
    playlists_node = (library.children or [])[0]
    prefix = f"{MEDIA_PLAYER_PREFIX}{config_entry.entry_id}/"
    assert playlists_node.media_content_id == prefix + "current_user_playlists"

    playlists = await async_browse_media(
        hass, str(playlists_node.media_content_type), playlists_node.media_content_id
    )
    first = (playlists.children or [])[0]
    assert first.media_content_id.startswith(prefix + "spotify:playlist:")
    assert first.media_content_type == f"{MEDIA_PLAYER_PREFIX}playlist"
    assert spotify_uri_from_media_browser_url(first.media_content_id).startswith(
        "spotify:playlist:"
    )

    # The player takes such an id too.
    sim.clear_requests()
    await media(
        hass,
        "play_media",
        media_content_type=str(first.media_content_type),
        media_content_id=first.media_content_id,
    )
    assert api_calls(sim) == [
        (
            "PUT",
            "/v1/me/player/play",
            {},
            {"context_uri": spotify_uri_from_media_browser_url(first.media_content_id)},
        )
    ]


@pytest.mark.parametrize("content_id", ["spotify:album:x", f"{MEDIA_PLAYER_PREFIX}nope/library"])
async def test_module_level_browse_refuses_unknown_accounts(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry, content_id: str
) -> None:
    await setup_entry(hass, config_entry)

    with pytest.raises(BrowseError):
        await async_browse_media(hass, f"{MEDIA_PLAYER_PREFIX}library", content_id)
