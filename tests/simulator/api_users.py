"""Web API: user profiles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from .gateway import caller
from .responses import ApiError

if TYPE_CHECKING:
    from .simulator import SpotifySimulator


class UserRoutes:
    """GET /me and GET /users/{id}."""

    def __init__(self, sim: SpotifySimulator) -> None:
        """Serve `sim`'s users."""
        self._sim = sim

    def routes(self) -> list[web.RouteDef]:
        """The profile routes."""
        return [web.get("/v1/me", self.me), web.get("/v1/users/{user_id}", self.user)]

    async def me(self, request: web.Request) -> web.Response:
        """The signed-in user's private profile."""
        who = caller(request)
        user = who.require()
        return web.json_response(
            user.private(self._sim.api_url, set(who.scope), omit_product=self._sim.omit_product)
        )

    async def user(self, request: web.Request) -> web.Response:
        """Anyone's public profile."""
        caller(request).require()
        user = self._sim.users.get(request.match_info["user_id"])
        if user is None:
            raise ApiError(404, "Resource not found")
        return web.json_response(user.public(self._sim.api_url))
