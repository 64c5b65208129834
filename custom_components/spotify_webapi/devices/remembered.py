"""The Connect devices an account has used, kept across restarts so they can be woken and chosen.

Spotify's Web API lists a device only while it is online with Spotify awake, and it
gives some devices a new id now and then. Each device seen is remembered once: a
listed device is matched to its record by id first, then by name and type, and the
record takes the new id. The records live in HA's storage, one file per entry,
removed with the entry.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any, Final

from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from ..const import DOMAIN
from ..versioned_store import VersionedStore

if TYPE_CHECKING:
    from collections.abc import Iterable

    from homeassistant.core import HomeAssistant

    from ..webapi import Device

_LOGGER = logging.getLogger(__name__)

# The file's format: {"devices": [record, ...], "last_used": key or null}. Every 1.x is read
# as it is (a later minor version only adds fields, which records ignore).
STORAGE_VERSION: Final = 1
STORAGE_MINOR_VERSION: Final = 1
# Bursts of observations (every poll names the active device) are written once.
SAVE_DELAY: Final = 30
# A record whose only news is a later last_seen is written at most this often (seconds):
# every poll sees the playing device, and the options form shows last_seen to the minute.
LAST_SEEN_SAVE_INTERVAL: Final = 3600


def storage_key(entry_id: str) -> str:
    """The file under .storage that holds one entry's devices."""
    return f"{DOMAIN}.{entry_id}.devices"


@dataclass(frozen=True, slots=True, kw_only=True)
class RememberedDevice:
    """A device seen before; ``key`` stays the same when Spotify changes its ``id``."""

    key: str
    id: str
    name: str
    type: str
    supports_volume: bool
    last_seen: str

    def is_listed_as(self, device: Device) -> bool:
        """The same id, or (Spotify gave it a new one) the same name and type."""
        return device.id == self.id or (device.name, device.type) == (self.name, self.type)

    @classmethod
    def from_stored(cls, data: object) -> RememberedDevice | None:
        """A stored record, or None when it is not one (a hand-edited or damaged file)."""
        if not isinstance(data, dict):
            return None
        texts = [data.get(name) for name in ("key", "id", "name", "type", "last_seen")]
        if not all(isinstance(text, str) and text for text in texts):
            return None
        key, device_id, name, kind, last_seen = (str(text) for text in texts)
        supports_volume = data.get("supports_volume")
        return cls(
            key=key,
            id=device_id,
            name=name,
            type=kind,
            supports_volume=supports_volume is True,
            last_seen=last_seen,
        )


def _rememberable(device: Device) -> bool:
    """Only devices that can be addressed and controlled are worth remembering."""
    return bool(device.id and device.name and device.type and not device.is_restricted)


