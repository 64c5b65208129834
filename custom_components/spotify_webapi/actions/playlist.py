"""Playlist actions: add items (the playing one by default) and create playlists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.core import SupportsResponse
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import config_validation as cv

from ..const import DOMAIN
from ..exceptions import invalid
from ..feature_scopes import Feature, require_feature
from ..webapi import ItemType, SpotifyForbiddenError
from ..webapi.client import PLAYLIST_ADD_MAX
from ..webapi.uris import PLAYLIST_ITEM_TYPES
from .fields import ENTRY_FIELD, is_chapter, spotify_uri
from .library import playing_uri
from .services import ATTR_POSITION, ATTR_URIS

if TYPE_CHECKING:
    from homeassistant.core import ServiceCall, ServiceResponse

    from ..data import SpotifyWebApiConfigEntry
    from ..webapi import Playlist, SpotifyWebApiClient
    from .services import Handler

SERVICE_ADD_TO_PLAYLIST: Final = "add_to_playlist"
SERVICE_CREATE_PLAYLIST: Final = "create_playlist"
ATTR_PLAYLIST: Final = "playlist"
ATTR_NAME: Final = "name"
ATTR_DESCRIPTION: Final = "description"
ATTR_PUBLIC: Final = "public"
# Enough for anyone's own playlists; Spotify caps a user at about 11,000.
MAX_PLAYLISTS_READ: Final = 1000

ADD_SCHEMA: Final = vol.Schema(
    {
        **ENTRY_FIELD,
        vol.Required(ATTR_PLAYLIST): cv.string,
        vol.Optional(ATTR_URIS): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_POSITION): vol.Coerce(int),
    }
)
CREATE_SCHEMA: Final = vol.Schema(
    {
        **ENTRY_FIELD,
        vol.Required(ATTR_NAME): cv.string,
        vol.Optional(ATTR_DESCRIPTION): cv.string,
        vol.Optional(ATTR_PUBLIC): cv.boolean,
    }
)


def _looks_like_a_reference(value: str) -> bool:
    """A URI or link (of any kind), rather than a playlist's name."""
    return value.startswith(("spotify:", "https://open.spotify.com", "http://open.spotify.com"))


async def playlists_named(api: SpotifyWebApiClient, name: str) -> list[Playlist]:
    """The user's playlists (own and followed) called ``name``; case does not matter."""
    page = await api.get_current_user_playlists(limit=MAX_PLAYLISTS_READ)
    return [p for p in page.items if p.name and p.name.casefold() == name.casefold() and p.uri]


async def _playlist_by_name(api: SpotifyWebApiClient, user_id: str | None, name: str) -> str:
    """The URI of the user's own playlist called ``name`` (case does not matter)."""
    named = await playlists_named(api, name)
    own: list[Playlist] = [p for p in named if p.owner is not None and p.owner.id == user_id]
    if len(own) > 1:
        raise invalid("ambiguous_playlist", playlist=name, count=str(len(own)))
    if own:
        return str(own[0].uri)
    if named:
        raise invalid("playlist_not_modifiable", playlist=name)
    raise invalid("unknown_playlist", playlist=name)


def _items(entry: SpotifyWebApiConfigEntry, given: list[str] | None) -> list[str]:
    if given is None:
        current = playing_uri(entry)
        if current is None:
            raise invalid("nothing_playing")
        given = [current]
    if not given:
        raise invalid("no_uris")
    if len(given) > PLAYLIST_ADD_MAX:
        raise invalid("too_many_uris", maximum=str(PLAYLIST_ADD_MAX))
    for value in given:
        if is_chapter(value):
            raise invalid("chapter_not_in_playlists", uri=value)
    return [spotify_uri(value, PLAYLIST_ITEM_TYPES).uri for value in given]


async def _add_to_playlist(call: ServiceCall, entry: SpotifyWebApiConfigEntry) -> ServiceResponse:
    """Add tracks and episodes to one of the user's playlists; answers the playlist's URI."""
    require_feature(entry, Feature.PLAYLISTS)
    items = _items(entry, call.data.get(ATTR_URIS))
    position = call.data.get(ATTR_POSITION)
    if position is not None and position < 0:
        raise invalid("invalid_playlist_position", position=str(position))
    wanted = call.data[ATTR_PLAYLIST].strip()
    if not wanted:
        raise invalid("unknown_playlist", playlist=wanted)
    api = entry.runtime_data.api
    if _looks_like_a_reference(wanted):
        playlist_uri = spotify_uri(wanted, (ItemType.PLAYLIST,)).uri
    else:
        playlist_uri = await _playlist_by_name(
            api, entry.runtime_data.coordinator.data.user.id, wanted
        )
    try:
        snapshot_id = await api.add_to_playlist(playlist_uri, items, position=position)
    except SpotifyForbiddenError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="playlist_not_modifiable",
            translation_placeholders={"playlist": wanted},
        ) from err
    return {"playlist_uri": playlist_uri, "snapshot_id": snapshot_id}


async def _create_playlist(call: ServiceCall, entry: SpotifyWebApiConfigEntry) -> ServiceResponse:
    """Create an empty playlist; answers its URI."""
    require_feature(entry, Feature.PLAYLISTS)
    name = call.data[ATTR_NAME].strip()
    if not name:
        raise invalid("empty_playlist_name")
    created = await entry.runtime_data.api.create_playlist(
        name, description=call.data.get(ATTR_DESCRIPTION), public=call.data.get(ATTR_PUBLIC)
    )
    answer: dict[str, Any] = {"uri": created.uri, "id": created.id, "name": created.name}
    return answer


PLAYLIST_ACTIONS: Final[dict[str, tuple[Handler, vol.Schema, SupportsResponse]]] = {
    SERVICE_ADD_TO_PLAYLIST: (_add_to_playlist, ADD_SCHEMA, SupportsResponse.OPTIONAL),
    SERVICE_CREATE_PLAYLIST: (_create_playlist, CREATE_SCHEMA, SupportsResponse.OPTIONAL),
}
