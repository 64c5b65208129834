"""AuthorizeWithServer and AuthorizeWithConsole, with a test playing the user's browser."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest

from custom_components.spotify_webapi.oauthcli import authclient, interactive
from custom_components.spotify_webapi.oauthcli.errors import (
    AuthorizationError,
    AuthorizationTimeoutError,
    StateMismatchError,
)

from .conftest import REDIRECT_URI, ClientFactory, approve, authorized_client

if TYPE_CHECKING:
    from pathlib import Path

    import aiohttp

    from custom_components.spotify_webapi.oauthcli.response import Response
    from tests.simulator import SpotifySimulator


class Browser:
    """Stands in for webbrowser.open: remembers the URLs it was asked to open."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.urls: list[str] = []

    def open(self, url: str) -> bool:
        time.sleep(self.delay)  # a real browser launch can block like this
        self.urls.append(url)
        return True

    async def next_url(self) -> str:
        for _ in range(500):
            if self.urls:
                return self.urls.pop(0)
            await asyncio.sleep(0.01)
        raise AssertionError("the browser was never opened")


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Browser:
    fake = Browser()
    monkeypatch.setattr(interactive.webbrowser, "open", fake.open)
    return fake


def busy_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_server_flow_end_to_end(
    simulator: SpotifySimulator,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    browser: Browser,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client = make_client()
    port = free_port()
    task = asyncio.create_task(
        client.AuthorizeWithServer(host="127.0.0.1", port=[port], success_message="All set <3")
    )
    url = await browser.next_url()
    assert f"redirect_uri=http%3A%2F%2F127.0.0.1%3A{port}%2F&" in url
    assert url in capsys.readouterr().out

    # Requests that are not the callback are ignored, and so is a forged state.
    async with http.get(f"http://127.0.0.1:{port}/favicon.ico") as resp:
        assert resp.status == 404
    async with http.get(f"http://127.0.0.1:{port}/?code=x&state=forged") as resp:
        assert resp.status == 400
    assert not task.done()

    async with http.get(url) as resp:  # follows the redirect back to the loopback server
        assert resp.status == 200
        assert "All set &lt;3" in await resp.text()
    token = await task
    assert token == client.Token
    assert [r.form["grant_type"] for r in simulator.requests if r.path == "/api/token"] == [
        "authorization_code"
    ]


async def test_server_picks_first_free_port_without_trailing_slash(
    make_client: ClientFactory, http: aiohttp.ClientSession, browser: Browser
) -> None:
    client = make_client()
    with busy_socket() as busy:
        taken = busy.getsockname()[1]
        port = free_port()
        task = asyncio.create_task(
            client.AuthorizeWithServer(
                host="127.0.0.1",
                port=[taken, port],
                redirect_uri_trailing_slash=False,
                authorization_prompt_message=None,
            )
        )
        url = await browser.next_url()
        redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        assert redirect == f"http://127.0.0.1:{port}"
        async with http.get(url) as resp:
            assert resp.status == 200
        assert (await task)["access_token"]


async def test_server_takes_redirect_uri_path_as_1_0_296_does(
    make_client: ClientFactory, http: aiohttp.ClientSession, browser: Browser
) -> None:
    client = make_client()
    task = asyncio.create_task(
        client.AuthorizeWithServer(
            host="127.0.0.1",
            port=0,
            redirect_uri_path="/callback",
            authorization_prompt_message=None,
        )
    )
    url = await browser.next_url()
    redirect = parse_qs(urlsplit(url).query)["redirect_uri"][0]
    assert redirect.endswith("/callback")
    location = await approve(http, url)
    async with http.get(location.replace("/callback?", "/?")) as elsewhere:
        assert elsewhere.status == 404
    async with http.get(location) as resp:
        assert resp.status == 200
    assert (await task)["access_token"]


async def test_deadline_during_the_code_exchange_adopts_its_token(
    simulator: SpotifySimulator,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    browser: Browser,
    tmp_path: Path,
) -> None:
    client = make_client()
    simulator.fail_next("/api/token", None, delay=4.0)  # the exchange outlasts the deadline
    task = asyncio.create_task(
        client.AuthorizeWithServer(
            host="127.0.0.1", port=0, authorization_prompt_message=None, timeout_seconds=2
        )
    )
    async with http.get(await browser.next_url()) as resp:
        assert resp.status == 200
    token = await task
    assert token == client.Token
    stored = json.loads((tmp_path / "tokens.json").read_text())
    assert [entry["access_token"] for entry in stored.values()] == [token["access_token"]]


async def test_deadline_during_a_failing_code_exchange_stores_nothing(
    simulator: SpotifySimulator,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    browser: Browser,
    tmp_path: Path,
) -> None:
    client = make_client()
    simulator.fail_next("/api/token", 400, error="invalid_grant", delay=4.0)
    task = asyncio.create_task(
        client.AuthorizeWithServer(
            host="127.0.0.1", port=0, authorization_prompt_message=None, timeout_seconds=2
        )
    )
    async with http.get(await browser.next_url()) as resp:
        assert resp.status == 400
    with pytest.raises(AuthorizationError, match="invalid_grant"):
        await task
    assert not (tmp_path / "tokens.json").exists()
    assert not client.IsAuthorized


async def test_server_with_no_free_port(make_client: ClientFactory, browser: Browser) -> None:
    with (
        busy_socket() as busy,
        pytest.raises(authclient.AuthClientError, match="none of the ports"),
    ):
        await make_client().AuthorizeWithServer(host="127.0.0.1", port=busy.getsockname()[1])
    assert browser.urls == []


async def test_server_times_out_and_releases_the_port(
    make_client: ClientFactory, browser: Browser
) -> None:
    port = free_port()
    with pytest.raises(AuthorizationTimeoutError, match="1 seconds"):
        await make_client().AuthorizeWithServer(host="127.0.0.1", port=port, timeout_seconds=1)
    assert len(browser.urls) == 1
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))  # free again


