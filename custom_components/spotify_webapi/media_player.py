"""The account's media player: Spotify Connect playback, read from the coordinator's snapshot."""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Concatenate, Final

from homeassistant.components.media_player import MediaPlayerEntity
from homeassistant.components.media_player.const import (
    ATTR_MEDIA_ENQUEUE,
    MediaPlayerEntityFeature,
    MediaPlayerState,
    MediaType,
    RepeatMode,
)
from homeassistant.exceptions import ServiceValidationError

from .browse.media import SpotifyBrowser, media_uri
from .browse.nodes import episode_image, image_url
from .const import (
    CONF_SHOW_RESTRICTED_DEVICES,
    DEFAULT_SHOW_RESTRICTED_DEVICES,
    DOMAIN,
    UNMUTE_FALLBACK_VOLUME,
)
from .coordinator import expect_playing
from .entity import SpotifyWebApiEntity
from .exceptions import spotify_errors
from .features import player_features, power_features, repeat_disallowed
from .playback_start import start_arguments
from .texts import offline_source, text
from .webapi import Chapter, Episode, Track
from .webapi import RepeatMode as SpotifyRepeatMode
from .webapi.uris import PLAYABLE_TYPES

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Coroutine, Iterable
    from datetime import datetime

    from homeassistant.components.media_player.browse_media import (
        BrowseMedia,
        SearchMedia,
        SearchMediaQuery,
    )
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import SpotifySnapshot, SpotifyWebApiCoordinator
    from .data import SpotifyWebApiConfigEntry
    from .devices.remembered import RememberedDevice
    from .webapi import Artist, Device, Playable, PlaybackState, SimplifiedAudiobook

# Commands to one account one at a time: Spotify applies them in the order they arrive.
PARALLEL_UPDATES = 1

REPEAT_TO_HA: Final = {
    SpotifyRepeatMode.OFF: RepeatMode.OFF,
    SpotifyRepeatMode.CONTEXT: RepeatMode.ALL,
    SpotifyRepeatMode.TRACK: RepeatMode.ONE,
}
REPEAT_TO_SPOTIFY: Final = {ha: spotify for spotify, ha in REPEAT_TO_HA.items()}
# MediaPlayerEnqueue moved between HA versions; its values are stable.
QUEUE: Final = frozenset({"add", "next"})


