"""Actions: transfer playback, play, queue, and read devices, queue and playback.

Every input is checked before anything is sent: a bad one raises a translated
ServiceValidationError and no command reaches Spotify (naming an unknown device
reads the device list once, to be sure it is not new). Play and transfer also take a
remembered device that Spotify does not list now: its wake-up action runs first.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import SupportsResponse, callback
from homeassistant.helpers import config_validation as cv

from ..browse.nodes import episode_image, image_url
from ..browse.search_match import ATTR_QUERY, ATTR_TYPE, with_query_match
from ..const import DOMAIN
from ..coordinator import expect_playing
from ..exceptions import invalid, spotify_errors
from ..playback_start import book_resume
from ..webapi import Chapter, Episode, Track
from ..webapi.arguments import MAX_VOLUME, MIN_VOLUME
from ..webapi.uris import CONTEXT_TYPES, PLAYABLE_TYPES
from .fields import ATTR_CONFIG_ENTRY_ID, ENTRY_FIELD, listed_device, spotify_uri

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Coroutine, Mapping

    from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse

    from ..data import SpotifyWebApiConfigEntry
    from ..webapi import Playable, PlaybackState

SERVICE_TRANSFER_PLAYBACK: Final = "transfer_playback"
SERVICE_PLAY: Final = "play"
SERVICE_ADD_TO_QUEUE: Final = "add_to_queue"
SERVICE_GET_DEVICES: Final = "get_devices"
SERVICE_GET_QUEUE: Final = "get_queue"
SERVICE_GET_PLAYBACK: Final = "get_playback"

ATTR_DEVICE: Final = "device"
ATTR_PLAY: Final = "play"
ATTR_VOLUME: Final = "volume"
ATTR_URIS: Final = "uris"
ATTR_CONTEXT_URI: Final = "context_uri"
ATTR_OFFSET: Final = "offset"
ATTR_POSITION: Final = "position"
ATTR_SHUFFLE: Final = "shuffle"
ATTR_URI: Final = "uri"

TRANSFER_SCHEMA: Final = vol.Schema(
    {
        **ENTRY_FIELD,
        vol.Required(ATTR_DEVICE): cv.string,
        vol.Optional(ATTR_PLAY): cv.boolean,
        vol.Optional(ATTR_VOLUME): vol.Coerce(int),
    }
)
PLAY_SCHEMA: Final = vol.Schema(
    {
        **ENTRY_FIELD,
        vol.Optional(ATTR_URIS): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_CONTEXT_URI): cv.string,
        vol.Optional(ATTR_OFFSET): vol.Any(int, cv.string),
        vol.Optional(ATTR_POSITION): vol.Coerce(float),
        vol.Optional(ATTR_DEVICE): cv.string,
        vol.Optional(ATTR_SHUFFLE): cv.boolean,
        vol.Optional(ATTR_QUERY): cv.string,
        vol.Optional(ATTR_TYPE): cv.string,
    }
)
QUEUE_SCHEMA: Final = vol.Schema(
    {**ENTRY_FIELD, vol.Required(ATTR_URI): cv.string, vol.Optional(ATTR_DEVICE): cv.string}
)
READ_SCHEMA: Final = vol.Schema(ENTRY_FIELD)


def _loaded_entry(call: ServiceCall) -> SpotifyWebApiConfigEntry:
    """The loaded account the action names."""
    entry_id = call.data[ATTR_CONFIG_ENTRY_ID]
    entry = call.hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise invalid("unknown_entry", entry_id=entry_id)
    if entry.state is not ConfigEntryState.LOADED:
        raise invalid("entry_not_loaded", account=entry.title)
    loaded: SpotifyWebApiConfigEntry = entry
    return loaded


type Handler = Callable[[ServiceCall, SpotifyWebApiConfigEntry], Awaitable[ServiceResponse]]


def _action(handler: Handler) -> Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]:
    """Find the account, then run ``handler`` with Spotify's refusals translated."""

    @functools.wraps(handler)
    async def run(call: ServiceCall) -> ServiceResponse:
        entry = _loaded_entry(call)
        with spotify_errors(call.hass, entry):
            return await handler(call, entry)

    return run


