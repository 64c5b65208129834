"""Web API: catalogue objects (albums, artists, tracks, shows, episodes, books) and playlists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import params
from .gateway import caller
from .paging import offset_page
from .responses import ApiError

if TYPE_CHECKING:
    from .render import Renderer
    from .simulator import SpotifySimulator

ALBUM_GROUPS = ("album", "single", "appears_on", "compilation")


def _found[T](table: dict[str, T], item_id: str) -> T:
    item = table.get(item_id)
    if item is None:
        raise ApiError(404, "Resource not found")
    return item


class CatalogueRoutes:
    """GET handlers for catalogue objects and playlists."""

    def __init__(self, sim: SpotifySimulator) -> None:
        """Serve `sim`'s catalogue."""
        self._sim = sim

    def routes(self) -> list[web.RouteDef]:
        """The catalogue routes."""
        return [
            web.get("/v1/albums/{id}", self.album),
            web.get("/v1/albums/{id}/tracks", self.album_tracks),
            web.get("/v1/artists/{id}", self.artist),
            web.get("/v1/artists/{id}/albums", self.artist_albums),
            web.get("/v1/tracks/{id}", self.track),
            web.get("/v1/shows/{id}", self.show),
            web.get("/v1/shows/{id}/episodes", self.show_episodes),
            web.get("/v1/episodes/{id}", self.episode),
            web.get("/v1/audiobooks/{id}", self.audiobook),
            web.get("/v1/audiobooks/{id}/chapters", self.audiobook_chapters),
            web.get("/v1/chapters/{id}", self.chapter),
            web.get("/v1/playlists/{id}", self.playlist),
            web.get("/v1/playlists/{id}/items", self.playlist_items),
        ]

    def _lookup[T](self, request: web.Request, table: dict[str, T]) -> T:
        caller(request)  # any valid token, user or app, may read the catalogue
        params.market(request)
        return _found(table, params.catalogue_id(request))

    async def album(self, request: web.Request) -> web.Response:
        """GET /albums/{id}."""
        album = self._lookup(request, self._sim.world.catalogue.albums)
        return web.json_response(self._sim.renderer().album(album))

    async def album_tracks(self, request: web.Request) -> web.Response:
        """GET /albums/{id}/tracks."""
        album = self._lookup(request, self._sim.world.catalogue.albums)
        limit, offset = params.limit(request), params.offset(request)
        return web.json_response(self._sim.renderer().album_tracks(album, offset, limit))

    async def artist(self, request: web.Request) -> web.Response:
        """GET /artists/{id}."""
        artist = self._lookup(request, self._sim.world.catalogue.artists)
        return web.json_response(self._sim.renderer().artist(artist))

    async def artist_albums(self, request: web.Request) -> web.Response:
        """GET /artists/{id}/albums (2026: limit at most 10, default 5)."""
        artist = self._lookup(request, self._sim.world.catalogue.artists)
        limit = params.limit(request, default=5, maximum=10, minimum=0)
        offset = params.offset(request)
        raw_groups = request.query.get("include_groups")
        groups = ALBUM_GROUPS if raw_groups is None else tuple(raw_groups.split(","))
        if not set(groups) <= set(ALBUM_GROUPS):
            raise ApiError(400, "Invalid include_groups")
        renderer = self._sim.renderer()
        albums = self._sim.world.catalogue.albums
        discography = [renderer.discography_album(albums[a], artist.id) for a in artist.album_ids]
        selected = [album for album in discography if album["album_group"] in groups]
        extra = {} if raw_groups is None else {"include_groups": raw_groups}
        page = offset_page(
            selected,
            lambda album: album,
            base=f"{self._sim.api_url}/artists/{artist.id}/albums",
            offset=offset,
            limit=limit,
            params=extra,
        )
        return web.json_response(page)

    async def track(self, request: web.Request) -> web.Response:
        """GET /tracks/{id}."""
        track = self._lookup(request, self._sim.world.catalogue.tracks)
        return web.json_response(self._sim.renderer().track(track))

    async def show(self, request: web.Request) -> web.Response:
        """GET /shows/{id}."""
        show = self._lookup(request, self._sim.world.catalogue.shows)
        return web.json_response(self._sim.renderer().show(show))

    async def show_episodes(self, request: web.Request) -> web.Response:
        """GET /shows/{id}/episodes."""
        show = self._lookup(request, self._sim.world.catalogue.shows)
        limit, offset = params.limit(request), params.offset(request)
        return web.json_response(self._sim.renderer().show_episodes(show, offset, limit))

    async def episode(self, request: web.Request) -> web.Response:
        """GET /episodes/{id}."""
        episode = self._lookup(request, self._sim.world.catalogue.episodes)
        return web.json_response(self._sim.renderer().episode(episode))

    def _listener_renderer(self, request: web.Request) -> Renderer:
        """A renderer for the caller: a user sees their resume points, in their market."""
        market = params.market(request)
        return self._sim.renderer(caller(request).user, None if market == "from_token" else market)

    async def audiobook(self, request: web.Request) -> web.Response:
        """GET /audiobooks/{id}: the book and its first chapters."""
        book = self._lookup(request, self._sim.world.catalogue.audiobooks)
        return web.json_response(self._listener_renderer(request).audiobook(book))

    async def audiobook_chapters(self, request: web.Request) -> web.Response:
        """GET /audiobooks/{id}/chapters."""
        book = self._lookup(request, self._sim.world.catalogue.audiobooks)
        limit, offset = params.limit(request), params.offset(request)
        renderer = self._listener_renderer(request)
        return web.json_response(renderer.audiobook_chapters(book, offset, limit))

    async def chapter(self, request: web.Request) -> web.Response:
        """GET /chapters/{id}: the chapter and its book."""
        chapter = self._lookup(request, self._sim.world.catalogue.chapters)
        return web.json_response(self._listener_renderer(request).chapter(chapter))

    async def playlist(self, request: web.Request) -> web.Response:
        """GET /playlists/{id}: items only for the owner or a collaborator."""
        playlist = self._lookup(request, self._sim.world.playlists)
        user = caller(request).user
        body: dict[str, Any] = self._sim.renderer().playlist(playlist, user.id if user else "")
        return web.json_response(body)

    async def playlist_items(self, request: web.Request) -> web.Response:
        """GET /playlists/{id}/items: 403 unless the user owns or collaborates on it."""
        user = caller(request).require_any("playlist-read-private", "playlist-read-collaborative")
        playlist = self._lookup(request, self._sim.world.playlists)
        if not playlist.readable_by(user.id):
            raise ApiError(403, "Forbidden")
        limit, offset = params.limit(request), params.offset(request)
        return web.json_response(self._sim.renderer().playlist_items(playlist, offset, limit))
