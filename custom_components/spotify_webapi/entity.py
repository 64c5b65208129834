"""The base entity: one service-type HA device per Spotify account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import SpotifyWebApiCoordinator

if TYPE_CHECKING:
    from .webapi import SpotifyWebApiClient

SPOTIFY_WEB_URL = "https://open.spotify.com"


class SpotifyWebApiEntity(CoordinatorEntity[SpotifyWebApiCoordinator]):
    """An entity of the account; available while Spotify answers the coordinator."""

    _attr_has_entity_name = True

    def __init__(self, coordinator: SpotifyWebApiCoordinator) -> None:
        """Attach to the account's device, identified by the Spotify user id."""
        super().__init__(coordinator)
        # The entry's unique id is the same Spotify user id; the profile is the source.
        self.account_id = str(coordinator.data.user.id or coordinator.config_entry.unique_id)
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, self.account_id)},
            name=f"Spotify {coordinator.config_entry.title}",
            manufacturer="Spotify AB",
            model="Spotify account",
            entry_type=DeviceEntryType.SERVICE,
            configuration_url=SPOTIFY_WEB_URL,
        )

    @property
    def api(self) -> SpotifyWebApiClient:
        """The account's Web API client."""
        return self.coordinator.api
