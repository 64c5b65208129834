"""An upgrade in a real hass: what the previous release stored loads, and nothing is lost.

The previous release wrote config entry 1.1 (polling intervals as the user once saved them,
possibly below today's floors), remembered devices 1.1 and snapshots 1.1 (at the top level
of their file). A hass that ran it is stopped, and started again with this release.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from custom_components.spotify_webapi.actions.snapshot_store import storage_key as snapshots_key
from custom_components.spotify_webapi.const import DOMAIN
from custom_components.spotify_webapi.devices.remembered import storage_key as devices_key
from custom_components.spotify_webapi.feature_scopes import REQUESTED_SCOPES
from tests.simulator.ids import uri

from .conftest import onboarded_owner
from .test_hass import assert_nothing_reported, create_credentials, entry_loaded, signed_in_owner

if TYPE_CHECKING:
    from pathlib import Path

    import aiohttp

    from tests.simulator import SpotifySimulator

    from .conftest import StartHass

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

ENTRY_ID = "01JSPOTIFYWEBAPIPREVIOUS11"
SPEAKER = "Living Room"


def store_file(key: str, data: Any, *, minor_version: int = 1) -> dict[str, Any]:
    """A .storage file as HA's Store writes it."""
    return {"version": 1, "minor_version": minor_version, "key": key, "data": data}


def previous_release_files(sim: SpotifySimulator, credential_id: str) -> dict[str, Any]:
    """The entry and the two stores of an account as the previous release left them."""
    speaker = sim.player("alice").named(SPEAKER)
    album = next(iter(sim.world.catalogue.albums.values()))
    track = next(t for t in sim.world.catalogue.tracks.values() if t.album_id == album.id)
    token = sim.issue_token("alice", scope=" ".join(REQUESTED_SCOPES))
    entry = {
        "created_at": "2026-11-02T19:00:00+00:00",
        "modified_at": "2026-11-20T19:00:00+00:00",
        "data": {"auth_implementation": credential_id, "token": token},
        "disabled_by": None,
        "discovery_keys": {},
        "domain": DOMAIN,
        "entry_id": ENTRY_ID,
        "minor_version": 1,
        "options": {
            "playing_interval": 5,  # allowed before the floors rose
            "idle_interval": 90,
            "show_restricted_devices": False,
            "wake_up": {str(speaker.id): {"entity_id": "script.wake_living_room", "wait": 20}},
            "linked_players": {},
        },
        "pref_disable_new_entities": False,
        "pref_disable_polling": False,
        "source": "user",
        "subentries": [],
        "title": "Alice Example",
        "unique_id": "alice",
        "version": 1,
    }
    devices = {
        "devices": [
            {
                "key": str(speaker.id),
                "id": str(speaker.id),
                "name": SPEAKER,
                "type": "Speaker",
                "supports_volume": True,
                "last_seen": "2026-11-20T18:30:00+00:00",
            }
        ],
        "last_used": str(speaker.id),
    }
    snapshot = {
        "device_id": str(speaker.id),
        "device_name": SPEAKER,
        "context_uri": uri("album", album.id),
        "item_uri": uri("track", track.id),
        "item_name": track.name,
        "position_ms": 30_000,
        "shuffle": False,
        "repeat": "off",
        "volume": 35,
        "is_playing": True,
    }
    return {"entry": entry, "devices": devices, "snapshots": {"evening": snapshot}}


def read_store(config_dir: Path, key: str) -> dict[str, Any]:
    stored: dict[str, Any] = json.loads((config_dir / ".storage" / key).read_text())
    return stored


def write_store(config_dir: Path, key: str, content: dict[str, Any]) -> None:
    path = config_dir / ".storage" / key
    path.write_text(json.dumps(content, indent=2))
    path.chmod(0o600)


async def test_an_account_of_the_previous_release_loads_and_keeps_everything(
    e2e_sim: SpotifySimulator, start_hass: StartHass, http: aiohttp.ClientSession
) -> None:
    sim = e2e_sim
    before = await start_hass()
    ha = await onboarded_owner(http, before)
    credential = await create_credentials(ha, sim)
    await ha.close()
    assert await before.stop() == 0

    config_dir = before.config_dir
    old = previous_release_files(sim, credential["id"])
    entries = read_store(config_dir, "core.config_entries")
    entries["data"]["entries"].append(old["entry"])
    write_store(config_dir, "core.config_entries", entries)
    write_store(
        config_dir, devices_key(ENTRY_ID), store_file(devices_key(ENTRY_ID), old["devices"])
    )
    snapshots = store_file(snapshots_key(ENTRY_ID), old["snapshots"])
    write_store(config_dir, snapshots_key(ENTRY_ID), snapshots)

    after = await start_hass(restart=before)
    ha = await signed_in_owner(http, after)
    await entry_loaded(ha, ENTRY_ID, "the upgrade")
    # The snapshot saved by the previous release restores on its device.
    sim.player("alice").pause(None)
    await ha.call_service(DOMAIN, "restore", {"config_entry_id": ENTRY_ID, "name": "evening"})
    playback = sim.player("alice").sync()
    assert playback is not None
    assert playback.item_uri == old["snapshots"]["evening"]["item_uri"]
    active = sim.player("alice").active
    assert active is not None
    assert active.name == SPEAKER
    await ha.close()
    assert await after.stop() == 0

    entry = next(
        e
        for e in read_store(config_dir, "core.config_entries")["data"]["entries"]
        if e["entry_id"] == ENTRY_ID
    )
    assert (entry["version"], entry["minor_version"]) == (1, 2)
    assert entry["options"] == {**old["entry"]["options"], "playing_interval": 10}
    assert entry["data"]["token"]["refresh_token"] == old["entry"]["data"]["token"]["refresh_token"]
    # The remembered speaker is kept as it was (others Spotify lists now are added).
    [old_record] = old["devices"]["devices"]
    records = read_store(config_dir, devices_key(ENTRY_ID))["data"]["devices"]
    [record] = [r for r in records if r["key"] == old_record["key"]]
    assert {k: v for k, v in record.items() if k != "last_seen"} == {
        k: v for k, v in old_record.items() if k != "last_seen"
    }
    stored_snapshots = read_store(config_dir, snapshots_key(ENTRY_ID))
    assert (stored_snapshots["version"], stored_snapshots["minor_version"]) == (1, 2)
    assert stored_snapshots["data"]["snapshots"] == old["snapshots"]
    for key in (devices_key(ENTRY_ID), snapshots_key(ENTRY_ID)):
        assert (config_dir / ".storage" / key).stat().st_mode & 0o077 == 0, key
    assert_nothing_reported(after)
