"""Which account, device and area a spoken request means.

Spoken names are compared loosely (case, apostrophes and punctuation do not count):
speech-to-text writes "alices macbook" for "Alice's MacBook".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from ..const import DOMAIN
from ..devices.linked_players import player_links
from .answers import VoiceError

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from ..coordinator import SpotifyWebApiCoordinator
    from ..data import SpotifyWebApiConfigEntry

_APOSTROPHES: Final = re.compile(r"['\u2019`]")
_NOT_WORDS: Final = re.compile(r"[\W_]+")


def spoken(name: str) -> str:
    """``name`` as compared with what was said."""
    return " ".join(_NOT_WORDS.sub(" ", _APOSTROPHES.sub("", name.casefold())).split())


def accounts(hass: HomeAssistant) -> list[SpotifyWebApiConfigEntry]:
    """The loaded accounts, the one a request means first.

    With several accounts: the one playing, else one paused on an item, else the first
    loaded. A request naming a device or an area goes to the first account that knows it.
    """
    loaded: list[SpotifyWebApiConfigEntry] = hass.config_entries.async_loaded_entries(DOMAIN)
    if not loaded:
        raise VoiceError("voice_no_account")

    def rank(entry: SpotifyWebApiConfigEntry) -> int:
        playback = entry.runtime_data.coordinator.data.playback
        if playback is not None and playback.is_playing:
            return 0
        return 1 if playback is not None and playback.item is not None else 2

    return sorted(loaded, key=rank)


@dataclass(frozen=True, slots=True)
class Target:
    """Where to play: the account, the device as the play action takes it, its name."""

    entry: SpotifyWebApiConfigEntry
    device: str
    name: str


async def device_named(entries: list[SpotifyWebApiConfigEntry], wanted: str) -> Target:
    """The device called ``wanted``: one Spotify lists, else a remembered one (woken later)."""
    key = spoken(wanted)
    for entry in entries:
        coordinator = entry.runtime_data.coordinator
        if (found := _known_device(coordinator, key)) is not None:
            return Target(entry, *found)
    for entry in entries:  # not known yet: perhaps new since the last read
        coordinator = entry.runtime_data.coordinator
        await coordinator.async_refresh_devices()
        if (found := _known_device(coordinator, key)) is not None:
            return Target(entry, *found)
    raise VoiceError("voice_no_such_device", device=wanted)


def _known_device(coordinator: SpotifyWebApiCoordinator, key: str) -> tuple[str, str] | None:
    """(what the play action takes, name) of a listed or remembered device called ``key``."""
    for device in coordinator.listed_devices:
        if device.id and device.name and spoken(device.name) == key:
            return device.id, device.name
    for record in coordinator.remembered.devices:
        if spoken(record.name) == key:
            return record.key, record.name
    return None


def area_named(hass: HomeAssistant, wanted: str) -> ar.AreaEntry:
    """The area with this id, name or alias."""
    areas = ar.async_get(hass)
    area = areas.async_get_area(wanted) or areas.async_get_area_by_name(wanted)
    if area is None:
        key = spoken(wanted)
        area = next(
            (
                a
                for a in areas.async_list_areas()
                if key in {spoken(n) for n in (a.name, *a.aliases)}
            ),
            None,
        )
    if area is None:
        raise VoiceError("voice_no_such_area", area=wanted)
    return area


def device_in_area(
    hass: HomeAssistant, entries: list[SpotifyWebApiConfigEntry], area: ar.AreaEntry
) -> Target:
    """The remembered device whose linked media player is in ``area`` (the first by name)."""
    entities, devices = er.async_get(hass), dr.async_get(hass)

    def area_of(entity_id: str) -> str | None:
        entity = entities.async_get(entity_id)
        if entity is None:
            return None
        if entity.area_id is not None or entity.device_id is None:
            return entity.area_id
        device = devices.async_get(entity.device_id)
        return None if device is None else device.area_id

    for entry in entries:
        coordinator = entry.runtime_data.coordinator
        links = player_links(coordinator.options)
        for record in coordinator.remembered.devices:
            player = links.get(record.key)
            if player is not None and area_of(player) == area.id:
                return Target(entry, record.key, record.name)
    raise VoiceError("voice_no_speaker_in_area", area=area.name)
