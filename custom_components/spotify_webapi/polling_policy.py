"""When to read the player next: one pure function of what was seen and when.

No Home Assistant here (a test enforces it): the coordinator fetches, applies and
schedules; this module only decides, so that its rules can be read, tested as a table
and run by the benchmarks as they are. Times are seconds.

Reads are spent where a change is likely and nothing else would tell Home Assistant of
it. A linked speaker's own integration reports its play, pause, stop and moves at once
(the coordinator reads soon after); a device no linked media player reports on (the
phone app, the desktop app, a browser tab: *unseen*) shows a change only to a read.
Changes cluster: a skip is followed by another, a pause by a resume or a stop.

| situation | next read |
|---|---|
| playing, the item ends sooner | 1 s after it ends |
| playing unseen, changed elsewhere in the last 15 min | 2/3 of the playing interval |
| playing on a linked speaker untouched for 15 min | twice the playing interval |
| playing, otherwise | the playing interval |
| paused on a linked speaker | the idle interval |
| paused unseen, after a change elsewhere | 15, 30, 60 s after it, then 45 s for the hour |
| nothing active, an hour after a stop seen elsewhere | every 60 s |
| nothing active, otherwise | the idle interval |
| a predicted command (seek, volume...) | when the read already due comes, or sooner |
| a predicted pause | the idle wait, counted from the last poll |

The user's intervals keep their meaning: the playing interval is the wait while
something plays (shorter while someone changes things on a device HA cannot see,
longer on a linked speaker left alone), the idle interval the longest wait while
nothing plays. No wait is shorter than 1 s (Home Assistant reads 0 as "never").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Someone who changed something in the last quarter hour is likely to change more.
HANDLED_WINDOW: Final = 900.0
# While they do so on an unseen device, reads come at this share of the playing interval.
HANDLED_UNSEEN_SHARE: Final = 2 / 3
# A linked speaker left alone reports its pause or stop itself: reads this much rarer.
LEFT_ALONE_LINKED_FACTOR: Final = 2.0
# After a change elsewhere, while paused on an unseen device: reads these many seconds
# after the read that saw it, then every PAUSED_UNSEEN_INTERVAL until AFTER_CHANGE_WINDOW.
AFTER_CHANGE_POLLS: Final = (15.0, 30.0, 60.0)
PAUSED_UNSEEN_INTERVAL: Final = 45.0
AFTER_CHANGE_WINDOW: Final = 3600.0
# Within AFTER_STOP_WINDOW of a read that saw playback stop elsewhere, with nothing
# active, a new session is likely: every RECENT_STOP_INTERVAL.
RECENT_STOP_INTERVAL: Final = 60.0
AFTER_STOP_WINDOW: Final = 3600.0
# Poll this long after the current item should end, so Spotify has moved on (<= 2 s late).
END_OF_ITEM_DELAY: Final = 1.0
# A poll that is already overdue comes this soon (HA's scheduler reads 0 as never).
SOONEST_POLL: Final = 1.0
# A poll may run a little early or late: a step within this of now is the one just run.
STEP_TOLERANCE: Final = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Intervals:
    """The user's polling intervals (options), in seconds."""

    playing: float
    idle: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Seen:
    """What the last poll (or a predicted command) showed, as the policy needs it."""

    playing: bool
    # Something is loaded on a device (playing or paused); False when nothing is active.
    active: bool = False
    # Seconds left in the playing item, when Spotify told its length and position.
    left_in_item: float | None = None
    # The active device is one whose changes no linked media player reports.
    unseen: bool = False
    # Seconds since a poll saw a change made outside Home Assistant (a session started
    # or ended, a pause, a skip, a volume...; not an item ending); None when none did.
    since_change_elsewhere: float | None = None
    # Seconds since a poll saw playback stop elsewhere; None when none did (or it plays).
    since_stop_elsewhere: float | None = None


def next_read(seen: Seen, intervals: Intervals) -> float:
    """Seconds until the next read of the player."""
    if seen.playing:
        wait = playing_wait(seen, intervals.playing)
        if seen.left_in_item is None:
            return wait
        return min(wait, max(0.0, seen.left_in_item) + END_OF_ITEM_DELAY)
    if seen.active:
        return paused_wait(seen, intervals.idle)
    return idle_wait(seen, intervals.idle)


def handled(seen: Seen) -> bool:
    """Someone changed something elsewhere in the last quarter hour."""
    since = seen.since_change_elsewhere
    return since is not None and since < HANDLED_WINDOW


def playing_wait(seen: Seen, playing: float) -> float:
    """While playing: sooner on an unseen device being handled, later on a speaker left alone."""
    if seen.unseen:
        return playing * HANDLED_UNSEEN_SHARE if handled(seen) else playing
    return playing if handled(seen) else playing * LEFT_ALONE_LINKED_FACTOR


def paused_wait(seen: Seen, idle: float) -> float:
    """While paused: a linked speaker reports its resume; an unseen device needs reads."""
    since = seen.since_change_elsewhere
    if not seen.unseen or since is None or since >= AFTER_CHANGE_WINDOW:
        return idle
    steps = [at - since for at in AFTER_CHANGE_POLLS if at - since > STEP_TOLERANCE]
    return min(idle, steps[0] if steps else PAUSED_UNSEEN_INTERVAL)


def idle_wait(seen: Seen, idle: float) -> float:
    """Nothing active: the idle interval, shorter for an hour after a stop elsewhere."""
    since = seen.since_stop_elsewhere
    if since is None or since >= AFTER_STOP_WINDOW:
        return idle
    return min(idle, RECENT_STOP_INTERVAL)


def wait_after_prediction(
    *, stopped: bool, wait_for_new_state: float, since_last_poll: float, until_due: float
) -> float:
    """Seconds until the next read after a command whose whole effect was predicted.

    ``stopped``: the command paused what played. That moves the next read to the new
    state's wait counted from the last poll. Otherwise the read already due stays, unless
    the new state needs one sooner (a seek brings the item's end closer, a resume starts
    the playing pace). An overdue read comes at once.
    """
    due = wait_for_new_state - since_last_poll if stopped else min(until_due, wait_for_new_state)
    return max(SOONEST_POLL, due)
