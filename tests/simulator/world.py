"""The simulated world: catalogue, users' libraries and playlists, and their players."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .catalogue import Catalogue, build_catalogue, timestamp
from .devices import default_devices
from .ids import parse_uri, spotify_id, uri
from .library import Library, Playlist, PlaylistEntry, Saved
from .player import Played, Player, ResumePoint

if TYPE_CHECKING:
    from .clock import SimClock
    from .users import User

ROAD_TRIP_SIZE = 250  # more than one 100-item page, to exercise paging


class World:
    """Everything the Web API serves, shared by all of a simulator's routes."""

    def __init__(self, clock: SimClock, users: dict[str, User], catalogue: Catalogue | None = None):
        """Populate libraries, playlists and players for `users`."""
        self.clock = clock
        self.users = users
        self.catalogue = catalogue or build_catalogue()
        self.playlists: dict[str, Playlist] = {}
        self.libraries: dict[str, Library] = {user_id: Library() for user_id in users}
        self.players: dict[str, Player] = {
            user_id: Player(
                clock,
                self.catalogue,
                default_devices(user_id),
                functools.partial(self.resolve_context, listener=user_id),
                premium=user.product == "premium",
                market=user.country,
            )
            for user_id, user in users.items()
        }
        self._seed()

    def resolve_context(self, context_uri: str, listener: str | None = None) -> list[str] | None:
        """The item URIs a context plays for `listener`, or None if there is no such context."""
        parsed = parse_uri(context_uri)
        if parsed is None:
            return None
        kind, item_id = parsed
        if kind == "collection":
            # Liked Songs play only for their owner, newest saved first as Spotify plays them.
            library = self.libraries.get(item_id) if item_id == listener else None
            return None if library is None else [uri("track", s.id) for s in library.saved_tracks]
        return self._items_of(kind, item_id)

    def _items_of(self, kind: str, item_id: str) -> list[str] | None:
        """The items of an album, playlist, artist or show; None if it does not exist."""
        catalogue = self.catalogue
        if kind == "album" and item_id in catalogue.albums:
            return [uri("track", t) for t in catalogue.albums[item_id].track_ids]
        if kind == "playlist" and item_id in self.playlists:
            return [entry.uri for entry in self.playlists[item_id].entries]
        if kind == "artist" and item_id in catalogue.artists:
            return [uri("track", t.id) for t in catalogue.artist_tracks(item_id)]
        if kind == "show" and item_id in catalogue.shows:
            return [uri("episode", e) for e in catalogue.shows[item_id].episode_ids]
        book = catalogue.book(uri(kind, item_id))
        # A book as spotify:audiobook:, or as the show Spotify's player calls it; its chapters
        # as the player names them (episodes): an offset in another form is not found.
        if book is not None:
            return [uri("episode", c) for c in book.chapter_ids]
        return None

    def add_playlist(
        self,
        key: str,
        name: str,
        owner_id: str,
        item_uris: list[str],
        *,
        public: bool = True,
        collaborators: set[str] | None = None,
        followers: int = 0,
    ) -> Playlist:
        """Create a playlist (collaborative when it has collaborators)."""
        contributors = [owner_id, *sorted(collaborators or ())]
        playlist = Playlist(
            id=spotify_id(f"playlist:{key}"),
            name=name,
            owner_id=owner_id,
            description=f"{name}, made by the simulator.",
            public=public,
            collaborative=bool(collaborators),
            collaborators=set(collaborators or ()),
            entries=[
                PlaylistEntry(
                    item_uri, timestamp(index / 2), contributors[index % len(contributors)]
                )
                for index, item_uri in enumerate(item_uris)
            ],
            followers=followers,
        )
        self.playlists[playlist.id] = playlist
        return playlist

    def _seed(self) -> None:
        """Alice has a full library and is playing; Bob is on Free; Carol has nothing yet.

        Alice (US) saved the first and the third audiobook (the third is not sold in the
        US), and left the first in its chapter 2, after chapters 0 and 1.
        """
        track_ids = list(self.catalogue.tracks)
        book_ids = list(self.catalogue.audiobooks)
        episode_ids = list(self.catalogue.episodes)
        album_ids = list(self.catalogue.albums)
        artist_ids = list(self.catalogue.artists)
        tracks = [uri("track", t) for t in track_ids]
        road_trip_items = [tracks[i % len(tracks)] for i in range(ROAD_TRIP_SIZE)]
        for position, episode_id in zip((10, 100, 200), episode_ids, strict=False):
            road_trip_items[position] = uri("episode", episode_id)

        road_trip = self.add_playlist("road-trip", "Road Trip", "alice", road_trip_items)
        focus = self.add_playlist("focus", "Focus", "alice", tracks[40:70], public=False)
        shared = self.add_playlist(
            "shared", "Shared Mix", "bob", tracks[100:115], public=False, collaborators={"alice"}
        )
        top = self.add_playlist(
            "top-50", "Sim Top 50", "spotify", tracks[::5][:50], followers=1_234_567
        )
        jams = self.add_playlist("bob-jams", "Bob's Jams", "bob", tracks[200:212])
        empty = self.add_playlist("carol-empty", "Empty Playlist", "carol", [])

        def saved(ids: list[str], newest_day: int) -> list[Saved]:
            return [Saved(item_id, timestamp(newest_day - n)) for n, item_id in enumerate(ids)]

        if "alice" in self.libraries:
            self.libraries["alice"] = Library(
                saved_tracks=saved([track_ids[(3 * n) % len(track_ids)] for n in range(75)], 300),
                saved_albums=saved(album_ids[::5][:6], 200),
                saved_shows=saved(list(self.catalogue.shows)[:2], 150),
                saved_episodes=saved(episode_ids[:3], 120),
                saved_audiobooks=saved([book_ids[0], book_ids[2]], 100),
                followed_artists=artist_ids[:8],
                playlists=[road_trip.id, focus.id, shared.id, top.id],
                top_artists=artist_ids[2:12],
                top_tracks=track_ids[:30],
            )
            player = self.players["alice"]
            first_book = self.catalogue.audiobooks[book_ids[0]].chapter_ids
            player.resume_points = {
                first_book[0]: ResumePoint(0, fully_played=True),
                first_book[1]: ResumePoint(0, fully_played=True),
                first_book[2]: ResumePoint(61_000),
            }
            context = uri("playlist", road_trip.id)
            now = self.clock.now()
            player.history = [Played(now - 600 * (n + 1), tracks[n], context) for n in range(10)]
            player.active = player.devices[0]
            player.load(context, index=3, position_ms=42_000, playing=True)
        if "bob" in self.libraries:
            self.libraries["bob"] = Library(
                saved_tracks=saved(track_ids[200:205], 50),
                saved_albums=saved(album_ids[1:2], 40),
                followed_artists=artist_ids[3:5],
                playlists=[jams.id, shared.id, top.id],
                top_artists=artist_ids[3:5],
                top_tracks=track_ids[200:205],
            )
            player = self.players["bob"]
            player.active = player.devices[1]
            player.load(uri("album", album_ids[1]), index=0, position_ms=5_000, playing=False)
        if "carol" in self.libraries:
            self.libraries["carol"].playlists = [empty.id]
