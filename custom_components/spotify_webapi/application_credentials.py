"""Application credentials: the user's Spotify app, used with PKCE through HA's OAuth callback."""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any, Final

from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import (
    AUTH_CALLBACK_PATH,
    MY_AUTH_CALLBACK_PATH,
    AbstractOAuth2Implementation,
    LocalOAuth2ImplementationWithPkce,
)
from homeassistant.helpers.network import NoURLAvailableError, get_url

from .auth import AUTHORIZATION_TYPE
from .const import DEVELOPER_DASHBOARD_URL
from .oauthcli.authclient import AuthClient
from .oauthcli.tokenstore import MemoryTokenStore
from .oauthcli.urls import ENV_ACCOUNTS_URL, accounts_endpoints

if TYPE_CHECKING:
    from homeassistant.components.application_credentials import ClientCredential
    from homeassistant.core import HomeAssistant

# Shown when HA cannot tell its own URL (no internal or external URL configured).
_UNKNOWN_HA_URL = "<your Home Assistant URL>"
# The lifetime of a refreshed token whose answer gave none (Spotify's tokens last an hour).
DEFAULT_TOKEN_LIFETIME: Final = 3600


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

    async def async_refresh_token(self, token: dict[str, Any]) -> dict[str, Any]:
        """The refreshed token, asked for by AuthClient's own token request, not HA's.

        That request follows no redirect, reads a bounded answer, keeps the refresh token
        an answer leaves out, and tells an outage (5xx, 408, 429, ``server_error``,
        ``temporarily_unavailable``: oauthcli's ``ServiceError``/``RateLimitError``) from
        a refusal (``invalid_grant``: ``AuthorizationError``) by reading the body where
        the request is made. HA then saves the token into the entry as usual.
        """
        refresher = AuthClient(
            AUTHORIZATION_TYPE,
            self.authorize_url,
            self.token_url,
            clientId=self.client_id,
            clientSecret=self.client_secret,
            oauth2Session=async_get_clientsession(self.hass),
            tokenStore=MemoryTokenStore(),
        )
        refresher.Token = dict(token)
        answer = await refresher.RefreshToken()
        if "expires_at" not in answer:  # no usable lifetime: never keep the old expiry
            answer = {
                **answer,
                "expires_in": DEFAULT_TOKEN_LIFETIME,
                "expires_at": time.time() + DEFAULT_TOKEN_LIFETIME,
            }
        return {**token, **answer}


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
