"""Home Assistant telling us the release in which we break: its usage reports and deprecations.

HA announces a coming break months ahead, in a log line (``homeassistant.helpers.frame``:
"Detected that custom integration 'spotify_webapi' ... This will stop working in Home
Assistant 2026.12.0") or a ``DeprecationWarning``. Either about this integration fails the
test that caused it (``tests/conftest.py``), and the e2e tests read hass's own log the same
way, so the day HA announces a break is the day a test fails.
"""

from __future__ import annotations

import logging
import traceback
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Final

from custom_components.spotify_webapi.const import DOMAIN

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

# Where the integration's code lives, and where Home Assistant's does.
OUR_CODE: Final = str(Path(__file__).resolve().parent.parent / "custom_components" / DOMAIN)
HA_CODE: Final = "/homeassistant/"
DEPRECATIONS: Final = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


def is_report_about_us(message: str) -> bool:
    """A usage report or an announced break that names this integration."""
    detected = message.startswith("Detected") and f"integration '{DOMAIN}'" in message
    announced = DOMAIN in message and "will stop working" in message
    return detected or announced


def reports_in_log(lines: Iterable[str]) -> list[str]:
    """The lines of a hass log that report a usage problem of ours or a coming break."""
    # HA's format: "<time> <LEVEL> (<thread>) [<logger>] <message>"
    return [line for line in lines if is_report_about_us(line.split("] ", 1)[-1])]


def is_ours(filename: str, our_code: str = OUR_CODE) -> bool:
    """Whether a frame runs the integration's code."""
    return str(Path(filename).resolve()).startswith(our_code)


def is_home_assistants(filename: str) -> bool:
    """Whether a frame runs Home Assistant's code (not its test harness)."""
    return HA_CODE in filename and "pytest_homeassistant" not in filename


def deprecation_from_ha_called_by_us(
    stack: list[traceback.FrameSummary], our_code: str = OUR_CODE
) -> bool:
    """A warning raised in HA's code on a call that came from ours, or attributed to ours."""
    seen_ours = False
    for frame in stack:  # outermost first
        if is_ours(frame.filename, our_code):
            seen_ours = True
        elif seen_ours and is_home_assistants(frame.filename):
            return True
    return False


class ReportCollector(logging.Handler):
    """Keeps every log record that is HA reporting on this integration."""

    def __init__(self) -> None:
        """Nothing collected yet."""
        super().__init__(logging.DEBUG)
        self.reports: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the record if it is a report about us."""
        message = record.getMessage()
        if is_report_about_us(message):
            self.reports.append(f"{record.name}: {message}")


@contextmanager
def collect_reports(our_code: str = OUR_CODE) -> Iterator[list[str]]:
    """Collect, while the block runs, what HA reports about this integration.

    ``our_code`` is where the integration's code lives (the gate's own tests move it).
    """
    collector = ReportCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    with warnings.catch_warnings():
        warnings.simplefilter("always", DeprecationWarning)
        warnings.simplefilter("always", PendingDeprecationWarning)
        shown = warnings.showwarning

        def check(
            message: Warning | str,
            category: type[Warning],
            filename: str,
            lineno: int,
            file: object = None,
            line: str | None = None,
        ) -> None:
            # Called inside warnings.warn(), so the stack still shows who called HA.
            if issubclass(category, DEPRECATIONS) and (
                is_ours(filename, our_code)
                or deprecation_from_ha_called_by_us(traceback.extract_stack(), our_code)
            ):
                collector.reports.append(f"{category.__name__} at {filename}:{lineno}: {message}")
            shown(message, category, filename, lineno, file, line)  # type: ignore[arg-type]

        warnings.showwarning = check
        try:
            yield collector.reports
        finally:
            root.removeHandler(collector)
