"""The "Saved in your library" switch: whether the item playing is saved, and a toggle for it.

It reads ``GET /me/library/contains`` once per item that plays (answers are cached by
URI) and nothing while nothing plays, so it adds at most one request per item change.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.switch import SwitchEntity
from homeassistant.core import callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .actions.library import library_changed_signal, playing_uri
from .const import DOMAIN
from .entity import SpotifyWebApiEntity
from .exceptions import spotify_errors
from .feature_scopes import Feature, has_feature
from .webapi import SpotifyError

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import SpotifyWebApiCoordinator
    from .data import SpotifyWebApiConfigEntry

_LOGGER = logging.getLogger(__name__)

# Commands to one account one at a time, like the media player's.
PARALLEL_UPDATES = 1
# Enough for a long listening session; the oldest answers are forgotten first.
CACHE_SIZE: Final = 500


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SpotifyWebApiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One library switch per account."""
    async_add_entities([SavedInLibrarySwitch(entry.runtime_data.coordinator)])


class SavedInLibrarySwitch(SpotifyWebApiEntity, SwitchEntity):
    """On when the item playing is in the library; unavailable without the library scope."""

    _attr_translation_key = "saved_in_library"

    def __init__(self, coordinator: SpotifyWebApiCoordinator) -> None:
        """Nothing known yet: the first item is read when the entity is added."""
        super().__init__(coordinator)
        self._attr_unique_id = f"{self.account_id}_saved_in_library"
        self._saved: OrderedDict[str, bool] = OrderedDict()
        self._reading: set[str] = set()

    @property
    def _uri(self) -> str | None:
        return playing_uri(self.coordinator.config_entry)

    @property
    def available(self) -> bool:
        """Spotify answers, and the grant lets the library be changed."""
        return super().available and has_feature(self.coordinator.config_entry, Feature.LIBRARY)

    @property
    def is_on(self) -> bool | None:
        """Unknown while nothing plays or the answer is not in yet."""
        uri = self._uri
        return None if uri is None else self._saved.get(uri)

    async def async_added_to_hass(self) -> None:
        """Follow changes made by the library actions, and read the first item."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass,
                library_changed_signal(self.coordinator.config_entry.entry_id),
                self._library_changed,
            )
        )
        self._read_if_unknown()

    @callback
    def _handle_coordinator_update(self) -> None:
        """A new item is read once; known ones come from the cache."""
        self._read_if_unknown()
        super()._handle_coordinator_update()

    @callback
    def _read_if_unknown(self) -> None:
        """Ask Spotify about a new item only while it plays: a paused one waits (no request)."""
        playback = self.coordinator.data.playback
        uri = self._uri
        if playback is None or not playback.is_playing or uri is None or not self.available:
            return
        if uri in self._saved or uri in self._reading:
            return
        self._reading.add(uri)
        self.coordinator.config_entry.async_create_background_task(
            self.hass, self._read(uri), f"{DOMAIN} library contains"
        )

    async def _read(self, uri: str) -> None:
        try:
            (saved,) = await self.coordinator.api.library_contains([uri])
        except SpotifyError as err:
            # Left unknown; the next poll asks again (a rate limit blocks it locally).
            _LOGGER.debug("Could not read whether %s is saved: %s", uri, err)
        else:
            self._remember(uri, saved=saved)
            self.async_write_ha_state()
        finally:
            self._reading.discard(uri)

    def _remember(self, uri: str, *, saved: bool) -> None:
        self._saved[uri] = saved
        self._saved.move_to_end(uri)
        while len(self._saved) > CACHE_SIZE:
            self._saved.popitem(last=False)

    @callback
    def _library_changed(self, changes: dict[str, bool]) -> None:
        for uri, saved in changes.items():
            self._remember(uri, saved=saved)
        self.async_write_ha_state()

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Save the item playing."""
        await self._set(saved=True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Remove the item playing from the library."""
        await self._set(saved=False)

    async def _set(self, *, saved: bool) -> None:
        uri = self._uri
        if uri is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="nothing_playing"
            )
        api = self.coordinator.api
        with spotify_errors(self.hass, self.coordinator.config_entry):
            await (api.save_to_library if saved else api.remove_from_library)([uri])
        self._library_changed({uri: saved})