class RememberedDevices:
    """One account's remembered devices, and which one played last."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Nothing is read until ``async_load``."""
        self._store: VersionedStore[dict[str, Any]] = VersionedStore(
            hass,
            storage_key(entry_id),
            version=STORAGE_VERSION,
            minor_version=STORAGE_MINOR_VERSION,
            migrate=_same_format,
        )
        self._devices: dict[str, RememberedDevice] = {}
        self._last_used: str | None = None
        # Never write before reading: an empty list would replace the stored devices.
        self._loaded = False
        self._changed = False
        # time.monotonic() of the last write asked for; none yet.
        self._saved_at = -float(LAST_SEEN_SAVE_INTERVAL)

    async def async_load(self) -> None:
        """Read the stored records (a missing or damaged file means none).

        A file of a newer release is left as it is: nothing is written over it.
        """
        try:
            stored = await self._store.async_load()
        except HomeAssistantError as err:
            _LOGGER.error("Remembered devices not read, and not written over: %s", err)  # noqa: TRY400
            return
        records = stored.get("devices") if isinstance(stored, dict) else None
        for data in records if isinstance(records, list) else ():
            record = RememberedDevice.from_stored(data)
            if record is None:
                _LOGGER.warning("Ignoring a damaged remembered device in %s", self._store.path)
            else:
                self._devices[record.key] = record
        last = stored.get("last_used") if isinstance(stored, dict) else None
        self._last_used = last if last in self._devices else None
        self._loaded = True

    @property
    def devices(self) -> list[RememberedDevice]:
        """Every record, by name."""
        return sorted(self._devices.values(), key=lambda d: (d.name.casefold(), d.name, d.key))

    @property
    def last_used(self) -> RememberedDevice | None:
        """The device playback was on most recently."""
        return None if self._last_used is None else self._devices.get(self._last_used)

    def get(self, key: str) -> RememberedDevice | None:
        """The record with this key."""
        return self._devices.get(key)

    def find(self, wanted: str) -> RememberedDevice | None:
        """The record named ``wanted``: its id, its key or its name."""
        for record in self.devices:
            if wanted in (record.id, record.key, record.name):
                return record
        return None

    def match(self, device: Device) -> RememberedDevice | None:
        """The record of a listed device: by id first, then by name and type."""
        by_id = next((r for r in self._devices.values() if r.id == device.id), None)
        return by_id or next((r for r in self.devices if r.is_listed_as(device)), None)

    def observe(self, listed: Iterable[Device]) -> None:
        """Remember what Spotify lists now (new devices, new ids, new names)."""
        listed = [device for device in listed if _rememberable(device)]
        now = dt_util.utcnow().isoformat()
        # A record keeps its id while a device with that id is listed: two devices
        # with the same name and type must not be folded into one.
        taken = {device.id for device in listed}
        news = False
        for device in listed:
            record = self.match(device)
            if record is not None and record.id != device.id and record.id in taken:
                record = None
            news |= self._remember(device, record, now)[1]
        self._save(news=news)

    def observe_playing(self, device: Device) -> None:
        """Note the device playback is on (no request: the poll already read it)."""
        if not _rememberable(device):
            return
        record, news = self._remember(device, self.match(device), dt_util.utcnow().isoformat())
        news |= record.key != self._last_used
        self._last_used = record.key
        self._save(news=news)

    def forget(self, key: str) -> None:
        """Drop a record (it comes back if Spotify lists the device again)."""
        self._devices.pop(key, None)
        if self._last_used == key:
            self._last_used = None
        self._save()

    async def async_remove(self) -> None:
        """Delete the file."""
        await self._store.async_remove()

    async def async_flush(self) -> None:
        """Write a pending change now (the entry unloads)."""
        if self._changed:
            await self._store.async_save(self._stored())
            self._changed = False

    def _save(self, *, news: bool = True) -> None:
        """Write soon; a later last_seen alone waits until the last write is an hour old."""
        if not self._loaded:
            return
        if not news and time.monotonic() - self._saved_at < LAST_SEEN_SAVE_INTERVAL:
            return
        self._saved_at = time.monotonic()
        self._changed = True
        self._store.async_delay_save(self._stored, SAVE_DELAY)

    def _remember(
        self, device: Device, record: RememberedDevice | None, now: str
    ) -> tuple[RememberedDevice, bool]:
        """The record updated from what Spotify says now, and whether it is worth a write."""
        # _rememberable let only devices with all three through.
        assert device.id is not None  # noqa: S101
        assert device.name is not None  # noqa: S101
        assert device.type is not None  # noqa: S101
        before = record
        if record is None:
            record = RememberedDevice(
                key=device.id,
                id=device.id,
                name=device.name,
                type=device.type,
                supports_volume=device.supports_volume,
                last_seen=now,
            )
        else:
            record = replace(
                record,
                id=device.id,
                name=device.name,
                type=device.type,
                supports_volume=device.supports_volume,
                last_seen=now,
            )
        self._devices[record.key] = record
        return record, before is None or replace(before, last_seen=now) != record

    def _stored(self) -> dict[str, Any]:
        self._changed = False
        return {
            "devices": [asdict(record) for record in self.devices],
            "last_used": self._last_used,
        }


def _same_format(old_minor_version: int, old_data: dict[str, Any]) -> dict[str, Any]:
    """Every 1.x file is read as it is."""
    return old_data


async def async_remove_remembered_devices(hass: HomeAssistant, entry_id: str) -> None:
    """Delete the entry's file (the entry is being removed)."""
    await RememberedDevices(hass, entry_id).async_remove()
