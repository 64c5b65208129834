"""Requests per hour and staleness of our polling policy against Home Assistant core's.

Run: .venv/min/bin/python bench/polling_economy.py [--changes] [--trace FILE] [--jobs N]
[--keep DIR]

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

And ``bench/trace_scenario.py``: whole days of listening driven by every trace in
``bench/traces/`` (or the one ``--trace`` names; the format is in
``bench/traces/README.md``), 24 simulated hours under each policy, three times per
trace with its bursts moved by seeded offsets, with some speakers linked to media
players. Every trace keeps its three seeds: fewer would let one lucky phase decide a
median. The parts (the scenarios, and each trace's six days) run as separate worker
processes, ``--jobs`` at a time (the machine's cores, at most 3), because each is one
busy event loop; the run takes about as long as the slowest few traces. Targets, on
every trace: at most 0.6 times core's requests; a median staleness of changes made
elsewhere no worse than core's, for all of them and for those on devices no linked
media player reports on (unseen); 95 % of them shown within 60 s and none later than
120 s. Item ends are predicted and left out of the day's staleness.

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
import os
import pickle
import subprocess
import sys
import tempfile
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
TRACES: Final = Path(__file__).resolve().parent / "traces"
DEFAULT_TRACE: Final = TRACES / "weekday.txt"
# Parts run at once: the machine's cores, at most 3 (each part is one busy process).
JOBS: Final = min(3, os.cpu_count() or 1)
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


def traces_to_run(trace: Path | None) -> list[Path]:
    """The one trace asked for, or every trace in bench/traces/."""
    return [trace] if trace is not None else sorted(TRACES.glob("*.txt"))


def run_harness(kind: str, trace: Path | None, out: Path) -> int:
    """Worker: run one part in HA's test harness and pickle what it recorded to ``out``.

    ``kind`` is ``scenarios`` (the simulated hours and the sleeping speaker) or ``day``
    (the days of ``trace``).
    """
    sys.path.insert(0, str(ROOT))
    collector = Collector(trace.resolve() if trace is not None else DEFAULT_TRACE)
    modules = [SCENARIOS_MODULE, WAKE_UP_MODULE] if kind == "scenarios" else [TRACE_MODULE]
    args = [*map(str, modules), "-p", "no:cacheprovider", "-q", "--rootdir", str(ROOT)]
    code = pytest.main(args, plugins=[collector])
    if code == 0:
        recorded = (collector.results, collector.wake_ups, collector.days)
        out.write_bytes(pickle.dumps(recorded))
    return int(code)


def run_parts(traces: list[Path], jobs: int, work: Path) -> tuple[list[Any], ...] | None:
    """Run the scenarios and each trace's days as worker processes, ``jobs`` at a time.

    Each part is its own process (HA's harness runs one event loop per test process), so
    the days of several traces run side by side; together they take about as long as the
    longest few. None when a part failed (its output is shown).
    """
    parts: list[tuple[str, Path | None]] = [("scenarios", None)]
    parts += [("day", trace) for trace in traces]
    pending = list(enumerate(parts))
    running: list[tuple[subprocess.Popen[bytes], str]] = []
    failed = False
    while pending or running:
        while pending and len(running) < jobs:
            index, (kind, trace) = pending.pop(0)
            command = [sys.executable, __file__, "--worker", kind, "--out", str(work / f"{index}")]
            if trace is not None:
                command += ["--trace", str(trace)]
            name = kind if trace is None else trace.name
            process = subprocess.Popen(  # noqa: S603 - this script, with our own arguments
                command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            running.append((process, name))
        process, name = running.pop(0)
        output, _ = process.communicate()
        if process.returncode != 0:
            failed = True
            print(f"the harness run of {name} failed (exit {process.returncode}):", file=sys.stderr)
            print(output.decode(errors="replace"), file=sys.stderr)
        else:
            print(f"ran {name}", file=sys.stderr)
    if failed:
        return None
    sys.path.insert(0, str(ROOT))  # the recorded classes import the integration
    results: list[Any] = []
    wake_ups: list[Any] = []
    days: list[Any] = []
    for index in range(len(parts)):
        recorded = pickle.loads((work / f"{index}").read_bytes())  # noqa: S301 - our own
        results += recorded[0]
        wake_ups += recorded[1]
        days += recorded[2]
    return results, wake_ups, days


def main() -> int:
    """Run the simulated hours and the traced days, print the tables, and judge the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", action="store_true", help="list every change")
    parser.add_argument("--trace", type=Path, help="one trace instead of every one")
    parser.add_argument("--jobs", type=int, default=JOBS, help="parts run at once")
    parser.add_argument("--keep", type=Path, help="keep the parts' recordings in this folder")
    parser.add_argument("--worker", choices=("scenarios", "day"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.worker is not None:
        return run_harness(options.worker, options.trace, options.out)
    traces = traces_to_run(options.trace)
    try:  # a trace that does not parse stops the run before the harness starts
        for trace in traces:
            parse_trace(trace)
    except (OSError, TraceError) as err:
        print(f"the trace cannot be run: {err}", file=sys.stderr)
        return 2
    if options.keep is not None:
        options.keep.mkdir(parents=True, exist_ok=True)
        recorded = run_parts(traces, max(1, options.jobs), options.keep)
    else:
        with tempfile.TemporaryDirectory() as work:
            recorded = run_parts(traces, max(1, options.jobs), Path(work))
    if recorded is None:
        return 2
    results, wake_ups, days = recorded
    # Imported after the harness runs (see above: HA must not be imported before them).
    from trace_scenario import print_changes as print_day_changes  # noqa: PLC0415
    from trace_scenario import summary as day_summary  # noqa: PLC0415
    from wake_up_scenario import summary as wake_up_summary  # noqa: PLC0415

    runs = {(r.scenario, r.policy): r for r in results}
    if options.changes:
        print_changes(runs)
        print_day_changes(days)
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
    verdicts += [Verdict("sleeping", target, met) for target, met in wake_up_summary(wake_ups)]
    verdicts += [Verdict("day", target, met) for target, met in day_summary(days)]
    print()
    for verdict in verdicts:
        print(f"{'met   ' if verdict.met else 'MISSED'}  {verdict.scenario:<9} {verdict.target}")
    return 0 if all(v.met for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
