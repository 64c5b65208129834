"""Play on a sleeping device: requests and time to music, in real time, inside HA's test harness.

Not part of the test suite: ``bench/polling_economy.py`` runs it with pytest and prints
what it records. Alice's entry has seen the kitchen speaker, which is asleep now; its
wake-up action is a real HA script (``rest_command`` posting the wake-up signal to the
simulator), and the speaker signs in to Spotify some seconds after the signal, as a
Cast speaker or a speaker on a smart plug does. ``spotify_webapi.play`` names it.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import pytest
from homeassistant.config_entries import ConfigEntryState

from custom_components.spotify_webapi.const import DOMAIN
from tests.integration.conftest import entry_for, setup_entry
from tests.integration.sleepers import (
    KITCHEN,
    WAKE_SCRIPT,
    add_speaker,
    put_to_sleep,
    setup_wake_up_tools,
    with_wake_up,
)
from tests.simulator.ids import uri

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

# Seconds from the wake-up signal until the speaker is listed: a quick speaker, a slow one.
SIGNS_IN_AFTER: Final = (4.0, 11.0)
WAIT: Final = 30


@dataclass(slots=True)
class WakeUpResult:
    """One play on a sleeping speaker."""

    signs_in_after: float
    time_to_music: float
    requests: Counter[str] = field(default_factory=Counter)


@pytest.mark.parametrize("signs_in_after", SIGNS_IN_AFTER)
async def test_play_on_a_sleeping_device(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    wake_up_results: list[WakeUpResult],
    signs_in_after: float,
) -> None:
    """Play on the sleeping speaker; record the requests and how long until it plays."""
    add_speaker(sim)
    await setup_wake_up_tools(hass, sim, after=signs_in_after)
    entry = entry_for(sim)
    await setup_entry(hass, entry)
    if entry.state is not ConfigEntryState.LOADED:
        raise RuntimeError(f"the entry did not load: {entry.state}")
    await put_to_sleep(hass, sim, entry)
    with_wake_up(hass, entry, WAKE_SCRIPT, wait=WAIT)
    sim.clear_requests()
    album = uri("album", next(iter(sim.world.catalogue.albums)))

    started = time.monotonic()
    await hass.services.async_call(
        DOMAIN,
        "play",
        {"config_entry_id": entry.entry_id, "context_uri": album, "device": KITCHEN},
        blocking=True,
    )
    player = sim.player("alice")
    if player.active is None or player.active.name != KITCHEN or player.playback is None:
        raise RuntimeError("the speaker does not play")
    result = WakeUpResult(signs_in_after, time.monotonic() - started)
    result.requests.update(f"{r.method} {r.path}" for r in sim.requests if r.path.startswith("/v1"))
    wake_up_results.append(result)
    await hass.config_entries.async_unload(entry.entry_id)


def summary(results: list[Any]) -> list[tuple[str, bool]]:
    """Print the runs; the targets: reads at most every 2 s, music soon after the listing."""
    print("\nplay on a sleeping device (wake-up: a script; real time)")
    print(f"{'signs in after':>14} {'time to music':>13} {'device reads':>12} {'requests':>8}")
    verdicts = []
    for run in sorted(results, key=lambda r: r.signs_in_after):
        reads = run.requests["GET /v1/me/player/devices"]
        print(
            f"{run.signs_in_after:>12.1f} s {run.time_to_music:>11.1f} s {reads:>12}"
            f" {sum(run.requests.values()):>8}"
        )
        # One read before waking, then at most one per 2 s of waiting.
        most_reads = 1 + int(run.time_to_music // 2)
        verdicts.append(
            (
                f"{run.signs_in_after:.0f} s speaker: <= {most_reads} device reads",
                reads <= most_reads,
            )
        )
        # The reads back off to every 5 s: music within 5 s of the listing (plus the script).
        verdicts.append(
            (
                f"{run.signs_in_after:.0f} s speaker: music <= 5.5 s after it is listed",
                run.time_to_music <= run.signs_in_after + 5.5,
            )
        )
    print("requests: every Web API request from the command to the music (none by core:")
    print("it cannot play on a device Spotify does not list)")
    return verdicts
