"""One 429 gate per Spotify app: accounts on the same app wait together, others go on.

Alice and Bob sign in through one app, Carol through another. Spotify limits an app,
so a 429 answered to Alice holds back Bob's polls and commands too, and both resume
when the Retry-After has passed; Carol's app was not limited and keeps working.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.exceptions import HomeAssistantError
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.spotify_webapi.application_credentials import (
    async_get_auth_implementation,
)
from custom_components.spotify_webapi.const import DOMAIN, SCOPES
from custom_components.spotify_webapi.rate_gates import app_rate_gate

from .conftest import entry_for, setup_entry
from .helpers import ALICE, CAROL, media, state

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant

    from tests.simulator import LoggedRequest, SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

BOB = "media_player.spotify_bob_example"
OTHER_APP = "other-client-id"
OTHER_IMPLEMENTATION = "other_app"


def sent_by(sim: SpotifySimulator, entry: MockConfigEntry) -> list[LoggedRequest]:
    """The Web API requests made with ``entry``'s access token."""
    bearer = f"Bearer {entry.runtime_data.auth.Token['access_token']}"
    return [
        r
        for r in sim.requests
        if r.path.startswith("/v1/") and r.headers.get("Authorization") == bearer
    ]


async def tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float) -> None:
    """Let ``seconds`` pass and run what fell due."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.fixture
async def accounts(
    hass: HomeAssistant, sim: SpotifySimulator, freezer: FrozenDateTimeFactory
) -> tuple[MockConfigEntry, MockConfigEntry, MockConfigEntry]:
    """Alice and Bob on the simulator's default app, Carol on another app; all loaded."""
    sim.accounts.add_client(OTHER_APP, "other-secret")
    await async_import_client_credential(
        hass,
        DOMAIN,
        ClientCredential(OTHER_APP, "other-secret", "Other app"),
        OTHER_IMPLEMENTATION,
    )
    alice, bob = entry_for(sim, "alice"), entry_for(sim, "bob")
    carol = MockConfigEntry(
        domain=DOMAIN,
        title="Carol Example",
        unique_id="carol",
        data={
            "auth_implementation": OTHER_IMPLEMENTATION,
            "token": sim.issue_token("carol", client_id=OTHER_APP, scope=" ".join(SCOPES)),
        },
    )
    for entry in (alice, bob, carol):
        await setup_entry(hass, entry)
    sim.clear_requests()
    return alice, bob, carol


async def test_a_429_pauses_every_account_of_the_app_and_only_that_app(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    accounts: tuple[MockConfigEntry, MockConfigEntry, MockConfigEntry],
    freezer: FrozenDateTimeFactory,
) -> None:
    alice, bob, carol = accounts
    assert {state(hass, e).state for e in (ALICE, BOB, CAROL)} != {"unavailable"}
    bob_title = state(hass, BOB).attributes.get("media_title")

    sim.fail_next("/v1/me/player", 429, retry_after=100)
    await alice.runtime_data.coordinator.async_refresh()
    assert [(r.path, r.status) for r in sent_by(sim, alice)] == [("/v1/me/player", 429)]

    # Bob shares the app: his poll and his command are held back without a request.
    await bob.runtime_data.coordinator.async_refresh()
    assert bob.runtime_data.coordinator.last_update_success  # skipped, not failed
    assert state(hass, BOB).attributes.get("media_title") == bob_title
    with pytest.raises(HomeAssistantError) as caught:
        await media(hass, "media_play", BOB)
    assert caught.value.translation_key == "rate_limited"
    assert caught.value.translation_placeholders == {"seconds": "100"}
    assert sent_by(sim, bob) == []

    # Carol's app was not limited: her poll and her call go through at once.
    await carol.runtime_data.coordinator.async_refresh()
    answer = await hass.services.async_call(
        DOMAIN,
        "get_devices",
        {"config_entry_id": carol.entry_id},
        blocking=True,
        return_response=True,
    )
    assert answer["devices"]
    carol_calls = [(r.method, r.path, r.status) for r in sent_by(sim, carol)]
    assert carol_calls == [("GET", "/v1/me/player", 204), ("GET", "/v1/me/player/devices", 200)]
    assert state(hass, CAROL).state != "unavailable"

    # Nothing leaves for Alice or Bob until the wait is over; then both poll again.
    await tick(hass, freezer, 95)
    assert len(sent_by(sim, alice)) == 1
    assert sent_by(sim, bob) == []
    await tick(hass, freezer, 7)
    polls = [r.status for r in sent_by(sim, alice) if r.path == "/v1/me/player"]
    assert polls == [429, 200]
    assert [(r.path, r.status) for r in sent_by(sim, bob)] == [("/v1/me/player", 200)]
    assert alice.runtime_data.api.rate_limited_for == 0
    assert bob.runtime_data.api.rate_limited_for == 0


async def test_two_credentials_of_one_app_share_its_gate(hass: HomeAssistant) -> None:
    """Two application credentials with their own ids and the same client id are one app.

    HA keeps a credential per id (an app added twice, under two names, say); Spotify
    limits the app, so a 429 met through one holds back the other: the gate follows the
    client id, never the credential's id.
    """
    same_app = ClientCredential("shared-client-id", "secret", "The app")
    again = ClientCredential("shared-client-id", "secret", "The app, added again")
    other = ClientCredential("another-client-id", "secret", "Another app")
    first = await async_get_auth_implementation(hass, "credential_one", same_app)
    second = await async_get_auth_implementation(hass, "credential_two", again)
    third = await async_get_auth_implementation(hass, "credential_three", other)
    assert first.domain != second.domain

    gate = app_rate_gate(hass, first)
    gate.close_for(100)

    assert app_rate_gate(hass, second) is gate
    assert app_rate_gate(hass, second).wait > 90
    assert app_rate_gate(hass, third).wait == 0
