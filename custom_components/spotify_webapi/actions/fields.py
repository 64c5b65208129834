"""The pieces every action shares: the account field, URIs and devices read from a call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.helpers import config_validation as cv

from ..exceptions import invalid
from ..webapi import InvalidSpotifyUriError, ItemType, to_spotify_uri

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..coordinator import SpotifyWebApiCoordinator
    from ..webapi import Device, SpotifyUri

ATTR_CONFIG_ENTRY_ID: Final = "config_entry_id"
# Types only: the values are checked by the handlers, which explain what is wrong.
ENTRY_FIELD: Final[dict[vol.Marker, Any]] = {vol.Required(ATTR_CONFIG_ENTRY_ID): cv.string}


def spotify_uri(value: str, allowed: Iterable[ItemType]) -> SpotifyUri:
    """The Spotify URI (or link) an action was given, of one of the allowed kinds."""
    try:
        return to_spotify_uri(value, *allowed)
    except InvalidSpotifyUriError as err:
        raise invalid("invalid_uri", uri=str(value)) from err


def is_chapter(value: str) -> bool:
    """Whether ``value`` names a chapter of an audiobook (which some endpoints refuse)."""
    try:
        return to_spotify_uri(value).type is ItemType.CHAPTER
    except InvalidSpotifyUriError:
        return False


async def listed_device(coordinator: SpotifyWebApiCoordinator, wanted: str) -> Device:
    """The device with this id or name; the list is read again before giving up."""

    def find(devices: Iterable[Device]) -> Device | None:
        return next((d for d in devices if wanted in (d.id, d.name)), None)

    device = find(coordinator.data.devices) or find(await coordinator.async_refresh_devices())
    if device is None:
        raise invalid("unknown_device", device=wanted)
    if device.id is None or device.is_restricted:
        raise invalid("device_not_controllable", device=wanted)
    return device
