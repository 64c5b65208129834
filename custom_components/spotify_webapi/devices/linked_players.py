"""Media players linked to Spotify Connect devices: when one changes, the playback likely did.

A speaker the user turns on or switches to its Spotify source usually starts or takes over
playback within seconds. Home Assistant sees that before the next poll would, so the
coordinator polls soon instead of waiting out its interval. The links are set per
remembered device (Options → Remembered devices): its linked media player, and its
wake-up action when that is a media player.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.core import Event, EventStateChangedData, callback
from homeassistant.helpers.event import async_track_state_change_event

from ..const import CONF_LINKED_PLAYERS, CONF_WAKE_UP, CONF_WAKE_UP_ENTITY

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from homeassistant.core import CALLBACK_TYPE, HomeAssistant


def player_links(options: Mapping[str, Any]) -> dict[str, str]:
    """The media player linked to each remembered device (by key) that has one."""
    links: dict[Any, object] = {}
    wake_ups = options.get(CONF_WAKE_UP)
    if isinstance(wake_ups, dict):
        for key, action in wake_ups.items():
            if isinstance(action, dict):
                links[key] = action.get(CONF_WAKE_UP_ENTITY)
    explicit = options.get(CONF_LINKED_PLAYERS)
    if isinstance(explicit, dict):
        links |= explicit  # the explicit link wins over the wake-up action
    return {
        str(key): entity
        for key, entity in links.items()
        if isinstance(entity, str) and entity.startswith("media_player.")
    }


def linked_players(options: Mapping[str, Any]) -> frozenset[str]:
    """The media players the options link to remembered devices."""
    return frozenset(player_links(options).values())


class LinkedPlayerWatch:
    """Calls ``changed`` when a linked media player changes its state or its source."""

    def __init__(self, hass: HomeAssistant, changed: Callable[[], None]) -> None:
        """Watch nothing yet."""
        self._hass = hass
        self._changed = changed
        self._players: frozenset[str] = frozenset()
        self._unsubscribe: CALLBACK_TYPE | None = None

    @callback
    def follow(self, players: frozenset[str]) -> None:
        """Watch these players (and stop watching the others)."""
        if players == self._players:
            return
        self.stop()
        self._players = players
        if players:
            self._unsubscribe = async_track_state_change_event(
                self._hass, sorted(players), self._state_changed
            )

    @callback
    def stop(self) -> None:
        """Watch no player any more."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._unsubscribe = None
        self._players = frozenset()

    @callback
    def _state_changed(self, event: Event[EventStateChangedData]) -> None:
        old, new = event.data["old_state"], event.data["new_state"]
        if old is None or new is None:
            return  # added or removed: says nothing about playback
        if old.state != new.state or old.attributes.get("source") != new.attributes.get("source"):
            self._changed()
