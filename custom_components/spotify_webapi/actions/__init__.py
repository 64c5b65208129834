"""Registers every action, services.py's and those the other action modules define."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.core import callback

from .library import LIBRARY_ACTIONS
from .playlist import PLAYLIST_ACTIONS
from .search import SEARCH_ACTIONS
from .services import ACTIONS, async_register_actions
from .snapshot import SNAPSHOT_ACTIONS

if TYPE_CHECKING:
    import voluptuous as vol
    from homeassistant.core import HomeAssistant, SupportsResponse

    from .services import Handler

# Every action the integration registers.
ALL_ACTIONS: Final[dict[str, tuple[Handler, vol.Schema, SupportsResponse]]] = {
    **ACTIONS,
    **LIBRARY_ACTIONS,
    **SEARCH_ACTIONS,
    **PLAYLIST_ACTIONS,
    **SNAPSHOT_ACTIONS,
}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register every action (once, from async_setup)."""
    async_register_actions(hass, ALL_ACTIONS)
