"""Spotify's catalog: artists, albums, tracks, shows and episodes.

Each field says once how it is read (fields.py); ``from_dict`` reads them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .fields import (
    Model,
    external_url,
    flag,
    images,
    many,
    maybe_flag,
    name,
    number,
    one,
    position,
    restriction,
    text,
    texts,
)
from .paging import Page

if TYPE_CHECKING:
    from ._parse import JsonObject
    from .common import Image


def _track_page(data: JsonObject) -> Page[Track]:
    return Page.from_dict(data, Track.from_dict)


def _episode_page(data: JsonObject) -> Page[Episode]:
    return Page.from_dict(data, Episode.from_dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Artist(Model):
    """An artist (ArtistObject); simplified artists (inside tracks and albums) carry no images."""

    WHAT = "artist"

    id: str | None = text()
    name: str | None = text()
    uri: str | None = text()
    images: tuple[Image, ...] = images()
    genres: tuple[str, ...] = texts()
    external_url: str | None = external_url()


@dataclass(frozen=True, slots=True, kw_only=True)
class Album(Model):
    """An album (AlbumObject, simplified or not); ``tracks`` only when fetched on its own."""

    WHAT = "album"

    id: str | None = text()
    name: str | None = name()
    uri: str | None = text()
    album_type: str | None = text()
    total_tracks: int | None = number()
    release_date: str | None = text()
    release_date_precision: str | None = text()
    images: tuple[Image, ...] = images()
    artists: tuple[Artist, ...] = many(Artist.from_dict)
    external_url: str | None = external_url()
    restriction: str | None = restriction()
    tracks: Page[Track] | None = one(_track_page)

    @property
    def playable(self) -> bool:
        """Whether Spotify lets the user play it (not restricted in their market, say)."""
        return self.restriction is None


@dataclass(frozen=True, slots=True, kw_only=True)
class Track(Model):
    """A song (TrackObject, simplified or not); local files have no ``id``."""

    WHAT = "track"

    id: str | None = text()
    name: str | None = text()
    uri: str | None = text()
    duration_ms: int | None = number()
    explicit: bool = flag()
    disc_number: int | None = position()
    track_number: int | None = position()
    is_local: bool = flag()
    is_playable: bool | None = maybe_flag()
    restriction: str | None = restriction()
    album: Album | None = one(Album.from_dict)
    artists: tuple[Artist, ...] = many(Artist.from_dict)
    external_url: str | None = external_url()

    @property
    def playable(self) -> bool:
        """Whether Spotify lets the user play it (``is_playable`` is only sent with a market)."""
        return self.is_playable is not False and self.restriction is None


@dataclass(frozen=True, slots=True, kw_only=True)
class ResumePoint(Model):
    """How far the user got in an episode (ResumePointObject)."""

    WHAT = "resume point"

    fully_played: bool = flag()
    resume_position_ms: int | None = number()


@dataclass(frozen=True, slots=True, kw_only=True)
class Show(Model):
    """A podcast (ShowObject, simplified or not); ``episodes`` only when fetched on its own."""

    WHAT = "show"

    id: str | None = text()
    name: str | None = text()
    uri: str | None = text()
    publisher: str | None = text()
    description: str | None = text()
    media_type: str | None = text()
    total_episodes: int | None = number()
    explicit: bool = flag()
    images: tuple[Image, ...] = images()
    external_url: str | None = external_url()
    episodes: Page[Episode] | None = one(_episode_page)


@dataclass(frozen=True, slots=True, kw_only=True)
class Episode(Model):
    """A podcast episode (EpisodeObject, simplified or not); no ``show`` under its show."""

    WHAT = "episode"

    id: str | None = text()
    name: str | None = text()
    uri: str | None = text()
    description: str | None = text()
    duration_ms: int | None = number()
    explicit: bool = flag()
    release_date: str | None = text()
    release_date_precision: str | None = text()
    is_playable: bool | None = maybe_flag()
    restriction: str | None = restriction()
    languages: tuple[str, ...] = texts()
    images: tuple[Image, ...] = images()
    resume_point: ResumePoint | None = one(ResumePoint.from_dict)
    show: Show | None = one(Show.from_dict)
    external_url: str | None = external_url()

    @property
    def playable(self) -> bool:
        """Whether Spotify lets the user play it."""
        return self.is_playable is not False and self.restriction is None


type Playable = Track | Episode


def parse_playable(data: JsonObject) -> Playable | None:
    """Parse what a player plays by its ``type``; None for kinds we do not model (e.g. ads)."""
    match data.get("type"):
        case "episode":
            return Episode.from_dict(data)
        case "track" | None:
            return Track.from_dict(data)
        case _:
            return None
