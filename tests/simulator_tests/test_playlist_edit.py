"""The simulator's playlist edits: creating, adding at a position, and who may add."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .helpers import api_for

if TYPE_CHECKING:
    import aiohttp

    from tests.simulator import SpotifySimulator


async def test_create_then_add_at_a_position(
    simulator: SpotifySimulator, http: aiohttp.ClientSession
) -> None:
    alice = api_for(http, simulator, "alice")
    tracks = [f"spotify:track:{t}" for t in list(simulator.world.catalogue.tracks)[:3]]

    status, created = await alice.call(
        "POST", "/me/playlists", json={"name": "Made here", "description": "d", "public": False}
    )
    assert status == 201
    assert (created["name"], created["public"], created["description"]) == ("Made here", False, "d")
    assert created["owner"]["id"] == "alice"
    assert simulator.world.libraries["alice"].playlists[0] == created["id"]

    path = f"/playlists/{created['id']}/items"
    status, answer = await alice.call("POST", path, json={"uris": tracks[:2]})
    assert status == 201
    assert answer["snapshot_id"] != created["snapshot_id"]
    status, _ = await alice.call("POST", path, json={"uris": tracks[2:], "position": 0})
    assert status == 201
    entries = simulator.world.playlists[created["id"]].entries
    assert [entry.uri for entry in entries] == [tracks[2], tracks[0], tracks[1]]


async def test_refusals(simulator: SpotifySimulator, http: aiohttp.ClientSession) -> None:
    carol = api_for(http, simulator, "carol")
    alice = api_for(http, simulator, "alice")
    road_trip = simulator.world.libraries["alice"].playlists[0]
    track = f"spotify:track:{next(iter(simulator.world.catalogue.tracks))}"

    status, _ = await carol.call("POST", f"/playlists/{road_trip}/items", json={"uris": [track]})
    assert status == 403
    path = f"/playlists/{road_trip}/items"
    assert (await alice.call("POST", path, json={"uris": ["spotify:track:" + "Z" * 22]}))[0] == 400
    assert (await alice.call("POST", path, json={"uris": [track], "position": 9999}))[0] == 400
    assert (await alice.call("POST", path, json={}))[0] == 400
    assert (await alice.call("POST", "/me/playlists", json={"public": True}))[0] == 400
    missing = f"/playlists/{'Z' * 22}/items"
    assert (await alice.call("POST", missing, json={"uris": [track]}))[0] == 404
