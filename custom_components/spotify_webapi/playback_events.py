"""What changed between two readings of the playback, as the event entity's event types.

Pure functions over the coordinator's snapshots: the events cost no request of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from .coordinator import playing
from .webapi import Chapter, Episode, Track

if TYPE_CHECKING:
    from .webapi import PlaybackState

PLAYBACK_STARTED: Final = "playback_started"
PLAYBACK_STOPPED: Final = "playback_stopped"
DEVICE_CHANGED: Final = "device_changed"
CONTEXT_CHANGED: Final = "context_changed"
TRACK_CHANGED: Final = "track_changed"
# In the order they fire when one poll sees several changes: started first, stopped last.
EVENT_TYPES: Final = (
    PLAYBACK_STARTED,
    DEVICE_CHANGED,
    CONTEXT_CHANGED,
    TRACK_CHANGED,
    PLAYBACK_STOPPED,
)

type PlaybackEvent = tuple[str, dict[str, Any]]


def playback_events(
    before: PlaybackState | None, after: PlaybackState | None
) -> list[PlaybackEvent]:
    """The events that lead from ``before`` to ``after``, each with what plays now."""
    now = describe(after)
    changed = {
        PLAYBACK_STARTED: playing(after) and not playing(before),
        DEVICE_CHANGED: after is not None and _device_key(after) != _device_key(before),
        CONTEXT_CHANGED: after is not None and _context_uri(after) != _context_uri(before),
        TRACK_CHANGED: _item_uri(after) is not None and _item_uri(after) != _item_uri(before),
        PLAYBACK_STOPPED: playing(before) and not playing(after),
    }
    previous = {
        DEVICE_CHANGED: {"previous_device_name": describe(before)["device_name"]},
        CONTEXT_CHANGED: {"previous_context_uri": _context_uri(before)},
        TRACK_CHANGED: {"previous_uri": _item_uri(before)},
    }
    return [(kind, now | previous.get(kind, {})) for kind in EVENT_TYPES if changed[kind]]


def describe(playback: PlaybackState | None) -> dict[str, Any]:
    """What plays where, as event attributes (names for people, URIs for automations)."""
    item = None if playback is None else playback.item
    device = None if playback is None else playback.device
    context = None if playback is None else playback.context
    artists: list[str] = []
    album = None
    if isinstance(item, Track):
        artists = [artist.name for artist in item.artists if artist.name]
        album = item.album.name if item.album else None
    elif isinstance(item, Chapter) and item.audiobook is not None:
        # A chapter of a book, as the player shows it: the authors, and the book.
        artists = list(item.audiobook.authors)
        album = item.audiobook.name
    elif isinstance(item, Episode) and item.show is not None:
        album = item.show.name
    return {
        "uri": None if item is None else item.uri,
        "name": None if item is None else item.name,
        "artists": artists,
        "album": album,
        "context_uri": None if context is None else context.uri,
        # Not "device_id": HA means its own device registry ids by that name.
        "spotify_device_id": None if device is None else device.id,
        "device_name": None if device is None else device.name,
    }


def _item_uri(playback: PlaybackState | None) -> str | None:
    item = None if playback is None else playback.item
    return None if item is None else item.uri


def _context_uri(playback: PlaybackState | None) -> str | None:
    context = None if playback is None else playback.context
    return None if context is None else context.uri


def _device_key(playback: PlaybackState | None) -> tuple[str | None, str | None] | None:
    """Some devices have no id: they are told apart by name."""
    device = None if playback is None else playback.device
    return None if device is None else (device.id, None if device.id else device.name)
