"""The answer to a catalog search: one page per type searched for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

from ._parse import JsonObject, expect_object, get_object
from .catalog import Album, Artist, Episode, Show, SimplifiedAudiobook, Track
from .paging import Page
from .playlist import Playlist

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchResult:
    """Matches by type; a type that was not searched for is None."""

    tracks: Page[Track] | None = None
    albums: Page[Album] | None = None
    artists: Page[Artist] | None = None
    playlists: Page[Playlist] | None = None
    shows: Page[Show] | None = None
    episodes: Page[Episode] | None = None
    audiobooks: Page[SimplifiedAudiobook] | None = None

    @classmethod
    def from_dict(cls, data: object, *, at_most: int | None = None) -> Self:
        """Parse a search response (null entries, which Spotify sends for playlists, dropped)."""
        obj = expect_object(data, "search result")
        return cls(
            tracks=_page(obj, "tracks", Track.from_dict, at_most),
            albums=_page(obj, "albums", Album.from_dict, at_most),
            artists=_page(obj, "artists", Artist.from_dict, at_most),
            playlists=_page(obj, "playlists", Playlist.from_dict, at_most),
            shows=_page(obj, "shows", Show.from_dict, at_most),
            episodes=_page(obj, "episodes", Episode.from_dict, at_most),
            audiobooks=_page(obj, "audiobooks", SimplifiedAudiobook.from_dict, at_most),
        )


def _page[T](
    data: JsonObject, key: str, parse_item: Callable[[JsonObject], T], at_most: int | None
) -> Page[T] | None:
    value = get_object(data, key)
    return None if value is None else Page.from_dict(value, parse_item, at_most=at_most)
