"""scripts/release's zip, unpacked where a user (or HACS) puts it, loads in a real hass."""

from __future__ import annotations

import asyncio
import json
import zipfile
from typing import TYPE_CHECKING

import pytest

from custom_components.spotify_webapi.const import DOMAIN
from tests.devserver.hass import PROJECT

from .conftest import onboarded_owner

if TYPE_CHECKING:
    from pathlib import Path

    import aiohttp

    from tests.simulator import SpotifySimulator

    from .conftest import StartHass

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


async def _run(*argv: str) -> str:
    process = await asyncio.create_subprocess_exec(
        *argv,
        cwd=PROJECT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, output.decode()
    return output.decode()


async def test_release_zip_installs_into_a_real_hass(
    tmp_path: Path,
    e2e_sim: SpotifySimulator,
    start_hass: StartHass,
    http: aiohttp.ClientSession,
) -> None:
    said = await _run(str(PROJECT / "scripts" / "release"), "--output", str(tmp_path / "dist"))
    archive = tmp_path / "dist" / "spotify_webapi.zip"
    assert str(archive) in said
    committed = await _run(
        "git", "ls-tree", "-r", "--name-only", "HEAD", f"custom_components/{DOMAIN}/"
    )
    expected = sorted(
        line.removeprefix(f"custom_components/{DOMAIN}/") for line in committed.split()
    )
    with zipfile.ZipFile(archive) as release:
        files = sorted(name for name in release.namelist() if not name.endswith("/"))
        # The integration's files at the zip's root, as HACS unpacks a zip_release asset.
        assert files == expected
        assert "manifest.json" in files
        assert not [name for name in files if "__pycache__" in name or name.endswith(".pyc")]
        installed = tmp_path / "installed"
        release.extractall(installed / DOMAIN)

    hass = await start_hass(custom_components=installed)
    owner = await onboarded_owner(http, hass)
    try:
        manifest = await owner.ws({"type": "manifest/get", "integration": DOMAIN})
        shipped = json.loads((installed / DOMAIN / "manifest.json").read_text())
        assert manifest["version"] == shipped["version"]
        assert manifest["is_built_in"] is False
        await owner.ws(
            {
                "type": "application_credentials/create",
                "domain": DOMAIN,
                "client_id": e2e_sim.DEFAULT_CLIENT_ID,
                "client_secret": e2e_sim.DEFAULT_CLIENT_SECRET,
            }
        )
        flow = await owner.rest("POST", "/api/config/config_entries/flow", {"handler": DOMAIN})
        # The installed copy's config flow sends the user to Spotify's (here: the simulator's)
        # authorize page.
        assert (flow["type"], flow["step_id"]) == ("external", "auth")
        assert flow["url"].startswith(f"{e2e_sim.accounts_url}/authorize?")
        await owner.rest("DELETE", f"/api/config/config_entries/flow/{flow['flow_id']}")
    finally:
        await owner.close()
    assert await hass.stop() == 0
    assert hass.child.output is not None
    assert f"custom integration {DOMAIN}" in hass.child.output.read_text()
