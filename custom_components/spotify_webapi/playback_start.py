"""What Spotify is asked to play for one item: the item, its context, or a book where left.

Spotify keeps a resume point per chapter, and nothing says its player resumes a book by
itself: a book is started at the first chapter not fully played, at its resume point,
unless the caller says where to start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .webapi import ItemType
from .webapi.uris import PLAYABLE_TYPES

if TYPE_CHECKING:
    from .webapi import SpotifyUri, SpotifyWebApiClient


async def start_arguments(api: SpotifyWebApiClient, item: SpotifyUri) -> dict[str, Any]:
    """``start_playback`` arguments that play ``item`` (one request more for a book)."""
    if item.type in PLAYABLE_TYPES:
        return {"uris": [item]}
    return {"context_uri": item, **await book_resume(api, item)}


async def book_resume(api: SpotifyWebApiClient, context: SpotifyUri) -> dict[str, Any]:
    """Where a book starts (offset and position); nothing for other contexts."""
    if context.type is not ItemType.AUDIOBOOK:
        return {}
    point = await api.get_book_resume_point(context)
    if point is None:
        return {}
    chapter, position_ms = point
    return {"offset": chapter, "position_ms": position_ms}
