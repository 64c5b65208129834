"""Home Assistant core's Spotify polling policy, rebuilt on our coordinator for the benchmark.

Core's ``spotify`` integration polls ``GET /me/player`` every 30 s, reads the device
list every 5 minutes (on a coordinator of its own), and after every command sleeps
1 s and polls again; it shows nothing before that poll and has no idle interval, and it
never polls early on a hint that playback changed (a linked media player changing, the
media browser opening).
Reusing our coordinator class keeps everything else equal: the same webapi client
and AuthClient, the same snapshot and the same media player entity on top.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Final

from homeassistant.core import callback
from homeassistant.helpers.event import async_call_later, async_track_time_interval
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util

from custom_components.spotify_webapi.coordinator import (
    PlaybackChange,
    SpotifySnapshot,
    SpotifyWebApiCoordinator,
)
from custom_components.spotify_webapi.webapi import SpotifyError, SpotifyWebApiClient

if TYPE_CHECKING:
    from datetime import datetime

    from homeassistant.core import CALLBACK_TYPE, HomeAssistant

    from custom_components.spotify_webapi.data import SpotifyWebApiConfigEntry

PLAYER_INTERVAL: Final = timedelta(seconds=30)
DEVICES_INTERVAL: Final = timedelta(minutes=5)
COMMAND_POLL_DELAY: Final = 1.0


class CorePolicyCoordinator(SpotifyWebApiCoordinator):
    """Fixed 30 s playback polls, devices every 5 minutes, a poll 1 s after each command."""

    def __init__(
        self, hass: HomeAssistant, entry: SpotifyWebApiConfigEntry, api: SpotifyWebApiClient
    ) -> None:
        """Poll every 30 s whatever plays."""
        super().__init__(hass, entry, api)
        self.update_interval = PLAYER_INTERVAL
        self._timers: set[CALLBACK_TYPE] = set()

    async def _async_setup(self) -> None:
        """Read the user and the devices, then keep reading devices every 5 minutes."""
        await super()._async_setup()
        self._timers.add(async_track_time_interval(self.hass, self._poll_devices, DEVICES_INTERVAL))

    async def _async_update_data(self) -> SpotifySnapshot:
        """One playback read (and the playlist's name when the context changes), as core."""
        try:
            playback = await self.api.get_playback_state()
            playlist = await self._playlist_of(playback)
        except SpotifyError as err:
            raise UpdateFailed(str(err)) from err
        return SpotifySnapshot(
            user=self._user,
            playback=playback,
            devices=self._devices,
            playlist=playlist,
            position_updated_at=dt_util.utcnow() if playback is not None else None,
        )

    async def _poll_devices(self, _now: datetime) -> None:
        """Core's device coordinator: its own timer, so playback polls keep their rhythm."""
        try:
            await self._fetch_devices()
        except SpotifyError:
            return
        self.data = replace(self.data, devices=self._devices)
        self.async_update_listeners()

    @callback
    def async_poll_soon(self) -> None:
        """Nothing: core links no media players and does not poll when its browser opens."""

    async def async_command_sent(
        self, change: PlaybackChange | None = None, *, confirm: bool = True
    ) -> None:
        """No optimistic state: core polls 1 s after every command, one poll per command."""
        del change, confirm

        async def poll(_now: datetime) -> None:
            self._timers.discard(cancel)
            await self.async_refresh()

        cancel = async_call_later(self.hass, COMMAND_POLL_DELAY, poll)
        self._timers.add(cancel)

    async def async_shutdown(self) -> None:
        """Stop the device timer and pending command polls too."""
        for cancel in self._timers:
            cancel()
        self._timers.clear()
        await super().async_shutdown()
