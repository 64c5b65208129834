"""HA's Store for one entry's file, with a format version and the steps from older ones.

A file written by an older release is migrated once when read (HA saves the result);
one written by a newer release (a later major version) is refused, not overwritten:
whoever reads it must not save over it, so nothing a newer release stored is lost on a
downgrade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from homeassistant.core import HomeAssistant

type Migration[T] = Callable[[int, Any], T]


class UnknownStoreFormatError(HomeAssistantError):
    """The file has a format this release cannot read (a newer release wrote it)."""


class VersionedStore[T: Mapping[str, Any]](Store[T]):
    """A private store whose ``migrate(old_minor_version, old_data)`` reads older formats."""

    def __init__(
        self,
        hass: HomeAssistant,
        key: str,
        *,
        version: int,
        minor_version: int,
        migrate: Migration[T],
    ) -> None:
        """The file ``key`` under .storage, private (readable by HA's user only)."""
        super().__init__(hass, version, key, private=True, minor_version=minor_version)
        self._migrate = migrate

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: Any
    ) -> T:
        """HA's migration hook: older minor versions step up, a newer major is refused."""
        if old_major_version != self.version:
            raise UnknownStoreFormatError(
                f"{self.key} has format {old_major_version}.{old_minor_version}"
            )
        return self._migrate(old_minor_version, old_data)
