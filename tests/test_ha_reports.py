"""The gate on Home Assistant's reports: what it catches, and what it lets through."""

from __future__ import annotations

import logging
import warnings

import pytest

from tests.ha_reports import collect_reports, reports_in_log

# Code "of the integration" for these tests: outside the real package, so that coverage
# does not record a file that never exists.
FAKE_OURS = "/nowhere/custom_components/spotify_webapi"

pytestmark = pytest.mark.reports_on_purpose

# What HA 2026.10 and 2026.11 logged about this integration on every reauth.
REPORT_OF_2026_12 = (
    "Detected that custom integration 'spotify_webapi' has an update listener and should use "
    "it for scheduling a reload at custom_components/spotify_webapi/config_flow.py, line 120: "
    "return self.async_update_reload_and_abort(entry, data=data). This will stop working in "
    "Home Assistant 2026.12.0, please create a bug report at https://example.invalid/issues"
)


def _function_in(filename: str, source: str, name: str, scope: dict[str, object]) -> object:
    """A function whose frames report ``filename``, as code loaded from there would."""
    exec(compile(source, filename, "exec"), scope)  # noqa: S102 - the test's own source
    return scope[name]


def test_a_frame_report_about_us_is_caught_and_others_are_not() -> None:
    frame_logger = logging.getLogger("homeassistant.helpers.frame")
    with collect_reports() as reports:
        frame_logger.warning("%s", REPORT_OF_2026_12)
        frame_logger.warning("Detected that custom integration 'other' does something old")
        logging.getLogger("homeassistant.core").warning("Something unrelated to spotify_webapi")
    assert reports == [f"homeassistant.helpers.frame: {REPORT_OF_2026_12}"]


def test_a_deprecation_raised_in_ha_on_our_call_is_caught() -> None:
    scope: dict[str, object] = {"warnings": warnings}
    ha_code = (
        "def old_helper():\n    warnings.warn('old_helper is deprecated', DeprecationWarning)\n"
    )
    _function_in("/venv/site-packages/homeassistant/helpers/fake.py", ha_code, "old_helper", scope)
    ours = "def our_call():\n    old_helper()\n"
    our_call = _function_in(f"{FAKE_OURS}/fake.py", ours, "our_call", scope)
    with collect_reports(FAKE_OURS) as reports:
        scope["old_helper"]()  # type: ignore[operator]  # HA's deprecation, not on our call
        our_call()  # type: ignore[operator]
    assert len(reports) == 1
    assert reports[0].startswith("DeprecationWarning at ")
    assert "old_helper is deprecated" in reports[0]


def test_hass_log_lines_are_read_the_same_way() -> None:
    lines = [
        "2026-12-07 10:00:00.000 INFO (MainThread) [homeassistant.setup] Setting up http",
        "2026-12-07 10:00:01.000 WARNING (MainThread) [homeassistant.helpers.frame] "
        + REPORT_OF_2026_12,
    ]
    assert reports_in_log(lines) == [lines[1]]
