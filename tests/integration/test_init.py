"""Setup, token refresh through HA, failure mapping, repairs and unload, against the simulator."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from aiohttp.resolver import AsyncResolver
from homeassistant import exceptions as ha_exceptions
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import Platform
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.config_entry_oauth2_flow import async_add_implementation_provider
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.spotify_webapi import PLATFORMS
from custom_components.spotify_webapi.const import (
    DEFAULT_PLAYING_INTERVAL,
    DOMAIN,
    REFUSED_RETRY_INTERVAL,
    SCOPES,
)
from custom_components.spotify_webapi.data import SpotifyWebApiData
from custom_components.spotify_webapi.oauthcli.tokenstore import MemoryTokenStore
from custom_components.spotify_webapi.oauthcli.urls import ENV_API_URL

from .conftest import entry_for, setup_entry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

EXPIRED = {"expires_at": 1_000_000.0}


def reauth_flows(hass: HomeAssistant) -> list[str]:
    """The entry ids of reauth flows in progress."""
    return [
        flow["context"]["entry_id"]
        for flow in hass.config_entries.flow.async_progress()
        if flow["context"]["source"] == SOURCE_REAUTH
    ]


async def test_setup_verifies_the_connection_and_keeps_runtime_data(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)

    assert config_entry.state is ConfigEntryState.LOADED
    assert PLATFORMS == [Platform.EVENT, Platform.MEDIA_PLAYER, Platform.SWITCH]
    data = config_entry.runtime_data
    assert isinstance(data, SpotifyWebApiData)
    assert data.auth.Session is async_get_clientsession(hass)
    assert isinstance(data.auth._token_store, MemoryTokenStore)
    assert data.auth.Token == config_entry.data["token"]
    assert data.coordinator.data.user.id == "alice"
    # The profile (the connection test) and the devices once, then the first poll, which
    # reads the name of the playlist Alice is playing; the library switch asks whether the
    # track playing is saved.
    playlist_path = f"/v1/playlists/{sim.player('alice').playback.context_uri.split(':')[-1]}"
    assert [(r.method, r.path, r.status) for r in sim.requests] == [
        ("GET", "/v1/me", 200),
        ("GET", "/v1/me/player/devices", 200),
        ("GET", "/v1/me/player", 200),
        ("GET", playlist_path, 200),
        ("GET", "/v1/me/library/contains", 200),
    ]
    token = config_entry.data["token"]["access_token"]
    assert {r.headers["Authorization"] for r in sim.requests} == {f"Bearer {token}"}


async def test_expired_token_is_refreshed_by_ha_and_persisted_in_the_entry(
    hass: HomeAssistant, sim: SpotifySimulator
) -> None:
    entry = entry_for(sim, **EXPIRED)
    old = dict(entry.data["token"])

    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    refresh, *api = sim.requests
    assert (refresh.method, refresh.path, refresh.status) == ("POST", "/api/token", 200)
    assert refresh.form is not None
    assert refresh.form["grant_type"] == "refresh_token"
    assert refresh.form["refresh_token"] == old["refresh_token"]
    new = entry.data["token"]
    assert new["access_token"] != old["access_token"]
    assert new["refresh_token"] == old["refresh_token"]  # Spotify omitted it: the old one stays
    assert [r.path for r in api][:3] == ["/v1/me", "/v1/me/player/devices", "/v1/me/player"]
    assert {r.headers["Authorization"] for r in api} == {f"Bearer {new['access_token']}"}
    assert entry.runtime_data.auth.Token == new


async def test_revoked_refresh_token_at_setup_starts_reauth(
    hass: HomeAssistant, sim: SpotifySimulator
) -> None:
    entry = entry_for(sim, **EXPIRED)
    sim.revoke_refresh_tokens()

    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert reauth_flows(hass) == [entry.entry_id]
    assert [r.path for r in sim.requests] == ["/api/token"]


@pytest.mark.parametrize(
    ("path", "status", "expired"),
    [
        ("/api/token", 503, True),
        ("/api/token", 429, True),
        ("/v1/me", 500, False),
        ("/v1/me", 429, False),
    ],
)
async def test_transient_failure_at_setup_retries(
    hass: HomeAssistant, sim: SpotifySimulator, path: str, status: int, expired: bool
) -> None:
    entry = entry_for(sim, **(EXPIRED if expired else {}))
    sim.fail_next(path, status, retry_after=1 if status == 429 else None)

    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert not reauth_flows(hass)
    assert [(r.path, r.status) for r in sim.requests] == [(path, status)]


async def test_unreachable_spotify_at_setup_retries(
    hass: HomeAssistant, sim: SpotifySimulator
) -> None:
    entry = entry_for(sim)
    await sim.stop()  # connection refused from now on

    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert not reauth_flows(hass)


async def test_missing_scopes_start_one_reauth_that_names_them(
    hass: HomeAssistant, sim: SpotifySimulator
) -> None:
    entry = entry_for(sim, scope="user-read-private user-read-email")

    await setup_entry(hass, entry)

    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert reauth_flows(hass) == [entry.entry_id]
    assert not sim.requests
    lacking = ", ".join(s for s in SCOPES if s != "user-read-private")
    assert entry.reason is not None
    assert lacking in entry.reason
    # One way out: the reauth flow says what is missing; no repair issue repeats it.
    assert not [i for i in ir.async_get(hass).issues.values() if i.domain == DOMAIN]
    (flow,) = hass.config_entries.flow.async_progress()
    result = await hass.config_entries.flow.async_configure(flow["flow_id"])
    assert result["step_id"] == "reauth_scopes"
    placeholders = result["description_placeholders"]
    assert (placeholders["account"], placeholders["scopes"]) == ("Alice Example", lacking)

    # A superset of the scopes is fine.
    full = sim.issue_token("alice", scope=" ".join([*SCOPES, "streaming"]))
    hass.config_entries.async_update_entry(entry, data={**entry.data, "token": full})
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_premium_required_raises_a_fixable_issue_not_a_retry_loop(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    assert await async_setup_component(hass, "repairs", {})
    sim.premium_required = True

    await setup_entry(hass, config_entry)

    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    assert not reauth_flows(hass)
    issue_id = f"premium_required_{config_entry.entry_id}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_placeholders is not None
    assert "Active premium subscription required" in issue.translation_placeholders["message"]

    # The user fixes it at Spotify, then confirms the repair: the entry loads again.
    sim.premium_required = False
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    assert result["step_id"] == "confirm"
    assert result["description_placeholders"]["account"] == "Alice Example"
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] == "create_entry"
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_removed_credentials_start_the_reauth_that_picks_others(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, "auth_implementation": "removed"}
    )

    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()

    # HA 2025.4 raises a ValueError (we start the reauth), 2026 an auth failure of its own.
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    assert reauth_flows(hass) == [config_entry.entry_id]
    assert not sim.requests


async def test_polling_failure_logs_once_and_recovers(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinator
    sim.fail_next("/v1/me/player", 503, count=3)
    caplog.set_level(logging.INFO, logger="custom_components.spotify_webapi")

    await next_poll(hass, config_entry)
    assert coordinator.last_update_success  # one failure is retried quickly, quietly
    for _ in range(2):
        await next_poll(hass, config_entry)
        assert not coordinator.last_update_success
    await next_poll(hass, config_entry)

    assert coordinator.last_update_success
    assert config_entry.state is ConfigEntryState.LOADED
    messages = [r.getMessage() for r in caplog.records if r.name.startswith("custom_components")]
    assert len([m for m in messages if m.startswith("Error fetching")]) == 1
    assert len([m for m in messages if m.endswith("data recovered")]) == 1
    statuses = [r.status for r in sim.requests if r.path == "/v1/me/player"]
    assert statuses == [200, 503, 503, 503, 200]


def expire_token(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Make the stored token and AuthClient's copy of it expired, as if hours had passed."""
    token = {**entry.data["token"], **EXPIRED}
    hass.config_entries.async_update_entry(entry, data={**entry.data, "token": token})
    entry.runtime_data.auth.Token = token


