"""What AuthClient believes of a token endpoint: no redirect, bounded answers, no forever-token.

Each test runs the real client against a scripted accounts server on loopback,
and a second server standing for "another host" that must never be reached.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from aiohttp import web

from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
from custom_components.spotify_webapi.oauthcli.errors import (
    AuthClientError,
    InvalidGrantAuthorizationError,
    ServiceError,
    TokenRedirectError,
)
from custom_components.spotify_webapi.oauthcli.wire import (
    MAX_TOKEN_ANSWER_BYTES,
    MAX_TOKEN_LIFETIME,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable
    from pathlib import Path

CLIENT_SECRET = "client-secret-4f1c9a"
REFRESH = "refresh-token-8b2e77"
ACCESS = "access-token-3d90aa"
KEY = "Shared/cid/Shared"
DAY = MAX_TOKEN_LIFETIME

type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Seen:
    """What one server received: method, path and form of each request."""

    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)


async def start(handler: Handler) -> tuple[web.AppRunner, str, Seen]:
    seen = Seen()

    async def record(request: web.Request) -> web.StreamResponse:
        form = dict(await request.post()) if request.method == "POST" else {}
        seen.requests.append((request.method, request.path, {k: str(v) for k, v in form.items()}))
        return await handler(request)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}", seen


class Accounts:
    """A scripted token endpoint: ``answer`` decides each reply (a fresh token by default)."""

    def __init__(self) -> None:
        self.answer: Handler = self.fresh_token
        self.url = ""
        self.seen = Seen()

    async def fresh_token(self, request: web.Request) -> web.StreamResponse:
        if request.path.endswith("/v1/me"):
            return web.json_response({"id": "me"})
        return web.json_response(
            {"access_token": "issued-here", "token_type": "Bearer", "expires_in": 3600}
        )

    async def handle(self, request: web.Request) -> web.StreamResponse:
        return await self.answer(request)


@pytest.fixture
async def servers(socket_enabled: None) -> AsyncIterator[tuple[Accounts, str, Seen]]:
    """The accounts server, and another host (its URL and what reached it)."""
    accounts = Accounts()

    async def elsewhere_token(request: web.Request) -> web.StreamResponse:
        return web.json_response(
            {"access_token": "from-elsewhere", "token_type": "Bearer", "expires_in": 3600}
        )

    runner, accounts.url, accounts.seen = await start(accounts.handle)
    other, other_url, other_seen = await start(elsewhere_token)
    try:
        yield accounts, other_url, other_seen
    finally:
        await runner.cleanup()
        await other.cleanup()


@pytest.fixture
async def http(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def held_token(**fields: Any) -> dict[str, Any]:
    return {
        "access_token": ACCESS,
        "refresh_token": REFRESH,
        "token_type": "Bearer",
        "expires_in": 3600,
        "expires_at": time.time() - 10,  # expired: the next use refreshes
        "scope": ["user-read-private"],
    } | fields


async def client_holding(
    accounts: Accounts, http: aiohttp.ClientSession, tmp_path: Path, token: dict[str, Any]
) -> AuthClient:
    client = AuthClient(
        "Authorization Code PKCE",
        authorizationUrl=f"{accounts.url}/authorize",
        tokenUrl=f"{accounts.url}/api/token",
        clientId="cid",
        clientSecret=CLIENT_SECRET,
        oauth2Session=http,
        tokenStorageDir=str(tmp_path),
        apiBaseUrl=f"{accounts.url}/v1",
    )
    await client.SaveToken(token)
    client.Token = token
    return client


def stored(tmp_path: Path) -> dict[str, Any]:
    tokens: dict[str, Any] = json.loads((tmp_path / "tokens.json").read_text())
    return tokens


def answer_with(status: int = 200, *, body: bytes = b"", **headers: str) -> Handler:
    async def answer(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, body=body, headers=headers)

    return answer


def token_answer(**fields: Any) -> Handler:
    body = {"access_token": "issued-here", "token_type": "Bearer", "expires_in": 3600} | fields
    return answer_with(body=json.dumps(body).encode(), **{"Content-Type": "application/json"})


# --- token requests follow no redirect ----------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_a_refresh_follows_no_redirect(
    servers: tuple[Accounts, str, Seen], http: aiohttp.ClientSession, tmp_path: Path, status: int
) -> None:
    accounts, elsewhere, elsewhere_seen = servers
    client = await client_holding(accounts, http, tmp_path, held_token())
    before = stored(tmp_path)
    accounts.answer = answer_with(status, Location=f"{elsewhere}/api/token")

    with pytest.raises(TokenRedirectError) as caught:
        await client.RefreshToken()

    assert isinstance(caught.value, ServiceError)  # transient to callers: the token is kept
    assert caught.value.status == status
    assert elsewhere_seen.requests == []  # neither the secret nor the refresh token left
    assert [path for _, path, _ in accounts.seen.requests] == ["/api/token"]
    assert stored(tmp_path) == before
    assert client.Token is not None
    assert client.Token["access_token"] == ACCESS
    for secret in (CLIENT_SECRET, REFRESH, ACCESS):
        assert secret not in str(caught.value)


@pytest.mark.parametrize("status", [302, 307])
async def test_a_code_exchange_follows_no_redirect(
    servers: tuple[Accounts, str, Seen], http: aiohttp.ClientSession, tmp_path: Path, status: int
) -> None:
    accounts, elsewhere, elsewhere_seen = servers
    client = AuthClient(
        "Authorization Code PKCE",
        authorizationUrl=f"{accounts.url}/authorize",
        tokenUrl=f"{accounts.url}/api/token",
        clientId="cid",
        clientSecret=CLIENT_SECRET,
        oauth2Session=http,
        tokenStorageDir=str(tmp_path),
    )
    _url, state = client.authorization_url(redirect_uri="http://127.0.0.1:8080/")
    accounts.answer = answer_with(status, Location=f"{elsewhere}/api/token")

    with pytest.raises(TokenRedirectError):
        await client.FetchToken(code="the-code-5e1", state=state)

    assert elsewhere_seen.requests == []
    assert not (tmp_path / "tokens.json").exists()
    assert not client.IsAuthorized


# --- a refresh answer never wipes the refresh token ---------------------------------------------


@pytest.mark.parametrize("value", [None, "", 42, ["x"], {"a": 1}], ids=repr)
async def test_a_refresh_answer_without_a_usable_refresh_token_keeps_the_old_one(
    servers: tuple[Accounts, str, Seen], http: aiohttp.ClientSession, tmp_path: Path, value: Any
) -> None:
    accounts, _, _ = servers
    client = await client_holding(accounts, http, tmp_path, held_token())
    accounts.answer = token_answer(refresh_token=value)

    token = await client.RefreshToken()

    assert token["refresh_token"] == REFRESH
    assert stored(tmp_path)[KEY]["refresh_token"] == REFRESH
    # And the next refresh sends it again.
    accounts.answer = token_answer()
    client.Token = {**token, "expires_at": time.time() - 10}
    await client.RefreshToken()
    assert accounts.seen.requests[-1][2]["refresh_token"] == REFRESH


async def test_a_new_refresh_token_replaces_the_old_one(
    servers: tuple[Accounts, str, Seen], http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    accounts, _, _ = servers
    client = await client_holding(accounts, http, tmp_path, held_token())
    accounts.answer = token_answer(refresh_token="rotated")
    assert (await client.RefreshToken())["refresh_token"] == "rotated"


# --- lifetimes are capped, and the server's own expires_at is not believed -----------------------


@pytest.mark.parametrize(
    "raw_expires_in",
    ["1e300", "1e999", "9" * 400, '"' + "9" * 400 + '"', "86401", "Infinity"],
)
async def test_an_absurd_lifetime_is_capped_at_a_day(
    servers: tuple[Accounts, str, Seen],
    http: aiohttp.ClientSession,
    tmp_path: Path,
    raw_expires_in: str,
) -> None:
    accounts, _, _ = servers
    client = await client_holding(accounts, http, tmp_path, held_token())
    body = (
        f'{{"access_token": "issued-here", "token_type": "Bearer", "expires_in": {raw_expires_in}}}'
    ).encode()
    accounts.answer = answer_with(body=body)

    token = await client.RefreshToken()

    assert "expires_at" in token
    assert token["expires_at"] <= time.time() + DAY
    assert stored(tmp_path)[KEY]["expires_at"] <= time.time() + DAY


@pytest.mark.parametrize("expires_at", ["Infinity", "1e300", "4102444800"])
async def test_a_server_sent_expires_at_is_not_trusted(
    servers: tuple[Accounts, str, Seen],
    http: aiohttp.ClientSession,
    tmp_path: Path,
    expires_at: str,
) -> None:
    accounts, _, _ = servers
    client = await client_holding(accounts, http, tmp_path, held_token())
    body = (
        '{"access_token": "issued-here", "token_type": "Bearer", "expires_in": 3600, '
        f'"expires_at": {expires_at}}}'
    ).encode()
    accounts.answer = answer_with(body=body)

    token = await client.RefreshToken()

    assert token["expires_at"] == pytest.approx(time.time() + 3600, abs=5)
    # Without expires_in, no expiry is made up from the server's expires_at either.
    accounts.answer = answer_with(
        body=b'{"access_token": "again", "token_type": "Bearer", "expires_at": '
        + expires_at.encode()
        + b"}"
    )
    client.Token = {**token, "expires_at": time.time() - 10}
    assert "expires_at" not in await client.RefreshToken()


@pytest.mark.parametrize("expires_at", ["Infinity", "NaN", "1e300", str(10**400), "253402300800"])
async def test_a_stored_expiry_that_is_no_time_is_refreshed(
    servers: tuple[Accounts, str, Seen],
    http: aiohttp.ClientSession,
    tmp_path: Path,
    expires_at: str,
) -> None:
    accounts, _, _ = servers
    await client_holding(accounts, http, tmp_path, held_token())
    path = tmp_path / "tokens.json"
    tokens = stored(tmp_path)
    tokens[KEY]["expires_at"] = "EXPIRY"
    path.write_text(json.dumps(tokens).replace('"EXPIRY"', expires_at))
    client = AuthClient(
        "Authorization Code PKCE",
        authorizationUrl=f"{accounts.url}/authorize",
        tokenUrl=f"{accounts.url}/api/token",
        clientId="cid",
        clientSecret=CLIENT_SECRET,
        oauth2Session=http,
        tokenStorageDir=str(tmp_path),
        apiBaseUrl=f"{accounts.url}/v1",
    )

    response = await client.get("me")

    assert response.status == 200
    assert [path for _, path, _ in accounts.seen.requests].count("/api/token") == 1
    assert client.Token is not None
    assert client.Token["access_token"] == "issued-here"


# --- answers are bounded in size and depth -------------------------------------------------------


def huge_token_answer(*, declare_length: bool) -> Handler:
    """A valid token answer padded to 64 MiB: accepted whole unless the size is bounded."""
    head = b'{"access_token": "issued-here", "token_type": "Bearer", "pad": "'
    tail = b'"}'
    chunk = b"a" * (1024 * 1024)
    size = len(head) + 64 * len(chunk) + len(tail)

    async def answer(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        if declare_length:
            response.content_length = size
        await response.prepare(request)
        try:
            await response.write(head)
            for _ in range(64):
                await response.write(chunk)
            await response.write(tail)
        except ConnectionError:
            pass  # the client hung up: what the test expects
        return response

    return answer


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
async def test_a_huge_token_answer_is_not_read_whole(
    servers: tuple[Accounts, str, Seen],
    http: aiohttp.ClientSession,
    tmp_path: Path,
    declare_length: bool,
) -> None:
    accounts, _, _ = servers
    client = await client_holding(accounts, http, tmp_path, held_token())
    before = stored(tmp_path)
    accounts.answer = huge_token_answer(declare_length=declare_length)

    started = time.monotonic()
    with pytest.raises(ServiceError, match=f"exceeds {MAX_TOKEN_ANSWER_BYTES // 1024} KiB"):
        await client.RefreshToken()

    assert time.monotonic() - started < 10
    assert stored(tmp_path) == before
    assert client.Token is not None
    assert client.Token["access_token"] == ACCESS


@pytest.mark.parametrize("depth", [40, 5_000, 30_000])
async def test_a_deeply_nested_token_answer_is_a_typed_error(
    servers: tuple[Accounts, str, Seen], http: aiohttp.ClientSession, tmp_path: Path, depth: int
) -> None:
    accounts, _, _ = servers
    client = await client_holding(accounts, http, tmp_path, held_token())
    before = stored(tmp_path)
    nested = b"[" * depth + b"]" * depth
    body = b'{"access_token": "issued-here", "token_type": "Bearer", "x": ' + nested + b"}"
    assert len(body) <= MAX_TOKEN_ANSWER_BYTES  # refused for its depth, not its size
    accounts.answer = answer_with(body=body)

    with pytest.raises(AuthClientError):
        await client.RefreshToken()
    assert stored(tmp_path) == before


async def test_an_error_answer_echoing_a_secret_does_not_repeat_it(
    servers: tuple[Accounts, str, Seen], http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    accounts, _, _ = servers
    client = await client_holding(accounts, http, tmp_path, held_token())
    body = {
        "error": "invalid_grant",
        "error_description": f"refresh token {REFRESH} (client secret {CLIENT_SECRET}) revoked",
    }
    accounts.answer = answer_with(400, body=json.dumps(body).encode())
    with pytest.raises(InvalidGrantAuthorizationError) as caught:
        await client.RefreshToken()
    message = f"{caught.value} {caught.value.description} {caught.value!r}"
    assert REFRESH not in message
    assert CLIENT_SECRET not in message
    assert "revoked" in message
