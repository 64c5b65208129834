"""Spotify URIs, open.spotify.com links and IDs: parsed and validated here and nowhere else.

Every ID that ends up in a request path passes through this module, so a value
like ``"../me"`` can never reach another endpoint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final
from urllib.parse import urlsplit

from .errors import InvalidSpotifyUriError


class ItemType(StrEnum):
    """The kind of object a Spotify URI names."""

    TRACK = "track"
    ALBUM = "album"
    ARTIST = "artist"
    PLAYLIST = "playlist"
    SHOW = "show"
    EPISODE = "episode"
    AUDIOBOOK = "audiobook"
    CHAPTER = "chapter"  # of an audiobook
    USER = "user"
    COLLECTION = "collection"  # a user's Liked Songs


CATALOG_TYPES: Final = frozenset(
    {
        ItemType.TRACK,
        ItemType.ALBUM,
        ItemType.ARTIST,
        ItemType.PLAYLIST,
        ItemType.SHOW,
        ItemType.EPISODE,
        ItemType.AUDIOBOOK,
        ItemType.CHAPTER,
    }
)
# What Spotify accepts as `context_uri` of a playback, and as items to play or queue.
CONTEXT_TYPES: Final = frozenset(
    {
        ItemType.ALBUM,
        ItemType.ARTIST,
        ItemType.PLAYLIST,
        ItemType.SHOW,
        ItemType.AUDIOBOOK,
        ItemType.COLLECTION,
    }
)
PLAYABLE_TYPES: Final = frozenset({ItemType.TRACK, ItemType.EPISODE, ItemType.CHAPTER})
# What a playlist holds: Spotify's definition names tracks and episodes only.
PLAYLIST_ITEM_TYPES: Final = frozenset({ItemType.TRACK, ItemType.EPISODE})
# What `PUT/DELETE /me/library` saves and removes (the OpenAPI definition's list: a
# chapter is not in it, its audiobook is); `contains` also knows followed artists.
LIBRARY_TYPES: Final = frozenset(
    {
        ItemType.TRACK,
        ItemType.ALBUM,
        ItemType.EPISODE,
        ItemType.SHOW,
        ItemType.AUDIOBOOK,
        ItemType.PLAYLIST,
    }
)
LIBRARY_CONTAINS_TYPES: Final = frozenset(LIBRARY_TYPES | {ItemType.ARTIST})
# Types whose URI is just `spotify:<type>:<id>`.
_ONE_LEVEL_TYPES: Final = frozenset(CATALOG_TYPES | {ItemType.USER})

OPEN_SPOTIFY_HOST: Final = "open.spotify.com"

_CATALOG_ID = re.compile(r"[0-9A-Za-z]{22}")
_USER_ID = re.compile(r"[0-9A-Za-z._-]{1,128}")
# open.spotify.com puts a locale before the path, e.g. /intl-de/track/... or /intl-pt-br/...
_LOCALE_SEGMENT = re.compile(r"intl-[a-z]{2}(?:[-_][a-z]{2})?", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SpotifyUri:
    """A validated reference to a Spotify object; for Liked Songs ``id`` is the user's ID."""

    type: ItemType
    id: str

    def __post_init__(self) -> None:
        """Refuse IDs that do not fit the type, so every instance is valid."""
        pattern = _CATALOG_ID if self.type in CATALOG_TYPES else _USER_ID
        if not pattern.fullmatch(self.id):
            raise InvalidSpotifyUriError(f"invalid {self.type} ID: {self.id!r}")

    @property
    def uri(self) -> str:
        """The canonical ``spotify:`` form Spotify's API takes."""
        if self.type is ItemType.COLLECTION:
            return f"spotify:user:{self.id}:collection"
        return f"spotify:{self.type}:{self.id}"

    @property
    def url(self) -> str:
        """The open.spotify.com link a person can follow."""
        if self.type is ItemType.COLLECTION:
            return f"https://{OPEN_SPOTIFY_HOST}/collection/tracks"
        return f"https://{OPEN_SPOTIFY_HOST}/{self.type}/{self.id}"

    @property
    def player_uri(self) -> str:
        """The form Spotify's player takes and reports: a book as a show, a chapter as an episode.

        Every recorded answer and the player's own context use these; nothing shows that
        ``spotify:audiobook:`` plays.
        """
        if self.type is ItemType.AUDIOBOOK:
            return f"spotify:{ItemType.SHOW}:{self.id}"
        if self.type is ItemType.CHAPTER:
            return f"spotify:{ItemType.EPISODE}:{self.id}"
        return self.uri

    def __str__(self) -> str:
        """Show the canonical URI."""
        return self.uri


