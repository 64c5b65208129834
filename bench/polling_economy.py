"""Requests per hour and staleness of our polling policy against Home Assistant core's.

Run: .venv/min/bin/python bench/polling_economy.py [--changes] [--trace FILE]

Runs ``bench/polling_scenarios.py`` with pytest, inside Home Assistant's test harness:
the integration against the simulator for a simulated hour (HA's clock and the
simulator's move together, nothing waits) in three scenarios — idle (no active device),
an album playing, and 60 commands an hour — once with our coordinator and once with a
coordinator reproducing core's policy (``bench/core_policy.py``: 30 s polls, devices
every 5 minutes, a poll 1 s after every command). Both drive the same webapi client and
media player entity, and both are counted from the simulator's request log.

It also runs ``bench/wake_up_scenario.py``: ``spotify_webapi.play`` on a sleeping
speaker whose wake-up action is a script, in real time, reporting the requests and the
time to music (core cannot play on a device Spotify does not list at all).

And ``bench/trace_scenario.py``: a whole day of listening driven by a trace
(``bench/traces/weekday.txt`` unless ``--trace`` names another; the format is in
``bench/traces/README.md``), 24 simulated hours under each policy, three times with the
trace's bursts moved by seeded offsets, with some speakers linked to media players.
Targets for the day: at most 0.6 times core's requests, a median staleness of changes
made elsewhere no worse than core's, and 95 % of them shown within 60 s.

Staleness is the longest time between a change of the simulator's player (an item
ending, a change made elsewhere, a command) and the entity showing it (or something
newer). Targets: while playing, nothing staler than 30 s and an item's end shown within
2 s; while idle, nothing staler than the idle interval from the options; idle, at
least 40 % fewer requests than core; with commands, at most 1.05 times the floor, the
fewest requests any policy meeting the staleness targets could make. The idle scenario
also runs at idle intervals of 30 and 60 s, to show the trade-off the default makes.
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest
from trace_format import TraceError, parse_trace

if TYPE_CHECKING:
    from collections import Counter

ROOT: Final = Path(__file__).resolve().parent.parent
SCENARIOS_MODULE: Final = Path(__file__).resolve().parent / "polling_scenarios.py"
WAKE_UP_MODULE: Final = Path(__file__).resolve().parent / "wake_up_scenario.py"
TRACE_MODULE: Final = Path(__file__).resolve().parent / "trace_scenario.py"
DEFAULT_TRACE: Final = Path(__file__).resolve().parent / "traces" / "weekday.txt"
SCENARIO_ORDER: Final = ("idle", "playing", "commands")
HOUR: Final = 3600.0
ITEM_END: Final = "item end"
IDLE_INTERVALS: Final = (30, 60)
# The targets. (This script imports nothing of Home Assistant: pytest's harness
# must patch HA's clock before anything of HA is imported.)
REQUEST_CUT: Final = 0.40
FLOOR_MARGIN: Final = 1.05
PLAYING_STALENESS: Final = 30.0
ITEM_END_STALENESS: Final = 2.0
# HA's scheduler runs a coordinator's poll up to 0.5 s after its interval.
SCHEDULER_SLACK: Final = 0.5


class Collector:
    """Hands the harness runs a list to put their results in."""

    def __init__(self, trace: Path) -> None:
        """Nothing recorded yet; the day follows ``trace``."""
        self.results: list[Any] = []
        self.wake_ups: list[Any] = []
        self.days: list[Any] = []
        self.trace = trace

    @pytest.fixture
    def economy_results(self) -> list[Any]:
        """Where each simulated hour records what it cost."""
        return self.results

    @pytest.fixture
    def wake_up_results(self) -> list[Any]:
        """Where each play on a sleeping device records what it cost."""
        return self.wake_ups

    @pytest.fixture
    def day_results(self) -> list[Any]:
        """Where each policy's traced day records what it cost."""
        return self.days

    @pytest.fixture
    def trace_file(self) -> Path:
        """The trace the day follows."""
        return self.trace


@dataclass(frozen=True, slots=True)
class Verdict:
    """One target, checked."""

    scenario: str
    target: str
    met: bool


def total(requests: Counter[str]) -> int:
    """Every request of the hour."""
    return sum(requests.values())


