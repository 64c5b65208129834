"""Per-user collections: saved items (audiobooks too), follows, top items, and playlists."""

from __future__ import annotations

from dataclasses import dataclass, field

from .ids import spotify_id

SAVED_KINDS = ("track", "album", "episode", "show", "audiobook")
FOLLOWED_KINDS = ("artist", "playlist")


@dataclass(frozen=True, slots=True)
class Saved:
    """An item in a user's library and when it was saved."""

    id: str
    added_at: str


@dataclass(frozen=True, slots=True)
class PlaylistEntry:
    """One playlist item: a track or episode URI, who added it and when."""

    uri: str
    added_at: str
    added_by: str


@dataclass(slots=True)
class Playlist:
    """A user's playlist; collaborators may read its items like the owner."""

    id: str
    name: str
    owner_id: str
    description: str
    public: bool
    collaborative: bool = False
    collaborators: set[str] = field(default_factory=set)
    entries: list[PlaylistEntry] = field(default_factory=list)
    followers: int = 0
    version: int = 1

    @property
    def snapshot_id(self) -> str:
        """Changes whenever the playlist does."""
        return spotify_id(f"snapshot:{self.id}:{self.version}") + "AAAAAA"

    def readable_by(self, user_id: str) -> bool:
        """Whether `user_id` may read the items (Spotify's 2026 rule: owner or collaborator)."""
        return user_id == self.owner_id or user_id in self.collaborators


@dataclass(slots=True)
class Library:
    """What one user saved and follows; lists are newest first, as Spotify returns them."""

    saved_tracks: list[Saved] = field(default_factory=list)
    saved_albums: list[Saved] = field(default_factory=list)
    saved_shows: list[Saved] = field(default_factory=list)
    saved_episodes: list[Saved] = field(default_factory=list)
    saved_audiobooks: list[Saved] = field(default_factory=list)
    followed_artists: list[str] = field(default_factory=list)
    playlists: list[str] = field(default_factory=list)
    top_artists: list[str] = field(default_factory=list)
    top_tracks: list[str] = field(default_factory=list)

    def _saved(self, kind: str) -> list[Saved]:
        lists = {
            "track": self.saved_tracks,
            "album": self.saved_albums,
            "episode": self.saved_episodes,
            "show": self.saved_shows,
            "audiobook": self.saved_audiobooks,
        }
        return lists[kind]

    def _follows(self, kind: str) -> list[str]:
        return self.followed_artists if kind == "artist" else self.playlists

    def has(self, kind: str, item_id: str) -> bool:
        """Whether an item is saved (or an artist or playlist followed)."""
        if kind in FOLLOWED_KINDS:
            return item_id in self._follows(kind)
        return any(entry.id == item_id for entry in self._saved(kind))

    def add(self, kind: str, item_id: str, added_at: str) -> None:
        """Save or follow an item (newest first); saving twice changes nothing."""
        if self.has(kind, item_id):
            return
        if kind in FOLLOWED_KINDS:
            self._follows(kind).insert(0, item_id)
        else:
            self._saved(kind).insert(0, Saved(item_id, added_at))

    def remove(self, kind: str, item_id: str) -> None:
        """Unsave or unfollow an item, if present."""
        if kind in FOLLOWED_KINDS:
            follows = self._follows(kind)
            if item_id in follows:
                follows.remove(item_id)
            return
        saved = self._saved(kind)
        saved[:] = [entry for entry in saved if entry.id != item_id]
