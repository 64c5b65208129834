"""Runtime data of an entry: HA's OAuth2 session, the AuthClient on top of it, and polling."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import timedelta
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aiohttp import ClientError, ClientResponseError
from homeassistant.config_entries import ConfigEntry
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .const import CONF_IDLE_INTERVAL, DEFAULT_IDLE_INTERVAL, DOMAIN, SCOPES
from .oauthcli.authclient import AuthClient, retry_after_seconds
from .oauthcli.errors import AuthorizationError, RateLimitError, ServiceError
from .oauthcli.tokenstore import MemoryTokenStore
from .oauthcli.urls import (
    ENV_ACCOUNTS_URL,
    ENV_API_URL,
    SPOTIFY_API_URL,
    accounts_endpoints,
    require_safe_url,
)
from .repairs import async_create_premium_issue, async_delete_premium_issue
from .webapi import (
    CurrentUser,
    SpotifyAuthorizationError,
    SpotifyError,
    SpotifyForbiddenError,
    SpotifyWebApiClient,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.config_entry_oauth2_flow import OAuth2Session

_LOGGER = logging.getLogger(__name__)

AUTHORIZATION_TYPE = "Authorization Code PKCE"

type TokenUpdater = Callable[[], Awaitable[dict[str, Any]]]
type SpotifyWebApiConfigEntry = ConfigEntry[SpotifyWebApiData]


@dataclass(slots=True)
class SpotifyWebApiData:
    """What a loaded entry holds: HA's session, the AuthClient, the API and its coordinator."""

    session: OAuth2Session
    auth: AuthClient
    api: SpotifyWebApiClient
    coordinator: SpotifyWebApiCoordinator


def build_auth_client(
    hass: HomeAssistant, token: dict[str, Any], token_updater: TokenUpdater
) -> AuthClient:
    """An AuthClient on HA's shared session that asks HA for tokens and writes no file."""
    authorize_url, token_url = accounts_endpoints(os.environ.get(ENV_ACCOUNTS_URL))
    auth = AuthClient(
        AUTHORIZATION_TYPE,
        authorize_url,
        token_url,
        list(SCOPES),
        oauth2Session=async_get_clientsession(hass),
        tokenUpdater=token_updater,
        tokenStore=MemoryTokenStore(),
        apiBaseUrl=require_safe_url(os.environ.get(ENV_API_URL) or SPOTIFY_API_URL, ENV_API_URL),
    )
    auth.Token = token
    return auth


def session_token_updater(session: OAuth2Session) -> TokenUpdater:
    """AuthClient's tokenUpdater: HA refreshes and persists; failures become oauthcli errors."""

    async def update() -> dict[str, Any]:
        try:
            await session.async_ensure_token_valid()
        except ClientResponseError as err:
            # HA 2026 raises OAuth2TokenRequest*Error, which subclass ClientResponseError.
            raise refresh_error(err) from err
        except (ClientError, TimeoutError) as err:
            raise ServiceError(f"token refresh failed: {type(err).__name__}") from err
        return dict(session.token)

    return update


def refresh_error(err: ClientResponseError) -> AuthorizationError | RateLimitError | ServiceError:
    """The oauthcli error for a refused token refresh: 4xx means authorize again."""
    if err.status == HTTPStatus.TOO_MANY_REQUESTS:
        return RateLimitError(retry_after_seconds(err.headers or {}))
    if err.status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return ServiceError(f"token refresh failed with HTTP {err.status}", err.status)
    return AuthorizationError("invalid_grant", "the token refresh was refused", err.status)


class SpotifyWebApiCoordinator(DataUpdateCoordinator[CurrentUser]):
    """Polls the account; maps Spotify failures to what HA expects of a coordinator."""

    config_entry: SpotifyWebApiConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: SpotifyWebApiConfigEntry, api: SpotifyWebApiClient
    ) -> None:
        """Poll at the idle interval the options give."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=entry.title,
            update_interval=idle_interval(entry),
        )
        self.api = api

    async def _async_update_data(self) -> CurrentUser:
        """Fetch the signed-in user's profile (the connection test, too)."""
        try:
            user = await self.api.get_current_user()
        except SpotifyAuthorizationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="authorization_refused"
            ) from err
        except SpotifyForbiddenError as err:
            async_create_premium_issue(self.hass, self.config_entry, err.message)
            raise ConfigEntryError(
                translation_domain=DOMAIN,
                translation_key="premium_required",
                translation_placeholders={"message": err.message},
            ) from err
        except SpotifyError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="update_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        async_delete_premium_issue(self.hass, self.config_entry)
        return user


def idle_interval(entry: ConfigEntry[Any]) -> timedelta:
    """The polling interval while nothing plays."""
    return timedelta(seconds=entry.options.get(CONF_IDLE_INTERVAL, DEFAULT_IDLE_INTERVAL))
