"""Web API: creating playlists and adding items to them (the owner's and collaborators' right)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import params
from .catalogue import timestamp
from .gateway import caller
from .library import PlaylistEntry
from .responses import ApiError

if TYPE_CHECKING:
    from .simulator import SpotifySimulator

MODIFY_PUBLIC = "playlist-modify-public"
MODIFY_PRIVATE = "playlist-modify-private"
ADD_ITEMS_MAX = 100
SECONDS_PER_DAY = 86_400


class PlaylistEditRoutes:
    """POST /me/playlists and POST /playlists/{id}/items."""

    def __init__(self, sim: SpotifySimulator) -> None:
        """Edit `sim`'s playlists."""
        self._sim = sim
        self._created = 0

    def routes(self) -> list[web.RouteDef]:
        """The playlist-editing routes."""
        return [
            web.post("/v1/me/playlists", self.create),
            web.post("/v1/playlists/{id}/items", self.add_items),
        ]

    def _now(self) -> str:
        return timestamp(self._sim.clock.now() / SECONDS_PER_DAY)

    async def create(self, request: web.Request) -> web.Response:
        """Create an empty playlist; a private one needs playlist-modify-private."""
        body = await params.json_object(request) or {}
        name = body.get("name")
        if not isinstance(name, str) or not name:
            raise ApiError(400, "Missing required field: name")
        public = body.get("public", True)
        description = body.get("description", "")
        if not isinstance(public, bool) or not isinstance(description, str):
            raise ApiError(400, "Invalid playlist details")
        user = caller(request).require(MODIFY_PUBLIC if public else MODIFY_PRIVATE)
        world = self._sim.world
        self._created += 1
        playlist = world.add_playlist(
            f"created:{user.id}:{self._created}", name, user.id, [], public=public
        )
        playlist.description = description
        world.libraries[user.id].playlists.insert(0, playlist.id)
        body_out = self._sim.renderer().playlist(playlist, user.id)
        return web.json_response(body_out, status=201)

    async def add_items(self, request: web.Request) -> web.Response:
        """Insert tracks and episodes at `position` (default: the end); 403 for others' lists."""
        user = caller(request).require_any(MODIFY_PUBLIC, MODIFY_PRIVATE)
        playlist_id = params.catalogue_id(request)
        playlist = self._sim.world.playlists.get(playlist_id)
        if playlist is None:
            raise ApiError(404, "Resource not found")
        if not playlist.readable_by(user.id):
            raise ApiError(403, "You cannot add items to a playlist you don't own.")
        body = await params.json_object(request) or {}
        uris = _uris(request, body)
        position = body.get("position", request.query.get("position"))
        index = len(playlist.entries) if position is None else _position(position, playlist)
        catalogue = self._sim.world.catalogue
        if any(catalogue.playable(item) is None for item in uris):
            raise ApiError(400, "Payload contains a non-existing ID")
        added = [PlaylistEntry(item, self._now(), user.id) for item in uris]
        playlist.entries[index:index] = added
        playlist.version += 1
        return web.json_response({"snapshot_id": playlist.snapshot_id}, status=201)


def _uris(request: web.Request, body: dict[str, Any]) -> list[str]:
    """The query's `uris` win over the body's, as Spotify documents."""
    raw = request.query.get("uris")
    uris: object = raw.split(",") if raw is not None else body.get("uris")
    if not isinstance(uris, list) or not uris or not all(isinstance(u, str) for u in uris):
        raise ApiError(400, "No uris provided")
    if len(uris) > ADD_ITEMS_MAX:
        raise ApiError(400, f"Too many ids requested, at most {ADD_ITEMS_MAX}")
    return [str(item) for item in uris]


def _position(value: object, playlist: Any) -> int:
    try:
        index = int(str(value))
    except ValueError as err:
        raise ApiError(400, "Invalid position") from err
    if not 0 <= index <= len(playlist.entries):
        raise ApiError(400, "Index out of bounds")
    return index
