"""One simulated hour per scenario and polling policy, inside Home Assistant's test harness.

Not part of the test suite (its testpaths is ``tests/``): ``bench/polling_economy.py``
runs this module with pytest and prints what it records. Each run sets Alice's entry
up through the real integration against the simulator, then moves HA's clock and the
simulator's together (freezegun drives both) from one due timer, scenario event or item
end to the next, so every poll happens when it would, without waiting. The machinery
(``run_simulation``) takes any list of actions and any duration: ``trace_scenario.py``
runs a whole day with it.
"""

from __future__ import annotations

import itertools
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import pytest
from core_policy import CorePolicyCoordinator
from homeassistant.components.media_player.const import MediaPlayerEntityFeature as Feature
from homeassistant.config_entries import ConfigEntryState
from homeassistant.util.async_ import get_scheduled_timer_handles
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed_exact,
)

import custom_components.spotify_webapi as integration
from custom_components.spotify_webapi.const import CONF_IDLE_INTERVAL
from custom_components.spotify_webapi.coordinator import idle_interval, playing_interval
from custom_components.spotify_webapi.switch import REREADS_PER_STAY
from tests.integration.conftest import entry_for, setup_entry
from tests.simulator.ids import uri

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant, State

    from tests.simulator import SpotifySimulator
    from tests.simulator.devices import Device
    from tests.simulator.player import Player

pytestmark = pytest.mark.usefixtures("setup_credentials")

ENTITY: Final = "media_player.spotify_alice_example"
HOUR: Final = 3600.0
# Step just past the moment aimed at, so a timer or an item due then has surely come.
EPSILON: Final = 0.001
# A run that stops advancing fails instead of hanging (a traced day takes under 10,000).
MAX_STEPS: Final = 100_000
REPEAT_SHOWN: Final = {"off": "off", "context": "all", "track": "one"}
_ID: Final = re.compile(r"/[0-9A-Za-z]{22}(?=/|$)")

# Why the simulator's player changed: causes are reported separately.
ITEM_END: Final = "item end"
ELSEWHERE: Final = "elsewhere"
COMMAND: Final = "command"


@dataclass(frozen=True, slots=True)
class View:
    """What the entity should show of the player (position aside: HA extrapolates it)."""

    state: str
    item: str | None = None
    volume: int | None = None
    shuffle: bool | None = None
    repeat: str | None = None
    source: str | None = None
    # Whether the play and the pause buttons are offered (Spotify's `disallows`).
    can_play: bool | None = None
    can_pause: bool | None = None


def simulated_view(player: Player) -> View:
    """The simulator's truth right now."""
    playback = player.sync()
    device = player.active
    if playback is None or device is None:
        return View("idle")
    disallows = player.disallows()
    return View(
        "playing" if playback.is_playing else "paused",
        playback.item_uri,
        device.volume_percent if device.supports_volume else None,
        player.shuffle,
        REPEAT_SHOWN[player.repeat],
        device.name,
        can_play=not disallows.get("resuming", False),
        can_pause=not disallows.get("pausing", False),
    )


def shown_view(state: State | None) -> View:
    """What the entity shows right now."""
    if state is None or state.state in {"idle", "unavailable"}:
        return View("unavailable" if state is None else state.state)
    attributes = state.attributes
    level = attributes.get("volume_level")
    features = Feature(attributes.get("supported_features", 0))
    return View(
        state.state,
        attributes.get("media_content_id"),
        None if level is None else round(level * 100),
        attributes.get("shuffle"),
        attributes.get("repeat"),
        attributes.get("source"),
        can_play=Feature.PLAY in features,
        can_pause=Feature.PAUSE in features,
    )


@dataclass(slots=True)
class Change:
    """A change of the simulator's player, and when the entity caught up with it."""

    at: float
    view: View
    cause: str
    label: str
    shown_after: float | None = None


