"""Web API authentication, account switches, the request log and the standalone entry point."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp

from tests.simulator import SpotifySimulator

from .helpers import api_get, basic_auth

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO = Path(__file__).resolve().parents[2]


async def test_missing_or_malformed_bearer(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{simulator.api_url}/me") as response:
        assert response.status == 401
        assert await response.json() == {"error": {"status": 401, "message": "No token provided"}}
    async with http.get(f"{simulator.api_url}/me", headers={"Authorization": "Basic abc"}) as resp:
        assert resp.status == 400
    assert (await api_get(http, simulator, "/me", "BQforged"))[1] == {
        "error": {"status": 401, "message": "Invalid access token"}
    }


async def test_unknown_route_is_a_spotify_404(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    token = simulator.issue_token()["access_token"]

    assert await api_get(http, simulator, "/no/such/thing", token) == (
        404,
        {"error": {"status": 404, "message": "Service not found"}},
    )


async def test_me_is_scope_gated_and_product_can_be_omitted(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    full = simulator.issue_token("alice")["access_token"]
    bare = simulator.issue_token("alice", scope="")["access_token"]

    _, me = await api_get(http, simulator, "/me", full)
    _, public = await api_get(http, simulator, "/me", bare)
    simulator.omit_product = True
    _, no_product = await api_get(http, simulator, "/me", full)

    assert me["id"] == "alice"
    assert me["uri"] == "spotify:user:alice"
    assert me["href"] == f"{simulator.api_url}/users/alice"
    assert (me["country"], me["product"], me["email"]) == ("US", "premium", "alice@example.com")
    assert me["followers"]["total"] == 12
    assert me["images"]
    assert {"country", "product", "email"}.isdisjoint(public)
    assert "product" not in no_product
    assert no_product["country"] == "US"


async def test_premium_required_blocks_every_call(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    token = simulator.issue_token()["access_token"]
    simulator.premium_required = True

    status, body = await api_get(http, simulator, "/me", token)

    assert status == 403
    assert body["error"]["status"] == 403
    assert body["error"]["message"].startswith("Active premium subscription required")


async def test_users_endpoint(simulator: SpotifySimulator, http: aiohttp.ClientSession) -> None:
    token = simulator.issue_token()["access_token"]

    status, bob = await api_get(http, simulator, "/users/bob", token)
    missing, _ = await api_get(http, simulator, "/users/nobody", token)

    assert status == 200
    assert (bob["id"], bob["display_name"], bob["type"]) == ("bob", "Bob Example", "user")
    assert "email" not in bob
    assert missing == 404


async def test_request_log_and_clear(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    token = simulator.issue_token()["access_token"]
    await api_get(http, simulator, "/me", token, market="US")
    async with http.put(
        f"{simulator.api_url}/me",
        json={"a": 1},
        headers={"Authorization": f"Bearer {token}"},
    ):
        pass

    get, put = simulator.requests
    assert (get.method, get.path, get.query, get.status) == ("GET", "/v1/me", {"market": "US"}, 200)
    assert get.headers["Authorization"] == f"Bearer {token}"
    assert (put.method, put.json, put.form, put.status) == ("PUT", {"a": 1}, None, 405)
    assert token not in repr(get)
    simulator.clear_requests()
    assert simulator.requests == []


async def test_reprs_hold_no_secrets(simulator: SpotifySimulator) -> None:
    tokens = simulator.issue_token()

    text = repr(simulator) + repr(simulator.accounts)

    assert tokens["access_token"] not in text
    assert tokens["refresh_token"] not in text
    assert simulator.DEFAULT_CLIENT_SECRET not in text


async def test_start_and_stop_explicitly(socket_enabled: None) -> None:
    sim = SpotifySimulator()
    await sim.start("127.0.0.1", 0)
    try:
        assert sim.base_url.startswith("http://127.0.0.1:")
        assert sim.api_url == sim.base_url + "/v1"
        assert sim.accounts_url == sim.base_url
    finally:
        await sim.stop()
    try:
        _ = sim.base_url
    except RuntimeError:
        pass
    else:
        raise AssertionError("a stopped simulator has no address")


def _free_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


async def test_standalone_entry_point(socket_enabled: None) -> None:
    port = next(_free_port())
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.simulator",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        banner = [
            (await asyncio.wait_for(process.stdout.readline(), 30)).decode() for _ in range(5)
        ]
        assert f"http://127.0.0.1:{port}" in banner[0]
        assert f"SPOTIFY_WEBAPI_API_URL=http://127.0.0.1:{port}/v1" in banner[2]
        assert SpotifySimulator.DEFAULT_CLIENT_ID in banner[3]
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"http://127.0.0.1:{port}/api/token",
                data={"grant_type": "client_credentials"},
                headers={
                    "Authorization": basic_auth(
                        SpotifySimulator.DEFAULT_CLIENT_ID, SpotifySimulator.DEFAULT_CLIENT_SECRET
                    )
                },
            ) as response,
        ):
            assert response.status == 200
    finally:
        process.terminate()
        await process.wait()
