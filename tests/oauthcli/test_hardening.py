"""AuthClient where it meets foreign URLs, consumed bodies and odd server answers."""

from __future__ import annotations

import io
import json
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from aiohttp import web

from custom_components.spotify_webapi.oauthcli import authclient
from custom_components.spotify_webapi.oauthcli.errors import (
    InsecureApiUrlError,
    RateLimitError,
    RequestBodyError,
    ServiceError,
    TokenTypeError,
)
from custom_components.spotify_webapi.oauthcli.wire import MAX_RETRY_AFTER, retry_after_seconds

from .conftest import REDIRECT_URI, SCOPES, ClientFactory, approve, authorized_client

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    import aiohttp

    from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
    from tests.simulator import SpotifySimulator

PLAY_BODY = b'{"uris": ["spotify:track:4uLU6hMCjMI75M1A2tKUQC"], "position_ms": 0}'


def stored(tmp_path: Path) -> dict[str, Any]:
    tokens: dict[str, Any] = json.loads((tmp_path / "tokens.json").read_text())
    return tokens


def logged(simulator: SpotifySimulator, path: str) -> list[Any]:
    return [r for r in simulator.requests if r.path == path]


@pytest.fixture
async def elsewhere(socket_enabled: None) -> AsyncIterator[tuple[str, list[str]]]:
    """Another server on loopback; records the Authorization header of whatever reaches it."""
    seen: list[str] = []

    async def record(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization", ""))
        return web.json_response({})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await runner.cleanup()


# --- the bearer token stays on the API's origin ---------------------------------------------


async def test_the_token_is_sent_to_no_other_origin(
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    simulator: SpotifySimulator,
    elsewhere: tuple[str, list[str]],
) -> None:
    client = await authorized_client(make_client, http)
    other, seen = elsewhere
    api = urlsplit(simulator.api_url)
    foreign = [
        f"{other}/v1/me",  # another port
        f"http://localhost:{api.port}/v1/me",  # another host name
        f"https://127.0.0.1:{api.port}/v1/me",  # another scheme
        f"http://evil.example:{api.port}/v1/me",  # plain http off loopback
    ]
    simulator.clear_requests()
    for url in foreign:
        with pytest.raises(InsecureApiUrlError, match="refusing to send the access token"):
            await client.get(url)
    assert seen == []
    assert simulator.requests == []

    same = await client.get(f"{simulator.api_url}/me")
    assert same.status == 200


# --- the retry after a 401 sends the same body ----------------------------------------------


async def test_bytes_body_is_sent_again_intact_after_a_401(
    make_client: ClientFactory, http: aiohttp.ClientSession, simulator: SpotifySimulator
) -> None:
    client = await authorized_client(make_client, http)
    simulator.fail_next("/v1/me/player/play", 401)
    await client.put("me/player/play", data=PLAY_BODY, headers={"Content-Type": "application/json"})
    sent = logged(simulator, "/v1/me/player/play")
    assert len(sent) == 2
    assert sent[0].json == sent[1].json == json.loads(PLAY_BODY)


async def test_a_file_body_is_sent_again_intact_after_a_401(
    make_client: ClientFactory, http: aiohttp.ClientSession, simulator: SpotifySimulator
) -> None:
    client = await authorized_client(make_client, http)
    simulator.fail_next("/v1/me/player/play", 401)
    body = io.BytesIO(b"already read" + PLAY_BODY)
    body.seek(len(b"already read"))
    await client.put("me/player/play", data=body, headers={"Content-Type": "application/json"})
    sent = logged(simulator, "/v1/me/player/play")
    assert len(sent) == 2
    assert sent[0].json == sent[1].json == json.loads(PLAY_BODY)


async def test_a_stream_body_fails_clearly_instead_of_sending_nothing(
    make_client: ClientFactory, http: aiohttp.ClientSession, simulator: SpotifySimulator
) -> None:
    client = await authorized_client(make_client, http)
    simulator.fail_next("/v1/me/player/play", 401)

    async def stream() -> AsyncIterator[bytes]:
        yield PLAY_BODY

    with pytest.raises(RequestBodyError, match="cannot be sent again"):
        await client.put(
            "me/player/play", data=stream(), headers={"Content-Type": "application/json"}
        )
    assert len(logged(simulator, "/v1/me/player/play")) == 1


# --- Retry-After ------------------------------------------------------------------------------


def http_date(seconds_from_now: float, zone: str = "GMT") -> str:
    when = datetime.now(UTC) + timedelta(seconds=seconds_from_now)
    return format_datetime(when, usegmt=True).replace("GMT", zone)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7.0),
        (" 12 ", 12.0),
        ("1.5", 1.5),
        ("0", 0.0),
        ("86400", MAX_RETRY_AFTER),
        ("999999999999999999999", MAX_RETRY_AFTER),
        ("inf", 1.0),
        ("Infinity", 1.0),
        ("nan", 1.0),
        ("-5", 1.0),
        ("1e400", 1.0),
        ("1e3", 1.0),
        ("soon", 1.0),
        ("", 1.0),
    ],
)
def test_retry_after_values(value: str, expected: float) -> None:
    assert retry_after_seconds({"Retry-After": value}) == expected


