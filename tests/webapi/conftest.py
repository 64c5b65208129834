"""Fixtures for Web API client tests: the real AuthClient and client against the simulator."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
import pytest

from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
from custom_components.spotify_webapi.oauthcli.tokenstore import MemoryTokenStore
from custom_components.spotify_webapi.webapi import SpotifyWebApiClient

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from tests.simulator import SpotifySimulator


@pytest.fixture
async def http(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """The caller-owned aiohttp session, closed after the test."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def auth(simulator: SpotifySimulator, http: aiohttp.ClientSession) -> AuthClient:
    """An AuthClient holding a fresh token of the simulator's default user."""
    client = AuthClient(
        "Authorization Code PKCE",
        authorizationUrl=f"{simulator.accounts_url}/authorize",
        tokenUrl=f"{simulator.accounts_url}/api/token",
        clientId=simulator.DEFAULT_CLIENT_ID,
        clientSecret=simulator.DEFAULT_CLIENT_SECRET,
        oauth2Session=http,
        tokenStore=MemoryTokenStore(),
        apiBaseUrl=simulator.api_url,
    )
    client.Token = simulator.issue_token()
    return client


@pytest.fixture
def client(auth: AuthClient) -> SpotifyWebApiClient:
    """The client under test."""
    return SpotifyWebApiClient(auth)
