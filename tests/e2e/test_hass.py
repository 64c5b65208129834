"""One account's whole life in a real Home Assistant, which reports nothing about it.

Add, play, change options, lose the authorization and sign in again, reconfigure, restart,
remove; and Home Assistant's log has no usage problem or coming break of the integration.

`scripts/test --leg newest` runs this against the newest Home Assistant release.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components.media_player.const import MediaPlayerEntityFeature as Feature

from custom_components.spotify_webapi.const import DOMAIN
from custom_components.spotify_webapi.devices.remembered import storage_key
from custom_components.spotify_webapi.feature_scopes import REQUESTED_SCOPES
from tests.devserver.hass_api import HassClient
from tests.ha_reports import reports_in_log

from .conftest import (
    OWNER,
    STARTUP_TIMEOUT,
    StartHass,
    approve_on_consent_page,
    onboarded_owner,
    query_of,
    wait_for,
)

if TYPE_CHECKING:
    import aiohttp

    from tests.devserver.hass import HassProcess
    from tests.simulator import LoggedRequest, SpotifySimulator

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

# Short token lifetimes make HA refresh (and so use the revoked refresh token) within the
# test. HA refreshes 20 s before expiry; AuthClient asks HA for a new token from 60 s before,
# and the config flow, which may not refresh, needs a token good for longer than that.
FIRST_TOKEN_LIFETIME = 65  # HA's first refresh comes 45 s after the flow
LATER_TOKEN_LIFETIME = 21  # from then on, HA refreshes on nearly every request


def offers(state: dict[str, Any], expected: str, feature: Feature) -> bool:
    """Whether the entity is in the expected state and offers the feature."""
    features = Feature(state["attributes"].get("supported_features", 0))
    return state["state"] == expected and feature in features


def is_playing(sim: SpotifySimulator) -> bool | None:
    """Whether Alice's simulated player plays (None: nothing loaded)."""
    playback = sim.player("alice").playback
    return None if playback is None else playback.is_playing


def token_requests(sim: SpotifySimulator, grant_type: str) -> list[LoggedRequest]:
    """What the simulator's token endpoint received for one grant type."""
    return [
        r
        for r in sim.requests
        if r.path == "/api/token" and (r.form or {}).get("grant_type") == grant_type
    ]


async def create_credentials(ha: HassClient, sim: SpotifySimulator) -> dict[str, Any]:
    """The simulator's app as application credentials, created over the websocket."""
    created: dict[str, Any] = await ha.ws(  # type: ignore[assignment]
        {
            "type": "application_credentials/create",
            "domain": DOMAIN,
            "client_id": sim.DEFAULT_CLIENT_ID,
            "client_secret": sim.DEFAULT_CLIENT_SECRET,
            "name": "Simulator app",
        }
    )
    return created


async def entry_loaded(ha: HassClient, entry_id: str, after: str) -> None:
    """Wait until the account's entry, and only it, is loaded."""
    await wait_for(
        f"the entry to load after {after}",
        lambda: ha.entries(DOMAIN),
        lambda found: [(e["entry_id"], e["state"]) for e in found] == [(entry_id, "loaded")],
    )


