"""The config flow end to end: HA's real callback view, the simulator's accounts on loopback."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import config_entry_oauth2_flow

from custom_components.spotify_webapi.const import DOMAIN, SCOPES
from custom_components.spotify_webapi.feature_scopes import REQUESTED_SCOPES

from .conftest import REDIRECT_URI, complete_oauth, entry_for, setup_entry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("current_request_with_host", "setup_credentials")


async def start_user_flow(hass: HomeAssistant) -> dict[str, str]:
    """Start the flow; return the authorize URL's query after checking where it points."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.EXTERNAL_STEP
    return result


async def test_full_flow_creates_entry_for_the_account(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, sim: SpotifySimulator
) -> None:
    result = await start_user_flow(hass)
    url = urlsplit(result["url"])
    query = dict(parse_qsl(url.query))
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{sim.accounts_url}/authorize"
    assert query["response_type"] == "code"
    assert query["client_id"] == sim.DEFAULT_CLIENT_ID
    assert query["redirect_uri"] == REDIRECT_URI
    assert query["scope"] == " ".join(REQUESTED_SCOPES)
    assert query["code_challenge_method"] == "S256"
    assert 43 <= len(query["code_challenge"]) <= 128
    state = config_entry_oauth2_flow._decode_jwt(hass, query["state"])
    assert state == {"flow_id": result["flow_id"], "redirect_uri": REDIRECT_URI}

    sim.clear_requests()
    result = await complete_oauth(hass, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Alice Example"
    entry = result["result"]
    assert entry.unique_id == "alice"
    assert entry.data["auth_implementation"] == DOMAIN
    token = entry.data["token"]
    assert token["scope"] == " ".join(REQUESTED_SCOPES)
    assert token["access_token"] in sim.accounts.access_tokens
    assert token["refresh_token"] in sim.accounts.refresh_tokens
    # The code exchange carried the PKCE verifier and (still) the client secret.
    authorize, exchange, me, *_ = sim.requests
    assert (authorize.method, authorize.path, authorize.status) == ("GET", "/authorize", 302)
    assert (exchange.method, exchange.path) == ("POST", "/api/token")
    assert exchange.form is not None
    assert exchange.form["grant_type"] == "authorization_code"
    assert exchange.form["redirect_uri"] == REDIRECT_URI
    assert exchange.form["client_id"] == sim.DEFAULT_CLIENT_ID
    assert exchange.form["client_secret"] == sim.DEFAULT_CLIENT_SECRET
    assert 43 <= len(exchange.form["code_verifier"]) <= 128
    assert (me.method, me.path, me.status) == ("GET", "/v1/me", 200)
    assert me.headers["Authorization"] == f"Bearer {token['access_token']}"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_same_account_twice_aborts_but_another_account_is_added(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, sim: SpotifySimulator
) -> None:
    await setup_entry(hass, entry_for(sim, "alice"))

    result = await complete_oauth(hass, hass_client_no_auth, await start_user_flow(hass))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"

    sim.accounts.approve_as = "bob"
    result = await complete_oauth(hass, hass_client_no_auth, await start_user_flow(hass))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert (result["title"], result["result"].unique_id) == ("Bob Example", "bob")
    await hass.async_block_till_done()
    assert sorted(e.unique_id for e in hass.config_entries.async_entries(DOMAIN)) == [
        "alice",
        "bob",
    ]


async def test_grant_without_every_scope_aborts(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, sim: SpotifySimulator
) -> None:
    sim.accounts.grant_scope_override = " ".join(SCOPES[:-1])
    result = await complete_oauth(hass, hass_client_no_auth, await start_user_flow(hass))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "missing_scopes"
    assert not hass.config_entries.async_entries(DOMAIN)


async def test_premium_required_aborts_with_spotifys_explanation(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, sim: SpotifySimulator
) -> None:
    sim.premium_required = True
    result = await complete_oauth(hass, hass_client_no_auth, await start_user_flow(hass))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "premium_required"
    assert "Active premium subscription required" in result["description_placeholders"]["message"]


@pytest.mark.parametrize(
    ("status", "reason"), [(503, "connection_error"), (401, "oauth_unauthorized")]
)
async def test_profile_failure_aborts(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    sim: SpotifySimulator,
    status: int,
    reason: str,
) -> None:
    # After a 401 no refresh is possible for a brand-new token: nothing is retried.
    sim.fail_next("/v1/me", status)
    result = await complete_oauth(hass, hass_client_no_auth, await start_user_flow(hass))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    assert [r.status for r in sim.requests if r.path == "/v1/me"] == [status]


async def test_profile_without_id_aborts(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, sim: SpotifySimulator
) -> None:
    sim.fail_next("/v1/me", 200, body=b'{"display_name": "Nobody"}')
    result = await complete_oauth(hass, hass_client_no_auth, await start_user_flow(hass))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "connection_error"


async def test_refused_code_exchange_aborts(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, sim: SpotifySimulator
) -> None:
    sim.fail_next("/api/token", 401, error="invalid_client", description="Invalid client")
    result = await complete_oauth(hass, hass_client_no_auth, await start_user_flow(hass))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "oauth_unauthorized"


async def test_reauth_confirms_the_account_and_updates_the_entry(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, sim: SpotifySimulator
) -> None:
    entry = entry_for(sim)
    await setup_entry(hass, entry)
    old_token = entry.data["token"]

    result = await entry.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"]["account"] == "Alice Example"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await complete_oauth(hass, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.data["token"]["access_token"] != old_token["access_token"]
    assert entry.data["token"]["access_token"] in sim.accounts.access_tokens
    assert entry.state is ConfigEntryState.LOADED


async def test_reauth_with_another_account_aborts(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, sim: SpotifySimulator
) -> None:
    entry = entry_for(sim)
    await setup_entry(hass, entry)
    old_token = dict(entry.data["token"])
    sim.accounts.approve_as = "bob"

    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await complete_oauth(hass, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_account_mismatch"
    assert entry.data["token"] == old_token


async def test_reauth_after_credentials_changed_uses_the_available_ones(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, sim: SpotifySimulator
) -> None:
    entry = entry_for(sim)
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, "auth_implementation": "removed_credential"}
    )

    result = await entry.start_reauth_flow(hass)
    assert result["description_placeholders"]["account"] == "Alice Example"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    result = await complete_oauth(hass, hass_client_no_auth, result)

    assert result["reason"] == "reauth_successful"
    assert entry.data["auth_implementation"] == DOMAIN