async def test_server_reports_a_denied_authorization(
    simulator: SpotifySimulator,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    browser: Browser,
) -> None:
    client = make_client()
    port = free_port()
    task = asyncio.create_task(client.AuthorizeWithServer(host="127.0.0.1", port=port))
    url = await browser.next_url()
    state = parse_qs(urlsplit(url).query)["state"][0]
    async with http.get(f"http://127.0.0.1:{port}/?error=access_denied&state={state}") as resp:
        assert resp.status == 400
        assert "access_denied" in await resp.text()
    with pytest.raises(AuthorizationError, match="access_denied"):
        await task
    assert not [r for r in simulator.requests if r.path == "/api/token"]


async def test_opening_the_browser_does_not_block_the_loop(
    make_client: ClientFactory, http: aiohttp.ClientSession, browser: Browser
) -> None:
    browser.delay = 0.5
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    counting = asyncio.create_task(ticker())
    task = asyncio.create_task(
        make_client().AuthorizeWithServer(host="127.0.0.1", port=free_port())
    )
    url = await browser.next_url()
    counting.cancel()
    assert ticks >= 20
    async with http.get(url):
        pass
    await task


async def test_existing_token_is_kept_unless_forced_or_failing_its_test(
    make_client: ClientFactory, http: aiohttp.ClientSession, browser: Browser
) -> None:
    client = await authorized_client(make_client, http)
    token = client.Token
    # A fresh client loads the stored token and needs no authorization.
    again = make_client()
    assert await again.AuthorizeWithServer(host="127.0.0.1", port=free_port()) == token
    tested: list[int] = []

    async def passes(c: authclient.AuthClient) -> Response:
        resp = await c.get("me")
        tested.append(resp.status)
        return resp

    assert await again.AuthorizeWithConsole(token_test=passes) == token
    assert tested == [200]
    assert browser.urls == []

    def rejects(_c: authclient.AuthClient) -> Any:
        return type("Answer", (), {"status_code": 401})()

    def raises(_c: authclient.AuthClient) -> Any:
        raise RuntimeError("boom")

    for kwargs in ({"token_test": rejects}, {"token_test": raises}, {"force": True}):
        task = asyncio.create_task(
            again.AuthorizeWithServer(host="127.0.0.1", port=free_port(), **kwargs)
        )
        async with http.get(await browser.next_url()) as resp:
            assert resp.status == 200
        new = await task
        assert new["access_token"] != token["access_token"]  # type: ignore[index]