async def add_account(
    ha: HassClient, http: aiohttp.ClientSession, sim: SpotifySimulator, hass_url: str
) -> dict[str, Any]:
    """Credentials over the websocket, then the config flow through the consent page."""
    await create_credentials(ha, sim)
    flow = await ha.rest(
        "POST",
        "/api/config/config_entries/flow",
        {"handler": DOMAIN, "show_advanced_options": False},
    )
    assert (flow["type"], flow["step_id"]) == ("external", "auth")
    authorize = query_of(flow["url"])
    callback = f"{hass_url}/auth/external/callback"
    assert flow["url"].startswith(f"{sim.accounts_url}/authorize?")
    assert authorize["client_id"] == sim.DEFAULT_CLIENT_ID
    assert authorize["redirect_uri"] == callback
    assert authorize["response_type"] == "code"
    assert authorize["code_challenge_method"] == "S256"
    assert authorize["scope"].split() == list(REQUESTED_SCOPES)

    redirect = await approve_on_consent_page(http, flow["url"], sim)
    assert redirect.startswith(f"{callback}?")
    assert query_of(redirect)["state"] == authorize["state"]
    async with http.get(redirect) as back:
        assert back.status == 200
        assert "window.close()" in await back.text()

    done: dict[str, Any] = await ha.rest(
        "POST", f"/api/config/config_entries/flow/{flow['flow_id']}", {}
    )
    assert done["type"] == "create_entry", done
    assert done["title"] == sim.users["alice"].display_name
    exchange = token_requests(sim, "authorization_code")
    assert len(exchange) == 1
    assert exchange[0].status == 200
    assert exchange[0].form is not None
    assert exchange[0].form["redirect_uri"] == callback
    assert exchange[0].form["code_verifier"]
    return done


async def the_player(ha: HassClient) -> str:
    """The entity id HA gave the account's media player (beside its event and switch)."""
    registry = await ha.ws({"type": "config/entity_registry/list"})
    ours = sorted(e["entity_id"].split(".")[0] for e in registry if e["platform"] == DOMAIN)
    assert ours == ["event", "media_player", "switch"]
    players = [
        e["entity_id"]
        for e in registry
        if e["platform"] == DOMAIN and e["entity_id"].startswith("media_player.")
    ]
    return str(players[0])


# The settings an options change stores, and a restart must keep.
NEW_SETTINGS = {"playing_interval": 20, "idle_interval": 120, "show_restricted_devices": False}


async def test_account_lifecycle_through_a_real_hass(
    e2e_sim: SpotifySimulator, start_hass: StartHass, http: aiohttp.ClientSession
) -> None:
    sim = e2e_sim
    first_hass = await start_hass()
    ha = await onboarded_owner(http, first_hass)
    sim.accounts.access_token_lifetime = FIRST_TOKEN_LIFETIME
    done = await add_account(ha, http, sim, first_hass.url)
    sim.accounts.access_token_lifetime = LATER_TOKEN_LIFETIME
    entries = await ha.entries(DOMAIN)
    entry_id = done["result"]["entry_id"]
    assert [(e["entry_id"], e["state"]) for e in entries] == [(entry_id, "loaded")]
    player = await the_player(ha)
    assert (await ha.state(player))["state"] == "playing"  # the simulator seeds Alice playing

    await pause_and_play(ha, sim, player)
    await select_source(ha, sim, player, "Living Room")
    await play_album(ha, sim, player)
    await change_options(ha, entry_id)
    await lose_authorization(ha, sim, player, entry_id)
    # A flow checks its new token without refreshing it: one that lives long enough.
    sim.accounts.access_token_lifetime = FIRST_TOKEN_LIFETIME
    await sign_in_again(ha, http, sim, first_hass.url, entry_id)
    await reconfigure(ha, http, sim, first_hass.url, entry_id)

    await ha.close()
    assert await first_hass.stop() == 0  # HA writes its stores on a clean stop
    second_hass = await start_hass(restart=first_hass)
    ha = await signed_in_owner(http, second_hass)
    await entry_loaded(ha, entry_id, "the restart")
    assert await settings_shown(ha, entry_id) == NEW_SETTINGS
    assert (await ha.state(player))["state"] in {"playing", "paused"}
    await remove_account(ha, entry_id)

    assert await second_hass.stop() == 0
    assert_nothing_left(second_hass, sim, entry_id)
    for process in (first_hass, second_hass):
        assert_no_secret_logged(process, sim)
        assert_nothing_reported(process)


