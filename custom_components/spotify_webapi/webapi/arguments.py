"""Caller-given values checked and spelled as Spotify takes them, before anything is sent."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from .errors import InvalidArgumentError
from .uris import PLAYABLE_TYPES, ItemType, SpotifyUri, to_spotify_uri

if TYPE_CHECKING:
    from collections.abc import Iterable

MIN_VOLUME: Final = 0
MAX_VOLUME: Final = 100
# Spotify's limit on `uris` of the /me/library endpoints.
LIBRARY_URIS_MAX: Final = 40

type UriLike = str | SpotifyUri


class SearchType(StrEnum):
    """What a search looks for."""

    TRACK = "track"
    ALBUM = "album"
    ARTIST = "artist"
    PLAYLIST = "playlist"
    SHOW = "show"
    EPISODE = "episode"
    AUDIOBOOK = "audiobook"


class TimeRange(StrEnum):
    """Over how long Spotify computes a user's top artists and tracks."""

    SHORT_TERM = "short_term"
    MEDIUM_TERM = "medium_term"
    LONG_TERM = "long_term"


class AlbumGroup(StrEnum):
    """How an album relates to an artist, to filter an artist's albums."""

    ALBUM = "album"
    SINGLE = "single"
    APPEARS_ON = "appears_on"
    COMPILATION = "compilation"


def positive_int(value: int, name: str) -> int:
    """``value`` if it is an integer of at least 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(f"{name} must be an integer of at least 1, got {value!r}")
    return value


def non_negative_int(value: int, name: str) -> int:
    """``value`` if it is an integer of at least 0."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(f"{name} must be an integer of at least 0, got {value!r}")
    return value


def volume_percent(value: int) -> int:
    """``value`` if it is a volume Spotify accepts (an integer from 0 to 100)."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not MIN_VOLUME <= value <= MAX_VOLUME
    ):
        raise InvalidArgumentError(
            f"volume_percent must be an integer from 0 to 100, got {value!r}"
        )
    return value


def device_id(value: str) -> str:
    """``value`` if it can name a device (a non-empty string)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(f"device_id must be a non-empty string, got {value!r}")
    return value.strip()


def device_params(device: str | None) -> dict[str, str]:
    """The ``device_id`` query of a player command; none targets the active device."""
    return {} if device is None else {"device_id": device_id(device)}


def offset_params(offset: int) -> dict[str, str]:
    """The ``offset`` query of a paged list."""
    return {"offset": str(non_negative_int(offset, "offset"))}


def member(value: str, enum: type[StrEnum], name: str) -> str:
    """``value`` if it is one of ``enum``'s values."""
    if value not in enum:
        allowed = ", ".join(item.value for item in enum)
        raise InvalidArgumentError(f"{name} must be one of {allowed}, got {value!r}")
    return str(value)


def comma_list(values: Iterable[str], enum: type[StrEnum], name: str) -> str:
    """Several values of ``enum`` as Spotify takes them: comma-separated, no repeats."""
    if isinstance(values, str):
        values = [values]
    chosen = list(dict.fromkeys(member(value, enum, name) for value in values))
    if not chosen:
        raise InvalidArgumentError(f"{name} must name at least one value")
    return ",".join(chosen)


def playable_uris(
    uris: UriLike | Iterable[UriLike], allowed: Iterable[ItemType] = PLAYABLE_TYPES
) -> list[str]:
    """Track, episode and chapter URIs (or only the ``allowed`` kinds), checked and canonical."""
    items = [uris] if isinstance(uris, (str, SpotifyUri)) else list(uris)
    if not items:
        raise InvalidArgumentError("uris must name at least one item to play")
    kinds = tuple(allowed)
    return [to_spotify_uri(item, *kinds).player_uri for item in items]


def library_uris(uris: UriLike | Iterable[UriLike], allowed: Iterable[ItemType]) -> str:
    """Up to 40 library URIs, checked, canonical and comma-separated (no repeats)."""
    items = [uris] if isinstance(uris, (str, SpotifyUri)) else list(uris)
    chosen = list(dict.fromkeys(to_spotify_uri(item, *allowed).uri for item in items))
    if not chosen:
        raise InvalidArgumentError("uris must name at least one item")
    if len(chosen) > LIBRARY_URIS_MAX:
        raise InvalidArgumentError(f"at most {LIBRARY_URIS_MAX} items at once")
    return ",".join(chosen)


def offset_object(offset: int | UriLike) -> dict[str, Any]:
    """Where in a context to start: a position, or the URI of an item in it."""
    if isinstance(offset, int):
        return {"position": non_negative_int(offset, "offset")}
    return {"uri": to_spotify_uri(offset, *PLAYABLE_TYPES).player_uri}


def query_params(**values: str | int | bool | None) -> dict[str, str]:
    """Query parameters as Spotify spells them; None leaves a parameter out."""
    params: dict[str, str] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            params[name] = "true" if value else "false"
        else:
            params[name] = str(value)
    return params
