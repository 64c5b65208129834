"""The account's playback event entity: track, context and device changes, start and stop."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.components.event import EventEntity
from homeassistant.core import callback

from .entity import SpotifyWebApiEntity
from .playback_events import EVENT_TYPES, playback_events

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import SpotifyWebApiCoordinator
    from .data import SpotifyWebApiConfigEntry
    from .webapi import PlaybackState

# Events only follow the coordinator; the entity sends nothing.
PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SpotifyWebApiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One playback event entity per account."""
    async_add_entities([SpotifyPlaybackEvent(entry.runtime_data.coordinator)])


class SpotifyPlaybackEvent(SpotifyWebApiEntity, EventEntity):
    """Fires when what the coordinator reads from Spotify differs from its previous reading."""

    _attr_translation_key = "playback"
    _attr_event_types = list(EVENT_TYPES)  # noqa: RUF012 - HA declares it a list

    def __init__(self, coordinator: SpotifyWebApiCoordinator) -> None:
        """Start from the reading the coordinator holds: it is no change."""
        super().__init__(coordinator)
        self._attr_unique_id = f"{self.account_id}_playback_event"
        self._seen: PlaybackState | None = coordinator.data.playback

    @callback
    def _handle_coordinator_update(self) -> None:
        """Fire one event per change read back from Spotify, in order, each its own state.

        A command's predicted result fires nothing: Spotify may answer 204 and not carry
        it out. The next reading that confirms it fires the event, once.
        """
        if self.coordinator.data.predicted:
            return
        playback = self.coordinator.data.playback
        events = playback_events(self._seen, playback)
        self._seen = playback
        for event_type, attributes in events:
            self._trigger_event(event_type, attributes)
            self.async_write_ha_state()
        if not events:
            self.async_write_ha_state()
