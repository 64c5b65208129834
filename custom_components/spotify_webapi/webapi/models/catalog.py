"""Spotify's catalog: artists, albums, tracks, shows, episodes, audiobooks and chapters.

Each field says once how it is read (fields.py); ``from_dict`` reads them all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

from ._parse import get_int, get_object, get_str
from .fields import (
    Model,
    external_url,
    flag,
    images,
    kind_uri,
    many,
    maybe_flag,
    name,
    names,
    number,
    one,
    position,
    read,
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


def _chapter_page(data: JsonObject) -> Page[SimplifiedChapter]:
    return Page.from_dict(data, SimplifiedChapter.from_dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class SimplifiedAudiobook(Model):
    """An audiobook as lists, searches and chapters carry it (SimplifiedAudiobookObject).

    ``uri`` is ``spotify:audiobook:<id>`` although Spotify sends ``spotify:show:<id>``.
    """

    WHAT = "audiobook"

    id: str | None = text()
    name: str | None = text()
    uri: str | None = kind_uri("audiobook")
    authors: tuple[str, ...] = names()
    narrators: tuple[str, ...] = names()
    publisher: str | None = text()
    description: str | None = text()
    edition: str | None = text()
    explicit: bool = flag()
    media_type: str | None = text()
    languages: tuple[str, ...] = texts()
    total_chapters: int | None = number()
    images: tuple[Image, ...] = images()
    available_markets: tuple[str, ...] = texts()
    restriction: str | None = restriction()
    external_url: str | None = external_url()

    @property
    def playable(self) -> bool:
        """Whether Spotify says nothing against playing it; a market needs ``available_in``."""
        return self.restriction is None

    def available_in(self, market: str | None) -> bool:
        """Whether it can be played in ``market`` (the user's country, ``CurrentUser.country``).

        Audiobooks are sold per country; Spotify lists where in ``available_markets``.
        An unknown market or an answer without the list counts as available.
        """
        if not self.playable:
            return False
        if not market or not self.available_markets:
            return True
        return market.upper() in self.available_markets


@dataclass(frozen=True, slots=True, kw_only=True)
class Audiobook(SimplifiedAudiobook):
    """An audiobook fetched on its own (AudiobookObject), with the first page of chapters."""

    chapters: Page[SimplifiedChapter] | None = one(_chapter_page)


@dataclass(frozen=True, slots=True, kw_only=True)
class SimplifiedChapter(Episode):
    """A chapter of an audiobook (SimplifiedChapterObject), without its book.

    A chapter is an Episode because Spotify plays and reports it as one (its player
    calls a playing chapter ``type: episode``); check for a chapter before an episode.
    ``uri`` is ``spotify:chapter:<id>`` although Spotify sends ``spotify:episode:<id>``.
    ``resume_point`` is where the user left off in it.
    """

    WHAT = "chapter"

    uri: str | None = kind_uri("chapter")
    chapter_number: int | None = number()  # from 0: "Opening Credits" is chapter 0
    available_markets: tuple[str, ...] = texts()


def _book(data: JsonObject, key: str) -> SimplifiedAudiobook | None:
    """The chapter's ``audiobook``, or the book the player sends as its ``show``."""
    book = get_object(data, key)
    if book is not None:
        return SimplifiedAudiobook.from_dict(book)
    show = get_object(data, "show")
    return None if show is None or not _is_book(show) else _book_from_show(show)


@dataclass(frozen=True, slots=True, kw_only=True)
class Chapter(SimplifiedChapter):
    """A chapter with its audiobook (ChapterObject), or a chapter the player is playing.

    Spotify's player sends a playing chapter as an episode whose ``show`` is the book
    (``playback_audiobook_1.json``); ``audiobook`` is then read from that show, its
    authors from the description's "Author(s): ..." opening.
    """

    audiobook: SimplifiedAudiobook | None = read(_book)


# A playing chapter's `show`: a book's description opens with its credits.
_AUTHORS_MARK: Final = "Author(s):"
# Credits end at a line break, a tag (escaped or not), or the next credit.
_AUTHORS: Final = re.compile(r"Author\(s\):\s*(.+?)\s*(?=Narrator\(s\):|<|&lt;|\n)")
_NARRATORS: Final = re.compile(r"Narrator\(s\):\s*(.+?)\s*(?=<|&lt;|\n)")


def _is_book(show: JsonObject) -> bool:
    """Whether an episode's ``show`` is an audiobook: no episode count, credits first."""
    if get_str(show, "type") == "audiobook":
        return True
    description = (get_str(show, "description") or "").lstrip()
    return get_int(show, "total_episodes") is None and description.startswith(_AUTHORS_MARK)


def _credits(show: JsonObject, pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Names after a credit mark, from the HTML description first (its ``<br/>`` ends them)."""
    for key in ("html_description", "description"):
        found = pattern.search(get_str(show, key) or "")
        if found:
            return tuple(part.strip() for part in found.group(1).split(",") if part.strip())
    return ()


def _book_from_show(show: JsonObject) -> SimplifiedAudiobook:
    """The audiobook behind a playing chapter's ``show`` (the publisher is its author)."""
    book = SimplifiedAudiobook.from_dict(show)
    publisher = (book.publisher,) if book.publisher else ()
    authors = book.authors or _credits(show, _AUTHORS) or publisher
    return replace(book, authors=authors, narrators=book.narrators or _credits(show, _NARRATORS))


# A chapter is an Episode, so this covers tracks, episodes and chapters.
type Playable = Track | Episode


def parse_playable(data: JsonObject) -> Playable | None:
    """Parse what a player plays by its ``type``; None for kinds we do not model (e.g. ads).

    A chapter comes as ``type: episode`` from the player; it is told by its book.
    """
    match data.get("type"):
        case "chapter":
            return Chapter.from_dict(data)
        case "episode" if _is_chapter(data):
            return Chapter.from_dict(data)
        case "episode":
            return Episode.from_dict(data)
        case "track" | None:
            return Track.from_dict(data)
        case _:
            return None


def _is_chapter(data: JsonObject) -> bool:
    if isinstance(data.get("audiobook"), Mapping):
        return True
    show = get_object(data, "show")
    return show is not None and _is_book(show)
