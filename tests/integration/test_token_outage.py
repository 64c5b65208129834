"""The token endpoint down or refusing: few refreshes, one line each way, no token lost."""

from __future__ import annotations

import itertools
import json
import logging
import time
from typing import TYPE_CHECKING

import pytest
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import STATE_PLAYING, STATE_UNAVAILABLE

from custom_components.spotify_webapi.application_credentials import DEFAULT_TOKEN_LIFETIME
from custom_components.spotify_webapi.const import (
    DEFAULT_PLAYING_INTERVAL,
    QUICK_RETRY_DELAY,
    TOKEN_RETRY_BACKOFF,
)

from .conftest import setup_entry
from .helpers import state, tick

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

EXPIRED = {"expires_at": 1_000_000.0}


@pytest.fixture
async def alice(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> MockConfigEntry:
    """Alice's entry on a frozen clock, whose token has just expired."""
    await setup_entry(hass, config_entry)
    token = {**config_entry.data["token"], **EXPIRED}
    hass.config_entries.async_update_entry(config_entry, data={**config_entry.data, "token": token})
    config_entry.runtime_data.auth.Token = token
    sim.clear_requests()
    return config_entry


def token_requests(sim: SpotifySimulator) -> list[int | None]:
    """The statuses of the token requests the simulator saw."""
    return [r.status for r in sim.requests if r.path == "/api/token"]


def reported(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What HA and the integration logged at INFO or above."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.INFO and r.name.startswith(("homeassistant", "custom_components"))
    ]


async def test_a_token_endpoint_outage_backs_off_and_is_logged_once_each_way(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    sim.fail_next("/api/token", 503, count=1000, error="server_error", description="Try later")
    first, last = TOKEN_RETRY_BACKOFF

    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
    assert token_requests(sim) == [503]
    assert state(hass).state == STATE_PLAYING  # one failed poll is retried first
    await tick(hass, freezer, QUICK_RETRY_DELAY + 1)
    assert state(hass).state == STATE_UNAVAILABLE
    assert token_requests(sim) == [503]  # the retry did not ask the endpoint again

    # Twenty minutes of polling every 30 s: refreshes are tried ever more seldom.
    attempts_at: list[float] = []
    elapsed = 0.0
    while elapsed < 20 * 60:
        await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
        elapsed += DEFAULT_PLAYING_INTERVAL + 1
        if len(token_requests(sim)) > len(attempts_at) + 1:
            attempts_at.append(elapsed)
        assert state(hass).state == STATE_UNAVAILABLE
    gaps = [b - a for a, b in itertools.pairwise(attempts_at)]
    assert 4 <= len(attempts_at) <= 8  # against ~40 polls
    assert gaps == sorted(gaps)
    assert all(first <= gap <= last + DEFAULT_PLAYING_INTERVAL + 1 for gap in gaps)
    assert not [r for r in sim.requests if r.path.startswith("/v1/")]  # no poll without a token

    sim.faults.clear()
    await tick(hass, freezer, last + DEFAULT_PLAYING_INTERVAL + 2)
    assert state(hass).state == STATE_PLAYING
    assert token_requests(sim)[-1] == 200
    assert alice.data["token"]["expires_at"] > EXPIRED["expires_at"]

    lines = reported(caplog)
    assert len(lines) == 2, lines
    assert lines[0].startswith("Error fetching Alice Example data")
    assert "503" in lines[0]
    assert lines[1] == "Fetching Alice Example data recovered"
    # The refresh is AuthClient's own request: HA logs no line per failed attempt, and the
    # integration notes each one at debug level only.
    assert not [r for r in caplog.records if "Token request for spotify_webapi" in r.message]
    noted = [r for r in caplog.records if r.name.endswith("refresh_backoff")]
    assert len(noted) >= len(attempts_at)
    assert all(r.levelno == logging.DEBUG for r in noted)
    assert alice.data["token"]["refresh_token"] not in caplog.text


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, "invalid_client"), (400, "invalid_request"), (400, "unauthorized_client")],
)
async def test_a_refusal_other_than_invalid_grant_leaves_the_stored_token_untouched(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    status: int,
    error: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    stored = dict(alice.data["token"])
    held = dict(alice.runtime_data.auth.Token)
    sim.fail_next("/api/token", status, error=error, description="Refused")

    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)

    assert token_requests(sim) == [status]
    assert alice.data["token"] == stored
    assert alice.runtime_data.auth.Token == held
    assert state(hass).state == STATE_UNAVAILABLE  # a refusal is not retried quietly
    flows = hass.config_entries.flow.async_progress_by_handler("spotify_webapi")
    assert [f["context"]["source"] for f in flows] == [SOURCE_REAUTH]
    # The refusal is explained once, at warning level, since the user must act.
    explained = [r for r in caplog.records if r.levelno >= logging.WARNING and error in r.message]
    assert len(explained) == 1, [r.message for r in explained]
    assert stored["refresh_token"] not in caplog.text


@pytest.mark.parametrize(
    ("status", "error"),
    [(408, None), (400, "server_error"), (400, "temporarily_unavailable"), (503, None)],
)
async def test_a_transient_token_endpoint_failure_keeps_the_token_and_starts_no_reauth(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    status: int,
    error: str | None,
) -> None:
    """An outage of the token endpoint is waited out: the user is not asked to sign in."""
    stored = dict(alice.data["token"])
    if error is None:
        sim.fail_next("/api/token", status, count=2)
    else:
        sim.fail_next("/api/token", status, count=2, error=error, description="Try later")

    await tick(hass, freezer, DEFAULT_PLAYING_INTERVAL + 1)
    await tick(hass, freezer, QUICK_RETRY_DELAY + 1)
    assert token_requests(sim) == [status]  # the second poll waits for the back-off
    assert alice.data["token"] == stored
    assert not hass.config_entries.flow.async_progress_by_handler("spotify_webapi")

    first, _ = TOKEN_RETRY_BACKOFF
    await tick(hass, freezer, first + DEFAULT_PLAYING_INTERVAL)
    await tick(hass, freezer, first * 2 + DEFAULT_PLAYING_INTERVAL)
    assert token_requests(sim)[:2] == [status, status]
    assert token_requests(sim)[-1] == 200
    assert alice.data["token"]["refresh_token"] == stored["refresh_token"]
    assert alice.data["token"]["access_token"] != stored["access_token"]
    assert not hass.config_entries.flow.async_progress_by_handler("spotify_webapi")
    assert state(hass).state == STATE_PLAYING


@pytest.mark.parametrize("lifetime", [{}, {"expires_in": "soon"}])
async def test_a_refresh_answer_without_a_usable_lifetime_lasts_an_hour(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry, lifetime: dict[str, str]
) -> None:
    """The old, expired expiry is never kept: the token would be refreshed on every call."""
    answer = {"access_token": "new-access", "token_type": "Bearer", **lifetime}
    sim.fail_next("/api/token", 200, body=json.dumps(answer).encode())
    implementation = alice.runtime_data.session.implementation
    before = time.time()

    token = await implementation.async_refresh_token(dict(alice.data["token"]))

    assert token["access_token"] == "new-access"
    assert token["refresh_token"] == alice.data["token"]["refresh_token"]  # kept
    assert token["expires_in"] == DEFAULT_TOKEN_LIFETIME
    assert before + DEFAULT_TOKEN_LIFETIME <= token["expires_at"] <= time.time() + 3600
