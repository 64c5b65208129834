"""The search action: Spotify's catalog by name, answered compactly for scripts and templates."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.core import SupportsResponse
from homeassistant.helpers import config_validation as cv

from ..browse.nodes import episode_image, image_url
from ..browse.search_match import ATTR_QUERY, FROM_TOKEN, checked_query, search_type
from ..exceptions import invalid
from ..webapi import (
    Album,
    Artist,
    Episode,
    Playlist,
    SearchType,
    Show,
    SimplifiedAudiobook,
    Track,
)
from .fields import ENTRY_FIELD

if TYPE_CHECKING:
    from homeassistant.core import ServiceCall, ServiceResponse

    from ..data import SpotifyWebApiConfigEntry
    from .services import Handler

SERVICE_SEARCH: Final = "search"
ATTR_TYPES: Final = "types"
ATTR_LIMIT: Final = "limit"
ATTR_MARKET: Final = "market"
DEFAULT_LIMIT: Final = 5
MAX_LIMIT: Final = 50
_MARKET: Final = re.compile(r"[A-Z]{2}")

SEARCH_SCHEMA: Final = vol.Schema(
    {
        **ENTRY_FIELD,
        vol.Required(ATTR_QUERY): cv.string,
        vol.Optional(ATTR_TYPES): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_LIMIT): vol.Coerce(int),
        vol.Optional(ATTR_MARKET): cv.string,
    }
)


def _names(artists: tuple[Artist, ...]) -> list[str]:
    return [artist.name for artist in artists if artist.name]


def _compact(item: object) -> dict[str, Any]:
    """One match: name, uri, artists (a book's authors), album (an episode's show), image."""
    summary: dict[str, Any] = {"name": None, "uri": None, "artists": [], "album": None}
    match item:
        case Track(album=album):
            summary |= {"artists": _names(item.artists), "album": album and album.name}
            image = image_url(album.images) if album else None
        case Album():
            summary["artists"] = _names(item.artists)
            image = image_url(item.images)
        case Episode(show=show):
            summary["album"] = show and show.name
            image = episode_image(item)
        case Show():
            summary["artists"] = [item.publisher] if item.publisher else []
            image = image_url(item.images)
        case SimplifiedAudiobook():
            summary["artists"] = list(item.authors)
            summary["narrators"] = list(item.narrators)
            image = image_url(item.images)
        case Playlist(owner=owner):
            summary["artists"] = [owner.display_name] if owner and owner.display_name else []
            image = image_url(item.images)
        case _:
            image = image_url(getattr(item, "images", ()))
    return summary | {
        "name": getattr(item, "name", None),
        "uri": getattr(item, "uri", None),
        "image": image,
    }


def _types(value: list[str] | None) -> list[SearchType]:
    if value is None:
        return [SearchType.TRACK]
    if not value:
        raise invalid("invalid_search_type", type="")
    return [search_type(kind) for kind in dict.fromkeys(value)]


async def _search(call: ServiceCall, entry: SpotifyWebApiConfigEntry) -> ServiceResponse:
    """Up to ``limit`` matches per type, best first."""
    query = checked_query(call.data[ATTR_QUERY])
    types = _types(call.data.get(ATTR_TYPES))
    limit = call.data.get(ATTR_LIMIT, DEFAULT_LIMIT)
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid("invalid_limit", limit=str(limit), maximum=str(MAX_LIMIT))
    market = call.data.get(ATTR_MARKET, FROM_TOKEN)
    if market != FROM_TOKEN and not _MARKET.fullmatch(market):
        raise invalid("invalid_market", market=str(market))
    found = await entry.runtime_data.api.search(query, types, limit=limit, market=market)
    answer: dict[str, Any] = {}
    for kind in types:
        page = getattr(found, f"{kind}s")
        answer[f"{kind}s"] = [_compact(item) for item in (page.items if page else ())]
    return answer


SEARCH_ACTIONS: Final[dict[str, tuple[Handler, vol.Schema, SupportsResponse]]] = {
    SERVICE_SEARCH: (_search, SEARCH_SCHEMA, SupportsResponse.ONLY),
}
