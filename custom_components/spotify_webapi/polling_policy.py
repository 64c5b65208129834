"""When to read the player next: one pure function of what was seen and when.

No Home Assistant here (a test enforces it): the coordinator fetches, applies and
schedules; this module only decides, so that its rules can be read, tested as a table
and run by the benchmarks as they are. Times are seconds.

| situation | next read |
|---|---|
| playing | after the playing interval, or 1 s after the item ends if sooner |
| stopped, nothing seen stop elsewhere | after the idle interval |
| a poll saw playback stop elsewhere | 15, 30 and 60 s after that poll |
| then, for an hour: paused on a device no linked player reports on | every 45 s |
| then, for an hour: otherwise | every 60 s |
| after that hour | after the idle interval |
| a predicted command (seek, volume...) | when the read already due comes, or sooner |
| a predicted pause | the idle wait, counted from the last poll |

No wait is longer than the configured interval, and none is shorter than 1 s (Home
Assistant reads an interval of 0 as "never").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# After a poll sees playback stop elsewhere, a resume, the session's end or a new one is
# likely soon: poll again these many seconds after that poll; then, for the rest of
# AFTER_STOP_WINDOW, every PAUSED_ELSEWHERE_INTERVAL while paused on a device no linked
# media player reports on, every RECENT_STOP_INTERVAL otherwise; then every idle interval.
AFTER_STOP_POLLS: Final = (15.0, 30.0, 60.0)
PAUSED_ELSEWHERE_INTERVAL: Final = 45.0
RECENT_STOP_INTERVAL: Final = 60.0
AFTER_STOP_WINDOW: Final = 3600.0
# Poll this long after the current item should end, so Spotify has moved on (<= 2 s late).
END_OF_ITEM_DELAY: Final = 1.0
# A poll that is already overdue comes this soon (HA's scheduler reads 0 as never).
SOONEST_POLL: Final = 1.0
# A poll may run a little early or late: an after-stop step within this of now is the one
# just run, not the next.
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
    # Seconds left in the playing item, when Spotify told its length and position.
    left_in_item: float | None = None
    # Seconds since a poll saw playback stop elsewhere; None when none did (or it plays).
    since_stop_elsewhere: float | None = None
    # Paused on a device whose resume or end no linked media player would report.
    paused_unreported: bool = False


def next_read(seen: Seen, intervals: Intervals) -> float:
    """Seconds until the next read of the player."""
    if seen.playing:
        if seen.left_in_item is None:
            return intervals.playing
        return min(intervals.playing, max(0.0, seen.left_in_item) + END_OF_ITEM_DELAY)
    return idle_wait(seen, intervals.idle)


def idle_wait(seen: Seen, idle: float) -> float:
    """While nothing plays: the idle interval, shorter for a while after a stop elsewhere."""
    since = seen.since_stop_elsewhere
    if since is None:
        return idle
    steps = [at - since for at in AFTER_STOP_POLLS if at - since > STEP_TOLERANCE]
    if steps:
        return min(idle, steps[0])
    if since >= AFTER_STOP_WINDOW:
        return idle
    return min(idle, PAUSED_ELSEWHERE_INTERVAL if seen.paused_unreported else RECENT_STOP_INTERVAL)


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
