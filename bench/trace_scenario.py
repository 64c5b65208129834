"""A day of listening from a trace, under our polling policy and core's, in HA's test harness.

Not part of the test suite: ``bench/polling_economy.py`` runs it with pytest and prints
what it records (``summary``). A trace (``bench/traces/README.md``) says what Alice does
on her devices through a day, outside Home Assistant; the day runs through
``polling_scenarios.run_simulation``, 24 simulated hours, per policy at each of
``PHASES``. Every line is a change made elsewhere.

A trace's moments are round (a person writes 07:14:50, not 07:14:53.7), and where polls
fall against round seconds would decide the staleness: core's fixed 30 s polls land at
the same second of every minute (0.4 s after each change at :00 or :30), ours are
anchored to what the trace did (2 s after a linked speaker started, then every 30 s:
just before the next round moment). So each run moves every burst of the trace (lines
less than a minute apart, which keep their spacing) by its own seeded random offset
under a poll interval; the day runs ``RUNS`` times with different seeds, the staleness
of all of them is pooled, and requests are the mean day.

The media players the trace links to speakers follow the simulator as the speakers' own
integrations would (playing or paused while a Spotify session is on the speaker, idle
once it ends, off while the speaker is off), and the entry's options link them, so our
coordinator hears of those changes; core does not.
"""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final

import pytest
from polling_scenarios import ELSEWHERE, Action, RunResult, run_simulation, start_clock
from trace_format import DAY, Step, Trace, TraceError, clock, parse_trace

from custom_components.spotify_webapi.const import CONF_LINKED_PLAYERS
from tests.simulator.ids import collection_uri, uri
from tests.simulator.player import no_active_device
from tests.simulator.responses import ApiError

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from tests.simulator import SpotifySimulator
    from tests.simulator.devices import Device
    from tests.simulator.player import Player

pytestmark = pytest.mark.usefixtures("setup_credentials")

ACCOUNT: Final = "alice"
POLICIES: Final = ("ours", "core")
# Each day's seed for the offsets of the trace's bursts, and their bounds in seconds.
RUNS: Final = (1, 2, 3)
BURST_GAP: Final = 60.0
MAX_OFFSET: Final = 30.0
# The targets for a day of changes made elsewhere.
REQUEST_SHARE: Final = 0.60
P95_STALENESS: Final = 60.0
LONGEST_STALENESS: Final = 120.0
# What a linked speaker's own integration shows while a Spotify session is on it.
SESSION_STATES: Final = frozenset({"playing", "paused"})


def link_options(links: dict[str, str]) -> dict[str, Any]:
    """Entry options linking remembered devices (by key: the id first seen) to media players."""
    return {CONF_LINKED_PLAYERS: dict(links)}


@dataclass(slots=True)
class DayResult:
    """What one policy cost and how fresh it stayed through a traced day."""

    policy: str
    seed: int
    trace: str
    run: RunResult
    # The names of the linked speakers: a change on one of them is told apart.
    linked: frozenset[str]
    # Play lines, and those on a linked speaker.
    sessions: int
    linked_sessions: int

    def delays(self, *, on_linked: bool | None = None) -> list[float]:
        """Staleness of the changes elsewhere (on linked speakers, on others, or all).

        A change never shown counts until the end of the day.
        """
        delays = []
        before = self.run.start_view
        for change in self.run.changes:
            linked = bool({before.source, change.view.source} & self.linked)
            before = change.view
            if change.cause != ELSEWHERE or on_linked not in {None, linked}:
                continue
            delays.append(DAY - change.at if change.shown_after is None else change.shown_after)
        return delays


@dataclass(slots=True)
class LinkedSpeakers:
    """The linked speakers' media players, set as the speakers' own integrations would."""

    hass: HomeAssistant
    player: Player
    links: list[tuple[Device, str]]
    states: dict[str, str] = field(default_factory=dict)

    def start(self) -> None:
        """Every linked speaker is off when the day begins (and before the entry is set up)."""
        for _device, entity_id in self.links:
            self._set(entity_id, "off")

    def follow(self) -> None:
        """Show each speaker's part in the simulator's playback, when it changed."""
        playback = self.player.sync()
        for device, entity_id in self.links:
            state = self.states[entity_id]
            if not device.awake:
                state = "off"
            elif self.player.active is device and playback is not None:
                state = "playing" if playback.is_playing else "paused"
            elif state in SESSION_STATES:
                state = "idle"  # the session ended; the speaker stays on
            if state != self.states[entity_id]:
                self._set(entity_id, state)

    def _set(self, entity_id: str, state: str) -> None:
        self.states[entity_id] = state
        attributes = {"source": "Spotify"} if state in SESSION_STATES else {}
        self.hass.states.async_set(entity_id, state, attributes)


