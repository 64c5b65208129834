"""What AuthClient sends to the API: only to the API's origin, and a body it can send twice."""

from __future__ import annotations

import asyncio
import inspect
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from .errors import RequestBodyError

if TYPE_CHECKING:
    from collections.abc import Callable

type Origin = tuple[str, str, int | None]

DEFAULT_PORTS: Final = {"http": 80, "https": 443}
# Bodies that aiohttp sends the same way twice, so a retry after a 401 can resend them.
REPLAYABLE_BODIES: Final = (bytes, bytearray, memoryview, str, dict, list, tuple)


def origin(url: str) -> Origin:
    """Scheme, host and port (explicit or the scheme's default) of a URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or DEFAULT_PORTS.get(scheme)


def origin_text(where: Origin) -> str:
    """An origin as a URL prefix, for messages."""
    scheme, host, port = where
    return f"{scheme}://{host}:{port}" if port else f"{scheme}://{host}"


async def readable_once(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The request's options with a file body read into memory, so a retry can resend it.

    aiohttp reads a file body to its end and closes it: nothing would be left
    to send after a 401. Web API bodies are small (JSON, a cover image).
    """
    body = kwargs.get("data")
    read = getattr(body, "read", None)
    if body is None or isinstance(body, REPLAYABLE_BODIES) or not callable(read):
        return kwargs
    if inspect.iscoroutinefunction(read):
        return kwargs  # an async stream: sent once; a retry is refused
    return {**kwargs, "data": await asyncio.to_thread(read)}


def resender(kwargs: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    """How to send the same request again after a 401, without a consumed body.

    Bytes, strings and forms are sent again as they are (a file was read into
    bytes beforehand); any other stream is refused, since its content is gone.
    """
    body = kwargs.get("data")
    if body is None or isinstance(body, REPLAYABLE_BODIES):
        return lambda: kwargs

    def refused() -> dict[str, Any]:
        raise RequestBodyError(
            "the access token was refused, and the request body (a stream) cannot be "
            "sent again: pass bytes or a file to allow the retry"
        )

    return refused
