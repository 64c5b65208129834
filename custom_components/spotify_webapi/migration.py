"""Config entries written by earlier releases, brought to today's format once, then trusted."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final

from .const import (
    CONF_IDLE_INTERVAL,
    CONF_PLAYING_INTERVAL,
    DEFAULT_IDLE_INTERVAL,
    DEFAULT_PLAYING_INTERVAL,
    IDLE_INTERVAL_RANGE,
    PLAYING_INTERVAL_RANGE,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from homeassistant.core import HomeAssistant

    from .data import SpotifyWebApiConfigEntry

_LOGGER = logging.getLogger(__name__)

ENTRY_VERSION: Final = 1
# 1.2: the polling intervals lie within today's bounds (1.1 stored older, lower floors).
ENTRY_MINOR_VERSION: Final = 2
# Each interval option, its default and its bounds.
INTERVALS: Final = (
    (CONF_PLAYING_INTERVAL, DEFAULT_PLAYING_INTERVAL, PLAYING_INTERVAL_RANGE),
    (CONF_IDLE_INTERVAL, DEFAULT_IDLE_INTERVAL, IDLE_INTERVAL_RANGE),
)


async def async_migrate_entry(hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> bool:
    """Bring an entry of an earlier release up to date; refuse one of a later release."""
    if entry.version > ENTRY_VERSION:
        _LOGGER.error(
            "The entry %s was written by a newer release of this integration (version %s)",
            entry.title,
            entry.version,
        )
        return False
    if entry.minor_version < ENTRY_MINOR_VERSION:
        hass.config_entries.async_update_entry(
            entry, options=intervals_within_bounds(entry.options), minor_version=2
        )
        _LOGGER.debug("Migrated the entry %s to version 1.2", entry.title)
    return True


def intervals_within_bounds(options: Mapping[str, Any]) -> dict[str, Any]:
    """The options with each stored polling interval held to its bounds (a number or not)."""
    migrated = dict(options)
    for key, default, (low, high) in INTERVALS:
        if key not in migrated:
            continue
        try:
            seconds = int(migrated[key])
        except (TypeError, ValueError, OverflowError):
            seconds = default
        migrated[key] = max(low, min(high, seconds))
    return migrated
