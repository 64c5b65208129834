"""The signed-in user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from ._parse import expect_object, get_external_url, get_int, get_object, get_str
from .common import Image, get_images


@dataclass(frozen=True, slots=True, kw_only=True)
class CurrentUser:
    """The profile behind the token (``GET /me``)."""

    id: str | None = None
    display_name: str | None = None
    uri: str | None = None
    email: str | None = None
    country: str | None = None
    # Spotify omits `product` since 2026; never gate a feature on it.
    product: str | None = None
    followers: int | None = None
    images: tuple[Image, ...] = ()
    external_url: str | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a PrivateUserObject."""
        obj = expect_object(data, "user")
        followers = get_object(obj, "followers")
        return cls(
            id=get_str(obj, "id"),
            display_name=get_str(obj, "display_name"),
            uri=get_str(obj, "uri"),
            email=get_str(obj, "email"),
            country=get_str(obj, "country"),
            product=get_str(obj, "product"),
            followers=None if followers is None else get_int(followers, "total"),
            images=get_images(obj),
            external_url=get_external_url(obj),
        )