async def _transfer_playback(call: ServiceCall, entry: SpotifyWebApiConfigEntry) -> None:
    """Move playback to a device, optionally starting it and setting its volume."""
    coordinator = entry.runtime_data.coordinator
    volume = call.data.get(ATTR_VOLUME)
    if volume is not None and not MIN_VOLUME <= volume <= MAX_VOLUME:
        raise invalid("volume_out_of_range", volume=str(volume))
    play = call.data.get(ATTR_PLAY, False)
    device = await coordinator.waker.async_send(
        call.data[ATTR_DEVICE],
        lambda device_id: coordinator.api.transfer_playback(device_id, play=play),
    )
    if volume is not None:
        await coordinator.api.set_volume(volume, device_id=device.id)
        device = replace(device, volume_percent=volume)
    moved = replace(device, is_active=True)
    await coordinator.async_command_sent(lambda playback: replace(playback, device=moved))


async def _play(call: ServiceCall, entry: SpotifyWebApiConfigEntry) -> None:
    """Start a context or a list of tracks and episodes, where and how the call says."""
    coordinator = entry.runtime_data.coordinator
    # Checked before a query's search, so that bad input costs no request.
    where = _start_position(call.data)
    what = _uris_or_context(await with_query_match(coordinator.api, call.data))
    if "context_uri" in what and not where:
        where = await book_resume(coordinator.api, what["context_uri"])
    start = functools.partial(coordinator.api.start_playback, **what, **where)
    device = call.data.get(ATTR_DEVICE)
    device_id = None
    if device is not None:
        reached = await coordinator.waker.async_send(device, lambda id_: start(device_id=id_))
        device_id = reached.id
    else:
        await coordinator.async_start(lambda fallback: start(device_id=fallback))
    if (shuffle := call.data.get(ATTR_SHUFFLE)) is not None:
        await coordinator.api.set_shuffle(shuffle, device_id=device_id)
    await coordinator.async_command_sent(expect_playing(True))


def _uris_or_context(data: dict[str, Any]) -> dict[str, Any]:
    """What start_playback plays, checked."""
    uris, context = data.get(ATTR_URIS), data.get(ATTR_CONTEXT_URI)
    if (uris is None) == (context is None):
        raise invalid("uris_or_context")
    arguments: dict[str, Any] = {}
    if uris is not None:
        arguments["uris"] = [spotify_uri(uri, PLAYABLE_TYPES) for uri in uris] or None
        if arguments["uris"] is None:
            raise invalid("uris_or_context")
    else:
        arguments["context_uri"] = spotify_uri(str(context), CONTEXT_TYPES)
    return arguments


def _start_position(data: Mapping[str, Any]) -> dict[str, Any]:
    """Where start_playback starts (offset, position), checked."""
    arguments: dict[str, Any] = {}
    offset = data.get(ATTR_OFFSET)
    if isinstance(offset, str) and offset.strip().isdecimal():
        offset = int(offset)
    if isinstance(offset, int) and offset < 0:
        raise invalid("invalid_offset", offset=str(offset))
    if offset is not None:
        arguments["offset"] = (
            offset if isinstance(offset, int) else spotify_uri(offset, PLAYABLE_TYPES)
        )
    position = data.get(ATTR_POSITION)
    if position is not None:
        if not math.isfinite(position) or position < 0:
            raise invalid("invalid_position", position=str(position))
        arguments["position_ms"] = round(position * 1000)
    return arguments


async def _add_to_queue(call: ServiceCall, entry: SpotifyWebApiConfigEntry) -> None:
    """Queue a track or an episode."""
    coordinator = entry.runtime_data.coordinator
    item = spotify_uri(call.data[ATTR_URI], PLAYABLE_TYPES)
    device = call.data.get(ATTR_DEVICE)
    device_id = None if device is None else (await listed_device(coordinator, device)).id
    await coordinator.api.add_to_queue(item, device_id=device_id)
    await coordinator.async_command_sent()


