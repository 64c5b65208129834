"""One page of a list Spotify returns in parts, offset-based or cursor-based."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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
    total: int | None = None
    limit: int | None = None
    offset: int | None = None
    next: str | None = None
    previous: str | None = None
    href: str | None = None
    cursors: Cursors | None = None

    @classmethod
    def from_dict(cls, data: object, parse_item: Callable[[JsonObject], T]) -> Page[T]:
        """Parse a paging object, each item with ``parse_item`` (null items are dropped)."""
        obj = expect_object(data, "page")
        return cls(
            items=get_objects(obj, "items", parse_item),
            total=get_int(obj, "total"),
            limit=get_int(obj, "limit"),
            offset=get_int(obj, "offset"),
            next=get_str(obj, "next"),
            previous=get_str(obj, "previous"),
            href=get_str(obj, "href"),
            cursors=get_nested(obj, "cursors", Cursors.from_dict),
        )