async def test_reconfigure_authorizes_the_same_account_again(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, sim: SpotifySimulator
) -> None:
    entry = entry_for(sim)
    await setup_entry(hass, entry)
    old_access = entry.data["token"]["access_token"]

    result = await entry.start_reconfigure_flow(hass)
    result = await complete_oauth(hass, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.data["token"]["access_token"] != old_access
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.parametrize("source", ["reauth", "reconfigure"])
async def test_reauth_and_reconfigure_keep_the_title_the_user_gave(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    sim: SpotifySimulator,
    source: str,
) -> None:
    entry = entry_for(sim)
    await setup_entry(hass, entry)
    hass.config_entries.async_update_entry(entry, title="Kitchen Spotify")

    if source == "reauth":
        result = await entry.start_reauth_flow(hass)
        result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    else:
        result = await entry.start_reconfigure_flow(hass)
    result = await complete_oauth(hass, hass_client_no_auth, result)

    assert result["reason"] == f"{source}_successful"
    await hass.async_block_till_done()
    assert entry.title == "Kitchen Spotify"
    assert entry.state is ConfigEntryState.LOADED


async def test_reconfigure_with_another_account_aborts(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, sim: SpotifySimulator
) -> None:
    entry = entry_for(sim)
    await setup_entry(hass, entry)
    sim.accounts.approve_as = "carol"

    result = await entry.start_reconfigure_flow(hass)
    result = await complete_oauth(hass, hass_client_no_auth, result)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_account_mismatch"
    assert entry.unique_id == "alice"