async def async_setup_entry(
    hass: HomeAssistant,
    entry: SpotifyWebApiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One media player per account."""
    async_add_entities([SpotifyWebApiMediaPlayer(entry.runtime_data.coordinator)])


def spotify_command[**P](
    func: Callable[Concatenate[SpotifyWebApiMediaPlayer, P], Awaitable[None]],
) -> Callable[Concatenate[SpotifyWebApiMediaPlayer, P], Coroutine[Any, Any, None]]:
    """Turn Spotify's refusals of a command into translated HA errors."""

    async def run(player: SpotifyWebApiMediaPlayer, /, *args: P.args, **kwargs: P.kwargs) -> None:
        with spotify_errors(player.hass, player.coordinator.config_entry):
            await func(player, *args, **kwargs)

    run.__doc__ = func.__doc__
    return run


class SpotifyWebApiMediaPlayer(SpotifyWebApiEntity, MediaPlayerEntity):
    """Spotify Connect playback of one account, wherever it plays."""

    _attr_name = None
    _attr_translation_key = "spotify"
    # Spotify's cover art lives on a public CDN: browsers fetch it directly.
    _attr_media_image_remotely_accessible = True

    def __init__(self, coordinator: SpotifyWebApiCoordinator) -> None:
        """The player of the coordinator's account; its unique id is the Spotify user id."""
        super().__init__(coordinator)
        self._attr_unique_id = self.account_id
        self._volume_before_mute: int | None = None

    # --- state ------------------------------------------------------------------------------

    @property
    def _snapshot(self) -> SpotifySnapshot:
        return self.coordinator.data

    @property
    def _playback(self) -> PlaybackState | None:
        return self._snapshot.playback

    @property
    def _device(self) -> Device | None:
        return self._snapshot.active_device

    @property
    def _item(self) -> Playable | None:
        return None if self._playback is None else self._playback.item

    @property
    def _track(self) -> Track | None:
        return self._item if isinstance(self._item, Track) else None

    @property
    def _episode(self) -> Episode | None:
        """A podcast episode; a chapter of a book is not one here."""
        item = self._item
        return item if isinstance(item, Episode) and not isinstance(item, Chapter) else None

    @property
    def _book(self) -> SimplifiedAudiobook | None:
        """The book of the chapter playing."""
        return self._item.audiobook if isinstance(self._item, Chapter) else None

    @property
    def supported_features(self) -> MediaPlayerEntityFeature:
        """What the active device and Spotify's disallowed actions leave possible."""
        can_resume_last = self.coordinator.remembered.last_used is not None
        return player_features(self._device, self._playback) | power_features(
            self._device, self._playback, can_resume_last=can_resume_last
        )

    @property
    def state(self) -> MediaPlayerState:
        """Idle when nothing is loaded anywhere."""
        if self._playback is None:
            return MediaPlayerState.IDLE
        return MediaPlayerState.PLAYING if self._playback.is_playing else MediaPlayerState.PAUSED

    @property
    def media_content_id(self) -> str | None:
        """The Spotify URI of the item."""
        return None if self._item is None else self._item.uri

    @property
    def media_content_type(self) -> MediaType | None:
        """Music, or podcast for episodes and chapters (HA has no type for books)."""
        if self._item is None:
            return None
        return MediaType.MUSIC if self._track is not None else MediaType.PODCAST

    @property
    def media_title(self) -> str | None:
        """The track, episode or chapter name."""
        return None if self._item is None else self._item.name

    @property
    def media_artist(self) -> str | None:
        """The track's artists, the episode's show, or the book's authors."""
        if self._book is not None:
            return ", ".join(self._book.authors) or self._book.publisher
        if self._episode is not None:
            return self._episode.show.name if self._episode.show else None
        return _names(self._track.artists) if self._track else None

    @property
    def media_album_name(self) -> str | None:
        """The track's album, or the chapter's book."""
        if self._book is not None:
            return self._book.name
        return self._track.album.name if self._track and self._track.album else None

    @property
    def media_album_artist(self) -> str | None:
        """The album's artists."""
        return _names(self._track.album.artists) if self._track and self._track.album else None

    @property
    def media_track(self) -> int | None:
        """The track's number on its album."""
        return self._track.track_number if self._track else None

    @property
    def media_duration(self) -> int | None:
        """Length in seconds."""
        duration = None if self._item is None else self._item.duration_ms
        return None if duration is None else round(duration / 1000)

    @property
    def media_position(self) -> int | None:
        """Position in seconds when ``media_position_updated_at`` was taken."""
        progress = None if self._playback is None else self._playback.progress_ms
        return None if progress is None else round(progress / 1000)

    @property
    def media_position_updated_at(self) -> datetime | None:
        """When the position was read (or changed by a command)."""
        return self._snapshot.position_updated_at

    @property
    def media_image_url(self) -> str | None:
        """Cover art of the album, episode or show, or the book's cover."""
        if self._book is not None and (cover := image_url(self._book.images)):
            return cover
        if isinstance(self._item, Episode):
            return episode_image(self._item)
        return image_url(self._track.album.images) if self._track and self._track.album else None

    @property
    def media_playlist(self) -> str | None:
        """The playing playlist's name."""
        playlist, context = self._snapshot.playlist, self._playback and self._playback.context
        return playlist.name if playlist and context and playlist.uri == context.uri else None

    @property
    def shuffle(self) -> bool | None:
        """Whether the context plays shuffled."""
        return None if self._playback is None else self._playback.shuffle_state

    @property
    def repeat(self) -> RepeatMode | None:
        """Off, all (the context) or one (the track)."""
        return None if self._playback is None else REPEAT_TO_HA[self._playback.repeat_state]

    @property
    def volume_level(self) -> float | None:
        """The active device's volume, 0 to 1."""
        volume = _volume_percent(self._device)
        return None if volume is None else volume / 100

    @property
    def is_volume_muted(self) -> bool | None:
        """Spotify has no mute: a volume of 0 counts as muted."""
        volume = _volume_percent(self._device)
        return None if volume is None else volume == 0

    @property
    def source(self) -> str | None:
        """The device playing."""
        return None if self._device is None else self._device.name

    @property
    def source_list(self) -> list[str]:
        """Devices Spotify lists, then remembered ones it does not, marked offline; by name."""
        listed = self._selectable(self._snapshot.devices)
        names = {device.name for device in listed if device.name}
        return _by_name(names) + _by_name(set(self._offline_sources(listed)) - names)

    def _offline_sources(self, listed: Iterable[Device]) -> dict[str, RememberedDevice]:
        """Remembered devices Spotify does not list, by their name in the source list."""
        names = {device.name for device in listed}
        return {
            offline_source(self.hass, record.name): record
            for record in self.coordinator.remembered.devices
            if record.name not in names and not any(record.is_listed_as(d) for d in listed)
        }

    def _selectable(self, devices: Iterable[Device]) -> list[Device]:
        """Addressable devices; restricted ones only when the options ask for them."""
        options = self.coordinator.options
        show_restricted = options.get(CONF_SHOW_RESTRICTED_DEVICES, DEFAULT_SHOW_RESTRICTED_DEVICES)
        return [d for d in devices if d.id and (show_restricted or not d.is_restricted)]

    # --- commands ---------------------------------------------------------------------------

    @spotify_command
    async def async_media_play(self) -> None:
        """Resume; with no active device, on the fallback device.

        Resuming a paused item on the active device changes nothing but the play state,
        which the entity shows at once; what a fallback device plays, a poll must tell.
        """
        resumed = await self.coordinator.async_start(
            lambda device: self.api.start_playback(device_id=device)
        )
        predictable = resumed and self._playback is not None and self._playback.item is not None
        await self.coordinator.async_command_sent(expect_playing(True), confirm=not predictable)

    async def async_toggle(self) -> None:
        """Pause what plays; otherwise resume, or start on the device used last."""
        if self.state is MediaPlayerState.PLAYING:
            await self.async_turn_off()
        else:
            await self.async_turn_on()

    @spotify_command
    async def async_turn_on(self) -> None:
        """Resume where playback is paused, else on the device used last (woken if asleep).

        Already playing is already on: nothing is sent.
        """
        if self.state is MediaPlayerState.PLAYING:
            return
        if self._device is not None and self._playback is not None:
            await self.api.start_playback()
            await self.coordinator.async_command_sent(expect_playing(True))
            return
        last = self.coordinator.remembered.last_used
        if last is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="no_last_device"
            )
        waker = self.coordinator.waker
        device = await waker.async_send_to(
            await waker.async_wake(last),
            lambda device_id: self.api.transfer_playback(device_id, play=True),
        )
        moved = replace(device, is_active=True)
        await self.coordinator.async_command_sent(
            lambda p: expect_playing(True)(replace(p, device=moved))
        )

    async def async_turn_off(self) -> None:
        """Pause: Spotify cannot switch a device off; paused or idle is already off."""
        if self.state is MediaPlayerState.PLAYING:
            await self.async_media_pause()

    @spotify_command
    async def async_media_pause(self) -> None:
        """Pause."""
        await self.api.pause_playback()
        await self.coordinator.async_command_sent(expect_playing(False), confirm=False)

    @spotify_command
    async def async_media_next_track(self) -> None:
        """Skip to the next item (which one, the confirming poll tells)."""
        await self.api.skip_to_next()
        await self.coordinator.async_command_sent()

    @spotify_command
    async def async_media_previous_track(self) -> None:
        """Go back, or restart the item."""
        await self.api.skip_to_previous()
        await self.coordinator.async_command_sent()

    @spotify_command
    async def async_media_seek(self, position: float) -> None:
        """Jump to ``position`` seconds."""
        position_ms = round(position * 1000)
        await self.api.seek(position_ms)
        await self.coordinator.async_command_sent(
            lambda p: replace(p, progress_ms=position_ms), confirm=False
        )

    @spotify_command
    async def async_set_volume_level(self, volume: float) -> None:
        """Set the active device's volume."""
        await self._set_volume(round(volume * 100))

    @spotify_command
    async def async_mute_volume(self, mute: bool) -> None:
        """Mute by setting volume 0; unmuting restores the volume from before."""
        if mute:
            current = _volume_percent(self._device)
            if current:
                self._volume_before_mute = current
            await self._set_volume(0)
        else:
            await self._set_volume(self._volume_before_mute or UNMUTE_FALLBACK_VOLUME)

    async def _set_volume(self, percent: int) -> None:
        await self.api.set_volume(percent)

        def change(playback: PlaybackState) -> PlaybackState:
            device = playback.device
            return replace(playback, device=device and replace(device, volume_percent=percent))

        await self.coordinator.async_command_sent(change, confirm=False)

    @spotify_command
    async def async_set_shuffle(self, shuffle: bool) -> None:
        """Shuffle the context, or not."""
        await self.api.set_shuffle(shuffle)
        await self.coordinator.async_command_sent(
            lambda p: replace(p, shuffle_state=shuffle), confirm=False
        )

    @spotify_command
    async def async_set_repeat(self, repeat: RepeatMode) -> None:
        """Repeat nothing, the context, or the track."""
        mode = REPEAT_TO_SPOTIFY[repeat]
        playback = self._playback
        if playback is not None and repeat_disallowed(
            playback.disallows, playback.repeat_state, mode
        ):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="repeat_mode_disallowed",
                translation_placeholders={"mode": str(repeat)},
            )
        await self.api.set_repeat(mode)
        await self.coordinator.async_command_sent(
            lambda p: replace(p, repeat_state=mode), confirm=False
        )

    @spotify_command
    async def async_select_source(self, source: str) -> None:
        """Move playback to the named device, waking a remembered one; it keeps its state."""
        devices = await self.coordinator.async_refresh_devices()
        listed = self._selectable(devices)
        device = next((d for d in listed if d.name == source), None)
        record = None
        if device is None:
            offline = self._offline_sources(listed)
            record = offline.get(source) or self.coordinator.remembered.find(source)
        if record is not None:
            device = await self.coordinator.waker.async_wake(record, fresh=True)
        if device is None or device.id is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_source",
                translation_placeholders={"source": source},
            )
        device = await self.coordinator.waker.async_send_to(device, self.api.transfer_playback)
        moved = replace(device, is_active=True)
        await self.coordinator.async_command_sent(lambda p: replace(p, device=moved))

    @spotify_command
    async def async_play_media(
        self, /, media_type: MediaType | str, media_id: str, **kwargs: Any
    ) -> None:
        """Play or queue a Spotify item, link, library node or Liked Songs."""
        item = media_uri(media_id, self._snapshot.user.id)
        if kwargs.get(ATTR_MEDIA_ENQUEUE) in QUEUE:
            # Spotify's queue takes tracks and episodes; it plays them after those queued.
            if item.type not in PLAYABLE_TYPES:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="cannot_queue",
                    translation_placeholders={"media_id": media_id},
                )
            await self.api.add_to_queue(item)
            await self.coordinator.async_command_sent()
            return
        start = functools.partial(self.api.start_playback, **await start_arguments(self.api, item))
        await self.coordinator.async_start(lambda device: start(device_id=device))
        await self.coordinator.async_command_sent(expect_playing(True))

    # --- browse and search --------------------------------------------------------------------

    def _browser(self) -> SpotifyBrowser:
        user = self._snapshot.user
        say = functools.partial(text, self.hass)
        return SpotifyBrowser(self.api, user.id, say=say, market=user.country)

    async def async_browse_media(
        self, media_content_type: MediaType | str | None = None, media_content_id: str | None = None
    ) -> BrowseMedia:
        """The library, and what its folders and Spotify's objects hold."""
        if media_content_id is None:
            # The user opened the media browser: likely to act on what plays now.
            self.coordinator.async_poll_soon()
        return await self._browser().browse(media_content_type, media_content_id)

    async def async_search_media(self, query: SearchMediaQuery) -> SearchMedia:
        """Search Spotify's catalog (HA 2025.5+ calls this; 2025.4 has no search)."""
        # Imported here: SearchMedia exists from HA 2025.5 on, and 2025.4 never calls this.
        from homeassistant.components.media_player.browse_media import (  # noqa: PLC0415
            SearchMedia,
        )

        classes = query.media_filter_classes
        return SearchMedia(result=await self._browser().search(query.search_query, classes))


def _by_name(names: Iterable[str]) -> list[str]:
    return sorted(names, key=lambda name: (name.casefold(), name))


def _names(artists: Iterable[Artist]) -> str | None:
    return ", ".join(artist.name for artist in artists if artist.name) or None


def _volume_percent(device: Device | None) -> int | None:
    if device is None or not device.supports_volume:
        return None
    return device.volume_percent
