"""The player: devices, the playback state, the queue and the play history."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Self

from ._parse import (
    JsonObject,
    expect_object,
    get_bool,
    get_datetime,
    get_external_url,
    get_int,
    get_nested,
    get_object,
    get_objects,
    get_str,
)
from .catalog import Playable, Track, parse_playable

if TYPE_CHECKING:
    from datetime import datetime


class RepeatMode(StrEnum):
    """What the player repeats."""

    OFF = "off"
    TRACK = "track"
    CONTEXT = "context"


@dataclass(frozen=True, slots=True, kw_only=True)
class Device:
    """A Spotify Connect device; some have no ``id`` and some no volume."""

    id: str | None = None
    name: str | None = None
    type: str | None = None
    is_active: bool = False
    is_private_session: bool = False
    is_restricted: bool = False
    volume_percent: int | None = None
    supports_volume: bool = False

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a DeviceObject."""
        obj = expect_object(data, "device")
        volume = get_int(obj, "volume_percent")
        return cls(
            id=get_str(obj, "id"),
            name=get_str(obj, "name"),
            type=get_str(obj, "type"),
            is_active=get_bool(obj, "is_active"),
            is_private_session=get_bool(obj, "is_private_session"),
            is_restricted=get_bool(obj, "is_restricted"),
            volume_percent=volume,
            # Older answers lack `supports_volume`; a known volume implies support.
            supports_volume=get_bool(obj, "supports_volume", default=volume is not None),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """What the player plays from: an album, artist, playlist, show or Liked Songs."""

    type: str | None = None
    uri: str | None = None
    href: str | None = None
    external_url: str | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a ContextObject."""
        obj = expect_object(data, "context")
        return cls(
            type=get_str(obj, "type"),
            uri=get_str(obj, "uri"),
            href=get_str(obj, "href"),
            external_url=get_external_url(obj),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Disallows:
    """Player actions Spotify says are not possible now; an absent action is allowed."""

    interrupting_playback: bool = False
    pausing: bool = False
    resuming: bool = False
    seeking: bool = False
    skipping_next: bool = False
    skipping_prev: bool = False
    toggling_repeat_context: bool = False
    toggling_shuffle: bool = False
    toggling_repeat_track: bool = False
    transferring_playback: bool = False

    @classmethod
    def from_actions(cls, data: object) -> Self:
        """Parse the ``actions`` of a playback state (``{"disallows": {...}}``, or the flags)."""
        obj = expect_object(data, "actions")
        # Spotify nests the flags under `disallows`; the OpenAPI document puts them
        # directly on `actions`. Read both.
        flags = get_object(obj, "disallows") or obj
        return cls(
            interrupting_playback=get_bool(flags, "interrupting_playback"),
            pausing=get_bool(flags, "pausing"),
            resuming=get_bool(flags, "resuming"),
            seeking=get_bool(flags, "seeking"),
            skipping_next=get_bool(flags, "skipping_next"),
            skipping_prev=get_bool(flags, "skipping_prev"),
            toggling_repeat_context=get_bool(flags, "toggling_repeat_context"),
            toggling_shuffle=get_bool(flags, "toggling_shuffle"),
            toggling_repeat_track=get_bool(flags, "toggling_repeat_track"),
            transferring_playback=get_bool(flags, "transferring_playback"),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaybackState:
    """What the user's Spotify is playing, where, and how (``GET /me/player``)."""

    device: Device | None = None
    is_playing: bool = False
    item: Playable | None = None
    currently_playing_type: str | None = None
    context: Context | None = None
    progress_ms: int | None = None
    timestamp: int | None = None
    shuffle_state: bool = False
    repeat_state: RepeatMode = RepeatMode.OFF
    disallows: Disallows = field(default_factory=Disallows)

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a CurrentlyPlayingContextObject."""
        obj = expect_object(data, "playback state")
        item = get_object(obj, "item")
        actions = get_object(obj, "actions")
        return cls(
            device=get_nested(obj, "device", Device.from_dict),
            is_playing=get_bool(obj, "is_playing"),
            item=None if item is None else parse_playable(item),
            currently_playing_type=get_str(obj, "currently_playing_type"),
            context=get_nested(obj, "context", Context.from_dict),
            progress_ms=get_int(obj, "progress_ms"),
            timestamp=get_int(obj, "timestamp"),
            shuffle_state=get_bool(obj, "shuffle_state"),
            repeat_state=_repeat_mode(obj),
            disallows=Disallows() if actions is None else Disallows.from_actions(actions),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Queue:
    """What plays now and what plays next (``GET /me/player/queue``)."""

    currently_playing: Playable | None = None
    queue: tuple[Playable, ...] = ()

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a QueueObject."""
        obj = expect_object(data, "queue")
        current = get_object(obj, "currently_playing")
        return cls(
            currently_playing=None if current is None else parse_playable(current),
            queue=get_objects(obj, "queue", parse_playable),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class PlayHistory:
    """A track the user played, when, and from where."""

    track: Track | None = None
    played_at: datetime | None = None
    context: Context | None = None

    @classmethod
    def from_dict(cls, data: object) -> Self:
        """Parse a PlayHistoryObject."""
        obj = expect_object(data, "play history")
        return cls(
            track=get_nested(obj, "track", Track.from_dict),
            played_at=get_datetime(obj, "played_at"),
            context=get_nested(obj, "context", Context.from_dict),
        )


def _repeat_mode(data: JsonObject) -> RepeatMode:
    """The repeat mode; a value Spotify may add later reads as off."""
    try:
        return RepeatMode(get_str(data, "repeat_state") or "")
    except ValueError:
        return RepeatMode.OFF
