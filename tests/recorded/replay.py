"""Serve recorded Spotify answers over real HTTP, so the client reads them as it reads Spotify.

The recordings' links point at ``https://api.spotify.com/v1``; the server rewrites that
base to its own, as a proxy would, and changes nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web
from aiohttp.test_utils import TestServer

if TYPE_CHECKING:
    from types import TracebackType

RECORDINGS = Path(__file__).resolve().parent.parent / "fixtures"
SPOTIFY_API = "https://api.spotify.com/v1"


def recording(name: str) -> Any:
    """The JSON of one recorded answer, e.g. ``"spotifyaio/2026/playback_1.json"``."""
    return json.loads((RECORDINGS / name).read_text(encoding="utf-8"))


class ReplayServer:
    """Answers each Web API path with the recording assigned to it (404 otherwise)."""

    def __init__(self) -> None:
        """Nothing is assigned yet."""
        self._answers: dict[str, tuple[int, str, dict[str, str]]] = {}
        self._server: TestServer | None = None
        self.requests: list[str] = []

    @property
    def api_url(self) -> str:
        """The Web API base the client is pointed at."""
        assert self._server is not None
        return str(self._server.make_url("/v1"))

    def answer(
        self, path: str, name: str, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        """Answer ``GET /v1/<path>`` (any query) with the recording ``name``."""
        self._answers[path.strip("/")] = (status, name, headers or {})

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.match_info["path"].strip("/")
        self.requests.append(request.path_qs)
        if path not in self._answers:
            missing = {"error": {"status": 404, "message": "not recorded"}}
            return web.json_response(missing, status=404)
        status, name, headers = self._answers[path]
        body = (RECORDINGS / name).read_text(encoding="utf-8")
        return web.Response(
            status=status,
            headers=headers,
            text=body.replace(SPOTIFY_API, self.api_url),
            content_type="application/json",
        )

    async def __aenter__(self) -> Self:
        """Listen on an ephemeral loopback port."""
        app = web.Application()
        app.router.add_get("/v1/{path:.*}", self._handle)
        self._server = TestServer(app, host="127.0.0.1")
        await self._server.start_server()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop listening."""
        assert self._server is not None
        await self._server.close()
