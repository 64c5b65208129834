"""Catalogue and playlist objects rendered as the Web API's JSON objects."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from .artwork import images
from .ids import parse_uri, uri
from .paging import offset_page

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .catalogue import Album, Artist, Audiobook, Catalogue, Chapter, Episode, Show, Track
    from .library import Playlist, PlaylistEntry
    from .player import ResumePoint
    from .users import User

MARKETS = ["CA", "DE", "FR", "GB", "SE", "US"]
ALBUM_TRACKS_EMBEDDED = 50
PLAYLIST_ITEMS_EMBEDDED = 100
SHOW_EPISODES_EMBEDDED = 50
BOOK_CHAPTERS_EMBEDDED = 50


def external_urls(kind: str, item_id: str) -> dict[str, str]:
    """The open.spotify.com link."""
    return {"spotify": f"https://open.spotify.com/{kind}/{item_id}"}


def _digits(seed: str, count: int) -> str:
    """`count` stable decimal digits derived from `seed`."""
    number = int(hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest(), 16)
    return f"{number % 10**count:0{count}d}"


class Renderer:
    """Turns catalogue records into JSON objects with hrefs on the simulator's own URL."""

    def __init__(
        self,
        api_url: str,
        catalogue: Catalogue,
        users: dict[str, User],
        playlists: dict[str, Playlist],
        *,
        resume_points: Mapping[str, ResumePoint] | None = None,
        market: str | None = None,
    ) -> None:
        """Render with hrefs under `api_url`, for a listener with `resume_points` in `market`."""
        self.api_url = api_url
        self.resume_points = resume_points or {}
        self.market = market
        # Artwork is served by the simulator itself, beside the Web API.
        self.base_url = api_url.removesuffix("/v1")
        self.catalogue = catalogue
        self.users = users
        self.playlists = playlists

    def _base(self, kind: str, item_id: str) -> dict[str, Any]:
        return {
            "external_urls": external_urls(kind, item_id),
            "href": f"{self.api_url}/{kind}s/{item_id}",
            "id": item_id,
            "type": kind,
            "uri": uri(kind, item_id),
        }

    # --- artists ------------------------------------------------------------------------

    def simplified_artist(self, artist: Artist) -> dict[str, Any]:
        """SimplifiedArtistObject."""
        return {**self._base("artist", artist.id), "name": artist.name}

    def artist(self, artist: Artist) -> dict[str, Any]:
        """ArtistObject."""
        return {
            **self.simplified_artist(artist),
            "followers": {"href": None, "total": artist.followers},
            "genres": list(artist.genres),
            "images": images(self.base_url, "artist", artist.id),
            "popularity": artist.popularity,
        }

    def _artists(self, artist_ids: tuple[str, ...]) -> list[dict[str, Any]]:
        return [self.simplified_artist(self.catalogue.artists[a]) for a in artist_ids]

    # --- albums -------------------------------------------------------------------------

    def simplified_album(self, album: Album) -> dict[str, Any]:
        """SimplifiedAlbumObject."""
        return {
            **self._base("album", album.id),
            "album_type": album.album_type,
            "total_tracks": len(album.track_ids),
            "available_markets": MARKETS,
            "images": images(self.base_url, "album", album.id),
            "name": album.name,
            "release_date": album.release_date,
            "release_date_precision": "day",
            "artists": self._artists(album.artist_ids),
        }

    def discography_album(self, album: Album, artist_id: str) -> dict[str, Any]:
        """ArtistDiscographyAlbumObject: how the album relates to the artist."""
        group = album.album_type if album.artist_ids[0] == artist_id else "appears_on"
        return {**self.simplified_album(album), "album_group": group}

    def album_tracks(self, album: Album, offset: int, limit: int) -> dict[str, Any]:
        """Paging of SimplifiedTrackObject."""
        tracks = [self.catalogue.tracks[t] for t in album.track_ids]
        return offset_page(
            tracks,
            self.simplified_track,
            base=f"{self.api_url}/albums/{album.id}/tracks",
            offset=offset,
            limit=limit,
        )

    def album(self, album: Album) -> dict[str, Any]:
        """AlbumObject, with the first tracks embedded."""
        lead = self.catalogue.artists[album.artist_ids[0]]
        year = album.release_date[:4]
        return {
            **self.simplified_album(album),
            "tracks": self.album_tracks(album, 0, ALBUM_TRACKS_EMBEDDED),
            "copyrights": [
                {"text": f"© {year} {album.label}", "type": "C"},
                {"text": f"℗ {year} {album.label}", "type": "P"},
            ],
            "external_ids": {"upc": _digits(album.id, 12)},
            "genres": list(lead.genres),
            "label": album.label,
            "popularity": album.popularity,
        }

    # --- tracks -------------------------------------------------------------------------

    def simplified_track(self, track: Track) -> dict[str, Any]:
        """SimplifiedTrackObject."""
        return {
            **self._base("track", track.id),
            "artists": self._artists(track.artist_ids),
            "available_markets": MARKETS,
            "disc_number": 1,
            "duration_ms": track.duration_ms,
            "explicit": track.explicit,
            "is_local": False,
            "is_playable": True,
            "name": track.name,
            "preview_url": None,
            "track_number": track.track_number,
        }

    def track(self, track: Track) -> dict[str, Any]:
        """TrackObject."""
        album = self.catalogue.albums[track.album_id]
        return {
            **self.simplified_track(track),
            "album": self.simplified_album(album),
            "external_ids": {"isrc": "QZSIM" + _digits(track.id, 7)},
            "popularity": track.popularity,
        }

    # --- shows and episodes -------------------------------------------------------------

    def simplified_show(self, show: Show) -> dict[str, Any]:
        """SimplifiedShowObject."""
        description = f"{show.name}, a simulated podcast by {show.publisher}."
        return {
            **self._base("show", show.id),
            "available_markets": MARKETS,
            "copyrights": [],
            "description": description,
            "html_description": f"<p>{description}</p>",
            "explicit": False,
            "images": images(self.base_url, "show", show.id),
            "is_externally_hosted": False,
            "languages": ["en"],
            "media_type": "audio",
            "name": show.name,
            "publisher": show.publisher,
            "total_episodes": len(show.episode_ids),
        }

    def show_episodes(self, show: Show, offset: int, limit: int) -> dict[str, Any]:
        """Paging of SimplifiedEpisodeObject, newest first."""
        episodes = [self.catalogue.episodes[e] for e in show.episode_ids]
        return offset_page(
            episodes,
            self.simplified_episode,
            base=f"{self.api_url}/shows/{show.id}/episodes",
            offset=offset,
            limit=limit,
        )

    def show(self, show: Show) -> dict[str, Any]:
        """ShowObject, with the newest episodes embedded."""
        return {
            **self.simplified_show(show),
            "episodes": self.show_episodes(show, 0, SHOW_EPISODES_EMBEDDED),
        }

    def simplified_episode(self, episode: Episode) -> dict[str, Any]:
        """SimplifiedEpisodeObject."""
        description = f"Episode of {self.catalogue.shows[episode.show_id].name}."
        return {
            **self._base("episode", episode.id),
            "audio_preview_url": None,
            "description": description,
            "html_description": f"<p>{description}</p>",
            "duration_ms": episode.duration_ms,
            "explicit": False,
            "images": images(self.base_url, "episode", episode.id),
            "is_externally_hosted": False,
            "is_playable": True,
            "language": "en",
            "languages": ["en"],
            "name": episode.name,
            "release_date": episode.release_date,
            "release_date_precision": "day",
            "resume_point": {"fully_played": False, "resume_position_ms": 0},
        }

    def episode(self, episode: Episode) -> dict[str, Any]:
        """EpisodeObject."""
        show = self.catalogue.shows[episode.show_id]
        return {**self.simplified_episode(episode), "show": self.simplified_show(show)}

    # --- audiobooks and chapters (shaped as Spotify sends them, see tests/fixtures) ------

    def _credits(self, book: Audiobook) -> tuple[str, str]:
        """A book's description and HTML description: Spotify opens both with the credits."""
        authors, narrators = ", ".join(book.authors), ", ".join(book.narrators)
        blurb = f"{book.name}, a simulated audiobook."
        return (
            f"Author(s): {authors} Narrator(s): {narrators} <p>{blurb}</p>",
            f"Author(s): {authors}<br/>Narrator(s): {narrators}<br/><p>{blurb}</p>",
        )

    def simplified_audiobook(self, book: Audiobook) -> dict[str, Any]:
        """SimplifiedAudiobookObject; Spotify gives a book a show URI and link."""
        description, html = self._credits(book)
        return {
            "authors": [{"name": name} for name in book.authors],
            "available_markets": list(book.markets),
            "copyrights": [{"text": f"© 2024 {book.authors[0]}", "type": "C"}],
            "description": description,
            "html_description": html,
            "edition": "Unabridged",
            "explicit": False,
            "external_urls": external_urls("show", book.id),
            "href": f"{self.api_url}/audiobooks/{book.id}",
            "id": book.id,
            "images": images(self.base_url, "audiobook", book.id),
            "languages": ["en"],
            "media_type": "audio",
            "name": book.name,
            "narrators": [{"name": name} for name in book.narrators],
            "publisher": book.authors[0],
            "total_chapters": len(book.chapter_ids),
            "type": "audiobook",
            "uri": uri("show", book.id),
        }

    def audiobook_chapters(self, book: Audiobook, offset: int, limit: int) -> dict[str, Any]:
        """Paging of SimplifiedChapterObject, in the book's order."""
        chapters = [self.catalogue.chapters[c] for c in book.chapter_ids]
        return offset_page(
            chapters,
            self.simplified_chapter,
            base=f"{self.api_url}/audiobooks/{book.id}/chapters",
            offset=offset,
            limit=limit,
        )

    def audiobook(self, book: Audiobook) -> dict[str, Any]:
        """AudiobookObject, with the first chapters embedded."""
        return {
            **self.simplified_audiobook(book),
            "chapters": self.audiobook_chapters(book, 0, BOOK_CHAPTERS_EMBEDDED),
        }

    def _resume_point(self, chapter: Chapter) -> dict[str, Any]:
        point = self.resume_points.get(chapter.id)
        if point is None:
            return {"fully_played": False, "resume_position_ms": 0}
        return {"fully_played": point.fully_played, "resume_position_ms": point.position_ms}

    def simplified_chapter(self, chapter: Chapter) -> dict[str, Any]:
        """SimplifiedChapterObject: `type` chapter but an episode URI, as Spotify sends it."""
        book = self.catalogue.audiobooks[chapter.audiobook_id]
        body: dict[str, Any] = {
            "audio_preview_url": None,
            "available_markets": list(book.markets),
            "chapter_number": chapter.number,
            "description": "",
            "html_description": "",
            "duration_ms": chapter.duration_ms,
            "explicit": False,
            "external_urls": external_urls("episode", chapter.id),
            "href": f"{self.api_url}/chapters/{chapter.id}",
            "id": chapter.id,
            "images": images(self.base_url, "audiobook", book.id),
            "is_playable": book.available_in(self.market),
            "languages": ["en"],
            "name": chapter.name,
            "release_date": "2024-03-01",
            "release_date_precision": "day",
            "resume_point": self._resume_point(chapter),
            "type": "chapter",
            "uri": uri("episode", chapter.id),
        }
        if not book.available_in(self.market):
            body["restrictions"] = {"reason": "market"}
        return body

    def chapter(self, chapter: Chapter) -> dict[str, Any]:
        """ChapterObject, with its book."""
        book = self.catalogue.audiobooks[chapter.audiobook_id]
        return {**self.simplified_chapter(chapter), "audiobook": self.simplified_audiobook(book)}

    def book_as_show(self, book: Audiobook) -> dict[str, Any]:
        """The book as Spotify's player shows a playing chapter's `show`.

        No episode count and no hosting flag; the credits open the description and the
        first author is the publisher (playback_audiobook_1.json).
        """
        description, html = self._credits(book)
        return {
            "available_markets": list(book.markets),
            "copyrights": [],
            "description": description,
            "explicit": False,
            "external_urls": external_urls("show", book.id),
            "href": f"{self.api_url}/shows/{book.id}",
            "html_description": html.replace("<br/>", "").replace("<", "&lt;"),
            "id": book.id,
            "images": images(self.base_url, "audiobook", book.id),
            "is_externally_hosted": None,
            "languages": ["en"],
            "media_type": "audio",
            "name": book.name,
            "publisher": book.authors[0],
            "total_episodes": None,
            "type": "show",
            "uri": uri("show", book.id),
        }

    def chapter_as_episode(self, chapter: Chapter) -> dict[str, Any]:
        """A chapter as Spotify's player and queue report it: an episode of its book."""
        book = self.catalogue.audiobooks[chapter.audiobook_id]
        return {
            **self._base("episode", chapter.id),
            "audio_preview_url": None,
            "description": "",
            "duration_ms": chapter.duration_ms,
            "explicit": False,
            "html_description": "",
            "images": images(self.base_url, "audiobook", book.id),
            "is_externally_hosted": False,
            "is_playable": book.available_in(self.market),
            "language": "",
            "languages": [""],
            "name": chapter.name,
            "release_date": "0000",
            "release_date_precision": "year",
            "resume_point": self._resume_point(chapter),
            "show": self.book_as_show(book),
        }

    def playable(self, item_uri: str) -> dict[str, Any]:
        """The full TrackObject or EpisodeObject a URI names (a chapter as an episode)."""
        chapter = self.catalogue.chapter(item_uri)
        if chapter is not None:
            return self.chapter_as_episode(chapter)
        parsed = parse_uri(item_uri)
        if parsed is not None and parsed[0] == "episode":
            return self.episode(self.catalogue.episodes[parsed[1]])
        if parsed is None or parsed[0] != "track":
            raise LookupError(item_uri)
        return self.track(self.catalogue.tracks[parsed[1]])

    # --- playlists ----------------------------------------------------------------------

    def playlist_user(self, user_id: str) -> dict[str, Any]:
        """PlaylistUserObject."""
        return {
            "external_urls": external_urls("user", user_id),
            "href": f"{self.api_url}/users/{user_id}",
            "id": user_id,
            "type": "user",
            "uri": uri("user", user_id),
        }

    def owner(self, user_id: str) -> dict[str, Any]:
        """PlaylistOwnerObject."""
        user = self.users.get(user_id)
        return {**self.playlist_user(user_id), "display_name": user.display_name if user else None}

    def _playlist_base(self, playlist: Playlist) -> dict[str, Any]:
        return {
            **self._base("playlist", playlist.id),
            "collaborative": playlist.collaborative,
            "description": playlist.description,
            "images": images(self.base_url, "playlist", playlist.id, (640,))
            if playlist.entries
            else [],
            "name": playlist.name,
            "owner": self.owner(playlist.owner_id),
            "public": playlist.public,
            "snapshot_id": playlist.snapshot_id,
        }

    def simplified_playlist(self, playlist: Playlist) -> dict[str, Any]:
        """SimplifiedPlaylistObject (2026: `items` replaces `tracks`)."""
        return {
            **self._playlist_base(playlist),
            "items": {
                "href": f"{self.api_url}/playlists/{playlist.id}/items",
                "total": len(playlist.entries),
            },
        }

    def playlist_items(self, playlist: Playlist, offset: int, limit: int) -> dict[str, Any]:
        """Paging of PlaylistTrackObject."""
        return offset_page(
            playlist.entries,
            self.playlist_entry,
            base=f"{self.api_url}/playlists/{playlist.id}/items",
            offset=offset,
            limit=limit,
        )

    def playlist(self, playlist: Playlist, viewer: str) -> dict[str, Any]:
        """PlaylistObject; items only for the owner or a collaborator (Spotify's 2026 rule)."""
        body = {
            **self._playlist_base(playlist),
            "followers": {"href": None, "total": playlist.followers},
        }
        if playlist.readable_by(viewer):
            body["items"] = self.playlist_items(playlist, 0, PLAYLIST_ITEMS_EMBEDDED)
        return body

    def playlist_entry(self, entry: PlaylistEntry) -> dict[str, Any]:
        """PlaylistTrackObject (2026: `item` replaces `track`)."""
        return {
            "added_at": entry.added_at,
            "added_by": self.playlist_user(entry.added_by),
            "is_local": False,
            "item": self.playable(entry.uri),
        }
