"""Parsing Spotify JSON into models: the shapes Spotify sends, and anything else it might."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.spotify_webapi.webapi import (
    Album,
    Artist,
    Audiobook,
    Chapter,
    Context,
    CurrentUser,
    Cursors,
    Device,
    Disallows,
    Episode,
    Image,
    Page,
    PlaybackState,
    PlayHistory,
    Playlist,
    PlaylistItem,
    Queue,
    RepeatMode,
    ResumePoint,
    SavedAlbum,
    SavedAudiobook,
    SavedShow,
    SavedTrack,
    SearchResult,
    Show,
    SimplifiedChapter,
    SpotifyResponseError,
    Track,
    User,
)
from custom_components.spotify_webapi.webapi.models import parse_playable

if TYPE_CHECKING:
    from collections.abc import Callable

TRACK_ID = "4iV5W9uYEdYUVa79Axb7Rh"

ARTIST: dict[str, Any] = {
    "external_urls": {"spotify": "https://open.spotify.com/artist/0TnOYISbd1XYRBk9myaseg"},
    "href": "https://api.spotify.com/v1/artists/0TnOYISbd1XYRBk9myaseg",
    "id": "0TnOYISbd1XYRBk9myaseg",
    "name": "Pitbull",
    "type": "artist",
    "uri": "spotify:artist:0TnOYISbd1XYRBk9myaseg",
}
ALBUM: dict[str, Any] = {
    "album_type": "compilation",
    "total_tracks": 9,
    "available_markets": ["CA", "BR", "IT"],
    "external_urls": {"spotify": "https://open.spotify.com/album/2up3OPMp9Tb4dAKM2erWXQ"},
    "href": "https://api.spotify.com/v1/albums/2up3OPMp9Tb4dAKM2erWXQ",
    "id": "2up3OPMp9Tb4dAKM2erWXQ",
    "images": [
        {
            "url": "https://i.scdn.co/image/ab67616d00001e02ff9ca10b55ce82ae553c8228",
            "height": 300,
            "width": 300,
        },
        {"url": "https://i.scdn.co/image/small", "height": None, "width": None},
        {"height": 64, "width": 64},
    ],
    "name": "Global Warming",
    "release_date": "1981-12",
    "release_date_precision": "month",
    "type": "album",
    "uri": "spotify:album:2up3OPMp9Tb4dAKM2erWXQ",
    "artists": [ARTIST],
}
TRACK: dict[str, Any] = {
    "album": ALBUM,
    "artists": [ARTIST, None],
    "disc_number": 1,
    "duration_ms": 215000,
    "explicit": True,
    "external_ids": {"isrc": "USRC11200541"},
    "external_urls": {"spotify": f"https://open.spotify.com/track/{TRACK_ID}"},
    "id": TRACK_ID,
    "is_playable": True,
    "name": "Feel This Moment",
    "popularity": 80,
    "track_number": 3,
    "type": "track",
    "uri": f"spotify:track:{TRACK_ID}",
    "is_local": False,
}
SHOW: dict[str, Any] = {
    "id": "38bS44xjbVVZ3No3ByF1dJ",
    "name": "Vetenskapsradion Historia",
    "publisher": "Sveriges Radio",
    "description": "Lyssna på",
    "media_type": "audio",
    "total_episodes": 500,
    "explicit": False,
    "images": [{"url": "https://i.scdn.co/image/show", "height": 640, "width": 640}],
    "type": "show",
    "uri": "spotify:show:38bS44xjbVVZ3No3ByF1dJ",
}
EPISODE: dict[str, Any] = {
    "id": "512ojhOuo1ktJprKbVcKyQ",
    "name": "Tredje rikets knarkande granskas",
    "description": "Hitler och hans anhängare",
    "duration_ms": 1686230,
    "explicit": False,
    "is_playable": True,
    "languages": ["sv", 3],
    "release_date": "1981-12-15",
    "release_date_precision": "day",
    "resume_point": {"fully_played": False, "resume_position_ms": 0},
    "images": [{"url": "https://i.scdn.co/image/episode", "height": 640, "width": 640}],
    "type": "episode",
    "uri": "spotify:episode:512ojhOuo1ktJprKbVcKyQ",
    "show": SHOW,
}
DEVICE: dict[str, Any] = {
    "id": "0d1841b0976bae2a3a310dd74c0f3df354899bc8",
    "is_active": True,
    "is_private_session": False,
    "is_restricted": False,
    "name": "Kitchen speaker",
    "type": "Speaker",
    "volume_percent": 59,
    "supports_volume": True,
}


def page(items: list[Any], **fields: Any) -> dict[str, Any]:
    return {
        "href": "https://api.spotify.com/v1/x?offset=0&limit=2",
        "limit": 2,
        "next": None,
        "offset": 0,
        "previous": None,
        "total": len(items),
        "items": items,
        **fields,
    }


def test_track_with_album_and_artists() -> None:
    track = Track.from_dict(TRACK)
    assert track.id == TRACK_ID
    assert track.name == "Feel This Moment"
    assert track.uri == f"spotify:track:{TRACK_ID}"
    assert (track.duration_ms, track.disc_number, track.track_number) == (215000, 1, 3)
    assert track.explicit is True
    assert track.is_playable is True
    assert track.is_local is False
    assert track.external_url == f"https://open.spotify.com/track/{TRACK_ID}"
    assert track.artists == (Artist.from_dict(ARTIST),)  # the null artist is dropped
    assert track.artists[0].name == "Pitbull"
    assert track.album is not None
    assert track.album.name == "Global Warming"
    assert track.album.album_type == "compilation"
    assert track.album.total_tracks == 9
    assert (track.album.release_date, track.album.release_date_precision) == ("1981-12", "month")
    # An image without a URL is useless, one without a size is not.
    assert track.album.images == (
        Image(url=ALBUM["images"][0]["url"], height=300, width=300),
        Image(url="https://i.scdn.co/image/small"),
    )
    assert track.album.tracks is None


def test_local_track_has_no_id() -> None:
    local = Track.from_dict(
        {
            "id": None,
            "is_local": True,
            "uri": "spotify:local:Artist:Album:Song:215",
            "type": "track",
        }
    )
    assert local.id is None
    assert local.is_local is True
    assert local.is_playable is None
    assert local.album is None


def test_full_album_carries_a_page_of_tracks() -> None:
    simplified = {key: value for key, value in TRACK.items() if key != "album"}
    album = Album.from_dict({**ALBUM, "tracks": page([simplified, simplified])})
    assert album.tracks is not None
    assert album.tracks.total == 2
    assert album.tracks.items == (Track.from_dict(simplified),) * 2


def test_episode_with_show_and_resume_point() -> None:
    episode = Episode.from_dict(EPISODE)
    assert episode.id == "512ojhOuo1ktJprKbVcKyQ"
    assert episode.duration_ms == 1686230
    assert episode.languages == ("sv",)
    assert episode.resume_point == ResumePoint(fully_played=False, resume_position_ms=0)
    assert episode.show == Show.from_dict(SHOW)
    assert episode.show is not None
    assert episode.show.publisher == "Sveriges Radio"
    assert episode.show.total_episodes == 500
    assert episode.show.episodes is None


def test_full_show_carries_a_page_of_episodes() -> None:
    listed = {key: value for key, value in EPISODE.items() if key != "show"}
    show = Show.from_dict({**SHOW, "episodes": page([listed])})
    assert show.episodes is not None
    assert show.episodes.items == (Episode.from_dict(listed),)
    assert show.episodes.items[0].show is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TRACK, Track.from_dict(TRACK)),
        ({**TRACK, "type": None}, Track.from_dict(TRACK)),
        (EPISODE, Episode.from_dict(EPISODE)),
        ({"type": "ad", "id": "x"}, None),
        ({"type": "audiobook"}, None),
    ],
)
def test_playable_is_chosen_by_type(data: dict[str, Any], expected: Track | Episode | None) -> None:
    assert parse_playable(data) == expected


def test_current_user_without_product() -> None:
    data = {
        "country": "SE",
        "display_name": "JM Wizzler",
        "email": "email@example.com",
        "followers": {"href": None, "total": 3829},
        "id": "wizzler",
        "images": [{"url": "https://i.scdn.co/image/user", "height": 300, "width": 300}],
        "type": "user",
        "uri": "spotify:user:wizzler",
        "external_urls": {"spotify": "https://open.spotify.com/user/wizzler"},
    }
    user = CurrentUser.from_dict(data)
    assert user.id == "wizzler"
    assert user.display_name == "JM Wizzler"
    assert user.product is None
    assert user.followers == 3829
    assert user.external_url == "https://open.spotify.com/user/wizzler"
    assert CurrentUser.from_dict({**data, "product": "premium"}).product == "premium"
    assert CurrentUser.from_dict({"id": "x"}).followers is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (DEVICE, Device(**DEVICE)),
        (
            {**DEVICE, "id": None, "volume_percent": None, "supports_volume": False},
            Device(**{**DEVICE, "id": None, "volume_percent": None, "supports_volume": False}),
        ),
        # Without `supports_volume`, a reported volume says the device has one.
        (
            {"name": "Old", "volume_percent": 10},
            Device(name="Old", volume_percent=10, supports_volume=True),
        ),
        ({"name": "Mute"}, Device(name="Mute", supports_volume=False)),
        (
            {"volume_percent": 12.0, "is_active": "yes"},
            Device(volume_percent=12, supports_volume=True),
        ),
        ({"volume_percent": True}, Device()),
        ({"volume_percent": 12.5}, Device()),
        ({"volume_percent": float("nan")}, Device()),
    ],
)
def test_device(data: dict[str, Any], expected: Device) -> None:
    assert Device.from_dict(data) == expected


PLAYBACK: dict[str, Any] = {
    "device": DEVICE,
    "repeat_state": "context",
    "shuffle_state": True,
    "context": {
        "type": "playlist",
        "href": "https://api.spotify.com/v1/playlists/37i9dQZF1DXcBWIGoYBM5M",
        "external_urls": {"spotify": "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M"},
        "uri": "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M",
    },
    "timestamp": 1700000000000,
    "progress_ms": 44272,
    "is_playing": True,
    "item": TRACK,
    "currently_playing_type": "track",
    "actions": {"disallows": {"resuming": True, "skipping_prev": True}},
}


def test_playback_state() -> None:
    state = PlaybackState.from_dict(PLAYBACK)
    assert state.device == Device.from_dict(DEVICE)
    assert state.is_playing is True
    assert state.item == Track.from_dict(TRACK)
    assert state.currently_playing_type == "track"
    assert state.context == Context(
        type="playlist",
        uri="spotify:playlist:37i9dQZF1DXcBWIGoYBM5M",
        href="https://api.spotify.com/v1/playlists/37i9dQZF1DXcBWIGoYBM5M",
        external_url="https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M",
    )
    assert (state.progress_ms, state.timestamp) == (44272, 1700000000000)
    assert state.shuffle_state is True
    assert state.repeat_state is RepeatMode.CONTEXT
    assert state.disallows == Disallows(resuming=True, skipping_prev=True)


def test_playback_state_of_an_episode_with_flat_actions() -> None:
    # The OpenAPI document puts the flags on `actions` itself; read that shape too.
    data = {
        **PLAYBACK,
        "item": EPISODE,
        "currently_playing_type": "episode",
        "actions": {"seeking": True},
    }
    state = PlaybackState.from_dict(data)
    assert isinstance(state.item, Episode)
    assert state.disallows == Disallows(seeking=True)


@pytest.mark.parametrize("repeat", ["off", "sometimes", None, 3])
def test_playback_state_with_nothing_known(repeat: object) -> None:
    state = PlaybackState.from_dict(
        {"repeat_state": repeat, "item": None, "context": None, "device": None}
    )
    assert state == PlaybackState()
    assert state.repeat_state is RepeatMode.OFF
    assert state.disallows == Disallows()


def test_queue() -> None:
    queue = Queue.from_dict(
        {"currently_playing": EPISODE, "queue": [TRACK, None, {"type": "ad"}, EPISODE]}
    )
    assert queue.currently_playing == Episode.from_dict(EPISODE)
    assert queue.queue == (Track.from_dict(TRACK), Episode.from_dict(EPISODE))
    assert Queue.from_dict({"currently_playing": None, "queue": []}) == Queue()


@pytest.mark.parametrize(
    ("played_at", "expected"),
    [
        ("2024-05-01T12:30:00.123Z", datetime(2024, 5, 1, 12, 30, 0, 123000, tzinfo=UTC)),
        ("2024-05-01T12:30:00", datetime(2024, 5, 1, 12, 30, tzinfo=UTC)),
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("yesterday", None),
        (1714566600, None),
    ],
)
def test_play_history(played_at: object, expected: datetime | None) -> None:
    history = PlayHistory.from_dict({"track": TRACK, "played_at": played_at, "context": None})
    assert history.track == Track.from_dict(TRACK)
    assert history.played_at == expected
    assert history.context is None


def test_full_playlist_has_its_first_page_of_items() -> None:
    owner = {
        "id": "spotify",
        "display_name": "Spotify",
        "type": "user",
        "uri": "spotify:user:spotify",
    }
    entry = {
        "added_at": "2024-01-02T03:04:05Z",
        "added_by": {"id": "alice", "type": "user", "uri": "spotify:user:alice"},
        "is_local": False,
        "item": TRACK,
    }
    legacy_entry = {"added_at": None, "track": EPISODE}
    gone = {"added_at": "2020-01-01T00:00:00Z", "item": None, "track": None}
    playlist = Playlist.from_dict(
        {
            "id": "37i9dQZF1DXcBWIGoYBM5M",
            "name": "Today's Top Hits",
            "description": "The hottest 50.",
            "owner": owner,
            "public": True,
            "collaborative": False,
            "snapshot_id": "MTcw",
            "images": [{"url": "https://i.scdn.co/image/pl", "height": None, "width": None}],
            "uri": "spotify:playlist:37i9dQZF1DXcBWIGoYBM5M",
            "items": page([entry, legacy_entry, gone, None], total=120, next="https://next"),
        }
    )
    assert playlist.owner == User(id="spotify", display_name="Spotify", uri="spotify:user:spotify")
    assert playlist.public is True
    assert playlist.total_items == 120
    assert playlist.items is not None
    assert playlist.items.next == "https://next"
    first, legacy, unavailable = playlist.items.items
    assert first == PlaylistItem(
        added_at=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        added_by=User(id="alice", uri="spotify:user:alice"),
        item=Track.from_dict(TRACK),
    )
    assert legacy.item == Episode.from_dict(EPISODE)
    assert unavailable.item is None
    assert unavailable.added_at == datetime(2020, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("key", ["items", "tracks"])
def test_simplified_playlist_only_counts_its_items(key: str) -> None:
    playlist = Playlist.from_dict(
        {"id": "p", "name": "Mine", key: {"href": "https://x", "total": 7}}
    )
    assert playlist.total_items == 7
    assert playlist.items is None
    assert playlist.public is None
    assert Playlist.from_dict({"name": "Bare"}).total_items is None


def test_saved_items() -> None:
    added = "2023-09-01T10:00:00Z"
    moment = datetime(2023, 9, 1, 10, tzinfo=UTC)
    assert SavedTrack.from_dict({"added_at": added, "track": TRACK}) == SavedTrack(
        added_at=moment, track=Track.from_dict(TRACK)
    )
    assert SavedAlbum.from_dict({"added_at": added, "album": ALBUM}) == SavedAlbum(
        added_at=moment, album=Album.from_dict(ALBUM)
    )
    assert SavedShow.from_dict({"added_at": added, "show": SHOW}) == SavedShow(
        added_at=moment, show=Show.from_dict(SHOW)
    )
    assert SavedTrack.from_dict({"track": None}) == SavedTrack()


def test_cursor_page() -> None:
    data = {
        "href": "https://api.spotify.com/v1/me/following?type=artist&limit=2",
        "limit": 2,
        "next": "https://api.spotify.com/v1/me/following?type=artist&after=abc&limit=2",
        "cursors": {"after": "abc"},
        "total": 5,
        "items": [{**ARTIST, "images": [], "genres": ["pop", None]}],
    }
    result = Page.from_dict(data, Artist.from_dict)
    assert result.cursors == Cursors(after="abc")
    assert result.total == 5
    assert result.offset is None
    assert result.items[0].genres == ("pop",)


def test_search_result_drops_null_items_and_keeps_absent_types_absent() -> None:
    result = SearchResult.from_dict(
        {
            "tracks": page([TRACK]),
            "playlists": page([None, {"id": "p", "name": "P"}, None]),
        }
    )
    assert result.tracks is not None
    assert result.tracks.items == (Track.from_dict(TRACK),)
    assert result.playlists is not None
    assert result.playlists.items == (Playlist(id="p", name="P"),)
    assert (result.albums, result.artists, result.shows, result.episodes) == (None,) * 4


# --- anything else Spotify (or a broken proxy) might send ------------------------------

PARSERS: dict[str, Callable[[object], object]] = {
    "album": Album.from_dict,
    "artist": Artist.from_dict,
    "audiobook": Audiobook.from_dict,
    "chapter": Chapter.from_dict,
    "context": Context.from_dict,
    "current user": CurrentUser.from_dict,
    "cursors": Cursors.from_dict,
    "device": Device.from_dict,
    "actions": Disallows.from_actions,
    "episode": Episode.from_dict,
    "image": Image.from_dict,
    "page": lambda data: Page.from_dict(data, Track.from_dict),
    "playback state": PlaybackState.from_dict,
    "play history": PlayHistory.from_dict,
    "playlist": Playlist.from_dict,
    "playlist item": PlaylistItem.from_dict,
    "queue": Queue.from_dict,
    "resume point": ResumePoint.from_dict,
    "saved album": SavedAlbum.from_dict,
    "saved audiobook": SavedAudiobook.from_dict,
    "saved show": SavedShow.from_dict,
    "saved track": SavedTrack.from_dict,
    "search result": SearchResult.from_dict,
    "show": Show.from_dict,
    "simplified chapter": SimplifiedChapter.from_dict,
    "track": Track.from_dict,
    "user": User.from_dict,
}
# Field names the models read, so that generated objects reach nested parsers.
KEYS = sorted(
    {
        *(
            key
            for sample in (ARTIST, ALBUM, TRACK, SHOW, EPISODE, DEVICE, PLAYBACK)
            for key in sample
        ),
        *("items", "tracks", "albums", "artists", "playlists", "shows", "episodes", "queue"),
        *(
            "currently_playing",
            "owner",
            "added_by",
            "added_at",
            "played_at",
            "cursors",
            "disallows",
        ),
        *(
            "followers",
            "total",
            "url",
            "height",
            "width",
            "after",
            "before",
            "next",
            "track",
            "item",
        ),
        *("resume_point", "fully_played", "resume_position_ms", "public", "collaborative"),
        # Audiobooks and chapters, and the book a playing chapter carries as its show.
        *("audiobook", "audiobooks", "authors", "narrators", "chapters", "chapter_number"),
        *("total_episodes", "description", "html_description", "available_markets", "show"),
    }
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            "track",
            "episode",
            "chapter",
            "audiobook",
            "ad",
            "context",
            "2024-01-01T00:00:00Z",
            "Author(s): A Narrator(s): N<br/>",
        ]
    ),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), children, max_size=6
        ),
    ),
    max_leaves=40,
)


@given(kind=st.sampled_from(sorted(PARSERS)), data=json_values)
def test_any_json_parses_or_raises_the_documented_error(kind: str, data: object) -> None:
    try:
        PARSERS[kind](data)
    except SpotifyResponseError:
        assert not isinstance(data, dict)
    else:
        assert isinstance(data, dict)


@pytest.mark.parametrize("kind", sorted(PARSERS))
@pytest.mark.parametrize("data", [None, [], "text", 3])
def test_a_value_that_is_not_an_object_is_refused(kind: str, data: object) -> None:
    with pytest.raises(SpotifyResponseError, match="expected a JSON object"):
        PARSERS[kind](data)
