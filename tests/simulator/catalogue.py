"""A deterministic music and podcast catalogue: artists, albums, tracks, shows, episodes."""

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
class Catalogue:
    """Everything playable or browsable, by id."""

    artists: dict[str, Artist] = field(default_factory=dict)
    albums: dict[str, Album] = field(default_factory=dict)
    tracks: dict[str, Track] = field(default_factory=dict)
    shows: dict[str, Show] = field(default_factory=dict)
    episodes: dict[str, Episode] = field(default_factory=dict)

    def playable(self, value: str) -> Track | Episode | None:
        """The track or episode a URI names, if it exists."""
        parsed = parse_uri(value)
        if parsed is None:
            return None
        kind, item_id = parsed
        if kind == "track":
            return self.tracks.get(item_id)
        if kind == "episode":
            return self.episodes.get(item_id)
        return None

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
    return catalogue


def track_uri(track: Track) -> str:
    """The track's URI."""
    return uri("track", track.id)
