"""Model fields that say once how they are read from Spotify's JSON, and one reader for all.

A model declares each field with the reader of its JSON key (``text()``, ``number()``,
``many(Artist.from_dict)``...), and ``Model.from_dict`` reads them all, tolerant as
the ``_parse`` helpers it uses: a missing, null or mistyped field reads as unknown.
The JSON key is the field's name unless a reader is given another.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import field, fields
from typing import TYPE_CHECKING, Any, ClassVar, Final, Self

from ._parse import (
    JsonObject,
    expect_object,
    get_bool,
    get_external_url,
    get_int,
    get_name,
    get_nested,
    get_objects,
    get_optional_bool,
    get_position,
    get_restriction,
    get_str,
    get_strs,
)
from .common import get_images

if TYPE_CHECKING:
    from dataclasses import Field

type Reader = Callable[[JsonObject, str], Any]

# Where a field keeps its reader (dataclass field metadata).
READER: Final = "spotify_reader"
_CATALOG_ID: Final = re.compile(r"[0-9A-Za-z]{22}")


def read(reader: Reader, default: Any = None) -> Any:
    """A field read by ``reader(json object, field name)``."""
    if isinstance(default, list | dict | set):
        raise TypeError("a mutable default would be shared between models")
    return field(default=default, metadata={READER: reader})


def text(key: str | None = None) -> Any:
    """A string."""
    return read(lambda obj, name: get_str(obj, key or name))


def name() -> Any:
    """A display name (an empty one, like a local file album's, means none)."""
    return read(get_name)


def number(key: str | None = None) -> Any:
    """A whole number."""
    return read(lambda obj, name: get_int(obj, key or name))


def position() -> Any:
    """A number counted from 1 (Spotify's 0 for local files means unknown)."""
    return read(get_position)


def flag() -> Any:
    """A flag that is False when Spotify leaves it out."""
    return read(get_bool, default=False)


def maybe_flag() -> Any:
    """A flag that is unknown (None) when Spotify leaves it out."""
    return read(get_optional_bool)


def texts() -> Any:
    """An array of strings."""
    return read(get_strs, default=())


def images() -> Any:
    """The object's images."""
    return read(lambda obj, _: get_images(obj), default=())


def restriction() -> Any:
    """Why Spotify will not play the item here, if it says so."""
    return read(lambda obj, _: get_restriction(obj))


def external_url() -> Any:
    """The open.spotify.com link."""
    return read(lambda obj, _: get_external_url(obj), default=None)


def names() -> Any:
    """The ``name`` of each object in an array (authors, narrators: Spotify gives no more)."""
    return read(lambda obj, key: tuple(n for n in get_objects(obj, key, get_name) if n), ())


def kind_uri(kind: str) -> Any:
    """The URI of the object's true kind, built from its ``id``; else the ``uri`` as sent.

    Spotify sends an audiobook's URI as ``spotify:show:<id>`` and a chapter's as
    ``spotify:episode:<id>``; a caller that routes by the URI's kind (browse, play,
    save) needs ``spotify:audiobook:<id>`` and ``spotify:chapter:<id>``.
    """

    def reader(obj: JsonObject, _: str) -> str | None:
        item_id = get_str(obj, "id")
        if item_id is not None and _CATALOG_ID.fullmatch(item_id):
            return f"spotify:{kind}:{item_id}"
        return get_str(obj, "uri")

    return read(reader)


def many(parse: Callable[[JsonObject], Any]) -> Any:
    """An array of objects, each read by ``parse``."""
    return read(lambda obj, name: get_objects(obj, name, parse), default=())


def one(parse: Callable[[JsonObject], Any]) -> Any:
    """A nested object read by ``parse`` (a lambda, for a model defined further down)."""
    return read(lambda obj, name: get_nested(obj, name, parse))


class Model:
    """A model whose fields are declared with readers; ``WHAT`` names it in errors."""

    __slots__ = ()
    WHAT: ClassVar[str] = "object"

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Read every declared field from a JSON object."""
        obj = expect_object(data, cls.WHAT)
        return cls(**{key: reader(obj, key) for key, reader in _readers(cls)})


# Each model class's fields and readers, looked up once.
_READERS: Final[dict[type, tuple[tuple[str, Reader], ...]]] = {}


def _readers(cls: type) -> tuple[tuple[str, Reader], ...]:
    """Each field's name and reader, once per model class."""
    found = _READERS.get(cls)
    if found is None:
        declared: tuple[Field[Any], ...] = fields(cls)
        found = _READERS[cls] = tuple((f.name, f.metadata[READER]) for f in declared)
    return found
