"""tokens.json where it meets the rest of the file system: links, shared folders, odd content.

A link may lead anywhere the user can write (a shell's rc file, say); a folder
others may write to lets them plant such a link. Nothing outside a tokens file
may be moved or overwritten, and no content may crash a reader.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import stat
from typing import TYPE_CHECKING, Any

import pytest

from custom_components.spotify_webapi.oauthcli import __main__ as cli
from custom_components.spotify_webapi.oauthcli import tokenstore
from custom_components.spotify_webapi.oauthcli.tokenstore import FileTokenStore, TokenStoreError

if TYPE_CHECKING:
    from pathlib import Path

KEY = "SpotifyWebApiAuthCodePkce/cid/Shared"
RC_FILE = "# ~/.bashrc\nexport PATH=$HOME/bin:$PATH\nalias ll='ls -l'\n"
OTHER_UID = 54321


def everything_in(*folders: Path) -> dict[str, bytes]:
    """Every file under the folders but our lock file, with its content (links: their target)."""
    found: dict[str, bytes] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.name.endswith(".lock"):
                continue
            if path.is_symlink():
                found[str(path)] = f"-> {path.readlink()}".encode()
            elif path.is_file():
                found[str(path)] = path.read_bytes()
    return found


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def set_aside(folder: Path) -> list[Path]:
    return sorted(folder.glob("tokens.json.corrupt-*"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def chmod(path: Path, bits: int) -> None:
    path.chmod(bits)


@pytest.fixture(autouse=True)
def no_grace(monkeypatch: pytest.MonkeyPatch) -> None:
    """Content that is not a tokens file is concluded at once (no other writer here)."""
    monkeypatch.setattr(tokenstore, "UNREADABLE_GRACE_SECONDS", 0.0)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir(mode=0o700)
    return folder


@pytest.fixture
def token_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "tokens"
    folder.mkdir(mode=0o700)
    return folder


# --- a link to a file that is not a tokens file -------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [RC_FILE, '{"theme": "dark", "size": 3}', "[1, 2]", "null"],
    ids=["shell-rc", "other-json-settings", "json-list", "json-null"],
)
async def test_status_through_a_link_to_another_file_changes_nothing(
    home: Path, token_dir: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = home / ".bashrc"
    rc.write_text(content)
    (token_dir / "tokens.json").symlink_to(rc)
    before = everything_in(home, token_dir)

    assert await cli.async_main(["status", "--token-dir", str(token_dir)]) == 1

    err = capsys.readouterr().err
    assert "not a tokens file" in err
    assert "Traceback" not in err
    assert everything_in(home, token_dir) == before


@pytest.mark.parametrize("content", [RC_FILE, '{"theme": "dark"}'], ids=["shell-rc", "json"])
async def test_saving_through_a_link_to_another_file_is_refused(
    home: Path, token_dir: Path, content: str
) -> None:
    rc = home / ".bashrc"
    rc.write_text(content)
    link = token_dir / "tokens.json"
    link.symlink_to(rc)
    store = FileTokenStore(link)

    for change in (store.save(KEY, {"access_token": "ours"}), store.delete(KEY)):
        with pytest.raises(TokenStoreError, match="not a tokens file"):
            await change
    assert rc.read_text() == content
    assert link.is_symlink()
    assert names(home) == [".bashrc"]


async def test_a_link_to_a_shared_tokens_file_still_works(home: Path, token_dir: Path) -> None:
    shared = home / "shared-tokens.json"
    shared.write_text(json.dumps({"Other/x/Shared": {"access_token": "theirs"}}))
    link = token_dir / "tokens.json"
    link.symlink_to(shared)

    await FileTokenStore(link).save(KEY, {"access_token": "ours"})

    assert json.loads(shared.read_text()) == {
        "Other/x/Shared": {"access_token": "theirs"},
        KEY: {"access_token": "ours"},
    }
    assert link.is_symlink()


async def test_a_link_to_an_empty_file_is_written_through(home: Path, token_dir: Path) -> None:
    shared = home / "tokens.json"
    shared.touch()
    link = token_dir / "tokens.json"
    link.symlink_to(shared)
    await FileTokenStore(link).save(KEY, {"access_token": "ours"})
    assert json.loads(shared.read_text()) == {KEY: {"access_token": "ours"}}


async def test_a_regular_file_that_is_not_tokens_is_still_set_aside(token_dir: Path) -> None:
    path = token_dir / "tokens.json"
    path.write_text(RC_FILE)
    await FileTokenStore(path).save(KEY, {"access_token": "ours"})
    [aside] = set_aside(token_dir)
    assert aside.read_text() == RC_FILE


@pytest.mark.parametrize("kind", ["fifo", "directory"])
async def test_a_tokens_path_that_is_not_a_regular_file_is_refused(
    token_dir: Path, kind: str
) -> None:
    path = token_dir / "tokens.json"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    store = FileTokenStore(path)
    with pytest.raises(TokenStoreError, match="not a regular file"):
        await asyncio.wait_for(store.load(KEY), 10)  # a FIFO must not hang the reader
    with pytest.raises(TokenStoreError, match="not a regular file"):
        await asyncio.wait_for(store.save(KEY, {"access_token": "ours"}), 10)


# --- the lock file ------------------------------------------------------------------------------


async def test_the_lock_file_is_never_opened_through_a_link(home: Path, token_dir: Path) -> None:
    victim = home / "created-through-the-lock-link"
    existing = home / ".profile"
    existing.write_text(RC_FILE)
    for target in (victim, existing):
        lock = token_dir / "tokens.json.lock"
        lock.unlink(missing_ok=True)
        lock.symlink_to(target)

        with pytest.raises(TokenStoreError, match="symbolic link"):
            await FileTokenStore(token_dir / "tokens.json").save(KEY, {"access_token": "ours"})

    assert not victim.exists()
    assert existing.read_text() == RC_FILE
    assert not (token_dir / "tokens.json").exists()


# --- folders others may write to ----------------------------------------------------------------


@pytest.mark.parametrize("bits", [0o777, 0o770, 0o722], ids=oct)
async def test_the_users_own_open_folder_is_tightened(
    token_dir: Path, bits: int, caplog: pytest.LogCaptureFixture
) -> None:
    chmod(token_dir, bits)
    caplog.set_level(logging.WARNING, logger=tokenstore.__name__)

    await FileTokenStore(token_dir / "tokens.json").save(KEY, {"access_token": "ours"})

    assert mode(token_dir) == bits & ~0o022
    assert str(token_dir) in caplog.text
    assert "ours" not in caplog.text


async def test_a_status_read_also_tightens_the_folder(token_dir: Path) -> None:
    (token_dir / "tokens.json").write_text(json.dumps({KEY: {"access_token": "ours"}}))
    chmod(token_dir, 0o777)
    assert await cli.async_main(["status", "--token-dir", str(token_dir)]) == 0
    assert mode(token_dir) == 0o755


def as_other_user(folder: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a folder to another user needs root")
    os.chown(folder, OTHER_UID, OTHER_UID)


@pytest.mark.parametrize(
    ("bits", "owner"),
    [(0o1777, "me"), (0o777, "other"), (0o1777, "other"), (0o775, "other")],
    ids=["sticky-mine", "open-other", "sticky-other", "group-other"],
)
async def test_an_open_folder_that_cannot_be_tightened_is_refused(
    token_dir: Path, bits: int, owner: str
) -> None:
    chmod(token_dir, bits)
    if owner == "other":
        as_other_user(token_dir)
    store = FileTokenStore(token_dir / "tokens.json")

    with pytest.raises(TokenStoreError, match="may be written by other users"):
        await store.save(KEY, {"access_token": "ours"})

    assert names(token_dir) == []
    assert mode(token_dir) == bits


async def test_the_folder_of_a_links_target_must_be_private_too(
    tmp_path: Path, token_dir: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "tokens.json").write_text("{}")
    chmod(shared, 0o1777)
    (token_dir / "tokens.json").symlink_to(shared / "tokens.json")

    with pytest.raises(TokenStoreError, match="may be written by other users"):
        await FileTokenStore(token_dir / "tokens.json").save(KEY, {"access_token": "ours"})
    assert (shared / "tokens.json").read_text() == "{}"


# --- content that must not crash a reader -------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"k": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
        b'{"k": ' + b'{"a": ' * 40 + b"1" + b"}" * 40 + b"}",
    ],
    ids=["recursion", "deep-entry", "past-the-depth-limit"],
)
async def test_deeply_nested_tokens_json_is_set_aside(
    token_dir: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = token_dir / "tokens.json"
    path.write_bytes(content)

    assert await cli.async_main(["status", "--token-dir", str(token_dir)]) == 1

    assert "Traceback" not in capsys.readouterr().err
    [aside] = set_aside(token_dir)
    assert aside.read_bytes() == content
    assert not path.exists()


async def test_an_oversized_tokens_json_is_set_aside(token_dir: Path) -> None:
    path = token_dir / "tokens.json"
    entry: dict[str, Any] = {"access_token": "x" * 1000}
    big = {f"P/c/{n}": entry for n in range(tokenstore.MAX_TOKENS_FILE_BYTES // 1000 + 10)}
    path.write_text(json.dumps(big))
    assert await FileTokenStore(path).load("P/c/0") is None
    assert len(set_aside(token_dir)) == 1


@pytest.mark.parametrize(
    "expires_at", ["Infinity", "-Infinity", "NaN", "1e300", str(10**400), "253402300800"]
)
async def test_status_shows_an_impossible_expiry_without_crashing(
    token_dir: Path, expires_at: str, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = f'{{"{KEY}": {{"access_token": "AT-x", "expires_at": {expires_at}, "scope": [1, null]}}}}'
    (token_dir / "tokens.json").write_text(raw)

    assert await cli.async_main(["status", "--token-dir", str(token_dir)]) == 0

    out, err = capsys.readouterr()
    assert KEY in out
    assert "expires:" in out
    assert "AT-x" not in out
    assert "Traceback" not in err
