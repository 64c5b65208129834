"""The AuthClient of an entry: HA's shared websession, HA's OAuth2 session as token source."""

from __future__ import annotations

import os
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aiohttp import ClientError, ClientResponseError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import OAuth2Session

from .const import SCOPES
from .oauthcli.authclient import AuthClient
from .oauthcli.errors import (
    AuthorizationError,
    RateLimitError,
    ServiceError,
    authorization_error,
)
from .oauthcli.scopes import scope_set
from .oauthcli.tokenstore import MemoryTokenStore
from .oauthcli.urls import (
    ENV_ACCOUNTS_URL,
    ENV_API_URL,
    SPOTIFY_API_URL,
    accounts_endpoints,
    require_safe_url,
)
from .oauthcli.wire import retry_after_seconds
from .refresh_backoff import RefreshBackoff, held_token_request_lines

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.config_entry_oauth2_flow import AbstractOAuth2Implementation

    from .coordinator import SpotifyWebApiConfigEntry

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


class SpotifyOAuth2Session(OAuth2Session):
    """HA's OAuth2 session, which also counts the access token Spotify just refused as expired.

    HA refreshes by its clock only, and Spotify can refuse a token earlier (revoked,
    rotated). Counting that token as expired sends the forced refresh down HA's own
    path: its lock (one token request however many callers race), its checks, and its
    save into the entry. ``rejected_access_token`` reads AuthClient's note of it.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: SpotifyWebApiConfigEntry,
        implementation: AbstractOAuth2Implementation,
        rejected_access_token: Callable[[], str | None],
    ) -> None:
        """HA's session for the entry, told where to read the refused token."""
        super().__init__(hass, entry, implementation)
        self._rejected_access_token = rejected_access_token

    @property
    def valid_token(self) -> bool:
        """Valid by HA's clock, and not the token Spotify has just refused."""
        rejected = self._rejected_access_token()
        return super().valid_token and (
            rejected is None or self.token.get("access_token") != rejected
        )


def session_token_updater(session: OAuth2Session) -> TokenUpdater:
    """AuthClient's tokenUpdater: HA refreshes and persists; failures become oauthcli errors.

    While Spotify's token endpoint fails, refreshes back off: calls in between fail at once.
    """
    backoff = RefreshBackoff(session.config_entry.title)

    async def update() -> dict[str, Any]:
        if (wait := backoff.wait) and not session.valid_token:
            raise ServiceError(f"{backoff.last_failure}; next token refresh in {wait:.0f} s")
        with held_token_request_lines() as held:
            try:
                await session.async_ensure_token_valid()
            except ClientResponseError as err:
                # HA 2026 raises OAuth2TokenRequest*Error, which subclass ClientResponseError.
                error = refresh_error(err)
                cause: Exception = err
            except (ClientError, TimeoutError) as err:
                error = ServiceError(f"token refresh failed: {type(err).__name__}")
                cause = err
            else:
                backoff.succeeded()
                return dict(session.token)
        if isinstance(error, AuthorizationError):
            held.release()
        else:
            held.demote()
            if isinstance(error, ServiceError):
                backoff.failed(str(error))
        raise error from cause

    return update


def refresh_error(err: ClientResponseError) -> AuthorizationError | RateLimitError | ServiceError:
    """The oauthcli error for a refused token refresh: 4xx means authorize again."""
    if err.status == HTTPStatus.TOO_MANY_REQUESTS:
        return RateLimitError(retry_after_seconds(err.headers or {}))
    if err.status >= HTTPStatus.INTERNAL_SERVER_ERROR:
        return ServiceError(f"token refresh failed with HTTP {err.status}", err.status)
    return authorization_error("invalid_grant", "the token refresh was refused", err.status)


def missing_scopes(token: Mapping[str, Any]) -> list[str]:
    """The scopes the integration needs that ``token`` does not grant (a superset is fine)."""
    granted = scope_set(token.get("scope"))
    return [scope for scope in SCOPES if scope not in granted]