def parse_spotify_uri(value: str) -> SpotifyUri:
    """Parse a ``spotify:`` URI or an open.spotify.com link; raise InvalidSpotifyUriError."""
    text = value.strip()
    if text.lower().startswith("spotify:"):
        parts = text.split(":")[1:]
    elif text.lower().startswith(("https://", "http://")):
        parts = _link_segments(text)
    else:
        parts = []
    parsed = _from_segments(parts)
    if parsed is None:
        raise InvalidSpotifyUriError(f"not a Spotify URI or link: {value!r}")
    return parsed


def to_spotify_uri(value: str | SpotifyUri, *allowed: ItemType) -> SpotifyUri:
    """Parse ``value`` (a URI, link or SpotifyUri) and check it is one of the ``allowed`` types."""
    parsed = value if isinstance(value, SpotifyUri) else parse_spotify_uri(value)
    if allowed and parsed.type not in allowed:
        expected = " or ".join(sorted(allowed))
        raise InvalidSpotifyUriError(f"expected a {expected} URI, got {parsed.uri!r}")
    return parsed


def is_saveable(value: str | SpotifyUri) -> bool:
    """Whether the item can be saved to the library (False for a chapter, or not a URI).

    Lets a caller offer "save" only where Spotify takes it, instead of catching the
    InvalidSpotifyUriError that ``save_to_library`` raises for the rest.
    """
    try:
        parsed = value if isinstance(value, SpotifyUri) else parse_spotify_uri(value)
    except InvalidSpotifyUriError:
        return False
    return parsed.type in LIBRARY_TYPES


def to_spotify_id(value: str | SpotifyUri, item_type: ItemType) -> str:
    """The ID of an ``item_type`` object given as a bare ID, a URI, a link or a SpotifyUri."""
    if isinstance(value, str):
        bare = value.strip()
        if bare and ":" not in bare and "/" not in bare:
            return SpotifyUri(item_type, bare).id
    return to_spotify_uri(value, item_type).id


def _link_segments(text: str) -> list[str]:
    """The meaningful path segments of an open.spotify.com link (locale and embed dropped)."""
    try:
        link = urlsplit(text)
        host = link.hostname
        port = link.port
    except ValueError:
        return []
    if host != OPEN_SPOTIFY_HOST or port is not None or link.username is not None:
        return []
    segments = link.path.split("/")[1:]
    if segments and not segments[-1]:
        segments.pop()  # a trailing slash
    if segments and _LOCALE_SEGMENT.fullmatch(segments[0]):
        segments.pop(0)
    if segments and segments[0] == "embed":
        segments.pop(0)
    return segments


def _from_segments(parts: list[str]) -> SpotifyUri | None:
    """Build a SpotifyUri from ``type/id``-style segments, or None when they do not fit."""
    match parts:
        case ["user", user_id, "collection"]:
            kind, item_id = ItemType.COLLECTION, user_id
        case ["user", _, "playlist", playlist_id]:  # the pre-2018 form of playlist URIs
            kind, item_id = ItemType.PLAYLIST, playlist_id
        case [kind_name, item_id] if kind_name in _ONE_LEVEL_TYPES:
            kind = ItemType(kind_name)
        case _:
            return None
    try:
        return SpotifyUri(kind, item_id)
    except InvalidSpotifyUriError:
        return None
