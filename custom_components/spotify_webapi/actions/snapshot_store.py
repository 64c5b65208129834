"""Playback snapshots: what played where, saved under a name per account, kept across restarts."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Final, Self

from homeassistant.exceptions import HomeAssistantError
from homeassistant.util.hass_dict import HassKey

from ..const import DOMAIN
from ..versioned_store import VersionedStore

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from ..data import SpotifyWebApiConfigEntry
    from ..webapi import PlaybackState

_LOGGER = logging.getLogger(__name__)

# The file's format. 1.1: {name: snapshot}; 1.2: {"snapshots": {name: snapshot}}, so that
# what else a later release keeps there cannot meet a name the user chose.
STORAGE_VERSION: Final = 1
STORAGE_MINOR_VERSION: Final = 2
# Bursts of snapshots (one per announcement) are written once.
SAVE_DELAY: Final = 5
# One store per entry, so a snapshot waiting to be written is what the next restore reads.
_STORES: Final[HassKey[dict[str, SnapshotStore]]] = HassKey(f"{DOMAIN}_snapshot_stores")


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaybackSnapshot:
    """Everything restore needs; ``item_uri`` None means nothing was loaded."""

    device_id: str | None = None
    device_name: str | None = None
    context_uri: str | None = None
    item_uri: str | None = None
    item_name: str | None = None
    position_ms: int | None = None
    shuffle: bool = False
    repeat: str = "off"
    volume: int | None = None
    is_playing: bool = False

    @classmethod
    def of(cls, playback: PlaybackState | None) -> Self:
        """Take the snapshot of a playback state (None: nothing loaded)."""
        if playback is None:
            return cls()
        device, item, context = playback.device, playback.item, playback.context
        return cls(
            device_id=None if device is None else device.id,
            device_name=None if device is None else device.name,
            context_uri=None if context is None else context.uri,
            item_uri=None if item is None else item.uri,
            item_name=None if item is None else item.name,
            position_ms=playback.progress_ms,
            shuffle=playback.shuffle_state,
            repeat=str(playback.repeat_state),
            volume=device.volume_percent if device and device.supports_volume else None,
            is_playing=playback.is_playing,
        )

    @classmethod
    def from_stored(cls, data: dict[str, Any]) -> Self:
        """Read a stored snapshot, ignoring fields a later version may add."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)

    def as_dict(self) -> dict[str, Any]:
        """As stored, and as the snapshot action answers."""
        return asdict(self)


class SnapshotStore:
    """An account's named snapshots in HA's storage (one file per entry)."""

    def __init__(self, hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> None:
        """Address the entry's file; nothing is read until needed."""
        self._store: VersionedStore[dict[str, Any]] = VersionedStore(
            hass,
            storage_key(entry.entry_id),
            version=STORAGE_VERSION,
            minor_version=STORAGE_MINOR_VERSION,
            migrate=migrate_snapshots,
        )
        self._snapshots: dict[str, dict[str, Any]] | None = None
        # False while the file could not be read: new snapshots are then kept in memory only.
        self._writable = True

    async def _loaded(self) -> dict[str, dict[str, Any]]:
        if self._snapshots is None:
            try:
                stored = await self._store.async_load() or {}
            except HomeAssistantError as err:
                _LOGGER.error("Snapshots not read, and not written over: %s", err)  # noqa: TRY400
                stored, self._writable = {}, False
            snapshots = stored.get("snapshots")
            self._snapshots = snapshots if isinstance(snapshots, dict) else {}
        return self._snapshots

    async def async_get(self, name: str) -> PlaybackSnapshot | None:
        """The snapshot saved under ``name``, if any."""
        stored = (await self._loaded()).get(name)
        return None if stored is None else PlaybackSnapshot.from_stored(stored)

    async def async_put(self, name: str, snapshot: PlaybackSnapshot) -> None:
        """Save ``snapshot`` under ``name`` (replacing an older one)."""
        snapshots = await self._loaded()
        snapshots[name] = snapshot.as_dict()
        if self._writable:
            self._store.async_delay_save(lambda: {"snapshots": snapshots}, SAVE_DELAY)

    async def async_remove(self) -> None:
        """Delete the file: the account is gone."""
        await self._store.async_remove()


def storage_key(entry_id: str) -> str:
    """The file under .storage that holds one entry's snapshots."""
    return f"{DOMAIN}.{entry_id}.snapshots"


def migrate_snapshots(old_minor_version: int, old_data: dict[str, Any]) -> dict[str, Any]:
    """1.1 kept the snapshots at the top level; 1.2 and later keep them under a key."""
    if old_minor_version < 2:  # noqa: PLR2004 - the version this step leads to
        return {"snapshots": old_data}
    return old_data


def snapshot_store(hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> SnapshotStore:
    """The entry's snapshot store."""
    stores = hass.data.setdefault(_STORES, {})
    if entry.entry_id not in stores:
        stores[entry.entry_id] = SnapshotStore(hass, entry)
    return stores[entry.entry_id]


async def async_remove_snapshots(hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> None:
    """Delete the entry's snapshots with the entry."""
    await snapshot_store(hass, entry).async_remove()
    hass.data[_STORES].pop(entry.entry_id, None)
