"""Every reader of outside input, fed anything: typed errors or safe values, no hang, no secret.

Outside input is what a server, a file or a browser hands the package: token
answers, ``Retry-After``, tokens.json, and the query of the loopback callback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import socket
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from yarl import URL

from custom_components.spotify_webapi.oauthcli import __main__ as cli
from custom_components.spotify_webapi.oauthcli import interactive, tokenstore
from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
from custom_components.spotify_webapi.oauthcli.errors import AuthClientError
from custom_components.spotify_webapi.oauthcli.scopes import scope_set
from custom_components.spotify_webapi.oauthcli.tokenstore import FileTokenStore, TokenStoreError
from custom_components.spotify_webapi.oauthcli.wire import (
    MAX_RETRY_AFTER,
    MAX_TOKEN_LIFETIME,
    retry_after_seconds,
    token_from_response,
    token_is_fresh,
)

# What a token request carries and no message may repeat, even when a server echoes it.
SENT = ("client-secret-9f8e7d", "auth-code-7d6c5b4a", "refresh-sent-5a4b3c")
# Tokens an answer may carry; when it does, they are secrets too.
ANSWERED = ("access-answer-1a2b3c", "refresh-answer-4d5e6f")
KEYS = (
    "access_token",
    "refresh_token",
    "token_type",
    "expires_in",
    "expires_at",
    "scope",
    "error",
    "error_description",
)
fuzz = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

secret_echoes = st.sampled_from((*SENT, *ANSWERED)).flatmap(
    lambda secret: st.sampled_from([secret, f"echo {secret} here", f"{secret}{secret}"])
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["Bearer", "bearer", "mac", "3600", "1e300", "9" * 400, "", " 60 "]),
    st.sampled_from(["invalid_grant", "server_error", "temporarily_unavailable", "a b,c"]),
    secret_echoes,
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), children, max_size=6
        ),
    ),
    max_leaves=30,
)
answers = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=8)


def nested(depth: int) -> bytes:
    return b'{"access_token": "x", "deep": ' + b"[" * depth + b"]" * depth + b"}"


@st.composite
def token_answer_bodies(draw: st.DrawFn) -> tuple[bytes, list[str]]:
    """A body, and the answer's own tokens (secrets once it is an answer)."""
    kind = draw(st.sampled_from(["json", "bytes", "deep"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200)), []
    if kind == "deep":
        return nested(draw(st.sampled_from([33, 900, 30_000]))), []
    answer = draw(answers)
    own = [answer[k] for k in ("access_token", "refresh_token") if isinstance(answer.get(k), str)]
    return json.dumps(answer).encode(), [secret for secret in own if secret]


statuses = st.one_of(
    st.sampled_from([200, 201, 204, 301, 302, 303, 307, 308, 400, 401, 403, 408, 429, 500, 503]),
    st.integers(min_value=100, max_value=599),
)
retry_after_values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["inf", "nan", "-1", "1e400", "9" * 400, "Mon, 01 Jan 9999 00:00:00 GMT"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


def no_secret_in(text: str, secrets: list[str] | tuple[str, ...]) -> None:
    for secret in secrets:
        assert secret not in text


# --- token answers -------------------------------------------------------------------------------


@fuzz
@given(status=statuses, body=token_answer_bodies(), retry_after=retry_after_values)
@example(status=200, body=(nested(30_000), []), retry_after="")
@example(status=200, body=(b'{"access_token": "a", "expires_in": 1e300}', []), retry_after="")
@example(status=307, body=(b'{"access_token": "a"}', []), retry_after="")
def test_any_token_answer_is_a_bounded_token_or_a_typed_error(
    status: int, body: tuple[bytes, list[str]], retry_after: str
) -> None:
    raw, own = body
    secrets = [*SENT, *own]
    try:
        token = token_from_response(
            status, {"Retry-After": retry_after}, raw, ["scope-a"], withheld=SENT
        )
    except AuthClientError as err:
        no_secret_in(f"{err} {err!r} {err.description}", secrets)
        return
    assert 200 <= status < 300
    assert isinstance(token["access_token"], str)
    assert token["access_token"]
    if "refresh_token" in token:
        assert isinstance(token["refresh_token"], str)
        assert token["refresh_token"]
    if "expires_at" in token:
        assert math.isfinite(token["expires_at"])
        assert token["expires_at"] <= time.time() + MAX_TOKEN_LIFETIME + 1
        assert 0 <= token["expires_in"] <= MAX_TOKEN_LIFETIME
    assert isinstance(token["scope"], list)
    assert all(isinstance(name, str) for name in token["scope"])


@fuzz
@given(value=retry_after_values)
def test_any_retry_after_is_a_finite_wait_within_a_day(value: str) -> None:
    wait = retry_after_seconds({"Retry-After": value})
    assert math.isfinite(wait)
    assert 0 <= wait <= MAX_RETRY_AFTER


# --- tokens.json ---------------------------------------------------------------------------------

FILE_SECRETS = ("stored-access-8c7b6a", "stored-refresh-2f3e4d")
# A stored entry: its tokens are the secrets; any other field may hold anything.
stored_entries = st.fixed_dictionaries(
    {},
    optional={
        "access_token": st.sampled_from(FILE_SECRETS[:1]) | scalars,
        "refresh_token": st.sampled_from(FILE_SECRETS[1:]) | scalars,
        **dict.fromkeys(("token_type", "expires_in", "expires_at", "scope"), json_values),
    },
)
tokens_files = st.one_of(
    st.dictionaries(
        st.sampled_from(["P/cid/Shared", "P/cid/Other", "x"]),
        stored_entries | json_values,
        max_size=4,
    ).map(lambda tokens: json.dumps(tokens).encode()),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=200),
    st.sampled_from(
        [b"[" * 100_000, b'{"P/cid/Shared": ' + b"[" * 40 + b"]" * 40 + b"}", b"", b"  \n"]
    ),
)


class Recorded(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


async def read_back(path: Path) -> list[str]:
    """Everything a user of the file does with it; the messages it produced."""
    messages: list[str] = []
    store = FileTokenStore(path)
    try:
        tokens = await store.load_all()
    except TokenStoreError as err:
        return [str(err), repr(err)]
    for key, token in tokens.items():
        messages.extend(cli._describe(key, token))
        token_is_fresh(token, 60)
        scope_set(token.get("scope"))
    client = AuthClient(
        "Authorization Code PKCE",
        clientId="cid",
        tokenProviderId="P",
        scope=["user-read-private"],
        tokenStore=store,
    )
    try:
        await client.LoadToken()
        messages.append(repr(client))
        await store.save("P/cid/New", {"access_token": "fresh", "scope": "a b"})
        assert (await store.load("P/cid/New") or {}).get("access_token") == "fresh"
    finally:
        await client.close()
    return messages


@fuzz
@given(raw=tokens_files)
def test_any_tokens_json_reads_safely_and_can_be_written_back(
    raw: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tokenstore, "UNREADABLE_GRACE_SECONDS", 0.0)
    logger = logging.getLogger(tokenstore.__name__)
    recorded = Recorded()
    logger.addHandler(recorded)
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "tokens.json"
            path.write_bytes(raw)
            messages = asyncio.run(asyncio.wait_for(read_back(path), 30))
    finally:
        logger.removeHandler(recorded)
        logger.setLevel(previous)
    no_secret_in("\n".join(messages + recorded.lines), FILE_SECRETS)


# --- the loopback callback's query ---------------------------------------------------------------

EXPECTED_STATE = "expected-state-0e9d8c"
query_keys = st.sampled_from(["code", "state", "error", "error_description", "x"]) | st.text(
    max_size=6
)
query_values = st.sampled_from([EXPECTED_STATE, "auth-code-7d6c5b4a", ""]) | st.text(max_size=20)
queries = st.one_of(
    st.lists(st.tuples(query_keys, query_values), max_size=6).map(
        lambda pairs: "&".join(f"{quote(k)}={quote(v)}" for k, v in pairs)
    ),
    st.text(max_size=60).map(lambda text: quote(text, safe="=&;+%")),
)


async def answer_callback(query: str, path: str) -> tuple[int, list[str]]:
    exchanged: list[str] = []

    async def exchange(url: str) -> dict[str, Any]:
        exchanged.append(url)
        return {"access_token": "issued"}

    server = interactive.CallbackServer(exchange, "done")
    port = await server.start("127.0.0.1", 0)
    server.expect_state(EXPECTED_STATE)
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.get(URL(f"http://127.0.0.1:{port}{path}?{query}", encoded=True)) as resp,
        ):
            await resp.read()
            return resp.status, exchanged
    finally:
        await server.stop()


@fuzz
@given(query=queries, path=st.sampled_from(["/", "/favicon.ico", "/callback"]))
@example(query=f"code=c&state={EXPECTED_STATE}", path="/")
@example(query=f"code=c&state={EXPECTED_STATE}&state=forged", path="/")
def test_any_callback_query_is_answered_and_only_the_expected_state_is_exchanged(
    query: str, path: str, socket_enabled: None
) -> None:
    status, exchanged = asyncio.run(asyncio.wait_for(answer_callback(query, path), 30))
    parsed = URL(f"http://h/?{query}", encoded=True).query
    expected = (
        path == "/"
        and ("code" in parsed or "error" in parsed)
        and parsed.getall("state", []) == [EXPECTED_STATE]
    )
    if expected:
        assert status == 200
    elif path != "/" or not ("code" in parsed or "error" in parsed):
        assert status == 404
    else:
        assert status == 400  # answered at once: a wrong state never reaches the exchange
    assert bool(exchanged) == expected


async def fetch_pasted(answer: str, dead_port: int) -> None:
    async with AuthClient(
        "Authorization Code PKCE",
        tokenUrl=f"http://127.0.0.1:{dead_port}/api/token",
        clientId="cid",
        clientSecret=SENT[0],
        tokenStore=tokenstore.MemoryTokenStore(),
    ) as client:
        client.authorization_url(redirect_uri="http://127.0.0.1:8080/", state=EXPECTED_STATE)
        verifier = client.CodeVerifier
        assert verifier is not None
        try:
            await client.FetchToken(**interactive.console_answer(answer))
        except AuthClientError as err:
            no_secret_in(f"{err} {err!r}", [SENT[0], verifier])


@pytest.fixture
def dead_port(socket_enabled: None) -> int:
    """A loopback port nothing listens on: a token request there fails at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@fuzz
@given(answer=queries | st.text(max_size=60))
@example(answer=f"http://127.0.0.1:8080/?code=c&state={EXPECTED_STATE}")
def test_any_pasted_answer_fetches_or_fails_typed(answer: str, dead_port: int) -> None:
    asyncio.run(asyncio.wait_for(fetch_pasted(answer, dead_port), 30))
