"""Actions on the user's library: save and remove items (the playing one by default)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.core import SupportsResponse
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.dispatcher import async_dispatcher_send

from ..exceptions import invalid
from ..feature_scopes import Feature, require_feature
from ..webapi import Chapter
from ..webapi.arguments import LIBRARY_URIS_MAX
from ..webapi.uris import LIBRARY_TYPES
from .fields import ENTRY_FIELD, is_chapter, spotify_uri
from .services import ATTR_URIS

if TYPE_CHECKING:
    from homeassistant.core import ServiceCall

    from ..data import SpotifyWebApiConfigEntry
    from .services import Handler

SERVICE_SAVE_TO_LIBRARY: Final = "save_to_library"
SERVICE_REMOVE_FROM_LIBRARY: Final = "remove_from_library"

LIBRARY_SCHEMA: Final = vol.Schema(
    {**ENTRY_FIELD, vol.Optional(ATTR_URIS): vol.All(cv.ensure_list, [cv.string])}
)


def library_changed_signal(entry_id: str) -> str:
    """Dispatcher signal carrying ``{uri: saved}`` after the library was changed from HA."""
    return f"spotify_webapi_library_changed_{entry_id}"


def playing_uri(entry: SpotifyWebApiConfigEntry) -> str | None:
    """The URI of the track or episode playing (or paused) now, as last read."""
    playback = entry.runtime_data.coordinator.data.playback
    item = None if playback is None else playback.item
    return None if item is None else item.uri


def library_uri(entry: SpotifyWebApiConfigEntry) -> str | None:
    """What saving the item playing saves: the item, or a chapter's book.

    Spotify's library takes audiobooks, not their chapters (its definition lists no chapter
    URIs), and a listener who likes a chapter means the book.
    """
    playback = entry.runtime_data.coordinator.data.playback
    item = None if playback is None else playback.item
    if isinstance(item, Chapter):
        return None if item.audiobook is None else item.audiobook.uri
    return None if item is None else item.uri


def items_or_playing(entry: SpotifyWebApiConfigEntry, data: dict[str, Any]) -> list[str]:
    """The URIs the call names, else the item playing (a chapter's book); each checked."""
    given = data.get(ATTR_URIS)
    if given is None:
        current = library_uri(entry)
        if current is None:
            raise invalid("nothing_playing")
        given = [current]
    if not given:
        raise invalid("no_uris")
    return [_saveable(value) for value in given]


def _saveable(value: str) -> str:
    """A URI the library takes; a chapter is refused with a reason (its book is taken)."""
    if is_chapter(value):
        raise invalid("chapter_not_saveable", uri=value)
    return spotify_uri(value, LIBRARY_TYPES).uri


def _checked(call: ServiceCall, entry: SpotifyWebApiConfigEntry) -> list[str]:
    require_feature(entry, Feature.LIBRARY)
    uris = list(dict.fromkeys(items_or_playing(entry, call.data)))
    if len(uris) > LIBRARY_URIS_MAX:
        raise invalid("too_many_uris", maximum=str(LIBRARY_URIS_MAX))
    return uris


async def _save_to_library(call: ServiceCall, entry: SpotifyWebApiConfigEntry) -> None:
    """Save items to the library."""
    uris = _checked(call, entry)
    await entry.runtime_data.api.save_to_library(uris)
    async_dispatcher_send(
        call.hass, library_changed_signal(entry.entry_id), dict.fromkeys(uris, True)
    )


async def _remove_from_library(call: ServiceCall, entry: SpotifyWebApiConfigEntry) -> None:
    """Remove items from the library."""
    uris = _checked(call, entry)
    await entry.runtime_data.api.remove_from_library(uris)
    async_dispatcher_send(
        call.hass, library_changed_signal(entry.entry_id), dict.fromkeys(uris, False)
    )


LIBRARY_ACTIONS: Final[dict[str, tuple[Handler, vol.Schema, SupportsResponse]]] = {
    SERVICE_SAVE_TO_LIBRARY: (_save_to_library, LIBRARY_SCHEMA, SupportsResponse.NONE),
    SERVICE_REMOVE_FROM_LIBRARY: (_remove_from_library, LIBRARY_SCHEMA, SupportsResponse.NONE),
}
