"""Playlist actions: add by URI or by name, create, and every refusal before sending."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from tests.simulator.ids import uri

from .conftest import setup_entry
from .helpers import act, api_calls

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator
    from tests.simulator.library import Playlist

pytestmark = pytest.mark.usefixtures("setup_credentials")


@pytest.fixture
async def alice(hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry) -> Any:
    """Alice's entry, set up, with the request log cleared."""
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    sim.clear_requests()
    return config_entry


def named(sim: SpotifySimulator, name: str) -> Playlist:
    return next(p for p in sim.world.playlists.values() if p.name == name)


def commands(sim: SpotifySimulator) -> list[tuple[str, str, dict[str, str], Any]]:
    return [call for call in api_calls(sim) if call[0] != "GET"]


async def test_add_the_item_playing_to_a_playlist_by_name(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    focus = named(sim, "Focus")
    playback = sim.player("alice").playback
    assert playback is not None
    size = len(focus.entries)

    answer = await act(hass, alice, "add_to_playlist", playlist="focus")

    assert answer == {"playlist_uri": uri("playlist", focus.id), "snapshot_id": focus.snapshot_id}
    assert [call[:2] for call in api_calls(sim)] == [
        ("GET", "/v1/me/playlists"),
        ("POST", f"/v1/playlists/{focus.id}/items"),
    ]
    assert commands(sim)[0][3] == {"uris": [playback.item_uri]}
    assert len(focus.entries) == size + 1
    assert focus.entries[-1].uri == playback.item_uri


async def test_add_given_items_by_uri_at_a_position(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    focus = named(sim, "Focus")
    tracks = [uri("track", t) for t in list(sim.world.catalogue.tracks)[-2:]]

    await act(
        hass, alice, "add_to_playlist", playlist=uri("playlist", focus.id), uris=tracks, position=0
    )

    assert api_calls(sim) == [
        ("POST", f"/v1/playlists/{focus.id}/items", {}, {"uris": tracks, "position": 0})
    ]
    assert [entry.uri for entry in focus.entries[:2]] == tracks


async def test_a_playlist_of_someone_else_is_refused_clearly(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    top = named(sim, "Sim Top 50")  # followed by Alice, owned by Spotify
    size = len(top.entries)

    with pytest.raises(ServiceValidationError) as by_name:
        await act(hass, alice, "add_to_playlist", playlist="Sim Top 50")
    with pytest.raises(HomeAssistantError) as by_uri:
        await act(hass, alice, "add_to_playlist", playlist=uri("playlist", top.id))

    assert by_name.value.translation_key == "playlist_not_modifiable"
    assert by_uri.value.translation_key == "playlist_not_modifiable"
    assert len(top.entries) == size
    # By name: nothing sent but the list read; by URI: Spotify's 403 is the answer.
    assert [call[:2] for call in api_calls(sim)] == [
        ("GET", "/v1/me/playlists"),
        ("POST", f"/v1/playlists/{top.id}/items"),
    ]


@pytest.mark.parametrize(
    ("data", "key", "reads"),
    [
        ({"playlist": "No Such List"}, "unknown_playlist", 1),
        ({"playlist": "   "}, "unknown_playlist", 0),
        ({"playlist": "spotify:album:4aawyAB9vmqN3uQ7FjRGTy"}, "invalid_uri", 0),
        ({"playlist": "Focus", "uris": ["spotify:album:4aawyAB9vmqN3uQ7FjRGTy"]}, "invalid_uri", 0),
        ({"playlist": "Focus", "uris": ["nonsense"]}, "invalid_uri", 0),
        ({"playlist": "Focus", "uris": []}, "no_uris", 0),
        ({"playlist": "Focus", "position": -1}, "invalid_playlist_position", 0),
    ],
)
async def test_add_refuses_bad_input_without_sending(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    data: dict[str, Any],
    key: str,
    reads: int,
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await act(hass, alice, "add_to_playlist", **data)

    assert raised.value.translation_key == key
    assert commands(sim) == []
    assert len(api_calls(sim)) == reads


async def test_two_own_playlists_of_that_name_are_ambiguous(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    twin = sim.world.add_playlist("focus-2", "FOCUS", "alice", [])
    sim.world.libraries["alice"].playlists.append(twin.id)

    with pytest.raises(ServiceValidationError) as raised:
        await act(hass, alice, "add_to_playlist", playlist="Focus")

    assert raised.value.translation_key == "ambiguous_playlist"
    assert commands(sim) == []


async def test_create_a_playlist_answers_its_uri(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    answer = await act(
        hass, alice, "create_playlist", name="Kitchen", description="For cooking", public=False
    )

    assert answer is not None
    created = named(sim, "Kitchen")
    assert answer == {"uri": uri("playlist", created.id), "id": created.id, "name": "Kitchen"}
    assert (created.public, created.description, created.owner_id) == (
        False,
        "For cooking",
        "alice",
    )
    assert api_calls(sim) == [
        (
            "POST",
            "/v1/me/playlists",
            {},
            {"name": "Kitchen", "description": "For cooking", "public": False},
        )
    ]
    # The new playlist takes items by name straight away.
    await act(hass, alice, "add_to_playlist", playlist="Kitchen")
    assert len(created.entries) == 1


async def test_create_refuses_an_empty_name(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await act(hass, alice, "create_playlist", name="  ")

    assert raised.value.translation_key == "empty_playlist_name"
    assert api_calls(sim) == []
