"""Helpers shared by the Web API client tests."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from tests.simulator import recorder

if TYPE_CHECKING:
    from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
    from tests.simulator import LoggedRequest, SpotifySimulator


def api_requests(simulator: SpotifySimulator) -> list[LoggedRequest]:
    """The Web API requests the simulator saw, oldest first (token requests left out)."""
    return [request for request in simulator.requests if request.path.startswith("/v1/")]


def last_request(simulator: SpotifySimulator) -> LoggedRequest:
    """The one Web API request a call made; fails when it made none or several."""
    seen = api_requests(simulator)
    assert len(seen) == 1, seen
    return seen[0]


def sign_in_as(simulator: SpotifySimulator, auth: AuthClient, user_id: str) -> None:
    """Make ``auth`` act for another simulated user."""
    auth.Token = simulator.issue_token(user_id)


def answered_json(simulator: SpotifySimulator, path: str) -> Any:
    """The JSON body the simulator last answered a request to ``path`` with."""
    exchanges = [
        exchange
        for exchange in recorder.exchanges
        if exchange.url.startswith(simulator.base_url) and exchange.path == path
    ]
    assert exchanges, f"no answer to {path} was recorded"
    return json.loads(exchanges[-1].response_body)
