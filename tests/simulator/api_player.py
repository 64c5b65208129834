"""Web API: the player (playback state, devices, commands, queue, recently played)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import params
from .gateway import caller
from .ids import parse_uri, uri
from .paging import cursor_page
from .player import REPEAT_STATES, Played
from .render import external_urls
from .responses import ApiError

if TYPE_CHECKING:
    from .player import Player
    from .render import Renderer
    from .simulator import SpotifySimulator

READ = "user-read-playback-state"
MODIFY = "user-modify-playback-state"
_CONTEXT_KINDS = ("album", "artist", "playlist", "show", "audiobook", "collection")
# What plays and queues: a chapter by its own URI, or the episode URI Spotify gives it.
_ITEM_KINDS = ("track", "episode", "chapter")


def _no_content() -> web.Response:
    return web.Response(status=204)


def played_at(seconds: float) -> str:
    """ISO 8601 with milliseconds, as Spotify writes played_at."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _context_uri(value: Any) -> str:
    parsed = parse_uri(value) if isinstance(value, str) else None
    if parsed is None or parsed[0] not in _CONTEXT_KINDS:
        raise ApiError(400, "Invalid context uri")
    return str(value)


def _item_uris(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ApiError(400, "uris must be a non-empty array")
    for item in value:
        parsed = parse_uri(item) if isinstance(item, str) else None
        if parsed is None or parsed[0] not in _ITEM_KINDS:
            raise ApiError(400, f"Invalid track uri: {item}")
    return [str(item) for item in value]


def _offset(value: Any) -> int | str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        position, item_uri = value.get("position"), value.get("uri")
        if isinstance(position, int) and not isinstance(position, bool) and item_uri is None:
            return position
        if isinstance(item_uri, str) and position is None:
            return item_uri
    raise ApiError(400, "Invalid offset")


class PlayerRoutes:
    """Handlers under /v1/me/player."""

    def __init__(self, sim: SpotifySimulator) -> None:
        """Serve `sim`'s players."""
        self._sim = sim

    def routes(self) -> list[web.RouteDef]:
        """The player routes."""
        base = "/v1/me/player"
        return [
            web.get(base, self.playback_state),
            web.put(base, self.transfer),
            web.get(f"{base}/devices", self.devices),
            web.get(f"{base}/currently-playing", self.currently_playing),
            web.put(f"{base}/play", self.play),
            web.put(f"{base}/pause", self.pause),
            web.post(f"{base}/next", self.skip_next),
            web.post(f"{base}/previous", self.skip_previous),
            web.put(f"{base}/seek", self.seek),
            web.put(f"{base}/repeat", self.repeat),
            web.put(f"{base}/volume", self.volume),
            web.put(f"{base}/shuffle", self.shuffle),
            web.get(f"{base}/queue", self.queue),
            web.post(f"{base}/queue", self.add_to_queue),
            web.get(f"{base}/recently-played", self.recently_played),
        ]

    def _player(self, request: web.Request, *scopes: str) -> Player:
        user = caller(request).require(*scopes)
        return self._sim.world.players[user.id]

    def _renderer(self, request: web.Request) -> Renderer:
        """A renderer for the caller, so playing chapters show their resume points."""
        return self._sim.renderer(caller(request).user)

    def _context(self, context_uri: str | None) -> dict[str, Any] | None:
        parsed = parse_uri(context_uri) if context_uri else None
        if parsed is None:
            return None
        kind, item_id = parsed
        if self._sim.world.catalogue.book(context_uri or "") is not None:
            kind = "show"  # Spotify's player calls a playing book a show
            context_uri = uri("show", item_id)
        if kind == "collection":
            # Liked Songs: Spotify links the owner's saved tracks, not a /collections endpoint.
            return {
                "type": kind,
                "href": f"{self._sim.api_url}/me/tracks",
                "external_urls": external_urls("collection", "tracks"),
                "uri": context_uri,
            }
        return {
            "type": kind,
            "href": f"{self._sim.api_url}/{kind}s/{item_id}",
            "external_urls": external_urls(kind, item_id),
            "uri": context_uri,
        }

    def _currently_playing(
        self, request: web.Request, player: Player, renderer: Renderer
    ) -> dict[str, Any] | None:
        params.market(request)
        playback = player.sync()
        if playback is None or player.active is None:
            return None
        episodic = ("spotify:episode:", "spotify:chapter:")
        # A chapter plays as an episode, item and all (playback_audiobook_1.json).
        kind = "episode" if playback.item_uri.startswith(episodic) else "track"
        wanted = request.query.get("additional_types", "").split(",")
        # Without additional_types=episode Spotify reports the type but no episode item.
        show_item = kind == "track" or "episode" in wanted
        return {
            "context": self._context(playback.context_uri),
            "timestamp": int(playback.changed_at * 1000),
            "progress_ms": int(playback.position_ms),
            "is_playing": playback.is_playing,
            "item": renderer.playable(playback.item_uri) if show_item else None,
            "currently_playing_type": kind,
            "actions": {"disallows": player.disallows()},
        }

    async def playback_state(self, request: web.Request) -> web.Response:
        """GET /me/player: 204 when nothing is playing anywhere."""
        player = self._player(request, READ)
        state = self._currently_playing(request, player, self._renderer(request))
        if state is None or player.active is None:
            return _no_content()
        body = {
            "device": player.active.render(active=True),
            "repeat_state": player.repeat,
            "shuffle_state": player.shuffle,
            "smart_shuffle": False,
            **state,
        }
        return web.json_response(body)

    async def currently_playing(self, request: web.Request) -> web.Response:
        """GET /me/player/currently-playing."""
        player = self._player(request, "user-read-currently-playing")
        state = self._currently_playing(request, player, self._renderer(request))
        return _no_content() if state is None else web.json_response(state)

    async def devices(self, request: web.Request) -> web.Response:
        """GET /me/player/devices."""
        player = self._player(request, READ)
        devices = [device.render(active=device is player.active) for device in player.listed()]
        return web.json_response({"devices": devices})

    async def transfer(self, request: web.Request) -> web.Response:
        """PUT /me/player {device_ids: [id], play?}."""
        player = self._player(request, MODIFY)
        body = await params.json_object(request) or {}
        device_ids = body.get("device_ids")
        if not isinstance(device_ids, list) or not device_ids:
            raise ApiError(400, "Missing required field: device_ids")
        if len(device_ids) > 1:
            raise ApiError(400, "Only one device_id is supported")
        play = body.get("play")
        if not isinstance(device_ids[0], str) or not isinstance(play, bool | None):
            raise ApiError(400, "Invalid request body")
        player.transfer(device_ids[0], play=play)
        return _no_content()

    async def play(self, request: web.Request) -> web.Response:
        """PUT /me/player/play: start a context or URIs, or resume."""
        player = self._player(request, MODIFY)
        body = await params.json_object(request) or {}
        context_uri = body.get("context_uri")
        uris = body.get("uris")
        position_ms = body.get("position_ms")
        if position_ms is not None and (
            not isinstance(position_ms, int) or isinstance(position_ms, bool) or position_ms < 0
        ):
            raise ApiError(400, "Invalid position_ms")
        player.play(
            request.query.get("device_id"),
            context_uri=None if context_uri is None else _context_uri(context_uri),
            uris=None if uris is None else _item_uris(uris),
            offset=_offset(body.get("offset")),
            position_ms=position_ms,
        )
        return _no_content()

    async def pause(self, request: web.Request) -> web.Response:
        """PUT /me/player/pause."""
        self._player(request, MODIFY).pause(request.query.get("device_id"))
        return _no_content()

    async def skip_next(self, request: web.Request) -> web.Response:
        """POST /me/player/next."""
        self._player(request, MODIFY).next(request.query.get("device_id"))
        return _no_content()

    async def skip_previous(self, request: web.Request) -> web.Response:
        """POST /me/player/previous."""
        self._player(request, MODIFY).previous(request.query.get("device_id"))
        return _no_content()

    async def seek(self, request: web.Request) -> web.Response:
        """PUT /me/player/seek?position_ms."""
        player = self._player(request, MODIFY)
        position_ms = params.integer(request, "position_ms", minimum=0)
        player.seek(request.query.get("device_id"), position_ms)
        return _no_content()

    async def repeat(self, request: web.Request) -> web.Response:
        """PUT /me/player/repeat?state=track|context|off."""
        player = self._player(request, MODIFY)
        state = params.required(request, "state")
        if state not in REPEAT_STATES:
            raise ApiError(400, "State must be one of track, context or off")
        player.set_repeat(request.query.get("device_id"), state)
        return _no_content()

    async def volume(self, request: web.Request) -> web.Response:
        """PUT /me/player/volume?volume_percent=0..100."""
        player = self._player(request, MODIFY)
        volume = params.integer(request, "volume_percent", minimum=0, maximum=100)
        player.set_volume(request.query.get("device_id"), volume)
        return _no_content()

    async def shuffle(self, request: web.Request) -> web.Response:
        """PUT /me/player/shuffle?state=true|false."""
        player = self._player(request, MODIFY)
        state = params.boolean(request, "state")
        player.set_shuffle(request.query.get("device_id"), state=state)
        return _no_content()

    async def queue(self, request: web.Request) -> web.Response:
        """GET /me/player/queue: the current item and what follows."""
        user = caller(request).require_any("user-read-currently-playing", READ)
        player = self._sim.world.players[user.id]
        renderer = self._renderer(request)
        playback = player.sync()
        current = None if playback is None else renderer.playable(playback.item_uri)
        upcoming = [renderer.playable(item) for item in player.upcoming()]
        return web.json_response({"currently_playing": current, "queue": upcoming})

    async def add_to_queue(self, request: web.Request) -> web.Response:
        """POST /me/player/queue?uri."""
        player = self._player(request, MODIFY)
        item_uri = params.required(request, "uri")
        parsed = parse_uri(item_uri)
        if parsed is None or parsed[0] not in _ITEM_KINDS:
            raise ApiError(400, "Invalid track uri")
        player.add_to_queue(request.query.get("device_id"), item_uri)
        return _no_content()

    async def recently_played(self, request: web.Request) -> web.Response:
        """GET /me/player/recently-played: newest first, paged with before/after cursors."""
        player = self._player(request, "user-read-recently-played")
        limit = params.limit(request)
        if "after" in request.query and "before" in request.query:
            raise ApiError(400, "Only one of after or before may be given")
        history = player.history
        if "before" in request.query:
            before = params.integer(request, "before", minimum=0)
            history = [p for p in history if p.played_at * 1000 < before]
        elif "after" in request.query:
            after = params.integer(request, "after", minimum=0)
            history = [p for p in history if p.played_at * 1000 > after]
        renderer = self._sim.renderer()

        def render(played: Played) -> dict[str, Any]:
            return {
                "track": renderer.playable(played.uri),
                "played_at": played_at(played.played_at),
                "context": self._context(played.context_uri),
            }

        page = cursor_page(
            history,
            render,
            lambda played: str(int(played.played_at * 1000)),
            base=f"{self._sim.api_url}/me/player/recently-played",
            limit=limit,
            params={},
            next_param="before",
        )
        return web.json_response(page)
