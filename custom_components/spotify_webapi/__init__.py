"""Spotify Web API integration: one AuthClient per account, its tokens kept and refreshed by HA."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.const import Platform
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.config_entry_oauth2_flow import (
    OAuth2Session,
    async_get_config_entry_implementation,
)

from .actions import async_setup_actions
from .auth import build_auth_client, session_token_updater
from .browse_media import async_browse_media
from .const import DOMAIN, SCOPES
from .coordinator import SpotifyWebApiConfigEntry, SpotifyWebApiCoordinator, SpotifyWebApiData
from .feature_scopes import async_delete_feature_scopes_issue, async_update_feature_scopes_issue
from .oauthcli.authclient import scope_set
from .repairs import (
    async_create_missing_scopes_issue,
    async_delete_missing_scopes_issue,
    async_delete_premium_issue,
)
from .services import async_setup_services
from .snapshot_store import async_remove_snapshots
from .webapi import SpotifyWebApiClient

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.typing import ConfigType

__all__ = ["DOMAIN", "async_browse_media"]

PLATFORMS: Final[list[Platform]] = [Platform.EVENT, Platform.MEDIA_PLAYER, Platform.SWITCH]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions once, whether or not an account is loaded."""
    async_setup_services(hass)
    async_setup_actions(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> bool:
    """Connect the account: HA's session refreshes, AuthClient calls, GET /me must answer."""
    try:
        implementation = await async_get_config_entry_implementation(hass, entry)
    except ValueError as err:
        # HA 2025.4 raises ValueError, 2026's UnknownImplementationError subclasses it.
        raise ConfigEntryError(
            translation_domain=DOMAIN, translation_key="credentials_removed"
        ) from err
    session = OAuth2Session(hass, entry, implementation)
    # The updater reads the client it serves (bound late: the lambda runs after assignment).
    auth = build_auth_client(
        hass, session.token, session_token_updater(session, lambda: auth.RejectedAccessToken)
    )
    if auth.HasScopeChanged(session.token):
        granted = scope_set(session.token.get("scope"))
        missing = [scope for scope in SCOPES if scope not in granted]
        async_create_missing_scopes_issue(hass, entry, missing)
        raise ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key="missing_scopes")
    async_delete_missing_scopes_issue(hass, entry)
    async_update_feature_scopes_issue(hass, entry)
    api = SpotifyWebApiClient(auth)
    coordinator = SpotifyWebApiCoordinator(hass, entry, api)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = SpotifyWebApiData(session, auth, api, coordinator)
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> bool:
    """Unload the platforms; the coordinator stops itself when the entry unloads."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> None:
    """Leave nothing behind: the account's repair issues go with it."""
    async_delete_missing_scopes_issue(hass, entry)
    async_delete_premium_issue(hass, entry)
    async_delete_feature_scopes_issue(hass, entry)
    await async_remove_snapshots(hass, entry)


async def _async_options_updated(hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> None:
    """Apply new options at once, without a reload."""
    entry.runtime_data.coordinator.async_apply_options()
    entry.runtime_data.coordinator.async_update_listeners()
