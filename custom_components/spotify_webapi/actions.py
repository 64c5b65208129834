"""Registers the actions kept in modules of their own: library, search, playlists, snapshots."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.core import callback

from .library_actions import LIBRARY_ACTIONS
from .playlist_actions import PLAYLIST_ACTIONS
from .search_actions import SEARCH_ACTIONS
from .services import ACTIONS, async_register_actions
from .snapshot_actions import SNAPSHOT_ACTIONS

if TYPE_CHECKING:
    import voluptuous as vol
    from homeassistant.core import HomeAssistant, SupportsResponse

    from .services import Handler

EXTRA_ACTIONS: Final[dict[str, tuple[Handler, vol.Schema, SupportsResponse]]] = {
    **LIBRARY_ACTIONS,
    **SEARCH_ACTIONS,
    **PLAYLIST_ACTIONS,
    **SNAPSHOT_ACTIONS,
}
# Every action the integration registers.
ALL_ACTIONS: Final = {**ACTIONS, **EXTRA_ACTIONS}


@callback
def async_setup_actions(hass: HomeAssistant) -> None:
    """Register the actions beyond services.py's (once, from async_setup)."""
    async_register_actions(hass, EXTRA_ACTIONS)
