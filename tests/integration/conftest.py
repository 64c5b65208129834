"""Fixtures for the Home Assistant side: credentials, entries and the OAuth dance on loopback."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import aiohttp
import pytest
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.spotify_webapi.const import DOMAIN
from custom_components.spotify_webapi.feature_scopes import REQUESTED_SCOPES
from custom_components.spotify_webapi.oauthcli.urls import ENV_ACCOUNTS_URL, ENV_API_URL

if TYPE_CHECKING:
    from homeassistant.config_entries import ConfigFlowResult
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

    from tests.simulator import SpotifySimulator

REDIRECT_URI = "https://example.com/auth/external/callback"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let HA load the project's custom integration."""


@pytest.fixture
async def sim(simulator: SpotifySimulator, monkeypatch: pytest.MonkeyPatch) -> SpotifySimulator:
    """The simulator, with the real code pointed at it through the environment."""
    monkeypatch.setenv(ENV_ACCOUNTS_URL, simulator.accounts_url)
    monkeypatch.setenv(ENV_API_URL, simulator.api_url)
    return simulator


@pytest.fixture
async def setup_credentials(hass: HomeAssistant, sim: SpotifySimulator) -> None:
    """The simulator's app registered as the user's application credentials."""
    assert await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass,
        DOMAIN,
        ClientCredential(sim.DEFAULT_CLIENT_ID, sim.DEFAULT_CLIENT_SECRET, "Simulator app"),
        DOMAIN,
    )


def entry_for(sim: SpotifySimulator, user_id: str = "alice", **token: Any) -> MockConfigEntry:
    """A config entry holding a token the simulator really issued to ``user_id``."""
    issued = sim.issue_token(user_id, scope=" ".join(REQUESTED_SCOPES))
    issued.update(token)
    return MockConfigEntry(
        domain=DOMAIN,
        title=sim.users[user_id].display_name,
        unique_id=user_id,
        data={"auth_implementation": DOMAIN, "token": issued},
    )


@pytest.fixture
def config_entry(sim: SpotifySimulator) -> MockConfigEntry:
    """Alice's entry, with a fresh token."""
    return entry_for(sim)


async def setup_entry(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Add ``entry`` and let HA set it up (whatever the outcome)."""
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def approve_at_spotify(authorize_url: str) -> dict[str, str]:
    """Follow the authorize URL to the simulator; return the redirect's query (code, state)."""
    async with (
        aiohttp.ClientSession() as browser,
        browser.get(authorize_url, allow_redirects=False) as resp,
    ):
        assert resp.status == 302, await resp.text()
        location = resp.headers["Location"]
    assert location.startswith(REDIRECT_URI + "?")
    return dict(parse_qsl(urlsplit(location).query))


async def complete_oauth(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    result: ConfigFlowResult,
) -> ConfigFlowResult:
    """From the external step: approve at the simulator, return through HA's callback view."""
    assert result["type"] == "external"
    redirect = await approve_at_spotify(result["url"])
    client = await hass_client_no_auth()
    resp = await client.get("/auth/external/callback", params=redirect)
    assert resp.status == 200
    assert resp.headers["content-type"].startswith("text/html")
    return await hass.config_entries.flow.async_configure(result["flow_id"])
