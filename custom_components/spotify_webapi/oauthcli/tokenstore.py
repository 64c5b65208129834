"""Token stores: where AuthClient keeps tokens between runs.

``tokens.json`` is a flat JSON object keyed ``<tokenProviderId>/<clientId>/<tokenProfileId>``,
the layout spotifywebapipython uses, so either library reads the other's file: entries are
written as it writes them (``scope`` a list, ``expires_at`` a number), and keys this process
does not own are kept verbatim.

The original truncates the file and then writes it, without a lock: a reader here may find
it empty or half-written for a moment, so such a read is retried before anything is concluded.

What the store promises about the file system (docs/authclient.md's security notes say the same):

- The folder holding tokens.json is private: one that group or others may write to is
  tightened if it is the user's own, and refused otherwise (another user could swap
  tokens.json for a link there).
- tokens.json may be a symbolic link to a tokens file the user shares on purpose; it is
  read and written through. A link to anything else (not a regular file, not JSON, not an
  object of token objects) is refused, and neither the link nor its target is touched.
- A regular tokens.json that is not a tokens file is renamed aside, never overwritten.
- The lock file is never opened through a symbolic link.
- Reads are bounded: at most ``MAX_TOKENS_FILE_BYTES``, nested at most ``wire.MAX_JSON_DEPTH`` deep.
"""

from __future__ import annotations

import asyncio
import copy
import errno
import json
import logging
import os
import stat
import sys
import tempfile
import time
from contextlib import asynccontextmanager, contextmanager, suppress
from datetime import UTC, datetime
from itertools import takewhile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Protocol, runtime_checkable

from .errors import AuthClientError
from .scopes import scope_list
from .wire import parse_json

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator, Mapping

_LOGGER = logging.getLogger(__name__)

APP_DIR_NAME = "SpotifyWebApiPython"
STORAGE_FILE_NAME = "tokens.json"

_FILE_MODE = 0o600
_DIR_MODE = 0o700
# How long an empty or unparseable file is given to become whole (another writer mid-write).
UNREADABLE_GRACE_SECONDS: Final = 1.0
_REREAD_PAUSE = 0.05
# An entry is under a kilobyte: a thousand profiles fit. A larger file is not a tokens file.
MAX_TOKENS_FILE_BYTES: Final = 1024 * 1024
# Flags absent on Windows read as 0 (no effect) there.
_O_NOFOLLOW: Final = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK: Final = getattr(os, "O_NONBLOCK", 0)  # a FIFO named tokens.json must not hang
_O_CLOEXEC: Final = getattr(os, "O_CLOEXEC", 0)
_WRITABLE_BY_OTHERS: Final = stat.S_IWGRP | stat.S_IWOTH

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


class TokenStoreError(AuthClientError):
    """The tokens file cannot be used where it is; nothing was changed.

    E.g. a link to a missing folder or to a file that is not a tokens file, or a
    folder other users may write to.
    """


@asynccontextmanager
async def exclusive(store: TokenStore) -> AsyncIterator[TokenStore]:
    """The store, held for a read-decide-write that no other writer may interleave.

    A ``FileTokenStore`` holds its file lock throughout (other processes wait);
    a store without an ``exclusive`` method is used as it is.
    """
    hold = getattr(store, "exclusive", None)
    if hold is None:
        yield store
        return
    async with hold() as held:
        yield held


