"""Drive spotifywebapipython 1.0.296's AuthClient, for real, in its own environment.

Run by tests/oauthcli/test_original_library.py with the interpreter of
.venv/original: ``python original_driver.py CONFIG_JSON``. CONFIG_JSON names
the simulator's URLs, the client, the token folder and a list of steps; the
answer of each step is printed as one JSON list on stdout. A failing step is
reported as ``{"error": "<ExceptionClass>", "message": ...}`` so that the test
can assert on what the original raised.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import Any

# The simulator speaks plain http on loopback; oauthlib refuses that unless told.
os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"

import requests
from spotifywebapipython.oauthcli import AuthClient

logging.disable(logging.CRITICAL)


def client(config: dict[str, Any], profile: str) -> Any:
    """The original's AuthClient; its constructor loads (or drops) the stored token."""
    return AuthClient(
        authorizationType="Authorization Code PKCE",
        authorizationUrl=config["accounts_url"] + "/authorize",
        tokenUrl=config["accounts_url"] + "/api/token",
        scope=config["scope"],
        clientId=config["client_id"],
        clientSecret=config.get("client_secret"),
        tokenProviderId=config.get("provider", "SpotifyWebApiPython"),
        tokenProfileId=profile,
        tokenStorageDir=config["dir"],
    )


def authorize(config: dict[str, Any], profile: str) -> dict[str, Any]:
    """The code dance, with requests playing the user's browser."""
    auth = client(config, profile)
    auth.Session.redirect_uri = config["redirect_uri"]
    url, _state = auth.authorization_url()
    answer = requests.get(url, allow_redirects=False, timeout=10)
    return dict(auth.FetchToken(authorization_response=answer.headers["Location"]))


def call(config: dict[str, Any], profile: str) -> dict[str, Any]:
    """GET /me with the loaded token, as ported code would."""
    auth = client(config, profile)
    response = auth.get(config["api_url"] + "/me", timeout=10)
    return {"status": response.status_code, "id": response.json().get("id")}


def save_many(config: dict[str, Any], profile: str, count: int) -> dict[str, Any]:
    """Save a token ``count`` times, each a new value, as fast as the original can."""
    auth = client(config, profile)
    for serial in range(count):
        auth.SaveToken({"access_token": f"original-{serial}", "scope": config["scope"]})
    return {"saved": count}


def run(config: dict[str, Any], step: dict[str, Any]) -> Any:
    """One step, by name."""
    profile = step.get("profile", "Shared")
    match step["op"]:
        case "authorize":
            return authorize(config, profile)
        case "load":
            auth = client(config, profile)
            return {"authorized": auth.IsAuthorized, "token": auth.Session.token or None}
        case "refresh":
            return dict(client(config, profile).RefreshToken())
        case "call":
            return call(config, profile)
        case "save_many":
            return save_many(config, profile, int(step["count"]))
        case "has_token":
            return AuthClient.HasTokenForKey(
                clientId=config["client_id"],
                tokenProviderId=config.get("provider", "SpotifyWebApiPython"),
                tokenProfileId=profile,
                tokenStorageDir=config["dir"],
            )
    raise ValueError(f"unknown step {step['op']!r}")


def main() -> None:
    """Run the steps in order; report each result or the exception it raised."""
    config = json.loads(sys.argv[1])
    results: list[Any] = []
    for step in config["steps"]:
        try:
            results.append(run(config, step))
        except Exception as err:  # noqa: BLE001 - reported to the test, which asserts on it
            results.append({"error": type(err).__name__, "message": str(err)})
    print(json.dumps(results))  # noqa: T201 - the test reads stdout


if __name__ == "__main__":
    main()
