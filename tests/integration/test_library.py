"""Library actions, the library switch, and entries authorized before the library scopes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.spotify_webapi.const import DOMAIN, SCOPES
from custom_components.spotify_webapi.switch import REREAD_AFTER, REREADS_PER_STAY
from tests.simulator.ids import parse_uri, uri

from .conftest import complete_oauth, entry_for, setup_entry
from .helpers import api_calls, state

if TYPE_CHECKING:
    from freezegun.api import FrozenDateTimeFactory
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

SWITCH = "switch.spotify_alice_example_saved_in_your_library"
CONTAINS = "/v1/me/library/contains"


def playing(sim: SpotifySimulator) -> str:
    playback = sim.player("alice").playback
    assert playback is not None
    return playback.item_uri


def saved(sim: SpotifySimulator, item_uri: str) -> bool:
    parsed = parse_uri(item_uri)
    assert parsed is not None
    return sim.world.libraries["alice"].has(*parsed)


def unsave(sim: SpotifySimulator, item_uri: str) -> None:
    parsed = parse_uri(item_uri)
    assert parsed is not None
    sim.world.libraries["alice"].remove(*parsed)


def save(sim: SpotifySimulator, item_uri: str) -> None:
    parsed = parse_uri(item_uri)
    assert parsed is not None
    sim.world.libraries["alice"].add(*parsed, "2026-01-01T00:00:00Z")


def contains_reads(sim: SpotifySimulator) -> list[str]:
    return [r.query["uris"] for r in sim.requests if r.path == CONTAINS]


async def act(hass: HomeAssistant, entry: MockConfigEntry, service: str, **data: Any) -> None:
    await hass.services.async_call(
        DOMAIN, service, {"config_entry_id": entry.entry_id, **data}, blocking=True
    )


async def poll(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)


@pytest.fixture
async def alice(hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry) -> Any:
    """Alice's entry (every scope), set up with the track playing not saved, log cleared."""
    unsave(sim, playing(sim))
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    sim.clear_requests()
    return config_entry


def entry_from_before_the_new_scopes(sim: SpotifySimulator) -> MockConfigEntry:
    """An entry whose grant is what the integration asked for before library editing."""
    token = sim.issue_token("alice", scope=" ".join(SCOPES))
    return MockConfigEntry(
        domain=DOMAIN,
        title="Alice Example",
        unique_id="alice",
        data={"auth_implementation": DOMAIN, "token": token},
    )


# --- actions -------------------------------------------------------------------------------


