"""The AuthClient of an entry: HA's shared websession, HA's OAuth2 session as token source."""

from __future__ import annotations

import os
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aiohttp import ClientError, ClientResponseError
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .const import SCOPES
from .oauthcli.authclient import AuthClient, retry_after_seconds
from .oauthcli.errors import (
    AuthorizationError,
    RateLimitError,
    ServiceError,
    authorization_error,
)
from .oauthcli.tokenstore import MemoryTokenStore
from .oauthcli.urls import (
    ENV_ACCOUNTS_URL,
    ENV_API_URL,
    SPOTIFY_API_URL,
    accounts_endpoints,
    require_safe_url,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.config_entry_oauth2_flow import OAuth2Session

AUTHORIZATION_TYPE = "Authorization Code PKCE"

type TokenUpdater = Callable[[], Awaitable[dict[str, Any]]]


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


def session_token_updater(
    session: OAuth2Session, rejected_access_token: Callable[[], str | None]
) -> TokenUpdater:
    """AuthClient's tokenUpdater: HA refreshes and persists; failures become oauthcli errors.

    ``rejected_access_token`` names the token Spotify just answered 401 for: HA
    would keep a token that has not expired by its clock, so that one is
    refreshed regardless instead of sending the user to reauthenticate.
    """

    async def update() -> dict[str, Any]:
        try:
            if rejected_access_token() == session.token.get("access_token"):
                await _refresh_now(session)
            else:
                await session.async_ensure_token_valid()
        except ClientResponseError as err:
            # HA 2026 raises OAuth2TokenRequest*Error, which subclass ClientResponseError.
            raise refresh_error(err) from err
        except (ClientError, TimeoutError) as err:
            raise ServiceError(f"token refresh failed: {type(err).__name__}") from err
        return dict(session.token)

    return update


async def _refresh_now(session: OAuth2Session) -> None:
    """Refresh through HA's implementation and persist the token in the entry, as HA does."""
    token = await session.implementation.async_refresh_token(session.token)
    session.hass.config_entries.async_update_entry(
        session.config_entry, data={**session.config_entry.data, "token": token}
    )


def refresh_error(err: ClientResponseError) -> AuthorizationError | RateLimitError | ServiceError:
    """The oauthcli error for a refused token refresh: 4xx means authorize again."""
    if err.status == HTTPStatus.TOO_MANY_REQUESTS:
        return RateLimitError(retry_after_seconds(err.headers or {}))
    if err.status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return ServiceError(f"token refresh failed with HTTP {err.status}", err.status)
    return authorization_error("invalid_grant", "the token refresh was refused", err.status)
