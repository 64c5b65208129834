"""What the media browser remembers of a node between its pages: title and artwork.

Expanding a playlist, album or show the first time reads the object itself (its
title, its artwork, and the first page of what it holds); its later pages need only
the items. Remembering the header per Web API client (one per loaded entry) saves
re-reading the object for every later page.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from ..webapi import SpotifyWebApiClient

# Enough for the nodes a user pages through in one sitting; old ones make room.
MAX_HEADERS: Final = 64


@dataclass(frozen=True, slots=True)
class Header:
    """How a browsed node presents itself."""

    title: str
    thumbnail: str | None


class HeaderCache:
    """A small least-recently-used map from Spotify URI to header."""

    def __init__(self, size: int = MAX_HEADERS) -> None:
        """Keep at most ``size`` headers."""
        self._size = size
        self._headers: OrderedDict[str, Header] = OrderedDict()

    def get(self, uri: str) -> Header | None:
        """The header last seen for ``uri``, if still remembered."""
        header = self._headers.get(uri)
        if header is not None:
            self._headers.move_to_end(uri)
        return header

    def put(self, uri: str, header: Header) -> None:
        """Remember ``header`` for ``uri``, forgetting the least recently used beyond the size."""
        self._headers[uri] = header
        self._headers.move_to_end(uri)
        while len(self._headers) > self._size:
            self._headers.popitem(last=False)


# Tied to the client's lifetime: an unloaded entry's headers go with its client.
_CACHES: WeakKeyDictionary[SpotifyWebApiClient, HeaderCache] = WeakKeyDictionary()


def headers_of(api: SpotifyWebApiClient) -> HeaderCache:
    """The header cache of one account's client."""
    cache = _CACHES.get(api)
    if cache is None:
        cache = _CACHES[api] = HeaderCache()
    return cache
