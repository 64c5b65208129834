"""What our polling policy does in each situation, computed by the policy itself.

The benchmark prints it beside its figures, so that the table in docs/state.md and what
the coordinator runs cannot drift apart: both come from polling_policy.next_read. Import
it only after the harness has run: the package pulls in Home Assistant, whose clock the
harness must patch first.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script from bench/, the project's root is not on the path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from custom_components.spotify_webapi.polling_policy import (
    AFTER_CHANGE_POLLS,
    AFTER_CHANGE_WINDOW,
    AFTER_STOP_WINDOW,
    HANDLED_WINDOW,
    Intervals,
    Seen,
    next_read,
)


def situations() -> list[tuple[str, Seen]]:
    """The situations the README's table names, as the policy sees them."""
    after_steps = AFTER_CHANGE_POLLS[-1]
    left_alone = HANDLED_WINDOW
    return [
        ("playing, the item ends in 10 s", Seen(playing=True, active=True, left_in_item=10.0)),
        (
            "playing unseen, changed elsewhere 5 min ago",
            Seen(playing=True, active=True, unseen=True, since_change_elsewhere=300.0),
        ),
        (
            "playing unseen, left alone",
            Seen(playing=True, active=True, unseen=True, since_change_elsewhere=left_alone),
        ),
        (
            "playing linked, changed elsewhere 5 min ago",
            Seen(playing=True, active=True, since_change_elsewhere=300.0),
        ),
        (
            "playing linked, left alone",
            Seen(playing=True, active=True, since_change_elsewhere=left_alone),
        ),
        ("paused on a linked speaker", Seen(playing=False, active=True, since_change_elsewhere=0)),
        (
            "paused unseen, a poll just saw the change",
            Seen(playing=False, active=True, unseen=True, since_change_elsewhere=0.0),
        ),
        (
            "paused unseen, after the steps",
            Seen(playing=False, active=True, unseen=True, since_change_elsewhere=after_steps),
        ),
        (
            "paused unseen, an hour after the change",
            Seen(
                playing=False, active=True, unseen=True, since_change_elsewhere=AFTER_CHANGE_WINDOW
            ),
        ),
        ("nothing active, within the hour of a stop", Seen(playing=False, since_stop_elsewhere=60)),
        ("nothing active, no stop in the hour", Seen(playing=False)),
        (
            "nothing active, an hour after the stop",
            Seen(playing=False, since_stop_elsewhere=AFTER_STOP_WINDOW),
        ),
    ]


def print_policy(playing: float, idle: float) -> None:
    """The next read in each situation, at these intervals."""
    intervals = Intervals(playing=playing, idle=idle)
    print("what the policy does (polling_policy.next_read; unseen: no linked player reports it):")
    for name, seen in situations():
        print(f"  {name:<52} next read in {next_read(seen, intervals):5.1f} s")
    print()
