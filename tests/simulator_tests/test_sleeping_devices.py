"""Devices that sleep: unlisted and unaddressable until a wake-up signal, some with a new id."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest

from tests.simulator.devices import Device, device_id

from .helpers import Api, api_for

if TYPE_CHECKING:
    import aiohttp

    from tests.simulator import SpotifySimulator

KITCHEN = "Kitchen Speaker"


@pytest.fixture
def alice(frozen: SpotifySimulator, http: aiohttp.ClientSession) -> Api:
    return api_for(http, frozen, "alice")


def speaker(sim: SpotifySimulator, **kwargs: object) -> Device:
    device = Device(device_id("alice", KITCHEN), KITCHEN, "Speaker", 40, **kwargs)  # type: ignore[arg-type]
    sim.player("alice").devices.append(device)
    return device


async def listed(api: Api) -> list[str]:
    return [d["name"] for d in (await api.ok("/me/player/devices"))["devices"]]


async def wake(http: aiohttp.ClientSession, sim: SpotifySimulator, **body: object) -> int:
    async with http.post(sim.wake_url, json=body) as response:
        return response.status


async def test_a_sleeping_device_is_neither_listed_nor_addressable(
    frozen: SpotifySimulator, alice: Api
) -> None:
    device = speaker(frozen)
    assert KITCHEN in await listed(alice)
    frozen.player("alice").put_to_sleep(KITCHEN)

    assert KITCHEN not in await listed(alice)
    status, body = await alice.put("/me/player", json={"device_ids": [device.id]})
    assert (status, body["error"]["message"]) == (404, "Device not found")


async def test_the_active_device_falling_asleep_ends_playback(
    frozen: SpotifySimulator, alice: Api
) -> None:
    active = frozen.player("alice").active
    assert active is not None
    frozen.player("alice").put_to_sleep(active.name)
    assert await alice.get("/me/player") == (204, None)


async def test_a_wake_up_signal_over_http_lists_it_after_the_delay(
    frozen: SpotifySimulator, alice: Api, http: aiohttp.ClientSession
) -> None:
    device = speaker(frozen)
    frozen.player("alice").put_to_sleep(KITCHEN)

    assert await wake(http, frozen, device=KITCHEN, user="alice", after=0.2) == 204
    assert frozen.wake_signals == [("alice", KITCHEN)]
    assert KITCHEN not in await listed(alice)
    await asyncio.sleep(0.3)
    assert KITCHEN in await listed(alice)
    assert await alice.put("/me/player", json={"device_ids": [device.id]}) == (204, None)


async def test_one_comes_back_with_a_new_id_and_one_never_wakes(
    frozen: SpotifySimulator, alice: Api, http: aiohttp.ClientSession
) -> None:
    device = speaker(frozen, id_after_wake="e" * 40)
    old_id = device.id
    frozen.player("alice").put_to_sleep(KITCHEN)
    assert await wake(http, frozen, device=KITCHEN) == 204
    devices = {d["name"]: d["id"] for d in (await alice.ok("/me/player/devices"))["devices"]}
    assert devices[KITCHEN] == "e" * 40
    status, _ = await alice.put("/me/player", json={"device_ids": [old_id]})
    assert status == 404

    dead = Device("d" * 40, "Garage", "Speaker", 10, awake=False, wakes=False)
    frozen.player("alice").devices.append(dead)
    assert await wake(http, frozen, device="Garage") == 204
    assert "Garage" not in await listed(alice)


async def test_wake_up_signals_that_name_nothing_are_refused(
    frozen: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    assert await wake(http, frozen, device="Nowhere") == 404
    assert await wake(http, frozen, device=KITCHEN, user="mallory") == 404
    assert await wake(http, frozen, after=1) == 400
    assert await wake(http, frozen, device=KITCHEN, after="soon") == 400
    assert frozen.wake_signals == []
