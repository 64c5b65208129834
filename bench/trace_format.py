"""The trace format: a day of listening, one timed line per thing a person does elsewhere.

Described in ``bench/traces/README.md``. Parsing checks the syntax only and imports
nothing of Home Assistant (``polling_economy.py`` checks a trace before the harness
starts); ``trace_scenario.py`` checks the names against the simulated account.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from pathlib import Path

DAY: Final = 24 * 3600.0
_TIME: Final = re.compile(r"(\d\d):([0-5]\d):([0-5]\d)")
_ENTITY: Final = re.compile(r"media_player\.[a-z0-9_]+")
# How each action is written, for error messages and the README.
USAGE: Final = {
    "play": '"<device>" album "<name>" | playlist "<name>" | liked',
    "pause": "",
    "resume": "",
    "next": "",
    "previous": "",
    "volume": "<percent>",
    "shuffle": "on | off",
    "repeat": "off | context | track",
    "transfer": '"<device>"',
    "stop": "",
    "off": '"<device>"',
}
ANY: Final = None
type Shape = tuple[frozenset[str] | None, ...]
# The argument lists each action accepts: per word, the words allowed there (ANY: a name).
SHAPES: Final[dict[str, tuple[Shape, ...]]] = {
    "play": ((ANY, frozenset({"album", "playlist"}), ANY), (ANY, frozenset({"liked"}))),
    "volume": ((frozenset(str(percent) for percent in range(101)),),),
    "shuffle": ((frozenset({"on", "off"}),),),
    "repeat": ((frozenset({"off", "context", "track"}),),),
    "transfer": ((ANY,),),
    "off": ((ANY,),),
}


class TraceError(ValueError):
    """A trace line that cannot be run; the message names the file and the line."""


@dataclass(frozen=True, slots=True)
class Link:
    """A Spotify Connect device that Home Assistant also knows as a media player."""

    line: int
    device: str
    entity_id: str


@dataclass(frozen=True, slots=True)
class Step:
    """One timed line: at ``at`` seconds into the day, ``action`` with its ``args``."""

    line: int
    at: float
    action: str
    args: tuple[str, ...]

    @property
    def clock(self) -> str:
        """The moment as the trace wrote it."""
        return clock(self.at)

    @property
    def label(self) -> str:
        """The action as written (comment left out), for lists of changes."""
        return " ".join(
            [self.action, *(f'"{a}"' if " " in a or "'" in a else a for a in self.args)]
        )


@dataclass(frozen=True, slots=True)
class Trace:
    """A parsed trace: its links (header) and its steps, in time order."""

    name: str
    links: tuple[Link, ...]
    steps: tuple[Step, ...]

    def where(self, line: int) -> str:
        """The place of a line, for error messages."""
        return f"{self.name}:{line}"


def clock(seconds: float) -> str:
    """HH:MM:SS of a moment of the day."""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def parse_trace(path: Path) -> Trace:
    """Read a trace file; TraceError names the first line that does not parse."""
    return parse_lines(path.name, path.read_text(encoding="utf-8").splitlines())


def parse_lines(name: str, lines: list[str]) -> Trace:
    """Parse a trace's lines (``name`` is what error messages call the file)."""
    links: list[Link] = []
    steps: list[Step] = []
    for number, text in enumerate(lines, start=1):
        try:
            words = shlex.split(text, comments=True)
        except ValueError as err:  # an unclosed quote
            raise TraceError(f"{name}:{number}: {err}: {text.strip()}") from err
        if not words:
            continue
        try:
            if words[0] == "link":
                links.append(_link(number, words[1:], links, in_header=not steps))
            else:
                steps.append(_step(number, words, steps))
        except TraceError as err:
            raise TraceError(f"{name}:{number}: {err}: {text.strip()}") from None
    if not steps:
        raise TraceError(f"{name}: no timed lines")
    return Trace(name, tuple(links), tuple(steps))


def _link(number: int, args: list[str], earlier: list[Link], *, in_header: bool) -> Link:
    if not in_header:
        raise TraceError("link lines come before the first timed line")
    match args:
        case [device, entity_id]:
            pass
        case _:
            raise TraceError('expected link "<device>" media_player.<name>')
    if _ENTITY.fullmatch(entity_id) is None:
        raise TraceError(f"not a media player entity id: {entity_id!r}")
    for link in earlier:
        if device == link.device or entity_id == link.entity_id:
            raise TraceError(f"linked already (line {link.line})")
    return Link(number, device, entity_id)


def _step(number: int, words: list[str], earlier: list[Step]) -> Step:
    match words:
        case [moment, action, *args]:
            pass
        case _:
            raise TraceError("expected HH:MM:SS <action> [arguments], or link")
    match = _TIME.fullmatch(moment)
    if match is None:
        raise TraceError("expected HH:MM:SS <action> [arguments], or link")
    hours, minutes, secs = (int(part) for part in match.groups())
    at = float(hours * 3600 + minutes * 60 + secs)
    if at >= DAY:
        raise TraceError("the day ends at 23:59:59")
    if earlier and at < earlier[-1].at:
        raise TraceError(f"earlier than line {earlier[-1].line} ({earlier[-1].clock})")
    if action not in USAGE:
        raise TraceError(f"unknown action {action!r} (known: {', '.join(USAGE)})")
    if not any(_fits(args, shape) for shape in SHAPES.get(action, ((),))):
        usage = (
            f"expected {action} {USAGE[action]}"
            if USAGE[action]
            else f"{action} takes no arguments"
        )
        raise TraceError(usage)
    return Step(number, at, action, tuple(args))


def _fits(args: list[str], shape: Shape) -> bool:
    """Whether ``args`` are written as ``shape`` says."""
    return len(args) == len(shape) and all(
        allowed is ANY or word in allowed for word, allowed in zip(args, shape, strict=True)
    )
