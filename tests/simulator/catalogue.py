"""A deterministic catalogue: artists, albums, tracks, shows, episodes, audiobooks, chapters."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from .ids import parse_uri, spotify_id, uri

_ARTISTS = [
    ("The Loopback Lanterns", ("indie rock", "dream pop")),
    ("Aurora Vale", ("synthpop",)),
    ("Port Forty Ten", ("electronica", "downtempo")),
    ("Mira Okafor", ("neo soul", "r&b")),
    ("Static Bloom", ("shoegaze",)),
    ("Kestrel & Finch", ("folk", "indie folk")),
    ("DJ Refresh", ("house", "deep house")),
    ("Null Pointer Orchestra", ("modern classical",)),
    ("Saffron Sky", ("jazz", "nu jazz")),
    ("Juniper Hale", ("singer-songwriter",)),
    ("The Bearer Tokens", ("punk", "garage rock")),
    ("Echo Chamber Quartet", ("chamber pop",)),
]
_ADJECTIVES = [
    "Silver", "Quiet", "Electric", "Golden", "Hidden", "Paper", "Neon", "Velvet", "Hollow",
    "Distant", "Crimson", "Gentle", "Midnight", "Broken", "Endless", "Wild", "Frozen", "Lucky",
]  # fmt: skip
_NOUNS = [
    "Harbor", "Signal", "Garden", "Engine", "Horizon", "Letter", "River", "Window", "Satellite",
    "Lantern", "Meadow", "Circuit", "Canyon", "Echo", "Orchard", "Compass", "Tide", "Ember",
]  # fmt: skip
_SHOWS = [
    ("Token Talk", "Sim Audio Network", 25),
    ("The Refresh Hour", "Loopback Media", 8),
    ("Latency Matters", "Port Forty Ten Studios", 60),
]
# Spotify sells audiobooks in these countries only (the OpenAPI definition says so).
BOOK_MARKETS = ("AU", "CA", "GB", "IE", "NZ", "US")
# (title, authors, narrators, chapter count, markets): the third is sold in the UK and
# Ireland only, so not to Alice (US); the last has more chapters than a page holds.
_BOOKS = [
    ("The Loopback Mysteries", ("Ada Lantern",), ("Sam Reader",), 6, BOOK_MARKETS),
    (
        "A Token for Tomorrow",
        ("Rin Okafor", "Lee Park"),
        ("Dana Voss", "Eli Moss"),
        4,
        BOOK_MARKETS,
    ),
    ("Tales from the Refresh Queue", ("Holly Byte",), ("Owen Cache",), 3, ("GB", "IE")),
    ("The Long Poll", ("Ada Lantern",), ("Sam Reader",), 60, BOOK_MARKETS),
]
_EPOCH = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)


def timestamp(days: float) -> str:
    """An ISO 8601 UTC timestamp `days` after the catalogue's epoch (for added_at fields)."""
    return (_EPOCH + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class Artist:
    """An artist."""

    id: str
    name: str
    genres: tuple[str, ...]
    followers: int
    popularity: int
    album_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Album:
    """An album, single or compilation."""

    id: str
    name: str
    album_type: str
    artist_ids: tuple[str, ...]
    release_date: str
    label: str
    popularity: int
    track_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Track:
    """A track on an album; `artist_ids` may include featured artists."""

    id: str
    name: str
    album_id: str
    artist_ids: tuple[str, ...]
    duration_ms: int
    track_number: int
    explicit: bool
    popularity: int


@dataclass(slots=True)
class Show:
    """A podcast."""

    id: str
    name: str
    publisher: str
    episode_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Episode:
    """A podcast episode."""

    id: str
    name: str
    show_id: str
    duration_ms: int
    release_date: str


@dataclass(slots=True)
class Audiobook:
    """An audiobook, sold in some markets only."""

    id: str
    name: str
    authors: tuple[str, ...]
    narrators: tuple[str, ...]
    markets: tuple[str, ...]
    chapter_ids: list[str] = field(default_factory=list)

    def available_in(self, market: str | None) -> bool:
        """Whether the book is sold where the listener is (unknown: yes)."""
        return market is None or market in self.markets


@dataclass(slots=True)
class Chapter:
    """A chapter of an audiobook; chapter 0 is the opening credits, as on Spotify."""

    id: str
    name: str
    audiobook_id: str
    number: int
    duration_ms: int


@dataclass(slots=True)
class Catalogue:
    """Everything playable or browsable, by id."""

    artists: dict[str, Artist] = field(default_factory=dict)
    albums: dict[str, Album] = field(default_factory=dict)
    tracks: dict[str, Track] = field(default_factory=dict)
    shows: dict[str, Show] = field(default_factory=dict)
    episodes: dict[str, Episode] = field(default_factory=dict)
    audiobooks: dict[str, Audiobook] = field(default_factory=dict)
    chapters: dict[str, Chapter] = field(default_factory=dict)

    def playable(self, value: str) -> Track | Episode | Chapter | None:
        """The track, episode or chapter a URI names, if it exists."""
        parsed = parse_uri(value)
        if parsed is None:
            return None
        kind, item_id = parsed
        if kind == "track":
            return self.tracks.get(item_id)
        if kind == "episode":
            # Spotify's own URI of a chapter is an episode URI.
            return self.episodes.get(item_id) or self.chapters.get(item_id)
        if kind == "chapter":
            return self.chapters.get(item_id)
        return None

    def chapter(self, value: str) -> Chapter | None:
        """The chapter an item URI names (as spotify:chapter: or spotify:episode:), if any."""
        item = self.playable(value)
        return item if isinstance(item, Chapter) else None

    def book(self, context_uri: str) -> Audiobook | None:
        """The audiobook a context URI names (Spotify's player calls it a show), if any."""
        parsed = parse_uri(context_uri)
        if parsed is None or parsed[0] not in ("audiobook", "show"):
            return None
        return self.audiobooks.get(parsed[1])

    def artist_tracks(self, artist_id: str) -> list[Track]:
        """The artist's own tracks, album by album (a stand-in for "top tracks")."""
        return [
            self.tracks[track_id]
            for album_id in self.artists[artist_id].album_ids
            if self.albums[album_id].artist_ids[0] == artist_id
            for track_id in self.albums[album_id].track_ids
        ]


def _title(rng: random.Random) -> str:
    return f"{rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"


def _add_album(
    catalogue: Catalogue,
    rng: random.Random,
    key: str,
    *,
    name: str,
    album_type: str,
    artist_ids: tuple[str, ...],
    track_artists: list[tuple[str, ...]],
    released: date,
) -> Album:
    album = Album(
        id=spotify_id(f"album:{key}"),
        name=name,
        album_type=album_type,
        artist_ids=artist_ids,
        release_date=released.isoformat(),
        label=f"{rng.choice(_NOUNS)} Records",
        popularity=rng.randint(10, 90),
    )
    for number, artists in enumerate(track_artists, start=1):
        track = Track(
            id=spotify_id(f"track:{key}:{number}"),
            name=_title(rng),
            album_id=album.id,
            artist_ids=artists,
            duration_ms=rng.randint(120, 360) * 1000 + rng.randint(0, 999),
            track_number=number,
            explicit=rng.random() < 0.15,  # about one explicit track in seven
            popularity=rng.randint(5, 95),
        )
        album.track_ids.append(track.id)
        catalogue.tracks[track.id] = track
    catalogue.albums[album.id] = album
    for artist_id in dict.fromkeys(a for artists in track_artists for a in artists):
        catalogue.artists[artist_id].album_ids.append(album.id)
    return album


def build_catalogue(seed: int = 4010) -> Catalogue:
    """The same catalogue for the same seed: 12 artists, ~40 albums, 3 shows."""
    rng = random.Random(seed)  # noqa: S311  test data, not cryptography
    catalogue = Catalogue()
    for index, (name, genres) in enumerate(_ARTISTS):
        artist = Artist(
            id=spotify_id(f"artist:{index}"),
            name=name,
            genres=genres,
            followers=rng.randint(1_000, 2_000_000),
            popularity=rng.randint(20, 95),
        )
        catalogue.artists[artist.id] = artist
    artist_ids = list(catalogue.artists)
    for index, artist_id in enumerate(artist_ids):
        featured = artist_ids[(index + 1) % len(artist_ids)]
        plans = [("album", rng.randint(9, 13)), ("single", rng.randint(1, 2)), ("album", 7)]
        for number, (album_type, size) in enumerate(plans):
            # Track 2 of each album features the next artist (it "appears on" the album).
            credited: list[tuple[str, ...]] = [
                (artist_id, featured) if track == 2 and album_type == "album" else (artist_id,)
                for track in range(1, size + 1)
            ]
            _add_album(
                catalogue,
                rng,
                f"{index}:{number}",
                name=_title(rng),
                album_type=album_type,
                artist_ids=(artist_id,),
                track_artists=credited,
                released=date(2010 + index, 1 + number * 4, 1 + index),
            )
    _add_album(
        catalogue,
        rng,
        "compilation",
        name="Simulated Hits, Vol. 1",
        album_type="compilation",
        artist_ids=(artist_ids[0], artist_ids[1]),
        track_artists=[(artist_id,) for artist_id in artist_ids],
        released=date(2024, 6, 1),
    )
    for index, (name, publisher, count) in enumerate(_SHOWS):
        show = Show(id=spotify_id(f"show:{index}"), name=name, publisher=publisher)
        for number in range(count, 0, -1):  # newest first, as Spotify lists them
            episode = Episode(
                id=spotify_id(f"episode:{index}:{number}"),
                name=f"{name} #{number}: {_title(rng)}",
                show_id=show.id,
                duration_ms=rng.randint(15, 75) * 60_000,
                release_date=(date(2023, 1, 2) + timedelta(days=7 * number)).isoformat(),
            )
            show.episode_ids.append(episode.id)
            catalogue.episodes[episode.id] = episode
        catalogue.shows[show.id] = show
    _add_books(catalogue)
    return catalogue


def _add_books(catalogue: Catalogue) -> None:
    """The audiobooks, from fixed data (the random catalogue above stays as it was)."""
    for index, (name, authors, narrators, count, markets) in enumerate(_BOOKS):
        book = Audiobook(spotify_id(f"audiobook:{index}"), name, authors, narrators, markets)
        for number in range(count):
            title = "Opening Credits" if number == 0 else f"Chapter {number}: {_NOUNS[number % 18]}"
            chapter = Chapter(
                id=spotify_id(f"chapter:{index}:{number}"),
                name=title,
                audiobook_id=book.id,
                number=number,
                duration_ms=23_000 if number == 0 else (20 + (7 * number) % 25) * 60_000,
            )
            book.chapter_ids.append(chapter.id)
            catalogue.chapters[chapter.id] = chapter
        catalogue.audiobooks[book.id] = book


def track_uri(track: Track) -> str:
    """The track's URI."""
    return uri("track", track.id)