async def next_poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Let the coordinator's timer fire once."""
    interval = entry.runtime_data.coordinator.update_interval
    assert interval is not None
    async_fire_time_changed(hass, dt_util.utcnow() + interval)
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_polling_refreshes_through_ha_then_reauths_when_revoked(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinator
    first = config_entry.data["token"]["access_token"]

    # The token expired: HA refreshes it for AuthClient and stores it in the entry.
    expire_token(hass, config_entry)
    await next_poll(hass, config_entry)
    assert coordinator.last_update_success
    second = config_entry.data["token"]["access_token"]
    assert second != first
    assert config_entry.runtime_data.auth.Token["access_token"] == second

    # Expired again, and the user revoked the app meanwhile: reauth starts.
    sim.revoke_refresh_tokens()
    expire_token(hass, config_entry)
    await next_poll(hass, config_entry)
    assert not coordinator.last_update_success
    assert reauth_flows(hass) == [config_entry.entry_id]
    assert config_entry.data["token"]["access_token"] == second
    assert [(r.path, r.status) for r in sim.requests][-1] == ("/api/token", 400)


async def test_unload_and_remove_leave_nothing_behind(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinator
    ir.async_create_issue(
        hass,
        DOMAIN,
        f"premium_required_{config_entry.entry_id}",
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="premium_required",
    )

    assert await hass.config_entries.async_unload(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.NOT_LOADED
    assert coordinator._unsub_refresh is None
    assert not async_get_clientsession(hass).closed  # HA's shared session is not ours to close

    await hass.config_entries.async_remove(config_entry.entry_id)
    await hass.async_block_till_done()
    assert not hass.config_entries.async_entries(DOMAIN)
    assert not [i for i in ir.async_get(hass).issues.values() if i.domain == DOMAIN]


async def test_unreachable_token_endpoint_while_polling_is_transient(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinator
    expire_token(hass, config_entry)
    await sim.stop()

    await next_poll(hass, config_entry)
    assert coordinator.last_update_success  # kept through one quick retry
    await next_poll(hass, config_entry)

    assert not coordinator.last_update_success
    assert not reauth_flows(hass)
    assert config_entry.state is ConfigEntryState.LOADED


async def test_a_token_spotify_refuses_early_is_refreshed_not_reauthed(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinator
    first = config_entry.data["token"]["access_token"]
    # Spotify stops accepting the access token although HA's clock says it is valid.
    sim.expire_access_tokens()
    sim.clear_requests()

    await next_poll(hass, config_entry)

    assert coordinator.last_update_success
    assert not reauth_flows(hass)
    assert [(r.path, r.status) for r in sim.requests][:3] == [
        ("/v1/me/player", 401),
        ("/api/token", 200),
        ("/v1/me/player", 200),
    ]
    assert sim.requests[1].form["grant_type"] == "refresh_token"
    second = config_entry.data["token"]["access_token"]
    assert second != first
    assert config_entry.runtime_data.auth.Token["access_token"] == second
    assert config_entry.runtime_data.auth.RejectedAccessToken is None


async def test_a_401_forced_refresh_racing_has_expiry_refresh_sends_one_token_request(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)
    data = config_entry.runtime_data
    first = config_entry.data["token"]["access_token"]
    # By HA's clock the stored token has expired; AuthClient's copy still looks fresh, and
    # Spotify refuses it: a poll meets a 401 while HA's own refresh is under way.
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, "token": {**config_entry.data["token"], **EXPIRED}}
    )
    sim.expire_access_tokens()
    sim.fail_next("/api/token", None, delay=0.3)
    sim.clear_requests()

    await asyncio.gather(data.session.async_ensure_token_valid(), data.coordinator.async_refresh())

    assert [(r.path, r.status) for r in sim.requests if r.path == "/api/token"] == [
        ("/api/token", 200)
    ]
    assert data.coordinator.last_update_success
    assert not reauth_flows(hass)
    second = config_entry.data["token"]["access_token"]
    assert second != first
    assert data.auth.Token["access_token"] == second
    assert [(r.path, r.status) for r in sim.requests if r.path == "/v1/me/player"] == [
        ("/v1/me/player", 401),
        ("/v1/me/player", 200),
    ]


async def test_concurrent_401s_refresh_once_through_ha(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)
    data = config_entry.runtime_data
    sim.expire_access_tokens()
    sim.fail_next("/api/token", None, delay=0.2)
    sim.clear_requests()

    await asyncio.gather(data.api.get_playback_state(), data.api.get_devices())

    assert [r.status for r in sim.requests if r.path == "/api/token"] == [200]
    assert not reauth_flows(hass)
    assert config_entry.data["token"]["access_token"] == data.auth.Token["access_token"]


async def test_a_refusal_after_setup_raises_the_issue_backs_off_and_recovers_by_itself(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    await setup_entry(hass, config_entry)
    coordinator = config_entry.runtime_data.coordinator
    issue_id = f"premium_required_{config_entry.entry_id}"
    sim.premium_required = True  # e.g. the account was taken off the app's user list
    sim.clear_requests()

    await next_poll(hass, config_entry)

    assert [(r.path, r.status) for r in sim.requests] == [("/v1/me/player", 403)]
    assert hass.states.get("media_player.spotify_alice_example").state == "unavailable"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    assert config_entry.state is ConfigEntryState.LOADED
    assert not reauth_flows(hass)
    assert coordinator.update_interval == timedelta(seconds=REFUSED_RETRY_INTERVAL)
    # Nothing is asked at the usual pace meanwhile.
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=REFUSED_RETRY_INTERVAL / 2))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert len(sim.requests) == 1

    # Spotify accepts the account again: the next try brings the entity and the pace back.
    sim.premium_required = False
    await next_poll(hass, config_entry)
    assert hass.states.get("media_player.spotify_alice_example").state == "playing"
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert coordinator.update_interval <= timedelta(seconds=DEFAULT_PLAYING_INTERVAL)


async def test_credentials_whose_provider_is_down_retry_setup(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    # HA 2026 raises ImplementationUnavailableError (a ConfigEntryNotReady); 2025.4 lets a
    # provider's own failure through.
    unavailable = getattr(ha_exceptions, "ImplementationUnavailableError", HomeAssistantError)

    async def provider_down(hass: HomeAssistant, domain: str) -> list[Any]:
        raise unavailable("the cloud is unreachable")

    async_add_implementation_provider(hass, "cloud_for_test", provider_down)
    config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        config_entry, data={**config_entry.data, "auth_implementation": "cloud_for_test"}
    )

    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()

    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert not reauth_flows(hass)
    assert not sim.requests


def own_resolver(hass: HomeAssistant) -> AsyncResolver:
    """An aiodns resolver for one hass (HA 2026 closes it by ``real_close`` at stop)."""
    resolver = AsyncResolver()
    resolver.real_close = resolver.close  # type: ignore[attr-defined]
    return resolver


async def test_spotify_is_reached_by_name_through_has_resolver(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # HA's shared session resolves names with aiodns on pycares: a pair that cannot work
    # together raises on every lookup, so this entry could not load.
    monkeypatch.setenv(ENV_API_URL, sim.api_url.replace("//127.0.0.1:", "//localhost:"))
    # The harness hands every test one session-wide aiodns resolver, which the first hass to
    # stop closes; this test gets a resolver of the same kind of its own.
    with patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver", side_effect=own_resolver
    ):
        await setup_entry(hass, config_entry)

    assert config_entry.state is ConfigEntryState.LOADED
    assert [r.path for r in sim.requests][:2] == ["/v1/me", "/v1/me/player/devices"]
