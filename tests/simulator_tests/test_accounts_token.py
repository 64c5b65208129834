"""POST /api/token: code exchange with PKCE, refresh, client credentials and their errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .helpers import REDIRECT_URI, api_get, authorize, basic_auth, exchange, post_token

if TYPE_CHECKING:
    import aiohttp

    from tests.simulator import SpotifySimulator

    from .helpers import Authorization


def _code_form(auth: Authorization, **overrides: str) -> dict[str, str]:
    form = {
        "grant_type": "authorization_code",
        "code": auth.code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": auth.verifier,
    }
    form.update(overrides)
    return {key: value for key, value in form.items() if value != "<omit>"}


def _default_auth(sim: SpotifySimulator) -> str:
    return basic_auth(sim.DEFAULT_CLIENT_ID, sim.DEFAULT_CLIENT_SECRET)


async def test_code_exchange_issues_tokens_for_the_approving_user(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    simulator.accounts.approve_as = "carol"
    auth = await authorize(http, simulator, scope="user-read-private user-read-email")

    status, body, headers = await post_token(
        http, simulator, _code_form(auth), auth=_default_auth(simulator)
    )

    assert status == 200
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "scope"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "user-read-private user-read-email"
    assert headers["Cache-Control"] == "no-store"
    logged = simulator.requests[-1]
    assert (logged.method, logged.path, logged.status) == ("POST", "/api/token", 200)
    assert logged.form == _code_form(auth)
    status, me = await api_get(http, simulator, "/me", body["access_token"])
    assert status == 200
    assert me["id"] == "carol"


async def test_public_pkce_client_needs_only_its_id(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    simulator.add_client("public-app")
    auth = await authorize(http, simulator, client_id="public-app")

    status, body, _ = await post_token(http, simulator, _code_form(auth, client_id="public-app"))

    assert status == 200
    assert "refresh_token" in body


async def test_confidential_client_may_use_pkce_without_its_secret(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    auth = await authorize(http, simulator)
    form = _code_form(auth, client_id=simulator.DEFAULT_CLIENT_ID)

    status, _, _ = await post_token(http, simulator, form)

    assert status == 200


async def test_require_client_secret_refuses_secretless_exchange(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    simulator.accounts.require_client_secret = True
    auth = await authorize(http, simulator)

    status, body, _ = await post_token(
        http, simulator, _code_form(auth, client_id=simulator.DEFAULT_CLIENT_ID)
    )

    assert (status, body["error"]) == (401, "invalid_client")


async def test_secret_in_the_form_works_like_basic(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    auth = await authorize(http, simulator)
    form = _code_form(
        auth,
        client_id=simulator.DEFAULT_CLIENT_ID,
        client_secret=simulator.DEFAULT_CLIENT_SECRET,
    )

    status, _, _ = await post_token(http, simulator, form)

    assert status == 200


@pytest.mark.parametrize(
    ("form_overrides", "status", "error", "description"),
    [
        ({"code_verifier": "x" * 50}, 400, "invalid_grant", "code_verifier was incorrect"),
        ({"code_verifier": "<omit>"}, 400, "invalid_request", "code_verifier required"),
        ({"code": "AQnot-a-code"}, 400, "invalid_grant", "Invalid authorization code"),
        ({"code": "<omit>"}, 400, "invalid_request", "code must be supplied"),
        (
            {"redirect_uri": "http://127.0.0.1:8080/other"},
            400,
            "invalid_grant",
            "Invalid redirect URI",
        ),
        ({"redirect_uri": "<omit>"}, 400, "invalid_request", "redirect_uri must be supplied"),
        (
            {"grant_type": "<omit>"},
            400,
            "unsupported_grant_type",
            "grant_type parameter is missing",
        ),
        (
            {"grant_type": "password"},
            400,
            "unsupported_grant_type",
            "grant_type must be client_credentials, authorization_code or refresh_token",
        ),
    ],
)
async def test_code_exchange_errors(
    simulator: SpotifySimulator,
    http: aiohttp.ClientSession,
    form_overrides: dict[str, str],
    status: int,
    error: str,
    description: str,
) -> None:
    auth = await authorize(http, simulator)

    got_status, body, _ = await post_token(
        http, simulator, _code_form(auth, **form_overrides), auth=_default_auth(simulator)
    )

    assert (got_status, body) == (status, {"error": error, "error_description": description})


async def test_failed_verifier_does_not_burn_the_code(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    auth = await authorize(http, simulator)
    await post_token(
        http, simulator, _code_form(auth, code_verifier="y" * 60), auth=_default_auth(simulator)
    )

    status, _, _ = await post_token(
        http, simulator, _code_form(auth), auth=_default_auth(simulator)
    )

    assert status == 200


@pytest.mark.parametrize(
    ("auth_header", "form_extra", "status", "description"),
    [
        ("wrong-secret", {}, 401, "Invalid client secret"),
        ("unknown-client", {}, 401, "Invalid client"),
        ("Bearer abc", {}, 401, "Invalid client"),
        ("Basic !!!notbase64", {}, 401, "Invalid client"),
        (
            "good",
            {"client_secret": "also"},
            400,
            "Only one client authentication method is allowed",
        ),
    ],
)
async def test_client_authentication_errors(
    simulator: SpotifySimulator,
    http: aiohttp.ClientSession,
    auth_header: str,
    form_extra: dict[str, str],
    status: int,
    description: str,
) -> None:
    headers = {
        "wrong-secret": basic_auth(simulator.DEFAULT_CLIENT_ID, "nope"),
        "unknown-client": basic_auth("who", "ever"),
        "good": _default_auth(simulator),
    }
    auth = await authorize(http, simulator)

    got_status, body, response_headers = await post_token(
        http, simulator, _code_form(auth, **form_extra), auth=headers.get(auth_header, auth_header)
    )

    assert got_status == status
    assert body["error_description"] == description
    if status == 401:
        assert body["error"] == "invalid_client"
        assert response_headers["WWW-Authenticate"].startswith("Basic")


async def test_form_must_be_urlencoded(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    async with http.post(
        f"{simulator.accounts_url}/api/token", json={"grant_type": "client_credentials"}
    ) as response:
        assert response.status == 400
        assert (await response.json())["error"] == "invalid_request"


async def test_codes_are_single_use_and_a_replay_revokes_the_grant(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    auth = await authorize(http, simulator)
    tokens = await exchange(http, simulator, auth)

    status, body, _ = await post_token(
        http, simulator, _code_form(auth), auth=_default_auth(simulator)
    )

    assert (status, body["error"], body["error_description"]) == (
        400,
        "invalid_grant",
        "Invalid authorization code",
    )
    me_status, me = await api_get(http, simulator, "/me", tokens["access_token"])
    assert (me_status, me["error"]["message"]) == (401, "Invalid access token")
    status, body, _ = await post_token(
        http,
        simulator,
        {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=_default_auth(simulator),
    )
    assert (status, body["error_description"]) == (400, "Refresh token revoked")


async def test_codes_expire(simulator: SpotifySimulator, http: aiohttp.ClientSession) -> None:
    auth = await authorize(http, simulator)
    simulator.clock.advance(simulator.accounts.code_lifetime + 1)

    status, body, _ = await post_token(
        http, simulator, _code_form(auth), auth=_default_auth(simulator)
    )

    assert (status, body["error_description"]) == (400, "Authorization code expired")


async def test_code_of_another_client_is_invalid(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    simulator.add_client("other-app", "other-secret")
    auth = await authorize(http, simulator)

    status, body, _ = await post_token(
        http, simulator, _code_form(auth), auth=basic_auth("other-app", "other-secret")
    )

    assert (status, body["error_description"]) == (400, "Invalid authorization code")


async def test_granted_scope_can_be_narrowed(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    simulator.accounts.grant_scope_override = "user-read-private"
    auth = await authorize(http, simulator, scope="user-read-private user-read-email")

    tokens = await exchange(http, simulator, auth)

    assert tokens["scope"] == "user-read-private"
    _, me = await api_get(http, simulator, "/me", tokens["access_token"])
    assert "country" in me
    assert "email" not in me


async def test_client_credentials_token_has_no_user(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    status, body, _ = await post_token(
        http, simulator, {"grant_type": "client_credentials"}, auth=_default_auth(simulator)
    )

    assert status == 200
    assert set(body) == {"access_token", "token_type", "expires_in"}
    me_status, me = await api_get(http, simulator, "/me", body["access_token"])
    assert (me_status, me["error"]["message"]) == (401, "Valid user authentication required")


async def test_client_credentials_need_the_secret(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    status, body, _ = await post_token(
        http,
        simulator,
        {"grant_type": "client_credentials", "client_id": simulator.DEFAULT_CLIENT_ID},
    )

    assert (status, body["error"]) == (401, "invalid_client")
