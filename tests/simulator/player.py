"""One user's Spotify Connect player: a state machine driven by commands and the clock."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from .responses import ApiError

if TYPE_CHECKING:
    from collections.abc import Callable

    from .catalogue import Catalogue
    from .clock import SimClock
    from .devices import Device

RESTRICTED = "Player command failed: Restriction violated"
REPEAT_STATES = ("track", "context", "off")
# Spotify restarts the item instead of going back once this much has played.
PREVIOUS_RESTARTS_AFTER_MS = 3_000
# Spotify counts a track as played (recently played) after 30 seconds.
COUNTS_AS_PLAYED_MS = 30_000
_MAX_AUTO_ADVANCES = 10_000


@dataclass(frozen=True, slots=True)
class Played:
    """A recently played track."""

    played_at: float
    uri: str
    context_uri: str | None


@dataclass(slots=True)
class Playback:
    """What is loaded: a context (or a URI list), the play order, and the position."""

    context_uri: str | None
    items: list[str]
    order: list[int]
    cursor: int
    item_uri: str
    position_ms: float
    since: float
    changed_at: float
    is_playing: bool
    from_queue: bool = False


@dataclass(slots=True)
class ResumePoint:
    """Where the user left a chapter: Spotify keeps one per chapter, for every device."""

    position_ms: int = 0
    fully_played: bool = False


def no_active_device() -> ApiError:
    """Spotify's answer to a command when nothing is playing anywhere."""
    return ApiError(404, "Player command failed: No active device found", reason="NO_ACTIVE_DEVICE")


def premium_required() -> ApiError:
    """Spotify's answer to a player command from a Free account."""
    return ApiError(403, "Player command failed: Premium required", reason="PREMIUM_REQUIRED")


# Every flag Spotify's `actions.disallows` can carry.
DISALLOWS_FLAGS: Final = frozenset(
    {
        "interrupting_playback",
        "pausing",
        "resuming",
        "seeking",
        "skipping_next",
        "skipping_prev",
        "toggling_repeat_context",
        "toggling_repeat_track",
        "toggling_shuffle",
        "transferring_playback",
    }
)


def restriction_violated() -> ApiError:
    """Spotify's answer to a command the current state disallows."""
    return ApiError(403, RESTRICTED, reason="UNKNOWN")


