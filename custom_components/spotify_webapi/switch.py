"""The "Saved in your library" switch: whether the item playing is saved, and a toggle for it.

It reads ``GET /me/library/contains`` when an item starts playing (a cached answer shows
meanwhile, so an item that comes back is right at once and then checked), and once more
with a poll while the item plays, so a save or removal made in the Spotify app shows:
people like what they are hearing. Nothing is read while nothing plays. Per stay of an
item: one read, then at most ``REREADS_PER_STAY`` more, ``REREAD_AFTER`` seconds after
the last answer, only with a poll (never with a prediction). Each read costs a request
on every item, so the re-read is placed once, half way through a typical song.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.switch import SwitchEntity
from homeassistant.core import callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .actions.library import library_changed_signal, library_uri
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
# A song lasts three or four minutes: a save made elsewhere in its first half shows by
# its middle (plus one poll); a long episode costs no more than a song.
REREAD_AFTER: Final = 90.0
REREADS_PER_STAY: Final = 1


@dataclass(slots=True)
class _Stay:
    """The item playing since the last item change, and its reads so far."""

    uri: str
    rereads: int = 0
    # loop.time() of the last answer read for it; None until one came in.
    read_at: float | None = None


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
        self._stay: _Stay | None = None

    @property
    def _uri(self) -> str | None:
        return library_uri(self.coordinator.config_entry)

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
        self._read_when_due()

    @callback
    def _handle_coordinator_update(self) -> None:
        """Read when an item starts, and again while it plays (see the module)."""
        self._read_when_due()
        super()._handle_coordinator_update()

    @callback
    def _read_when_due(self) -> None:
        """Ask Spotify only while an item plays: a paused one waits (no request)."""
        data = self.coordinator.data
        uri = self._uri
        if data.playback is None or not data.playback.is_playing or uri is None:
            return
        if not self.available or uri in self._reading:
            return
        stay = self._stay
        if stay is None or stay.uri != uri:
            self._stay = _Stay(uri)
        elif stay.read_at is not None:  # None: the last read failed, so ask again now
            if not self._reread_due(stay, predicted=data.predicted):
                return
            stay.rereads += 1
        self._reading.add(uri)
        self.coordinator.config_entry.async_create_background_task(
            self.hass, self._read(uri), f"{DOMAIN} library contains"
        )

    def _reread_due(self, stay: _Stay, *, predicted: bool) -> bool:
        """With a poll (a prediction tells nothing new), a while on, a bounded number of times."""
        if predicted or stay.rereads >= REREADS_PER_STAY or stay.read_at is None:
            return False
        return self.hass.loop.time() - stay.read_at >= REREAD_AFTER

    async def _read(self, uri: str) -> None:
        try:
            (saved,) = await self.coordinator.api.library_contains([uri])
        except SpotifyError as err:
            # Left as it was; the next poll asks again (a rate limit blocks it locally).
            _LOGGER.debug("Could not read whether %s is saved: %s", uri, err)
        else:
            if self._stay is not None and self._stay.uri == uri:
                self._stay.read_at = self.hass.loop.time()
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
