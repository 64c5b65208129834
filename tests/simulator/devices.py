"""Spotify Connect devices, including the awkward ones clients must survive."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class Device:
    """A Connect device; `id` is None for devices Spotify will not let you address."""

    id: str | None
    name: str
    type: str
    volume_percent: int | None
    supports_volume: bool = True
    is_restricted: bool = False
    is_private_session: bool = False
    # Spotify lists a device only while it is on with Spotify awake.
    awake: bool = True
    # Whether a wake-up signal brings it back (a speaker unplugged for good does not).
    wakes: bool = True
    # Some devices come back from sleep with a new id.
    id_after_wake: str | None = None

    def render(self, *, active: bool) -> dict[str, Any]:
        """The DeviceObject."""
        return {
            "id": self.id,
            "is_active": active,
            "is_private_session": self.is_private_session,
            "is_restricted": self.is_restricted,
            "name": self.name,
            "type": self.type,
            "volume_percent": self.volume_percent,
            "supports_volume": self.supports_volume,
        }


def device_id(user_id: str, name: str) -> str:
    """A Connect device id (40 hex digits), the same for the same user and name."""
    seed = f"device:{user_id}:{name}".encode()
    return hashlib.sha1(seed, usedforsecurity=False).hexdigest()


def default_devices(user_id: str) -> list[Device]:
    """One of each kind: ordinary, restricted, private session, no id, no volume."""

    def own_id(name: str) -> str:
        return device_id(user_id, name)

    return [
        Device(own_id("computer"), f"{user_id.capitalize()}'s MacBook", "Computer", 60),
        Device(own_id("speaker"), "Living Room", "Speaker", 35),
        Device(own_id("restricted"), "Kitchen Echo", "Speaker", 50, is_restricted=True),
        Device(
            own_id("phone"),
            f"{user_id.capitalize()}'s iPhone",
            "Smartphone",
            100,
            is_private_session=True,
        ),
        Device(None, "Web Player (Firefox)", "Computer", 80),
        Device(own_id("tv"), "Bedroom TV", "TV", None, supports_volume=False),
    ]
