"""Token stores: where AuthClient keeps tokens between runs.

``tokens.json`` is a flat JSON object keyed ``<tokenProviderId>/<clientId>/<tokenProfileId>``,
the layout spotifywebapipython uses, so either library reads the other's file. Keys this
process does not own are kept verbatim.
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import os
import sys
import tempfile
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from itertools import takewhile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

_LOGGER = logging.getLogger(__name__)

APP_DIR_NAME = "SpotifyWebApiPython"
STORAGE_FILE_NAME = "tokens.json"

_FILE_MODE = 0o600
_DIR_MODE = 0o700

type Tokens = dict[str, Any]


@runtime_checkable
class TokenStore(Protocol):
    """Where AuthClient loads, saves and forgets tokens, by storage key."""

    async def load(self, key: str) -> dict[str, Any] | None:
        """Return the token stored under ``key``, or None."""

    async def save(self, key: str, token: dict[str, Any]) -> None:
        """Store ``token`` under ``key``, replacing any previous one."""

    async def delete(self, key: str) -> None:
        """Forget the token stored under ``key``; no error if there is none."""


def token_key(provider_id: str, client_id: str, profile_id: str) -> str:
    """Build the storage key spotifywebapipython uses, so both libraries share tokens."""
    return f"{provider_id}/{client_id}/{profile_id}"


def default_token_dir() -> Path:
    """Return the per-user directory for tokens.json; never one that needs root."""
    if sys.platform == "win32":  # pragma: no cover - the suite runs on Linux only
        appdata = os.environ.get("APPDATA")
        base = Path(appdata) if appdata else Path.home() / "AppData" / "Roaming"
        return base / APP_DIR_NAME
    xdg = os.environ.get("XDG_CONFIG_HOME")
    # The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
    return base / APP_DIR_NAME


class MemoryTokenStore:
    """Keeps tokens in memory, for tests and for callers that persist tokens elsewhere."""

    def __init__(self, tokens: Mapping[str, dict[str, Any]] | None = None) -> None:
        """Start with a copy of ``tokens``, if given."""
        self._tokens: Tokens = copy.deepcopy(dict(tokens)) if tokens else {}

    def __repr__(self) -> str:
        """Show how many tokens are held, never their values."""
        return f"{type(self).__name__}({len(self._tokens)} tokens)"

    async def load(self, key: str) -> dict[str, Any] | None:
        """Return a copy of the token under ``key``, or None."""
        token = self._tokens.get(key)
        return copy.deepcopy(token) if token is not None else None

    async def save(self, key: str, token: dict[str, Any]) -> None:
        """Store a copy of ``token``, so later changes by the caller do not leak in."""
        self._tokens[key] = copy.deepcopy(token)

    async def delete(self, key: str) -> None:
        """Forget the token under ``key``."""
        self._tokens.pop(key, None)


class FileTokenStore:
    """The tokens.json store: atomic, 0600, safe across tasks and processes."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        """Use the tokens file at ``path``; nothing is read or created until first use."""
        self._path = Path(path)
        self._lock_path = self._path.with_name(self._path.name + ".lock")
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        """Show the path only."""
        return f"{type(self).__name__}(path={str(self._path)!r})"

    async def load(self, key: str) -> dict[str, Any] | None:
        """Return the token under ``key`` as stored on disk, or None."""
        async with self._lock:
            return await asyncio.to_thread(self._load_sync, key)

    async def save(self, key: str, token: dict[str, Any]) -> None:
        """Store ``token`` under ``key``, keeping every other key in the file."""
        # Copy on the loop: the caller may change its dict while the worker thread serializes.
        snapshot = copy.deepcopy(token)
        async with self._lock:
            await asyncio.to_thread(self._update_sync, key, snapshot)

    async def delete(self, key: str) -> None:
        """Remove the token under ``key``, keeping every other key in the file."""
        async with self._lock:
            await asyncio.to_thread(self._update_sync, key, None)

    async def load_all(self) -> dict[str, dict[str, Any]]:
        """Return every token in the file by key, for listing (e.g. the CLI's status)."""
        async with self._lock:
            return await asyncio.to_thread(self._load_all_sync)

    # Everything below runs in a worker thread.

    def _snapshot(self) -> Tokens:
        """Read under the lock; no file reads as empty, without creating a dir or lock file."""
        if not self._path.exists():
            return {}
        with self._file_lock():
            return self._read_tokens()

    def _load_sync(self, key: str) -> dict[str, Any] | None:
        token = self._snapshot().get(key)
        if token is None:
            return None
        if not isinstance(token, dict):
            _LOGGER.warning(
                "Ignoring the entry %r in %s: it is not a token object", key, self._path
            )
            return None
        return token

    def _load_all_sync(self) -> dict[str, dict[str, Any]]:
        tokens = self._snapshot()
        return {key: token for key, token in sorted(tokens.items()) if isinstance(token, dict)}

    def _update_sync(self, key: str, token: dict[str, Any] | None) -> None:
        with self._file_lock():
            tokens = self._read_tokens()
            if token is None:
                if key not in tokens:
                    return
                del tokens[key]
            else:
                tokens[key] = token
            self._write_tokens(tokens)
        _LOGGER.debug(
            "%s the token %r in %s", "Removed" if token is None else "Saved", key, self._path
        )

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        """Hold an exclusive lock on the sibling lock file for a read-modify-write."""
        _ensure_dir(self._path.parent)
        # The lock file is never removed: unlinking it would let two processes lock two inodes.
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, _FILE_MODE)
        try:
            _lock_fd(fd)
            try:
                yield
            finally:
                _unlock_fd(fd)
        finally:
            os.close(fd)

    def _read_tokens(self) -> Tokens:
        """Read the file; a corrupt one is set aside and reads as empty."""
        try:
            raw = self._path.read_bytes()
        except FileNotFoundError:
            return {}
        try:
            tokens = json.loads(raw)
        except ValueError:  # JSONDecodeError and UnicodeDecodeError both are ValueErrors
            tokens = None
        if isinstance(tokens, dict):
            return tokens
        self._quarantine()
        return {}

    def _quarantine(self) -> None:
        """Rename a corrupt tokens file out of the way so a save starts a fresh one."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self._path.with_name(f"{self._path.name}.corrupt-{stamp}")
        serial = 1
        while target.exists():
            target = self._path.with_name(f"{self._path.name}.corrupt-{stamp}-{serial}")
            serial += 1
        self._path.replace(target)
        # Name the files only: a corrupt file may still hold token values.
        _LOGGER.error(
            "The token file %s is not a JSON object; moved it to %s and starting empty",
            self._path,
            target,
        )

    def _write_tokens(self, tokens: Tokens) -> None:
        """Replace the file atomically: a reader sees the old file or the new one, never half."""
        data = json.dumps(tokens, indent=4, sort_keys=True).encode()
        # mkstemp creates the file 0600, in the same directory so os.replace stays atomic.
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{self._path.name}.", suffix=".tmp", dir=self._path.parent
        )
        try:
            with os.fdopen(fd, "wb") as tmp:
                tmp.write(data)
                tmp.flush()
                os.fsync(tmp.fileno())
            Path(tmp_name).replace(self._path)
        except BaseException:
            with suppress(FileNotFoundError):
                Path(tmp_name).unlink()
            raise
        _fsync_dir(self._path.parent)


def _ensure_dir(path: Path) -> None:
    """Create ``path`` and any missing parents, private to the user (0700)."""
    if path.is_dir():
        return
    missing = list(takewhile(lambda directory: not directory.exists(), (path, *path.parents)))
    for directory in reversed(missing):
        with suppress(FileExistsError):  # another process may have just created it
            directory.mkdir(mode=_DIR_MODE)


if sys.platform == "win32":  # pragma: no cover - the suite runs on Linux only
    import msvcrt

    def _lock_fd(fd: int) -> None:
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
            except OSError:  # LK_LOCK gives up after ten seconds; keep waiting
                continue
            return

    def _unlock_fd(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _fsync_dir(_path: Path) -> None:
        """Windows cannot open a directory to fsync it; os.replace is durable enough there."""

else:
    import fcntl

    def _lock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _fsync_dir(path: Path) -> None:
        """Make the rename itself durable, so a crash cannot bring back the old file."""
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
