"""Small steps of the OAuth dance, spelled out the way a real client performs them."""

from __future__ import annotations

import base64
import hashlib
import json as jsonlib
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    import aiohttp

    from tests.simulator import SpotifySimulator

REDIRECT_URI = "http://127.0.0.1:8080/callback"


def challenge_of(verifier: str) -> str:
    """RFC 7636 S256, computed here independently of the simulator."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def basic_auth(client_id: str, secret: str) -> str:
    """An HTTP Basic Authorization header value."""
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def query_of(location: str) -> dict[str, str]:
    """The query of a redirect Location, one value per name."""
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


@dataclass
class Authorization:
    """What the client keeps between /authorize and /api/token."""

    verifier: str
    state: str
    location: str

    @property
    def params(self) -> dict[str, str]:
        """The redirect's query parameters."""
        return query_of(self.location)

    @property
    def code(self) -> str:
        """The authorization code handed back."""
        return self.params["code"]


def authorize_params(
    sim: SpotifySimulator,
    *,
    verifier: str,
    state: str,
    scope: str = "user-read-private user-read-email user-read-playback-state",
    client_id: str | None = None,
    redirect_uri: str = REDIRECT_URI,
) -> dict[str, str]:
    """A well-formed /authorize query."""
    return {
        "client_id": client_id or sim.DEFAULT_CLIENT_ID,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "state": state,
        "scope": scope,
        "code_challenge": challenge_of(verifier),
        "code_challenge_method": "S256",
    }


async def authorize(
    http: aiohttp.ClientSession, sim: SpotifySimulator, **overrides: str
) -> Authorization:
    """Run GET /authorize (auto-approved) and return the redirect it answers with."""
    verifier = secrets.token_urlsafe(48)
    state = secrets.token_urlsafe(8)
    params = authorize_params(sim, verifier=verifier, state=state, **overrides)
    async with http.get(
        f"{sim.accounts_url}/authorize", params=params, allow_redirects=False
    ) as response:
        assert response.status == 302, await response.text()
        return Authorization(verifier, state, response.headers["Location"])


async def post_token(
    http: aiohttp.ClientSession,
    sim: SpotifySimulator,
    form: dict[str, str],
    *,
    auth: str | None = None,
) -> tuple[int, dict[str, Any], Any]:
    """POST /api/token; returns status, JSON body and response headers."""
    headers = {} if auth is None else {"Authorization": auth}
    async with http.post(f"{sim.accounts_url}/api/token", data=form, headers=headers) as response:
        return response.status, await response.json(), response.headers


async def exchange(
    http: aiohttp.ClientSession, sim: SpotifySimulator, authorization: Authorization
) -> dict[str, Any]:
    """Trade a code for tokens as a confidential client; assert it works."""
    status, body, _ = await post_token(
        http,
        sim,
        {
            "grant_type": "authorization_code",
            "code": authorization.code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": authorization.verifier,
        },
        auth=basic_auth(sim.DEFAULT_CLIENT_ID, sim.DEFAULT_CLIENT_SECRET),
    )
    assert status == 200, body
    return body


async def api_get(
    http: aiohttp.ClientSession, sim: SpotifySimulator, path: str, token: str, **params: str
) -> tuple[int, Any]:
    """GET a Web API path with a bearer token; returns status and JSON (None when empty)."""
    async with http.get(
        f"{sim.api_url}{path}", params=params, headers={"Authorization": f"Bearer {token}"}
    ) as response:
        body = await response.json() if response.content_length != 0 else None
        return response.status, body


@dataclass
class Api:
    """A minimal Web API caller with one user's bearer token."""

    http: aiohttp.ClientSession
    sim: SpotifySimulator
    token: str = field(repr=False)

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        **params: str | int,
    ) -> tuple[int, Any]:
        """Send a request; returns status and the JSON body (None when empty)."""
        async with self.http.request(
            method,
            f"{self.sim.api_url}{path}",
            params={key: str(value) for key, value in params.items()},
            json=json,
            headers={"Authorization": f"Bearer {self.token}"},
        ) as response:
            raw = await response.read()
            return response.status, (jsonlib.loads(raw) if raw else None)

    async def get(self, path: str, **params: str | int) -> tuple[int, Any]:
        """GET."""
        return await self.call("GET", path, **params)

    async def ok(self, path: str, **params: str | int) -> Any:
        """GET that must answer 200; returns the body."""
        status, body = await self.get(path, **params)
        assert status == 200, body
        return body

    async def put(self, path: str, *, json: Any = None, **params: str | int) -> tuple[int, Any]:
        """PUT."""
        return await self.call("PUT", path, json=json, **params)

    async def post(self, path: str, **params: str | int) -> tuple[int, Any]:
        """POST."""
        return await self.call("POST", path, **params)


def api_for(
    http: aiohttp.ClientSession,
    sim: SpotifySimulator,
    user: str = "alice",
    scope: str | None = None,
) -> Api:
    """An Api for `user` with a directly issued token (all scopes unless given)."""
    return Api(http, sim, sim.issue_token(user, scope=scope)["access_token"])
