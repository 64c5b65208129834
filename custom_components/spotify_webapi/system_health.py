"""System health: can HA reach Spotify's Web API, and how many accounts are set up."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from homeassistant.components import system_health
from homeassistant.core import callback

from .const import DOMAIN
from .oauthcli.urls import ENV_API_URL, SPOTIFY_API_URL

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant


@callback
def async_register(hass: HomeAssistant, register: system_health.SystemHealthRegistration) -> None:
    """Add the integration's section to the system health page."""
    register.async_register_info(system_health_info)


async def system_health_info(hass: HomeAssistant) -> dict[str, Any]:
    """Reachability is checked lazily by the page; the count is immediate."""
    api_url = os.environ.get(ENV_API_URL) or SPOTIFY_API_URL
    return {
        "api_endpoint_reachable": system_health.async_check_can_reach_url(hass, api_url),
        "accounts_configured": len(hass.config_entries.async_loaded_entries(DOMAIN)),
    }