# --- the trace, resolved against Alice's account ---------------------------------------------


def _device(sim: SpotifySimulator, trace: Trace, line: int, name: str) -> Device:
    """The account's device of that name, one the Web API can control."""
    player = sim.player(ACCOUNT)
    try:
        device = player.named(name)
    except KeyError:
        names = ", ".join(f'"{d.name}"' for d in player.devices)
        raise TraceError(f"{trace.where(line)}: no device {name!r} (there are {names})") from None
    if device.is_restricted:
        # The entity offers no controls for it, so what it shows never matches the truth.
        raise TraceError(f"{trace.where(line)}: {name!r} is restricted; pick another device")
    return device


def _context(sim: SpotifySimulator, trace: Trace, step: Step) -> str:
    """The URI of what a play line names: an album or playlist by name, or Liked Songs."""
    kind, *name = step.args[1:]
    if kind == "liked":
        return collection_uri(ACCOUNT)
    world = sim.world
    found = {
        "album": [a.id for a in world.catalogue.albums.values() if a.name == name[0]],
        "playlist": [
            p.id
            for p in world.playlists.values()
            if p.name == name[0] and world.resolve_context(uri("playlist", p.id), ACCOUNT)
        ],
    }[kind]
    if len(found) != 1:
        problem = f"no {kind}" if not found else f"{len(found)} {kind}s (ambiguous)"
        raise TraceError(f"{trace.where(step.line)}: {problem} named {name[0]!r}")
    return uri(kind, found[0])


def _play(player: Player, device: Device, context_uri: str) -> None:
    """The device (switched on if it was off) starts the context from its first item."""
    player.wake(device.name)
    player.active = device
    player.load(context_uri)


def _transfer(player: Player, device: Device) -> None:
    """Playback moves to the device (switched on if it was off), playing or paused as it was."""
    if player.sync() is None or player.active is None:
        raise no_active_device()
    player.wake(device.name)
    player.active = device


def _stop(player: Player) -> None:
    """The session ends: the app closes, nothing is active."""
    player.active, player.playback = None, None


# What each action does to the player, given its resolved arguments.
CHANGES: Final[dict[str, Callable[..., None]]] = {
    "play": _play,
    "pause": lambda player: player.pause(None),
    "resume": lambda player: player.play(None),
    "next": lambda player: player.next(None),
    "previous": lambda player: player.previous(None),
    "volume": lambda player, percent: player.set_volume(None, percent),
    "shuffle": lambda player, state: player.set_shuffle(None, state=state),
    "repeat": lambda player, mode: player.set_repeat(None, mode),
    "transfer": _transfer,
    "stop": _stop,
    "off": lambda player, device: player.put_to_sleep(device.name),
}


def _arguments(sim: SpotifySimulator, trace: Trace, step: Step) -> tuple[Any, ...]:
    """A step's arguments as its change takes them (devices and contexts looked up)."""
    args = step.args
    match step.action:
        case "play":
            return _device(sim, trace, step.line, args[0]), _context(sim, trace, step)
        case "transfer" | "off":
            return (_device(sim, trace, step.line, args[0]),)
        case "volume":
            return (int(args[0]),)
        case "shuffle":
            return (args[0] == "on",)
        case _:
            return args


def trace_actions(sim: SpotifySimulator, trace: Trace) -> list[Action]:
    """Every line of the trace as a change made elsewhere at its moment."""
    return [
        _action(trace, step, CHANGES[step.action], _arguments(sim, trace, step))
        for step in trace.steps
    ]


def _action(
    trace: Trace, step: Step, change: Callable[..., None], arguments: tuple[Any, ...]
) -> Action:
    """The step's change; Spotify refusing it (pause while paused) fails the run."""

    async def run(_hass: HomeAssistant, player: Player) -> None:
        try:
            change(player, *arguments)
        except ApiError as err:
            raise TraceError(
                f"{trace.where(step.line)}: {step.clock} {step.label}: Spotify refuses it"
                f" ({err.status} {err.message})"
            ) from err

    return Action(step.at, ELSEWHERE, f"{step.line}: {step.label}", run)