def file_entry(token: Mapping[str, Any]) -> dict[str, Any]:
    """A token as spotifywebapipython stores it: ``scope`` a list, ``expires_at`` a number.

    Its constructor splits nothing: a ``scope`` string makes it raise.
    """
    entry = copy.deepcopy(dict(token))
    if isinstance(entry.get("scope"), str):
        entry["scope"] = scope_list(entry["scope"])
    expires_at = entry.get("expires_at")
    if isinstance(expires_at, str):
        try:
            entry["expires_at"] = float(expires_at)
        except ValueError:
            del entry["expires_at"]
    return entry


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
        snapshot = file_entry(token)
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

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[TokenStore]:
        """This store with its file lock held until the block ends (see ``exclusive``)."""
        async with self._lock:
            fd = await _shielded_acquire(self._acquire_sync)
            try:
                yield _HeldFileStore(self)
            finally:
                await asyncio.to_thread(_release_sync, fd)

    # Everything below runs in a worker thread.

    def _snapshot(self) -> Tokens:
        """Read under the lock; no file reads as empty, without creating a dir or lock file."""
        if not self._path.exists():
            return {}
        with self._file_lock():
            return self._read_tokens()

    def _load_sync(self, key: str, *, locked: bool = False) -> dict[str, Any] | None:
        tokens = self._read_tokens() if locked else self._snapshot()
        token = tokens.get(key)
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
            self._update_locked(key, token)

    def _update_locked(self, key: str, token: dict[str, Any] | None) -> None:
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
        fd = self._acquire_sync()
        try:
            yield
        finally:
            _release_sync(fd)

    def _acquire_sync(self) -> int:
        _ensure_dir(self._path.parent)
        _ensure_private_dir(self._path.parent)
        # The lock file is never removed: unlinking it would let two processes lock two inodes.
        # Never opened through a link: O_CREAT would create (or truncate nothing but open)
        # whatever file the link names, anywhere the user may write.
        flags = os.O_RDWR | os.O_CREAT | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC
        try:
            fd = os.open(self._lock_path, flags, _FILE_MODE)
        except OSError as err:
            if err.errno == errno.ELOOP:
                raise TokenStoreError(
                    f"{self._lock_path} is a symbolic link; the lock file is never opened "
                    "through one: remove the link"
                ) from err
            raise
        try:
            _require_regular(fd, self._lock_path)
            _lock_fd(fd)
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _read_tokens(self) -> Tokens:
        """Read the file, giving a writer mid-write time to finish.

        Content that stays unparseable is set aside and reads as empty. Through a
        symbolic link nothing is set aside: the target may be any file of the user's
        (a shell's rc file, say), so a target that is not a tokens file is refused.
        """
        deadline = time.monotonic() + UNREADABLE_GRACE_SECONDS
        while True:
            try:
                raw = self._read_bytes()
            except FileNotFoundError:
                return {}
            tokens = _tokens_document(raw)
            if tokens is not None:
                if self._path.is_symlink() and not _all_entries_are_objects(tokens):
                    raise self._not_a_tokens_file()
                return tokens
            if time.monotonic() >= deadline:
                break
            time.sleep(_REREAD_PAUSE)  # a worker thread: the event loop is not held
        if self._path.is_symlink():
            if not raw.strip():
                return {}  # an empty target: writing to it loses nothing
            raise self._not_a_tokens_file()
        self._set_aside()
        return {}

    def _read_bytes(self) -> bytes:
        """The file's bytes, at most one past ``MAX_TOKENS_FILE_BYTES``; a regular file only."""
        fd = os.open(self._path, os.O_RDONLY | _O_NONBLOCK | _O_CLOEXEC)
        try:
            _require_regular(fd, self._path)
        except BaseException:
            os.close(fd)
            raise
        with os.fdopen(fd, "rb") as file:
            return file.read(MAX_TOKENS_FILE_BYTES + 1)

    def _not_a_tokens_file(self) -> TokenStoreError:
        target = os.path.realpath(self._path)
        return TokenStoreError(
            f"{self._path} links to {target}, which is not a tokens file; nothing was "
            "changed: point the link at a tokens file, or remove it"
        )

    def _set_aside(self) -> None:
        """Move an unreadable tokens file (never a link's target) aside, private (0600)."""
        source = self._path
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = source.with_name(f"{source.name}.corrupt-{stamp}")
        serial = 1
        while target.exists():
            target = source.with_name(f"{source.name}.corrupt-{stamp}-{serial}")
            serial += 1
        source.replace(target)
        # The original writes tokens.json with the umask's mode; a token may be in there.
        target.chmod(_FILE_MODE)
        # Name the files only: a corrupt file may still hold token values.
        _LOGGER.error(
            "The token file %s is not a JSON object; moved it to %s and starting empty",
            self._path,
            target,
        )

    def _write_target(self) -> Path:
        """The file to replace: a symlinked tokens.json is written through to its target.

        Only after ``_read_tokens`` found a tokens file (or none) there, under the lock.
        The target's folder must be private too: the new file is made and renamed there.
        """
        if not self._path.is_symlink():
            return self._path
        target = Path(os.path.realpath(self._path))
        if not target.parent.is_dir():
            raise TokenStoreError(
                f"{self._path} links to {target}, whose folder does not exist; "
                "create it or remove the link"
            )
        _ensure_private_dir(target.parent)
        return target

    def _write_tokens(self, tokens: Tokens) -> None:
        """Replace the file atomically: a reader sees the old file or the new one, never half."""
        data = json.dumps(tokens, indent=4, sort_keys=True).encode()
        target = self._write_target()
        # mkstemp creates the file 0600, in the same directory so os.replace stays atomic.
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as tmp:
                tmp.write(data)
                tmp.flush()
                os.fsync(tmp.fileno())
            Path(tmp_name).replace(target)
        except BaseException:
            with suppress(FileNotFoundError):
                Path(tmp_name).unlink()
            raise
        _fsync_dir(target.parent)


