"""The search action, and the play action's query: Spotify's best match, or a clear refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.exceptions import ServiceValidationError

from tests.simulator.ids import uri

from .conftest import setup_entry
from .helpers import act, api_calls

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")


@pytest.fixture
async def alice(hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry) -> Any:
    """Alice's entry, set up, with the request log cleared."""
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    sim.clear_requests()
    return config_entry


def commands(sim: SpotifySimulator) -> list[tuple[str, str, dict[str, str], Any]]:
    return [call for call in api_calls(sim) if call[0] != "GET"]


async def test_search_answers_compact_typed_results(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    catalogue = sim.world.catalogue
    track = list(catalogue.tracks.values())[7]
    artist = catalogue.artists[track.artist_ids[0]]
    album = catalogue.albums[track.album_id]

    answer = await act(hass, alice, "search", query=track.name, types=["track", "artist"], limit=3)

    assert answer is not None
    assert set(answer) == {"tracks", "artists"}
    best = answer["tracks"][0]
    assert best == {
        "name": track.name,
        "uri": uri("track", track.id),
        "artists": [catalogue.artists[a].name for a in track.artist_ids],
        "album": album.name,
        "image": best["image"],
    }
    assert best["image"].startswith("http")
    assert len(answer["tracks"]) <= 3
    assert all(
        set(found) == {"name", "uri", "artists", "album", "image"} for found in answer["artists"]
    )
    ((method, path, query, _),) = api_calls(sim)
    assert (method, path) == ("GET", "/v1/search")
    assert query == {
        "q": track.name,
        "type": "track,artist",
        "limit": "3",
        "offset": "0",
        "market": "from_token",
    }
    assert artist.name  # the artist's own name finds it too
    by_artist = await act(hass, alice, "search", query=artist.name, types=["artist"])
    assert by_artist is not None
    assert by_artist["artists"][0]["uri"] == uri("artist", artist.id)


async def test_search_defaults_to_five_tracks_and_pages_beyond_ten(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    answer = await act(hass, alice, "search", query="a", market="DE")
    assert answer is not None
    assert list(answer) == ["tracks"]
    assert len(answer["tracks"]) == 5

    sim.clear_requests()
    answer = await act(hass, alice, "search", query="a", limit=15)
    assert answer is not None
    assert len(answer["tracks"]) == 15
    assert [call[2]["limit"] for call in api_calls(sim)] == ["10", "5"]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"query": "  "}, "empty_query"),
        ({"query": "x", "types": ["song"]}, "invalid_search_type"),
        ({"query": "x", "types": []}, "invalid_search_type"),
        ({"query": "x", "limit": 0}, "invalid_limit"),
        ({"query": "x", "limit": 51}, "invalid_limit"),
        ({"query": "x", "market": "Germany"}, "invalid_market"),
    ],
)
async def test_search_refuses_bad_input_without_sending(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    data: dict[str, Any],
    key: str,
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await act(hass, alice, "search", **data)

    assert raised.value.translation_key == key
    assert api_calls(sim) == []


# --- play by query ------------------------------------------------------------------------------


async def test_play_a_track_by_name_plays_the_best_match(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    track = list(sim.world.catalogue.tracks.values())[12]

    await act(hass, alice, "play", query=track.name.upper())

    assert commands(sim) == [("PUT", "/v1/me/player/play", {}, {"uris": [uri("track", track.id)]})]
    playback = sim.player("alice").playback
    assert playback is not None
    assert playback.item_uri == uri("track", track.id)


async def test_play_an_album_by_name_starts_it_as_a_context(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    album = list(sim.world.catalogue.albums.values())[3]

    await act(hass, alice, "play", query=album.name, type="album", shuffle=True)

    assert commands(sim)[0] == (
        "PUT",
        "/v1/me/player/play",
        {},
        {"context_uri": uri("album", album.id)},
    )
    search = api_calls(sim)[0]
    assert search[2]["type"] == "album"
    assert search[2]["limit"] == "1"


@pytest.mark.parametrize(
    ("data", "key", "searches"),
    [
        ({"query": "zzzz nothing like this"}, "no_match", 1),
        ({"query": ""}, "empty_query", 0),
        ({"query": "x", "type": "song"}, "invalid_search_type", 0),
        ({"query": "x", "uris": ["spotify:track:4uLU6hMCjMI75M1A2tKUQC"]}, "query_with_uris", 0),
        (
            {"type": "album", "context_uri": "spotify:album:4aawyAB9vmqN3uQ7FjRGTy"},
            "type_without_query",
            0,
        ),
    ],
)
async def test_play_by_query_refuses_without_sending_a_command(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    alice: MockConfigEntry,
    data: dict[str, Any],
    key: str,
    searches: int,
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await act(hass, alice, "play", **data)

    assert raised.value.translation_key == key
    assert commands(sim) == []
    assert len(api_calls(sim)) == searches
