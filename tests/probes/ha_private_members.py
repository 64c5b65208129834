"""What today's main did before the public-API work: HA's private coordinator members."""

from __future__ import annotations

from homeassistant.helpers.update_coordinator import DataUpdateCoordinator


class Polling(DataUpdateCoordinator[int]):
    """Overrides a private scheduling method and reads the private listener list."""

    def _schedule_refresh(self) -> None:
        if self._listeners:
            super()._schedule_refresh()

    async def _async_update_data(self) -> int:
        self._own = 1
        return self._own


def peek(entry: object) -> object:
    """Takes a private method of HA's Store from another object."""
    return entry._async_schedule_save  # type: ignore[attr-defined]
