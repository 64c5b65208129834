"""The client and models over recorded answers of the real Spotify Web API (tests/fixtures).

Each recording is served over loopback HTTP at the path it was recorded from and read
through the real AuthClient and client; the values the player and the browser show
are asserted, not just that parsing survives.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from custom_components.spotify_webapi.webapi import (
    Chapter,
    Episode,
    SpotifyNotFoundError,
    SpotifyRateLimitError,
    SpotifyWebApiClient,
    Track,
    largest_image,
)
from tests.recorded import RECORDINGS, recording

if TYPE_CHECKING:
    from tests.recorded import ReplayServer

V2025 = "spotifyaio/2025"
V2026 = "spotifyaio/2026"
PLAYLIST = "1Cp6VQCKf2VL4sP09jN9oX"
STARRED = "3toMXYM91T55pKzuysH5Ph"
PAIN = "0pM0KTMXM7K5qr3sL2DPw1"
GONE = "4WkWJ0EjHEFASDevhM8oPw"
ALBUM = "3IqzqH6ShrRtie9Yd2ODyG"
SHOW = "1Y9ExMgMxoBVrgrfU7u0nD"
ARTIST = "0TnOYISbd1XYRBk9myaseg"
EPISODE = "3o0RYoo5iOMKSmEbunsbvW"
HARRY_POTTER = "6SJQ8VzM5PlDy11wMtcD6v"
OPENING_CREDITS = "0bnJ1qcNgHwwPWbDJAia57"
DE_NOMADE = "58cFIY8IT7yGqR3kHnKqzV"


def serve(
    replay: ReplayServer,
    path: str,
    name: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> None:
    """Serve the recording ``name`` at ``path``."""
    replay.answer(path, name, status, headers)


# --- the player ----------------------------------------------------------------------------

PLAYBACK = [
    # recording, title, artists or show, image shown, duration, device, context
    (
        "playback_1.json",
        "WARRIORS, Pt. 1 (Final Stage)",
        "Machinae Supremacy",
        "https://i.scdn.co/image/ab67616d0000b273326db007f167499d23171722",
        268525,
        "DESKTOP-BKC5SIK",
        "spotify:user:1112264649:collection",
    ),
    (
        "playback_2.json",
        "The Spirit Of Radio",
        "Rush",
        "https://i.scdn.co/image/ab67616d0000b27306c0d7ebcabad0c39b566983",
        296466,
        "Master Bathroom Speaker",
        "spotify:user:rushofficial:playlist:2r35vbe6hHl6yDSMfjKgmm",
    ),
    (
        "playback_3.json",
        "Ome Robert",
        "Joost",
        "https://i.scdn.co/image/ab67616d0000b273ae0956d669aca836c4fb5a0c",
        152500,
        "Sonos Roam SL",
        "spotify:user:1112264649:collection",
    ),
    (
        "playback_episode_1.json",
        "My Squirrel Has Brain Damage - Safety Third 119",
        "Safety Third",
        "https://i.scdn.co/image/ab6765630000ba8ac7bedd27a4413b1abf926d8a",
        3690161,
        "Sonos Roam SL",
        "spotify:show:1Y9ExMgMxoBVrgrfU7u0nD",
    ),
    (
        "playback_audiobook_1.json",
        "Track 1",
        "De nomade",
        "https://i.scdn.co/image/ab676663000022a8ecf13d909d494c02ba057feb",
        249652,
        "Nothing phone (1)",
        "spotify:show:58cFIY8IT7yGqR3kHnKqzV",
    ),
    (
        "current_playing_track.json",
        "Witte Was",
        "Goldband",
        "https://i.scdn.co/image/ab67616d0000b2731de89c5340be36804e01fdf2",
        245581,
        None,
        "spotify:artist:6mS5GeFyhea6w9OKo8PO3p",
    ),
]


@pytest.mark.parametrize(
    ("name", "title", "by", "image", "duration", "device", "context"), PLAYBACK
)
async def test_playback(
    recorded_client: SpotifyWebApiClient,
    replay: ReplayServer,
    name: str,
    title: str,
    by: str,
    image: str,
    duration: int,
    device: str | None,
    context: str,
) -> None:
    serve(replay, "me/player", f"{V2026}/{name}")
    playback = await recorded_client.get_playback_state()
    assert playback is not None
    assert playback.is_playing
    item = playback.item
    assert item is not None
    assert item.name == title
    assert item.duration_ms == duration
    if isinstance(item, Episode):
        assert item.show is not None
        assert item.show.name == by
        shown = largest_image(item.images) or largest_image(item.show.images)
    else:
        assert isinstance(item, Track)
        assert ", ".join(artist.name or "" for artist in item.artists) == by
        assert item.album is not None
        assert item.track_number is not None
        assert item.track_number >= 1
        shown = largest_image(item.album.images)
    assert shown is not None
    assert shown.url == image
    assert (playback.device.name if playback.device else None) == device
    assert playback.context is not None
    assert playback.context.uri == context
    assert playback.disallows.resuming == (name != "playback_2.json")


async def test_local_file_playing_has_no_album_nor_track_number(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    serve(replay, "me/player", f"{V2026}/playback_4.json")
    playback = await recorded_client.get_playback_state()
    assert playback is not None
    track = playback.item
    assert isinstance(track, Track)
    assert track.is_local
    assert track.name == "Coachella 2023"
    assert track.uri == "spotify:local:Four+Tet+x+Fred+again..+x+Skrillex::Coachella+2023:5432"
    assert [artist.name for artist in track.artists] == ["Four Tet x Fred again.. x Skrillex"]
    # Spotify sends an album named "" and track and disc number 0 for a local file.
    assert track.album is not None
    assert track.album.name is None
    assert track.album.images == ()
    assert track.track_number is None
    assert track.disc_number is None
    assert playback.context is None
    assert playback.disallows.skipping_prev


async def test_devices_and_user(recorded_client: SpotifyWebApiClient, replay: ReplayServer) -> None:
    serve(replay, "me/player/devices", f"{V2026}/devices.json")
    serve(replay, "me", f"{V2026}/current_user.json")
    [device] = await recorded_client.get_devices()
    assert (device.name, device.type, device.volume_percent) == ("DESKTOP-BKC5SIK", "Computer", 69)
    assert device.id == "21dac6b0e0a1f181870fdc9749b2656466557687"
    assert device.supports_volume
    assert not device.is_active
    user = await recorded_client.get_current_user()
    assert (user.id, user.display_name, user.country) == ("1112264649", "Joost Lekkerkerker", "NL")


# --- lists and their paging ----------------------------------------------------------------


async def test_playlists_page_with_a_null_entry(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    serve(replay, "me/playlists", f"{V2025}/current_user_playlist_1.json")
    page = await recorded_client.get_current_user_playlists(limit=18)
    # The page says limit 18 yet holds 19 entries, the first null: 18 positions are
    # kept (17 playlists), and the next page starts at 18, where Spotify's link says.
    assert page.positions == 18
    assert [playlist.name for playlist in page.items[:3]] == [
        "Hyper",
        "Ain\u2019t got shit on me",
        "Billie (interlude)",
    ]
    assert len(page.items) == 17
    assert page.total == 101
    assert page.next_offset == 18
    assert len(replay.requests) == 1


@pytest.mark.parametrize(
    ("name", "count", "first", "total"),
    [
        ("current_user_playlist_1.json", 48, "To find", 94),
        # Only 47 entries of 48, yet the next page starts at 48.
        ("current_user_playlist_2.json", 47, "daylist • melodic techno house monday morning", 111),
    ],
)
async def test_playlists_pages_2026(
    recorded_client: SpotifyWebApiClient,
    replay: ReplayServer,
    name: str,
    count: int,
    first: str,
    total: int,
) -> None:
    serve(replay, "me/playlists", f"{V2026}/{name}")
    page = await recorded_client.get_current_user_playlists(limit=48)
    assert len(page.items) == count
    assert page.items[0].name == first
    assert page.total == total
    assert page.next_offset == 48
    assert len(replay.requests) == 1


async def test_saved_albums_with_a_null_entry_and_restricted_tracks(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    serve(replay, "me/albums", f"{V2026}/saved_albums.json")
    page = await recorded_client.get_saved_albums(limit=48)
    assert page.positions == 45
    assert len(page.items) == 44
    assert page.next is None
    albums = [saved.album for saved in page.items]
    assert [album.name for album in albums[:3] if album] == [
        "Wildlive (Live at Olympiahalle) [Deluxe Version]",
        "In Waves",
        "Legends",
    ]
    restricted = [
        track.name
        for album in albums
        if album and album.tracks
        for track in album.tracks.items
        if not track.playable
    ]
    assert restricted == [
        "Not A Love Song - King Arthur Remix",
        "Mind Control",
        "Vectors",
        "Euphemia",
    ]


async def test_saved_shows_show_their_largest_image(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    serve(replay, "me/shows", f"{V2026}/saved_shows.json")
    page = await recorded_client.get_saved_shows(limit=48)
    assert len(page.items) == 13
    show = page.items[0].show
    assert show is not None
    assert show.name == "Open Source Stories"
    # Listed smallest first: the 640 px image is the last one.
    assert [image.width for image in show.images] == [64, 300, 640]
    largest = largest_image(show.images)
    assert largest is not None
    assert largest.url == "https://i.scdn.co/image/ab6765630000ba8a1e0cd69bb20b9b3dfe26b37d"


async def test_top_tracks_with_an_unplayable_track(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    serve(replay, "me/top/tracks", f"{V2026}/top_tracks.json")
    page = await recorded_client.get_top_tracks(limit=48)
    assert page.total == 2742
    assert page.next_offset == 48
    unplayable = [track for track in page.items if not track.playable]
    assert [(t.name, t.is_playable, t.restriction) for t in unplayable] == [
        ("Drown In Sunlight - DummiBoiBeatz Version", False, "market")
    ]


@pytest.mark.parametrize(
    ("path", "name", "call", "count", "first", "next_offset"),
    [
        ("me/top/artists", "top_artists.json", "get_top_artists", 48, "Machinae Supremacy", 48),
        ("me/tracks", "saved_tracks.json", "get_saved_tracks", 48, "Cold Silver", 48),
    ],
)
async def test_offset_pages(
    recorded_client: SpotifyWebApiClient,
    replay: ReplayServer,
    path: str,
    name: str,
    call: str,
    count: int,
    first: str,
    next_offset: int,
) -> None:
    serve(replay, path, f"{V2026}/{name}")
    page = await getattr(recorded_client, call)(limit=48)
    assert len(page.items) == count
    item = page.items[0]
    assert getattr(item, "track", item).name == first
    assert page.next_offset == next_offset


async def test_cursor_pages(recorded_client: SpotifyWebApiClient, replay: ReplayServer) -> None:
    serve(replay, "me/following", f"{V2026}/followed_artists.json")
    serve(replay, "me/player/recently-played", f"{V2026}/recently_played_tracks.json")
    artists = await recorded_client.get_followed_artists(limit=48)
    assert len(artists.items) == 48
    assert artists.items[0].name == "The Excellent Man from Minneapolis"
    assert artists.cursors is not None
    assert artists.cursors.after == "7CajNmpbOovFoOoasH2HaY"
    played = await recorded_client.get_recently_played(limit=48)
    assert len(played.items) == 48
    assert played.items[0].track is not None
    assert played.items[0].track.name == "We'll Fight! - Re-recorded"
    assert played.cursors is not None
    assert played.cursors.before == "1772028370058"


# --- catalogue objects and their embedded first pages --------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "count", "total", "shape"),
    [
        (f"{V2026}/playlist_1.json", "To find", 1, 1, "items"),
        (f"{V2026}/playlist_2.json", "Starred", 2, 2, "tracks"),
        (f"{V2026}/playlist_3.json", "Pain", 3, 3, "tracks"),
        (f"{V2025}/playlist_1.json", "Spotify Web API Testing playlist", 5, 5, "tracks"),
    ],
)
async def test_playlists(
    recorded_client: SpotifyWebApiClient,
    replay: ReplayServer,
    name: str,
    title: str,
    count: int,
    total: int,
    shape: str,
) -> None:
    serve(replay, f"playlists/{PLAYLIST}", name)
    playlist = await recorded_client.get_playlist(f"spotify:playlist:{PLAYLIST}")
    assert playlist.name == title
    assert playlist.items is not None, shape
    assert len(playlist.items.items) == count
    assert playlist.total_items == total
    assert all(entry.item is not None for entry in playlist.items.items)


async def test_playlist_with_a_local_file_and_an_episode(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    serve(replay, f"playlists/{STARRED}", f"{V2026}/playlist_2.json")
    serve(replay, f"playlists/{PAIN}", f"{V2026}/playlist_3.json")
    starred = await recorded_client.get_playlist(STARRED)
    assert starred.items is not None
    local = [entry.item for entry in starred.items.items if entry.is_local]
    assert [(t.name, t.is_local) for t in local if isinstance(t, Track)] == [
        ("No Woman, No Cry", True)
    ]
    pain = await recorded_client.get_playlist(PAIN)
    assert pain.items is not None
    episodes = [entry.item for entry in pain.items.items if isinstance(entry.item, Episode)]
    assert [episode.name for episode in episodes] == ["Toni Delivers Semen"]


async def test_playlist_items(recorded_client: SpotifyWebApiClient, replay: ReplayServer) -> None:
    serve(replay, f"playlists/{PLAYLIST}/items", f"{V2026}/playlist_items.json")
    page = await recorded_client.get_playlist_items(PLAYLIST, limit=48)
    assert [entry.item.name for entry in page.items if entry.item] == ["All I Need"]


async def test_album_show_artist_episode(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    serve(replay, f"albums/{ALBUM}", f"{V2026}/get_album.json")
    serve(replay, f"albums/{ALBUM}/tracks", f"{V2026}/album_tracks.json")
    serve(replay, f"shows/{SHOW}", f"{V2026}/show.json")
    serve(replay, f"shows/{SHOW}/episodes", f"{V2026}/show_episodes.json")
    serve(replay, f"artists/{ARTIST}", f"{V2026}/artist.json")
    serve(replay, f"artists/{ARTIST}/albums", f"{V2026}/artist_albums.json")
    serve(replay, f"episodes/{EPISODE}", f"{V2026}/episode.json")

    album = await recorded_client.get_album(ALBUM)
    assert (album.name, album.total_tracks) == ("SINGLARITY", 11)
    assert album.tracks is not None
    assert len(album.tracks.items) == 11
    tracks = await recorded_client.get_album_tracks(ALBUM, limit=48)
    assert (len(tracks.items), tracks.items[0].name) == (18, "Global Warming (feat. Sensato)")

    show = await recorded_client.get_show(SHOW)
    assert show.name == "Safety Third"
    assert show.episodes is not None
    assert (len(show.episodes.items), show.episodes.total) == (50, 159)
    assert show.episodes.next_offset == 50
    episodes = await recorded_client.get_show_episodes(SHOW, limit=48)
    assert episodes.items[0].name == "The Great War - Fallout Lorecast EP 1"
    assert episodes.next_offset == 48

    artist = await recorded_client.get_artist(ARTIST)
    assert artist.name == "Pitbull"
    largest = largest_image(artist.images)
    assert largest is not None
    assert largest.url == "https://i.scdn.co/image/ab6761610000e5eb8d8ac7290d0fe2d12fb6e4d9"
    albums = await recorded_client.get_artist_albums(ARTIST, limit=10)
    assert albums.items[0].name == "UNDERDOGS"

    episode = await recorded_client.get_episode(EPISODE)
    assert episode.name == "My Squirrel Has Brain Damage - Safety Third 119"
    assert episode.playable
    assert episode.show is not None
    assert episode.show.name == "Safety Third"


# --- search ------------------------------------------------------------------------------


async def test_search_with_null_playlists(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    serve(replay, "search", f"{V2025}/search.json")
    found = await recorded_client.search(
        "old", ["track", "album", "artist", "playlist", "show", "episode"]
    )
    assert found.playlists is not None
    # Spotify sent 20 a type (spotifyaio asked for 20): the first 10 are kept, two of
    # the playlists among them null; the next page starts at 10, not at 20.
    assert (found.playlists.positions, len(found.playlists.items)) == (10, 8)
    assert found.playlists.next_offset == 10
    assert all(playlist.uri for playlist in found.playlists.items)
    for page in (found.tracks, found.albums, found.artists, found.shows, found.episodes):
        assert page is not None
        assert len(page.items) == 10
        assert page.next_offset == 10
    assert len(replay.requests) == 1


async def test_search_2026(recorded_client: SpotifyWebApiClient, replay: ReplayServer) -> None:
    serve(replay, "search", f"{V2026}/search.json")
    found = await recorded_client.search("Never Gonna Give You Up", ["track"], limit=5)
    assert found.tracks is not None
    assert found.tracks.items[0].name == "Never Gonna Give You Up"
    assert found.tracks.total == 16


# --- audiobooks and chapters -------------------------------------------------------------


async def test_a_playing_chapter_is_a_chapter_of_its_book(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    serve(replay, "me/player", f"{V2026}/playback_audiobook_1.json")
    playback = await recorded_client.get_playback_state()
    assert playback is not None
    chapter = playback.item
    # Spotify reports it as an episode of a show; the show is the book.
    assert playback.currently_playing_type == "episode"
    assert isinstance(chapter, Chapter)
    assert chapter.uri == "spotify:chapter:3NW4BmIOG0qzQZgtLgsydR"
    assert playback.progress_ms == 15611
    book = chapter.audiobook
    assert book is not None
    assert book.name == "De nomade"
    assert book.uri == f"spotify:audiobook:{DE_NOMADE}"
    assert book.authors == ("Anya Niewierra",)
    assert book.narrators == ("Nienke Brinkhuis", "Cees van Ede", "Mattijn Hartemink")
    cover = largest_image(book.images)
    assert cover is not None
    assert cover.url == "https://i.scdn.co/image/ab676663000022a8ecf13d909d494c02ba057feb"


async def test_a_playing_podcast_episode_is_no_chapter(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    serve(replay, "me/player", f"{V2026}/playback_episode_1.json")
    playback = await recorded_client.get_playback_state()
    assert playback is not None
    assert isinstance(playback.item, Episode)
    assert not isinstance(playback.item, Chapter)


async def test_audiobook_with_its_chapters(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    serve(replay, f"audiobooks/{HARRY_POTTER}", f"{V2026}/audiobook.json")
    book = await recorded_client.get_audiobook(f"spotify:audiobook:{HARRY_POTTER}")
    assert book.name == "Harry Potter and the Philosopher's Stone"
    assert book.uri == f"spotify:audiobook:{HARRY_POTTER}"  # Spotify sent spotify:show:
    assert book.external_url == f"https://open.spotify.com/show/{HARRY_POTTER}"
    assert (book.authors, book.narrators) == (("J.K. Rowling",), ("Stephen Fry",))
    assert (book.publisher, book.edition, book.total_chapters) == ("J.K. Rowling", "Unabridged", 20)
    assert len(book.available_markets) == 185
    assert book.available_in("GB")
    assert not book.available_in("CN")
    cover = largest_image(book.images)
    assert cover is not None
    assert cover.url == "https://i.scdn.co/image/ab676663000022a86fe12c98e7f447c66626dcb6"
    assert book.chapters is not None
    assert book.chapters.total == 20
    first, *_, last = book.chapters.items
    assert (first.name, first.chapter_number, first.duration_ms) == ("Opening Credits", 0, 23000)
    assert first.uri == f"spotify:chapter:{OPENING_CREDITS}"
    assert first.resume_point is not None
    assert (first.resume_point.fully_played, first.resume_point.resume_position_ms) == (False, 0)
    assert (last.name, last.duration_ms) == ("Harry Potter and the Philosopher's Stone", 300000)


async def test_audiobook_chapters(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    serve(replay, f"audiobooks/{HARRY_POTTER}/chapters", f"{V2026}/audiobook_chapters.json")
    page = await recorded_client.get_audiobook_chapters(HARRY_POTTER)
    assert (page.total, page.next, len(page.items)) == (20, None, 20)
    assert page.items[1].name == "Chapter 1: The Boy Who Lived"
    assert page.items[1].chapter_number == 1
    assert page.items[1].playable  # no is_playable sent: nothing against it
    assert len(replay.requests) == 1


async def test_saved_audiobooks_are_the_books_themselves(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    serve(replay, "me/audiobooks", f"{V2026}/saved_audiobooks.json")
    page = await recorded_client.get_saved_audiobooks()
    books = [saved.audiobook for saved in page.items]
    assert [b.name if b else None for b in books] == [
        "De nomade",
        "Dune: Book One in the Dune Chronicles",
    ]
    assert all(saved.added_at is None for saved in page.items)
    nomade, dune = (b for b in books if b is not None)
    assert nomade.uri == f"spotify:audiobook:{DE_NOMADE}"
    assert nomade.total_chapters == 49
    assert dune.authors == ("Frank Herbert",)
    assert len(dune.narrators) == 5
    assert dune.images[0].url == "https://i.scdn.co/image/ab676663000022a8706d7d39148810e742cef314"


async def test_chapter_with_its_book(
    recorded_client: SpotifyWebApiClient, replay: ReplayServer
) -> None:
    serve(replay, f"chapters/{OPENING_CREDITS}", f"{V2026}/chapter.json")
    chapter = await recorded_client.get_chapter(f"spotify:chapter:{OPENING_CREDITS}")
    assert (chapter.name, chapter.chapter_number, chapter.duration_ms) == (
        "Opening Credits",
        0,
        23000,
    )
    assert chapter.is_playable is True
    assert chapter.playable
    assert chapter.languages == ("en",)
    assert chapter.audiobook is not None
    assert chapter.audiobook.uri == f"spotify:audiobook:{HARRY_POTTER}"
    assert chapter.audiobook.total_chapters == 38


def test_several_chapters_recorded_before_2026() -> None:
    """GET /chapters?ids= is a batch endpoint the client does not call: read by the model."""
    (data,) = recording(f"{V2025}/chapters.json")["chapters"]
    chapter = Chapter.from_dict(data)
    assert chapter.uri == "spotify:chapter:3NW4BmIOG0qzQZgtLgsydR"
    assert chapter.resume_point is not None
    assert chapter.resume_point.resume_position_ms == 156000
    assert chapter.audiobook is not None
    assert chapter.audiobook.name == "De nomade"


# --- errors ------------------------------------------------------------------------------


async def test_recorded_errors(recorded_client: SpotifyWebApiClient, replay: ReplayServer) -> None:
    serve(replay, f"playlists/{GONE}", f"{V2026}/playlist_not_found.json", status=404)
    serve(replay, "me", f"{V2026}/rate_limit.json", status=429, headers={"Retry-After": "7"})
    with pytest.raises(SpotifyNotFoundError) as not_found:
        await recorded_client.get_playlist(GONE)
    assert not_found.value.status == 404
    with pytest.raises(SpotifyRateLimitError) as limited:
        await recorded_client.get_current_user()
    assert limited.value.retry_after == 7


def test_every_recording_is_read() -> None:
    """No recording is left out of the tests of this module."""
    source = Path(__file__).read_text(encoding="utf-8")
    named = set(re.findall(r"[\w]+\.json", source))
    on_disk = {path.name for path in RECORDINGS.glob("spotifyaio/*/*.json")}
    assert on_disk - named == set()