class _HeldFileStore:
    """A FileTokenStore whose file lock the caller holds: reads and writes take no lock."""

    def __init__(self, store: FileTokenStore) -> None:
        self._store = store

    async def load(self, key: str) -> dict[str, Any] | None:
        """Return the token under ``key``, read under the held lock."""
        return await asyncio.to_thread(self._store._load_sync, key, locked=True)  # noqa: SLF001

    async def save(self, key: str, token: dict[str, Any]) -> None:
        """Store ``token`` under ``key`` under the held lock."""
        snapshot = file_entry(token)
        await asyncio.to_thread(self._store._update_locked, key, snapshot)  # noqa: SLF001

    async def delete(self, key: str) -> None:
        """Remove the token under ``key`` under the held lock."""
        await asyncio.to_thread(self._store._update_locked, key, None)  # noqa: SLF001


async def _shielded_acquire(acquire: Callable[[], int]) -> int:
    """Take a file lock in a worker thread; if the caller is cancelled, release it once taken."""
    attempt = asyncio.ensure_future(asyncio.to_thread(acquire))
    try:
        return await asyncio.shield(attempt)
    except asyncio.CancelledError:

        def release_late(done: asyncio.Future[int]) -> None:
            if not done.cancelled() and done.exception() is None:
                _release_sync(done.result())

        attempt.add_done_callback(release_late)
        raise


def _release_sync(fd: int) -> None:
    try:
        _unlock_fd(fd)
    finally:
        os.close(fd)


def _require_regular(fd: int, path: Path) -> None:
    """Refuse a directory, FIFO or device where a file of ours should be."""
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        raise TokenStoreError(f"{path} is not a regular file; nothing was changed: remove it")


def _tokens_document(raw: bytes) -> Tokens | None:
    """The JSON object in ``raw``, or None when it is not one (or too large or deep)."""
    if len(raw) > MAX_TOKENS_FILE_BYTES:
        return None
    try:
        tokens = parse_json(raw)
    except ValueError:  # JSONDecodeError, UnicodeDecodeError, nesting past MAX_JSON_DEPTH
        return None
    return tokens if isinstance(tokens, dict) else None


def _all_entries_are_objects(tokens: Tokens) -> bool:
    """Whether a JSON object looks like a tokens file: every entry a token object.

    Both libraries write nothing else; some other program's JSON settings do not.
    """
    return all(isinstance(entry, dict) for entry in tokens.values())


def _ensure_private_dir(path: Path) -> None:
    """Make sure no one but the user can add, remove or swap files in ``path``.

    Anyone who may write to the folder could replace tokens.json with a link and
    have the next save write tokens wherever it points. The user's own folder is
    tightened (group and others lose write); one the user does not own, or a
    shared folder with the sticky bit (``/tmp``), cannot be, and is refused.
    """
    if sys.platform == "win32":  # pragma: no cover - ACLs, not mode bits; the suite is Linux
        return
    info = path.stat()
    mode = stat.S_IMODE(info.st_mode)
    if not mode & _WRITABLE_BY_OTHERS:
        return
    if info.st_uid != os.getuid() or mode & stat.S_ISVTX:
        raise TokenStoreError(
            f"{path} may be written by other users (mode {mode:04o}), so tokens are not "
            "kept there: choose another folder, or remove their write permission"
        )
    path.chmod(mode & ~_WRITABLE_BY_OTHERS)
    _LOGGER.warning(
        "Removed the write permission of group and others from %s (mode %04o to %04o): "
        "they could replace the tokens file there",
        path,
        mode,
        mode & ~_WRITABLE_BY_OTHERS,
    )


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
