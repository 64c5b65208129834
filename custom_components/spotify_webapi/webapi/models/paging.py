"""One page of a list Spotify returns in parts, offset-based or cursor-based."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from ._parse import JsonObject, expect_object, get_int, get_nested, get_objects, get_str

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass(frozen=True, slots=True, kw_only=True)
class Cursors:
    """Where a cursor-paged list (recently played, followed artists) continues."""

    after: str | None = None
    before: str | None = None

    @classmethod
    def from_dict(cls, data: object) -> Cursors:
        """Parse a CursorObject."""
        obj = expect_object(data, "cursors")
        return cls(after=get_str(obj, "after"), before=get_str(obj, "before"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Page[T]:
    """Items of a list plus the links to the rest; ``next`` is None on the last page."""

    items: tuple[T, ...] = ()
    # Entries Spotify sent, null ones included: the positions of the list this page
    # covers, which ``items`` (nulls dropped) undercounts.
    positions: int = 0
    total: int | None = None
    limit: int | None = None
    offset: int | None = None
    next: str | None = None
    # Where the next page starts, as the `next` link says: a page may hold fewer
    # entries than its limit while the list still moves on by the full limit.
    next_offset: int | None = None
    previous: str | None = None
    href: str | None = None
    cursors: Cursors | None = None

    @classmethod
    def from_dict(
        cls, data: object, parse_item: Callable[[JsonObject], T], *, at_most: int | None = None
    ) -> Page[T]:
        """Parse a paging object, each item with ``parse_item`` (null items are dropped).

        ``at_most`` cuts a page that holds more entries than were asked for; the next
        page then starts right after the cut.
        """
        obj = expect_object(data, "page")
        entries = obj.get("items")
        entries = entries if isinstance(entries, list) else []
        offset = get_int(obj, "offset")
        next_link = get_str(obj, "next")
        next_offset = _offset_of(next_link)
        if at_most is not None and len(entries) > at_most:
            entries = entries[:at_most]
            if offset is not None:
                next_offset = offset + at_most
                next_link = next_link or get_str(obj, "href")
        return cls(
            items=get_objects({"items": entries}, "items", parse_item),
            positions=len(entries),
            total=get_int(obj, "total"),
            limit=get_int(obj, "limit"),
            offset=offset,
            next=next_link,
            next_offset=next_offset if next_link else None,
            previous=get_str(obj, "previous"),
            href=get_str(obj, "href"),
            cursors=get_nested(obj, "cursors", Cursors.from_dict),
        )


def _offset_of(link: str | None) -> int | None:
    """The ``offset`` a paging link asks for, if it names one."""
    if not link:
        return None
    offsets = parse_qs(urlsplit(link).query).get("offset", [])
    return int(offsets[0]) if offsets and offsets[0].isdecimal() else None
