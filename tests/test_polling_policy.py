"""The polling policy as a table: each situation, and the wait it gives."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

import pytest

from custom_components.spotify_webapi.polling_policy import (
    AFTER_CHANGE_WINDOW,
    AFTER_STOP_WINDOW,
    END_OF_ITEM_DELAY,
    HANDLED_WINDOW,
    PAUSED_UNSEEN_INTERVAL,
    RECENT_STOP_INTERVAL,
    SOONEST_POLL,
    Intervals,
    Seen,
    next_read,
    wait_after_prediction,
)

DEFAULTS = Intervals(playing=30.0, idle=90.0)
QUICK_IDLE = Intervals(playing=30.0, idle=30.0)
SLOW_PLAYING = Intervals(playing=60.0, idle=90.0)


def playing(**facts: Any) -> Seen:
    """Something plays; ``facts`` say the rest."""
    return Seen(playing=True, active=True, **facts)


def paused(**facts: Any) -> Seen:
    """Something is paused; ``facts`` say the rest."""
    return Seen(playing=False, active=True, **facts)


SITUATIONS = [
    # (what was seen, the intervals, the wait)
    ("playing, item length unknown", playing(unseen=True), DEFAULTS, 30.0),
    ("playing, item ends in 2 min", playing(unseen=True, left_in_item=120.0), DEFAULTS, 30.0),
    (
        "playing, item ends in 10 s",
        playing(unseen=True, left_in_item=10.0),
        DEFAULTS,
        10.0 + END_OF_ITEM_DELAY,
    ),
    (
        "playing, item already over",
        playing(unseen=True, left_in_item=-3.0),
        DEFAULTS,
        END_OF_ITEM_DELAY,
    ),
    # Someone at the controls of an app Home Assistant cannot see: reads come sooner.
    (
        "playing unseen, changed elsewhere just now",
        playing(unseen=True, since_change_elsewhere=0.0),
        DEFAULTS,
        20.0,
    ),
    (
        "playing unseen, changed elsewhere 14 min ago",
        playing(unseen=True, since_change_elsewhere=HANDLED_WINDOW - 60),
        DEFAULTS,
        20.0,
    ),
    (
        "playing unseen, left alone for 15 min",
        playing(unseen=True, since_change_elsewhere=HANDLED_WINDOW),
        DEFAULTS,
        30.0,
    ),
    (
        "playing unseen, being handled, the item ends sooner",
        playing(unseen=True, since_change_elsewhere=0.0, left_in_item=5.0),
        DEFAULTS,
        5.0 + END_OF_ITEM_DELAY,
    ),
    (
        "the share follows the playing interval",
        playing(unseen=True, since_change_elsewhere=0.0),
        SLOW_PLAYING,
        40.0,
    ),
    # A linked speaker's own integration reports its pause, stop and moves.
    (
        "playing linked, changed elsewhere 5 min ago",
        playing(since_change_elsewhere=300.0),
        DEFAULTS,
        30.0,
    ),
    ("playing linked, never changed elsewhere", playing(), DEFAULTS, 60.0),
    (
        "playing linked, left alone for 15 min",
        playing(since_change_elsewhere=HANDLED_WINDOW),
        DEFAULTS,
        60.0,
    ),
    (
        "playing linked, left alone, the item ends sooner",
        playing(since_change_elsewhere=HANDLED_WINDOW, left_in_item=40.0),
        DEFAULTS,
        40.0 + END_OF_ITEM_DELAY,
    ),
    ("paused on a linked speaker", paused(since_change_elsewhere=0.0), DEFAULTS, 90.0),
    # Paused on an unseen device: a resume or the session's end is likely soon.
    (
        "paused unseen, change seen just now",
        paused(unseen=True, since_change_elsewhere=0.0),
        DEFAULTS,
        15.0,
    ),
    ("at the 15 s step", paused(unseen=True, since_change_elsewhere=15.2), DEFAULTS, 14.8),
    ("at the 30 s step", paused(unseen=True, since_change_elsewhere=30.0), DEFAULTS, 30.0),
    (
        "paused unseen, after the steps",
        paused(unseen=True, since_change_elsewhere=60.0),
        DEFAULTS,
        PAUSED_UNSEEN_INTERVAL,
    ),
    (
        "paused unseen, an hour after the change",
        paused(unseen=True, since_change_elsewhere=AFTER_CHANGE_WINDOW),
        DEFAULTS,
        90.0,
    ),
    ("paused unseen, no change seen elsewhere", paused(unseen=True), DEFAULTS, 90.0),
    (
        "never longer than a short idle interval",
        paused(unseen=True, since_change_elsewhere=600.0),
        QUICK_IDLE,
        30.0,
    ),
    (
        "a step is not longer than the idle interval",
        paused(unseen=True, since_change_elsewhere=0.5),
        Intervals(playing=30.0, idle=10.0),
        10.0,
    ),
    # Nothing active: a new session is likely within the hour after one stopped.
    ("idle, no stop seen", Seen(playing=False), DEFAULTS, 90.0),
    (
        "idle, a stop seen elsewhere 10 min ago",
        Seen(playing=False, since_stop_elsewhere=600.0),
        DEFAULTS,
        RECENT_STOP_INTERVAL,
    ),
    (
        "idle, an hour after the stop",
        Seen(playing=False, since_stop_elsewhere=AFTER_STOP_WINDOW),
        DEFAULTS,
        90.0,
    ),
    (
        "idle, a recent stop, a short idle interval",
        Seen(playing=False, since_stop_elsewhere=600.0),
        QUICK_IDLE,
        30.0,
    ),
]


@pytest.mark.parametrize(
    ("seen", "intervals", "wait"),
    [(seen, intervals, wait) for _, seen, intervals, wait in SITUATIONS],
    ids=[name for name, *_ in SITUATIONS],
)
def test_each_situation_has_its_wait(seen: Seen, intervals: Intervals, wait: float) -> None:
    assert next_read(seen, intervals) == pytest.approx(wait)


@pytest.mark.parametrize(
    ("stopped", "new_state", "since_last", "until_due", "wait"),
    [
        # A volume change while playing keeps the read already due.
        (False, 30.0, 10.0, 20.0, 20.0),
        # A seek near the item's end brings the read forward.
        (False, 5.0, 10.0, 20.0, 5.0),
        # A pause: the idle wait, counted from the last poll.
        (True, 90.0, 10.0, 20.0, 80.0),
        # An overdue read comes at once, never at 0 (HA's "never").
        (False, 30.0, 40.0, -10.0, SOONEST_POLL),
        (True, 15.0, 40.0, -10.0, SOONEST_POLL),
    ],
)
def test_a_predicted_command_keeps_or_moves_the_read(
    stopped: bool, new_state: float, since_last: float, until_due: float, wait: float
) -> None:
    assert wait_after_prediction(
        stopped=stopped,
        wait_for_new_state=new_state,
        since_last_poll=since_last,
        until_due=until_due,
    ) == pytest.approx(wait)


def test_the_policy_is_pure_python() -> None:
    """No Home Assistant (nor anything else): the benchmarks and tests run it as it is."""
    path = (
        Path(__file__).resolve().parent.parent
        / "custom_components"
        / "spotify_webapi"
        / "polling_policy.py"
    )
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}
