"""Audiobooks through Home Assistant: browse, search, play where left off, show, save."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from tests.simulator.player import ResumePoint

from .conftest import setup_entry
from .helpers import ALICE, act, api_calls, confirm, media, state
from .test_event import record_events

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import WebSocketGenerator

    from tests.simulator import SpotifySimulator
    from tests.simulator.catalogue import Audiobook

pytestmark = pytest.mark.usefixtures("setup_credentials")

SWITCH = "switch.spotify_alice_example_saved_in_your_library"
LOOPBACK, TOKENS, REFRESH_QUEUE, LONG_POLL = range(4)


def book(sim: SpotifySimulator, index: int) -> Audiobook:
    return list(sim.world.catalogue.audiobooks.values())[index]


def playing(sim: SpotifySimulator) -> tuple[str, int]:
    playback = sim.player("alice").sync()
    assert playback is not None
    return playback.item_uri, int(playback.position_ms)


@pytest.fixture
async def alice(hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry) -> Any:
    """Alice's entry (a US account), set up, the simulator's clock still, the log cleared."""
    sim.clock.freeze()
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    sim.clear_requests()
    return config_entry


@pytest.fixture
async def browse(hass: HomeAssistant, alice: Any, hass_ws_client: WebSocketGenerator) -> Any:
    """Browse Alice's player as the frontend does."""
    client = await hass_ws_client(hass)

    async def run(kind: str, content_id: str) -> dict[str, Any]:
        await client.send_json_auto_id(
            {
                "type": "media_player/browse_media",
                "entity_id": ALICE,
                "media_content_type": kind,
                "media_content_id": content_id,
            }
        )
        answer = await client.receive_json()
        assert answer["success"], answer
        result: dict[str, Any] = answer["result"]
        return result

    return run


async def test_the_audiobooks_folder_lists_saved_books_and_marks_one_not_sold_here(
    browse: Any, sim: SpotifySimulator
) -> None:
    folder = await browse("current_user_saved_audiobooks", "current_user_saved_audiobooks")

    assert folder["title"] == "Audiobooks"
    loopback, refresh_queue = folder["children"]
    assert loopback["title"] == "The Loopback Mysteries, by Ada Lantern"
    assert loopback["media_content_id"] == f"spotify:audiobook:{book(sim, LOOPBACK).id}"
    assert loopback["can_play"]
    assert loopback["can_expand"]
    assert loopback["thumbnail"]
    # Sold in Britain and Ireland only: shown, marked, not offered to a US listener.
    assert refresh_queue["title"] == (
        "Tales from the Refresh Queue, by Holly Byte (not available in your country)"
    )
    assert not refresh_queue["can_play"]


async def test_a_book_lists_its_chapters_page_by_page_with_its_narrators(
    browse: Any, sim: SpotifySimulator
) -> None:
    long_poll = book(sim, LONG_POLL)

    node = await browse("audiobook", f"spotify:audiobook:{long_poll.id}")

    assert node["title"] == "The Long Poll, by Ada Lantern, read by Sam Reader"
    assert node["can_play"]
    chapters = [c for c in node["children"] if c["media_class"] == "episode"]
    assert [c["media_content_id"] for c in chapters] == [
        f"spotify:chapter:{chapter}" for chapter in long_poll.chapter_ids[:50]
    ]
    assert all(c["can_play"] and c["thumbnail"] for c in chapters)
    more = node["children"][-1]
    assert more["title"] == "More… (60 in all)"
    rest = await browse(more["media_content_type"], more["media_content_id"])
    assert [c["media_content_id"] for c in rest["children"]] == [
        f"spotify:chapter:{chapter}" for chapter in long_poll.chapter_ids[50:]
    ]


