"""Typed models of Spotify's JSON, parsed at the edge so callers never touch a dict.

Every ``from_dict`` accepts any JSON value: a value that is not an object raises
SpotifyResponseError; inside an object, a missing, null or mistyped field reads as
None (flags as False, lists as empty), and unknown fields are ignored.
"""

from __future__ import annotations

from .catalog import (
    Album,
    Artist,
    Audiobook,
    Chapter,
    Episode,
    Playable,
    ResumePoint,
    Show,
    SimplifiedAudiobook,
    SimplifiedChapter,
    Track,
    parse_playable,
)
from .common import Image, User, largest_image
from .library import SavedAlbum, SavedAudiobook, SavedShow, SavedTrack
from .paging import Cursors, Page
from .player import Context, Device, Disallows, PlaybackState, PlayHistory, Queue, RepeatMode
from .playlist import Playlist, PlaylistItem
from .search import SearchResult
from .user import CurrentUser

__all__ = [
    "Album",
    "Artist",
    "Audiobook",
    "Chapter",
    "Context",
    "CurrentUser",
    "Cursors",
    "Device",
    "Disallows",
    "Episode",
    "Image",
    "Page",
    "PlayHistory",
    "Playable",
    "PlaybackState",
    "Playlist",
    "PlaylistItem",
    "Queue",
    "RepeatMode",
    "ResumePoint",
    "SavedAlbum",
    "SavedAudiobook",
    "SavedShow",
    "SavedTrack",
    "SearchResult",
    "Show",
    "SimplifiedAudiobook",
    "SimplifiedChapter",
    "Track",
    "User",
    "largest_image",
    "parse_playable",
]
