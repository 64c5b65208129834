"""The media player entity over recorded answers of the real Spotify Web API (tests/fixtures).

A real Home Assistant sets the entry up against a server replaying the recordings, and
the entity's attributes are what a user sees.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest
from homeassistant.components.application_credentials import (
    ClientCredential,
    async_import_client_credential,
)
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.spotify_webapi.const import DOMAIN, SCOPES
from custom_components.spotify_webapi.oauthcli.urls import ENV_ACCOUNTS_URL, ENV_API_URL

from .conftest import setup_entry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant, State

    from tests.recorded import ReplayServer

V2026 = "spotifyaio/2026"


@pytest.fixture
async def recorded_entry(
    hass: HomeAssistant, replay: ReplayServer, monkeypatch: pytest.MonkeyPatch
) -> MockConfigEntry:
    """The recording account's entry, pointed at the replay server, with a fresh token."""
    monkeypatch.setenv(ENV_ACCOUNTS_URL, replay.api_url)
    monkeypatch.setenv(ENV_API_URL, replay.api_url)
    assert await async_setup_component(hass, "application_credentials", {})
    await async_import_client_credential(
        hass, DOMAIN, ClientCredential("recorded", "secret", "Recorded app"), DOMAIN
    )
    replay.answer("me", f"{V2026}/current_user.json")
    replay.answer("me/player/devices", f"{V2026}/devices.json")
    token = {
        "access_token": "recorded-access",
        "refresh_token": "recorded-refresh",
        "token_type": "Bearer",
        "expires_in": 3600,
        "expires_at": time.time() + 3600,
        "scope": " ".join(SCOPES),
    }
    return MockConfigEntry(
        domain=DOMAIN,
        title="Joost Lekkerkerker",
        unique_id="1112264649",
        data={"auth_implementation": DOMAIN, "token": token},
    )


async def player_state(hass: HomeAssistant, entry: MockConfigEntry) -> State:
    """Set the entry up and return its media player's state."""
    await setup_entry(hass, entry)
    [registered] = [
        found
        for found in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if found.domain == "media_player"
    ]
    found = hass.states.get(registered.entity_id)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (
            "playback_1.json",
            {
                "media_title": "WARRIORS, Pt. 1 (Final Stage)",
                "media_artist": "Machinae Supremacy",
                "media_album_name": "WARRIORS, Pt. 1 (Final Stage)",
                "media_track": 1,
                "media_duration": 269,
                "media_content_type": "music",
                "source": "DESKTOP-BKC5SIK",
                "entity_picture_url": "ab67616d0000b273326db007f167499d23171722",
            },
        ),
        (
            # Playing from someone else's playlist, under its old user-scoped URI.
            "playback_2.json",
            {
                "media_title": "The Spirit Of Radio",
                "media_artist": "Rush",
                "media_album_name": "Permanent Waves",
                "source": "Master Bathroom Speaker",
                "volume_level": 0.25,
                "entity_picture_url": "ab67616d0000b27306c0d7ebcabad0c39b566983",
            },
        ),
        (
            "playback_4.json",
            {
                "media_title": "Coachella 2023",
                "media_artist": "Four Tet x Fred again.. x Skrillex",
                "media_album_name": None,
                "media_track": None,
                "media_duration": 5432,
                "entity_picture_url": None,
            },
        ),
        (
            "playback_episode_1.json",
            {
                "media_title": "My Squirrel Has Brain Damage - Safety Third 119",
                "media_artist": "Safety Third",
                "media_album_name": None,
                "media_content_type": "podcast",
                "entity_picture_url": "ab6765630000ba8ac7bedd27a4413b1abf926d8a",
            },
        ),
        (
            "playback_audiobook_1.json",
            {
                "media_title": "Track 1",
                # A chapter of its book: the author as artist, the book as album.
                "media_artist": "Anya Niewierra",
                "media_album_name": "De nomade",
                "source": "Nothing phone (1)",
                "entity_picture_url": "ab676663000022a8ecf13d909d494c02ba057feb",
            },
        ),
    ],
)
async def test_player_shows_recorded_playback(
    hass: HomeAssistant,
    replay: ReplayServer,
    recorded_entry: MockConfigEntry,
    name: str,
    shown: dict[str, object],
) -> None:
    replay.answer("me/player", f"{V2026}/{name}")
    state = await player_state(hass, recorded_entry)
    assert state.state == "playing"
    picture = shown.pop("entity_picture_url")
    for attribute, value in shown.items():
        assert state.attributes.get(attribute) == value, attribute
    coordinator = recorded_entry.runtime_data.coordinator
    entity_picture = state.attributes.get("entity_picture")
    if picture is None:
        assert entity_picture is None
    else:
        # Spotify's CDN is public: the browser loads the largest cover directly.
        assert entity_picture == f"https://i.scdn.co/image/{picture}"
    assert coordinator.last_update_success
