"""Snapshot and restore: pause for an announcement and resume exactly, or move a session.

``snapshot`` reads the playback once and saves it under a name; ``restore`` starts the
same item of the same context at the same position on the same device (or where the
player would start when that device is gone), then sets shuffle, repeat, volume and
the play/pause state as they were.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.core import SupportsResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv

from ..const import DOMAIN
from ..coordinator import expect_playing
from ..devices.wake_up import wake_up_action
from ..exceptions import invalid
from ..webapi import SpotifyNoActiveDeviceError
from .fields import ENTRY_FIELD, listed_device
from .services import ATTR_DEVICE
from .snapshot_store import PlaybackSnapshot, snapshot_store

if TYPE_CHECKING:
    from homeassistant.core import ServiceCall, ServiceResponse

    from ..coordinator import SpotifyWebApiCoordinator
    from ..data import SpotifyWebApiConfigEntry
    from .services import Handler

SERVICE_SNAPSHOT: Final = "snapshot"
SERVICE_RESTORE: Final = "restore"
ATTR_NAME: Final = "name"
DEFAULT_NAME: Final = "default"

SNAPSHOT_SCHEMA: Final = vol.Schema({**ENTRY_FIELD, vol.Optional(ATTR_NAME): cv.string})
RESTORE_SCHEMA: Final = vol.Schema(
    {**ENTRY_FIELD, vol.Optional(ATTR_NAME): cv.string, vol.Optional(ATTR_DEVICE): cv.string}
)


def _name(call: ServiceCall) -> str:
    name = str(call.data.get(ATTR_NAME, DEFAULT_NAME)).strip()
    if not name:
        raise invalid("empty_snapshot_name")
    return name


async def _snapshot(call: ServiceCall, entry: SpotifyWebApiConfigEntry) -> ServiceResponse:
    """Read what plays where now, save it under the name, and answer it."""
    name = _name(call)
    snapshot = PlaybackSnapshot.of(await entry.runtime_data.api.get_playback_state())
    await snapshot_store(call.hass, entry).async_put(name, snapshot)
    return {"name": name, **snapshot.as_dict()}


async def _snapshot_device(
    coordinator: SpotifyWebApiCoordinator, snapshot: PlaybackSnapshot
) -> str | None:
    """The snapshot's device if Spotify still lists it as controllable, else None."""
    wanted = snapshot.device_id
    if wanted is None:
        return None

    def listed(devices: tuple[Any, ...]) -> bool:
        return any(d.id == wanted and not d.is_restricted for d in devices)

    if listed(coordinator.data.devices) or listed(await coordinator.async_refresh_devices()):
        return wanted
    return None


async def _restore(call: ServiceCall, entry: SpotifyWebApiConfigEntry) -> None:
    """Bring a snapshot back: item, position, device, shuffle, repeat, volume, play or pause."""
    name = _name(call)
    coordinator = entry.runtime_data.coordinator
    api = coordinator.api
    snapshot = await snapshot_store(call.hass, entry).async_get(name)
    if snapshot is None:
        raise invalid("unknown_snapshot", name=name)
    wanted = call.data.get(ATTR_DEVICE)
    device_id = None if wanted is None else (await listed_device(coordinator, wanted)).id
    if snapshot.item_uri is None:
        await _stop_if_playing(coordinator)
        return
    if wanted is None:
        device_id = await _snapshot_device(coordinator, snapshot)
        if device_id is None:
            device_id = await _woken_snapshot_device(coordinator, snapshot)
    try:
        device_id = await _start(coordinator, snapshot, device_id, chosen=wanted is not None)
    except ServiceValidationError as err:
        if err.translation_key != "no_active_device" or snapshot.device_id is None:
            raise
        # Nothing else is active either: say which device the snapshot needs.
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="snapshot_device_missing",
            translation_placeholders={
                "device": snapshot.device_name or snapshot.device_id,
                "name": name,
            },
        ) from err
    await api.set_shuffle(snapshot.shuffle, device_id=device_id)
    await api.set_repeat(snapshot.repeat, device_id=device_id)
    # A volume belongs to its device: it only comes back on the same one.
    if snapshot.volume is not None and device_id == snapshot.device_id:
        await api.set_volume(snapshot.volume, device_id=device_id)
    if not snapshot.is_playing:
        await api.pause_playback(device_id=device_id)
    await coordinator.async_command_sent(expect_playing(snapshot.is_playing))


async def _woken_snapshot_device(
    coordinator: SpotifyWebApiCoordinator, snapshot: PlaybackSnapshot
) -> str | None:
    """The snapshot's device woken, when Spotify does not list it and it has a wake-up action.

    It is the device the user was listening on: restoring there is what they expect.
    """
    wanted = snapshot.device_id or snapshot.device_name
    record = None if wanted is None else coordinator.remembered.find(wanted)
    if record is None or wake_up_action(coordinator.options, record.key) is None:
        return None
    # The list was read just now (_snapshot_device): the waker need not read it again.
    return (await coordinator.waker.async_wake(record, fresh=True)).id


async def _stop_if_playing(coordinator: SpotifyWebApiCoordinator) -> None:
    """Nothing was loaded when the snapshot was taken: at most stop what plays now."""
    playback = coordinator.data.playback
    if playback is not None and playback.is_playing:
        await coordinator.api.pause_playback()
        await coordinator.async_command_sent(expect_playing(False))


async def _start(
    coordinator: SpotifyWebApiCoordinator,
    snapshot: PlaybackSnapshot,
    device_id: str | None,
    *,
    chosen: bool,
) -> str | None:
    """Start the snapshot's item at its position; the device it started on (None: active)."""
    arguments: dict[str, Any] = {"position_ms": snapshot.position_ms or 0}
    if snapshot.context_uri is not None:
        arguments |= {"context_uri": snapshot.context_uri, "offset": snapshot.item_uri}
    else:
        arguments["uris"] = [snapshot.item_uri]
    start = functools.partial(coordinator.api.start_playback, **arguments)
    if device_id is not None:
        try:
            await start(device_id=device_id)
        except SpotifyNoActiveDeviceError:
            if chosen:
                raise
            # The device left since the list was read: start where the player would.
        else:
            return device_id
    await coordinator.async_start(lambda fallback: start(device_id=fallback))
    return None


SNAPSHOT_ACTIONS: Final[dict[str, tuple[Handler, vol.Schema, SupportsResponse]]] = {
    SERVICE_SNAPSHOT: (_snapshot, SNAPSHOT_SCHEMA, SupportsResponse.OPTIONAL),
    SERVICE_RESTORE: (_restore, RESTORE_SCHEMA, SupportsResponse.NONE),
}
