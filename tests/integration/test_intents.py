"""Spotify by voice: our intents against a real entry on the simulator, and through Assist."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components import conversation
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Context
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers import intent, llm
from homeassistant.setup import async_setup_component

from custom_components.spotify_webapi import intents
from custom_components.spotify_webapi.const import CONF_LINKED_PLAYERS, DOMAIN
from custom_components.spotify_webapi.voice.targets import spoken
from tests.simulator.ids import parse_uri, uri

from .conftest import entry_for, setup_entry
from .helpers import api_calls, set_options
from .sleepers import (
    KITCHEN,
    WAKE_SCRIPT,
    add_speaker,
    put_to_sleep,
    setup_wake_up_tools,
    with_wake_up,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

SWITCH = "switch.spotify_alice_example_saved_in_your_library"
KITCHEN_PLAYER = "media_player.kitchen_speaker"
SENTENCES = Path(__file__).resolve().parents[2] / "docs" / "custom_sentences"
# What must never be spoken: URIs, links, Spotify ids (22 base62) and device ids (40 hex).
LEAKS = re.compile(r"spotify:|open\.spotify\.com|\b[0-9A-Za-z]{22}\b|\b[0-9a-f]{40}\b")


@pytest.fixture
async def alice(hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry) -> Any:
    """Alice's entry, playing the Road Trip playlist on her MacBook; the log cleared."""
    await setup_entry(hass, config_entry)
    await hass.async_block_till_done(wait_background_tasks=True)
    sim.clear_requests()
    return config_entry


async def ask(
    hass: HomeAssistant, intent_type: str, language: str = "en", **slots: str
) -> tuple[intent.IntentResponse, str]:
    """Handle one of our intents; the response and what it says (checked for leaks)."""
    response = await intent.async_handle(
        hass,
        "test",
        intent_type,
        {name: {"value": value} for name, value in slots.items()},
        language=language,
    )
    await hass.async_block_till_done(wait_background_tasks=True)
    speech = response.speech["plain"]["speech"]
    assert speech
    assert not LEAKS.search(speech), speech
    return response, speech


def playback(sim: SpotifySimulator) -> Any:
    found = sim.player("alice").playback
    assert found is not None
    return found


def track_of(sim: SpotifySimulator, item_uri: str) -> Any:
    parsed = parse_uri(item_uri)
    assert parsed is not None
    return sim.world.catalogue.tracks[parsed[1]]


def saved(sim: SpotifySimulator, item_uri: str) -> bool:
    parsed = parse_uri(item_uri)
    assert parsed is not None
    return sim.world.libraries["alice"].has(*parsed)


def unique(names: list[str], candidates: list[Any]) -> Any:
    """A catalogue item whose name nothing else in the catalogue has."""
    return next(item for item in candidates if names.count(item.name) == 1)


def catalogue_names(sim: SpotifySimulator) -> list[str]:
    catalogue = sim.world.catalogue
    return [
        *(t.name for t in catalogue.tracks.values()),
        *(a.name for a in catalogue.albums.values()),
        *(a.name for a in catalogue.artists.values()),
    ]


def active_device(sim: SpotifySimulator) -> str | None:
    active = sim.player("alice").active
    return None if active is None else active.name


