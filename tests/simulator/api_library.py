"""Web API: the signed-in user's library (saved items, follows, top items, playlists)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import params
from .gateway import caller
from .ids import parse_uri
from .library import FOLLOWED_KINDS, SAVED_KINDS
from .paging import cursor_page, offset_page
from .responses import ApiError

if TYPE_CHECKING:
    from collections.abc import Callable

    from .library import Library
    from .simulator import SpotifySimulator

READ = "user-library-read"
TIME_RANGES = ("short_term", "medium_term", "long_term")
LIBRARY_URIS_MAX = 40
_LIBRARY_KINDS = SAVED_KINDS + FOLLOWED_KINDS


class LibraryRoutes:
    """Handlers under /v1/me for the user's own collections."""

    def __init__(self, sim: SpotifySimulator) -> None:
        """Serve `sim`'s libraries."""
        self._sim = sim

    def routes(self) -> list[web.RouteDef]:
        """The library routes."""
        return [
            web.get("/v1/me/playlists", self.playlists),
            web.get("/v1/me/tracks", self.saved_tracks),
            web.get("/v1/me/albums", self.saved_albums),
            web.get("/v1/me/shows", self.saved_shows),
            web.get("/v1/me/episodes", self.saved_episodes),
            web.get("/v1/me/audiobooks", self.saved_audiobooks),
            web.get("/v1/me/following", self.following),
            web.get("/v1/me/top/{kind:artists|tracks}", self.top),
            web.put("/v1/me/library", self.save),
            web.delete("/v1/me/library", self.remove),
            web.get("/v1/me/library/contains", self.contains),
        ]

    def _library(self, request: web.Request, *scopes: str) -> tuple[str, Library]:
        user = caller(request).require_any(*scopes) if scopes else caller(request).require()
        return user.id, self._sim.world.libraries[user.id]

    def _page(
        self, request: web.Request, path: str, items: list[Any], render: Callable[[Any], Any]
    ) -> web.Response:
        limit, offset = params.limit(request), params.offset(request)
        extra = {"market": m} if (m := params.market(request)) else {}
        page = offset_page(
            items,
            render,
            base=f"{self._sim.api_url}{path}",
            offset=offset,
            limit=limit,
            params=extra,
        )
        return web.json_response(page)

    async def playlists(self, request: web.Request) -> web.Response:
        """GET /me/playlists: owned and followed playlists."""
        _, library = self._library(request, "playlist-read-private")
        renderer = self._sim.renderer()
        # A followed playlist its owner deleted stays in the list as a null entry.
        playlists = [self._sim.world.playlists.get(p) for p in library.playlists]
        return self._page(
            request, "/me/playlists", playlists, _or_null(renderer.simplified_playlist)
        )

    async def saved_tracks(self, request: web.Request) -> web.Response:
        """GET /me/tracks: SavedTrackObjects, newest first."""
        _, library = self._library(request, READ)
        renderer = self._sim.renderer()
        tracks = self._sim.world.catalogue.tracks
        return self._page(
            request,
            "/me/tracks",
            library.saved_tracks,
            lambda s: {"added_at": s.added_at, "track": renderer.track(tracks[s.id])},
        )

    async def saved_albums(self, request: web.Request) -> web.Response:
        """GET /me/albums: SavedAlbumObjects."""
        _, library = self._library(request, READ)
        renderer = self._sim.renderer()
        albums = self._sim.world.catalogue.albums
        return self._page(
            request,
            "/me/albums",
            library.saved_albums,
            # An album Spotify withdrew stays in the list as a null entry.
            lambda s: (
                {"added_at": s.added_at, "album": renderer.album(albums[s.id])}
                if s.id in albums
                else None
            ),
        )

    async def saved_shows(self, request: web.Request) -> web.Response:
        """GET /me/shows: SavedShowObjects."""
        _, library = self._library(request, READ)
        renderer = self._sim.renderer()
        shows = self._sim.world.catalogue.shows
        return self._page(
            request,
            "/me/shows",
            library.saved_shows,
            lambda s: {"added_at": s.added_at, "show": renderer.simplified_show(shows[s.id])},
        )

    async def saved_episodes(self, request: web.Request) -> web.Response:
        """GET /me/episodes: SavedEpisodeObjects."""
        _, library = self._library(request, READ, "user-read-playback-position")
        renderer = self._sim.renderer()
        episodes = self._sim.world.catalogue.episodes
        return self._page(
            request,
            "/me/episodes",
            library.saved_episodes,
            lambda s: {"added_at": s.added_at, "episode": renderer.episode(episodes[s.id])},
        )

    async def saved_audiobooks(self, request: web.Request) -> web.Response:
        """GET /me/audiobooks: the books themselves, without added_at.

        The definition says SavedAudiobookObjects; Spotify answers with the audiobooks
        (tests/fixtures/spotifyaio/2026/saved_audiobooks.json), and so does this.
        """
        user_id, library = self._library(request, READ)
        renderer = self._sim.renderer(self._sim.users[user_id])
        books = self._sim.world.catalogue.audiobooks
        return self._page(
            request,
            "/me/audiobooks",
            library.saved_audiobooks,
            lambda s: renderer.simplified_audiobook(books[s.id]),
        )

    async def following(self, request: web.Request) -> web.Response:
        """GET /me/following?type=artist: cursor-paged by artist id."""
        _, library = self._library(request, "user-follow-read")
        if params.required(request, "type") != "artist":
            raise ApiError(400, "Invalid type")
        limit = params.limit(request)
        followed = library.followed_artists
        after = request.query.get("after")
        start = followed.index(after) + 1 if after in followed else (0 if after is None else None)
        if start is None:
            raise ApiError(400, "Invalid after")
        renderer = self._sim.renderer()
        artists = self._sim.world.catalogue.artists
        page = cursor_page(
            followed[start:],
            lambda artist_id: renderer.artist(artists[artist_id]),
            lambda artist_id: artist_id,
            base=f"{self._sim.api_url}/me/following",
            limit=limit,
            params={"type": "artist"},
            next_param="after",
            total=len(followed),
            empty_cursors={"after": None},
        )
        return web.json_response({"artists": page})

    async def top(self, request: web.Request) -> web.Response:
        """GET /me/top/{artists|tracks}; each time range orders the items differently."""
        _, library = self._library(request, "user-top-read")
        kind = request.match_info["kind"]
        time_range = request.query.get("time_range", "medium_term")
        if time_range not in TIME_RANGES:
            raise ApiError(400, "Invalid time range")
        ids = library.top_artists if kind == "artists" else library.top_tracks
        shift = TIME_RANGES.index(time_range) - 1
        ordered = ids[shift:] + ids[:shift] if ids else []
        renderer = self._sim.renderer()
        catalogue = self._sim.world.catalogue
        render: Callable[[str], Any] = (
            (lambda i: renderer.artist(catalogue.artists[i]))
            if kind == "artists"
            else (lambda i: renderer.track(catalogue.tracks[i]))
        )
        limit, offset = params.limit(request), params.offset(request)
        page = offset_page(
            ordered,
            render,
            base=f"{self._sim.api_url}/me/top/{kind}",
            offset=offset,
            limit=limit,
            params={"time_range": time_range} if "time_range" in request.query else {},
        )
        return web.json_response(page)

    # --- /me/library (2026: one endpoint for saving and following) -----------------------

    def _uris(self, request: web.Request) -> list[tuple[str, str]]:
        values = [value for value in params.required(request, "uris").split(",") if value]
        if len(values) > LIBRARY_URIS_MAX:
            raise ApiError(400, f"Too many uris, at most {LIBRARY_URIS_MAX}")
        parsed = []
        for value in values:
            item = parse_uri(value)
            if item is None or item[0] not in _LIBRARY_KINDS:
                raise ApiError(400, f"Invalid uri: {value}")
            parsed.append(item)
        return parsed

    def _exists(self, kind: str, item_id: str) -> bool:
        world = self._sim.world
        tables: dict[str, dict[str, Any]] = {
            "track": world.catalogue.tracks,
            "album": world.catalogue.albums,
            "episode": world.catalogue.episodes,
            "show": world.catalogue.shows,
            "audiobook": world.catalogue.audiobooks,
            "artist": world.catalogue.artists,
            "playlist": world.playlists,
        }
        return item_id in tables[kind]

    async def save(self, request: web.Request) -> web.Response:
        """PUT /me/library?uris: save items, follow artists and playlists."""
        _, library = self._library(
            request, "user-library-modify", "user-follow-modify", "playlist-modify-public"
        )
        now = datetime.fromtimestamp(self._sim.clock.now(), UTC)
        items = self._uris(request)
        for kind, item_id in items:
            if not self._exists(kind, item_id):
                raise ApiError(400, f"Invalid uri: spotify:{kind}:{item_id}")
        for kind, item_id in items:
            library.add(kind, item_id, now.strftime("%Y-%m-%dT%H:%M:%SZ"))
        return web.Response(status=200)

    async def remove(self, request: web.Request) -> web.Response:
        """DELETE /me/library?uris: unsave and unfollow."""
        _, library = self._library(
            request, "user-library-modify", "user-follow-modify", "playlist-modify-public"
        )
        for kind, item_id in self._uris(request):
            library.remove(kind, item_id)
        return web.Response(status=200)

    async def contains(self, request: web.Request) -> web.Response:
        """GET /me/library/contains?uris: one boolean per URI."""
        _, library = self._library(request, READ, "user-follow-read", "playlist-read-private")
        return web.json_response([library.has(kind, i) for kind, i in self._uris(request)])


def _or_null[T](render: Callable[[T], Any]) -> Callable[[T | None], Any]:
    """Render an entry, or null where Spotify no longer has what the list refers to."""
    return lambda item: None if item is None else render(item)
