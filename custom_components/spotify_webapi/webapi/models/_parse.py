"""Tolerant readers of Spotify JSON: a missing, null or mistyped field reads as "unknown".

Spotify omits fields (``product`` on ``/me``), sends ``null`` (a device's ``id``)
and adds new ones at will; models read every field through these helpers so that
no KeyError or TypeError can escape from parsing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from custom_components.spotify_webapi.webapi.errors import SpotifyResponseError

type JsonObject = Mapping[str, Any]


def expect_object(value: object, what: str) -> JsonObject:
    """Return ``value`` as a JSON object, or raise SpotifyResponseError naming ``what``."""
    if not isinstance(value, Mapping):
        raise SpotifyResponseError(f"expected a JSON object for {what}, got {type(value).__name__}")
    return value


def get_object(data: JsonObject, key: str) -> JsonObject | None:
    """The nested JSON object at ``key``, if there is one."""
    value = data.get(key)
    return value if isinstance(value, Mapping) else None


def get_str(data: JsonObject, key: str) -> str | None:
    """The string at ``key``, if there is one."""
    value = data.get(key)
    return value if isinstance(value, str) else None


def get_int(data: JsonObject, key: str) -> int | None:
    """The integer at ``key`` (an integral float counts), if there is one."""
    value = data.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def get_position(data: JsonObject, key: str) -> int | None:
    """A number counted from 1 (track, disc); Spotify's 0 for local files means unknown."""
    value = get_int(data, key)
    return value if value is not None and value > 0 else None


def get_name(data: JsonObject, key: str = "name") -> str | None:
    """A display name; the empty name Spotify gives a local file's album means none."""
    return get_str(data, key) or None


def get_restriction(data: JsonObject) -> str | None:
    """Why Spotify will not play an item here (``restrictions.reason``), if it says so."""
    restrictions = get_object(data, "restrictions")
    if restrictions is None:
        return None
    # An object without a reason still says the item is restricted.
    return get_str(restrictions, "reason") or "unknown"


def get_bool(data: JsonObject, key: str, default: bool = False) -> bool:
    """The boolean at ``key``, or ``default`` (Spotify's meaning of an absent flag)."""
    value = data.get(key)
    return value if isinstance(value, bool) else default


def get_optional_bool(data: JsonObject, key: str) -> bool | None:
    """The boolean at ``key``, or None when Spotify did not say."""
    value = data.get(key)
    return value if isinstance(value, bool) else None


def get_strs(data: JsonObject, key: str) -> tuple[str, ...]:
    """The strings of the array at ``key`` (anything else in it is dropped)."""
    value = data.get(key)
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def get_objects[T](
    data: JsonObject, key: str, parse: Callable[[JsonObject], T | None]
) -> tuple[T, ...]:
    """The array at ``key`` parsed item by item; nulls and non-objects in it are dropped."""
    value = data.get(key)
    if not isinstance(value, list):
        return ()
    parsed = (parse(item) for item in value if isinstance(item, Mapping))
    return tuple(item for item in parsed if item is not None)


def get_nested[T](data: JsonObject, key: str, parse: Callable[[JsonObject], T]) -> T | None:
    """The object at ``key`` parsed with ``parse``, or None when there is none."""
    value = get_object(data, key)
    return None if value is None else parse(value)


def get_datetime(data: JsonObject, key: str) -> datetime | None:
    """The ISO 8601 timestamp at ``key`` (UTC when it names no zone), if it is one."""
    value = get_str(data, key)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    # Spotify's timestamps are UTC; a bare date or zone-less time means UTC too.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def get_external_url(data: JsonObject) -> str | None:
    """The open.spotify.com link of an object (``external_urls.spotify``)."""
    urls = get_object(data, "external_urls")
    return None if urls is None else get_str(urls, "spotify")
