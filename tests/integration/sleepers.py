"""Devices that sleep, and real Home Assistant wake-up actions that wake them in the simulator.

A wake-up action here is what a user would configure: a script, or an entity to turn
on. Both end in HA's own `rest_command`, which posts the wake-up signal to the
simulator over HTTP; the simulator lists the device again after a delay.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

from homeassistant.setup import async_setup_component

from custom_components.spotify_webapi.const import (
    CONF_WAKE_UP,
    CONF_WAKE_UP_ENTITY,
    CONF_WAKE_UP_WAIT,
)
from tests.simulator.devices import Device, device_id

from .helpers import set_options

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from tests.simulator import SpotifySimulator

KITCHEN: Final = "Kitchen Speaker"
WAKE_SCRIPT: Final = "script.wake_kitchen"
PLUG: Final = "input_boolean.kitchen_plug"
BROKEN_SCRIPT: Final = "script.broken_wake_up"
# The speaker signs in to Spotify this long after the wake-up signal.
WAKES_AFTER: Final = 0.5


def add_speaker(
    sim: SpotifySimulator,
    name: str = KITCHEN,
    *,
    wakes: bool = True,
    new_id: str | None = None,
    user: str = "alice",
) -> Device:
    """A speaker, awake for now, that the player can use."""
    speaker = Device(device_id(user, name), name, "Speaker", 40, wakes=wakes, id_after_wake=new_id)
    sim.player(user).devices.append(speaker)
    return speaker


async def put_to_sleep(hass: HomeAssistant, sim: SpotifySimulator, entry: MockConfigEntry) -> None:
    """The speaker sleeps, and the integration has read the device list since."""
    sim.player("alice").put_to_sleep(KITCHEN)
    await entry.runtime_data.coordinator.async_refresh_devices()
    await hass.async_block_till_done()


async def setup_wake_up_tools(
    hass: HomeAssistant, sim: SpotifySimulator, *, after: float = WAKES_AFTER
) -> None:
    """rest_command.wake_kitchen, a script running it, a plug that runs it, a broken script.

    The speaker signs in to Spotify ``after`` seconds after the signal.
    """
    payload = json.dumps({"device": KITCHEN, "user": "alice", "after": after})
    assert await async_setup_component(
        hass,
        "rest_command",
        {
            "rest_command": {
                "wake_kitchen": {
                    "url": sim.wake_url,
                    "method": "post",
                    "payload": payload,
                    "content_type": "application/json",
                }
            }
        },
    )
    assert await async_setup_component(
        hass,
        "script",
        {
            "script": {
                "wake_kitchen": {"sequence": [{"action": "rest_command.wake_kitchen"}]},
                "broken_wake_up": {"sequence": [{"action": "switch.turn_on_the_impossible"}]},
            }
        },
    )
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"kitchen_plug": {}}}
    )
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Power to the kitchen speaker",
                "triggers": [{"trigger": "state", "entity_id": PLUG, "to": "on"}],
                "actions": [{"action": "rest_command.wake_kitchen"}],
            }
        },
    )
    await hass.async_block_till_done()


def with_wake_up(
    hass: HomeAssistant, entry: MockConfigEntry, entity_id: str, wait: int = 10
) -> None:
    """Give the speaker a wake-up action in the entry's options."""
    record = entry.runtime_data.coordinator.remembered.find(KITCHEN)
    assert record is not None
    wake_up = {record.key: {CONF_WAKE_UP_ENTITY: entity_id, CONF_WAKE_UP_WAIT: wait}}
    options: dict[str, Any] = {**entry.options, CONF_WAKE_UP: wake_up}
    set_options(hass, entry, options)
