"""The media browser over recorded answers of the real Spotify Web API (tests/fixtures).

What a user sees is asserted: titles, artwork (the largest image), what can be played,
and where "More" continues; each page costs one request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.spotify_webapi.browse import media as browse_media
from custom_components.spotify_webapi.browse.media import SpotifyBrowser

if TYPE_CHECKING:
    from homeassistant.components.media_player import BrowseMedia

    from custom_components.spotify_webapi.webapi import SpotifyWebApiClient
    from tests.recorded import ReplayServer

V2025 = "spotifyaio/2025"
V2026 = "spotifyaio/2026"
OWNER = "1112264649"  # the account the recordings were made with


def browser(client: SpotifyWebApiClient) -> SpotifyBrowser:
    """The owner's browser."""
    return SpotifyBrowser(client, OWNER, say=lambda key, **values: f"{key} {values}")


def listed(node: BrowseMedia) -> list[BrowseMedia]:
    """The children without the trailing "More" node."""
    return [child for child in node.children or [] if child.media_class != "directory"]


def more(node: BrowseMedia) -> str | None:
    """Where the "More" node continues, if there is one."""
    last = (node.children or [None])[-1]
    return None if last is None or last.media_class != "directory" else last.media_content_id


async def test_playlists_after_a_null_entry_continue_where_spotify_does(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browse_media, "CHUNK", 18)
    replay.answer("me/playlists", f"{V2025}/current_user_playlist_1.json")
    node = await browser(recorded_client).browse("current_user_playlists", "current_user_playlists")
    children = listed(node)
    assert [child.title for child in children[:3]] == [
        "Hyper",
        "Ain\u2019t got shit on me",
        "Billie (interlude)",
    ]
    assert len(children) == 17  # the null entry takes a place, and shows nothing
    assert children[0].thumbnail == (
        "https://i.scdn.co/image/ab67616d0000b273d061f5bfae8d38558f3698c1"
    )
    assert children[0].can_expand  # the owner's own
    assert not children[1].can_expand  # someone else's: Spotify does not list its items
    assert more(node) == "current_user_playlists@18"
    assert len(replay.requests) == 1


