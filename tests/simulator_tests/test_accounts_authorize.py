"""GET /authorize: validation, PKCE enforcement, consent page and redirects."""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

import pytest

from .helpers import REDIRECT_URI, authorize, authorize_params, query_of

if TYPE_CHECKING:
    import aiohttp

    from tests.simulator import SpotifySimulator


async def _get_authorize(
    http: aiohttp.ClientSession, sim: SpotifySimulator, params: dict[str, str]
) -> tuple[int, str, str | None]:
    async with http.get(
        f"{sim.accounts_url}/authorize", params=params, allow_redirects=False
    ) as response:
        return response.status, await response.text(), response.headers.get("Location")


def _params(sim: SpotifySimulator, **overrides: str) -> dict[str, str]:
    return {**authorize_params(sim, verifier="v" * 50, state="st4te"), **overrides}


async def test_approval_redirects_with_code_and_state(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    auth = await authorize(http, simulator)

    assert auth.location.startswith(REDIRECT_URI + "?")
    assert set(auth.params) == {"code", "state"}
    assert auth.params["state"] == auth.state
    logged = simulator.requests[-1]
    assert (logged.method, logged.path, logged.status) == ("GET", "/authorize", 302)
    assert logged.query["code_challenge_method"] == "S256"


async def test_redirect_keeps_the_redirect_uris_own_query(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    auth = await authorize(http, simulator, redirect_uri="https://example.com/cb?flow=1")

    assert auth.location.startswith("https://example.com/cb?flow=1&code=")
    assert auth.params["flow"] == "1"


@pytest.mark.parametrize(
    ("overrides", "error", "description"),
    [
        (
            {"code_challenge_method": "plain"},
            "invalid_request",
            "code_challenge_method must be S256",
        ),
        ({"code_challenge_method": ""}, "invalid_request", "code_challenge_method must be S256"),
        ({"code_challenge": ""}, "invalid_request", "Invalid code_challenge"),
        ({"response_type": "token"}, "unsupported_response_type", "response_type must be code"),
        (
            {"scope": "user-read-private no-such-scope"},
            "invalid_scope",
            "Invalid scope: no-such-scope",
        ),
    ],
)
async def test_bad_requests_redirect_back_with_an_error(
    simulator: SpotifySimulator,
    http: aiohttp.ClientSession,
    overrides: dict[str, str],
    error: str,
    description: str,
) -> None:
    status, _, location = await _get_authorize(http, simulator, _params(simulator, **overrides))

    assert status == 302
    assert location is not None
    assert location.startswith(REDIRECT_URI)
    assert query_of(location) == {
        "error": error,
        "error_description": description,
        "state": "st4te",
    }


async def test_missing_pkce_challenge_method_is_refused(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    params = _params(simulator)
    del params["code_challenge_method"]

    status, _, location = await _get_authorize(http, simulator, params)

    assert status == 302
    assert location is not None
    assert query_of(location)["error"] == "invalid_request"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"client_id": "unknown-app"}, "INVALID_CLIENT: Invalid client"),
        ({"redirect_uri": "https://evil.example.net/cb"}, "INVALID_CLIENT: Invalid redirect URI"),
        ({"redirect_uri": "http://192.168.1.5:8123/cb"}, "INVALID_CLIENT: Invalid redirect URI"),
        ({"redirect_uri": ""}, "INVALID_CLIENT: Invalid redirect URI"),
    ],
)
async def test_unknown_client_or_redirect_never_redirects(
    simulator: SpotifySimulator,
    http: aiohttp.ClientSession,
    overrides: dict[str, str],
    message: str,
) -> None:
    status, text, location = await _get_authorize(http, simulator, _params(simulator, **overrides))

    assert (status, location) == (400, None)
    assert message in text


async def test_registered_redirect_uris_are_enforced(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    simulator.add_client("strict-app", "s3cret", ["http://127.0.0.1:8123/cb"])
    params = _params(simulator, client_id="strict-app")

    other_port = await _get_authorize(
        http, simulator, {**params, "redirect_uri": "http://127.0.0.1:9999/cb"}
    )
    other_path = await _get_authorize(
        http, simulator, {**params, "redirect_uri": "http://127.0.0.1:8123/x"}
    )
    https_default = await _get_authorize(
        http, simulator, {**params, "redirect_uri": "https://example.com/auth/external/callback"}
    )

    # RFC 8252 §7.3: a loopback redirect may use any port, but the path must match.
    assert other_port[0] == 302
    assert other_path[0] == 400
    assert https_default[0] == 400


async def test_consent_page_approve_and_deny(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    simulator.accounts.auto_approve = False
    simulator.accounts.approve_as = "bob"

    status, page, location = await _get_authorize(http, simulator, _params(simulator))
    assert (status, location) == (200, None)
    assert "bob" in page
    txn = re.search(r"name='txn' value='([^']+)'", page)
    assert txn is not None

    async with http.post(
        f"{simulator.accounts_url}/authorize",
        data={"txn": txn.group(1), "decision": "deny"},
        allow_redirects=False,
    ) as response:
        assert response.status == 302
        assert query_of(response.headers["Location"]) == {
            "error": "access_denied",
            "state": "st4te",
        }

    # A decided request cannot be replayed.
    async with http.post(
        f"{simulator.accounts_url}/authorize",
        data={"txn": txn.group(1), "decision": "approve"},
        allow_redirects=False,
    ) as response:
        assert response.status == 400

    _, page, _ = await _get_authorize(http, simulator, _params(simulator))
    txn = re.search(r"name='txn' value='([^']+)'", page)
    assert txn is not None
    async with http.post(
        f"{simulator.accounts_url}/authorize",
        data={"txn": txn.group(1), "decision": "approve"},
        allow_redirects=False,
    ) as response:
        assert response.status == 302
        params = query_of(response.headers["Location"])
    assert set(params) == {"code", "state"}
    code = simulator.accounts.codes[params["code"]]
    assert code.user_id == "bob"


async def test_approve_as_rejects_unknown_users(simulator: SpotifySimulator) -> None:
    with pytest.raises(ValueError, match="unknown user"):
        simulator.accounts.approve_as = "mallory"
    assert simulator.accounts.approve_as == "alice"


async def test_state_is_optional(simulator: SpotifySimulator, http: aiohttp.ClientSession) -> None:
    params = _params(simulator)
    del params["state"]
    verifier_free = {**params, "code_challenge": secrets.token_urlsafe(40)[:43]}

    status, _, location = await _get_authorize(http, simulator, verifier_free)

    assert status == 302
    assert location is not None
    assert set(query_of(location)) == {"code"}
