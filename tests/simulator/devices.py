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


def default_devices(user_id: str) -> list[Device]:
    """One of each kind: ordinary, restricted, private session, no id, no volume."""

    def device_id(name: str) -> str:
        # Connect device ids are 40 hex digits.
        seed = f"device:{user_id}:{name}".encode()
        return hashlib.sha1(seed, usedforsecurity=False).hexdigest()

    return [
        Device(device_id("computer"), f"{user_id.capitalize()}'s MacBook", "Computer", 60),
        Device(device_id("speaker"), "Living Room", "Speaker", 35),
        Device(device_id("restricted"), "Kitchen Echo", "Speaker", 50, is_restricted=True),
        Device(
            device_id("phone"),
            f"{user_id.capitalize()}'s iPhone",
            "Smartphone",
            100,
            is_private_session=True,
        ),
        Device(None, "Web Player (Firefox)", "Computer", 80),
        Device(device_id("tv"), "Bedroom TV", "TV", None, supports_volume=False),
    ]
