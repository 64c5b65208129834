"""Test controls over HTTP, for what a real Home Assistant does to the world (a wake-up signal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from .simulator import SpotifySimulator

WAKE_PATH = "/sim/devices/wake"


class ControlRoutes:
    """Handlers outside the Web API (no token needed: they stand for the physical world)."""

    def __init__(self, sim: SpotifySimulator) -> None:
        """Control `sim`."""
        self._sim = sim

    def routes(self) -> list[web.RouteDef]:
        """The control routes."""
        return [web.post(WAKE_PATH, self.wake)]

    async def wake(self, request: web.Request) -> web.Response:
        """POST {device, user?, after?}: the device wakes `after` seconds from now."""
        body = await request.json()
        if not isinstance(body, dict) or not isinstance(body.get("device"), str):
            raise web.HTTPBadRequest(text="device (a name) is required")
        after = body.get("after", 0)
        user = body.get("user")
        if not isinstance(after, int | float) or not isinstance(user, str | None):
            raise web.HTTPBadRequest(text="after must be seconds, user a user id")
        try:
            self._sim.wake_device(body["device"], after=float(after), user_id=user)
        except KeyError as err:
            raise web.HTTPNotFound(text="no such user or device") from err
        return web.Response(status=204)
