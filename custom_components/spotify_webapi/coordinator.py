"""Runtime data of an entry, and the polling policy that keeps its snapshot of the account fresh.

One coordinator per account. It polls ``GET /me/player`` only: at the end of the
current item and about every playing interval while something plays, every idle interval
otherwise; sooner where a change is likely and only a read would show it (after a change
made elsewhere, on a device no linked media player reports on), as polling_policy.py
decides. The device list is cached and fetched again only when it is old, when
playback names a device it does not know, or when a command needs it. A command
shows its expected result at once and is confirmed by one debounced poll. After a
429, polls are skipped (the snapshot stays) until Spotify's Retry-After has passed.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.core import callback
from homeassistant.exceptions import (
    ConfigEntryAuthFailed,
    ConfigEntryError,
    ServiceValidationError,
)
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .const import (
    CONF_DEFAULT_DEVICE,
    CONF_IDLE_INTERVAL,
    CONF_PLAYING_INTERVAL,
    CONFIRM_DELAY,
    DEFAULT_IDLE_INTERVAL,
    DEFAULT_PLAYING_INTERVAL,
    DEVICES_REFRESH_INTERVAL,
    DOMAIN,
    QUICK_RETRY_DELAY,
    REFUSED_RETRY_INTERVAL,
)
from .devices.linked_players import LinkedPlayerWatch, linked_players, player_links
from .devices.remembered import RememberedDevices
from .devices.wake_up import DeviceWaker
from .polling_policy import Intervals, Seen, next_read, wait_after_prediction
from .repairs import async_create_premium_issue, async_delete_premium_issue
from .webapi import (
    CurrentUser,
    Device,
    PlaybackState,
    Playlist,
    SpotifyApiError,
    SpotifyAuthorizationError,
    SpotifyError,
    SpotifyForbiddenError,
    SpotifyNoActiveDeviceError,
    SpotifyRateLimitError,
    SpotifyResponseError,
    SpotifyWebApiClient,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping
    from datetime import datetime

    from homeassistant.core import HomeAssistant

_LOGGER = logging.getLogger(__name__)

# A poll may run a little late: an item due to end this much after it counts as ended.
ITEM_END_SLACK: Final = 1.0

type PlaybackChange = Callable[[PlaybackState], PlaybackState]


@dataclass(frozen=True, slots=True, kw_only=True)
class SpotifySnapshot:
    """One consistent reading of the account: what plays where, the devices, the user."""

    user: CurrentUser
    playback: PlaybackState | None = None
    devices: tuple[Device, ...] = ()
    # The playing playlist, when the context is one Spotify lets us read.
    playlist: Playlist | None = None
    # When `playback.progress_ms` was true (Spotify's own timestamp is unreliable).
    position_updated_at: datetime | None = None
    # What a command should have done, shown before Spotify confirmed it (events wait).
    predicted: bool = False

    @property
    def active_device(self) -> Device | None:
        """The device playback is on, if any."""
        return None if self.playback is None else self.playback.device

    def progress_now(self) -> int | None:
        """The playback position in ms now, moved on by the time passed while playing."""
        playback = self.playback
        if playback is None or playback.progress_ms is None:
            return None
        if not playback.is_playing or self.position_updated_at is None:
            return playback.progress_ms
        passed = (dt_util.utcnow() - self.position_updated_at).total_seconds()
        return playback.progress_ms + int(passed * 1000)


class SpotifyWebApiCoordinator(DataUpdateCoordinator[SpotifySnapshot]):
    """Polls one account's playback economically; commands report to it."""

    # A plain entry: the coordinator is below the runtime data that holds it (data.py).
    config_entry: ConfigEntry
    # Read once by _async_setup, before the first poll.
    _user: CurrentUser

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry, api: SpotifyWebApiClient) -> None:
        """Start at the idle interval; the first poll picks the right one."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=entry.title,
            update_interval=idle_interval(entry.options),
        )
        self.api = api
        self.last_device_id: str | None = None
        self._devices: tuple[Device, ...] = ()
        self.remembered = RememberedDevices(hass, entry.entry_id)
        self.waker = DeviceWaker(hass, entry, self)
        # time.monotonic() of the last device list read; never read yet.
        self.devices_fetched_at = -float(DEVICES_REFRESH_INTERVAL)
        self._playlist_uri: str | None = None
        self._playlist: Playlist | None = None
        self._rate_limited = False
        # True between a failed poll kept quiet and the quick retry that follows it.
        self._retrying = False
        # The options in force: the options flow hands over new ones before HA stores them.
        self._options: Mapping[str, Any] = dict(entry.options)
        # loop.time() of the last poll and of the next one scheduled (give or take a second:
        # HA's scheduler rounds), which the schedule after a predicted command keeps.
        self._polled_at = 0.0
        self._due_at = 0.0
        # loop.time() of the poll before the last one.
        self._last_poll_at = 0.0
        # loop.time() of the poll that saw playback stop elsewhere; None once playing again.
        self._stopped_at: float | None = None
        # loop.time() of the last poll that saw a change made outside Home Assistant.
        self._changed_at: float | None = None
        # A command went out since the last poll: what that poll sees differ is its doing.
        self._commanded = False
        # Trailing debounce: the poll comes CONFIRM_DELAY after the last of several commands.
        self._confirm = Debouncer(
            hass, _LOGGER, cooldown=CONFIRM_DELAY, immediate=False, function=self.async_refresh
        )
        self._linked = LinkedPlayerWatch(hass, self.async_poll_soon)

    @property
    def listed_devices(self) -> tuple[Device, ...]:
        """The devices Spotify listed at the last read."""
        return self._devices

    @property
    def options(self) -> Mapping[str, Any]:
        """The options in force (the options flow hands them over before HA stores them)."""
        return self._options

    # --- polling ------------------------------------------------------------------------

    async def _async_setup(self) -> None:
        """Read the account and its devices once; GET /me is the connection test."""
        await self.remembered.async_load()
        self._linked.follow(linked_players(self._options))
        try:
            self._user = await self.api.get_current_user()
            await self._fetch_devices()
        except SpotifyError as err:
            raise self._update_error(err) from err

    async def _async_update_data(self) -> SpotifySnapshot:
        """Poll the playback; the device list and playlist only when they may have changed."""
        # This read sees every command sent so far: a pending confirmation would repeat it.
        self._confirm.async_cancel()
        try:
            self._last_poll_at, self._polled_at = self._polled_at, self.hass.loop.time()
            playback = await self.api.get_playback_state()
            # The position is true now, not after the device and playlist reads below.
            read_at = dt_util.utcnow()
            if self._devices_outdated(playback):
                await self._fetch_devices()
            playlist = await self._playlist_of(playback)
        except SpotifyRateLimitError as err:
            return self._skip_poll(err)
        except SpotifyError as err:
            if self._may_retry_quickly(err):
                return self._retry_soon(err)
            self._retrying = False
            raise self._update_error(err) from err
        async_delete_premium_issue(self.hass, self.config_entry)
        self._retrying = False
        if self._rate_limited:
            self._rate_limited = False
            _LOGGER.info("Polling %s resumed after Spotify's rate limit", self.name)
        if playback is not None and playback.device is not None and playback.device.id:
            self.last_device_id = playback.device.id
            self.remembered.observe_playing(playback.device)
        self._note_stop(playback)
        self._note_change(playback)
        self._poll_in(self._interval_after(playback))
        return SpotifySnapshot(
            user=self._user,
            playback=playback,
            devices=self._devices,
            playlist=playlist,
            position_updated_at=self._position_stamp(playback, read_at),
        )

    def _position_stamp(self, playback: PlaybackState | None, read_at: datetime) -> datetime | None:
        """When the position was true: kept while paused on the same item at the same spot.

        A new stamp on every poll while nothing moves would write a new state (and a
        recorder row) each time for nothing.
        """
        if playback is None:
            return None
        before = None if self.data is None else self.data.playback
        unmoved = (
            before is not None
            and not before.is_playing
            and not playback.is_playing
            and before.progress_ms == playback.progress_ms
            and (before.item and before.item.uri) == (playback.item and playback.item.uri)
        )
        if unmoved and self.data is not None and self.data.position_updated_at is not None:
            return self.data.position_updated_at
        return read_at

    def _may_retry_quickly(self, err: SpotifyError) -> bool:
        """A first transient failure after a good poll: one bad answer is not an outage."""
        return (
            self.data is not None
            and self.last_update_success
            and not self._retrying
            and not isinstance(err, SpotifyAuthorizationError | SpotifyForbiddenError)
        )

    def _retry_soon(self, err: SpotifyError) -> SpotifySnapshot:
        """Keep the snapshot and ask again in a few seconds; a second failure counts."""
        _LOGGER.debug("Polling %s failed (%s); asking again soon", self.name, err)
        self._retrying = True
        self._poll_in(timedelta(seconds=QUICK_RETRY_DELAY))
        return self.data

    def _skip_poll(self, err: SpotifyRateLimitError) -> SpotifySnapshot:
        """Keep the snapshot and wait out Spotify's Retry-After instead of failing."""
        if self.data is None:
            raise self._update_error(err) from err
        wait = max(err.retry_after, self.api.rate_limited_for)
        if not self._rate_limited:
            self._rate_limited = True
            _LOGGER.warning("Spotify rate-limits %s; polling pauses for %.0f s", self.name, wait)
        # The scheduler may fire up to a second early: add a second so the gate is open.
        self._poll_in(timedelta(seconds=wait + 1))
        return self.data

    def _note_stop(self, playback: PlaybackState | None) -> None:
        """Start the after-stop polls when this poll is the first to see playback stopped.

        A pause given in HA was shown before the poll, so it starts none: whoever paused
        here will likely resume here too, and that is seen at once.
        """
        if playing(playback):
            self._stopped_at = None
        elif self.data is not None and playing(self.data.playback):
            self._stopped_at = self._polled_at

    def _note_change(self, playback: PlaybackState | None) -> None:
        """Note when a poll sees a change that nobody made in Home Assistant.

        Not a command's result (a command went out since the last poll), not an item
        ending on its own, not the first poll.
        """
        commanded, self._commanded = self._commanded, False
        if commanded or self.data is None:
            return
        elapsed = self._polled_at - self._last_poll_at
        if changed_elsewhere(self.data.playback, playback, elapsed):
            self._changed_at = self._polled_at

    def _unseen(self, playback: PlaybackState | None) -> bool:
        """Playback is on a device whose changes no linked media player would report."""
        device = None if playback is None else playback.device
        if device is None:
            return False
        record = self.remembered.match(device)
        return record is None or record.key not in player_links(self._options)

    def _interval_after(self, playback: PlaybackState | None) -> timedelta:
        """What the polling policy says after seeing ``playback`` now."""
        return timedelta(seconds=next_read(self._seen(playback), self._intervals()))

    def _seen(self, playback: PlaybackState | None) -> Seen:
        """``playback`` as the polling policy reads it."""
        now = self.hass.loop.time()
        left = None
        if playing(playback):
            assert playback is not None  # noqa: S101 - narrowed by playing()
            item = playback.item
            if (
                item is not None
                and item.duration_ms is not None
                and playback.progress_ms is not None
            ):
                left = (item.duration_ms - playback.progress_ms) / 1000
        return Seen(
            playing=playing(playback),
            active=playback is not None and playback.device is not None,
            left_in_item=left,
            unseen=self._unseen(playback),
            since_change_elsewhere=None if self._changed_at is None else now - self._changed_at,
            since_stop_elsewhere=None if self._stopped_at is None else now - self._stopped_at,
        )

    def _intervals(self) -> Intervals:
        """The user's intervals, as the polling policy takes them."""
        return Intervals(
            playing=playing_interval(self._options).total_seconds(),
            idle=idle_interval(self._options).total_seconds(),
        )

    def _update_error(self, err: SpotifyError) -> Exception:
        """What HA should make of a failed poll: reauth, a repair, or a transient failure."""
        if isinstance(err, SpotifyAuthorizationError):
            return ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="authorization_refused"
            )
        if isinstance(err, SpotifyForbiddenError):
            async_create_premium_issue(self.hass, self.config_entry, err.message)
            placeholders = {"message": err.message}
            if self.config_entry.state is ConfigEntryState.SETUP_IN_PROGRESS:
                # Setup fails; the repair's fix flow loads the entry again.
                return ConfigEntryError(
                    translation_domain=DOMAIN,
                    translation_key="premium_required",
                    translation_placeholders=placeholders,
                )
            # After setup HA only logs a ConfigEntryError and polls on at the usual pace:
            # the entity goes unavailable instead, and asks again only now and then.
            self._poll_in(timedelta(seconds=REFUSED_RETRY_INTERVAL))
            return UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="premium_required",
                translation_placeholders=placeholders,
            )
        if self.data is not None:  # back to the usual pace after a quick retry
            self._poll_in(self._interval_after(self.data.playback))
        return UpdateFailed(
            translation_domain=DOMAIN,
            translation_key="update_failed",
            translation_placeholders={"error": str(err)},
        )

    # --- devices and playlist -------------------------------------------------------------

    async def _fetch_devices(self) -> None:
        self._devices = tuple(await self.api.get_devices())
        self.devices_fetched_at = time.monotonic()
        self.remembered.observe(self._devices)

    def _devices_outdated(self, playback: PlaybackState | None) -> bool:
        """Old enough to fetch again, or playback is on a device the cache lacks."""
        if time.monotonic() - self.devices_fetched_at >= DEVICES_REFRESH_INTERVAL:
            return True
        device = None if playback is None else playback.device
        return device is not None and not any(_same_device(device, d) for d in self._devices)

    async def _playlist_of(self, playback: PlaybackState | None) -> Playlist | None:
        """The playing playlist, fetched once per context."""
        context = None if playback is None else playback.context
        uri = context.uri if context is not None and context.type == "playlist" else None
        if uri != self._playlist_uri:
            self._playlist_uri, self._playlist = uri, None
            if uri is not None:
                try:
                    self._playlist = await self.api.get_playlist(uri)
                except (SpotifyApiError, SpotifyResponseError):
                    # Spotify's own mixes answer 404; the name is a nicety, not a failure.
                    _LOGGER.debug("No details for the playing playlist of %s", self.name)
        return self._playlist

    async def async_refresh_devices(self) -> tuple[Device, ...]:
        """Fetch the device list now, because a command or a form needs it current."""
        await self._fetch_devices()
        self.data = replace(self.data, devices=self._devices)
        self.async_update_listeners()
        return self._devices

    @callback
    def async_poll_soon(self) -> None:
        """Poll shortly, because HA saw something that likely changed the playback.

        Shares the confirmation poll's debounce: a burst of reasons costs one request.
        """
        self._confirm.async_schedule_call()

    # --- commands ---------------------------------------------------------------------------

    async def async_command_sent(
        self, change: PlaybackChange | None = None, *, confirm: bool = True
    ) -> None:
        """Show what a command should have done now; one poll confirms several commands.

        A command whose whole effect ``change`` predicts (pause, seek, volume, shuffle,
        repeat) passes ``confirm=False``: it is shown without a confirming poll and
        without moving the poll schedule, and the next regular poll checks it.
        """
        self._commanded = True
        snapshot = self.data
        if change is not None and snapshot.playback is not None:
            current = replace(snapshot.playback, progress_ms=snapshot.progress_now())
            expected = replace(
                snapshot,
                playback=change(current),
                position_updated_at=dt_util.utcnow(),
                predicted=True,
            )
            if not confirm:
                self._keep_schedule(snapshot.playback, expected.playback)
                self.async_set_updated_data(expected)  # shown, and polled when set above
                return
            self.async_set_updated_data(expected)
        self._confirm.async_cancel()
        await self._confirm.async_call()

    def _keep_schedule(self, before: PlaybackState | None, after: PlaybackState | None) -> None:
        """Poll when the policy would have after the last poll, had it seen ``after``.

        A pause moves the next poll to the idle interval after the last one. Otherwise the
        poll already due stays, unless ``after`` needs one sooner: a seek may bring the end
        of the item closer, and a resume starts the playing pace.
        """
        now = self.hass.loop.time()
        wait = wait_after_prediction(
            stopped=playing(before) and not playing(after),
            wait_for_new_state=self._interval_after(after).total_seconds(),
            since_last_poll=now - self._polled_at,
            until_due=self._due_at - now,
        )
        self._poll_in(timedelta(seconds=wait))

    def _poll_in(self, interval: timedelta) -> None:
        """Make the next poll come ``interval`` after this moment, and note when that is.

        HA schedules it with the interval in force when a poll ends or new data is set.
        """
        self.update_interval = interval
        self._due_at = self.hass.loop.time() + interval.total_seconds()

    async def async_start(self, start: Callable[[str | None], Awaitable[None]]) -> bool:
        """Run a play command on the active device, or on the fallback when none is active.

        True when it ran on the active device: only then is the snapshot's device right.
        """
        if self.data.active_device is not None:
            try:
                await start(None)
            except SpotifyNoActiveDeviceError:
                _LOGGER.debug("The active device of %s went away; using the fallback", self.name)
            else:
                return True
        await start(await self._fallback_device())
        return False

    async def _fallback_device(self) -> str:
        """The last device used, else the default device, else the only one available."""
        devices = [d for d in await self.async_refresh_devices() if d.id and not d.is_restricted]
        ids = {device.id for device in devices}
        default = self._options.get(CONF_DEFAULT_DEVICE)
        for candidate in (self.last_device_id, default):
            if candidate in ids:
                return str(candidate)
        if len(devices) == 1 and devices[0].id:
            return devices[0].id
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="no_active_device")

    @callback
    def async_apply_options(self, options: Mapping[str, Any]) -> bool:
        """Use new options at once, moving the pending poll; False when nothing changed.

        The options flow calls this with what it is about to store: no update listener
        (HA 2026.12 reloads an entry that has one after every reauth).
        """
        if options == self._options:
            return False
        self._options = dict(options)
        self._linked.follow(linked_players(self._options))
        # A 429 pause ends when Spotify said, a quick retry stays quick, and a failing
        # account keeps its pace until a poll works again.
        if not self._rate_limited and not self._retrying and self.last_update_success:
            self._poll_in(self._interval_after(self.data.playback))
            # Setting the same data again moves the pending poll to the new interval.
            self.async_set_updated_data(self.data)
        return True

    async def async_shutdown(self) -> None:
        """Cancel a pending confirmation poll too, and write the remembered devices."""
        self._confirm.async_shutdown()
        self._linked.stop()
        await self.remembered.async_flush()
        await super().async_shutdown()