async def _get_devices(call: ServiceCall, entry: SpotifyWebApiConfigEntry) -> ServiceResponse:
    """Every device Spotify lists now, the unaddressable and restricted ones too."""
    devices = await entry.runtime_data.coordinator.async_refresh_devices()
    return {"devices": [asdict(device) for device in devices]}


async def _get_queue(call: ServiceCall, entry: SpotifyWebApiConfigEntry) -> ServiceResponse:
    """What plays now and next."""
    queue = await entry.runtime_data.api.get_queue()
    return {
        "currently_playing": item_summary(queue.currently_playing),
        "queue": [item_summary(item) for item in queue.queue],
    }


async def _get_playback(call: ServiceCall, entry: SpotifyWebApiConfigEntry) -> ServiceResponse:
    """What plays where, read from Spotify now."""
    return {"playback": playback_summary(await entry.runtime_data.api.get_playback_state())}


def item_summary(item: Playable | None) -> dict[str, Any] | None:
    """A track, episode or chapter as an action answers it."""
    if item is None:
        return None
    summary: dict[str, Any] = {
        "uri": item.uri,
        "name": item.name,
        "duration_ms": item.duration_ms,
    }
    if isinstance(item, Chapter):
        book = item.audiobook
        cover = image_url(book.images) if book else None
        return summary | {
            "type": "chapter",
            "audiobook": book and book.name,
            "authors": list(book.authors) if book else [],
            "image": cover or episode_image(item),
        }
    if isinstance(item, Episode):
        show = item.show
        image = episode_image(item)
        return summary | {"type": "episode", "show": show and show.name, "image": image}
    assert isinstance(item, Track)  # noqa: S101 - Playable is Track | Episode
    album = item.album
    return summary | {
        "type": "track",
        "artists": [artist.name for artist in item.artists],
        "album": album and album.name,
        "image": image_url(album.images) if album else None,
    }


def playback_summary(playback: PlaybackState | None) -> dict[str, Any] | None:
    """The playback state as an action answers it."""
    if playback is None:
        return None
    context = playback.context
    return {
        "is_playing": playback.is_playing,
        "device": None if playback.device is None else asdict(playback.device),
        "item": item_summary(playback.item),
        "context_uri": context and context.uri,
        "progress_ms": playback.progress_ms,
        "shuffle": playback.shuffle_state,
        "repeat": str(playback.repeat_state),
    }


ACTIONS: Final[dict[str, tuple[Handler, vol.Schema, SupportsResponse]]] = {
    SERVICE_TRANSFER_PLAYBACK: (_transfer_playback, TRANSFER_SCHEMA, SupportsResponse.NONE),
    SERVICE_PLAY: (_play, PLAY_SCHEMA, SupportsResponse.NONE),
    SERVICE_ADD_TO_QUEUE: (_add_to_queue, QUEUE_SCHEMA, SupportsResponse.NONE),
    SERVICE_GET_DEVICES: (_get_devices, READ_SCHEMA, SupportsResponse.ONLY),
    SERVICE_GET_QUEUE: (_get_queue, READ_SCHEMA, SupportsResponse.ONLY),
    SERVICE_GET_PLAYBACK: (_get_playback, READ_SCHEMA, SupportsResponse.ONLY),
}


@callback
def async_register_actions(
    hass: HomeAssistant, actions: Mapping[str, tuple[Handler, vol.Schema, SupportsResponse]]
) -> None:
    """Register a table of actions, each wrapped in the same account lookup."""
    for name, (handler, schema, response) in actions.items():
        hass.services.async_register(
            DOMAIN,
            name,
            _action(handler),
            # HA 2026 types schemas as probatio's (voluptuous is aliased to it at runtime).
            schema=schema,  # type: ignore[arg-type, unused-ignore]
            supports_response=response,
        )
