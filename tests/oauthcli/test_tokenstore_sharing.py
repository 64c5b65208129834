"""tokens.json shared with writers that take no lock: their layout, half-written files, links."""

from __future__ import annotations

import asyncio
import json
import stat
import threading
import time
from typing import TYPE_CHECKING, Any

import pytest

from custom_components.spotify_webapi.oauthcli import tokenstore
from custom_components.spotify_webapi.oauthcli.tokenstore import (
    FileTokenStore,
    MemoryTokenStore,
    TokenStoreError,
    exclusive,
    file_entry,
)

if TYPE_CHECKING:
    from pathlib import Path

KEY = "SpotifyWebApiPython/client-a/Shared"
OTHER = "SpotifyWebApiPython/client-b/Shared"


def read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def set_aside(directory: Path) -> list[Path]:
    return sorted(directory.glob("tokens.json.corrupt-*"))


def write_later(path: Path, content: bytes, delay: float) -> threading.Thread:
    """Another writer finishing its write ``delay`` seconds from now."""

    def finish() -> None:
        time.sleep(delay)
        path.write_bytes(content)

    thread = threading.Thread(target=finish)
    thread.start()
    return thread


def test_entries_take_the_originals_layout() -> None:
    token = {"access_token": "a", "scope": "b c,d", "expires_at": "1900000000.5"}
    assert file_entry(token) == {
        "access_token": "a",
        "scope": ["b", "c", "d"],
        "expires_at": 1_900_000_000.5,
    }
    assert token["scope"] == "b c,d"  # the caller's dict is left alone
    assert file_entry({"expires_at": "soon"}) == {}
    listed = {"scope": ["x"], "expires_at": 5}
    assert file_entry(listed) == listed


async def test_saved_entries_use_the_originals_layout(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    await FileTokenStore(path).save(KEY, {"access_token": "a", "scope": "x y"})
    assert read(path) == {KEY: {"access_token": "a", "scope": ["x", "y"]}}


@pytest.mark.parametrize(
    "moment", [b"", b'{"SpotifyWebApiPython/client-b/Shared": {"access_'], ids=["empty", "half"]
)
async def test_a_file_caught_mid_write_is_waited_for(tmp_path: Path, moment: bytes) -> None:
    path = tmp_path / "tokens.json"
    path.write_bytes(moment)
    whole = json.dumps({OTHER: {"access_token": "theirs"}}).encode()
    writer = write_later(path, whole, 0.3)

    await FileTokenStore(path).save(KEY, {"access_token": "ours"})
    writer.join()

    assert read(path) == {OTHER: {"access_token": "theirs"}, KEY: {"access_token": "ours"}}
    assert set_aside(tmp_path) == []


async def test_a_file_that_stays_unreadable_is_set_aside_privately(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_bytes(b"{not json")
    path.chmod(0o644)  # as the original leaves it, with the umask's mode
    started = time.monotonic()

    await FileTokenStore(path).save(KEY, {"access_token": "ours"})

    assert time.monotonic() - started >= tokenstore.UNREADABLE_GRACE_SECONDS
    [aside] = set_aside(tmp_path)
    assert aside.read_bytes() == b"{not json"
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert read(path) == {KEY: {"access_token": "ours"}}


async def test_a_symlinked_file_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / "real-tokens.json"
    real.parent.mkdir()
    real.write_text(json.dumps({OTHER: {"access_token": "theirs"}}))
    link = tmp_path / "tokens.json"
    link.symlink_to(real)

    await FileTokenStore(link).save(KEY, {"access_token": "ours"})
    await FileTokenStore(link).delete(OTHER)

    assert link.is_symlink()
    assert read(real) == {KEY: {"access_token": "ours"}}
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(p.name for p in real.parent.iterdir()) == ["real-tokens.json"]


async def test_a_symlinked_corrupt_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    real = tmp_path / "elsewhere" / "tokens.json"
    real.parent.mkdir()
    real.write_text("garbage")
    link = tmp_path / "tokens.json"
    link.symlink_to(real)

    with pytest.raises(TokenStoreError, match="not a tokens file"):
        await FileTokenStore(link).save(KEY, {"access_token": "ours"})

    assert link.is_symlink()
    assert real.read_text() == "garbage"
    assert set_aside(real.parent) == []
    assert set_aside(tmp_path) == []


async def test_a_link_to_a_missing_folder_is_refused_clearly(tmp_path: Path) -> None:
    link = tmp_path / "tokens.json"
    link.symlink_to(tmp_path / "gone" / "tokens.json")
    with pytest.raises(TokenStoreError, match="does not exist"):
        await FileTokenStore(link).save(KEY, {"access_token": "ours"})
    assert link.is_symlink()
    assert not (tmp_path / "gone").exists()


async def test_exclusive_holds_other_writers_until_it_ends(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    held, other = FileTokenStore(path), FileTokenStore(path)
    async with held.exclusive() as locked:
        waiting = asyncio.create_task(other.save(OTHER, {"access_token": "theirs"}))
        await locked.save(KEY, {"access_token": "ours", "scope": "x"})
        assert await locked.load(KEY) == {"access_token": "ours", "scope": ["x"]}
        await asyncio.sleep(0.2)
        assert not waiting.done()
        await locked.delete(KEY)
    await asyncio.wait_for(waiting, 5)
    assert read(path) == {OTHER: {"access_token": "theirs"}}


async def test_a_store_without_exclusive_is_used_as_it_is() -> None:
    store = MemoryTokenStore()
    async with exclusive(store) as held:
        assert held is store
