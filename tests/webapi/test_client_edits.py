"""Changing the library and playlists: exactly what is sent, what comes back, what is refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from custom_components.spotify_webapi.webapi import (
    InvalidArgumentError,
    InvalidSpotifyUriError,
    SearchType,
    SpotifyForbiddenError,
    SpotifyResponseError,
    SpotifyWebApiClient,
)

from .helpers import api_requests, last_request, sign_in_as

if TYPE_CHECKING:
    from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
    from tests.simulator import SpotifySimulator


def tracks(simulator: SpotifySimulator, count: int) -> list[str]:
    return [f"spotify:track:{t}" for t in list(simulator.world.catalogue.tracks)[-count:]]


async def test_save_check_and_remove(
    simulator: SpotifySimulator, client: SpotifyWebApiClient
) -> None:
    song = tracks(simulator, 1)[0]
    album = f"spotify:album:{list(simulator.world.catalogue.albums)[-1]}"
    link = "https://open.spotify.com/album/" + album.rsplit(":", 1)[1]

    await client.save_to_library([song, link, song])
    sent = last_request(simulator)
    assert (sent.method, sent.path, sent.query) == (
        "PUT",
        "/v1/me/library",
        {"uris": f"{song},{album}"},
    )

    simulator.clear_requests()
    assert await client.library_contains([song, album]) == [True, True]
    sent = last_request(simulator)
    assert (sent.method, sent.path) == ("GET", "/v1/me/library/contains")

    simulator.clear_requests()
    await client.remove_from_library(song)
    assert last_request(simulator).method == "DELETE"
    assert await client.library_contains([song, album]) == [False, True]


async def test_library_arguments_are_checked_before_sending(
    simulator: SpotifySimulator, client: SpotifyWebApiClient
) -> None:
    with pytest.raises(InvalidArgumentError):
        await client.save_to_library([])
    with pytest.raises(InvalidArgumentError):
        await client.save_to_library([f"spotify:track:{n:022d}" for n in range(41)])
    with pytest.raises(InvalidSpotifyUriError):
        await client.save_to_library("spotify:artist:0OdUWJ0sBjDrqHygGUXeCF")
    assert api_requests(simulator) == []


async def test_contains_answer_must_match_the_question(
    simulator: SpotifySimulator, client: SpotifyWebApiClient
) -> None:
    simulator.fail_next("/v1/me/library/contains", 200, body=b"[true, true]")
    with pytest.raises(SpotifyResponseError):
        await client.library_contains(tracks(simulator, 1))


async def test_create_a_playlist_and_add_to_it(
    simulator: SpotifySimulator, client: SpotifyWebApiClient
) -> None:
    created = await client.create_playlist("Made here", description="d", public=False)
    sent = last_request(simulator)
    assert (sent.method, sent.path, sent.json) == (
        "POST",
        "/v1/me/playlists",
        {"name": "Made here", "description": "d", "public": False},
    )
    assert created.name == "Made here"
    assert created.uri == f"spotify:playlist:{created.id}"

    simulator.clear_requests()
    items = tracks(simulator, 2)
    snapshot = await client.add_to_playlist(created.uri, items, position=0)
    sent = last_request(simulator)
    assert (sent.method, sent.path, sent.json) == (
        "POST",
        f"/v1/playlists/{created.id}/items",
        {"uris": items, "position": 0},
    )
    assert snapshot
    assert snapshot != created.snapshot_id
    assert [e.uri for e in simulator.world.playlists[str(created.id)].entries] == items


async def test_adding_to_someone_elses_playlist_is_forbidden(
    simulator: SpotifySimulator, client: SpotifyWebApiClient, auth: AuthClient
) -> None:
    road_trip = simulator.world.libraries["alice"].playlists[0]
    sign_in_as(simulator, auth, "carol")

    with pytest.raises(SpotifyForbiddenError):
        await client.add_to_playlist(road_trip, tracks(simulator, 1))


async def test_search_passes_the_market(
    simulator: SpotifySimulator, client: SpotifyWebApiClient
) -> None:
    await client.search("a", [SearchType.TRACK], limit=2, market="from_token")

    assert last_request(simulator).query == {
        "q": "a",
        "type": "track",
        "limit": "2",
        "offset": "0",
        "market": "from_token",
    }
