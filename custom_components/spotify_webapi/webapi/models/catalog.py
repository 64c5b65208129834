"""Spotify's catalog: artists, albums, tracks, shows and episodes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from ._parse import (
    JsonObject,
    expect_object,
    get_bool,
    get_external_url,
    get_int,
    get_name,
    get_nested,
    get_objects,
    get_optional_bool,
    get_position,
    get_restriction,
    get_str,
    get_strs,
)
from .common import Image, get_images
from .paging import Page


@dataclass(frozen=True, slots=True, kw_only=True)
class Artist:
    """An artist; simplified artists (inside tracks and albums) carry no images."""

    id: str | None = None
    name: str | None = None
    uri: str | None = None
    images: tuple[Image, ...] = ()
    genres: tuple[str, ...] = ()
    external_url: str | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse an ArtistObject or SimplifiedArtistObject."""
        obj = expect_object(data, "artist")
        return cls(
            id=get_str(obj, "id"),
            name=get_str(obj, "name"),
            uri=get_str(obj, "uri"),
            images=get_images(obj),
            genres=get_strs(obj, "genres"),
            external_url=get_external_url(obj),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Album:
    """An album; ``tracks`` is only there when the album was fetched on its own."""

    id: str | None = None
    name: str | None = None
    uri: str | None = None
    album_type: str | None = None
    total_tracks: int | None = None
    release_date: str | None = None
    release_date_precision: str | None = None
    images: tuple[Image, ...] = ()
    artists: tuple[Artist, ...] = ()
    external_url: str | None = None
    restriction: str | None = None
    tracks: Page[Track] | None = None

    @property
    def playable(self) -> bool:
        """Whether Spotify lets the user play it (not restricted in their market, say)."""
        return self.restriction is None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse an AlbumObject, SimplifiedAlbumObject or ArtistDiscographyAlbumObject."""
        obj = expect_object(data, "album")
        return cls(
            id=get_str(obj, "id"),
            name=get_name(obj),
            uri=get_str(obj, "uri"),
            album_type=get_str(obj, "album_type"),
            total_tracks=get_int(obj, "total_tracks"),
            release_date=get_str(obj, "release_date"),
            release_date_precision=get_str(obj, "release_date_precision"),
            images=get_images(obj),
            artists=get_objects(obj, "artists", Artist.from_dict),
            external_url=get_external_url(obj),
            restriction=get_restriction(obj),
            tracks=get_nested(obj, "tracks", _track_page),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Track:
    """A song; local files have no ``id`` and a ``spotify:local:`` URI."""

    id: str | None = None
    name: str | None = None
    uri: str | None = None
    duration_ms: int | None = None
    explicit: bool = False
    disc_number: int | None = None
    track_number: int | None = None
    is_local: bool = False
    is_playable: bool | None = None
    restriction: str | None = None
    album: Album | None = None
    artists: tuple[Artist, ...] = ()
    external_url: str | None = None

    @property
    def playable(self) -> bool:
        """Whether Spotify lets the user play it (``is_playable`` is only sent with a market)."""
        return self.is_playable is not False and self.restriction is None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a TrackObject or SimplifiedTrackObject."""
        obj = expect_object(data, "track")
        return cls(
            id=get_str(obj, "id"),
            name=get_str(obj, "name"),
            uri=get_str(obj, "uri"),
            duration_ms=get_int(obj, "duration_ms"),
            explicit=get_bool(obj, "explicit"),
            disc_number=get_position(obj, "disc_number"),
            track_number=get_position(obj, "track_number"),
            is_local=get_bool(obj, "is_local"),
            is_playable=get_optional_bool(obj, "is_playable"),
            restriction=get_restriction(obj),
            album=get_nested(obj, "album", Album.from_dict),
            artists=get_objects(obj, "artists", Artist.from_dict),
            external_url=get_external_url(obj),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ResumePoint:
    """How far the user got in an episode."""

    fully_played: bool = False
    resume_position_ms: int | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a ResumePointObject."""
        obj = expect_object(data, "resume point")
        return cls(
            fully_played=get_bool(obj, "fully_played"),
            resume_position_ms=get_int(obj, "resume_position_ms"),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Show:
    """A podcast; ``episodes`` is only there when the show was fetched on its own."""

    id: str | None = None
    name: str | None = None
    uri: str | None = None
    publisher: str | None = None
    description: str | None = None
    media_type: str | None = None
    total_episodes: int | None = None
    explicit: bool = False
    images: tuple[Image, ...] = ()
    external_url: str | None = None
    episodes: Page[Episode] | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a ShowObject or SimplifiedShowObject."""
        obj = expect_object(data, "show")
        return cls(
            id=get_str(obj, "id"),
            name=get_str(obj, "name"),
            uri=get_str(obj, "uri"),
            publisher=get_str(obj, "publisher"),
            description=get_str(obj, "description"),
            media_type=get_str(obj, "media_type"),
            total_episodes=get_int(obj, "total_episodes"),
            explicit=get_bool(obj, "explicit"),
            images=get_images(obj),
            external_url=get_external_url(obj),
            episodes=get_nested(obj, "episodes", _episode_page),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Episode:
    """A podcast episode; ``show`` is missing when listed under its show."""

    id: str | None = None
    name: str | None = None
    uri: str | None = None
    description: str | None = None
    duration_ms: int | None = None
    explicit: bool = False
    release_date: str | None = None
    release_date_precision: str | None = None
    is_playable: bool | None = None
    restriction: str | None = None
    languages: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    resume_point: ResumePoint | None = None
    show: Show | None = None
    external_url: str | None = None

    @property
    def playable(self) -> bool:
        """Whether Spotify lets the user play it."""
        return self.is_playable is not False and self.restriction is None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse an EpisodeObject or SimplifiedEpisodeObject."""
        obj = expect_object(data, "episode")
        return cls(
            id=get_str(obj, "id"),
            name=get_str(obj, "name"),
            uri=get_str(obj, "uri"),
            description=get_str(obj, "description"),
            duration_ms=get_int(obj, "duration_ms"),
            explicit=get_bool(obj, "explicit"),
            release_date=get_str(obj, "release_date"),
            release_date_precision=get_str(obj, "release_date_precision"),
            is_playable=get_optional_bool(obj, "is_playable"),
            restriction=get_restriction(obj),
            languages=get_strs(obj, "languages"),
            images=get_images(obj),
            resume_point=get_nested(obj, "resume_point", ResumePoint.from_dict),
            show=get_nested(obj, "show", Show.from_dict),
            external_url=get_external_url(obj),
        )


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


def _track_page(data: JsonObject) -> Page[Track]:
    return Page.from_dict(data, Track.from_dict)


def _episode_page(data: JsonObject) -> Page[Episode]:
    return Page.from_dict(data, Episode.from_dict)
