"""Spotify Web API integration: one AuthClient per account, its tokens kept and refreshed by HA."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from homeassistant.const import Platform
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryNotReady,
    HomeAssistantError,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.config_entry_oauth2_flow import (
    OAuth2Session,
    async_get_config_entry_implementation,
)

from .actions import async_setup_services
from .actions.snapshot_store import async_remove_snapshots
from .auth import build_auth_client, missing_scopes, session_token_updater
from .browse.media import async_browse_media
from .const import DOMAIN
from .coordinator import SpotifyWebApiCoordinator
from .data import SpotifyWebApiConfigEntry, SpotifyWebApiData
from .devices.remembered import async_remove_remembered_devices
from .feature_scopes import async_delete_feature_scopes_issue, async_update_feature_scopes_issue
from .intents import async_setup_intents
from .migration import async_migrate_entry
from .rate_gates import app_rate_gate
from .repairs import async_delete_premium_issue
from .texts import async_load_texts
from .webapi import SpotifyWebApiClient

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.typing import ConfigType

__all__ = ["DOMAIN", "async_browse_media", "async_migrate_entry"]

PLATFORMS: Final[list[Platform]] = [Platform.EVENT, Platform.MEDIA_PLAYER, Platform.SWITCH]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions and intents once, whether or not an account is loaded."""
    async_setup_services(hass)
    async_setup_intents(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> bool:
    """Connect the account: HA's session refreshes, AuthClient calls, GET /me must answer."""
    try:
        implementation = await async_get_config_entry_implementation(hass, entry)
    except (ConfigEntryAuthFailed, ConfigEntryNotReady):
        # HA 2026 decides itself: reauth when the credentials are unknown (the flow lets the
        # user pick others), a retry while a provider of credentials is down.
        raise
    except ValueError as err:
        # HA 2025.4 raises a bare ValueError for removed credentials: the same reauth.
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN, translation_key="credentials_removed"
        ) from err
    except HomeAssistantError as err:
        # Versions between raise ImplementationUnavailableError as a plain HomeAssistantError.
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN, translation_key="credentials_unavailable"
        ) from err
    session = OAuth2Session(hass, entry, implementation)
    # The updater reads the client it serves (bound late: the lambda runs after assignment).
    updater = session_token_updater(session, lambda: auth.RejectedAccessToken)
    auth = build_auth_client(hass, session.token, updater)
    if missing := missing_scopes(session.token):
        # One way out, the reauth flow, which names what is missing (no repair issue too).
        raise ConfigEntryAuthFailed(
            translation_domain=DOMAIN,
            translation_key="missing_scopes",
            translation_placeholders={"scopes": ", ".join(missing)},
        )
    async_update_feature_scopes_issue(hass, entry)
    api = SpotifyWebApiClient(auth, gate=app_rate_gate(hass, implementation))
    coordinator = SpotifyWebApiCoordinator(hass, entry, api)
    await coordinator.async_config_entry_first_refresh()
    await async_load_texts(hass)
    entry.runtime_data = SpotifyWebApiData(session, auth, api, coordinator)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> bool:
    """Unload the platforms; the coordinator stops itself when the entry unloads."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: SpotifyWebApiConfigEntry) -> None:
    """Leave nothing behind: the account's repair issue and remembered devices go with it."""
    async_delete_premium_issue(hass, entry)
    await async_remove_remembered_devices(hass, entry.entry_id)
    async_delete_feature_scopes_issue(hass, entry)
    await async_remove_snapshots(hass, entry)
