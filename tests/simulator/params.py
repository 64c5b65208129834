"""Query and body parameters, validated the way Spotify does (400 with a short message)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from .ids import is_spotify_id
from .responses import ApiError

if TYPE_CHECKING:
    from aiohttp import web

_MARKET = re.compile(r"[A-Z]{2}")


def integer(
    request: web.Request,
    name: str,
    *,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """An integer query parameter within bounds; missing without a default is a 400."""
    raw = request.query.get(name)
    if raw is None:
        if default is None:
            raise ApiError(400, f"Missing required field: {name}")
        return default
    try:
        value = int(raw)
    except ValueError as err:
        raise ApiError(400, f"Invalid {name}") from err
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ApiError(400, f"Invalid {name}")
    return value


def limit(request: web.Request, *, default: int = 20, maximum: int = 50, minimum: int = 1) -> int:
    """The page size (Spotify's bounds differ per endpoint)."""
    return integer(request, "limit", default=default, minimum=minimum, maximum=maximum)


def offset(request: web.Request, *, maximum: int | None = None) -> int:
    """The index of the first item of a page."""
    return integer(request, "offset", default=0, minimum=0, maximum=maximum)


def required(request: web.Request, name: str) -> str:
    """A query parameter that must be present and non-empty."""
    value = request.query.get(name, "")
    if not value:
        raise ApiError(400, f"Missing required field: {name}")
    return value


def market(request: web.Request) -> str | None:
    """An ISO 3166-1 alpha-2 market or "from_token"; anything else is a 400."""
    value = request.query.get("market")
    if value is not None and value != "from_token" and not _MARKET.fullmatch(value):
        raise ApiError(400, "Invalid market code")
    return value


def catalogue_id(request: web.Request, key: str = "id") -> str:
    """A path id that must look like a Spotify id."""
    value = request.match_info[key]
    if not is_spotify_id(value):
        raise ApiError(400, "Invalid base62 id")
    return value


def boolean(request: web.Request, name: str) -> bool:
    """A required true/false query parameter."""
    value = required(request, name)
    if value not in ("true", "false"):
        raise ApiError(400, f"Invalid {name}")
    return value == "true"


async def json_object(request: web.Request) -> dict[str, Any] | None:
    """The JSON object body, None when empty; malformed JSON is a 400."""
    raw = await request.read()
    if not raw.strip():
        return None
    try:
        body = json.loads(raw)
    except ValueError as err:
        raise ApiError(400, "Error parsing json") from err
    if not isinstance(body, dict):
        raise ApiError(400, "Error parsing json")
    return body
