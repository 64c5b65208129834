"""The AuthClient of an entry: HA's shared websession, HA's OAuth2 session as token source."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .const import SCOPES
from .oauthcli.authclient import AuthClient
from .oauthcli.errors import AuthorizationError, ServiceError
from .oauthcli.scopes import scope_set
from .oauthcli.tokenstore import MemoryTokenStore
from .oauthcli.urls import (
    ENV_ACCOUNTS_URL,
    ENV_API_URL,
    SPOTIFY_API_URL,
    accounts_endpoints,
    require_safe_url,
)
from .refresh_backoff import RefreshBackoff

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.config_entry_oauth2_flow import OAuth2Session

_LOGGER = logging.getLogger(__name__)

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
    """AuthClient's tokenUpdater: HA refreshes and persists; failures are oauthcli errors.

    HA refreshes by its clock only, and Spotify can refuse a token earlier (revoked,
    rotated): ``rejected_access_token`` reads AuthClient's note of the token Spotify just
    refused, and that one is refreshed too, through the same implementation and saved into
    the entry as HA saves. AuthClient calls this once at a time, so no refresh races
    another. While Spotify's token endpoint fails, refreshes back off: calls in between
    fail at once.
    """
    backoff = RefreshBackoff(session.config_entry.title)

    def refused() -> bool:
        return session.token.get("access_token") == rejected_access_token()

    async def refresh() -> None:
        # HA's refresh by its clock, or the end of one already under way.
        await session.async_ensure_token_valid()
        if not refused():
            return
        entry = session.config_entry
        token = await session.implementation.async_refresh_token(session.token)
        session.hass.config_entries.async_update_entry(entry, data={**entry.data, "token": token})

    async def update() -> dict[str, Any]:
        if (wait := backoff.wait) and (refused() or not session.valid_token):
            raise ServiceError(f"{backoff.last_failure}; next token refresh in {wait:.0f} s")
        try:
            await refresh()
        except ServiceError as err:
            backoff.failed(str(err))
            raise
        except AuthorizationError as err:
            _LOGGER.warning(
                "Spotify refused to refresh the authorization of %s (%s: %s); sign in again",
                session.config_entry.title,
                err.error,
                err.description,
            )
            raise
        backoff.succeeded()
        return dict(session.token)

    return update


def missing_scopes(token: Mapping[str, Any]) -> list[str]:
    """The scopes the integration needs that ``token`` does not grant (a superset is fine)."""
    granted = scope_set(token.get("scope"))
    return [scope for scope in SCOPES if scope not in granted]