def expect_playing(is_playing: bool) -> PlaybackChange:
    """The playback expected after play or pause, with the opposite button offered at once."""

    def change(playback: PlaybackState) -> PlaybackState:
        # Spotify disallows resuming while playing and pausing while paused.
        disallows = replace(playback.disallows, resuming=is_playing, pausing=not is_playing)
        return replace(playback, is_playing=is_playing, disallows=disallows)

    return change


def changed_elsewhere(
    before: PlaybackState | None, after: PlaybackState | None, elapsed: float
) -> bool:
    """Whether ``after``, read ``elapsed`` seconds after ``before``, shows a change someone made.

    An item that should have ended by then explains a new item, or a stop at the end of
    the context; the device, its volume, shuffle or repeat do not change on their own.
    """
    if before is None or after is None:
        return (before is None) != (after is None)
    if _settings(before) != _settings(after):
        return True
    if before.is_playing and _ends_within(before, elapsed + ITEM_END_SLACK):
        return False
    uri_before = None if before.item is None else before.item.uri
    uri_after = None if after.item is None else after.item.uri
    return before.is_playing != after.is_playing or uri_before != uri_after


def _settings(playback: PlaybackState) -> tuple[object, ...]:
    """What only a person changes: the device (by id, else name), its volume, the modes."""
    device = playback.device
    where = None if device is None else (device.id or device.name, device.volume_percent)
    return (where, playback.shuffle_state, playback.repeat_state)


def _ends_within(playback: PlaybackState, seconds: float) -> bool:
    """The item playing should end within ``seconds`` (unknown length: it may have)."""
    item = playback.item
    if item is None or item.duration_ms is None or playback.progress_ms is None:
        return True
    return (item.duration_ms - playback.progress_ms) / 1000 <= seconds


def playing(playback: PlaybackState | None) -> bool:
    """Whether something plays (not paused, not stopped)."""
    return playback is not None and playback.is_playing


def _same_device(a: Device, b: Device) -> bool:
    """Devices without an id can only be told apart by name."""
    return a.id == b.id if a.id or b.id else a.name == b.name


def idle_interval(options: Mapping[str, Any]) -> timedelta:
    """The polling interval while nothing plays (stored within bounds: see migration.py)."""
    return timedelta(seconds=options.get(CONF_IDLE_INTERVAL, DEFAULT_IDLE_INTERVAL))


def playing_interval(options: Mapping[str, Any]) -> timedelta:
    """The polling interval while something plays (shortened when an item ends sooner)."""
    return timedelta(seconds=options.get(CONF_PLAYING_INTERVAL, DEFAULT_PLAYING_INTERVAL))
