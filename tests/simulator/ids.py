"""Spotify ids and URIs: deterministic 22-character base62 ids derived from a name."""

from __future__ import annotations

import hashlib
import re

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ID = re.compile(r"[0-9A-Za-z]{22}")
_URI = re.compile(
    r"spotify:(track|episode|album|artist|playlist|show|audiobook|chapter|user):([0-9A-Za-z]{1,64})"
)
# A user's Liked Songs as a playback context (Spotify reports its type as "collection").
_COLLECTION = re.compile(r"spotify:user:([0-9A-Za-z]{1,64}):collection")


def spotify_id(seed: str) -> str:
    """A stable base62 id for `seed` (the same seed always gives the same id)."""
    number = int.from_bytes(hashlib.sha256(seed.encode()).digest()[:17], "big")
    digits = []
    for _ in range(22):
        number, digit = divmod(number, 62)
        digits.append(_BASE62[digit])
    return "".join(digits)


def is_spotify_id(value: str) -> bool:
    """Whether `value` has the shape of a Spotify id."""
    return _ID.fullmatch(value) is not None


def uri(kind: str, item_id: str) -> str:
    """spotify:<kind>:<id>."""
    return f"spotify:{kind}:{item_id}"


def collection_uri(user_id: str) -> str:
    """spotify:user:<id>:collection, the URI of a user's Liked Songs."""
    return f"spotify:user:{user_id}:collection"


def parse_uri(value: str) -> tuple[str, str] | None:
    """(kind, id) of a Spotify URI, or None; Liked Songs parse as ("collection", user id)."""
    if (collection := _COLLECTION.fullmatch(value)) is not None:
        return "collection", collection.group(1)
    match = _URI.fullmatch(value)
    if match is None:
        return None
    kind, item_id = match.group(1), match.group(2)
    if kind != "user" and not is_spotify_id(item_id):
        return None  # only user ids are free-form
    return kind, item_id