class Player:
    """Devices, the loaded playback, the user queue and recently played tracks."""

    def __init__(
        self,
        clock: SimClock,
        catalogue: Catalogue,
        devices: list[Device],
        resolve_context: Callable[[str], list[str] | None],
        *,
        premium: bool,
        market: str | None = None,
    ) -> None:
        """A stopped player; `resolve_context` turns a context URI into its item URIs.

        `market` is the user's country: audiobooks sold elsewhere do not play.
        """
        self._clock = clock
        self.market = market
        # Chapter id -> where the user left it (updated when a chapter is paused or left).
        self.resume_points: dict[str, ResumePoint] = {}
        self._catalogue = catalogue
        self._resolve = resolve_context
        self.devices = devices
        self.premium = premium
        self.active: Device | None = None
        self.playback: Playback | None = None
        self.shuffle = False
        self.repeat = "off"
        self.queue: list[str] = []
        # Actions disallowed beyond what the state implies (an ad plays, a device forbids seeking).
        self.restrictions: set[str] = set()
        self.history: list[Played] = []  # newest first
        self._rng = random.Random(len(devices))  # noqa: S311  shuffle order, not security

    # --- reading ------------------------------------------------------------------------

    def sync(self) -> Playback | None:
        """Bring progress up to the clock, moving on to the next items as they end."""
        playback = self.playback
        if playback is None or not playback.is_playing:
            return playback
        now = self._clock.now()
        for _ in range(_MAX_AUTO_ADVANCES):
            duration = self.duration_ms(playback.item_uri)
            ends_at = playback.since + (duration - playback.position_ms) / 1000
            if ends_at > now:
                break
            self._record(playback, ends_at)
            self._leave(playback, finished=True)
            playback.position_ms, playback.since, playback.changed_at = 0, ends_at, ends_at
            if not self._advance(playback, manual=False):
                self._stop_at_start(playback)
                return playback
        else:  # a clock jump of days on repeat: give up following it item by item
            self._stop_at_start(playback)
            return playback
        playback.position_ms += (now - playback.since) * 1000
        playback.since = now
        return playback

    def duration_ms(self, item_uri: str) -> int:
        """How long an item lasts."""
        item = self._catalogue.playable(item_uri)
        if item is None:
            raise LookupError(item_uri)
        return item.duration_ms

    def device(self, device_id: str) -> Device:
        """The listed device with this id, or Spotify's 404."""
        for device in self.listed():
            if device.id is not None and device.id == device_id:
                return device
        raise ApiError(404, "Device not found")

    def listed(self) -> list[Device]:
        """The devices Spotify lists now: those that are awake."""
        return [device for device in self.devices if device.awake]

    def named(self, name: str) -> Device:
        """A device by name, awake or not (for tests); KeyError when there is none."""
        for device in self.devices:
            if device.name == name:
                return device
        raise KeyError(name)

    def put_to_sleep(self, name: str) -> Device:
        """The device goes to sleep: Spotify stops listing it, and playback on it stops."""
        device = self.named(name)
        device.awake = False
        if self.active is device:
            self.active = None
        return device

    def wake(self, name: str) -> bool:
        """The device wakes up and signs in to Spotify (maybe with a new id) if it can."""
        device = self.named(name)
        if not device.wakes:
            return False
        device.awake = True
        if device.id_after_wake is not None:
            device.id, device.id_after_wake = device.id_after_wake, None
        return True

    def disallows(self) -> dict[str, bool]:
        """Actions the current state does not allow (only the true ones, as Spotify sends)."""
        playback = self.sync()
        if playback is None:
            return {}
        flags = {
            "resuming": playback.is_playing,
            "pausing": not playback.is_playing,
            "skipping_prev": not self._can_go_back(playback),
            "skipping_next": not self._can_go_forward(playback),
        }
        flags.update(dict.fromkeys(self.restrictions, True))
        return {name: True for name, value in sorted(flags.items()) if value}

    def restrict(self, *actions: str) -> None:
        """Disallow these actions from now on, as Spotify does during an ad or on some devices."""
        unknown = set(actions) - DISALLOWS_FLAGS
        if unknown:
            raise ValueError(f"Spotify knows no such disallows flag: {sorted(unknown)}")
        self.restrictions.update(actions)

    def _refuse_if_restricted(self, action: str) -> None:
        if action in self.restrictions:
            raise restriction_violated()

    def upcoming(self, limit: int = 20) -> list[str]:
        """The user queue, then what the context will play next."""
        playback = self.sync()
        upcoming = list(self.queue)
        if playback is not None:
            order = playback.order
            upcoming += [playback.items[i] for i in order[playback.cursor + 1 :]]
            if self.repeat == "context":
                upcoming += [playback.items[i] for i in order[: playback.cursor + 1]]
        return upcoming[:limit]

    # --- commands -----------------------------------------------------------------------

    def target(self, device_id: str | None) -> Device:
        """The device a command acts on, or the error Spotify answers."""
        if not self.premium:
            raise premium_required()
        if device_id is not None:
            device = self.device(device_id)
            if device is not self.active:
                raise no_active_device()
        elif self.active is None:
            raise no_active_device()
        else:
            device = self.active
        if device.is_restricted:
            raise restriction_violated()
        return device

    def transfer(self, device_id: str, *, play: bool | None) -> None:
        """Move playback to another device (and start it when `play`)."""
        if not self.premium:
            raise premium_required()
        device = self.device(device_id)
        if device.is_restricted:
            raise restriction_violated()
        if device is not self.active:
            self._refuse_if_restricted("transferring_playback")
        playback = self.sync() or self._resume_last()
        self.active = device
        if play:
            self._set_playing(playback, playing=True)

    def play(
        self,
        device_id: str | None,
        *,
        context_uri: str | None = None,
        uris: list[str] | None = None,
        offset: int | str | None = None,
        position_ms: int | None = None,
    ) -> None:
        """Start a context or URI list, or resume when given nothing to play."""
        if device_id is not None:
            self.transfer(device_id, play=None)
        self.target(None)
        if context_uri is None and uris is None:
            playback = self.sync() or self._resume_last()
            if playback.is_playing:
                raise restriction_violated()
            self._refuse_if_restricted("resuming")
            if position_ms is not None:
                playback.position_ms = position_ms
            self._set_playing(playback, playing=True)
            return
        if self.playback is not None:
            self._refuse_if_restricted("interrupting_playback")
        items = self._items(context_uri, uris)
        self._refuse_unsold(items)
        index, position = self._offset_index(items, offset), position_ms or 0
        book = None if context_uri is None else self._catalogue.book(context_uri)
        if book is not None and offset is None and position_ms is None:
            # A book plays on from where the user left off.
            index, position = self._where_left_off(items)
        current = self.sync()
        if current is not None:
            self._leave(current)
        self.load(context_uri, uris=uris, index=index, position_ms=position)
        self.sync()

    def pause(self, device_id: str | None) -> None:
        """Pause; pausing a paused player is a restriction violation."""
        self.target(device_id)
        playback = self.sync()
        if playback is None or not playback.is_playing:
            raise restriction_violated()
        self._refuse_if_restricted("pausing")
        self._set_playing(playback, playing=False)
        self._leave(playback)

    def next(self, device_id: str | None) -> None:
        """Skip to the next queued or context item."""
        self.target(device_id)
        playback = self._loaded()
        if not self._can_go_forward(playback):
            raise restriction_violated()
        self._refuse_if_restricted("skipping_next")
        if playback.position_ms >= COUNTS_AS_PLAYED_MS:
            self._record(playback, self._clock.now())
        self._leave(playback)
        self._advance(playback, manual=True)
        self._restart(playback)

    def previous(self, device_id: str | None) -> None:
        """Restart the item, or go back one when it has only just begun."""
        self.target(device_id)
        playback = self._loaded()
        if not self._can_go_back(playback):
            raise restriction_violated()
        self._refuse_if_restricted("skipping_prev")
        self._leave(playback)
        if playback.position_ms <= PREVIOUS_RESTARTS_AFTER_MS:
            if playback.from_queue:
                playback.from_queue = False
            elif playback.cursor > 0:
                playback.cursor -= 1
            else:
                playback.cursor = len(playback.order) - 1
            playback.item_uri = playback.items[playback.order[playback.cursor]]
        self._restart(playback)

    def seek(self, device_id: str | None, position_ms: int) -> None:
        """Jump within the item; past its end moves on to the next item."""
        self.target(device_id)
        playback = self._loaded()
        self._refuse_if_restricted("seeking")
        playback.position_ms = position_ms
        playback.since = playback.changed_at = self._clock.now()
        if playback.is_playing:
            self.sync()
        elif position_ms >= self.duration_ms(playback.item_uri):
            playback.position_ms = self.duration_ms(playback.item_uri) - 1

    def set_repeat(self, device_id: str | None, state: str) -> None:
        """Repeat the track, the context, or nothing."""
        self.target(device_id)
        self._loaded()
        # Leaving a mode toggles it off, entering one toggles it on.
        for mode in {state, self.repeat} - {"off"}:
            self._refuse_if_restricted(f"toggling_repeat_{mode}")
        self.repeat = state

    def set_shuffle(self, device_id: str | None, *, state: bool) -> None:
        """Shuffle the rest of the context (the current item stays)."""
        self.target(device_id)
        playback = self._loaded()
        self._refuse_if_restricted("toggling_shuffle")
        current = playback.order[playback.cursor]
        self.shuffle = state
        playback.order = self._order(len(playback.items), current)
        playback.cursor = playback.order.index(current)
        playback.changed_at = self._clock.now()

    def set_volume(self, device_id: str | None, volume_percent: int) -> None:
        """Set a device's volume (any device when named, else the active one)."""
        if device_id is not None and self.premium:
            device = self.device(device_id)
            if device.is_restricted:
                raise restriction_violated()
        else:
            device = self.target(None)
        if not device.supports_volume:
            raise ApiError(
                403,
                "Player command failed: Cannot control device volume",
                reason="VOLUME_CONTROL_DISALLOW",
            )
        device.volume_percent = volume_percent

    def add_to_queue(self, device_id: str | None, item_uri: str) -> None:
        """Queue a track, episode or chapter after the current item."""
        self.target(device_id)
        if self._catalogue.playable(item_uri) is None:
            raise ApiError(404, "Resource not found")
        self._refuse_unsold([item_uri])
        self.queue.append(item_uri)

    def load(
        self,
        context_uri: str | None,
        *,
        uris: list[str] | None = None,
        index: int = 0,
        position_ms: int = 0,
        playing: bool = True,
    ) -> Playback:
        """Set the playback directly, bypassing command checks (for seeding and tests)."""
        items = self._items(context_uri, uris)
        now = self._clock.now()
        order = self._order(len(items), index)
        self.playback = Playback(
            context_uri=context_uri,
            items=items,
            order=order,
            cursor=order.index(index),
            item_uri=items[index],
            position_ms=position_ms,
            since=now,
            changed_at=now,
            is_playing=playing,
        )
        return self.playback

    # --- internals ----------------------------------------------------------------------

    def _loaded(self) -> Playback:
        playback = self.sync()
        if playback is None:
            raise no_active_device()
        return playback

    def _items(self, context_uri: str | None, uris: list[str] | None) -> list[str]:
        if context_uri is not None and uris is not None:
            raise ApiError(400, "Only one of context_uri and uris may be given")
        if context_uri is not None:
            items = self._resolve(context_uri)
            if items is None:
                raise ApiError(404, "Context not found")
            if not items:
                raise ApiError(400, "Context is empty")
            return items
        if not uris:
            raise ApiError(400, "uris must not be empty")
        for item_uri in uris or []:
            if self._catalogue.playable(item_uri) is None:
                raise ApiError(400, f"Invalid track uri: {item_uri}")
        return list(uris)

    @staticmethod
    def _offset_index(items: list[str], offset: int | str | None) -> int:
        if offset is None:
            return 0
        if isinstance(offset, int):
            if not 0 <= offset < len(items):
                raise ApiError(404, "Offset out of range")
            return offset
        if offset not in items:
            raise ApiError(404, "Offset uri not found in context")
        return items.index(offset)

    def _order(self, size: int, first: int) -> list[int]:
        if not self.shuffle:
            return list(range(size))
        rest = [index for index in range(size) if index != first]
        self._rng.shuffle(rest)
        return [first, *rest]

    def _can_go_forward(self, playback: Playback) -> bool:
        return bool(self.queue) or playback.cursor + 1 < len(playback.order) or self.repeat != "off"

    def _can_go_back(self, playback: Playback) -> bool:
        return playback.from_queue or playback.cursor > 0 or self.repeat == "context"

    def _advance(self, playback: Playback, *, manual: bool) -> bool:
        """Move to the next item; False when the context is over."""
        if not manual and self.repeat == "track":
            return True
        if self.queue:
            playback.item_uri = self.queue.pop(0)
            playback.from_queue = True
            return True
        if playback.cursor + 1 < len(playback.order):
            playback.cursor += 1
        elif self.repeat != "off":
            playback.cursor = 0
        else:
            return False
        playback.from_queue = False
        playback.item_uri = playback.items[playback.order[playback.cursor]]
        return True

    def _restart(self, playback: Playback) -> None:
        playback.position_ms = 0
        playback.since = playback.changed_at = self._clock.now()

    def _stop_at_start(self, playback: Playback) -> None:
        """The context ran out: Spotify stops, back on the first item."""
        playback.is_playing = False
        playback.cursor = 0
        playback.from_queue = False
        playback.item_uri = playback.items[playback.order[0]]
        playback.position_ms = 0

    def _set_playing(self, playback: Playback, *, playing: bool) -> None:
        self.sync()
        playback.is_playing = playing
        playback.since = playback.changed_at = self._clock.now()

    def _record(self, playback: Playback, when: float) -> None:
        private = self.active is not None and self.active.is_private_session
        if playback.item_uri.startswith("spotify:track:") and not private:
            self.history.insert(0, Played(when, playback.item_uri, playback.context_uri))

    def _leave(self, playback: Playback, *, finished: bool = False) -> None:
        """Keep where the user left a chapter (played to the end: fully played)."""
        chapter = self._catalogue.chapter(playback.item_uri)
        if chapter is None:
            return
        self.resume_points[chapter.id] = (
            ResumePoint(0, fully_played=True)
            if finished
            else ResumePoint(int(playback.position_ms), fully_played=False)
        )

    def _where_left_off(self, items: list[str]) -> tuple[int, int]:
        """The first chapter not fully played, at its resume point (all played: the start)."""
        for index, item in enumerate(items):
            chapter = self._catalogue.chapter(item)
            point = None if chapter is None else self.resume_points.get(chapter.id)
            if point is None or not point.fully_played:
                return index, 0 if point is None else point.position_ms
        return 0, 0

    def _refuse_unsold(self, items: list[str]) -> None:
        """Chapters of a book not sold in the user's market do not play."""
        for item in items:
            chapter = self._catalogue.chapter(item)
            if chapter is not None:
                book = self._catalogue.audiobooks[chapter.audiobook_id]
                if not book.available_in(self.market):
                    raise restriction_violated()

    def _resume_last(self) -> Playback:
        """What a device resumes when nothing is loaded: the last played track."""
        if self.history:
            last = self.history[0]
            items = self._resolve(last.context_uri) if last.context_uri else None
            if items and last.uri in items:
                return self.load(last.context_uri, index=items.index(last.uri), playing=False)
            return self.load(None, uris=[last.uri], playing=False)
        first = f"spotify:track:{next(iter(self._catalogue.tracks))}"
        return self.load(None, uris=[first], playing=False)