def floor(run: Any) -> int:
    """The fewest requests any policy meeting the staleness targets could have made.

    It sends the same commands and reads nothing but the player (no device list): every
    idle interval while not playing; while playing, at most 30 s apart and within 2 s of
    each item's end, so each stretch between two item ends needs its own reads (a lower
    bound: partial stretches at a start or a stop count only their whole 30 s). What no
    polling policy chooses counts as made: the token refresh (a token lasts an hour,
    whoever polls) and the library switch's reads (their own target, one per item
    change plus a few while it stays, is checked on its own).
    """
    requests: Counter[str] = run.requests
    commands = sum(n for name, n in requests.items() if not name.startswith("GET "))
    commands += requests[LIBRARY_READS]
    playing = float(run.time_in["playing"])
    others = float(sum(run.time_in.values())) - playing
    return commands + playing_reads(run) + int(others // run.idle_interval)


def playing_reads(run: Any) -> int:
    """The fewest player reads while playing: one within 2 s of each item end, 30 s apart."""
    reads = 0
    for start, end in playing_stretches(run):
        ends = [c.at for c in run.changes if c.cause == ITEM_END and start < c.at < end]
        if not ends:
            reads += int((end - start) // PLAYING_STALENESS)
            continue
        reads += max(1, int((ends[0] - start) // PLAYING_STALENESS))
        for before, after in itertools.pairwise(ends):
            reads += math.ceil((after - before - ITEM_END_STALENESS) / PLAYING_STALENESS)
        reads += int((end - ends[-1] - ITEM_END_STALENESS) // PLAYING_STALENESS)
    return reads


def playing_stretches(run: Any) -> list[tuple[float, float]]:
    """The (start, end) seconds of the hour during which the simulator was playing."""
    stretches: list[tuple[float, float]] = []
    since: float | None = 0.0 if run.start_state == "playing" else None
    for change in run.changes:
        playing = change.view.state == "playing"
        if playing and since is None:
            since = change.at
        elif not playing and since is not None:
            stretches.append((since, change.at))
            since = None
    if since is not None:
        stretches.append((since, HOUR))
    return stretches


def worst(delays: list[float]) -> float | None:
    """The longest staleness, or None when nothing of that kind changed."""
    return max(delays) if delays else None


def seconds(value: float | None) -> str:
    """A staleness for the table."""
    return "-" if value is None else f"{value:.1f} s"


def print_requests(runs: dict[tuple[str, str], Any]) -> None:
    """Requests per hour, endpoint by endpoint, each scenario for ours and core."""
    endpoints = sorted({name for run in runs.values() for name in run.requests})
    columns = [(s, p) for s in SCENARIO_ORDER for p in ("ours", "core") if (s, p) in runs]
    width = max(len(name) for name in [*endpoints, "requests per hour"])
    print(f"{'requests per hour':<{width}}  " + "  ".join(f"{s[:8]:>8}/{p:<4}" for s, p in columns))
    for name in endpoints:
        counts = "  ".join(f"{runs[c].requests[name]:>13}" for c in columns)
        print(f"{name:<{width}}  {counts}")
    totals = "  ".join(f"{total(runs[c].requests):>13}" for c in columns)
    print(f"{'total':<{width}}  {totals}")


def print_summary(runs: dict[tuple[str, str], Any]) -> list[Verdict]:
    """Totals, their ratio and staleness per scenario; returns the targets checked."""
    print()
    causes = ("item end", "elsewhere", "command")
    print(
        f"{'scenario':<9} {'policy':<6} {'requests':>8} {'floor':>5} {'ours/core':>9} "
        f"{'floor/core':>10}  "
        f"{'staleness':>9}  " + "  ".join(f"{cause:>10}" for cause in causes)
    )
    verdicts: list[Verdict] = []
    for scenario in SCENARIO_ORDER:
        ours, core = runs[(scenario, "ours")], runs[(scenario, "core")]
        ratio = total(ours.requests) / total(core.requests)
        for policy, run in (("ours", ours), ("core", core)):
            every = worst([d for delays in run.staleness.values() for d in delays])
            by_cause = "  ".join(f"{seconds(worst(run.staleness[c])):>10}" for c in causes)
            ratios = (
                f"{ratio:>9.2f} {floor(ours) / total(core.requests):>10.2f}"
                if policy == "ours"
                else " " * 20
            )
            print(
                f"{scenario:<9} {policy:<6} {total(run.requests):>8} {floor(run):>5} {ratios}  "
                f"{seconds(every):>9}  {by_cause}"
            )
        stale = worst([d for delays in ours.staleness.values() for d in delays])
        item_end = worst(ours.staleness["item end"])
        verdicts += targets(
            scenario, ratio, total(ours.requests) / floor(ours), stale, item_end, ours.idle_interval
        )
    print(
        "staleness: the longest wait, by cause of the change, until the entity showed it\n"
        "floor: the fewest requests any policy meeting the staleness targets could make (the"
        " same commands and token refreshes; a read within 2 s of each item end and 30 s apart"
        " while playing, and every idle interval otherwise)"
    )
    return verdicts


def targets(
    scenario: str,
    ratio: float,
    over_floor: float,
    stale: float | None,
    item_end: float | None,
    idle: float,
) -> list[Verdict]:
    """The targets for one scenario."""
    verdicts = []
    if scenario == "idle":
        verdicts.append(
            Verdict(
                scenario, f"requests <= {1 - REQUEST_CUT:.0%} of core's", ratio <= 1 - REQUEST_CUT
            )
        )
    if scenario == "commands":
        verdicts.append(
            Verdict(
                scenario,
                f"requests <= {FLOOR_MARGIN:.2f} x floor ({over_floor:.3f})",
                over_floor <= FLOOR_MARGIN,
            )
        )
    if scenario == "idle":
        bound = idle + SCHEDULER_SLACK
        verdicts.append(Verdict(scenario, f"staleness <= {bound:.1f} s", (stale or 0) <= bound))
    else:
        bound = PLAYING_STALENESS + SCHEDULER_SLACK
        verdicts.append(Verdict(scenario, f"staleness <= {bound:.1f} s", (stale or 0) <= bound))
        verdicts.append(
            Verdict(
                scenario,
                f"item end shown <= {ITEM_END_STALENESS:.0f} s",
                item_end is not None and item_end <= ITEM_END_STALENESS,
            )
        )
    return verdicts


def print_idle_intervals(runs: dict[tuple[str, str], Any]) -> None:
    """Idle: requests and staleness at each idle interval, next to core."""
    print()
    print(f"{'idle scenario':<22} {'requests':>8} {'of core':>7}  {'longest staleness':>17}")
    core = runs[("idle", "core")]
    rows = [(f"ours, idle {i} s", runs[("idle", f"ours@{i}")]) for i in IDLE_INTERVALS]
    ours = runs[("idle", "ours")]
    rows += [(f"ours, idle {ours.idle_interval:.0f} s (default)", ours), ("core", core)]
    for label, run in rows:
        stale = worst([d for delays in run.staleness.values() for d in delays])
        share = total(run.requests) / total(core.requests)
        print(f"{label:<22} {total(run.requests):>8} {share:>7.2f}  {seconds(stale):>17}")


LIBRARY_READS: Final = "GET /v1/me/library/contains"


def library_verdicts(runs: dict[tuple[str, str], Any]) -> list[Verdict]:
    """The switch reads nothing while nothing plays, and a bounded number while playing.

    Once per item change, plus its few re-reads while an item stays
    (``switch.REREADS_PER_STAY``).

    The event entity derives its events from the polls: it has no row of its own in the
    request table, and the totals above include everything both entities cost.
    """
    print()
    print(f"{'scenario':<9} {'library reads':>13} {'item changes':>12} {'allowed':>7}")
    verdicts = []
    for scenario in SCENARIO_ORDER:
        run = runs[(scenario, "ours")]
        reads = run.requests[LIBRARY_READS]
        print(f"{scenario:<9} {reads:>13} {run.item_changes:>12} {run.library_reads_allowed:>7}")
        if scenario == "idle":
            verdicts.append(Verdict(scenario, "no library reads while nothing plays", reads == 0))
        else:
            verdicts.append(
                Verdict(
                    scenario,
                    "library reads <= allowed",
                    reads <= run.library_reads_allowed,
                )
            )
    return verdicts


def print_changes(runs: dict[tuple[str, str], Any]) -> None:
    """Every change of every hour and how long the entity took to show it."""
    for (scenario, policy), run in sorted(runs.items()):
        print(f"\n{scenario} / {policy}")
        for change in run.changes:
            shown = "never" if change.shown_after is None else f"{change.shown_after:6.1f} s"
            print(f"  {change.at:7.1f} s  {change.cause:<9}  {change.label:<28} {shown}")


def main() -> int:
    """Run the simulated hours and the traced day, print the tables, and judge the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", action="store_true", help="list every change")
    parser.add_argument("--trace", type=Path, default=DEFAULT_TRACE, help="the day's trace")
    options = parser.parse_args()
    try:  # a trace that does not parse stops the run before the harness starts
        parse_trace(options.trace)
    except (OSError, TraceError) as err:
        print(f"the trace cannot be run: {err}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    collector = Collector(options.trace.resolve())
    args = [str(SCENARIOS_MODULE), str(WAKE_UP_MODULE), str(TRACE_MODULE)]
    args += ["-p", "no:cacheprovider", "-q", "--rootdir", str(ROOT)]
    code = pytest.main(args, plugins=[collector])
    if code != 0:
        print(f"the harness runs failed (pytest exit {code})", file=sys.stderr)
        return 2
    # Imported after the harness runs (see above: HA must not be imported before them).
    from trace_scenario import print_changes as print_day_changes  # noqa: PLC0415
    from trace_scenario import summary as day_summary  # noqa: PLC0415
    from wake_up_scenario import summary as wake_up_summary  # noqa: PLC0415

    runs = {(r.scenario, r.policy): r for r in collector.results}
    if options.changes:
        print_changes(runs)
        print_day_changes(collector.days)
    ours = runs[("idle", "ours")]
    print(
        f"\nours: our coordinator with the default options (playing interval"
        f" {ours.playing_interval:.0f} s, idle interval {ours.idle_interval:.0f} s);"
        " core: bench/core_policy.py\n"
    )
    from policy_table import print_policy  # noqa: PLC0415 - after the harness: it imports HA

    print_policy(ours.playing_interval, ours.idle_interval)
    print_requests(runs)
    verdicts = print_summary(runs)
    verdicts += library_verdicts(runs)
    print_idle_intervals(runs)
    verdicts += [
        Verdict("sleeping", target, met) for target, met in wake_up_summary(collector.wake_ups)
    ]
    verdicts += [Verdict("day", target, met) for target, met in day_summary(collector.days)]
    print()
    for verdict in verdicts:
        print(f"{'met   ' if verdict.met else 'MISSED'}  {verdict.scenario:<9} {verdict.target}")
    return 0 if all(v.met for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
