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
    AFTER_STOP_POLLS,
    AFTER_STOP_WINDOW,
    Intervals,
    Seen,
    next_read,
)


def situations() -> list[tuple[str, Seen]]:
    """The situations the README's table names, as the policy sees them."""
    after_steps = AFTER_STOP_POLLS[-1]
    return [
        ("playing, the item ends in 10 s", Seen(playing=True, left_in_item=10.0)),
        ("playing, the item ends later", Seen(playing=True, left_in_item=600.0)),
        ("nothing playing, no stop seen", Seen(playing=False)),
        ("a poll just saw playback stop elsewhere", Seen(playing=False, since_stop_elsewhere=0)),
        (
            "within the hour, paused on a device HA cannot see",
            Seen(playing=False, since_stop_elsewhere=after_steps, paused_unreported=True),
        ),
        (
            "within the hour, otherwise",
            Seen(playing=False, since_stop_elsewhere=after_steps),
        ),
        ("an hour after the stop", Seen(playing=False, since_stop_elsewhere=AFTER_STOP_WINDOW)),
    ]


def print_policy(playing: float, idle: float) -> None:
    """The next read in each situation, at these intervals."""
    intervals = Intervals(playing=playing, idle=idle)
    print("what the policy does (polling_policy.next_read):")
    for name, seen in situations():
        print(f"  {name:<52} next read in {next_read(seen, intervals):5.1f} s")
    print()
