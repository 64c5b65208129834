"""AuthClient against the simulator's accounts server, over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import re
import socket
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from oauthlib.oauth2 import BackendApplicationClient, WebApplicationClient

from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
from custom_components.spotify_webapi.oauthcli.errors import (
    AuthClientError,
    AuthorizationError,
    InsecureApiUrlError,
    NotAuthorizedError,
    RateLimitError,
    ServiceError,
    StateMismatchError,
)
from custom_components.spotify_webapi.oauthcli.tokenstore import MemoryTokenStore

from .conftest import REDIRECT_URI, SCOPES, ClientFactory, approve, authorized_client

if TYPE_CHECKING:
    from pathlib import Path

    from tests.simulator import SpotifySimulator

UNRESERVED = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


def token_requests(sim: SpotifySimulator) -> list[Any]:
    return [r for r in sim.requests if r.path == "/api/token"]


def stored(tmp_path: Path) -> dict[str, Any]:
    return json.loads((tmp_path / "tokens.json").read_text())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# 1. authorization_url


async def test_authorization_url_has_state_pkce_and_scopes(make_client: ClientFactory) -> None:
    client = make_client()
    url, state = client.authorization_url(redirect_uri=REDIRECT_URI)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}

    assert url.startswith(client.AuthorizationUrl + "?")
    assert query["state"] == state
    assert len(base64.urlsafe_b64decode(state + "==")) * 8 >= 128
    assert query["response_type"] == "code"
    assert query["client_id"] == client.ClientId
    assert query["redirect_uri"] == REDIRECT_URI
    assert query["scope"] == " ".join(SCOPES)
    verifier = client.CodeVerifier
    assert verifier is not None
    assert UNRESERVED.match(verifier)
    digest = hashlib.sha256(verifier.encode()).digest()
    assert query["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert query["code_challenge_method"] == "S256"

    _url2, state2 = client.authorization_url()
    assert state2 != state
    assert client.CodeVerifier != verifier


def test_scope_string_is_split_and_rejoined_with_spaces(make_client: ClientFactory) -> None:
    client = make_client(scope="a,b  c a")
    url, _ = client.authorization_url()
    assert parse_qs(urlsplit(url).query)["scope"] == ["a b c"]


def test_constructor_defaults_and_types(tmp_path: Path) -> None:
    client = AuthClient("Authorization Code PKCE", clientId="cid", tokenStorageDir=str(tmp_path))
    assert client.AuthorizationUrl == "https://accounts.spotify.com/authorize"
    assert client.TokenUrl == "https://accounts.spotify.com/api/token"
    assert client.process_url("me/player") == "https://api.spotify.com/v1/me/player"
    assert client.process_url("/me") == "https://api.spotify.com/v1/me"
    same_origin = "https://api.spotify.com:443/v1/a?b=1"
    assert client.process_url(same_origin) == same_origin
    with pytest.raises(InsecureApiUrlError, match=r"https://x\.example:443"):
        client.process_url("https://x.example/v1/a?b=1")
    assert client._token_key == "Shared/cid/Shared"
    assert isinstance(client._oauth2_client, WebApplicationClient)
    assert not client.IsAuthorized
    client.TokenProfileId = "work"
    assert client.TokenProfileId == "work"
    backend = AuthClient("Client Credentials", clientId="cid", tokenStorageDir=str(tmp_path))
    assert isinstance(backend._oauth2_client, BackendApplicationClient)
    with pytest.raises(AuthClientError):
        backend.authorization_url()


def test_plain_http_only_for_loopback() -> None:
    AuthClient("x", tokenUrl="http://localhost:1/api/token", tokenStore=MemoryTokenStore())
    AuthClient("x", tokenUrl="http://[::1]:1/api/token", tokenStore=MemoryTokenStore())
    with pytest.raises(ValueError, match="loopback"):
        AuthClient("x", tokenUrl="http://example.com/api/token", tokenStore=MemoryTokenStore())
    with pytest.raises(ValueError, match="apiBaseUrl"):
        AuthClient("x", apiBaseUrl="ftp://127.0.0.1/v1", tokenStore=MemoryTokenStore())


# 2. FetchToken


async def test_fetch_token_exchanges_code_with_verifier_and_secret(
    simulator: SpotifySimulator,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    tmp_path: Path,
) -> None:
    client = make_client(tokenProviderId="SpotifyWebApiPython", tokenProfileId="me")
    url, state = client.authorization_url(redirect_uri=REDIRECT_URI)
    verifier = client.CodeVerifier
    location = await approve(http, url)
    assert location.startswith(REDIRECT_URI)
    code = parse_qs(urlsplit(location).query)["code"][0]

    before = time.time()
    token = await client.FetchToken(authorization_response=location)

    (sent,) = token_requests(simulator)
    assert sent.method == "POST"
    assert sent.form == {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "client_id": simulator.DEFAULT_CLIENT_ID,
        "client_secret": simulator.DEFAULT_CLIENT_SECRET,
        "code_verifier": verifier,
    }
    assert token["expires_at"] == pytest.approx(before + token["expires_in"], abs=5)
    assert client.IsAuthorized
    assert client.Token == token
    assert client.CodeVerifier is None
    assert state
    key = f"SpotifyWebApiPython/{simulator.DEFAULT_CLIENT_ID}/me"
    assert stored(tmp_path) == {key: token}


async def test_fetch_token_with_bare_code(
    simulator: SpotifySimulator, make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = make_client(clientSecret=None)
    url, state = client.authorization_url(redirect_uri=REDIRECT_URI)
    query = parse_qs(urlsplit(await approve(http, url)).query)
    token = await client.FetchToken(code=query["code"][0], state=query["state"][0])
    assert token["access_token"]
    (sent,) = token_requests(simulator)
    assert "client_secret" not in sent.form
    assert sent.form["client_id"] == simulator.DEFAULT_CLIENT_ID
    assert state == query["state"][0]


async def test_state_mismatch_sends_no_token_request(
    simulator: SpotifySimulator, make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = make_client()
    url, _state = client.authorization_url(redirect_uri=REDIRECT_URI)
    location = await approve(http, url)
    forged = re.sub(r"state=[^&]+", "state=forged", location)
    with pytest.raises(StateMismatchError):
        await client.FetchToken(authorization_response=forged)
    missing = re.sub(r"&?state=[^&]+", "", location)
    with pytest.raises(StateMismatchError):
        await client.FetchToken(authorization_response=missing)
    with pytest.raises(StateMismatchError):
        await client.FetchToken(code="abc", state="forged")
    assert token_requests(simulator) == []
    assert not client.IsAuthorized


async def test_denied_authorization_is_an_authorization_error(
    simulator: SpotifySimulator, make_client: ClientFactory
) -> None:
    client = make_client()
    _url, state = client.authorization_url(redirect_uri=REDIRECT_URI)
    with pytest.raises(AuthorizationError, match="access_denied"):
        await client.FetchToken(
            authorization_response=f"{REDIRECT_URI}?error=access_denied&state={state}"
        )
    assert token_requests(simulator) == []


async def test_reused_code_is_refused(
    make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = make_client()
    url, _state = client.authorization_url(redirect_uri=REDIRECT_URI)
    location = await approve(http, url)
    await client.FetchToken(authorization_response=location)
    code = parse_qs(urlsplit(location).query)["code"][0]
    with pytest.raises(AuthorizationError) as caught:
        await client.FetchToken(code=code)
    assert caught.value.error == "invalid_grant"


async def test_client_credentials_grant(
    simulator: SpotifySimulator, make_client: ClientFactory, tmp_path: Path
) -> None:
    client = make_client(authorizationType="Client Credentials", scope=None)
    token = await client.FetchToken()
    (sent,) = token_requests(simulator)
    assert sent.form["grant_type"] == "client_credentials"
    assert sent.form["client_secret"] == simulator.DEFAULT_CLIENT_SECRET
    assert "refresh_token" not in token
    assert stored(tmp_path)[f"Shared/{simulator.DEFAULT_CLIENT_ID}/Shared"] == token
    # Expired client-credentials tokens are fetched again, not refreshed.
    client.Token = {**token, "expires_at": time.time() - 1}
    simulator.clear_requests()
    await client.get("me")
    fetched, used = simulator.requests[:2]
    assert (fetched.path, fetched.form["grant_type"]) == ("/api/token", "client_credentials")
    assert used.path == "/v1/me"


async def test_load_token_and_scope_change(
    simulator: SpotifySimulator,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
) -> None:
    await authorized_client(make_client, http)
    again = make_client()
    assert again.Token is None
    loaded = await again.LoadToken()
    assert loaded is not None
    assert again.IsAuthorized
    wider = make_client(scope=[*SCOPES, "user-library-read"])
    assert await wider.LoadToken() is None
    assert not wider.IsAuthorized
    assert simulator.requests  # the dance went over HTTP


# 3. RefreshToken


async def test_refresh_keeps_refresh_token_when_omitted(
    simulator: SpotifySimulator,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    tmp_path: Path,
) -> None:
    simulator.accounts.rotate_refresh_tokens = False
    client = await authorized_client(make_client, http)
    first = dict(client.Token or {})
    refreshed = await client.RefreshToken()
    sent = token_requests(simulator)[-1]
    assert sent.form == {
        "grant_type": "refresh_token",
        "refresh_token": first["refresh_token"],
        "client_id": simulator.DEFAULT_CLIENT_ID,
        "client_secret": simulator.DEFAULT_CLIENT_SECRET,
    }
    assert refreshed["access_token"] != first["access_token"]
    assert refreshed["refresh_token"] == first["refresh_token"]
    assert stored(tmp_path)[client._token_key] == refreshed


async def test_refresh_with_rotation_stores_new_refresh_token(
    simulator: SpotifySimulator,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    tmp_path: Path,
) -> None:
    simulator.accounts.rotate_refresh_tokens = True
    client = await authorized_client(make_client, http)
    old = (client.Token or {})["refresh_token"]
    refreshed = await client.RefreshToken()
    assert refreshed["refresh_token"] != old
    assert stored(tmp_path)[client._token_key]["refresh_token"] == refreshed["refresh_token"]


@pytest.mark.parametrize("is_async", [False, True])
async def test_token_updater_supplies_tokens_and_nothing_is_stored(
    simulator: SpotifySimulator, make_client: ClientFactory, tmp_path: Path, is_async: bool
) -> None:
    calls = 0

    def fresh() -> dict[str, Any]:
        nonlocal calls
        calls += 1
        return simulator.issue_token()

    async def fresh_async() -> dict[str, Any]:
        await asyncio.sleep(0)
        return fresh()

    client = make_client(tokenUpdater=fresh_async if is_async else fresh)
    resp = await client.get("me")  # no token yet: the updater is asked for one
    assert resp.status == 200
    assert calls == 1
    token = await client.RefreshToken()
    assert client.Token == token
    assert calls == 2
    assert token_requests(simulator) == []
    assert not (tmp_path / "tokens.json").exists()


async def test_token_updater_returning_nothing_is_not_authorized(
    make_client: ClientFactory,
) -> None:
    client = make_client(tokenUpdater=dict)
    with pytest.raises(NotAuthorizedError):
        await client.RefreshToken()


async def test_concurrent_requests_share_one_refresh(
    simulator: SpotifySimulator, make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = await authorized_client(make_client, http)
    client.Token = {**(client.Token or {}), "expires_at": time.time() - 10}
    simulator.clear_requests()

    responses = await asyncio.gather(*(client.get("me") for _ in range(1000)))

    assert all(r.status == 200 for r in responses)
    assert len(token_requests(simulator)) == 1
    assert len([r for r in simulator.requests if r.path == "/v1/me"]) == 1000


async def test_concurrent_401s_share_one_refresh(
    simulator: SpotifySimulator, make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = await authorized_client(make_client, http)
    simulator.expire_access_tokens()
    simulator.clear_requests()
    responses = await asyncio.gather(*(client.get("me") for _ in range(50)))
    assert all(r.status == 200 for r in responses)
    assert len(token_requests(simulator)) == 1


# 4. request()


async def test_request_returns_read_response(
    simulator: SpotifySimulator, make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = await authorized_client(make_client, http)
    simulator.clear_requests()
    resp = await client.get("/me", params={"market": "from_token"})
    assert resp.status == 200
    assert resp.ok
    assert resp.headers["Content-Type"].startswith("application/json")
    assert resp.json()["id"]
    (sent,) = simulator.requests
    assert (sent.method, sent.path, sent.query) == ("GET", "/v1/me", {"market": "from_token"})
    assert sent.headers["Authorization"] == f"Bearer {(client.Token or {})['access_token']}"
    assert "Bearer" not in repr(resp)


async def test_request_refreshes_first_when_token_expires_within_a_minute(
    simulator: SpotifySimulator, make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = await authorized_client(make_client, http)
    client.Token = {**(client.Token or {}), "expires_at": time.time() + 30}
    simulator.clear_requests()
    await client.get("me")
    assert [r.path for r in simulator.requests] == ["/api/token", "/v1/me"]
    client.Token = {**(client.Token or {}), "expires_at": time.time() + 120}
    simulator.clear_requests()
    await client.get("me")
    assert [r.path for r in simulator.requests] == ["/v1/me"]


async def test_request_retries_once_after_401(
    simulator: SpotifySimulator, make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = await authorized_client(make_client, http)
    simulator.expire_access_tokens()
    simulator.clear_requests()
    resp = await client.get("me")
    assert resp.status == 200
    assert [(r.path, r.status) for r in simulator.requests] == [
        ("/v1/me", 401),
        ("/api/token", 200),
        ("/v1/me", 200),
    ]
    # A 401 that persists after one refresh is returned, not retried forever.
    simulator.fail_next("/v1/me", 401, count=2)
    simulator.clear_requests()
    resp = await client.get("me")
    assert resp.status == 401
    assert [r.path for r in simulator.requests] == ["/v1/me", "/api/token", "/v1/me"]


async def test_revoked_refresh_token_removes_stored_token(
    simulator: SpotifySimulator,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    tmp_path: Path,
) -> None:
    client = await authorized_client(make_client, http)
    simulator.revoke_refresh_tokens()
    with pytest.raises(AuthorizationError) as caught:
        await client.RefreshToken()
    assert caught.value.error == "invalid_grant"
    assert caught.value.description == "Refresh token revoked"
    assert "Refresh token revoked" in str(caught.value)
    assert client._token_key not in stored(tmp_path)
    assert not client.IsAuthorized
    with pytest.raises(NotAuthorizedError):
        await client.get("me")


async def test_expired_refresh_token(
    simulator: SpotifySimulator, make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    simulator.accounts.refresh_token_lifetime = 60
    client = await authorized_client(make_client, http)
    simulator.clock.advance(3600 * 2)
    with pytest.raises(AuthorizationError, match="Refresh token expired"):
        await client.get("me")


async def test_updater_failure_leaves_storage_untouched(
    make_client: ClientFactory, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    await authorized_client(make_client, http)
    before = stored(tmp_path)

    async def refused() -> dict[str, Any]:
        raise AuthorizationError("invalid_grant", "Refresh token revoked", 400)

    client = make_client(tokenUpdater=refused)
    await client.LoadToken()
    with pytest.raises(AuthorizationError):
        await client.RefreshToken()
    assert stored(tmp_path) == before


async def test_invalid_client_is_an_authorization_error(
    simulator: SpotifySimulator, make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = await authorized_client(make_client, http)
    simulator.fail_next("/api/token", 401, error="invalid_client", description="Invalid client")
    with pytest.raises(AuthorizationError) as caught:
        await client.RefreshToken()
    assert (caught.value.error, caught.value.description) == ("invalid_client", "Invalid client")


async def test_rate_limit_and_server_errors(
    simulator: SpotifySimulator, make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = await authorized_client(make_client, http)
    simulator.fail_next("/v1/me", 429, retry_after=7)
    with pytest.raises(RateLimitError) as limited:
        await client.get("me")
    assert limited.value.retry_after == 7
    simulator.fail_next("/api/token", 429, retry_after=3)
    with pytest.raises(RateLimitError) as token_limited:
        await client.RefreshToken()
    assert token_limited.value.retry_after == 3
    for status in (500, 502, 503):
        simulator.fail_next("/v1/me", status)
        with pytest.raises(ServiceError) as failed:
            await client.get("me")
        assert failed.value.status == status
    simulator.fail_next("/api/token", 500)
    with pytest.raises(ServiceError):
        await client.RefreshToken()
    assert (await client.get("me")).status == 200


async def test_timeouts_and_connection_failures_are_service_errors(
    simulator: SpotifySimulator, make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = await authorized_client(make_client, http)
    simulator.fail_next("/v1/me", 200, delay=2)
    with pytest.raises(ServiceError, match="TimeoutError"):
        await client.get("me", timeout=aiohttp.ClientTimeout(total=0.2))
    dead = make_client(apiBaseUrl=f"http://127.0.0.1:{free_port()}/v1")
    dead.Token = client.Token
    with pytest.raises(ServiceError, match="ClientConnectorError"):
        await dead.get("me")
    dead_accounts = make_client(tokenUrl=f"http://127.0.0.1:{free_port()}/api/token")
    dead_accounts.Token = client.Token
    with pytest.raises(ServiceError):
        await dead_accounts.RefreshToken()


async def test_malformed_token_response(
    simulator: SpotifySimulator, make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = await authorized_client(make_client, http)
    simulator.fail_next("/api/token", 200, body=b"{not json")
    with pytest.raises(ServiceError, match="without an access token"):
        await client.RefreshToken()


async def test_no_token_is_not_authorized(make_client: ClientFactory) -> None:
    client = make_client()
    with pytest.raises(NotAuthorizedError):
        await client.get("me")
    with pytest.raises(NotAuthorizedError):
        await client.RefreshToken()


async def test_http_verbs(
    simulator: SpotifySimulator, make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = await authorized_client(make_client, http)
    simulator.clear_requests()
    for verb in ("get", "post", "put", "patch", "delete", "head", "options"):
        await getattr(client, verb)("me/player/volume", params={"volume_percent": "5"})
    assert [r.method for r in simulator.requests] == [
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
    ]  # fmt: skip


async def test_logout_removes_stored_token_only(
    make_client: ClientFactory, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    client = await authorized_client(make_client, http)
    other = make_client(tokenProfileId="other")
    other.Token = client.Token
    await other._accept_token(dict(client.Token or {}))
    await client.Logout()
    assert list(stored(tmp_path)) == [other._token_key]
    assert client.IsAuthorized  # as documented: the session keeps its token


async def test_owned_session_is_closed_caller_session_is_not(
    simulator: SpotifySimulator, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    async with AuthClient(
        "Client Credentials",
        tokenUrl=f"{simulator.accounts_url}/api/token",
        clientId=simulator.DEFAULT_CLIENT_ID,
        clientSecret=simulator.DEFAULT_CLIENT_SECRET,
        tokenStorageDir=str(tmp_path),
        apiBaseUrl=simulator.api_url,
    ) as owned:
        await owned.FetchToken()
        session = owned.Session
    assert session.closed
    borrowed = AuthClient("x", oauth2Session=http, tokenStore=MemoryTokenStore())
    await borrowed.close()
    assert not http.closed


# 5. HasScopeChanged


@pytest.mark.parametrize(
    ("granted", "changed"),
    [
        ("playlist-read-private user-read-playback-state user-modify-playback-state", False),
        ("user-modify-playback-state,user-read-playback-state, playlist-read-private", False),
        (
            ["playlist-read-private", "user-read-playback-state", "user-modify-playback-state"],
            False,
        ),
        (SCOPES + SCOPES + ["user-library-read"], False),
        ("user-read-playback-state", True),
        ([], True),
        (None, True),
    ],
)
def test_has_scope_changed(make_client: ClientFactory, granted: Any, changed: bool) -> None:
    client = make_client()
    token = {"access_token": "x", "scope": granted}
    snapshot = json.dumps(token)
    assert client.HasScopeChanged(token) is changed
    assert json.dumps(token) == snapshot


def test_has_scope_changed_explicit_scope_and_none_token(make_client: ClientFactory) -> None:
    client = make_client()
    requested = ["b", "a", "a"]
    assert client.HasScopeChanged({"scope": "a b"}, requested) is False
    assert client.HasScopeChanged({"scope": "a"}, "a,b") is True
    assert requested == ["b", "a", "a"]
    assert client.HasScopeChanged(None) is True


# 8. No secrets in logs, messages or reprs


async def test_no_secret_reaches_logs_messages_or_reprs(
    simulator: SpotifySimulator,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    messages: list[str] = []
    client = make_client()
    url, _state = client.authorization_url(redirect_uri=REDIRECT_URI)
    verifier = client.CodeVerifier or ""
    location = await approve(http, url)
    code = parse_qs(urlsplit(location).query)["code"][0]
    await client.FetchToken(authorization_response=location)
    first = dict(client.Token or {})
    simulator.expire_access_tokens()
    await client.get("me")
    second = dict(client.Token or {})
    simulator.fail_next("/v1/me", 429, retry_after=1)
    simulator.fail_next("/v1/me", 503)
    simulator.fail_next("/api/token", 401, error="invalid_client")
    for call in (client.get, client.get):
        with pytest.raises(AuthClientError) as failed:
            await call("me")
        messages += [str(failed.value), repr(failed.value)]
    with pytest.raises(AuthorizationError) as refused:
        await client.RefreshToken()
    messages += [str(refused.value), repr(refused.value)]
    simulator.revoke_refresh_tokens()
    with pytest.raises(AuthorizationError) as revoked:
        await client.RefreshToken()
    messages += [str(revoked.value), repr(revoked.value), repr(client)]

    secrets = {
        first["access_token"],
        first["refresh_token"],
        second["access_token"],
        code,
        verifier,
        simulator.DEFAULT_CLIENT_SECRET,
    }
    text = "\n".join(messages + [r.getMessage() for r in caplog.records])
    text += "\n".join(str(r.args) for r in caplog.records)
    assert len(messages) >= 5
    for secret in secrets:
        assert secret
        assert secret not in text


async def test_token_updater_is_told_which_token_was_rejected(
    simulator: SpotifySimulator, make_client: ClientFactory
) -> None:
    seen: list[str | None] = []
    client: AuthClient | None = None

    def updater() -> dict[str, Any]:
        assert client is not None
        seen.append(client.RejectedAccessToken)
        return simulator.issue_token()

    client = make_client(tokenUpdater=updater)
    await client.get("me")  # no token yet: nothing was rejected
    rejected = (client.Token or {})["access_token"]
    simulator.expire_access_tokens()
    assert (await client.get("me")).status == 200
    assert seen == [None, rejected]
    assert client.RejectedAccessToken is None
