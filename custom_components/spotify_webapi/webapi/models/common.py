"""Small shapes shared by many objects: images, users."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from ._parse import JsonObject, expect_object, get_external_url, get_int, get_objects, get_str


@dataclass(frozen=True, slots=True, kw_only=True)
class Image:
    """Cover art or a profile picture; Spotify may not know its size."""

    url: str
    height: int | None = None
    width: int | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse an ImageObject; an image without a URL reads as an empty URL."""
        obj = expect_object(data, "image")
        return cls(
            url=get_str(obj, "url") or "",
            height=get_int(obj, "height"),
            width=get_int(obj, "width"),
        )


def get_images(data: JsonObject, key: str = "images") -> tuple[Image, ...]:
    """The images at ``key`` that have a URL, in Spotify's order."""
    return tuple(image for image in get_objects(data, key, Image.from_dict) if image.url)


def largest_image(images: tuple[Image, ...]) -> Image | None:
    """The image with the most pixels; the first when sizes are unknown.

    Spotify lists album art largest first but a saved show's images smallest first,
    so the order cannot be trusted.
    """
    if not images:
        return None
    return max(images, key=lambda image: (image.width or 0) * (image.height or 0))


@dataclass(frozen=True, slots=True, kw_only=True)
class User:
    """Another Spotify user, e.g. a playlist's owner."""

    id: str | None = None
    display_name: str | None = None
    uri: str | None = None
    external_url: str | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a PublicUserObject or PlaylistUserObject."""
        obj = expect_object(data, "user")
        return cls(
            id=get_str(obj, "id"),
            display_name=get_str(obj, "display_name"),
            uri=get_str(obj, "uri"),
            external_url=get_external_url(obj),
        )
