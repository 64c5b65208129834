"""Play on a sleeping speaker through a real Home Assistant, a real script as its wake-up action."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import pytest

from custom_components.spotify_webapi.const import DOMAIN
from custom_components.spotify_webapi.devices.remembered import storage_key
from tests.simulator.devices import Device, device_id
from tests.simulator.ids import uri

from .conftest import onboarded_owner, wait_for
from .test_hass import add_account, the_player

if TYPE_CHECKING:
    import aiohttp

    from tests.devserver.hass_api import HassClient
    from tests.simulator import SpotifySimulator

    from .conftest import StartHass

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(150)]

KITCHEN = "Kitchen Speaker"
# The speaker takes this long after the script's signal to sign in to Spotify.
SIGNS_IN_AFTER = 3


def scripts(sim: SpotifySimulator) -> str:
    """What a user would write: a rest_command that powers the speaker, a script running it."""
    payload = json.dumps({"device": KITCHEN, "user": "alice", "after": SIGNS_IN_AFTER})
    return f"""
rest_command:
  power_kitchen_speaker:
    url: "{sim.wake_url}"
    method: post
    content_type: application/json
    payload: '{payload}'
script:
  wake_kitchen:
    alias: Wake the kitchen speaker
    sequence:
      - action: rest_command.power_kitchen_speaker
"""


async def options_step(ha: HassClient, flow_id: str, data: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = await ha.rest(
        "POST", f"/api/config/config_entries/options/flow/{flow_id}", data
    )
    return result


async def give_wake_up_script(ha: HassClient, entry_id: str, key: str) -> None:
    """Options > Remembered devices > the speaker > wake-up action, as the dialog sends it."""
    menu = await ha.rest("POST", "/api/config/config_entries/options/flow", {"handler": entry_id})
    assert (menu["type"], menu["menu_options"]) == ("menu", ["settings", "devices"])
    devices = await options_step(ha, menu["flow_id"], {"next_step_id": "devices"})
    assert devices["step_id"] == "devices"
    device_menu = await options_step(ha, menu["flow_id"], {"device": key})
    assert (device_menu["type"], device_menu["step_id"]) == ("menu", "device_menu")
    device = await options_step(ha, menu["flow_id"], {"next_step_id": "device"})
    assert device["step_id"] == "device"
    assert device["description_placeholders"]["device"] == KITCHEN
    done = await options_step(
        ha, menu["flow_id"], {"wake_up_entity": "script.wake_kitchen", "wait": 30}
    )
    assert done["type"] == "create_entry", done


async def test_play_on_a_sleeping_speaker_through_a_real_hass(
    e2e_sim: SpotifySimulator, start_hass: StartHass, http: aiohttp.ClientSession
) -> None:
    sim = e2e_sim
    speaker = Device(device_id("alice", KITCHEN), KITCHEN, "Speaker", 40)
    sim.player("alice").devices.append(speaker)
    process = await start_hass(extra_configuration=scripts(sim))
    ha = await onboarded_owner(http, process)
    try:
        done = await add_account(ha, http, sim, process.url)
        entry_id = done["result"]["entry_id"]
        player = await the_player(ha)

        sim.player("alice").put_to_sleep(KITCHEN)
        # Reading the devices shows the speaker gone: it is offered as offline.
        await ha.call_service(
            DOMAIN, "get_devices", {"config_entry_id": entry_id}, return_response=True
        )
        state = await ha.state(player)
        assert f"{KITCHEN} (offline)" in state["attributes"]["source_list"]
        await give_wake_up_script(ha, entry_id, str(speaker.id))

        sim.clear_requests()
        album = uri("album", next(iter(sim.world.catalogue.albums)))
        started = time.monotonic()
        await ha.call_service(
            DOMAIN,
            "play",
            {"config_entry_id": entry_id, "context_uri": album, "device": KITCHEN},
        )
        took = time.monotonic() - started

        assert sim.wake_signals == [("alice", KITCHEN)]
        alice = sim.player("alice")
        assert alice.active is speaker
        assert alice.playback is not None
        assert (alice.playback.context_uri, alice.playback.is_playing) == (album, True)
        plays = [r for r in sim.requests if (r.method, r.path) == ("PUT", "/v1/me/player/play")]
        assert [r.query for r in plays] == [{"device_id": speaker.id}]
        reads = [r for r in sim.requests if r.path == "/v1/me/player/devices"]
        # One read finds it missing; then every 2 s, backing off, until it is listed (at 3 s).
        assert len(reads) == 3
        assert SIGNS_IN_AFTER < took < SIGNS_IN_AFTER + 5
        await wait_for(
            "the kitchen as the source",
            lambda: ha.state(player),
            lambda s: s["attributes"].get("source") == KITCHEN and s["state"] == "playing",
        )
    finally:
        await ha.close()

    assert await process.stop() == 0  # HA writes its stores on a clean stop
    stored = json.loads((process.config_dir / ".storage" / storage_key(entry_id)).read_text())
    kitchen = [d for d in stored["data"]["devices"] if d["name"] == KITCHEN]
    assert [(d["key"], d["id"]) for d in kitchen] == [(speaker.id, speaker.id)]
    assert stored["data"]["last_used"] == speaker.id
