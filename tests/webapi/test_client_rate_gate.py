"""After a 429 the client sends nothing, on any endpoint, until Spotify's Retry-After has passed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.spotify_webapi.oauthcli.errors import RateLimitError
from custom_components.spotify_webapi.webapi import (
    RateLimitGate,
    SpotifyRateLimitError,
    SpotifyWebApiClient,
)

from .helpers import api_requests

if TYPE_CHECKING:
    from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
    from tests.simulator import SpotifySimulator


class FakeClock:
    """Monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def gated(auth: AuthClient, clock: FakeClock) -> SpotifyWebApiClient:
    return SpotifyWebApiClient(auth, clock=clock)


async def test_a_429_closes_the_gate_for_every_endpoint_until_retry_after(
    gated: SpotifyWebApiClient, simulator: SpotifySimulator, clock: FakeClock
) -> None:
    assert gated.rate_limited_for == 0
    simulator.fail_next("/v1/me/player", 429, retry_after=30)

    with pytest.raises(SpotifyRateLimitError) as first:
        await gated.get_playback_state()
    assert first.value.retry_after == 30
    assert isinstance(first.value.__cause__, RateLimitError)
    assert [(r.path, r.status) for r in api_requests(simulator)] == [("/v1/me/player", 429)]

    clock.now += 12
    assert gated.rate_limited_for == 18
    with pytest.raises(SpotifyRateLimitError) as refused:
        await gated.pause_playback()  # another endpoint, a command: refused all the same
    assert refused.value.retry_after == 18
    assert refused.value.__cause__ is None  # refused here, not by Spotify
    with pytest.raises(SpotifyRateLimitError):
        await gated.get_current_user()
    assert len(api_requests(simulator)) == 1  # nothing more was sent

    clock.now += 18
    assert gated.rate_limited_for == 0
    user = await gated.get_current_user()
    assert user.id == "alice"
    assert [(r.path, r.status) for r in api_requests(simulator)][-1] == ("/v1/me", 200)


async def test_a_shorter_retry_after_never_reopens_a_longer_wait(
    gated: SpotifyWebApiClient, simulator: SpotifySimulator, clock: FakeClock
) -> None:
    simulator.fail_next("/v1/me", 429, retry_after=60)
    with pytest.raises(SpotifyRateLimitError):
        await gated.get_current_user()
    clock.now += 60
    simulator.fail_next("/v1/me", 429, retry_after=5)
    with pytest.raises(SpotifyRateLimitError):
        await gated.get_current_user()

    assert gated.rate_limited_for == 5
    clock.now += 5
    assert (await gated.get_current_user()).id == "alice"


async def test_the_gate_follows_real_monotonic_time_by_default(
    client: SpotifyWebApiClient, simulator: SpotifySimulator
) -> None:
    simulator.fail_next("/v1/me", 429, retry_after=120)
    with pytest.raises(SpotifyRateLimitError):
        await client.get_current_user()

    with pytest.raises(SpotifyRateLimitError) as refused:
        await client.get_devices()
    assert 119 < refused.value.retry_after <= 120
    assert len(api_requests(simulator)) == 1


async def test_clients_sharing_a_gate_wait_together(
    auth: AuthClient, simulator: SpotifySimulator, clock: FakeClock
) -> None:
    # Spotify limits an app: the clients of its accounts share one gate.
    app_gate = RateLimitGate(clock)
    first = SpotifyWebApiClient(auth, gate=app_gate)
    second = SpotifyWebApiClient(auth, gate=app_gate)
    elsewhere = SpotifyWebApiClient(auth, clock=clock)
    simulator.fail_next("/v1/me", 429, retry_after=40)
    with pytest.raises(SpotifyRateLimitError):
        await first.get_current_user()

    with pytest.raises(SpotifyRateLimitError) as refused:
        await second.get_devices()
    assert refused.value.retry_after == 40
    assert len(api_requests(simulator)) == 1
    assert (await elsewhere.get_current_user()).id == "alice"  # its own gate is open

    clock.now += 40
    assert second.rate_limited_for == first.rate_limited_for == 0
    assert await second.get_devices()
