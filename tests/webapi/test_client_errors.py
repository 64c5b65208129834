"""How failures reach the caller: one exception tree, each error chained to its cause."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.spotify_webapi.oauthcli.errors import (
    AuthorizationError,
    NotAuthorizedError,
    RateLimitError,
    ServiceError,
)
from custom_components.spotify_webapi.webapi import (
    SpotifyApiError,
    SpotifyAuthorizationError,
    SpotifyError,
    SpotifyForbiddenError,
    SpotifyNoActiveDeviceError,
    SpotifyNotFoundError,
    SpotifyRateLimitError,
    SpotifyResponseError,
    SpotifyServiceUnavailableError,
    SpotifyWebApiClient,
)

from .helpers import api_requests, last_request

if TYPE_CHECKING:
    import aiohttp

    from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
    from tests.simulator import SpotifySimulator


async def test_current_user(client: SpotifyWebApiClient, simulator: SpotifySimulator) -> None:
    user = await client.get_current_user()
    request = last_request(simulator)
    assert (request.method, request.path, request.query, request.json) == (
        "GET",
        "/v1/me",
        {},
        None,
    )
    profile = simulator.users[simulator.accounts.approve_as]
    assert user.id == profile.id
    assert user.display_name == profile.display_name
    assert user.email == profile.email
    assert user.country == profile.country
    assert user.product == profile.product
    assert user.followers == profile.followers
    assert user.uri == profile.uri
    assert [image.url for image in user.images] == [
        image["url"] for image in profile.images(simulator.api_url)
    ]


async def test_current_user_without_product(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    simulator.omit_product = True
    user = await client.get_current_user()
    assert user.product is None
    assert user.id == simulator.accounts.approve_as


async def test_expired_access_token_is_refreshed_mid_session(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, auth: AuthClient
) -> None:
    await client.get_current_user()
    old_token = auth.Token
    simulator.expire_access_tokens()
    simulator.clear_requests()

    user = await client.get_current_user()

    assert user.id == simulator.accounts.approve_as
    assert auth.Token != old_token
    assert [(r.method, r.path, r.status) for r in simulator.requests] == [
        ("GET", "/v1/me", 401),
        ("POST", "/api/token", 200),
        ("GET", "/v1/me", 200),
    ]
    assert simulator.requests[1].form is not None
    assert simulator.requests[1].form["grant_type"] == "refresh_token"


async def test_token_expiring_on_the_simulator_clock_is_refreshed(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    simulator.clock.advance(2 * 3600)
    user = await client.get_current_user()
    assert user.id == simulator.accounts.approve_as
    assert [(r.path, r.status) for r in simulator.requests] == [
        ("/v1/me", 401),
        ("/api/token", 200),
        ("/v1/me", 200),
    ]


async def test_401_after_the_retry_is_an_authorization_error(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    simulator.fail_next("/v1/me", 401, count=2, description="Invalid access token")
    with pytest.raises(SpotifyAuthorizationError, match="Invalid access token"):
        await client.get_current_user()
    assert [r.status for r in api_requests(simulator)] == [401, 401]


async def test_refused_refresh_is_an_authorization_error(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    simulator.revoke_refresh_tokens()
    simulator.expire_access_tokens()
    with pytest.raises(SpotifyAuthorizationError) as caught:
        await client.get_current_user()
    assert isinstance(caught.value.__cause__, AuthorizationError)
    assert caught.value.__cause__.error == "invalid_grant"


async def test_missing_token_is_an_authorization_error(
    client: SpotifyWebApiClient, auth: AuthClient, simulator: SpotifySimulator
) -> None:
    auth.Token = None
    with pytest.raises(SpotifyAuthorizationError) as caught:
        await client.get_current_user()
    assert isinstance(caught.value.__cause__, NotAuthorizedError)
    assert simulator.requests == []


async def test_premium_required_is_forbidden_with_spotify_message(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    simulator.premium_required = True
    with pytest.raises(SpotifyForbiddenError, match="premium subscription required") as caught:
        await client.get_current_user()
    assert caught.value.status == 403
    assert "Active premium subscription required" in caught.value.message


async def test_forbidden_keeps_spotify_reason(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    simulator.fail_next(
        "/v1/me",
        403,
        error="PREMIUM_REQUIRED",
        description="Player command failed: Premium required",
    )
    with pytest.raises(SpotifyForbiddenError) as caught:
        await client.get_current_user()
    assert caught.value.reason == "PREMIUM_REQUIRED"
    assert caught.value.message == "Player command failed: Premium required"
    assert str(caught.value) == "403: Player command failed: Premium required (PREMIUM_REQUIRED)"


async def test_404_outside_the_player_is_not_found(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    simulator.fail_next("/v1/me", 404, description="Resource not found")
    with pytest.raises(SpotifyNotFoundError, match="Resource not found") as caught:
        await client.get_current_user()
    assert not isinstance(caught.value, SpotifyNoActiveDeviceError)


@pytest.mark.parametrize("retry_after", [1, 7])
async def test_429_is_rate_limited_with_retry_after(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, retry_after: int
) -> None:
    simulator.fail_next("/v1/me", 429, retry_after=retry_after)
    with pytest.raises(SpotifyRateLimitError) as caught:
        await client.get_current_user()
    assert caught.value.retry_after == retry_after
    assert isinstance(caught.value.__cause__, RateLimitError)
    assert len(api_requests(simulator)) == 1  # no retry behind the caller's back


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_5xx_is_service_unavailable(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, status: int
) -> None:
    simulator.fail_next("/v1/me", status)
    with pytest.raises(SpotifyServiceUnavailableError) as caught:
        await client.get_current_user()
    assert caught.value.status == status
    assert isinstance(caught.value.__cause__, ServiceError)


async def test_unreachable_spotify_is_service_unavailable(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    await simulator.stop()
    with pytest.raises(SpotifyServiceUnavailableError) as caught:
        await client.get_current_user()
    assert caught.value.status is None
    assert isinstance(caught.value.__cause__, ServiceError)


async def test_token_endpoint_failure_during_refresh_is_service_unavailable(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    simulator.expire_access_tokens()
    simulator.fail_next("/api/token", 503)
    with pytest.raises(SpotifyServiceUnavailableError):
        await client.get_current_user()


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (400, b'{"error": {"status": 400, "message": "Bad limit"}}', "400: Bad limit"),
        (400, b'{"error": "invalid_request", "error_description": "Nope"}', "400: Nope"),
        (418, b'{"error": "teapot"}', "418: teapot"),
        (409, b"<html>oops</html>", "409: Conflict"),
        (499, b'{"error": {"message": ""}}', "499: HTTP 499"),
        (400, b'[{"error": 1}]', "400: Bad Request"),
    ],
)
async def test_other_error_statuses_keep_what_spotify_said(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, status: int, body: bytes, message: str
) -> None:
    simulator.fail_next("/v1/me", status, body=body)
    with pytest.raises(SpotifyApiError) as caught:
        await client.get_current_user()
    assert type(caught.value) is SpotifyApiError
    assert caught.value.status == status
    assert str(caught.value) == message
    assert caught.value.reason is None


@pytest.mark.parametrize("body", [b"{not json", b'{"id": "x"', b"\xff\xfe", b"[" * 100_000])
async def test_malformed_json_is_a_response_error(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, body: bytes
) -> None:
    simulator.fail_next("/v1/me", 200, body=body)
    with pytest.raises(SpotifyResponseError, match="GET /v1/me with malformed JSON") as caught:
        await client.get_current_user()
    assert isinstance(caught.value.__cause__, (ValueError, RecursionError))


@pytest.mark.parametrize("body", [b"[]", b'"me"', b"null", b""])
async def test_json_of_the_wrong_shape_is_a_response_error(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, body: bytes
) -> None:
    simulator.fail_next("/v1/me", 200, body=body)
    with pytest.raises(SpotifyResponseError, match="expected a JSON object"):
        await client.get_current_user()


def test_every_error_shares_one_base_class() -> None:
    for error in (
        SpotifyApiError,
        SpotifyAuthorizationError,
        SpotifyForbiddenError,
        SpotifyNoActiveDeviceError,
        SpotifyNotFoundError,
        SpotifyRateLimitError,
        SpotifyResponseError,
        SpotifyServiceUnavailableError,
    ):
        assert issubclass(error, SpotifyError)


async def test_no_token_appears_in_an_error(
    client: SpotifyWebApiClient, simulator: SpotifySimulator, auth: AuthClient
) -> None:
    token = auth.Token
    assert token is not None
    simulator.revoke_refresh_tokens()
    simulator.expire_access_tokens()
    with pytest.raises(SpotifyError) as caught:
        await client.get_current_user()
    for secret in (token["access_token"], token["refresh_token"], simulator.DEFAULT_CLIENT_SECRET):
        assert secret not in str(caught.value)
        assert secret not in repr(caught.value)


async def test_client_uses_the_callers_session(
    client: SpotifyWebApiClient, auth: AuthClient, http: aiohttp.ClientSession
) -> None:
    await client.get_current_user()
    assert auth.Session is http
    assert not http.closed
