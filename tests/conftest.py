"""Fixtures shared by every test: the simulator on loopback, and the plugin set-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
import pytest

# Import the project's package before Home Assistant's loader can find another
# custom_components on sys.path (e.g. one in a test config folder).
import custom_components.spotify_webapi as _integration
from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
from custom_components.spotify_webapi.oauthcli.tokenstore import MemoryTokenStore
from custom_components.spotify_webapi.webapi import SpotifyWebApiClient
from tests.ha_reports import collect_reports
from tests.recorded import ReplayServer
from tests.simulator import SpotifySimulator

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

pytest_plugins = ["pytest_homeassistant_custom_component"]

assert _integration.__file__.startswith(
    str(__import__("pathlib").Path(__file__).resolve().parent.parent)
), f"loaded the wrong custom_components: {_integration.__file__}"


@pytest.fixture(autouse=True)
def home_assistant_reports_nothing_about_us(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test when HA reports a usage problem or a deprecation of this integration.

    Such a report names the release in which the integration stops working: a failing
    test today, rather than a broken integration for users then.
    """
    if request.node.get_closest_marker("reports_on_purpose"):
        yield  # the gate's own tests make reports, and check them themselves
        return
    with collect_reports() as reports:
        yield
    if reports:
        pytest.fail("Home Assistant reported on this integration:\n" + "\n".join(reports))


@pytest.fixture
async def simulator(socket_enabled: None) -> AsyncIterator[SpotifySimulator]:
    """A fresh Spotify simulator (accounts + Web API) on an ephemeral loopback port."""
    async with SpotifySimulator() as sim:
        yield sim


@pytest.fixture
async def replay(socket_enabled: None) -> AsyncIterator[ReplayServer]:
    """A server replaying recorded Spotify answers on an ephemeral loopback port."""
    async with ReplayServer() as server:
        yield server


@pytest.fixture
async def recorded_client(replay: ReplayServer) -> AsyncIterator[SpotifyWebApiClient]:
    """The real client and AuthClient, holding a token, reading from the replay server."""
    async with aiohttp.ClientSession() as http:
        auth = AuthClient(
            "Authorization Code PKCE",
            authorizationUrl=f"{replay.api_url}/authorize",
            tokenUrl=f"{replay.api_url}/api/token",
            clientId="recorded",
            oauth2Session=http,
            tokenStore=MemoryTokenStore(),
            apiBaseUrl=replay.api_url,
        )
        auth.Token = {
            "access_token": "recorded-access",
            "refresh_token": "recorded-refresh",
            "token_type": "Bearer",
            "expires_in": 3600,
            "expires_at": 4102444800,
            "scope": ["user-read-playback-state"],
        }
        yield SpotifyWebApiClient(auth)