def _linked_speakers(sim: SpotifySimulator, trace: Trace) -> list[tuple[Device, str]]:
    """The devices the trace links, each with its media player."""
    links = []
    for link in trace.links:
        device = _device(sim, trace, link.line, link.device)
        if device.id is None:
            raise TraceError(f"{trace.where(link.line)}: {link.device!r} has no id to link")
        links.append((device, link.entity_id))
    return links


def moved_bursts(actions: list[Action], seed: int) -> list[Action]:
    """Each burst of actions moved by its own random offset; their order stays."""
    rng = random.Random(seed)
    moved: list[Action] = []
    offset, last = 0.0, -BURST_GAP
    for action in sorted(actions, key=lambda a: a.at):
        if action.at - last >= BURST_GAP:
            offset = rng.uniform(0.0, MAX_OFFSET)
        last = action.at
        moved.append(replace(action, at=action.at + offset))
    return moved


# --- the run ------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", RUNS)
@pytest.mark.parametrize("policy", POLICIES)
async def test_day(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    trace_file: Path,
    day_results: list[DayResult],
    policy: str,
    seed: int,
) -> None:
    """Run the traced day, its bursts moved as ``seed`` says, under one policy."""
    trace = parse_trace(trace_file)
    start_clock(freezer)
    player = sim.player(ACCOUNT)
    _stop(player)  # the day begins with nothing playing
    links = _linked_speakers(sim, trace)
    speakers = LinkedSpeakers(hass, player, links)
    speakers.start()
    options = link_options({str(device.id): entity for device, entity in links})
    run = await run_simulation(
        hass,
        sim,
        freezer,
        monkeypatch,
        "day",
        policy,
        moved_bursts(trace_actions(sim, trace), seed),
        DAY,
        options=options,
        follow=speakers.follow,
    )
    linked = frozenset(device.name for device, _entity in links)
    plays = [step for step in trace.steps if step.action == "play"]
    day_results.append(
        DayResult(
            policy,
            seed,
            trace.name,
            run,
            linked,
            sessions=len(plays),
            linked_sessions=sum(1 for step in plays if step.args[0] in linked),
        )
    )


# --- what polling_economy.py prints -------------------------------------------------------------


def median(delays: list[float]) -> float | None:
    """The median staleness, or None when nothing changed."""
    return statistics.median(delays) if delays else None


def p95(delays: list[float]) -> float | None:
    """The 95th percentile (nearest rank): 95 % of the changes showed at least this soon."""
    if not delays:
        return None
    ordered = sorted(delays)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def longest(delays: list[float]) -> float | None:
    """The longest staleness, or None when nothing changed."""
    return max(delays, default=None)


STATISTICS: Final = {"median": median, "p95": p95, "longest": longest}


def _pooled(results: list[DayResult], on_linked: bool | None = None) -> list[float]:
    """The staleness of the changes elsewhere on every seed's day."""
    return [delay for result in results for delay in result.delays(on_linked=on_linked)]


def _mean_day(results: list[DayResult]) -> dict[str, float]:
    """Requests per endpoint on the mean day of the seeds."""
    total: Counter[str] = sum((r.run.requests for r in results), start=Counter())
    return {name: count / len(results) for name, count in total.items()}


# The rows of the staleness table: all changes elsewhere, those on linked speakers, the rest.
KINDS: Final = (("all", None), ("linked", True), ("unseen", False))


@dataclass(slots=True)
class TraceFigures:
    """One trace's mean-day requests and pooled staleness, ours and core's."""

    trace: str
    requests: dict[str, float]
    # Per policy, per kind of change (KINDS), the pooled staleness.
    delays: dict[str, dict[str, list[float]]]

    @property
    def ratio(self) -> float:
        """Our requests over core's."""
        return self.requests["ours"] / self.requests["core"]


def figures(trace: str, results: list[DayResult]) -> TraceFigures:
    """The figures of one trace's days; of every trace's for the pooled row (its mean day)."""
    runs = {policy: [r for r in results if r.policy == policy] for policy in POLICIES}
    return TraceFigures(
        trace,
        {p: sum(_mean_day(runs[p]).values()) for p in POLICIES},
        {p: {kind: _pooled(runs[p], on) for kind, on in KINDS} for p in POLICIES},
    )


