"""Child processes that live in their own process group, die with their parent, stop as a whole."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import os
import signal
import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
# Looked up once here: the child must not load libraries between fork and exec.
_prctl = ctypes.CDLL(None, use_errno=True).prctl


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on `host` that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def _die_with_parent() -> None:
    """Runs in the child before exec: the kernel sends SIGTERM if our process dies, even killed."""
    _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class ChildProcess:
    """A program started in a new session, so that stopping it reaches everything it started."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        output: Path | None = None,
    ) -> None:
        """Describe the child; `output` is a file for stdout and stderr (None: inherit ours)."""
        self.name = name
        self.argv = list(argv)
        self.env = dict(os.environ if env is None else env)
        self.cwd = cwd
        self.output = output
        self._process: asyncio.subprocess.Process | None = None

    def __repr__(self) -> str:
        """Name and pid (the environment may hold secrets; it is never shown)."""
        return f"ChildProcess({self.name!r}, pid={self.pid})"

    @property
    def pid(self) -> int | None:
        """The child's pid, which is also its process group id."""
        return None if self._process is None else self._process.pid

    @property
    def returncode(self) -> int | None:
        """The exit status once the child has exited."""
        return None if self._process is None else self._process.returncode

    async def start(self) -> None:
        """Start the program."""
        if self._process is not None:
            raise RuntimeError(f"{self.name} was already started")
        stdout: int | None = None
        if self.output is not None:
            # Opened here and handed over: the child keeps its own descriptor.
            stdout = os.open(self.output, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            self._process = await asyncio.create_subprocess_exec(
                *self.argv,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=stdout,
                stderr=None if stdout is None else asyncio.subprocess.STDOUT,
                env=self.env,
                cwd=self.cwd,
                start_new_session=True,
                # Only a prctl call runs between fork and exec (no import, no lock).
                preexec_fn=_die_with_parent,
            )
        finally:
            if stdout is not None:
                os.close(stdout)
        # Should nobody stop it (a test run aborted mid-way), it goes when we exit.
        atexit.register(self.kill_now)

    async def wait(self) -> int:
        """Wait for the child to exit; its exit status."""
        if self._process is None:
            raise RuntimeError(f"{self.name} was not started")
        return await self._process.wait()

    async def stop(self, grace: float = 30.0) -> int | None:
        """SIGTERM the group, SIGKILL it after `grace` seconds; then reap leftovers of the group."""
        process = self._process
        if process is None:
            return None
        if process.returncode is None:
            self._signal_group(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), grace)
            except TimeoutError:
                self._signal_group(signal.SIGKILL)
                await process.wait()
        # Grandchildren that outlived the leader (a browser, say) go too.
        self._signal_group(signal.SIGKILL)
        atexit.unregister(self.kill_now)
        return process.returncode

    def kill_now(self) -> None:
        """SIGKILL the whole group at once if the leader still runs: the last resort."""
        if self._process is not None and self._process.returncode is None:
            self._signal_group(signal.SIGKILL)

    def _signal_group(self, signum: signal.Signals) -> None:
        if self._process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._process.pid, signum)
