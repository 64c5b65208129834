"""Spotify's `actions.disallows`: every flag hides exactly the control it names."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from homeassistant.components.media_player import MediaPlayerEntityFeature as Feature
from homeassistant.components.media_player import RepeatMode
from homeassistant.exceptions import ServiceValidationError

from tests.simulator.player import DISALLOWS_FLAGS

from .conftest import setup_entry
from .helpers import api_calls, confirm, media, next_poll, state

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

# What each flag takes away; pausing and resuming also take the power pair (on and off go
# together, so that HA offers toggle) while it would mean them.
HIDES: dict[str, Feature] = {
    "interrupting_playback": Feature.PLAY_MEDIA | Feature.MEDIA_ENQUEUE,
    "pausing": Feature.PAUSE | Feature.TURN_OFF | Feature.TURN_ON,
    "resuming": Feature.PLAY | Feature.TURN_ON | Feature.TURN_OFF,
    "seeking": Feature.SEEK,
    "skipping_next": Feature.NEXT_TRACK,
    "skipping_prev": Feature.PREVIOUS_TRACK,
    # One repeat control in HA for two flags: each refuses only its own mode (tested below).
    "toggling_repeat_context": Feature(0),
    "toggling_repeat_track": Feature(0),
    "toggling_shuffle": Feature.SHUFFLE_SET,
    "transferring_playback": Feature.SELECT_SOURCE,
}


def features(hass: HomeAssistant) -> Feature:
    return Feature(state(hass).attributes["supported_features"])


@pytest.fixture
async def alice(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    setup_credentials: None,
) -> MockConfigEntry:
    """Alice's entry, set up, playing in the middle of a playlist."""
    await setup_entry(hass, config_entry)
    sim.clear_requests()
    return config_entry


def test_every_flag_spotify_sends_is_covered() -> None:
    assert set(HIDES) == DISALLOWS_FLAGS


@pytest.mark.parametrize("flag", sorted(HIDES))
async def test_each_flag_hides_exactly_its_control(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry, flag: str
) -> None:
    player = sim.player("alice")
    if flag == "resuming":
        player.pause(None)  # while playing, Spotify disallows resuming anyway
        await next_poll(hass, alice)
    before = features(hass)
    assert before & HIDES[flag] == HIDES[flag]

    player.restrict(flag)
    await next_poll(hass, alice)

    assert features(hass) == before & ~HIDES[flag]
    player.restrictions.clear()
    await next_poll(hass, alice)
    assert features(hass) == before


async def test_repeat_goes_when_both_modes_are_disallowed(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    before = features(hass)
    sim.player("alice").restrict("toggling_repeat_context", "toggling_repeat_track")
    await next_poll(hass, alice)

    assert features(hass) == before & ~Feature.REPEAT_SET


@pytest.mark.parametrize(
    ("flag", "refused", "allowed", "spotify_mode"),
    [
        ("toggling_repeat_context", RepeatMode.ALL, RepeatMode.ONE, "track"),
        ("toggling_repeat_track", RepeatMode.ONE, RepeatMode.ALL, "context"),
    ],
)
async def test_one_disallowed_repeat_mode_is_refused_without_a_request(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    flag: str,
    refused: RepeatMode,
    allowed: RepeatMode,
    spotify_mode: str,
) -> None:
    sim.player("alice").restrict(flag)
    await next_poll(hass, alice)
    sim.clear_requests()

    with pytest.raises(ServiceValidationError) as caught:
        await media(hass, "repeat_set", repeat=refused)
    assert caught.value.translation_key == "repeat_mode_disallowed"
    assert caught.value.translation_placeholders == {"mode": str(refused)}
    assert api_calls(sim) == []

    await media(hass, "repeat_set", repeat=allowed)
    await confirm(hass)
    assert ("PUT", "/v1/me/player/repeat", {"state": spotify_mode}, None) in api_calls(sim)
    assert state(hass).attributes["repeat"] == allowed
    # Back to off leaves the allowed mode: allowed as well.
    await media(hass, "repeat_set", repeat=RepeatMode.OFF)
    assert state(hass).attributes["repeat"] == RepeatMode.OFF