class StalenessLog:
    """How long each change took to show: until the entity shows it, or something newer."""

    def __init__(self, first: View) -> None:
        """Start in sync with the simulator."""
        self.changes = [Change(0.0, first, "start", "start", 0.0)]
        self._shown = 0

    def simulated(self, at: float, view: View, cause: str, label: str) -> None:
        """Note the simulator's view; a new one is a change."""
        if view != self.changes[-1].view:
            self.changes.append(Change(at, view, cause, label))

    def shown(self, at: float, view: View) -> None:
        """Note the entity's view; every change up to the newest one it matches is shown."""
        for index in range(len(self.changes) - 1, self._shown, -1):
            if self.changes[index].view == view:
                for change in self.changes[self._shown + 1 : index + 1]:
                    change.shown_after = at - change.at
                self._shown = index
                return

    def delays(self, cause: str, end: float) -> list[float]:
        """Each change's staleness; one never shown counts until the end of the hour."""
        return [
            end - c.at if c.shown_after is None else c.shown_after
            for c in self.changes[1:]
            if c.cause == cause
        ]


@dataclass(frozen=True, slots=True)
class Action:
    """Something that happens at a moment of the hour: a command in HA, or a change elsewhere."""

    at: float
    cause: str
    label: str
    run: Callable[[HomeAssistant, Player], Awaitable[None]]


