"""Code ported from spotifywebapipython: implicit token loading, its extra methods, its errors."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from oauthlib.oauth2 import (
    AccessDeniedError,
    InvalidClientError,
    InvalidGrantError,
    MismatchingStateError,
    OAuth2Error,
    TokenExpiredError,
)

from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
from custom_components.spotify_webapi.oauthcli.errors import (
    AuthorizationError,
    AuthorizationTimeoutError,
    NotAuthorizedError,
    StateMismatchError,
    authorization_error,
)

from .conftest import REDIRECT_URI, SCOPES, ClientFactory, authorized_client

if TYPE_CHECKING:
    from pathlib import Path

    import aiohttp

    from tests.simulator import SpotifySimulator


def stored(tmp_path: Path) -> dict[str, Any]:
    tokens: dict[str, Any] = json.loads((tmp_path / "tokens.json").read_text())
    return tokens


async def test_stored_token_is_used_without_load_token(
    make_client: ClientFactory, http: aiohttp.ClientSession, simulator: SpotifySimulator
) -> None:
    await authorized_client(make_client, http)
    ported = make_client()
    assert not ported.IsAuthorized  # the constructor does no I/O

    response = await ported.get("me")

    assert response.status_code == 200
    assert response.json()["id"] == simulator.accounts.approve_as
    assert ported.IsAuthorized


async def test_async_with_loads_the_stored_token(
    make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    first = await authorized_client(make_client, http)
    async with make_client() as ported:
        assert ported.IsAuthorized
        assert ported.Token == first.Token


async def test_a_token_set_by_the_caller_is_not_replaced_by_the_stored_one(
    make_client: ClientFactory, http: aiohttp.ClientSession, simulator: SpotifySimulator
) -> None:
    await authorized_client(make_client, http)
    client = make_client()
    mine = simulator.issue_token()
    client.Token = mine
    async with client:
        assert client.Token == mine
    assert (await client.get("me")).status == 200
    assert client.Token == mine


async def test_stored_token_lacking_a_requested_scope_is_dropped_from_the_file(
    make_client: ClientFactory, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    await authorized_client(make_client, http, scope=SCOPES[:1])
    assert len(stored(tmp_path)) == 1

    wider = make_client(scope=SCOPES)
    with pytest.raises(NotAuthorizedError):
        await wider.get("me")

    assert stored(tmp_path) == {}
    assert not wider.IsAuthorized


async def test_stored_token_with_more_scopes_than_requested_is_kept(
    make_client: ClientFactory, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    await authorized_client(make_client, http)
    narrower = make_client(scope=SCOPES[:1])
    assert (await narrower.get("me")).status == 200
    assert len(stored(tmp_path)) == 1


async def test_save_token_and_has_token_for_key(
    make_client: ClientFactory, simulator: SpotifySimulator, tmp_path: Path
) -> None:
    def has(**ids: Any) -> Any:
        return AuthClient.HasTokenForKey(
            clientId=simulator.DEFAULT_CLIENT_ID, tokenStorageDir=str(tmp_path), **ids
        )

    assert await has() is False
    client = make_client(tokenProfileId="kitchen")
    token = simulator.issue_token()
    await client.SaveToken(token)

    assert await has(tokenProfileId="kitchen") is True
    assert await has() is False  # another profile, another key
    entry = stored(tmp_path)[f"Shared/{simulator.DEFAULT_CLIENT_ID}/kitchen"]
    assert entry["access_token"] == token["access_token"]
    assert not client.IsAuthorized  # saving, as in the original, does not touch the session

    await client.SaveToken(None)
    assert await has(tokenProfileId="kitchen") is False


# --- errors an `except` written for the original still catches ------------------------------


async def test_revoked_refresh_token_is_oauthlibs_invalid_grant(
    make_client: ClientFactory, http: aiohttp.ClientSession, simulator: SpotifySimulator
) -> None:
    client = await authorized_client(make_client, http)
    simulator.revoke_refresh_tokens()
    with pytest.raises(InvalidGrantError) as caught:
        await client.RefreshToken()
    assert isinstance(caught.value, AuthorizationError)
    assert caught.value.error == "invalid_grant"
    assert caught.value.description == "Refresh token revoked"
    assert str(caught.value) == "invalid_grant: Refresh token revoked"


async def test_no_token_is_oauthlibs_token_expired(make_client: ClientFactory) -> None:
    with pytest.raises(TokenExpiredError) as caught:
        await make_client().get("me")
    assert isinstance(caught.value, NotAuthorizedError)
    with pytest.raises(TokenExpiredError):
        await make_client().RefreshToken()


async def test_state_mismatch_and_denial_are_oauthlibs(
    make_client: ClientFactory, http: aiohttp.ClientSession
) -> None:
    client = make_client()
    client.authorization_url(redirect_uri=REDIRECT_URI)
    with pytest.raises(MismatchingStateError) as mismatch:
        await client.FetchToken(authorization_response="/?code=abc&state=forged")
    assert isinstance(mismatch.value, StateMismatchError)

    _url, state = client.authorization_url(redirect_uri=REDIRECT_URI)
    with pytest.raises(AccessDeniedError) as denied:
        await client.FetchToken(authorization_response=f"/?error=access_denied&state={state}")
    assert isinstance(denied.value, AuthorizationError)
    assert issubclass(AuthorizationTimeoutError, AccessDeniedError)


@pytest.mark.parametrize(
    ("error", "oauthlib_class"),
    [("invalid_grant", InvalidGrantError), ("invalid_client", InvalidClientError)],
)
def test_error_factory_keeps_our_message_and_oauthlibs_fields(
    error: str, oauthlib_class: type[OAuth2Error]
) -> None:
    err = authorization_error(error, "Nope", 400)
    assert isinstance(err, oauthlib_class)
    assert str(err) == f"{error}: Nope"
    assert err.error == error
    assert err.description == "Nope"
    assert err.status_code == 400
    assert err.twotuples == [("error", error), ("error_description", "Nope")]
    unknown = authorization_error("something_new")
    assert type(unknown) is AuthorizationError
    assert str(unknown) == "something_new"
