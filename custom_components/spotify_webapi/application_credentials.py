"""Application credentials: the user's Spotify app, used with PKCE through HA's OAuth callback."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from homeassistant.helpers.config_entry_oauth2_flow import (
    AUTH_CALLBACK_PATH,
    MY_AUTH_CALLBACK_PATH,
    AbstractOAuth2Implementation,
    LocalOAuth2ImplementationWithPkce,
)
from homeassistant.helpers.network import NoURLAvailableError, get_url

from .const import DEVELOPER_DASHBOARD_URL
from .oauthcli.urls import ENV_ACCOUNTS_URL, accounts_endpoints

if TYPE_CHECKING:
    from homeassistant.components.application_credentials import ClientCredential
    from homeassistant.core import HomeAssistant

# Shown when HA cannot tell its own URL (no internal or external URL configured).
_UNKNOWN_HA_URL = "<your Home Assistant URL>"


class SpotifyPkceImplementation(LocalOAuth2ImplementationWithPkce):
    """PKCE S256 that also sends the client secret, named after the user's credential."""

    def __init__(self, hass: HomeAssistant, auth_domain: str, credential: ClientCredential) -> None:
        """Point at Spotify's accounts service, or the one ``SPOTIFY_WEBAPI_ACCOUNTS_URL`` names."""
        authorize_url, token_url = accounts_endpoints(os.environ.get(ENV_ACCOUNTS_URL))
        super().__init__(
            hass,
            auth_domain,
            credential.client_id,
            authorize_url,
            token_url,
            client_secret=credential.client_secret,
        )
        self._credential_name = credential.name

    @property
    def name(self) -> str:
        """The credential's name in HA's list, as HA's own implementation shows it."""
        return self._credential_name or self.client_id


async def async_get_auth_implementation(
    hass: HomeAssistant, auth_domain: str, credential: ClientCredential
) -> AbstractOAuth2Implementation:
    """Build the PKCE implementation; the endpoints are read now, not at import."""
    return SpotifyPkceImplementation(hass, auth_domain, credential)


async def async_get_description_placeholders(hass: HomeAssistant) -> dict[str, str]:
    """Tell the user which redirect URI to register, and where."""
    return {
        "developer_dashboard_url": DEVELOPER_DASHBOARD_URL,
        "redirect_uri": redirect_uri_to_register(hass),
    }


def redirect_uri_to_register(hass: HomeAssistant) -> str:
    """The redirect URI HA will send: my.home-assistant.io's, or HA's own callback."""
    if "my" in hass.config.components:
        return MY_AUTH_CALLBACK_PATH
    try:
        base = get_url(hass, allow_ip=True, prefer_external=True)
    except NoURLAvailableError:
        base = _UNKNOWN_HA_URL
    return f"{base}{AUTH_CALLBACK_PATH}"
