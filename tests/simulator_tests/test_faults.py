"""Scripted faults: statuses, error bodies, Retry-After, delays, garbage bodies, counts."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from .helpers import api_get, basic_auth, post_token

if TYPE_CHECKING:
    import aiohttp

    from tests.simulator import SpotifySimulator


async def test_token_endpoint_fault_uses_the_oauth_shape(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    tokens = simulator.issue_token()
    simulator.fail_next(
        "/api/token", 400, error="invalid_grant", description="Refresh token revoked"
    )
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    auth = basic_auth(simulator.DEFAULT_CLIENT_ID, simulator.DEFAULT_CLIENT_SECRET)

    first = await post_token(http, simulator, form, auth=auth)
    second = await post_token(http, simulator, form, auth=auth)

    assert (first[0], first[1]) == (
        400,
        {"error": "invalid_grant", "error_description": "Refresh token revoked"},
    )
    assert second[0] == 200
    assert [r.status for r in simulator.requests] == [400, 200]


async def test_rate_limit_carries_retry_after(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    token = simulator.issue_token()["access_token"]
    simulator.fail_next("/v1/me", 429, retry_after=5)
    simulator.fail_next("/v1/me", 429)

    async with http.get(
        f"{simulator.api_url}/me", headers={"Authorization": f"Bearer {token}"}
    ) as response:
        assert response.status == 429
        assert response.headers["Retry-After"] == "5"
        assert await response.json() == {"error": {"status": 429, "message": "Too Many Requests"}}
    async with http.get(
        f"{simulator.api_url}/me", headers={"Authorization": f"Bearer {token}"}
    ) as response:
        assert response.headers["Retry-After"] == "1"


async def test_api_fault_with_reason_and_count(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    token = simulator.issue_token()["access_token"]
    simulator.fail_next(
        "/v1/me",
        404,
        count=2,
        error="NO_ACTIVE_DEVICE",
        description="Player command failed: No active device found",
    )

    results = [await api_get(http, simulator, "/me", token) for _ in range(3)]

    expected = {
        "error": {
            "status": 404,
            "message": "Player command failed: No active device found",
            "reason": "NO_ACTIVE_DEVICE",
        }
    }
    assert results[:2] == [(404, expected), (404, expected)]
    assert results[2][0] == 200


async def test_method_filter_and_prefix(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    token = simulator.issue_token()["access_token"]
    simulator.fail_next("/v1/users/*", 503, method="GET")
    simulator.fail_next("/v1/me", 500, method="POST")

    me = await api_get(http, simulator, "/me", token)
    user = await api_get(http, simulator, "/users/bob", token)

    assert me[0] == 200
    assert user == (503, {"error": {"status": 503, "message": "Service Unavailable"}})
    assert [f.method for f in simulator.faults.pending] == ["POST"]


async def test_malformed_body_with_success_status(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    token = simulator.issue_token()["access_token"]
    simulator.fail_next("/v1/me", None, body=b"{not json")

    async with http.get(
        f"{simulator.api_url}/me", headers={"Authorization": f"Bearer {token}"}
    ) as response:
        assert response.status == 200
        assert response.content_type == "application/json"
        assert await response.read() == b"{not json"


async def test_delay_then_normal_answer(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    token = simulator.issue_token()["access_token"]
    simulator.fail_next("/v1/me", None, delay=0.3)

    started = time.monotonic()
    status, body = await api_get(http, simulator, "/me", token)

    assert time.monotonic() - started >= 0.3
    assert (status, body["id"]) == (200, "alice")


async def test_fault_needs_something_to_do(simulator: SpotifySimulator) -> None:
    with pytest.raises(ValueError, match="status, a delay or a body"):
        simulator.fail_next("/v1/me", None)
    with pytest.raises(ValueError, match="at least one"):
        simulator.fail_next("/v1/me", 500, count=0)
