"""An audiobook in a real Home Assistant: browsed into, a chapter played, shown, and asked about.

The browser's websocket command, the media player service and the conversation API are
Home Assistant's own; the sentences are the ones shipped in docs/custom_sentences.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Any

import pytest

from tests.devserver.hass import PROJECT

from .conftest import onboarded_owner, wait_for
from .test_hass import add_account, assert_nothing_reported, the_player

if TYPE_CHECKING:
    import aiohttp

    from tests.devserver.hass_api import HassClient
    from tests.simulator import SpotifySimulator

    from .conftest import StartHass

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

SENTENCES = PROJECT / "docs" / "custom_sentences"


async def browse(ha: HassClient, player: str, kind: str, content_id: str) -> dict[str, Any]:
    """One node of the media browser, as the frontend asks for it."""
    node: dict[str, Any] = await ha.ws(  # type: ignore[assignment]
        {
            "type": "media_player/browse_media",
            "entity_id": player,
            "media_content_type": kind,
            "media_content_id": content_id,
        }
    )
    return node


async def test_a_chapter_browsed_played_shown_and_told_through_a_real_hass(
    e2e_sim: SpotifySimulator, start_hass: StartHass, http: aiohttp.ClientSession
) -> None:
    sim = e2e_sim
    process = await start_hass(extra_configuration="conversation:\n")
    # Read by the default agent on its first sentence: installed as docs/voice.md says.
    shutil.copytree(SENTENCES, process.config_dir / "custom_sentences")
    ha = await onboarded_owner(http, process)
    await add_account(ha, http, sim, process.url)
    player = await the_player(ha)

    saved_books = "current_user_saved_audiobooks"
    folder = await browse(ha, player, saved_books, saved_books)
    book = next(child for child in folder["children"] if child["can_play"])
    assert book["title"].startswith("The Loopback Mysteries")
    chapters = await browse(ha, player, book["media_content_type"], book["media_content_id"])
    chapter = chapters["children"][3]
    await ha.call_service(
        "media_player",
        "play_media",
        {
            "entity_id": player,
            "media_content_id": chapter["media_content_id"],
            "media_content_type": chapter["media_content_type"],
        },
    )
    shown = await wait_for(
        "the chapter to show",
        lambda: ha.state(player),
        lambda s: s["attributes"].get("media_title") == chapter["title"],
    )
    assert shown["attributes"]["media_album_name"] == "The Loopback Mysteries"
    assert shown["attributes"]["media_artist"] == "Ada Lantern"
    playback = sim.player("alice").playback
    assert playback is not None
    assert playback.item_uri == chapter["media_content_id"].replace("chapter", "episode")

    answer: dict[str, Any] = await ha.rest(
        "POST", "/api/conversation/process", {"text": "what's playing on Spotify", "language": "en"}
    )
    speech = answer["response"]["speech"]["plain"]["speech"]
    assert chapter["title"] in speech
    assert "Ada Lantern" in speech
    assert "spotify:" not in speech

    await ha.close()
    assert await process.stop() == 0
    assert_nothing_reported(process)