async def signed_in_owner(http: aiohttp.ClientSession, process: HassProcess) -> HassClient:
    """The owner, signed in again to a hass that was onboarded before a restart."""
    client = HassClient(http, process.url)
    await client.wait_until_up(STARTUP_TIMEOUT, process.child)
    await client.login(OWNER[1], OWNER[2])
    await client.wait_until_running(STARTUP_TIMEOUT)
    return client


async def settings_shown(ha: HassClient, entry_id: str) -> dict[str, Any]:
    """The general settings the options form shows (then closed without a change)."""
    flow = await ha.rest("POST", "/api/config/config_entries/options/flow", {"handler": entry_id})
    assert flow["type"] == "menu"
    form = await ha.rest(
        "POST",
        f"/api/config/config_entries/options/flow/{flow['flow_id']}",
        {"next_step_id": "settings"},
    )
    assert (form["type"], form["step_id"]) == ("form", "settings")
    shown = {field["name"]: field.get("default") for field in form["data_schema"]}
    await ha.rest("DELETE", f"/api/config/config_entries/options/flow/{flow['flow_id']}")
    return {name: shown[name] for name in NEW_SETTINGS}


async def change_options(ha: HassClient, entry_id: str) -> None:
    """The general settings change through the options flow, without a reload."""
    flow = await ha.rest("POST", "/api/config/config_entries/options/flow", {"handler": entry_id})
    await ha.rest(
        "POST",
        f"/api/config/config_entries/options/flow/{flow['flow_id']}",
        {"next_step_id": "settings"},
    )
    done = await ha.rest(
        "POST", f"/api/config/config_entries/options/flow/{flow['flow_id']}", NEW_SETTINGS
    )
    assert done["type"] == "create_entry", done
    assert await settings_shown(ha, entry_id) == NEW_SETTINGS
    assert [e["state"] for e in await ha.entries(DOMAIN)] == ["loaded"]


async def authorize_through_the_consent_page(
    ha: HassClient, http: aiohttp.ClientSession, sim: SpotifySimulator, flow: dict[str, Any]
) -> dict[str, Any]:
    """From a flow's external step: agree at the simulator, come back, finish the flow."""
    assert flow["type"] == "external", flow
    redirect = await approve_on_consent_page(http, flow["url"], sim)
    async with http.get(redirect) as back:
        assert back.status == 200
    done: dict[str, Any] = await ha.rest(
        "POST", f"/api/config/config_entries/flow/{flow['flow_id']}", {}
    )
    return done


async def sign_in_again(
    ha: HassClient, http: aiohttp.ClientSession, sim: SpotifySimulator, hass_url: str, entry_id: str
) -> None:
    """The reauth flow HA started is completed: the entry loads again, the player plays on."""
    [reauth] = [f for f in await ha.flows_in_progress() if f["handler"] == DOMAIN]
    external = await ha.rest("POST", f"/api/config/config_entries/flow/{reauth['flow_id']}", {})
    assert query_of(external["url"])["redirect_uri"] == f"{hass_url}/auth/external/callback"
    done = await authorize_through_the_consent_page(ha, http, sim, external)
    assert (done["type"], done["reason"]) == ("abort", "reauth_successful"), done
    await entry_loaded(ha, entry_id, "the reauth")
    assert not await ha.flows_in_progress()


async def reconfigure(
    ha: HassClient, http: aiohttp.ClientSession, sim: SpotifySimulator, hass_url: str, entry_id: str
) -> None:
    """Reconfigure signs the same account in again, and the entry loads with the new token."""
    exchanges = len(token_requests(sim, "authorization_code"))
    flow = await ha.rest(
        "POST", "/api/config/config_entries/flow", {"handler": DOMAIN, "entry_id": entry_id}
    )
    done = await authorize_through_the_consent_page(ha, http, sim, flow)
    assert (done["type"], done["reason"]) == ("abort", "reconfigure_successful"), done
    assert len(token_requests(sim, "authorization_code")) == exchanges + 1
    await entry_loaded(ha, entry_id, "the reconfigure")


