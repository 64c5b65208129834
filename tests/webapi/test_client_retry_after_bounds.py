"""A server's absurd Retry-After cannot close the client's rate gate for longer than a day."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.spotify_webapi.oauthcli.wire import MAX_RETRY_AFTER
from custom_components.spotify_webapi.webapi import SpotifyRateLimitError, SpotifyWebApiClient

if TYPE_CHECKING:
    from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
    from tests.simulator import SpotifySimulator


async def test_a_huge_retry_after_is_capped_at_a_day(
    auth: AuthClient, simulator: SpotifySimulator
) -> None:
    now = 1000.0
    client = SpotifyWebApiClient(auth, clock=lambda: now)
    simulator.fail_next("/v1/me/player", 429, retry_after=10**12)

    with pytest.raises(SpotifyRateLimitError) as caught:
        await client.get_playback_state()

    assert caught.value.retry_after == MAX_RETRY_AFTER
    assert client.rate_limited_for == MAX_RETRY_AFTER
