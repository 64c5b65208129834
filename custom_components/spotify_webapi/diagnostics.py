"""Diagnostics: the entry and the account, with every credential and personal detail redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.diagnostics import async_redact_data

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .coordinator import SpotifyWebApiConfigEntry

TO_REDACT: Final = {
    "access_token",
    "refresh_token",
    "client_id",
    "client_secret",
    "unique_id",
    "title",
    "id",
    "display_name",
    "email",
    "uri",
    "external_url",
    "images",
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
        "account": asdict(coordinator.data),
        "polling": {
            "last_update_success": coordinator.last_update_success,
            "update_interval_seconds": (
                coordinator.update_interval.total_seconds() if coordinator.update_interval else None
            ),
        },
    }
    return async_redact_data(diagnostics, TO_REDACT)
