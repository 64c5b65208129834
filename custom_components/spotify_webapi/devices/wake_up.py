"""Wake a remembered device that Spotify does not list, then wait until Spotify lists it.

Spotify's Web API cannot start a device: a device is listed only while it is online
with Spotify awake. The user gives a remembered device a wake-up action (turn on an
HA entity, or run a script); a command for that device runs it, then reads the device
list at most every WAKE_UP_READ_INTERVAL seconds until the device appears or the time
the user allowed has passed. Commands for the same device share one wake-up.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import voluptuous as vol
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er

from ..const import (
    CONF_WAKE_UP,
    CONF_WAKE_UP_ENTITY,
    CONF_WAKE_UP_WAIT,
    DEFAULT_WAKE_UP_WAIT,
    DOMAIN,
    WAKE_UP_READ_INTERVAL,
    WAKE_UP_READ_MAX_INTERVAL,
    WAKE_UP_WAIT_RANGE,
)
from ..exceptions import invalid
from ..webapi import (
    SpotifyAuthorizationError,
    SpotifyError,
    SpotifyForbiddenError,
    SpotifyNoActiveDeviceError,
    SpotifyRateLimitError,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Mapping

    from homeassistant.config_entries import ConfigEntry
    from homeassistant.core import HomeAssistant

    from ..webapi import Device
    from .remembered import RememberedDevice, RememberedDevices

_LOGGER = logging.getLogger(__name__)
# Reading the device list again would not help with these: give up at once.
_FINAL_ERRORS = (SpotifyRateLimitError, SpotifyAuthorizationError, SpotifyForbiddenError)
_BACKOFF = 1.5


@dataclass(frozen=True, slots=True)
class WakeUpAction:
    """Turn ``entity_id`` on (a script runs), then wait up to ``wait`` seconds."""

    entity_id: str
    wait: int


def wake_up_action(options: Mapping[str, Any], key: str) -> WakeUpAction | None:
    """The wake-up action the options give a remembered device, if any."""
    actions = options.get(CONF_WAKE_UP)
    configured = actions.get(key) if isinstance(actions, dict) else None
    if not isinstance(configured, dict) or not configured.get(CONF_WAKE_UP_ENTITY):
        return None
    low, high = WAKE_UP_WAIT_RANGE
    wait = configured.get(CONF_WAKE_UP_WAIT, DEFAULT_WAKE_UP_WAIT)
    wait = wait if isinstance(wait, int) and low <= wait <= high else DEFAULT_WAKE_UP_WAIT
    return WakeUpAction(str(configured[CONF_WAKE_UP_ENTITY]), wait)


def _named(devices: Iterable[Device], wanted: str) -> Device | None:
    return next((d for d in devices if wanted in (d.id, d.name)), None)


def _listed(record: RememberedDevice, devices: Iterable[Device]) -> Device | None:
    """The listed device a record stands for: by id, else by name and type (a new id)."""
    devices = [d for d in devices if d.id]
    by_id = next((d for d in devices if d.id == record.id), None)
    return by_id or next((d for d in devices if record.is_listed_as(d)), None)


def controllable(device: Device, wanted: str) -> Device:
    """The device, if Spotify lets apps send it commands."""
    if device.id is None or device.is_restricted:
        raise invalid("device_not_controllable", device=wanted)
    return device


class DeviceSource(Protocol):
    """What the waker reads: the devices (listed last, or now), the records, the options.

    The account's coordinator is one; the waker does not need to know more of it.
    """

    remembered: RememberedDevices

    @property
    def listed_devices(self) -> tuple[Device, ...]:
        """The devices Spotify listed at the last read."""

    @property
    def options(self) -> Mapping[str, Any]:
        """The options in force."""

    async def async_refresh_devices(self) -> tuple[Device, ...]:
        """Read the device list now."""


class DeviceWaker:
    """Finds the device a command names, waking a remembered one when Spotify does not list it."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, source: DeviceSource) -> None:
        """No wake-up runs yet; wake-ups run as the entry's background tasks."""
        self._hass = hass
        self._entry = entry
        self._coordinator = source
        self._pending: dict[str, asyncio.Task[Device]] = {}

    async def async_ready(self, wanted: str) -> Device:
        """The listed device with this id or name, or the remembered one, woken."""
        coordinator = self._coordinator
        device = _named(coordinator.listed_devices, wanted) or _named(
            await coordinator.async_refresh_devices(), wanted
        )
        if device is not None:
            return controllable(device, wanted)
        record = coordinator.remembered.find(wanted)
        if record is None:
            raise invalid("unknown_device", device=wanted)
        return await self.async_wake(record, fresh=True)

    async def async_send(self, wanted: str, send: Callable[[str], Awaitable[object]]) -> Device:
        """Send a command to the device with this id or name, woken first if need be.

        See ``async_send_to`` for a device that fell asleep since the last read.
        """
        return await self.async_send_to(await self.async_ready(wanted), send)

    async def async_send_to(
        self, device: Device, send: Callable[[str], Awaitable[object]]
    ) -> Device:
        """Run ``send(device id)``; if Spotify no longer finds the device, wake it and resend.

        The device list may be half an hour old: a speaker listed then may have gone to
        standby since, and Spotify answers 404. Then one fresh read, the device's
        wake-up action if it has one, and the command once more; without one, the
        error names the device. The device the command reached is returned.
        """
        assert device.id is not None  # noqa: S101 - callers pass controllable devices
        try:
            await send(device.id)
        except SpotifyNoActiveDeviceError as err:
            record = self._coordinator.remembered.match(device)
            if record is None or wake_up_action(self._coordinator.options, record.key) is None:
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="device_unreachable",
                    translation_placeholders={"device": device.name or device.id},
                ) from err
            _LOGGER.debug("%s fell asleep since the last read; waking it", record.name)
            device = await self.async_wake(record)
            assert device.id is not None  # noqa: S101 - the waker refuses devices without one
            await send(device.id)
        return device

    async def async_wake(self, record: RememberedDevice, *, fresh: bool = False) -> Device:
        """The device as Spotify lists it; runs its wake-up action first if it is not listed.

        ``fresh``: the device list was read just now, so it is not read again first.
        """
        coordinator = self._coordinator
        devices = coordinator.listed_devices if fresh else await coordinator.async_refresh_devices()
        device = _listed(record, devices)
        if device is not None:
            return controllable(device, record.name)
        pending = self._pending.get(record.key)
        if pending is None:
            action = wake_up_action(coordinator.options, record.key)
            if action is None:
                raise invalid("device_asleep", device=record.name)
            if self._hass.states.get(action.entity_id) is None:
                raise invalid("wake_up_entity_missing", device=record.name, entity=action.entity_id)
            pending = self._entry.async_create_background_task(
                self._hass, self._wake(record, action), f"{DOMAIN} wake up {record.name}"
            )
            self._pending[record.key] = pending
            pending.add_done_callback(lambda done: self._forget(record.key, done))
        # Shielded: one caller giving up must not cancel the wake-up the others wait for.
        return await asyncio.shield(pending)

    def _forget(self, key: str, done: asyncio.Task[Device]) -> None:
        if self._pending.get(key) is done:
            del self._pending[key]

    async def _wake(self, record: RememberedDevice, action: WakeUpAction) -> Device:
        """Run the action, then read the device list until the device appears or time is up."""
        _LOGGER.debug("Waking %s with %s", record.name, action.entity_id)
        await self._run(record, action)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + action.wait
        delay = WAKE_UP_READ_INTERVAL
        while (left := deadline - loop.time()) >= WAKE_UP_READ_INTERVAL:
            await asyncio.sleep(min(delay, left))
            device = _listed(record, await self._read_devices())
            if device is not None:
                _LOGGER.debug("%s is listed again", record.name)
                return controllable(device, record.name)
            delay = min(delay * _BACKOFF, WAKE_UP_READ_MAX_INTERVAL)
        # The user asked for nothing wrong: the device failed to come online (a service error).
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="device_did_not_wake",
            translation_placeholders={
                "device": record.name,
                "entity": action.entity_id,
                "seconds": str(action.wait),
            },
        )

    async def _run(self, record: RememberedDevice, action: WakeUpAction) -> None:
        """Turn the entity on; a script runs to its end, so its own waits count."""
        domain, service, data = self._service_for(action.entity_id)
        try:
            await self._hass.services.async_call(domain, service, data, blocking=True)
        except (HomeAssistantError, vol.Invalid) as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="wake_up_failed",
                translation_placeholders={
                    "device": record.name,
                    "entity": action.entity_id,
                    "error": str(err) or type(err).__name__,
                },
            ) from err

    def _service_for(self, entity_id: str) -> tuple[str, str, dict[str, Any]]:
        """A script's own action (which waits for the script to finish), else its turn_on."""
        domain = entity_id.partition(".")[0]
        if domain == "script":
            entry = er.async_get(self._hass).async_get(entity_id)
            script = entry.unique_id if entry is not None else entity_id.removeprefix("script.")
            if self._hass.services.has_service(domain, script):
                return domain, script, {}
        return domain, "turn_on", {"entity_id": entity_id}

    async def _read_devices(self) -> tuple[Device, ...]:
        """The device list; a passing failure counts as "not listed yet"."""
        try:
            return await self._coordinator.async_refresh_devices()
        except _FINAL_ERRORS:
            raise
        except SpotifyError as err:
            _LOGGER.debug("Reading the devices while waiting failed: %s", err)
            return ()
