"""Assist: "play <something> on <our player>" through HA's own search-and-play intent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components import media_player
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component

from tests.simulator.ids import uri

from .conftest import setup_entry
from .helpers import api_calls

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

SEARCH_AND_PLAY: str | None = getattr(media_player, "INTENT_MEDIA_SEARCH_AND_PLAY", None)
# Where HA has no such intent (2025.4), these tests do not exist rather than being skipped:
# nothing of ours is involved there, the player's search itself is tested per version.
__test__ = SEARCH_AND_PLAY is not None

pytestmark = pytest.mark.usefixtures("setup_credentials")


@pytest.fixture
async def alice(hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry) -> Any:
    """Alice's entry and HA's intents, set up, with the request log cleared."""
    await setup_entry(hass, config_entry)
    assert await async_setup_component(hass, "intent", {})
    await hass.async_block_till_done(wait_background_tasks=True)
    sim.clear_requests()
    return config_entry


def a_track(sim: SpotifySimulator) -> Any:
    """A track whose name is its own (no other track, album or artist is called that)."""
    catalogue = sim.world.catalogue
    names = [t.name for t in catalogue.tracks.values()] + [
        a.name for a in catalogue.albums.values()
    ]
    return next(t for t in list(catalogue.tracks.values())[20:] if names.count(t.name) == 1)


async def test_the_intent_searches_our_player_and_plays_the_best_match(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    assert SEARCH_AND_PLAY is not None
    track = a_track(sim)

    response = await intent.async_handle(
        hass,
        "test",
        SEARCH_AND_PLAY,
        {"search_query": {"value": track.name}, "name": {"value": "Spotify Alice Example"}},
    )
    await hass.async_block_till_done()

    assert response.response_type == intent.IntentResponseType.ACTION_DONE
    searched, played = [call for call in api_calls(sim) if call[1] != "/v1/me/player"][:2]
    assert searched[:2] == ("GET", "/v1/search")
    assert searched[2]["q"] == track.name
    assert played == ("PUT", "/v1/me/player/play", {}, {"uris": [uri("track", track.id)]})
    playback = sim.player("alice").playback
    assert playback is not None
    assert playback.item_uri == uri("track", track.id)