def hass_log(process: HassProcess) -> list[str]:
    """What hass printed and wrote to its log file."""
    assert process.child.output is not None
    logs = [process.child.output, process.config_dir / "home-assistant.log"]
    return [
        line
        for path in logs
        if path.exists()
        for line in path.read_text(errors="replace").splitlines()
    ]


def assert_nothing_reported(process: HassProcess) -> None:
    """HA logged no usage problem of the integration, and no break it announces for it."""
    assert reports_in_log(hass_log(process)) == []


async def pause_and_play(ha: HassClient, sim: SpotifySimulator, player: str) -> None:
    """media_pause and media_play reach the simulator, and the entity follows."""
    await ha.call_service("media_player", "media_pause", {"entity_id": player})
    assert is_playing(sim) is False
    # The entity shows the command's result at once, and offers the opposite button at once
    # (Spotify's disallowed actions still say "resuming" until the next poll).
    assert offers(await ha.state(player), "paused", Feature.PLAY)

    await ha.call_service("media_player", "media_play", {"entity_id": player})
    assert is_playing(sim) is True
    assert offers(await ha.state(player), "playing", Feature.PAUSE)


async def select_source(ha: HassClient, sim: SpotifySimulator, player: str, target: str) -> None:
    """select_source moves playback to the named Connect device."""
    state = await ha.state(player)
    assert target in state["attributes"]["source_list"]
    assert state["attributes"]["source"] != target
    await ha.call_service("media_player", "select_source", {"entity_id": player, "source": target})
    alice = sim.player("alice")
    assert alice.active is not None
    assert alice.active.name == target
    assert alice.playback is not None
    assert alice.playback.is_playing
    await wait_for(
        "the new source",
        lambda: ha.state(player),
        lambda s: s["attributes"].get("source") == target,
    )


async def play_album(ha: HassClient, sim: SpotifySimulator, player: str) -> None:
    """play_media with an album URI starts that album; the entity shows it."""
    album = next(iter(sim.world.catalogue.albums.values()))
    album_uri = f"spotify:album:{album.id}"
    source = (await ha.state(player))["attributes"]["source"]
    sim.clear_requests()
    await ha.call_service(
        "media_player",
        "play_media",
        {"entity_id": player, "media_content_id": album_uri, "media_content_type": "album"},
    )
    plays = [r for r in sim.requests if (r.method, r.path) == ("PUT", "/v1/me/player/play")]
    assert len(plays) == 1
    assert plays[0].json == {"context_uri": album_uri}
    alice = sim.player("alice")
    assert alice.playback is not None
    assert alice.playback.context_uri == album_uri
    assert alice.playback.is_playing
    state = await wait_for(
        "the album to show",
        lambda: ha.state(player),
        lambda s: s["attributes"].get("media_album_name") == album.name,
    )
    assert state["state"] == "playing"
    assert state["attributes"]["source"] == source


async def lose_authorization(
    ha: HassClient, sim: SpotifySimulator, player: str, entry_id: str
) -> None:
    """After a good refresh, the refresh token is revoked: HA starts a reauth flow."""

    async def refreshes() -> list[LoggedRequest]:
        await ha.call_service("homeassistant", "update_entity", {"entity_id": player})
        return token_requests(sim, "refresh_token")

    refreshed = await wait_for("a token refresh", refreshes, lambda found: len(found) > 0, 75)
    assert all(r.status == 200 for r in refreshed)
    assert not await ha.flows_in_progress()

    sim.revoke_refresh_tokens("alice")

    async def reauth_flows() -> list[dict[str, Any]]:
        await ha.call_service("homeassistant", "update_entity", {"entity_id": player})
        return [f for f in await ha.flows_in_progress() if f["handler"] == DOMAIN]

    flows = await wait_for("a reauth flow", reauth_flows, lambda found: len(found) > 0, 60)
    assert [(f["context"]["source"], f["step_id"]) for f in flows] == [("reauth", "reauth_confirm")]
    assert flows[0]["context"]["entry_id"] == entry_id
    refused = [r for r in token_requests(sim, "refresh_token") if r.status == 400]
    assert refused


