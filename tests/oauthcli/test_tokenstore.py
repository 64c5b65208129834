"""Tests for the token stores: tokens.json layout, atomic 0600 writes, concurrency, corruption."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from custom_components.spotify_webapi.oauthcli import tokenstore
from custom_components.spotify_webapi.oauthcli.tokenstore import (
    FileTokenStore,
    MemoryTokenStore,
    TokenStore,
    default_token_dir,
    token_key,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO_ROOT = Path(__file__).resolve().parents[2]
KEY = "SpotifyWebApiPython/client-a/Shared"
SECRET = "BQD-access-token-value-never-logged"
REFRESH = "AQD-refresh-token-value-never-logged"
CORRUPT_NAME = re.compile(r"^tokens\.json\.corrupt-\d{8}T\d{6}Z(-\d+)?$")


def make_token(access: str = SECRET) -> dict[str, Any]:
    return {
        "access_token": access,
        "refresh_token": REFRESH,
        "token_type": "Bearer",
        "expires_in": 3600,
        "expires_at": 1_900_000_000.5,
        "scope": ["user-read-playback-state", "user-modify-playback-state"],
    }


# Audit hooks cannot be removed, so one hook is installed for the module and records only while
# a test has switched recording on. It observes file I/O without patching anything.
_audit_log: list[tuple[int, str, str]] | None = None
_audit_root: str = ""


def _audit(event: str, args: tuple[Any, ...]) -> None:
    log = _audit_log
    if log is None or event not in {"open", "os.rename", "os.remove", "os.mkdir"} or not args:
        return
    path = args[0]
    if isinstance(path, (str, bytes, os.PathLike)):
        path = os.fsdecode(path)
        if path.startswith(_audit_root):
            log.append((threading.get_ident(), event, path))


sys.addaudithook(_audit)


@pytest.fixture
def file_io(tmp_path: Path) -> Iterator[list[tuple[int, str, str]]]:
    """Record file operations under tmp_path: (thread id, audit event, path)."""
    global _audit_log, _audit_root  # noqa: PLW0603 - the audit hook can only read module state
    _audit_root = str(tmp_path)
    _audit_log = []
    try:
        yield _audit_log
    finally:
        _audit_log = None


def read_file(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def names_in(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def set_aside(directory: Path) -> list[Path]:
    """List the corrupt files the store renamed out of the way."""
    return sorted(directory.glob("tokens.json.corrupt-*"))


# --- default_token_dir ---------------------------------------------------------------------------


def test_default_dir_follows_xdg_config_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert default_token_dir() == tmp_path / "cfg" / "SpotifyWebApiPython"


def test_default_dir_falls_back_to_dot_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_token_dir() == tmp_path / ".config" / "SpotifyWebApiPython"
    # The XDG spec says a relative value is invalid and must be ignored.
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/cfg")
    assert default_token_dir() == tmp_path / ".config" / "SpotifyWebApiPython"


def test_token_key_is_spotifywebapipython_layout() -> None:
    assert token_key("SpotifyWebApiPython", "abc", "Shared") == "SpotifyWebApiPython/abc/Shared"


# --- MemoryTokenStore ----------------------------------------------------------------------------


async def test_memory_store_copies_in_and_out() -> None:
    initial = {KEY: make_token()}
    store = MemoryTokenStore(initial)
    initial[KEY]["access_token"] = "changed by caller"
    loaded = await store.load(KEY)
    assert loaded == make_token()
    assert loaded is not None
    loaded["scope"].append("mutated")
    assert await store.load(KEY) == make_token()

    token = make_token("second")
    await store.save("other", token)
    token["access_token"] = "mutated after save"
    assert await store.load("other") == make_token("second")

    await store.delete(KEY)
    await store.delete("never-there")
    assert await store.load(KEY) is None
    assert await store.load("other") == make_token("second")


async def test_memory_store_repr_hides_tokens() -> None:
    store = MemoryTokenStore({KEY: make_token()})
    assert SECRET not in repr(store)
    assert REFRESH not in repr(store)
    assert "1 tokens" in repr(store)


def test_both_stores_satisfy_the_protocol(tmp_path: Path) -> None:
    assert isinstance(MemoryTokenStore(), TokenStore)
    assert isinstance(FileTokenStore(tmp_path / "tokens.json"), TokenStore)


# --- FileTokenStore: layout and compatibility ----------------------------------------------------


async def test_round_trip_and_flat_layout(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    store = FileTokenStore(path)
    assert await store.load(KEY) is None
    assert await FileTokenStore(tmp_path / "missing" / "tokens.json").load_all() == {}
    assert names_in(tmp_path) == []  # reading nothing creates no file, lock or directory

    await store.save(KEY, make_token())
    assert await store.load(KEY) == make_token()
    # A flat object keyed by storage key, holding the token dict as is.
    assert read_file(path) == {KEY: make_token()}
    # A fresh store (another process, or spotifywebapipython) reads the same file.
    assert await FileTokenStore(str(path)).load(KEY) == make_token()


async def test_keys_owned_by_others_are_kept_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    foreign = {
        "SpotifyWebApiPython/other-client/Shared": {"access_token": "x", "extra": [1, {"a": None}]},
        "SomeProvider/id/profile": "not even a token object",
        "unicode/ключ/✓": {"n": 1.25},
    }
    path.write_text(json.dumps(foreign), encoding="utf-8")
    store = FileTokenStore(path)

    await store.save(KEY, make_token())
    assert read_file(path) == {**foreign, KEY: make_token()}

    await store.delete(KEY)
    assert read_file(path) == foreign
    # A non-object entry is not a token: load says "none" rather than returning junk.
    assert await store.load("SomeProvider/id/profile") is None
    assert await store.load_all() == {
        "SpotifyWebApiPython/other-client/Shared": foreign[
            "SpotifyWebApiPython/other-client/Shared"
        ],
        "unicode/ключ/✓": {"n": 1.25},
    }


async def test_delete_of_missing_key_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    store = FileTokenStore(path)
    await store.delete(KEY)
    assert not path.exists()

    await store.save("keep", make_token())
    before = path.stat().st_mtime_ns, path.stat().st_ino
    await store.delete(KEY)
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == before


# --- FileTokenStore: private, atomic writes ------------------------------------------------------


async def test_file_is_0600_and_missing_dirs_are_0700(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "tokens.json"
    await FileTokenStore(path).save(KEY, make_token())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700


async def test_existing_world_readable_file_becomes_0600(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_text("{}", encoding="utf-8")
    path.chmod(0o644)
    await FileTokenStore(path).save(KEY, make_token())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_write_goes_through_a_synced_temp_file_in_the_same_dir(
    tmp_path: Path, file_io: list[tuple[int, str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tokens.json"
    synced: list[int] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(os.fstat(fd).st_ino)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    await FileTokenStore(path).save(KEY, make_token())

    renames = [p for _, event, p in file_io if event == "os.rename"]
    assert len(renames) == 1
    temp = Path(renames[0])
    assert temp.parent == tmp_path
    assert temp != path
    # The inode that now is tokens.json was fsynced before it was renamed into place.
    assert path.stat().st_ino in synced
    # Nothing left behind but the file and its lock.
    assert names_in(tmp_path) == ["tokens.json", "tokens.json.lock"]


async def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "tokens.json"
    store = FileTokenStore(path)
    await store.save(KEY, make_token("old"))

    def failing_fsync(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="No space left"):
        await store.save(KEY, make_token("new"))
    monkeypatch.undo()

    assert read_file(path) == {KEY: make_token("old")}
    assert names_in(tmp_path) == ["tokens.json", "tokens.json.lock"]


def test_readers_never_see_a_partial_file(tmp_path: Path) -> None:
    """A reader that takes no lock (e.g. spotifywebapipython) always sees a whole file."""
    path = tmp_path / "tokens.json"
    big = {f"Provider/client-{n}/Shared": make_token("x" * 2000) for n in range(60)}
    path.write_text(json.dumps(big), encoding="utf-8")
    stop = threading.Event()
    bad_reads: list[str] = []
    reads = 0

    def reader() -> None:
        nonlocal reads
        while not stop.is_set():
            raw = path.read_bytes()
            reads += 1
            try:
                json.loads(raw)
            except ValueError:
                bad_reads.append(f"{len(raw)} bytes")

    async def writer() -> None:
        store = FileTokenStore(path)
        for n in range(150):
            await store.save(KEY, make_token(f"token-{n}" * 200))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        asyncio.run(writer())
    finally:
        stop.set()
        thread.join()
    assert reads > 0
    assert bad_reads == []


# --- FileTokenStore: concurrency -----------------------------------------------------------------


async def test_many_concurrent_tasks_on_one_store(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    store = FileTokenStore(path)
    keys = [f"Provider/client-{n}/Shared" for n in range(100)]
    await asyncio.gather(*(store.save(key, make_token(key)) for key in keys))
    assert read_file(path) == {key: make_token(key) for key in keys}


async def test_concurrent_tasks_on_two_stores_sharing_a_file(tmp_path: Path) -> None:
    """Two clients in one process, each with its own store: no lost update."""
    path = tmp_path / "tokens.json"
    first, second = FileTokenStore(path), FileTokenStore(path)
    saves = []
    for n in range(60):
        saves.append(first.save(f"first/{n}/Shared", make_token(f"a{n}")))
        saves.append(second.save(f"second/{n}/Shared", make_token(f"b{n}")))
    await asyncio.gather(*saves)
    stored = read_file(path)
    assert sorted(stored) == sorted([f"first/{n}/Shared" for n in range(60)]) + sorted(
        [f"second/{n}/Shared" for n in range(60)]
    )
    # Deleting from one store while the other saves keeps the other's work.
    await asyncio.gather(
        *(first.delete(f"first/{n}/Shared") for n in range(60)),
        *(second.save(f"second/{n}/Shared", make_token(f"c{n}")) for n in range(60)),
    )
    assert read_file(path) == {f"second/{n}/Shared": make_token(f"c{n}") for n in range(60)}


WRITER = textwrap.dedent(
    """
    import asyncio, sys, time
    from pathlib import Path
    from custom_components.spotify_webapi.oauthcli.tokenstore import FileTokenStore

    path, name, count, ready, go = sys.argv[1:]
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.005)

    async def main():
        store = FileTokenStore(path)
        for n in range(int(count)):
            await store.save(f"{name}/{n}/Shared", {"access_token": f"{name}-{n}"})

    asyncio.run(main())
    """
)


def test_two_processes_writing_different_keys(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    go = tmp_path / "go"
    count = 80
    writers = []
    for name in ("alpha", "beta"):
        ready = tmp_path / f"ready-{name}"
        writers.append(
            (
                ready,
                subprocess.Popen(  # noqa: S603 - our own interpreter running our own script
                    [
                        sys.executable,
                        "-c",
                        WRITER,
                        str(path),
                        name,
                        str(count),
                        str(ready),
                        str(go),
                    ],
                    cwd=REPO_ROOT,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        )
    deadline = time.monotonic() + 60
    while not all(ready.exists() for ready, _ in writers):
        assert time.monotonic() < deadline, "writers did not start"
        assert all(proc.poll() is None for _, proc in writers), "a writer died while starting"
        time.sleep(0.01)
    go.touch()
    for _, proc in writers:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err

    stored = read_file(path)
    expected = {
        f"{name}/{n}/Shared": {"access_token": f"{name}-{n}"}
        for name in ("alpha", "beta")
        for n in range(count)
    }
    assert stored == expected


# --- FileTokenStore: corrupt files ---------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(
            b'{"SpotifyWebApiPython/c/Shared": {"access_token": "' + SECRET.encode(), id="truncated"
        ),
        pytest.param(b'["' + SECRET.encode() + b'"]', id="json-list"),
        pytest.param(b"null", id="json-null"),
        pytest.param(b"\xff\xfe" + SECRET.encode(), id="not-utf8"),
        pytest.param(b"", id="empty"),
    ],
)
async def test_corrupt_file_is_set_aside_and_store_starts_empty(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes
) -> None:
    path = tmp_path / "tokens.json"
    path.write_bytes(content)
    store = FileTokenStore(path)
    caplog.set_level(logging.DEBUG)

    assert await store.load(KEY) is None

    aside = set_aside(tmp_path)
    assert len(aside) == 1
    assert CORRUPT_NAME.match(aside[0].name)
    assert aside[0].read_bytes() == content  # kept for the user to inspect
    assert not path.exists()
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert str(path) in errors[0].getMessage()
    assert aside[0].name in errors[0].getMessage()
    assert SECRET not in caplog.text

    await store.save(KEY, make_token())
    assert read_file(path) == {KEY: make_token()}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_save_over_a_corrupt_file_writes_a_fresh_one(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_text("{not json", encoding="utf-8")
    await FileTokenStore(path).save(KEY, make_token())
    assert read_file(path) == {KEY: make_token()}
    assert len(set_aside(tmp_path)) == 1


async def test_corrupt_names_are_unique(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    store = FileTokenStore(path)
    for n in range(3):
        path.write_text(f"corrupt {n}", encoding="utf-8")
        assert await store.load(KEY) is None
    aside = set_aside(tmp_path)
    assert len(aside) == 3
    assert all(CORRUPT_NAME.match(p.name) for p in aside)
    assert sorted(p.read_text(encoding="utf-8") for p in aside) == [
        "corrupt 0",
        "corrupt 1",
        "corrupt 2",
    ]


# --- FileTokenStore: the event loop and secrets --------------------------------------------------


async def test_no_file_io_on_the_event_loop(
    tmp_path: Path, file_io: list[tuple[int, str, str]]
) -> None:
    loop_thread = threading.get_ident()
    path = tmp_path / "sub" / "tokens.json"
    path.parent.mkdir()
    path.write_text("corrupt", encoding="utf-8")
    file_io.clear()

    store = FileTokenStore(path)
    await store.load(KEY)
    await store.save(KEY, make_token())
    await store.load(KEY)
    await store.load_all()
    await store.delete(KEY)

    events = {event for _, event, _ in file_io}
    assert {"open", "os.rename"} <= events  # the recorder saw the store's I/O
    on_loop = [(event, p) for thread, event, p in file_io if thread == loop_thread]
    assert on_loop == []


async def test_logs_and_repr_never_show_tokens(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=tokenstore.__name__)
    path = tmp_path / "tokens.json"
    store = FileTokenStore(path)
    await store.save(KEY, make_token())
    await store.load(KEY)
    await store.delete(KEY)
    assert caplog.records  # the store does log, just not secrets
    assert SECRET not in caplog.text
    assert REFRESH not in caplog.text
    assert repr(store) == f"FileTokenStore(path={str(path)!r})"