@dataclass(slots=True)
class RunResult:
    """What one policy cost and how fresh it stayed in one scenario."""

    scenario: str
    policy: str
    # Our coordinator's intervals from the entry's options (core's policy ignores them).
    playing_interval: float
    idle_interval: float
    requests: Counter[str] = field(default_factory=Counter)
    staleness: dict[str, list[float]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    # What the player showed when the run began (`changes` says what came after).
    start_view: View = View("idle")
    # Seconds of the run the simulator spent playing, paused or idle.
    time_in: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    # How often the item loaded changed (what the library switch may read once each).
    item_changes: int = 0
    # The library switch's reads allowed: one per item change (and the first item), plus
    # its few re-reads while each of those items stays.
    library_reads_allowed: int = 0

    @property
    def start_state(self) -> str:
        """What the player was doing when the run began."""
        return self.start_view.state


class SimulatedHour:
    """Moves HA's clock and the simulator's in lockstep, and watches both sides.

    ``follow`` is called whenever the simulator may have changed (an item ended, an
    action ran), for what in HA reacts to the player at once: a speaker's own integration.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        freezer: FrozenDateTimeFactory,
        player: Player,
        follow: Callable[[], None] | None = None,
    ) -> None:
        """Start the hour now."""
        self._hass = hass
        self._freezer = freezer
        self._player = player
        self._follow = follow
        self._start = time.time()
        self.log = StalenessLog(simulated_view(player))
        self.time_in: defaultdict[str, float] = defaultdict(float)
        self.steps = 0

    def now(self) -> float:
        """Seconds since the hour began (HA and the simulator read the same frozen time)."""
        return time.time() - self._start

    async def run(self, actions: list[Action], until: float) -> None:
        """Play the time out: timers fire, items end and actions happen at their moments."""
        pending = sorted(actions, key=lambda action: action.at)
        while self.now() < until:
            self.steps += 1
            if self.steps > MAX_STEPS:
                raise RuntimeError(f"the simulation does not advance ({self.now():.1f} s)")
            moments = [until, self._next_timer(), self._next_item_end()]
            if pending:
                moments.append(pending[0].at)
            before, state = self.now(), self.log.changes[-1].view.state
            await self._advance_to(min(m for m in moments if m is not None))
            self.time_in[state] += self.now() - before
            self.log.simulated(self.now(), simulated_view(self._player), ITEM_END, ITEM_END)
            self._follow_simulator()
            async_fire_time_changed_exact(self._hass)
            await self._hass.async_block_till_done(wait_background_tasks=True)
            while pending and pending[0].at <= self.now():
                action = pending.pop(0)
                await action.run(self._hass, self._player)
                self._follow_simulator()
                await self._hass.async_block_till_done(wait_background_tasks=True)
                view = simulated_view(self._player)
                self.log.simulated(self.now(), view, action.cause, action.label)
            self.log.shown(self.now(), shown_view(self._hass.states.get(ENTITY)))

    def _follow_simulator(self) -> None:
        if self._follow is not None:
            self._follow()

    async def _advance_to(self, moment: float) -> None:
        delta = moment + EPSILON - self.now()
        if delta > 0:
            self._freezer.tick(timedelta(seconds=delta))

    def _next_timer(self) -> float | None:
        loop = self._hass.loop
        due = [h.when() for h in get_scheduled_timer_handles(loop) if not h.cancelled()]
        return None if not due else self.now() + min(due) - loop.time()

    def _next_item_end(self) -> float | None:
        player = self._player
        playback = player.sync()
        if playback is None or player.active is None or not playback.is_playing:
            return None
        left = (player.duration_ms(playback.item_uri) - playback.position_ms) / 1000
        return playback.since + left - self._start


# --- scenarios --------------------------------------------------------------------------------


def _longest_album(sim: SpotifySimulator) -> str:
    albums = sim.world.catalogue.albums.values()
    return uri("album", max(albums, key=lambda album: len(album.track_ids)).id)


def _device(player: Player, name: str) -> Device:
    return next(device for device in player.devices if device.name == name)


def _elsewhere(at: float, label: str, change: Callable[[Player], None]) -> Action:
    async def run(_hass: HomeAssistant, player: Player) -> None:
        change(player)

    return Action(at, ELSEWHERE, label, run)


def _command(at: float, service: str, **data: Any) -> Action:
    async def run(hass: HomeAssistant, _player: Player) -> None:
        await hass.services.async_call(
            "media_player", service, {"entity_id": ENTITY, **data}, blocking=True
        )

    return Action(at, COMMAND, service, run)


def _stop_everywhere(player: Player) -> None:
    player.active, player.playback = None, None


def _idle(sim: SpotifySimulator) -> list[Action]:
    """No active device; now and then the phone's app opens on the speaker, paused, then closes."""
    player = sim.player("alice")
    _stop_everywhere(player)
    album = _longest_album(sim)

    def connect(player: Player) -> None:
        player.active = _device(player, "Living Room")
        player.load(album, index=2, playing=False)

    actions = []
    for opened in (7 * 60 + 13, 24 * 60 + 41, 43 * 60 + 7):
        actions.append(_elsewhere(opened, "a paused device appears", connect))
        actions.append(_elsewhere(opened + 300, "it goes away", _stop_everywhere))
    return actions


def _play_album(sim: SpotifySimulator) -> Player:
    player = sim.player("alice")
    player.active = _device(player, "Alice's MacBook")
    player.repeat = "context"  # the album plays the whole hour
    player.shuffle = False
    player.load(_longest_album(sim), index=0, playing=True)
    return player


def _playing(sim: SpotifySimulator) -> list[Action]:
    """An album on repeat; tracks end on their own, and the phone changes things now and then."""
    _play_album(sim)

    def volume(percent: int) -> Callable[[Player], None]:
        def change(player: Player) -> None:
            if player.active is not None:
                player.active.volume_percent = percent

        return change

    return [
        _elsewhere(9 * 60 + 30, "volume from the phone", volume(35)),
        _elsewhere(21 * 60 + 10, "skip from the phone", lambda p: p.next(None)),
        _elsewhere(
            33 * 60 + 50, "shuffle from the phone", lambda p: p.set_shuffle(None, state=True)
        ),
        _elsewhere(47 * 60 + 20, "volume from the phone", volume(70)),
    ]


# 60 commands an hour as a person at a dashboard gives them: 20 bursts of three quick ones.
_BURSTS: Final[tuple[tuple[tuple[str, dict[str, Any]], ...], ...]] = (
    (
        ("volume_set", {"volume_level": 0.30}),
        ("volume_set", {"volume_level": 0.35}),
        ("volume_set", {"volume_level": 0.40}),
    ),
    (("media_next_track", {}), ("media_next_track", {}), ("media_previous_track", {})),
    (
        ("shuffle_set", {"shuffle": True}),
        ("repeat_set", {"repeat": "one"}),
        ("repeat_set", {"repeat": "all"}),
    ),
    (
        ("media_pause", {}),
        ("media_seek", {"seek_position": 30}),
        ("volume_set", {"volume_level": 0.5}),
    ),
    (
        ("media_play", {}),
        ("shuffle_set", {"shuffle": False}),
        ("media_seek", {"seek_position": 60}),
    ),
)
BURST_EVERY: Final = 180.0
WITHIN_BURST: Final = 1.0


def _commands(sim: SpotifySimulator) -> list[Action]:
    """The album playing, and 60 commands from HA in 20 bursts of three, one second apart."""
    _play_album(sim)
    jitter = random.Random(2026)  # the same moments in every run
    actions = []
    for burst in range(20):
        start = 60 + burst * BURST_EVERY + jitter.uniform(0, 30)
        for n, (service, data) in enumerate(_BURSTS[burst % len(_BURSTS)]):
            actions.append(_command(start + n * WITHIN_BURST, service, **data))
    return actions


SCENARIOS: Final[dict[str, Callable[[SpotifySimulator], list[Action]]]] = {
    "idle": _idle,
    "playing": _playing,
    "commands": _commands,
}
POLICIES: Final = ("ours", "core")


def endpoint(method: str, path: str) -> str:
    """METHOD /path with ids folded, so one endpoint is one row."""
    return f"{method} {_ID.sub('/{id}', path)}"


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_hour(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    economy_results: list[RunResult],
    scenario: str,
    policy: str,
) -> None:
    """Run one scenario for an hour under one policy and record requests and staleness."""
    result = await run_hour(hass, sim, freezer, monkeypatch, scenario, policy)
    economy_results.append(result)


# The idle intervals whose trade-off the benchmark shows (90 s, the default, is above).
IDLE_INTERVALS: Final = (30, 60)


@pytest.mark.parametrize("idle", IDLE_INTERVALS)
async def test_idle_hour_at(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    economy_results: list[RunResult],
    idle: int,
) -> None:
    """The idle scenario with our policy at another idle interval."""
    options = {CONF_IDLE_INTERVAL: idle}
    result = await run_hour(hass, sim, freezer, monkeypatch, "idle", f"ours@{idle}", options)
    economy_results.append(result)


async def run_hour(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    scenario: str,
    policy: str,
    options: dict[str, Any] | None = None,
) -> RunResult:
    """One scenario for an hour under one policy (and entry options): requests and staleness."""
    start_clock(freezer)
    actions = SCENARIOS[scenario](sim)
    return await run_simulation(
        hass, sim, freezer, monkeypatch, scenario, policy, actions, HOUR, options=options
    )


def start_clock(freezer: FrozenDateTimeFactory) -> None:
    """The same timer phases in every run: whole seconds, and the coordinator's random offset."""
    freezer.move_to(datetime.fromtimestamp(int(time.time()) + 1, UTC))
    random.seed(4010)


async def run_simulation(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    scenario: str,
    policy: str,
    actions: list[Action],
    duration: float,
    *,
    options: dict[str, Any] | None = None,
    follow: Callable[[], None] | None = None,
) -> RunResult:
    """Set Alice's entry up under one policy, run ``actions`` for ``duration`` seconds, measure.

    ``follow`` is called whenever the simulator may have changed (see ``SimulatedHour``).
    """
    if policy == "core":
        monkeypatch.setattr(integration, "SpotifyWebApiCoordinator", CorePolicyCoordinator)
    entry = entry_for(sim)
    if options:
        entry = MockConfigEntry(
            domain=entry.domain,
            title=entry.title,
            unique_id=entry.unique_id,
            data=dict(entry.data),
            options=options,
        )
    await setup_entry(hass, entry)
    if entry.state is not ConfigEntryState.LOADED:
        raise RuntimeError(f"the entry did not load: {entry.state}")
    sim.clear_requests()

    hour = SimulatedHour(hass, freezer, sim.player("alice"), follow)
    await hour.run(actions, duration)

    result = RunResult(
        scenario,
        policy,
        playing_interval(entry.options).total_seconds(),
        idle_interval(entry.options).total_seconds(),
        time_in=hour.time_in,
    )
    result.requests.update(endpoint(r.method, r.path) for r in sim.requests)
    for cause in (ITEM_END, ELSEWHERE, COMMAND):
        result.staleness[cause] = hour.log.delays(cause, hour.now())
    result.changes = hour.log.changes[1:]
    result.start_view = hour.log.changes[0].view
    views = [change.view for change in hour.log.changes]
    result.item_changes = sum(
        1 for before, after in itertools.pairwise(views) if after.item != before.item
    )
    result.library_reads_allowed = (1 + REREADS_PER_STAY) * (result.item_changes + 1)
    await hass.config_entries.async_unload(entry.entry_id)
    return result
