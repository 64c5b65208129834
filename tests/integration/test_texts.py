"""Texts the integration shows as plain strings follow Home Assistant's language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import custom_components.spotify_webapi as integration
from custom_components.spotify_webapi.browse import media as browse_media
from custom_components.spotify_webapi.browse.media import Category

from .conftest import setup_entry
from .helpers import media, state
from .sleepers import KITCHEN, PLUG, add_speaker, put_to_sleep, setup_wake_up_tools, with_wake_up

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry
    from pytest_homeassistant_custom_component.typing import WebSocketGenerator

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

TRANSLATIONS = Path(integration.__file__).parent / "translations"


def common(language: str) -> dict[str, str]:
    texts: dict[str, str] = json.loads((TRANSLATIONS / f"{language}.json").read_text())["common"]
    return texts


@pytest.mark.parametrize("language", ["fr", "es", "en"])
async def test_an_offline_device_is_marked_in_the_users_language_and_can_be_chosen(
    hass: HomeAssistant, sim: SpotifySimulator, config_entry: MockConfigEntry, language: str
) -> None:
    hass.config.language = language
    add_speaker(sim)
    await setup_wake_up_tools(hass, sim)
    await setup_entry(hass, config_entry)
    await put_to_sleep(hass, sim, config_entry)
    with_wake_up(hass, config_entry, PLUG)
    shown = common(language)["offline_source"].format(name=KITCHEN)

    assert shown in state(hass).attributes["source_list"]
    await media(hass, "select_source", source=shown)

    player = sim.player("alice")
    assert player.active is not None
    assert player.active.name == KITCHEN
    assert shown not in state(hass).attributes["source_list"]


async def test_the_next_page_node_is_named_in_the_users_language(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hass.config.language = "de"
    monkeypatch.setattr(browse_media, "CHUNK", 3)
    await setup_entry(hass, config_entry)
    client = await hass_ws_client(hass)
    playlists = len(sim.world.libraries["alice"].playlists)

    await client.send_json_auto_id(
        {
            "type": "media_player/browse_media",
            "entity_id": "media_player.spotify_alice_example",
            "media_content_type": "current_user_playlists",
            "media_content_id": "current_user_playlists",
        }
    )
    answer = await client.receive_json()

    assert answer["success"], answer
    more = answer["result"]["children"][-1]
    assert more["title"] == common("de")["more_of_total"].format(total=playlists)
    assert more["title"].startswith("Mehr…")


async def test_the_library_folders_are_named_in_the_users_language(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    hass.config.language = "nl"
    await setup_entry(hass, config_entry)
    client = await hass_ws_client(hass)

    await client.send_json_auto_id(
        {"type": "media_player/browse_media", "entity_id": "media_player.spotify_alice_example"}
    )
    answer = await client.receive_json()

    assert answer["success"], answer
    titles = [child["title"] for child in answer["result"]["children"]]
    dutch = common("nl")
    assert titles == [dutch[f"folder_{category.name.lower()}"] for category in Category]
    assert titles[:3] == ["Afspeellijsten", "Gelikete nummers", "Albums"]
