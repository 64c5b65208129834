"""The user's library: saved tracks, albums, shows and audiobooks, with when they were saved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

from ._parse import expect_object, get_datetime, get_nested
from .catalog import Album, Show, SimplifiedAudiobook, Track

if TYPE_CHECKING:
    from datetime import datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedTrack:
    """A track in Liked Songs."""

    added_at: datetime | None = None
    track: Track | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a SavedTrackObject."""
        obj = expect_object(data, "saved track")
        return cls(
            added_at=get_datetime(obj, "added_at"),
            track=get_nested(obj, "track", Track.from_dict),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedAlbum:
    """An album in the user's library."""

    added_at: datetime | None = None
    album: Album | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a SavedAlbumObject."""
        obj = expect_object(data, "saved album")
        return cls(
            added_at=get_datetime(obj, "added_at"),
            album=get_nested(obj, "album", Album.from_dict),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedShow:
    """A podcast the user follows."""

    added_at: datetime | None = None
    show: Show | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a SavedShowObject."""
        obj = expect_object(data, "saved show")
        return cls(
            added_at=get_datetime(obj, "added_at"),
            show=get_nested(obj, "show", Show.from_dict),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedAudiobook:
    """An audiobook in the user's library (an entry of ``/me/audiobooks``)."""

    added_at: datetime | None = None
    audiobook: SimplifiedAudiobook | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a SavedAudiobookObject, or the bare audiobook Spotify sends instead.

        The definition wraps each book as ``{added_at, audiobook}``; Spotify's answers
        list the audiobooks themselves, without ``added_at`` (saved_audiobooks.json).
        """
        obj = expect_object(data, "saved audiobook")
        if "audiobook" in obj or "added_at" in obj:
            return cls(
                added_at=get_datetime(obj, "added_at"),
                audiobook=get_nested(obj, "audiobook", SimplifiedAudiobook.from_dict),
            )
        return cls(audiobook=SimplifiedAudiobook.from_dict(obj))
