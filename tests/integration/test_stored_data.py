"""Files written by the release before this one are read as they were, and newer ones are kept.

The 1.1 files below are what the previous release wrote (remembered devices and snapshots,
as HA's Store saved them, key and all).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import pytest

from custom_components.spotify_webapi.actions.snapshot_store import SAVE_DELAY
from custom_components.spotify_webapi.actions.snapshot_store import storage_key as snapshots_key
from custom_components.spotify_webapi.devices.remembered import storage_key as devices_key

from .conftest import setup_entry
from .helpers import act, later

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.usefixtures("setup_credentials")

DEVICES_1_1: dict[str, Any] = {
    "devices": [
        {
            "key": "old-speaker-id",
            "id": "speaker-id-now",
            "name": "Garden Speaker",
            "type": "Speaker",
            "supports_volume": True,
            "last_seen": "2026-11-30T20:15:00+00:00",
        }
    ],
    "last_used": "old-speaker-id",
}
SNAPSHOT_1_1: dict[str, Any] = {
    "device_id": "speaker-id-now",
    "device_name": "Garden Speaker",
    "context_uri": "spotify:album:0sNOF9WDwhWunNAHPD3Baj",
    "item_uri": "spotify:track:4iV5W9uYEdYUVa79Axb7Rh",
    "item_name": "Bohemian Rhapsody",
    "position_ms": 61000,
    "shuffle": False,
    "repeat": "off",
    "volume": 40,
    "is_playing": True,
}


def written_by_1_1(key: str, data: dict[str, Any]) -> dict[str, Any]:
    """A file as HA's Store wrote it for the previous release."""
    return {"version": 1, "minor_version": 1, "key": key, "data": copy.deepcopy(data)}


async def test_remembered_devices_of_the_previous_release_load_unchanged(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    key = devices_key(config_entry.entry_id)
    hass_storage[key] = written_by_1_1(key, DEVICES_1_1)

    await setup_entry(hass, config_entry)

    remembered = config_entry.runtime_data.coordinator.remembered
    record = remembered.get("old-speaker-id")
    assert record is not None
    assert (record.id, record.name, record.type, record.last_seen) == (
        "speaker-id-now",
        "Garden Speaker",
        "Speaker",
        "2026-11-30T20:15:00+00:00",
    )
    assert [r.key for r in remembered.devices if r.name == "Garden Speaker"] == ["old-speaker-id"]


async def test_snapshots_of_the_previous_release_are_migrated_once_and_restore(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
) -> None:
    key = snapshots_key(config_entry.entry_id)
    hass_storage[key] = written_by_1_1(key, {"before the doorbell": SNAPSHOT_1_1})
    await setup_entry(hass, config_entry)

    # Saving another snapshot writes the file in today's format, the old one kept.
    await act(hass, config_entry, "snapshot", name="now")
    await later(hass, SAVE_DELAY + 1)

    stored = hass_storage[key]
    assert (stored["version"], stored["minor_version"]) == (1, 2)
    assert stored["data"]["snapshots"]["before the doorbell"] == SNAPSHOT_1_1
    assert set(stored["data"]["snapshots"]) == {"before the doorbell", "now"}


@pytest.mark.parametrize("which", ["devices", "snapshots"])
async def test_a_file_of_a_newer_release_is_not_written_over(
    hass: HomeAssistant,
    sim: SpotifySimulator,
    config_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    which: str,
) -> None:
    key = (devices_key if which == "devices" else snapshots_key)(config_entry.entry_id)
    newer = {"version": 2, "minor_version": 1, "key": key, "data": {"future": True}}
    hass_storage[key] = copy.deepcopy(newer)

    await setup_entry(hass, config_entry)
    await act(hass, config_entry, "snapshot", name="now")
    config_entry.runtime_data.coordinator.remembered.observe(
        config_entry.runtime_data.coordinator.data.devices
    )
    await later(hass, 60)
    await hass.config_entries.async_unload(config_entry.entry_id)
    await hass.async_block_till_done()

    assert hass_storage[key] == newer
