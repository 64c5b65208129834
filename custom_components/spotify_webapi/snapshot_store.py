"""Playback snapshots: what played where, saved under a name per account, kept across restarts."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Final, Self

from homeassistant.helpers.storage import Store
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .coordinator import SpotifyWebApiConfigEntry
    from .webapi import PlaybackState

STORAGE_VERSION: Final = 1
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
        self._store: Store[dict[str, dict[str, Any]]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.{entry.entry_id}.snapshots"
        )
        self._snapshots: dict[str, dict[str, Any]] | None = None

    async def _loaded(self) -> dict[str, dict[str, Any]]:
        if self._snapshots is None:
            self._snapshots = await self._store.async_load() or {}
        return self._snapshots

    async def async_get(self, name: str) -> PlaybackSnapshot | None:
        """The snapshot saved under ``name``, if any."""
        stored = (await self._loaded()).get(name)
        return None if stored is None else PlaybackSnapshot.from_stored(stored)

    async def async_put(self, name: str, snapshot: PlaybackSnapshot) -> None:
        """Save ``snapshot`` under ``name`` (replacing an older one)."""
        snapshots = await self._loaded()
        snapshots[name] = snapshot.as_dict()
        self._store.async_delay_save(lambda: snapshots, SAVE_DELAY)

    async def async_remove(self) -> None:
        """Delete the file: the account is gone."""
        await self._store.async_remove()


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
