"""Fixtures for AuthClient tests: clients wired to the simulator's accounts server."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from custom_components.spotify_webapi.oauthcli.authclient import AuthClient

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable
    from pathlib import Path

    from tests.simulator import SpotifySimulator

SCOPES = ["user-read-playback-state", "user-modify-playback-state", "playlist-read-private"]
REDIRECT_URI = "http://127.0.0.1:8080/"

type ClientFactory = Callable[..., AuthClient]


@pytest.fixture
async def http(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """The caller-owned aiohttp session the clients under test share."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def make_client(
    simulator: SpotifySimulator, http: aiohttp.ClientSession, tmp_path: Path
) -> ClientFactory:
    """Build AuthClients pointed at the simulator, storing tokens under tmp_path."""

    def factory(**overrides: Any) -> AuthClient:
        options: dict[str, Any] = {
            "authorizationType": "Authorization Code PKCE",
            "authorizationUrl": f"{simulator.accounts_url}/authorize",
            "tokenUrl": f"{simulator.accounts_url}/api/token",
            "scope": SCOPES,
            "clientId": simulator.DEFAULT_CLIENT_ID,
            "clientSecret": simulator.DEFAULT_CLIENT_SECRET,
            "oauth2Session": http,
            "tokenStorageDir": str(tmp_path),
            "apiBaseUrl": simulator.api_url,
        }
        options.update(overrides)
        return AuthClient(**options)

    return factory


async def approve(http: aiohttp.ClientSession, authorize_url: str) -> str:
    """Play the user's browser: open the authorize page and return where it redirects."""
    async with http.get(authorize_url, allow_redirects=False) as resp:
        assert resp.status == 302, await resp.text()
        return resp.headers["Location"]


async def authorized_client(
    make_client: ClientFactory, http: aiohttp.ClientSession, **overrides: Any
) -> AuthClient:
    """A client that went through the whole authorization-code dance."""
    client = make_client(**overrides)
    url, _state = client.authorization_url(redirect_uri=REDIRECT_URI)
    await client.FetchToken(authorization_response=await approve(http, url))
    return client
