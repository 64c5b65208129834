"""Finding what to play by name: Spotify's best match for a query, as the play action takes it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from ..exceptions import invalid
from ..webapi import SearchType

if TYPE_CHECKING:
    from ..webapi import SpotifyWebApiClient

ATTR_QUERY: Final = "query"
ATTR_TYPE: Final = "type"
# The user's own market: only matches their account can play.
FROM_TOKEN: Final = "from_token"  # noqa: S105 - a market keyword, not a secret
# Tracks and episodes play as a list; everything else is a context.
PLAYS_AS_LIST: Final = frozenset({SearchType.TRACK, SearchType.EPISODE})


def search_type(value: object) -> SearchType:
    """One of the kinds Spotify searches for, or the translated error naming it."""
    try:
        return SearchType(str(value))
    except ValueError:
        raise invalid("invalid_search_type", type=str(value)) from None


def checked_query(value: object) -> str:
    """A search query with something in it."""
    query = str(value).strip() if value is not None else ""
    if not query:
        raise invalid("empty_query")
    return query


async def best_item(api: SpotifyWebApiClient, query: str, kind: SearchType) -> tuple[str, str]:
    """The URI and name of Spotify's first match of ``kind``, or a translated "no match" error."""
    found = await api.search(query, [kind], limit=1, market=FROM_TOKEN)
    page = getattr(found, f"{kind}s")
    items = () if page is None else page.items
    item = next((item for item in items if item is not None and item.uri), None)
    if item is None:
        raise invalid("no_match", query=query, type=str(kind))
    return str(item.uri), str(getattr(item, "name", None) or query)


async def best_match(api: SpotifyWebApiClient, query: str, kind: SearchType) -> str:
    """The URI of Spotify's first match of ``kind``, or a translated "no match" error."""
    return (await best_item(api, query, kind))[0]


async def with_query_match(api: SpotifyWebApiClient, data: dict[str, Any]) -> dict[str, Any]:
    """The play action's data with ``query`` replaced by the URI of its best match."""
    if data.get(ATTR_QUERY) is None:
        if ATTR_TYPE in data:
            raise invalid("type_without_query")
        return data
    if data.get("uris") is not None or data.get("context_uri") is not None:
        raise invalid("query_with_uris")
    query = checked_query(data[ATTR_QUERY])
    kind = search_type(data.get(ATTR_TYPE, SearchType.TRACK))
    uri = await best_match(api, query, kind)
    rest = {key: value for key, value in data.items() if key not in (ATTR_QUERY, ATTR_TYPE)}
    return rest | ({"uris": [uri]} if kind in PLAYS_AS_LIST else {"context_uri": uri})