@pytest.mark.parametrize("zone", ["GMT", "+0000", "-0000"])
def test_retry_after_http_dates_are_utc(zone: str) -> None:
    assert retry_after_seconds({"Retry-After": http_date(120, zone)}) == pytest.approx(120, abs=3)


def test_retry_after_dates_are_clamped() -> None:
    assert retry_after_seconds({"Retry-After": http_date(-3600)}) == 0.0
    assert retry_after_seconds({"Retry-After": http_date(10 * 86400)}) == MAX_RETRY_AFTER
    assert retry_after_seconds({}) == 1.0
    assert retry_after_seconds({"Retry-After": "Mon, 99 Foo 2026 99:99:99 GMT"}) == 1.0


async def test_a_huge_retry_after_from_the_api_is_capped(
    make_client: ClientFactory, http: aiohttp.ClientSession, simulator: SpotifySimulator
) -> None:
    client = await authorized_client(make_client, http)
    simulator.fail_next("/v1/me", 429, retry_after=10**15)
    with pytest.raises(RateLimitError) as caught:
        await client.get("me")
    assert caught.value.retry_after == MAX_RETRY_AFTER


# --- token responses ------------------------------------------------------------------------


async def answer_token(simulator: SpotifySimulator, **fields: Any) -> None:
    body = {"access_token": "BQ-scripted", "token_type": "Bearer", **fields}
    simulator.fail_next("/api/token", 200, body=json.dumps(body).encode())


async def test_expires_in_as_a_string_is_honoured(
    make_client: ClientFactory, http: aiohttp.ClientSession, simulator: SpotifySimulator
) -> None:
    client = await authorized_client(make_client, http)
    await answer_token(simulator, expires_in="3600")
    token = await client.RefreshToken()
    assert token["expires_in"] == 3600
    assert token["expires_at"] == pytest.approx(time.time() + 3600, abs=5)


async def test_an_omitted_scope_keeps_the_previous_one(
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    simulator: SpotifySimulator,
    tmp_path: Path,
) -> None:
    client = await authorized_client(make_client, http)
    await answer_token(simulator, expires_in=3600)
    token = await client.RefreshToken()
    assert token["scope"] == SCOPES
    assert next(iter(stored(tmp_path).values()))["scope"] == SCOPES
    assert not client.HasScopeChanged(token)


@pytest.mark.parametrize("token_type", ["mac", "DPoP", ""])
async def test_a_token_that_is_not_bearer_is_refused(
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    simulator: SpotifySimulator,
    tmp_path: Path,
    token_type: str,
) -> None:
    client = await authorized_client(make_client, http)
    before = stored(tmp_path)
    await answer_token(simulator, token_type=token_type, expires_in=3600)
    with pytest.raises(TokenTypeError):
        await client.RefreshToken()
    assert stored(tmp_path) == before


@pytest.mark.parametrize(
    ("status", "error"),
    [(408, None), (400, "server_error"), (400, "temporarily_unavailable"), (503, None)],
)
async def test_transient_token_endpoint_answers_keep_the_token(
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    simulator: SpotifySimulator,
    tmp_path: Path,
    status: int,
    error: str | None,
) -> None:
    client = await authorized_client(make_client, http)
    held, before = client.Token, stored(tmp_path)
    simulator.fail_next("/api/token", status, error=error or "server_error")
    with pytest.raises(ServiceError) as caught:
        await client.RefreshToken()
    assert caught.value.status == status
    assert client.Token == held
    assert stored(tmp_path) == before
    assert (await client.RefreshToken())["access_token"]  # and the next try works


# --- authorize URL and state ----------------------------------------------------------------


def test_authorization_url_never_repeats_a_parameter(make_client: ClientFactory) -> None:
    client: AuthClient = make_client()
    url, state = client.authorization_url(
        redirect_uri=REDIRECT_URI,
        scope=["user-read-email", "user-read-private"],
        response_type="code",
        client_id=client.ClientId,
        show_dialog="true",
        code_challenge_method="S256",
    )
    pairs = parse_qsl(urlsplit(url).query)
    names = [name for name, _ in pairs]
    assert len(names) == len(set(names)), names
    query = dict(pairs)
    assert query["scope"] == "user-read-email user-read-private"
    assert query["show_dialog"] == "true"
    assert query["state"] == state


async def test_state_is_compared_in_constant_time(
    make_client: ClientFactory, http: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[tuple[bytes, bytes]] = []
    real = authclient.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(authclient.hmac, "compare_digest", spy)
    client = make_client()
    url, state = client.authorization_url(redirect_uri=REDIRECT_URI)
    await client.FetchToken(authorization_response=await approve(http, url))
    assert (state.encode(), state.encode()) in compared  # the simulator compares secrets too
