"""Config flow: OAuth2 with PKCE through HA's callback, reauth, reconfigure, and options."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import voluptuous as vol
from homeassistant.config_entries import (
    SOURCE_REAUTH,
    SOURCE_RECONFIGURE,
    ConfigEntryState,
    ConfigFlowResult,
)
from homeassistant.core import callback
from homeassistant.helpers import selector
from homeassistant.helpers.config_entry_oauth2_flow import (
    AbstractOAuth2FlowHandler,
    async_get_implementations,
)

from .auth import build_auth_client, missing_scopes
from .const import (
    CONF_DEFAULT_DEVICE,
    CONF_IDLE_INTERVAL,
    CONF_PLAYING_INTERVAL,
    CONF_SHOW_RESTRICTED_DEVICES,
    DEFAULT_IDLE_INTERVAL,
    DEFAULT_PLAYING_INTERVAL,
    DEFAULT_SHOW_RESTRICTED_DEVICES,
    DOMAIN,
    IDLE_INTERVAL_RANGE,
    PLAYING_INTERVAL_RANGE,
)
from .devices.options import DEVICE_OPTIONS, DeviceOptionsSteps
from .feature_scopes import REQUESTED_SCOPES
from .form_fields import seconds_field
from .migration import ENTRY_MINOR_VERSION
from .oauthcli.errors import NotAuthorizedError
from .webapi import (
    CurrentUser,
    SpotifyAuthorizationError,
    SpotifyError,
    SpotifyForbiddenError,
    SpotifyWebApiClient,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .data import SpotifyWebApiConfigEntry
    from .webapi import Device

_LOGGER = logging.getLogger(__name__)


class SpotifyWebApiFlowHandler(AbstractOAuth2FlowHandler, domain=DOMAIN):
    """Sign a Spotify account in; its user id is the entry's unique id."""

    DOMAIN = DOMAIN
    VERSION = 1
    # 2: the polling intervals are stored within their bounds (migration.py).
    MINOR_VERSION = ENTRY_MINOR_VERSION

    @property
    def logger(self) -> logging.Logger:
        """Log under the integration's name."""
        return _LOGGER

    @property
    def extra_authorize_data(self) -> dict[str, Any]:
        """Ask for every scope the integration uses (space-separated, as OAuth2 wants)."""
        return {"scope": " ".join(REQUESTED_SCOPES)}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: SpotifyWebApiConfigEntry) -> SpotifyWebApiOptionsFlow:
        """Polling and device options."""
        return SpotifyWebApiOptionsFlow()

    async def async_oauth_create_entry(self, data: dict[str, Any]) -> ConfigFlowResult:
        """Check the grant and the account, then create, update or refuse the entry."""
        token = data["token"]
        if missing_scopes(token):
            return self.async_abort(reason="missing_scopes")
        user = await self._signed_in_user(token)
        if not isinstance(user, CurrentUser):
            return user
        await self.async_set_unique_id(user.id)
        if self.source in (SOURCE_REAUTH, SOURCE_RECONFIGURE):
            return self._update_existing_entry(data)
        self._abort_if_unique_id_configured()
        return self.async_create_entry(title=user.display_name or str(user.id), data=data)

    async def _signed_in_user(self, token: dict[str, Any]) -> CurrentUser | ConfigFlowResult:
        """GET /me with the new token, or the abort that explains why it failed."""

        async def no_refresh() -> dict[str, Any]:
            # Nothing to refresh yet: a brand-new token that is refused is final.
            raise NotAuthorizedError("the new token was refused")

        api = SpotifyWebApiClient(build_auth_client(self.hass, token, no_refresh))
        try:
            user = await api.get_current_user()
        except SpotifyForbiddenError as err:
            return self.async_abort(
                reason="premium_required", description_placeholders={"message": err.message}
            )
        except SpotifyAuthorizationError:
            return self.async_abort(reason="oauth_unauthorized")
        except SpotifyError:
            _LOGGER.warning("Could not read the Spotify profile of the new authorization")
            return self.async_abort(reason="connection_error")
        return user if user.id else self.async_abort(reason="connection_error")

    def _update_existing_entry(self, data: dict[str, Any]) -> ConfigFlowResult:
        """Reauth and reconfigure keep the account, and the title the user may have given it."""
        if self.source == SOURCE_REAUTH:
            reason, entry = "reauth_account_mismatch", self._get_reauth_entry()
        else:
            reason, entry = "reconfigure_account_mismatch", self._get_reconfigure_entry()
        self._abort_if_unique_id_mismatch(reason=reason)
        return self.async_update_reload_and_abort(entry, data=data)

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """Spotify refused the stored authorization, or it lacks permissions; ask first."""
        if missing_scopes(entry_data["token"]):
            return await self.async_step_reauth_scopes()
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_scopes(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Name the permissions the stored grant lacks, then run the same OAuth flow."""
        entry = self._get_reauth_entry()
        if user_input is None:
            return self.async_show_form(
                step_id="reauth_scopes",
                description_placeholders={
                    "account": entry.title,
                    "scopes": ", ".join(missing_scopes(entry.data["token"])),
                },
            )
        return await self._async_authorize_again(entry)

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Name the account, then run the same OAuth flow."""
        entry = self._get_reauth_entry()
        if user_input is None:
            return self.async_show_form(
                step_id="reauth_confirm", description_placeholders={"account": entry.title}
            )
        return await self._async_authorize_again(entry)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Authorize the same account again, possibly with other credentials."""
        return await self.async_step_pick_implementation()

    async def _async_authorize_again(self, entry: SpotifyWebApiConfigEntry) -> ConfigFlowResult:
        """Reuse the entry's credentials while they exist; otherwise let the user pick."""
        implementations = await async_get_implementations(self.hass, DOMAIN)
        stored = entry.data.get("auth_implementation")
        if stored in implementations:
            return await self.async_step_pick_implementation({"implementation": stored})
        return await self.async_step_pick_implementation()


class SpotifyWebApiOptionsFlow(DeviceOptionsSteps):
    """Polling and the default device; remembered devices and their wake-up actions."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """A menu: the general settings, or the remembered devices (once there are any)."""
        menu = ["settings", "devices"] if self.remembered_devices() else ["settings"]
        return self.async_show_menu(step_id="init", menu_options=menu)

    async def async_step_settings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """One form; the entry applies the result without a reload."""
        if user_input is not None:
            # The form sets every general option (leaving one out clears it); what the
            # devices step set stays.
            per_device = {
                key: value
                for key, value in self.config_entry.options.items()
                if key in DEVICE_OPTIONS
            }
            return self.save_options(per_device | user_input)
        options = self.config_entry.options
        schema: dict[vol.Marker, Any] = {
            vol.Required(
                CONF_PLAYING_INTERVAL,
                default=options.get(CONF_PLAYING_INTERVAL, DEFAULT_PLAYING_INTERVAL),
            ): seconds_field(PLAYING_INTERVAL_RANGE),
            vol.Required(
                CONF_IDLE_INTERVAL,
                default=options.get(CONF_IDLE_INTERVAL, DEFAULT_IDLE_INTERVAL),
            ): seconds_field(IDLE_INTERVAL_RANGE),
            vol.Required(
                CONF_SHOW_RESTRICTED_DEVICES,
                default=options.get(CONF_SHOW_RESTRICTED_DEVICES, DEFAULT_SHOW_RESTRICTED_DEVICES),
            ): selector.BooleanSelector(),
        }
        choices = await self._device_choices()
        if choices:
            current = options.get(CONF_DEFAULT_DEVICE)
            key = vol.Optional(
                CONF_DEFAULT_DEVICE,
                description={"suggested_value": current} if current else None,
            )
            schema[key] = selector.SelectSelector(
                selector.SelectSelectorConfig(
                    options=choices, mode=selector.SelectSelectorMode.DROPDOWN
                )
            )
        # HA 2026 types data_schema as probatio.Schema (voluptuous is aliased to it at runtime).
        return self.async_show_form(step_id="settings", data_schema=vol.Schema(schema))  # type: ignore[arg-type, unused-ignore]

    async def _device_choices(self) -> list[selector.SelectOptionDict]:
        """The devices Spotify lists now, plus the chosen one if it is offline."""
        entry = self.config_entry
        devices: tuple[Device, ...] = ()
        if entry.state is ConfigEntryState.LOADED:
            coordinator = entry.runtime_data.coordinator
            try:
                devices = await coordinator.async_refresh_devices()
            except SpotifyError:
                # Offer what was listed last rather than no choice at all.
                devices = coordinator.data.devices
        choices = {
            device.id: device.name or device.id
            for device in devices
            if device.id and not device.is_restricted
        }
        current = entry.options.get(CONF_DEFAULT_DEVICE)
        if current and current not in choices:
            choices[current] = current
        return [
            selector.SelectOptionDict(value=value, label=label)
            for value, label in sorted(choices.items(), key=lambda choice: choice[1].casefold())
        ]
