"""Polling soon when HA sees what likely changed the playback: linked players, the browser."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.data_entry_flow import FlowResultType

from custom_components.spotify_webapi.const import (
    CONF_LINKED_PLAYERS,
    CONF_WAKE_UP,
    CONF_WAKE_UP_ENTITY,
    CONF_WAKE_UP_WAIT,
    CONFIRM_DELAY,
)
from custom_components.spotify_webapi.devices.linked_players import linked_players, player_links
from custom_components.spotify_webapi.media_player import SpotifyWebApiMediaPlayer

from .conftest import setup_entry
from .helpers import ALICE, open_device, polls, set_options, tick

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

SPEAKER = "media_player.living_room_speaker"
PLUG = "switch.living_room_plug"


def linking(*entity_ids: str) -> dict[str, Any]:
    """Options linking each entity to a remembered device as its wake-up action."""
    return {
        CONF_WAKE_UP: {
            f"device-{n}": {CONF_WAKE_UP_ENTITY: entity_id, CONF_WAKE_UP_WAIT: 30}
            for n, entity_id in enumerate(entity_ids)
        }
    }


@pytest.fixture
async def alice(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    setup_credentials: None,
) -> MockConfigEntry:
    """Alice's entry, its options linking a speaker and a plug, on a frozen clock."""
    hass.states.async_set(SPEAKER, "off")
    hass.states.async_set(PLUG, "off")
    config_entry.add_to_hass(hass)
    set_options(hass, config_entry, linking(SPEAKER, PLUG))
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    sim.clear_requests()
    return config_entry


async def settle(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the debounced poll fall due (well before the regular one)."""
    await hass.async_block_till_done()  # the debounce timer starts before the clock moves
    await tick(hass, freezer, CONFIRM_DELAY + 0.5)


async def test_a_linked_player_turning_on_or_switching_source_polls_once_soon(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    hass.states.async_set(SPEAKER, "on", {"source": "TV"})
    hass.states.async_set(SPEAKER, "playing", {"source": "Spotify"})  # a burst: one poll
    await settle(hass, freezer)
    assert len(polls(sim)) == 1

    hass.states.async_set(SPEAKER, "playing", {"source": "Radio"})
    await settle(hass, freezer)
    assert len(polls(sim)) == 2


async def test_what_says_nothing_about_playback_does_not_poll(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    hass.states.async_set(SPEAKER, "off", {"volume_level": 0.4})  # an attribute other than source
    hass.states.async_set(PLUG, "on")  # linked, but not a media player
    hass.states.async_set("media_player.kitchen", "playing")  # not linked
    await settle(hass, freezer)
    assert polls(sim) == []

    # Unlinked in the options: no longer watched.
    set_options(hass, alice, linking(PLUG))
    await hass.async_block_till_done()
    hass.states.async_set(SPEAKER, "on")
    await settle(hass, freezer)
    assert polls(sim) == []


async def test_linking_a_player_in_the_options_watches_it_at_once(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    setup_credentials: None,
) -> None:
    hass.states.async_set(SPEAKER, "off")
    await setup_entry(hass, config_entry)
    sim.clear_requests()
    hass.states.async_set(SPEAKER, "on")
    await settle(hass, freezer)
    assert polls(sim) == []

    set_options(hass, config_entry, linking(SPEAKER))
    await hass.async_block_till_done()
    hass.states.async_set(SPEAKER, "off")
    await settle(hass, freezer)
    assert len(polls(sim)) == 1

    assert await hass.config_entries.async_unload(config_entry.entry_id)
    hass.states.async_set(SPEAKER, "on")
    await settle(hass, freezer)
    assert len(polls(sim)) == 1


async def test_the_device_form_links_a_media_player_to_a_spotify_device(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    setup_credentials: None,
) -> None:
    hass.states.async_set(SPEAKER, "off")
    await setup_entry(hass, config_entry)
    device = next(d for d in sim.player("alice").devices if d.id)
    result = await open_device(hass, config_entry, str(device.id))

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"linked_player": "media_player.nothing_here", "wait": 30}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"linked_player": "entity_not_found"}
    assert CONF_LINKED_PLAYERS not in config_entry.options

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"linked_player": SPEAKER, "wait": 30}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert config_entry.options[CONF_LINKED_PLAYERS] == {device.id: SPEAKER}
    assert config_entry.options[CONF_WAKE_UP] == {}  # linked, with no wake-up action
    sim.clear_requests()
    hass.states.async_set(SPEAKER, "on", {"source": "Spotify"})
    await settle(hass, freezer)
    assert len(polls(sim)) == 1

    # The form shows the link; clearing it unlinks the player at once.
    result = await open_device(hass, config_entry, str(device.id))
    fields = {str(key): key for key in result["data_schema"].schema}
    assert fields["linked_player"].description == {"suggested_value": SPEAKER}
    await hass.config_entries.options.async_configure(result["flow_id"], {"wait": 30})
    assert config_entry.options[CONF_LINKED_PLAYERS] == {}
    hass.states.async_set(SPEAKER, "off")
    await settle(hass, freezer)
    assert len(polls(sim)) == 1


async def test_opening_the_media_browser_polls_once_soon(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    component = hass.data["media_player"]
    player = component.get_entity(ALICE)
    assert isinstance(player, SpotifyWebApiMediaPlayer)

    await player.async_browse_media()
    await settle(hass, freezer)
    assert len(polls(sim)) == 1

    # Going down into a folder is not opening the browser again.
    root = await player.async_browse_media()
    assert root.children
    child = root.children[0]
    await player.async_browse_media(child.media_content_type, child.media_content_id)
    await settle(hass, freezer)
    assert len(polls(sim)) == 2  # the second opening only


async def test_a_setup_that_fails_leaves_no_watch_behind(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    setup_credentials: None,
) -> None:
    hass.states.async_set(SPEAKER, "off")
    config_entry.add_to_hass(hass)
    set_options(hass, config_entry, linking(SPEAKER))
    listening = hass.bus.async_listeners().get("state_changed", 0)
    sim.fail_next("/v1/me/player/devices", 503)
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state.value == "setup_retry"
    sim.clear_requests()

    hass.states.async_set(SPEAKER, "on")
    await settle(hass, freezer)

    assert polls(sim) == []
    assert hass.bus.async_listeners().get("state_changed", 0) == listening


def test_a_device_is_linked_by_its_own_option_or_a_media_player_that_wakes_it() -> None:
    options = {
        CONF_WAKE_UP: {
            "kitchen": {CONF_WAKE_UP_ENTITY: "media_player.kitchen_cast", CONF_WAKE_UP_WAIT: 30},
            "lounge": {CONF_WAKE_UP_ENTITY: PLUG, CONF_WAKE_UP_WAIT: 30},  # wakes, reports nothing
            "den": {CONF_WAKE_UP_ENTITY: "media_player.den_tv", CONF_WAKE_UP_WAIT: 30},
        },
        CONF_LINKED_PLAYERS: {"den": "media_player.den_soundbar", "hall": "light.hall"},
    }
    # The device's own link wins over the media player that wakes it; a light is no player.
    assert player_links(options) == {
        "kitchen": "media_player.kitchen_cast",
        "den": "media_player.den_soundbar",
    }
    assert linked_players(options) == {"media_player.kitchen_cast", "media_player.den_soundbar"}
    assert player_links({CONF_WAKE_UP: "not a mapping", CONF_LINKED_PLAYERS: None}) == {}
