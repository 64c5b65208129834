"""Registers the actions kept in modules of their own: library, search, playlists, snapshots."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.core import callback

from .const import DOMAIN
from .library_actions import LIBRARY_ACTIONS
from .playlist_actions import PLAYLIST_ACTIONS
from .search_actions import SEARCH_ACTIONS
from .services import ACTIONS, _action
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
    for name, (handler, schema, response) in EXTRA_ACTIONS.items():
        hass.services.async_register(
            DOMAIN,
            name,
            _action(handler),
            schema=schema,  # type: ignore[arg-type, unused-ignore]
            supports_response=response,
        )