async def test_expired_token_is_refreshed_instead_of_authorizing(
    simulator: SpotifySimulator, make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = await authorized_client(make_client, http)
    client.Token = {**(client.Token or {}), "expires_at": time.time() - 5}
    token = await client.AuthorizeWithConsole(open_browser=False, input_func=_never)
    assert token["expires_at"] > time.time()
    assert simulator.requests[-1].form["grant_type"] == "refresh_token"


def _never(_prompt: str) -> str:
    raise AssertionError("the user must not be asked")


@pytest.mark.parametrize("answer_kind", ["url", "query", "code"])
async def test_console_flow_accepts_url_or_code(
    simulator: SpotifySimulator,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    capsys: pytest.CaptureFixture[str],
    answer_kind: str,
) -> None:
    client = make_client()
    prompts: list[str] = []

    def user(prompt: str) -> str:
        prompts.append(prompt)
        printed = capsys.readouterr().out.strip()
        url = printed.removeprefix("Go to ")
        location = asyncio.run_coroutine_threadsafe(approve(http, url), loop).result(10)
        if answer_kind == "url":
            return location
        if answer_kind == "query":
            return urlsplit(location).query
        return parse_qs(urlsplit(location).query)["code"][0]

    loop = asyncio.get_running_loop()
    token = await client.AuthorizeWithConsole(
        authorization_prompt_message="Go to {url}",
        open_browser=False,
        code_message="Code? ",
        token_audience="https://api.example",
        redirect_uri=REDIRECT_URI,
        input_func=user,
    )
    assert prompts == ["Code? "]
    assert token == client.Token
    sent = simulator.requests[-1]
    assert sent.form["audience"] == "https://api.example"
    assert sent.form["redirect_uri"] == REDIRECT_URI


async def test_console_flow_checks_state_in_pasted_url(
    simulator: SpotifySimulator, make_client: ClientFactory
) -> None:
    client = make_client()
    with pytest.raises(StateMismatchError):
        await client.AuthorizeWithConsole(
            authorization_prompt_message=None,
            open_browser=False,
            input_func=lambda _p: f"{REDIRECT_URI}?code=abc&state=forged",
        )
    assert not [r for r in simulator.requests if r.path == "/api/token"]


async def test_console_flow_accepts_a_pasted_out_of_band_url(
    simulator: SpotifySimulator,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    capsys: pytest.CaptureFixture[str],
) -> None:
    loop = asyncio.get_running_loop()

    def user(_prompt: str) -> str:
        url = capsys.readouterr().out.strip()
        location = asyncio.run_coroutine_threadsafe(approve(http, url), loop).result(10)
        return "urn:ietf:wg:oauth:2.0:oob?" + urlsplit(location).query

    token = await make_client().AuthorizeWithConsole(
        authorization_prompt_message="{url}",
        open_browser=False,
        redirect_uri=REDIRECT_URI,
        input_func=user,
    )
    assert token["access_token"]
    assert simulator.requests[-1].form["grant_type"] == "authorization_code"


async def test_cancelling_the_console_prompt_does_not_wait_for_the_user(
    make_client: ClientFactory,
) -> None:
    asked = threading.Event()
    release = threading.Event()
    threads: list[threading.Thread] = []

    def user(_prompt: str) -> str:
        threads.append(threading.current_thread())
        asked.set()
        release.wait(10)  # a user who never presses Enter
        return ""

    task = asyncio.create_task(
        make_client().AuthorizeWithConsole(
            authorization_prompt_message=None, open_browser=False, input_func=user
        )
    )
    assert await asyncio.to_thread(asked.wait, 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 1)
    (reader,) = threads
    assert reader.daemon  # cannot keep the process alive
    release.set()
    reader.join(5)


async def raw_get(port: int, target: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A connection to the loopback server, opened ahead so a request can be sent at once."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n".encode()
    )
    return reader, writer


async def status_of(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> int:
    async with asyncio.timeout(30):
        line = await reader.readline()
        await reader.read()
    writer.close()
    await writer.wait_closed()
    return int(line.split()[1])


async def test_forged_callbacks_never_block_the_real_one(
    simulator: SpotifySimulator,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    browser: Browser,
) -> None:
    """Wrong-state requests arriving with the real redirect are answered 400 at once."""
    client = make_client()
    task = asyncio.create_task(
        client.AuthorizeWithServer(
            host="127.0.0.1", port=0, authorization_prompt_message=None, timeout_seconds=15
        )
    )
    real = urlsplit(await approve(http, await browser.next_url()))
    port = real.port
    assert port is not None
    forged = [f"/?code=forged{n}&state=forged{n}" for n in range(8)]
    forged += ["/?code=x", f"/?{real.query}&state=second", "/?error=access_denied&state=nope"]
    # Every request is written but its last line, on open connections, then all are
    # completed together: the server receives them in one go, the real one last.
    connections = [await raw_get(port, target) for target in [*forged, f"/?{real.query}"]]
    await asyncio.sleep(0.2)
    for _, writer in connections:
        writer.write(b"\r\n")
    statuses = await asyncio.gather(*(status_of(*connection) for connection in connections))

    assert statuses == [400] * len(forged) + [200]
    token = await asyncio.wait_for(task, 30)
    assert token == client.Token
    assert len([r for r in simulator.requests if r.path == "/api/token"]) == 1


@pytest.mark.parametrize("seconds", [float("nan"), float("inf"), -1.0, 0.0])
async def test_server_refuses_a_timeout_that_is_not_a_positive_number(
    make_client: ClientFactory, browser: Browser, seconds: float
) -> None:
    with pytest.raises(ValueError, match="timeout_seconds"):
        await make_client().AuthorizeWithServer(host="127.0.0.1", port=0, timeout_seconds=seconds)
    assert browser.urls == []