async def test_save_and_remove_default_to_the_item_playing(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    item = playing(sim)
    assert not saved(sim, item)

    await act(hass, alice, "save_to_library")
    assert api_calls(sim) == [("PUT", "/v1/me/library", {"uris": item}, None)]
    assert saved(sim, item)
    assert state(hass, SWITCH).state == STATE_ON

    sim.clear_requests()
    await act(hass, alice, "remove_from_library")
    assert api_calls(sim) == [("DELETE", "/v1/me/library", {"uris": item}, None)]
    assert not saved(sim, item)
    assert state(hass, SWITCH).state == STATE_OFF


async def test_save_given_uris_and_links_of_several_kinds(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    catalogue = sim.world.catalogue
    album = list(catalogue.albums)[-1]
    show = list(catalogue.shows)[-1]
    wanted = [uri("album", album), f"https://open.spotify.com/show/{show}"]

    await act(hass, alice, "save_to_library", uris=wanted)

    assert api_calls(sim) == [
        ("PUT", "/v1/me/library", {"uris": f"spotify:album:{album},spotify:show:{show}"}, None)
    ]
    assert saved(sim, uri("album", album))
    assert saved(sim, uri("show", show))


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"uris": ["spotify:track:nope"]}, "invalid_uri"),
        ({"uris": ["spotify:artist:0OdUWJ0sBjDrqHygGUXeCF"]}, "invalid_uri"),  # follow, not save
        ({"uris": []}, "no_uris"),
        ({"uris": [f"spotify:track:{n:022d}" for n in range(41)]}, "too_many_uris"),
    ],
)
async def test_bad_input_is_refused_without_sending(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    data: dict[str, Any],
    key: str,
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await act(hass, alice, "save_to_library", **data)

    assert raised.value.translation_key == key
    assert raised.value.translation_domain == DOMAIN
    assert api_calls(sim) == []


async def test_nothing_playing_and_no_uris_is_refused(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    player = sim.player("alice")
    player.active, player.playback = None, None
    await poll(hass, alice)
    sim.clear_requests()

    for service in ("save_to_library", "remove_from_library"):
        with pytest.raises(ServiceValidationError) as raised:
            await act(hass, alice, service)
        assert raised.value.translation_key == "nothing_playing"
    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call("switch", "turn_on", {"entity_id": SWITCH}, blocking=True)
    assert raised.value.translation_key == "nothing_playing"
    assert api_calls(sim) == []
    assert state(hass, SWITCH).state == STATE_UNKNOWN


# --- the switch ------------------------------------------------------------------------------


async def test_switch_reads_when_an_item_starts_and_again_when_it_comes_back(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    first = playing(sim)
    unsave(sim, first)
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert contains_reads(sim) == [first]
    assert state(hass, SWITCH).state == STATE_OFF
    registered = er.async_get(hass).async_get(SWITCH)
    assert registered is not None
    assert registered.unique_id == "alice_saved_in_library"

    sim.clear_requests()
    await poll(hass, config_entry)  # same item, no time passed: nothing to read
    assert contains_reads(sim) == []
    player = sim.player("alice")
    player.next(None)
    second = playing(sim)
    save(sim, second)
    await poll(hass, config_entry)
    await poll(hass, config_entry)
    assert state(hass, SWITCH).state == STATE_ON
    # The first item comes back, saved in the Spotify app meanwhile: read again, not cached.
    save(sim, first)
    player.previous(None)  # at the start of a track: back to the one before
    assert playing(sim) == first
    await poll(hass, config_entry)

    assert contains_reads(sim) == [second, first]
    assert state(hass, SWITCH).state == STATE_ON
    assert len([r for r in sim.requests if r.path == "/v1/me/player"]) == 4


async def test_switch_follows_the_spotify_app_while_an_item_plays(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
) -> None:
    item = playing(sim)
    sim.player("alice").set_repeat(None, "track")  # the item stays however long we wait
    coordinator = alice.runtime_data.coordinator
    shown = []

    async def poll_after(seconds: float, *, predicted: bool = False) -> None:
        freezer.tick(timedelta(seconds=seconds))
        if predicted:  # a prediction is no poll: it reads nothing, however old the answer
            coordinator.async_set_updated_data(replace(coordinator.data, predicted=True))
            await hass.async_block_till_done(wait_background_tasks=True)
        else:
            await poll(hass, alice)
        shown.append(state(hass, SWITCH).state)

    save(sim, item)  # in the Spotify app
    await poll_after(REREAD_AFTER - 2)
    await poll_after(2, predicted=True)
    await poll_after(0)
    unsave(sim, item)
    for _ in range(3):
        await poll_after(REREAD_AFTER)

    assert playing(sim) == item
    # Read again by the first poll REREAD_AFTER after the answer; once a stay.
    assert shown == [STATE_OFF, STATE_OFF, STATE_ON, STATE_ON, STATE_ON, STATE_ON]
    assert contains_reads(sim) == [item] * REREADS_PER_STAY


async def test_switch_reads_nothing_while_nothing_plays(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    player = sim.player("alice")
    player.active, player.playback = None, None
    await setup_entry(hass, config_entry)
    await poll(hass, config_entry)
    await poll(hass, config_entry)

    assert contains_reads(sim) == []
    assert state(hass, SWITCH).state == STATE_UNKNOWN

    # A paused item waits until it plays.
    player.active = player.devices[0]
    album = next(iter(sim.world.catalogue.albums))
    player.load(uri("album", album), index=0, playing=False)
    await poll(hass, config_entry)
    assert contains_reads(sim) == []
    player.play(None)
    await poll(hass, config_entry)
    assert contains_reads(sim) == [playing(sim)]
    assert state(hass, SWITCH).state == (STATE_ON if saved(sim, playing(sim)) else STATE_OFF)


async def test_switch_toggles_the_item_playing(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    item = playing(sim)

    await hass.services.async_call("switch", "turn_on", {"entity_id": SWITCH}, blocking=True)
    assert saved(sim, item)
    assert state(hass, SWITCH).state == STATE_ON
    await hass.services.async_call("switch", "turn_off", {"entity_id": SWITCH}, blocking=True)
    assert not saved(sim, item)

    assert state(hass, SWITCH).state == STATE_OFF
    assert api_calls(sim) == [
        ("PUT", "/v1/me/library", {"uris": item}, None),
        ("DELETE", "/v1/me/library", {"uris": item}, None),
    ]


async def test_switch_stays_unknown_when_the_read_fails_and_asks_again_next_poll(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    unsave(sim, playing(sim))
    sim.fail_next(CONTAINS, 503)
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert state(hass, SWITCH).state == STATE_UNKNOWN

    await poll(hass, config_entry)

    assert state(hass, SWITCH).state == STATE_OFF
    assert [r.status for r in sim.requests if r.path == CONTAINS] == [503, 200]


# --- entries authorized before the library and playlist scopes -------------------------------


@pytest.mark.usefixtures("current_request_with_host")
async def test_an_older_grant_keeps_playback_and_leads_to_reauthorization(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, sim: SpotifySimulator
) -> None:
    assert await async_setup_component(hass, "repairs", {})
    entry = entry_from_before_the_new_scopes(sim)
    await setup_entry(hass, entry)

    # What worked keeps working: the entry loads, the player plays.
    assert entry.state is ConfigEntryState.LOADED
    assert state(hass, "media_player.spotify_alice_example").state == "playing"
    assert state(hass, SWITCH).state == STATE_UNAVAILABLE
    assert contains_reads(sim) == []
    sim.clear_requests()
    with pytest.raises(ServiceValidationError) as raised:
        await act(hass, entry, "save_to_library")
    assert raised.value.translation_key == "missing_permission"
    assert api_calls(sim) == []

    issue_id = f"feature_scopes_{entry.entry_id}"
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_placeholders == {
        "account": "Alice Example",
        "scopes": "user-library-modify, playlist-modify-private, playlist-modify-public",
    }

    # The repair starts the reauthorization; signing in again grants every scope.
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(DOMAIN, data={"issue_id": issue_id})
    assert result["step_id"] == "confirm"
    result = await manager.async_configure(result["flow_id"], {})
    assert result["type"] == "create_entry"
    await hass.async_block_till_done()
    flows = [
        flow
        for flow in hass.config_entries.flow.async_progress()
        if flow["context"]["source"] == SOURCE_REAUTH
    ]
    assert [flow["context"]["entry_id"] for flow in flows] == [entry.entry_id]
    result = await hass.config_entries.flow.async_configure(flows[0]["flow_id"], {})
    result = await complete_oauth(hass, hass_client_no_auth, result)
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done(wait_background_tasks=True)

    assert entry.state is ConfigEntryState.LOADED
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert state(hass, SWITCH).state == STATE_ON  # the track playing is a Liked Song
    await act(hass, entry, "remove_from_library")
    assert not saved(sim, playing(sim))


async def test_a_full_grant_raises_no_issue(hass: HomeAssistant, sim: SpotifySimulator) -> None:
    entry = entry_for(sim)
    await setup_entry(hass, entry)

    assert ir.async_get(hass).async_get_issue(DOMAIN, f"feature_scopes_{entry.entry_id}") is None
