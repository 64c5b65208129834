"""Refreshing when other processes share tokens.json: adopt their newer token, never clobber it."""

from __future__ import annotations

import asyncio
import json
import time
from typing import TYPE_CHECKING, Any

import pytest

from custom_components.spotify_webapi.oauthcli.errors import AuthorizationError
from custom_components.spotify_webapi.oauthcli.tokenstore import FileTokenStore

from .conftest import ClientFactory, authorized_client

if TYPE_CHECKING:
    from pathlib import Path

    import aiohttp

    from tests.simulator import SpotifySimulator


def token_requests(simulator: SpotifySimulator) -> int:
    return sum(1 for r in simulator.requests if r.path == "/api/token")


def stored(tmp_path: Path) -> dict[str, Any]:
    tokens: dict[str, Any] = json.loads((tmp_path / "tokens.json").read_text())
    return tokens


def expire(token: dict[str, Any] | None) -> None:
    assert token is not None
    token["expires_at"] = time.time() - 10


async def test_a_newer_stored_token_is_adopted_instead_of_refreshing(
    make_client: ClientFactory, http: aiohttp.ClientSession, simulator: SpotifySimulator
) -> None:
    this = await authorized_client(make_client, http)
    other = make_client()  # another process on the same file
    await other.LoadToken()
    newer = await other.RefreshToken()
    expire(this.Token)
    before = token_requests(simulator)

    response = await this.get("me")

    assert response.status == 200
    assert token_requests(simulator) == before  # no refresh: the stored token was fresh
    assert this.Token is not None
    assert this.Token["access_token"] == newer["access_token"]


async def test_a_rotated_refresh_token_in_the_file_is_the_one_used(
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    simulator: SpotifySimulator,
    tmp_path: Path,
) -> None:
    simulator.accounts.rotate_refresh_tokens = True
    this = await authorized_client(make_client, http)
    other = make_client()
    await other.LoadToken()
    rotated = await other.RefreshToken()  # this one's refresh token is now spent
    await other.SaveToken({**rotated, "expires_at": time.time() - 10})
    expire(this.Token)

    refreshed = await this.RefreshToken()

    sent = [r.form for r in simulator.requests if r.path == "/api/token"][-1]
    assert sent is not None
    assert sent["refresh_token"] == rotated["refresh_token"]
    assert refreshed["access_token"] != rotated["access_token"]
    key = next(iter(stored(tmp_path)))
    assert stored(tmp_path)[key]["access_token"] == refreshed["access_token"]


async def test_the_access_token_just_rejected_is_not_adopted_back(
    make_client: ClientFactory, http: aiohttp.ClientSession, simulator: SpotifySimulator
) -> None:
    this = await authorized_client(make_client, http)
    assert this.Token is not None
    rejected = this.Token["access_token"]
    simulator.expire_access_tokens()  # the API refuses it though its expiry lies ahead

    assert (await this.get("me")).status == 200
    assert this.Token["access_token"] != rejected


async def test_invalid_grant_keeps_an_entry_another_writer_replaced_meanwhile(
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    simulator: SpotifySimulator,
    tmp_path: Path,
) -> None:
    this = await authorized_client(make_client, http)
    key = next(iter(stored(tmp_path)))
    replacement = {**simulator.issue_token(), "scope": this.Token and this.Token["scope"]}
    simulator.fail_next("/api/token", 400, error="invalid_grant", delay=0.5)

    async def original_writes_meanwhile() -> None:
        # spotifywebapipython takes no lock: it can write while ours holds its own.
        await asyncio.sleep(0.2)
        data = {key: replacement}
        await asyncio.to_thread((tmp_path / "tokens.json").write_text, json.dumps(data))

    writer = asyncio.create_task(original_writes_meanwhile())
    with pytest.raises(AuthorizationError, match="invalid_grant"):
        await this.RefreshToken()
    await writer

    assert stored(tmp_path) == {key: replacement}
    assert this.Token is None


async def test_invalid_grant_deletes_the_entry_holding_the_refused_token(
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    simulator: SpotifySimulator,
    tmp_path: Path,
) -> None:
    this = await authorized_client(make_client, http)
    simulator.revoke_refresh_tokens()
    with pytest.raises(AuthorizationError, match="Refresh token revoked"):
        await this.RefreshToken()
    assert stored(tmp_path) == {}


async def test_refreshes_of_two_stores_on_one_file_take_turns(
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    simulator: SpotifySimulator,
) -> None:
    first = await authorized_client(make_client, http)
    second = make_client()
    await second.LoadToken()
    expire(first.Token)
    expire(second.Token)
    simulator.fail_next("/api/token", None, delay=0.3)
    before = token_requests(simulator)

    tokens = await asyncio.gather(first.RefreshToken(), second.RefreshToken())

    # The second waited on the file lock, then found the first one's fresh token.
    assert token_requests(simulator) == before + 1
    assert tokens[0]["access_token"] == tokens[1]["access_token"]


async def test_the_file_lock_is_released_when_a_waiting_refresh_is_cancelled(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tokens.json"
    holder, cancelled, writer = FileTokenStore(path), FileTokenStore(path), FileTokenStore(path)
    async with holder.exclusive():
        gives_up = asyncio.create_task(_enter_exclusive(cancelled))
        waits = asyncio.create_task(writer.save("k", {"access_token": "x"}))
        await asyncio.sleep(0.3)  # both wait on the file lock, in worker threads
        assert not waits.done()
        gives_up.cancel()
    # The cancelled one still takes the lock in its thread; it must let go of it at once.
    await asyncio.wait_for(waits, 5)
    assert await holder.load("k") == {"access_token": "x"}
    async with asyncio.timeout(5), cancelled.exclusive() as locked:
        assert await locked.load("k") == {"access_token": "x"}


async def _enter_exclusive(store: FileTokenStore) -> None:
    async with store.exclusive():
        await asyncio.sleep(60)