async def remove_account(ha: HassClient, entry_id: str) -> None:
    """Deleting the entry takes its entity and its reauth flow with it."""
    removed = await ha.rest("DELETE", f"/api/config/config_entries/entry/{entry_id}")
    assert removed == {"require_restart": False}
    assert await ha.entries(DOMAIN) == []
    assert [f for f in await ha.flows_in_progress() if f["handler"] == DOMAIN] == []
    registry = await ha.ws({"type": "config/entity_registry/list"})
    assert all(e["platform"] != DOMAIN for e in registry)
    await ha.close()


def _store(live_hass: HassProcess, key: str) -> dict[str, Any]:
    path = live_hass.config_dir / ".storage" / key
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text())["data"]
    return data


def assert_nothing_left(live_hass: HassProcess, sim: SpotifySimulator, entry_id: str) -> None:
    """No entry, entity, device, issue or token of the account in .storage."""
    assert all(e["domain"] != DOMAIN for e in _store(live_hass, "core.config_entries")["entries"])
    entities = _store(live_hass, "core.entity_registry")
    assert all(e["platform"] != DOMAIN for e in entities["entities"])
    # HA keeps a tombstone of deleted entities (to reuse an entity id); it must be orphaned.
    assert all(
        e.get("config_entry_id") is None
        for e in entities.get("deleted_entities", [])
        if e["platform"] == DOMAIN
    )
    devices = _store(live_hass, "core.device_registry")
    for device in [*devices["devices"], *devices.get("deleted_devices", [])]:
        assert entry_id not in entries_of_device(device)
    issues = _store(live_hass, "repairs.issue_registry").get("issues", [])
    assert all(i["domain"] != DOMAIN for i in issues)
    assert not (live_hass.config_dir / ".storage" / storage_key(entry_id)).exists()

    secrets = issued_secrets(sim)
    for path in (live_hass.config_dir / ".storage").iterdir():
        text = path.read_text(errors="replace")
        assert not [s for s in secrets if s in text], f"a token of the account is left in {path}"
    # The user's app registration is theirs to delete (Settings > Application credentials).
    credentials = _store(live_hass, "application_credentials")["items"]
    assert [c["client_id"] for c in credentials] == [sim.DEFAULT_CLIENT_ID]


def entries_of_device(device: dict[str, Any]) -> set[str]:
    """The config entries a stored device belongs to, in any of the formats HA has written.

    A list in `config_entries`, a mapping to sub-entries in `config_entries_subentries`, or
    one `config_entry_id` (deleted devices of some releases); none at all is a new format.
    """
    keys = ("config_entries", "config_entries_subentries", "config_entry_id")
    assert any(key in device for key in keys), f"unknown device format: {sorted(device)}"
    found = set(device.get("config_entries") or ())
    found.update(device.get("config_entries_subentries") or {})
    if device.get("config_entry_id"):
        found.add(device["config_entry_id"])
    return found


def issued_secrets(sim: SpotifySimulator) -> list[str]:
    """Every token and code the simulator handed out."""
    accounts = sim.accounts
    return [*accounts.access_tokens, *accounts.refresh_tokens, *accounts.codes]


def assert_no_secret_logged(live_hass: HassProcess, sim: SpotifySimulator) -> None:
    """The integration logged at debug level, and no token, code or secret."""
    text = "\n".join(hass_log(live_hass))
    assert "[custom_components.spotify_webapi" in text  # debug lines were written
    secrets = [*issued_secrets(sim), sim.DEFAULT_CLIENT_SECRET]
    assert len(secrets) > 3
    assert [s[:6] for s in secrets if s in text] == []