async def test_whats_playing_answers_title_artist_and_device(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    track = track_of(sim, playback(sim).item_uri)
    artists = [sim.world.catalogue.artists[a].name for a in track.artist_ids]

    response, speech = await ask(hass, intents.INTENT_WHATS_PLAYING)

    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech == f"{track.name} by {', '.join(artists)}, on Alice's MacBook."


async def test_whats_playing_reads_the_playback_now_and_says_when_nothing_plays(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    sim.player("alice").playback = None  # stopped elsewhere since the last poll

    response, speech = await ask(hass, intents.INTENT_WHATS_PLAYING)

    assert response.response_type is intent.IntentResponseType.ERROR
    assert speech == "Nothing is playing on Spotify."


async def test_save_and_remove_change_the_library_and_the_switch(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    playing = playback(sim).item_uri
    parsed = parse_uri(playing)
    assert parsed is not None
    sim.world.libraries["alice"].remove(*parsed)
    title = track_of(sim, playing).name

    response, speech = await ask(hass, intents.INTENT_SAVE_CURRENT)

    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert speech == f"Saved {title} to your library."
    assert saved(sim, playing)
    assert hass.states.get(SWITCH).state == STATE_ON  # type: ignore[union-attr]

    _, speech = await ask(hass, intents.INTENT_REMOVE_CURRENT)

    assert speech == f"Removed {title} from your library."
    assert not saved(sim, playing)
    assert hass.states.get(SWITCH).state == STATE_OFF  # type: ignore[union-attr]


async def test_add_the_item_playing_to_a_playlist_named_by_voice(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    focus = next(p for p in sim.world.playlists.values() if p.name == "Focus")
    playing = playback(sim).item_uri
    size = len(focus.entries)

    _, speech = await ask(hass, intents.INTENT_ADD_CURRENT_TO_PLAYLIST, playlist="focus")

    assert speech == f"Added {track_of(sim, playing).name} to focus."
    assert len(focus.entries) == size + 1
    assert focus.entries[-1].uri == playing


async def test_a_playlist_that_is_not_there_or_not_ours_is_said(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    shared_size = len(
        next(p for p in sim.world.playlists.values() if p.name == "Sim Top 50").entries
    )

    response, speech = await ask(hass, intents.INTENT_ADD_CURRENT_TO_PLAYLIST, playlist="Running")
    assert response.response_type is intent.IntentResponseType.ERROR
    assert speech == "You have no playlist called Running."

    _, speech = await ask(hass, intents.INTENT_ADD_CURRENT_TO_PLAYLIST, playlist="sim top 50")
    assert speech == "sim top 50 is not your playlist, so I can't add to it."
    top = next(p for p in sim.world.playlists.values() if p.name == "Sim Top 50")
    assert len(top.entries) == shared_size


async def test_play_a_track_by_name_on_a_device_named_as_spoken(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    track = unique(catalogue_names(sim), list(sim.world.catalogue.tracks.values())[20:])

    response, speech = await ask(hass, intents.INTENT_PLAY, name=track.name, device="living room")

    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert speech == f"Playing {track.name} on Living Room."
    assert active_device(sim) == "Living Room"
    assert playback(sim).is_playing
    assert playback(sim).item_uri == uri("track", track.id)


async def test_play_a_playlist_prefers_the_users_own(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    focus = next(p for p in sim.world.playlists.values() if p.name == "Focus")

    _, speech = await ask(hass, intents.INTENT_PLAY, name="focus", media_type="playlist")

    assert speech == "Playing Focus on Alice's MacBook."
    assert playback(sim).context_uri == uri("playlist", focus.id)
    assert ("GET", "/v1/search") not in [call[:2] for call in api_calls(sim)]


async def test_play_an_album_in_an_area_wakes_the_linked_speaker(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    add_speaker(sim)
    await setup_wake_up_tools(hass, sim)
    await setup_entry(hass, config_entry)
    await put_to_sleep(hass, sim, config_entry)
    with_wake_up(hass, config_entry, WAKE_SCRIPT)
    kitchen = ar.async_get(hass).async_create("Kitchen", aliases={"cooking corner"})
    player = er.async_get(hass).async_get_or_create(
        "media_player", "test", "kitchen-speaker", suggested_object_id="kitchen_speaker"
    )
    er.async_get(hass).async_update_entity(player.entity_id, area_id=kitchen.id)
    record = config_entry.runtime_data.coordinator.remembered.find(KITCHEN)
    assert record is not None
    set_options(
        hass,
        config_entry,
        {**config_entry.options, CONF_LINKED_PLAYERS: {record.key: player.entity_id}},
    )
    album = unique(catalogue_names(sim), list(sim.world.catalogue.albums.values()))

    _, speech = await ask(
        hass, intents.INTENT_PLAY, name=album.name, media_type="album", area="cooking corner"
    )

    assert speech == f"Playing {album.name} on {KITCHEN}."
    assert sim.wake_signals == [("alice", KITCHEN)]
    assert active_device(sim) == KITCHEN
    assert playback(sim).context_uri == uri("album", album.id)


async def test_play_without_a_place_prefers_the_area_the_request_came_from(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    add_speaker(sim)  # awake
    await setup_entry(hass, config_entry)
    areas = ar.async_get(hass)
    kitchen, garage = areas.async_create("Kitchen"), areas.async_create("Garage")
    player = er.async_get(hass).async_get_or_create("media_player", "test", "kitchen-speaker")
    er.async_get(hass).async_update_entity(player.entity_id, area_id=kitchen.id)
    record = config_entry.runtime_data.coordinator.remembered.find(KITCHEN)
    assert record is not None
    links = {CONF_LINKED_PLAYERS: {record.key: player.entity_id}}
    set_options(hass, config_entry, {**config_entry.options, **links})
    tracks = list(sim.world.catalogue.tracks.values())[20:]
    first, second = (unique(catalogue_names(sim), tracks[n:]) for n in (0, 40))

    _, speech = await ask(hass, intents.INTENT_PLAY, name=first.name, preferred_area_id=garage.id)
    assert speech == f"Playing {first.name} on Alice's MacBook."  # nothing linked there
    assert active_device(sim) == "Alice's MacBook"

    _, speech = await ask(hass, intents.INTENT_PLAY, name=second.name, preferred_area_id=kitchen.id)
    assert speech == f"Playing {second.name} on {KITCHEN}."
    assert active_device(sim) == KITCHEN
    assert playback(sim).item_uri == uri("track", second.id)


async def test_where_to_play_is_unknown_or_unreachable_it_is_said(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    add_speaker(sim)
    await setup_entry(hass, config_entry)
    await put_to_sleep(hass, sim, config_entry)  # remembered, asleep, no wake-up action
    ar.async_get(hass).async_create("Garage")
    before = playback(sim).item_uri
    sim.clear_requests()

    _, speech = await ask(hass, intents.INTENT_PLAY, name="jazz", device="the moon")
    assert speech == "Spotify knows no device called the moon."
    _, speech = await ask(hass, intents.INTENT_PLAY, name="jazz", area="attic")
    assert speech == "There is no area called attic."
    _, speech = await ask(hass, intents.INTENT_PLAY, name="jazz", area="garage")
    assert speech == "No Spotify device is linked to a media player in Garage."
    track = unique(catalogue_names(sim), list(sim.world.catalogue.tracks.values())[20:])
    _, speech = await ask(hass, intents.INTENT_PLAY, name=track.name, device="kitchen speaker")
    assert speech == f"{KITCHEN} is not reachable right now."
    _, speech = await ask(hass, intents.INTENT_PLAY, name="zzzz qqqq xxxx", media_type="album")
    assert speech == "Spotify found nothing called zzzz qqqq xxxx."

    assert playback(sim).item_uri == before
    assert [call for call in api_calls(sim) if call[0] != "GET"] == []


async def test_an_audiobook_plays_by_name(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    country = sim.users["alice"].country
    names = [b.name for b in sim.world.catalogue.audiobooks.values()]
    book = next(
        b
        for b in sim.world.catalogue.audiobooks.values()
        if b.available_in(country) and names.count(b.name) == 1
    )

    _, speech = await ask(hass, intents.INTENT_PLAY, name=book.name, media_type="audiobook")

    searches = [call for call in api_calls(sim) if call[:2] == ("GET", "/v1/search")]
    assert [call[2]["type"] for call in searches] == ["audiobook"]
    assert speech == f"Playing {book.name} on Alice's MacBook."
    # The client sends a book as the show Spotify's player names it (webapi): the same id.
    assert playback(sim).context_uri.rpartition(":")[2] == book.id
    assert playback(sim).is_playing

    _, speech = await ask(hass, intents.INTENT_WHATS_PLAYING)

    # What the player shows for the chapter is what is said.
    shown = hass.states.get("media_player.spotify_alice_example")
    assert shown is not None
    chapters = {c.name for c in sim.world.catalogue.chapters.values() if c.audiobook_id == book.id}
    assert shown.attributes["media_title"] in chapters
    title, artist = shown.attributes["media_title"], shown.attributes["media_artist"]
    assert speech == f"{title} by {artist}, on Alice's MacBook."


async def test_pause_resume_and_skip(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    first = playback(sim).item_uri

    _, speech = await ask(hass, intents.INTENT_PAUSE)
    assert speech == "Paused Spotify."
    assert not playback(sim).is_playing

    _, speech = await ask(hass, intents.INTENT_PAUSE)
    assert speech == "Nothing is playing on Spotify."

    _, speech = await ask(hass, intents.INTENT_RESUME)
    assert speech == "Resumed Spotify."
    assert playback(sim).is_playing

    sim.clear_requests()
    _, speech = await ask(hass, intents.INTENT_RESUME)  # playing already: nothing to send
    assert speech == "Resumed Spotify."
    assert [call for call in api_calls(sim) if call[0] != "GET"] == []

    _, speech = await ask(hass, intents.INTENT_NEXT)
    assert speech == "Skipped to the next one."
    assert playback(sim).item_uri != first

    _, speech = await ask(hass, intents.INTENT_PREVIOUS)
    assert speech == "Back to the previous one."
    assert playback(sim).item_uri == first


async def test_answers_come_in_the_language_asked(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    _, speech = await ask(hass, intents.INTENT_PAUSE, language="de")
    assert speech == "Spotify ist pausiert."
    _, speech = await ask(hass, intents.INTENT_PAUSE, language="nl-BE")
    assert speech == "Er speelt niets op Spotify."
    _, speech = await ask(hass, intents.INTENT_RESUME, language="it")  # not translated: English
    assert speech == "Resumed Spotify."


async def test_without_a_loaded_account_it_is_said(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    await hass.config_entries.async_unload(alice.entry_id)

    response, speech = await ask(hass, intents.INTENT_WHATS_PLAYING)

    assert response.response_type is intent.IntentResponseType.ERROR
    assert speech == "No Spotify account is set up."


async def test_the_account_playing_is_the_one_asked_about(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry
) -> None:
    carol = entry_for(sim, "carol")  # loaded first, nothing on her player
    await setup_entry(hass, carol)
    await setup_entry(hass, config_entry)
    assert hass.config_entries.async_loaded_entries(DOMAIN) == [carol, config_entry]

    _, speech = await ask(hass, intents.INTENT_PAUSE)

    assert speech == "Paused Spotify."
    assert not playback(sim).is_playing


@pytest.mark.parametrize(
    ("language", "asked", "by", "on"),
    [
        ("en", "What's playing on Spotify?", " by ", ", on Alice's MacBook."),
        ("de", "Was läuft gerade auf Spotify?", " von ", ", auf Alice's MacBook."),
    ],
)
async def test_whats_playing_on_spotify_through_the_conversation_agent(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    tmp_path: Path,
    language: str,
    asked: str,
    by: str,
    on: str,
) -> None:
    """The shipped sentences, installed as a user would, reach our intent; it answers."""
    hass.config.config_dir = str(tmp_path)
    installed = tmp_path / "custom_sentences" / language
    installed.mkdir(parents=True)
    shutil.copy(SENTENCES / language / "spotify_webapi.yaml", installed)
    await setup_entry(hass, config_entry)
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    track = track_of(sim, playback(sim).item_uri)

    result = await conversation.async_converse(hass, asked, None, Context(), language=language)

    assert result.response.intent is not None
    assert result.response.intent.intent_type == intents.INTENT_WHATS_PLAYING
    speech = result.response.speech["plain"]["speech"]
    assert not LEAKS.search(speech), speech
    assert speech.startswith(track.name + by)
    assert speech.endswith(on)


async def test_agents_are_offered_the_intents_as_tools_and_can_call_them(
    hass: HomeAssistant, sim: SpotifySimulator, alice: MockConfigEntry
) -> None:
    """HA 2025 offers registered intents itself; later releases ask our llm platform."""
    assert await async_setup_component(hass, "homeassistant", {})
    if importlib.util.find_spec("homeassistant.components.llm") is not None:
        assert await async_setup_component(hass, "llm", {})
    given = {
        "platform": "test",
        "context": Context(),
        "user_prompt": None,
        "language": "en",
        "assistant": conversation.DOMAIN,
        "device_id": None,
    }
    names = {field.name for field in dataclasses.fields(llm.LLMContext)}
    api = await llm.async_get_api(
        hass, llm.LLM_API_ASSIST, llm.LLMContext(**{k: v for k, v in given.items() if k in names})
    )
    tools = {
        tool.name.removeprefix(f"{DOMAIN}__"): tool
        for tool in api.tools
        if tool.name.removeprefix(f"{DOMAIN}__").startswith("Spotify")
    }
    assert set(tools) == {handler.intent_type for handler in intents.HANDLERS}
    play = tools[intents.INTENT_PLAY]
    assert "by name" in (play.description or "")
    assert {str(key) for key in play.parameters.schema} == {"name", "media_type", "device", "area"}

    result: Any = await api.async_call_tool(
        llm.ToolInput(tool_name=tools[intents.INTENT_PAUSE].name, tool_args={})
    )

    data = getattr(result, "data", result)  # a ToolResult from HA 2026, a dict before
    assert data["speech"]["plain"]["speech"] == "Paused Spotify."
    assert not playback(sim).is_playing


@pytest.mark.parametrize(
    ("said", "name"),
    [
        ("alices macbook", "Alice's MacBook"),
        ("Alice\u2019s MacBook", "Alice's MacBook"),
        ("living-room", "Living Room"),
        ("  BEDROOM   tv ", "Bedroom TV"),
    ],
)
def test_names_are_compared_as_speech_writes_them(said: str, name: str) -> None:
    assert spoken(said) == spoken(name)
    assert spoken("kitchen") != spoken("kitchen speaker")
