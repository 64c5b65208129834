"""Diagnostics: the entry, the account and its player, every secret and personal detail redacted.

Redacted: tokens, ids, names, URIs (what a user listens to is personal too).
"""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.diagnostics import async_redact_data

from .const import CONF_LINKED_PLAYERS, CONF_WAKE_UP

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.device_registry import DeviceEntry

    from .coordinator import SpotifyWebApiCoordinator
    from .data import SpotifyWebApiConfigEntry
    from .webapi import Device, PlaybackState

TO_REDACT: Final = {
    "access_token",
    "refresh_token",
    "client_id",
    "client_secret",
    "unique_id",
    "title",
    "id",
    "name",
    "display_name",
    "email",
    "uri",
    "external_url",
    "images",
    "default_device",
    # Keyed by Spotify device ids.
    CONF_WAKE_UP,
    CONF_LINKED_PLAYERS,
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: SpotifyWebApiConfigEntry
) -> dict[str, Any]:
    """What support needs to see: entry state, granted scopes, account kind, polling health."""
    coordinator = entry.runtime_data.coordinator
    diagnostics = {
        "entry": {
            "title": entry.title,
            "version": entry.version,
            "data": dict(entry.data),
            "options": dict(entry.options),
        },
        "account": asdict(coordinator.data.user),
        "polling": _polling(coordinator),
    }
    return async_redact_data(diagnostics, TO_REDACT)


async def async_get_device_diagnostics(
    hass: HomeAssistant, entry: SpotifyWebApiConfigEntry, device: DeviceEntry
) -> dict[str, Any]:
    """The player behind the account's device: playback, Connect devices, polling."""
    coordinator = entry.runtime_data.coordinator
    snapshot = coordinator.data
    diagnostics = {
        "playback": _playback(snapshot.playback),
        "connect_devices": [_device(connect) for connect in snapshot.devices],
        "playing_playlist_known": snapshot.playlist is not None,
        "last_device_known": coordinator.last_device_id is not None,
        "polling": _polling(coordinator),
    }
    return async_redact_data(diagnostics, TO_REDACT)


def _polling(coordinator: SpotifyWebApiCoordinator) -> dict[str, Any]:
    interval = coordinator.update_interval
    return {
        "last_update_success": coordinator.last_update_success,
        "update_interval_seconds": interval.total_seconds() if interval else None,
        "rate_limited_for_seconds": round(coordinator.api.rate_limited_for, 1),
        "devices_age_seconds": round(time.monotonic() - coordinator.devices_fetched_at),
    }


def _device(device: Device) -> dict[str, Any]:
    # Devices without an id cannot be controlled: say so, the id itself is redacted.
    return asdict(device) | {"has_id": device.id is not None}


def _playback(playback: PlaybackState | None) -> dict[str, Any] | None:
    """The playback state; the item only by kind and length."""
    if playback is None:
        return None
    item = playback.item
    return {
        "is_playing": playback.is_playing,
        "currently_playing_type": playback.currently_playing_type,
        "device": None if playback.device is None else _device(playback.device),
        "context_type": playback.context.type if playback.context else None,
        "item_duration_ms": item.duration_ms if item else None,
        "progress_ms": playback.progress_ms,
        "shuffle_state": playback.shuffle_state,
        "repeat_state": str(playback.repeat_state),
        "disallows": asdict(playback.disallows),
    }
