"""Refresh tokens: omission vs rotation, revocation, expiry; access-token expiry on the Web API."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .helpers import api_get, basic_auth, post_token

if TYPE_CHECKING:
    import aiohttp

    from tests.simulator import SpotifySimulator


async def _refresh(
    http: aiohttp.ClientSession, sim: SpotifySimulator, refresh_token: str, **extra: str
) -> tuple[int, dict[str, Any]]:
    status, body, _ = await post_token(
        http,
        sim,
        {"grant_type": "refresh_token", "refresh_token": refresh_token, **extra},
        auth=basic_auth(sim.DEFAULT_CLIENT_ID, sim.DEFAULT_CLIENT_SECRET),
    )
    return status, body


async def test_refresh_omits_refresh_token_by_default(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    tokens = simulator.issue_token(scope="user-read-private")

    status, body = await _refresh(http, simulator, tokens["refresh_token"])

    assert status == 200
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert body["access_token"] != tokens["access_token"]
    assert body["scope"] == "user-read-private"
    # The old refresh token keeps working.
    status, _ = await _refresh(http, simulator, tokens["refresh_token"])
    assert status == 200
    me_status, _ = await api_get(http, simulator, "/me", body["access_token"])
    assert me_status == 200


async def test_rotation_replaces_the_refresh_token(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    simulator.accounts.rotate_refresh_tokens = True
    tokens = simulator.issue_token()

    status, body = await _refresh(http, simulator, tokens["refresh_token"])

    assert status == 200
    assert body["refresh_token"] != tokens["refresh_token"]
    old_status, old = await _refresh(http, simulator, tokens["refresh_token"])
    assert (old_status, old) == (
        400,
        {"error": "invalid_grant", "error_description": "Invalid refresh token"},
    )
    new_status, _ = await _refresh(http, simulator, body["refresh_token"])
    assert new_status == 200


async def test_revoked_refresh_token(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    alice = simulator.issue_token("alice")
    bob = simulator.issue_token("bob")

    simulator.revoke_refresh_tokens("alice")

    assert await _refresh(http, simulator, alice["refresh_token"]) == (
        400,
        {"error": "invalid_grant", "error_description": "Refresh token revoked"},
    )
    assert (await _refresh(http, simulator, bob["refresh_token"]))[0] == 200
    simulator.revoke_refresh_tokens()
    assert (await _refresh(http, simulator, bob["refresh_token"]))[0] == 400


async def test_refresh_token_lifetime_follows_the_clock(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    simulator.accounts.refresh_token_lifetime = 100
    tokens = simulator.issue_token()
    simulator.clock.advance(99)
    assert (await _refresh(http, simulator, tokens["refresh_token"]))[0] == 200

    simulator.clock.advance(2)

    assert await _refresh(http, simulator, tokens["refresh_token"]) == (
        400,
        {"error": "invalid_grant", "error_description": "Refresh token expired"},
    )


async def test_refresh_errors(simulator: SpotifySimulator, http: aiohttp.ClientSession) -> None:
    tokens = simulator.issue_token(scope="user-read-private")

    unknown = await _refresh(http, simulator, "AQunknown")
    wider = await _refresh(
        http, simulator, tokens["refresh_token"], scope="user-read-private streaming"
    )
    narrower = await _refresh(http, simulator, tokens["refresh_token"], scope="user-read-private")
    missing = await post_token(
        http,
        simulator,
        {"grant_type": "refresh_token"},
        auth=basic_auth(simulator.DEFAULT_CLIENT_ID, simulator.DEFAULT_CLIENT_SECRET),
    )

    assert unknown == (
        400,
        {"error": "invalid_grant", "error_description": "Invalid refresh token"},
    )
    assert (wider[0], wider[1]["error"]) == (400, "invalid_scope")
    assert narrower[0] == 200
    assert (missing[0], missing[1]["error"]) == (400, "invalid_request")


async def test_refresh_token_is_bound_to_its_client(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    simulator.add_client("other-app", "other-secret")
    tokens = simulator.issue_token()

    status, body, _ = await post_token(
        http,
        simulator,
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=basic_auth("other-app", "other-secret"),
    )

    assert (status, body["error_description"]) == (400, "Invalid refresh token")


async def test_issue_token_shape(simulator: SpotifySimulator) -> None:
    before = simulator.clock.now()

    tokens = simulator.issue_token("bob", scope="user-read-private")

    assert set(tokens) == {
        "access_token",
        "token_type",
        "expires_in",
        "expires_at",
        "refresh_token",
        "scope",
    }
    assert tokens["scope"] == "user-read-private"
    assert before + 3600 - 1 <= tokens["expires_at"] <= simulator.clock.now() + 3600


async def test_access_tokens_expire_with_the_clock(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    tokens = simulator.issue_token()
    assert (await api_get(http, simulator, "/me", tokens["access_token"]))[0] == 200

    simulator.clock.advance(3600)

    assert await api_get(http, simulator, "/me", tokens["access_token"]) == (
        401,
        {"error": {"status": 401, "message": "The access token expired"}},
    )
    async with http.get(
        f"{simulator.api_url}/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    ) as response:
        challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="spotify", error="invalid_token"')


async def test_expire_access_tokens_at_once(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    tokens = simulator.issue_token()

    simulator.expire_access_tokens()

    status, body = await api_get(http, simulator, "/me", tokens["access_token"])
    assert (status, body["error"]["message"]) == (401, "The access token expired")
    fresh = simulator.issue_token()
    assert (await api_get(http, simulator, "/me", fresh["access_token"]))[0] == 200


async def test_shorter_access_token_lifetime(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    simulator.accounts.access_token_lifetime = 60
    tokens = simulator.issue_token()

    simulator.clock.advance(61)

    assert tokens["expires_in"] == 60
    assert (await api_get(http, simulator, "/me", tokens["access_token"]))[0] == 401