async def test_a_short_page_still_continues_at_the_full_limit(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 47 entries for a limit of 48, and Spotify's next page starts at 48: one request,
    # no extra one for the missing entry, and "More" at 48.
    monkeypatch.setattr(browse_media, "CHUNK", 48)
    replay.answer("me/playlists", f"{V2026}/current_user_playlist_2.json")
    node = await browser(recorded_client).browse("current_user_playlists", "current_user_playlists")
    assert len(listed(node)) == 47
    assert listed(node)[0].title == "daylist • melodic techno house monday morning"
    assert more(node) == "current_user_playlists@48"
    assert node.children[-1].title == "more_of_total {'total': '111'}"
    assert len(replay.requests) == 1


async def test_saved_albums_skip_the_null_entry(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    replay.answer("me/albums", f"{V2026}/saved_albums.json")
    node = await browser(recorded_client).browse(
        "current_user_saved_albums", "current_user_saved_albums"
    )
    children = listed(node)
    assert len(children) == 44
    assert more(node) is None
    titles = [child.title for child in children]
    assert titles[11:13] == ["3AM (LA LA LA)", "ten days"]  # on both sides of the null
    uris = [child.media_content_id for child in children]
    assert len(set(uris)) == len(uris)
    assert children[11].thumbnail == (
        "https://i.scdn.co/image/ab67616d0000b273eb7e716f9775588178a8abe5"
    )


async def test_podcasts_show_the_largest_image(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    replay.answer("me/shows", f"{V2026}/saved_shows.json")
    node = await browser(recorded_client).browse(
        "current_user_saved_shows", "current_user_saved_shows"
    )
    shown = [(child.title, child.thumbnail) for child in listed(node)[:2]]
    assert shown == [
        ("Open Source Stories", "https://i.scdn.co/image/ab6765630000ba8a1e0cd69bb20b9b3dfe26b37d"),
        ("De nomade", "https://i.scdn.co/image/ab676663000022a8c7ae1b41440d0dfa0849e43e"),
    ]


async def test_unplayable_top_track_is_not_offered_to_play(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(browse_media, "CHUNK", 48)
    replay.answer("me/top/tracks", f"{V2026}/top_tracks.json")
    node = await browser(recorded_client).browse(
        "current_user_top_tracks", "current_user_top_tracks"
    )
    children = listed(node)
    assert len(children) == 48
    refused = [child.title for child in children if not child.can_play]
    assert refused == ["Drown In Sunlight - DummiBoiBeatz Version"]
    assert more(node) == "current_user_top_tracks@48"


async def test_playlist_album_and_show_in_one_request_each(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    replay.answer("playlists/3toMXYM91T55pKzuysH5Ph", f"{V2026}/playlist_2.json")
    replay.answer("playlists/0pM0KTMXM7K5qr3sL2DPw1", f"{V2026}/playlist_3.json")
    replay.answer("albums/3IqzqH6ShrRtie9Yd2ODyG", f"{V2026}/get_album.json")
    replay.answer("shows/1Y9ExMgMxoBVrgrfU7u0nD", f"{V2026}/show.json")
    spotify = browser(recorded_client)

    starred = await spotify.browse("playlist", "spotify:playlist:3toMXYM91T55pKzuysH5Ph")
    # The local file cannot be played through the Web API: only "You and I" is listed.
    assert (starred.title, [c.title for c in listed(starred)]) == ("Starred", ["You and I"])
    assert starred.thumbnail == "https://i.scdn.co/image/ab67616d00001e022f9b47bdc2b1c7cae7b014af"

    pain = await spotify.browse("playlist", "spotify:playlist:0pM0KTMXM7K5qr3sL2DPw1")
    assert [(c.title, c.media_class) for c in listed(pain)] == [
        ("Nothing To Lose", "track"),
        ("Borrowed Time", "track"),
        ("Toni Delivers Semen", "episode"),
    ]

    album = await spotify.browse("album", "spotify:album:3IqzqH6ShrRtie9Yd2ODyG")
    cover = "https://i.scdn.co/image/ab67616d0000b273a61a28c2f084761f8833bce6"
    assert (album.title, album.thumbnail) == ("SINGLARITY", cover)
    assert [c.title for c in listed(album)][:3] == [
        "All Your Friends",
        "New Magiks",
        "Everybody Gets a Piece",
    ]
    assert {c.thumbnail for c in listed(album)} == {cover}
    assert more(album) is None

    show = await spotify.browse("show", "spotify:show:1Y9ExMgMxoBVrgrfU7u0nD")
    assert show.title == "Safety Third"
    episodes = listed(show)
    assert len(episodes) == 50
    assert episodes[0].title == "We Tried Making a Better Coke  - Safety Third 158"
    assert episodes[0].thumbnail == (
        "https://i.scdn.co/image/ab6765630000ba8ac7bedd27a4413b1abf926d8a"
    )
    assert more(show) == "spotify:show:1Y9ExMgMxoBVrgrfU7u0nD@50"
    assert len(replay.requests) == 4


async def test_search_leaves_out_null_playlists(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    replay.answer("search", f"{V2025}/search.json")
    found = await browser(recorded_client).search("old", None)
    by_kind: dict[str, int] = {}
    for node in found:
        by_kind[node.media_content_type] = by_kind.get(node.media_content_type, 0) + 1
    # Ten of each kind were asked for; two of the ten playlists are null. Spotify sent
    # twenty audiobooks (more than asked): the ten asked for are listed, as books.
    assert by_kind == {
        "track": 10,
        "album": 10,
        "artist": 10,
        "playlist": 8,
        "show": 10,
        "episode": 10,
        "audiobook": 10,
    }
    books = [node for node in found if node.media_content_type == "audiobook"]
    assert {node.media_class for node in books} == {"podcast"}
    assert all(node.media_content_id.startswith("spotify:audiobook:") for node in books)
    assert all(node.media_content_id.startswith("spotify:") for node in found)


@pytest.mark.parametrize(
    ("kind", "node_id", "answers", "count", "first", "continues"),
    [
        (
            "current_user_saved_tracks",
            "current_user_saved_tracks",
            {"me/tracks": "saved_tracks.json"},
            48,
            "Cold Silver",
            "current_user_saved_tracks@48",
        ),
        (
            "current_user_followed_artists",
            "current_user_followed_artists",
            {"me/following": "followed_artists.json"},
            48,
            "The Excellent Man from Minneapolis",
            "current_user_followed_artists@7CajNmpbOovFoOoasH2HaY",
        ),
        (
            "current_user_top_artists",
            "current_user_top_artists",
            {"me/top/artists": "top_artists.json"},
            48,
            "Machinae Supremacy",
            "current_user_top_artists@48",
        ),
        (
            # 48 plays of 34 tracks: each track once, at its latest play.
            "current_user_recently_played",
            "current_user_recently_played",
            {"me/player/recently-played": "recently_played_tracks.json"},
            34,
            "We'll Fight! - Re-recorded",
            None,
        ),
        (
            "artist",
            "spotify:artist:0TnOYISbd1XYRBk9myaseg",
            {
                "artists/0TnOYISbd1XYRBk9myaseg": "artist.json",
                "artists/0TnOYISbd1XYRBk9myaseg/albums": "artist_albums.json",
            },
            10,
            "UNDERDOGS",
            "spotify:artist:0TnOYISbd1XYRBk9myaseg@10",
        ),
        (
            "playlist",
            "spotify:playlist:1Cp6VQCKf2VL4sP09jN9oX",
            {"playlists/1Cp6VQCKf2VL4sP09jN9oX": "playlist_1.json"},
            1,
            "All I Need",
            None,
        ),
        (
            # A later page, with nothing remembered: the playlist, then its items.
            "playlist",
            "spotify:playlist:1Cp6VQCKf2VL4sP09jN9oX@100",
            {
                "playlists/1Cp6VQCKf2VL4sP09jN9oX": "playlist_1.json",
                "playlists/1Cp6VQCKf2VL4sP09jN9oX/items": "playlist_items.json",
            },
            1,
            "All I Need",
            None,
        ),
        (
            "album",
            "spotify:album:3IqzqH6ShrRtie9Yd2ODyG@50",
            {
                "albums/3IqzqH6ShrRtie9Yd2ODyG": "get_album.json",
                "albums/3IqzqH6ShrRtie9Yd2ODyG/tracks": "album_tracks.json",
            },
            18,
            "Global Warming (feat. Sensato)",
            None,
        ),
        (
            "show",
            "spotify:show:1Y9ExMgMxoBVrgrfU7u0nD@50",
            {
                "shows/1Y9ExMgMxoBVrgrfU7u0nD": "show.json",
                "shows/1Y9ExMgMxoBVrgrfU7u0nD/episodes": "show_episodes.json",
            },
            48,
            "The Great War - Fallout Lorecast EP 1",
            "spotify:show:1Y9ExMgMxoBVrgrfU7u0nD@48",  # where the recorded page says
        ),
    ],
)
async def test_more_lists_over_recordings(
    recorded_client: SpotifyWebApiClient,
    replay: ReplayServer,
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    node_id: str,
    answers: dict[str, str],
    count: int,
    first: str,
    continues: str | None,
) -> None:
    # The recordings hold pages of 48 (artist albums 10): browse in pages of that size.
    monkeypatch.setattr(browse_media, "CHUNK", 48)
    monkeypatch.setattr(browse_media, "ARTIST_ALBUMS_CHUNK", 10)
    monkeypatch.setattr(browse_media, "RECENTLY_PLAYED_LIMIT", 48)
    for path, name in answers.items():
        replay.answer(path, f"{V2026}/{name}")
    node = await browser(recorded_client).browse(kind, node_id)
    children = listed(node)
    assert len(children) == count
    assert children[0].title == first
    assert all(child.thumbnail for child in children)
    uris = [child.media_content_id for child in children]
    assert len(set(uris)) == len(uris)
    assert more(node) == continues
    assert len(replay.requests) == len(answers)


async def test_older_playlist_shape_and_2026_search(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    replay.answer("playlists/3cEYpjA9oz9GiPac4AsH4n", f"{V2025}/playlist_1.json")
    replay.answer("search", f"{V2026}/search.json")
    spotify = browser(recorded_client)
    testing = await spotify.browse("playlist", "spotify:playlist:3cEYpjA9oz9GiPac4AsH4n")
    assert testing.title == "Spotify Web API Testing playlist"
    assert [child.title for child in listed(testing)] == [
        "Api",
        "Is",
        "All I Want",
        "Endpoints",
        "You Are So Beautiful",
    ]
    monkeypatch.setattr(browse_media, "SEARCH_LIMIT", 5)  # the recording's page
    found = await spotify.search("Never Gonna Give You Up", ["track"])
    assert [node.title for node in found].count("Never Gonna Give You Up") == 4
    assert len(found) == 5
    assert all(node.can_play and node.thumbnail for node in found)
