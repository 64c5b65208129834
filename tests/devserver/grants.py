"""Keep the dev simulator's grants across restarts, so HA's stored token stays good.

The simulator holds tokens in memory; without this, every `scripts/develop` after the
first would meet "Invalid refresh token" and ask for reauthentication.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from typing import TYPE_CHECKING

from tests.simulator.accounts import AccessToken, RefreshToken

if TYPE_CHECKING:
    from pathlib import Path

    from tests.simulator.accounts import Accounts

_VERSION = 1


def dump_grants(accounts: Accounts) -> str:
    """The accounts service's tokens as JSON (a local dev file: these are the simulator's)."""
    return json.dumps(
        {
            "version": _VERSION,
            "access_tokens": {key: asdict(value) for key, value in accounts.access_tokens.items()},
            "refresh_tokens": {
                key: asdict(value) for key, value in accounts.refresh_tokens.items()
            },
        }
    )


def load_grants(accounts: Accounts, text: str) -> int:
    """Restore tokens dumped by `dump_grants`; how many refresh tokens came back.

    A file the simulator's current token classes cannot take is ignored: the entry then
    asks to be authorized again, which is what a real expired grant would do too.
    """
    try:
        data = json.loads(text)
        if data.get("version") != _VERSION:
            return 0
        access = {key: AccessToken(**value) for key, value in data["access_tokens"].items()}
        refresh = {key: RefreshToken(**value) for key, value in data["refresh_tokens"].items()}
    except (ValueError, TypeError, KeyError, AttributeError):
        return 0
    accounts.access_tokens.update(access)
    accounts.refresh_tokens.update(refresh)
    return len(refresh)


def save_grants_file(accounts: Accounts, path: Path) -> None:
    """Write the grants readable by the owner only, replacing the file atomically."""
    partial = path.with_suffix(".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(dump_grants(accounts))
    partial.replace(path)


def load_grants_file(accounts: Accounts, path: Path) -> int:
    """Restore the grants saved at `path`, if there are any."""
    if not path.exists():
        return 0
    return load_grants(accounts, path.read_text())
