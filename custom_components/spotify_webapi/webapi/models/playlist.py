"""Playlists and the items in them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Self

from ._parse import (
    expect_object,
    get_bool,
    get_datetime,
    get_external_url,
    get_int,
    get_nested,
    get_object,
    get_optional_bool,
    get_str,
)
from .catalog import Playable, parse_playable
from .common import Image, User, get_images
from .paging import Page

if TYPE_CHECKING:
    from datetime import datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaylistItem:
    """One entry of a playlist; ``item`` is None when the track is no longer available."""

    added_at: datetime | None = None
    added_by: User | None = None
    is_local: bool = False
    item: Playable | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a PlaylistTrackObject (``item``, or the older ``track``)."""
        obj = expect_object(data, "playlist item")
        content = get_object(obj, "item") or get_object(obj, "track")
        return cls(
            added_at=get_datetime(obj, "added_at"),
            added_by=get_nested(obj, "added_by", User.from_dict),
            is_local=get_bool(obj, "is_local"),
            item=None if content is None else parse_playable(content),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Playlist:
    """A playlist; ``items`` is only there when the playlist was fetched on its own."""

    id: str | None = None
    name: str | None = None
    uri: str | None = None
    description: str | None = None
    owner: User | None = None
    public: bool | None = None
    collaborative: bool = False
    snapshot_id: str | None = None
    images: tuple[Image, ...] = ()
    total_items: int | None = None
    items: Page[PlaylistItem] | None = None
    external_url: str | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a PlaylistObject or SimplifiedPlaylistObject."""
        obj = expect_object(data, "playlist")
        # Since 2026 `items` replaces `tracks`: a paging object on a full playlist,
        # a {href, total} reference on a simplified one.
        items_ref = get_object(obj, "items") or get_object(obj, "tracks") or {}
        return cls(
            id=get_str(obj, "id"),
            name=get_str(obj, "name"),
            uri=get_str(obj, "uri"),
            description=get_str(obj, "description"),
            owner=get_nested(obj, "owner", User.from_dict),
            public=get_optional_bool(obj, "public"),
            collaborative=get_bool(obj, "collaborative"),
            snapshot_id=get_str(obj, "snapshot_id"),
            images=get_images(obj),
            total_items=get_int(items_ref, "total"),
            items=(
                Page.from_dict(items_ref, PlaylistItem.from_dict)
                if isinstance(items_ref.get("items"), list)
                else None
            ),
            external_url=get_external_url(obj),
        )