async def test_a_book_plays_from_the_first_unfinished_chapter_at_its_resume_point(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    tokens = book(sim, TOKENS)
    points = sim.player("alice").resume_points
    points[tokens.chapter_ids[0]] = ResumePoint(0, fully_played=True)
    points[tokens.chapter_ids[1]] = ResumePoint(95_000)

    await media(
        hass,
        "play_media",
        media_content_type="audiobook",
        media_content_id=f"spotify:audiobook:{tokens.id}",
    )

    assert playing(sim) == (f"spotify:episode:{tokens.chapter_ids[1]}", 95_000)
    (play,) = [call for call in api_calls(sim) if call[1] == "/v1/me/player/play"]
    # Told where to start, not left to the player: sent as Spotify's player names them.
    assert play[3] == {
        "context_uri": f"spotify:show:{tokens.id}",
        "offset": {"uri": f"spotify:episode:{tokens.chapter_ids[1]}"},
        "position_ms": 95_000,
    }


async def test_a_book_found_by_name_plays_where_left_off(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    loopback = book(sim, LOOPBACK)  # Alice left it in chapter 2, 61 s in

    await act(hass, alice, "play", query="Loopback Mysteries", type="audiobook")

    assert playing(sim) == (f"spotify:episode:{loopback.chapter_ids[2]}", 61_000)


async def test_a_chapter_shows_as_a_chapter_of_its_book(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    tokens = book(sim, TOKENS)
    chapter_id = tokens.chapter_ids[2]

    await media(
        hass,
        "play_media",
        media_content_type="chapter",
        media_content_id=f"spotify:chapter:{chapter_id}",
    )
    await confirm(hass)

    assert playing(sim) == (f"spotify:episode:{chapter_id}", 0)
    shown = state(hass).attributes
    chapter = sim.world.catalogue.chapters[chapter_id]
    assert shown["media_title"] == chapter.name
    assert shown["media_album_name"] == "A Token for Tomorrow"
    assert shown["media_artist"] == "Rin Okafor, Lee Park"
    assert shown["media_content_id"] == f"spotify:chapter:{chapter_id}"
    assert shown["media_duration"] == round(chapter.duration_ms / 1000)
    assert shown["media_position"] == 0
    assert shown["entity_picture"]


async def test_a_chapter_is_queued_like_an_episode(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    chapter = f"spotify:chapter:{book(sim, LOOPBACK).chapter_ids[4]}"

    await media(
        hass, "play_media", media_content_type="chapter", media_content_id=chapter, enqueue="add"
    )

    assert sim.player("alice").queue == [chapter.replace("chapter", "episode")]


async def test_the_saved_switch_and_save_to_library_act_on_the_book_of_a_chapter(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    tokens = book(sim, TOKENS)
    library = sim.world.libraries["alice"]
    assert not library.has("audiobook", tokens.id)
    await media(
        hass,
        "play_media",
        media_content_type="chapter",
        media_content_id=f"spotify:chapter:{tokens.chapter_ids[1]}",
    )
    await confirm(hass)
    assert state(hass, SWITCH).state == "off"

    await hass.services.async_call("switch", "turn_on", {"entity_id": SWITCH}, blocking=True)
    assert library.has("audiobook", tokens.id)
    assert state(hass, SWITCH).state == "on"
    await act(hass, alice, "remove_from_library")
    assert not library.has("audiobook", tokens.id)

    sim.clear_requests()
    chapter = f"spotify:chapter:{tokens.chapter_ids[1]}"
    with pytest.raises(ServiceValidationError) as refused:
        await act(hass, alice, "save_to_library", uris=[chapter])
    assert refused.value.translation_key == "chapter_not_saveable"
    with pytest.raises(ServiceValidationError) as refused:
        await act(hass, alice, "add_to_playlist", playlist="Road Trip")
    assert refused.value.translation_key == "chapter_not_in_playlists"
    assert api_calls(sim) == []


async def test_a_book_not_sold_here_is_refused_with_spotifys_reason(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    refresh_queue = book(sim, REFRESH_QUEUE)
    before = sim.player("alice").playback

    with pytest.raises(HomeAssistantError) as refused:
        await media(
            hass,
            "play_media",
            media_content_type="audiobook",
            media_content_id=f"spotify:audiobook:{refresh_queue.id}",
        )

    assert refused.value.translation_key == "command_refused"
    assert "Restriction violated" in str(refused.value)
    assert sim.player("alice").playback is before


async def test_search_answers_books_with_authors_and_narrators(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    answer = await act(hass, alice, "search", query="Token for Tomorrow", types=["audiobook"])

    assert answer is not None
    (found, *_) = answer["audiobooks"]
    assert found["name"] == "A Token for Tomorrow"
    assert found["uri"] == f"spotify:audiobook:{book(sim, TOKENS).id}"
    assert found["artists"] == ["Rin Okafor", "Lee Park"]
    assert found["narrators"] == ["Dana Voss", "Eli Moss"]


async def test_a_chapter_is_snapshotted_and_restored_at_its_place(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    loopback = book(sim, LOOPBACK)
    await act(hass, alice, "play", context_uri=f"spotify:audiobook:{loopback.id}")
    await confirm(hass)
    where = playing(sim)
    await act(hass, alice, "snapshot", name="book")
    await act(hass, alice, "play", query="Hidden Lantern", type="album")
    await confirm(hass)
    assert playing(sim)[0] != where[0]

    await act(hass, alice, "restore", name="book")

    assert playing(sim) == where
    playback = sim.player("alice").playback
    assert playback is not None
    assert playback.context_uri == f"spotify:show:{loopback.id}"


async def test_a_new_chapter_fires_track_changed_with_its_book_and_authors(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    tokens = book(sim, TOKENS)
    await act(hass, alice, "play", context_uri=f"spotify:audiobook:{tokens.id}")
    await confirm(hass)
    fired = record_events(hass)

    sim.player("alice").next(None)  # the next chapter, from the Spotify app
    await alice.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done(wait_background_tasks=True)

    assert [kind for kind, _ in fired] == ["track_changed"]
    attributes = fired[0][1]
    assert attributes["uri"] == f"spotify:chapter:{tokens.chapter_ids[1]}"
    assert attributes["album"] == "A Token for Tomorrow"
    assert attributes["artists"] == ["Rin Okafor", "Lee Park"]
    answer = await act(hass, alice, "get_playback")
    assert answer is not None
    item = answer["playback"]["item"]
    assert (item["type"], item["audiobook"], item["authors"]) == (
        "chapter",
        "A Token for Tomorrow",
        ["Rin Okafor", "Lee Park"],
    )
