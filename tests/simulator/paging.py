"""Paging objects (offset and cursor based) shaped exactly like Spotify's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence


def _href(base: str, params: Mapping[str, str], **extra: int | str) -> str:
    query = urlencode({**params, **{key: str(value) for key, value in extra.items()}})
    return f"{base}?{query}"


def offset_page[T](
    items: Sequence[T],
    render: Callable[[T], Any],
    *,
    base: str,
    offset: int,
    limit: int,
    params: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A PagingObject over `items`; `base` is the endpoint URL, `params` its other query."""
    params = params or {}
    total = len(items)
    window = items[offset : offset + limit]
    has_next = offset + limit < total
    return {
        "href": _href(base, params, offset=offset, limit=limit),
        "items": [render(item) for item in window],
        "limit": limit,
        "next": _href(base, params, offset=offset + limit, limit=limit) if has_next else None,
        "offset": offset,
        "previous": (
            _href(base, params, offset=max(offset - limit, 0), limit=limit) if offset > 0 else None
        ),
        "total": total,
    }


def cursor_page[T](
    items: Sequence[T],
    render: Callable[[T], Any],
    cursor_of: Callable[[T], str],
    *,
    base: str,
    limit: int,
    params: Mapping[str, str],
    next_param: str,
    total: int | None = None,
    empty_cursors: Any = None,
) -> dict[str, Any]:
    """A CursorPagingObject whose `next` continues from the last item's cursor.

    `items` starts at the requested cursor; `next_param` is "after" (following) or
    "before" (recently played, newest first). `empty_cursors` is what Spotify sends
    when there is nothing to page.
    """
    window = items[:limit]
    more = len(items) > limit and bool(window)
    cursors: Any = empty_cursors
    if window:
        cursors = {"after": cursor_of(window[-1])}
        if next_param == "before":
            cursors = {"after": cursor_of(window[0]), "before": cursor_of(window[-1])}
    page: dict[str, Any] = {
        "href": _href(base, params, limit=limit),
        "limit": limit,
        "next": (
            _href(base, params, **{next_param: cursors[next_param]}, limit=limit) if more else None
        ),
        "cursors": cursors,
        "items": [render(item) for item in window],
    }
    if total is not None:
        page["total"] = total
    return page