def print_endpoints(results: list[DayResult]) -> None:
    """Requests per endpoint on the mean day of every trace, ours and core's."""
    requests = {p: _mean_day([r for r in results if r.policy == p]) for p in POLICIES}
    endpoints = sorted({name for counts in requests.values() for name in counts})
    width = max(len(name) for name in [*endpoints, "requests in a mean day"])
    print(f"\n{'requests in a mean day':<{width}}  {'ours':>6}  {'core':>6}")
    for name in endpoints:
        ours_count, core_count = requests["ours"].get(name, 0), requests["core"].get(name, 0)
        print(f"{name:<{width}}  {ours_count:>6.0f}  {core_count:>6.0f}")


def summary(results: list[Any]) -> list[tuple[str, bool]]:
    """Print each trace's requests and staleness, ours against core's; the day targets."""
    traces = sorted({r.trace for r in results})
    print(
        f"\ndays from {len(traces)} traces (24 h simulated, {len(RUNS)} seeds each):"
        " requests on the mean day; staleness of changes made elsewhere, pooled over the"
        " seeds (item ends left out), ours/core's; all changes, those on linked speakers,"
        " and those on devices Home Assistant cannot see (unseen)"
    )
    print_endpoints(results)
    header = f"\n{'trace':<16} {'requests':>11} {'share':>5}"
    for kind, _ in KINDS:
        header += f"{kind + ' median':>12}{'p95':>12}{'longest':>12} "
    print(header.rstrip())
    verdicts: list[tuple[str, bool]] = []
    rows = [figures(trace, [r for r in results if r.trace == trace]) for trace in traces]
    for row in [*rows, figures("pooled", results)]:
        _print_row(row)
        if row.trace != "pooled":
            verdicts += targets(row)
    print(
        "requests: ours/core's; staleness: ours/core's, in seconds; unseen: changes on"
        " devices no linked media player reports on"
    )
    return verdicts


def _print_row(row: TraceFigures) -> None:
    requests = f"{row.requests['ours']:>5.0f}/{row.requests['core']:<5.0f}"
    line = f"{row.trace.removesuffix('.txt'):<16} {requests} {row.ratio:>5.2f}"
    for kind, _ in KINDS:
        for statistic in STATISTICS.values():
            ours, core = statistic(row.delays["ours"][kind]), statistic(row.delays["core"][kind])
            line += f" {_short(ours):>5}/{_short(core):<5}" if ours is not None else f" {'-':>11}"
        line += " "
    print(line.rstrip())


def _short(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def targets(row: TraceFigures) -> list[tuple[str, bool]]:
    """One trace's targets: requests, median (all and unseen), p95 and the longest."""
    name = row.trace.removesuffix(".txt")
    ours, core = row.delays["ours"], row.delays["core"]
    share = f"{name}: requests <= {REQUEST_SHARE:.1f} x core's ({row.ratio:.2f})"
    verdicts = [(share, row.ratio <= REQUEST_SHARE)]
    for kind in ("all", "unseen"):
        ours_median, core_median = median(ours[kind]), median(core[kind])
        if ours_median is None or core_median is None:
            continue
        versus = f"({ours_median:.1f} s vs {core_median:.1f} s)"
        verdicts.append(
            (f"{name}: median staleness, {kind} <= core's {versus}", ours_median <= core_median)
        )
    ours_p95, ours_longest = p95(ours["all"]) or 0.0, longest(ours["all"]) or 0.0
    verdicts.append(
        (
            f"{name}: p95 staleness <= {P95_STALENESS:.0f} s ({ours_p95:.1f} s)",
            ours_p95 <= P95_STALENESS,
        )
    )
    verdicts.append(
        (
            f"{name}: longest staleness <= {LONGEST_STALENESS:.0f} s ({ours_longest:.1f} s)",
            ours_longest <= LONGEST_STALENESS,
        )
    )
    return verdicts


def print_changes(results: list[Any]) -> None:
    """Every change of the day and how long the entity took to show it."""
    for result in sorted(results, key=lambda r: (r.policy, r.seed)):
        print(f"\nday ({result.trace}, bursts moved by seed {result.seed}) / {result.policy}")
        for change in result.run.changes:
            shown = "never" if change.shown_after is None else f"{change.shown_after:6.1f} s"
            print(f"  {clock(change.at)}  {change.cause:<9}  {change.label:<44} {shown}")
