"""The same journey in a real browser: HA's frontend in Debian's chromium, driven by Playwright."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from custom_components.spotify_webapi.const import DOMAIN
from tests.devserver.hass import DEV_VENV, PROJECT
from tests.devserver.processes import ChildProcess
from tests.simulator.artwork import images

from .conftest import OWNER, onboarded_owner, wait_for

if TYPE_CHECKING:
    import aiohttp

    from tests.simulator import SpotifySimulator

    from .conftest import StartHass

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_TIMEOUT = 150.0
SCREENSHOTS = (
    "config-flow-credentials.png",
    "config-flow-success.png",
    "media-player-more-info.png",
)


async def test_add_the_integration_and_press_play_in_a_browser(
    tmp_path: Path,
    e2e_sim: SpotifySimulator,
    start_hass: StartHass,
    http: aiohttp.ClientSession,
) -> None:
    assert os.access(CHROMIUM, os.X_OK), "no /usr/bin/chromium: scripts/test installs it (apt-get)"
    sim = e2e_sim
    # A quiet onboarding: the dashboard shows only what the person adds.
    hass = await start_hass(wizard_extras=False)
    owner = await onboarded_owner(http, hass)
    shots, result = tmp_path / "screenshots", tmp_path / "browser.json"
    browser = ChildProcess(
        "browser",
        [
            str(DEV_VENV / "bin" / "python"),
            "-m",
            "tests.e2e.browser_flow",
            *("--url", hass.url, "--accounts-url", sim.accounts_url),
            *("--username", OWNER[1], "--password", OWNER[2]),
            *("--client-id", sim.DEFAULT_CLIENT_ID, "--client-secret", sim.DEFAULT_CLIENT_SECRET),
            *("--shots", str(shots), "--result", str(result)),
        ],
        env={**os.environ, "PYTHONPATH": str(PROJECT)},
        cwd=PROJECT,
        output=tmp_path / "browser.log",
    )
    sim.clear_requests()
    try:
        await browser.start()
        status = await asyncio.wait_for(browser.wait(), BROWSER_TIMEOUT)
    finally:
        await browser.stop(grace=5)
    log = (tmp_path / "browser.log").read_text()
    sys.stdout.write(f"screenshots: {shots}\n")
    assert status == 0, log[-4000:]

    # What the browser saw is what HA and the simulator hold.
    found = json.loads(result.read_text())
    assert set(SCREENSHOTS) <= set(found["screenshots"])
    for name in SCREENSHOTS:
        assert (shots / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    credentials = await owner.ws({"type": "application_credentials/list"})
    assert [(c["domain"], c["client_id"], c["name"]) for c in credentials] == [
        (DOMAIN, sim.DEFAULT_CLIENT_ID, "Simulator app")
    ]
    entries = await owner.entries(DOMAIN)
    assert [(e["title"], e["state"]) for e in entries] == [("Alice Example", "loaded")]
    commands = [(r.method, r.path) for r in sim.requests if r.method == "PUT"]
    assert ("PUT", "/v1/me/player/pause") in commands
    assert commands[-1] == ("PUT", "/v1/me/player/play")
    playback = sim.player("alice").playback
    assert playback is not None
    assert playback.is_playing
    await wait_for(
        "the entity to play",
        lambda: owner.state(found["entity_id"]),
        lambda state: state["state"] == "playing",
    )
    # The player's artwork: the album's largest cover, served by the simulator; the
    # frontend loaded it (HA's media player proxy fetched it from the simulator) and the
    # browser decoded it.
    catalogue = sim.world.catalogue
    track = catalogue.tracks[playback.item_uri.rsplit(":", 1)[1]]
    cover = images(sim.base_url, "album", track.album_id)[0]
    state = await owner.state(found["entity_id"])
    assert state["attributes"]["entity_picture"] == cover["url"]
    assert found["artwork"]["entity_picture"] == cover["url"]
    assert found["artwork"]["status"] == 200
    assert found["artwork"]["size"] == [cover["width"], cover["height"]]
    served = [(r.path, r.status) for r in sim.requests if r.path.startswith("/image/")]
    assert (urlsplit(cover["url"]).path, 200) in served
    await owner.close()
