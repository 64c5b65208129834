"""One tokens.json, both libraries: spotifywebapipython 1.0.296 run for real, and ours.

The original runs in its own environment (.venv/original, from
requirements_original.txt, prepared by scripts/test) through original_driver.py,
against the same simulator as our client, on the same token folder.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from custom_components.spotify_webapi.oauthcli.tokenstore import FileTokenStore

from .conftest import REDIRECT_URI, SCOPES, ClientFactory, authorized_client

if TYPE_CHECKING:
    import aiohttp

    from custom_components.spotify_webapi.oauthcli.authclient import AuthClient
    from tests.simulator import SpotifySimulator

pytestmark = pytest.mark.original

PROVIDER = "SpotifyWebApiPython"
DRIVER = Path(__file__).with_name("original_driver.py")
PROJECT = Path(__file__).resolve().parents[2]
ENV_ORIGINAL_PYTHON = "SPOTIFY_WEBAPI_ORIGINAL_PYTHON"


@pytest.fixture(scope="session")
def original_python() -> str:
    """The interpreter of the original library's environment.

    scripts/test prepares it and names it in SPOTIFY_WEBAPI_ORIGINAL_PYTHON; a run
    that names one which does not work fails. Only a bare ``pytest`` in a tree
    where scripts/test never ran skips, saying how to get the environment.
    """
    named = os.environ.get(ENV_ORIGINAL_PYTHON)
    path = Path(named) if named else PROJECT / ".venv" / "original" / "bin" / "python"
    if path.exists():
        return str(path)
    if named:
        pytest.fail(f"{ENV_ORIGINAL_PYTHON}={named} does not exist")
    pytest.skip("no .venv/original: scripts/test prepares it from requirements_original.txt")


class Original:
    """spotifywebapipython 1.0.296 on the simulator, storing tokens in ``directory``."""

    def __init__(self, python: str, simulator: SpotifySimulator, directory: Path) -> None:
        self.python = python
        self.config: dict[str, Any] = {
            "accounts_url": simulator.accounts_url,
            "api_url": simulator.api_url,
            "client_id": simulator.DEFAULT_CLIENT_ID,
            "client_secret": simulator.DEFAULT_CLIENT_SECRET,
            "scope": SCOPES,
            "provider": PROVIDER,
            "redirect_uri": REDIRECT_URI,
            "dir": str(directory),
        }

    async def start(self, *steps: dict[str, Any]) -> asyncio.subprocess.Process:
        """Start the original on ``steps``; read its answers with ``answers``."""
        config = json.dumps({**self.config, "steps": list(steps)})
        return await asyncio.create_subprocess_exec(
            self.python,
            str(DRIVER),
            config,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )

    @staticmethod
    async def answers(process: asyncio.subprocess.Process) -> list[Any]:
        """What each step returned (or raised)."""
        out, err = await asyncio.wait_for(process.communicate(), 120)
        assert process.returncode == 0, err.decode()
        answers: list[Any] = json.loads(out)
        return answers

    async def run(self, *steps: dict[str, Any]) -> list[Any]:
        """Run ``steps`` in the original, in order, and return their answers."""
        return await self.answers(await self.start(*steps))


@pytest.fixture
def original(original_python: str, simulator: SpotifySimulator, tmp_path: Path) -> Original:
    """The original library, sharing tmp_path's tokens.json with ``make_client``."""
    return Original(original_python, simulator, tmp_path)


def ours(make_client: ClientFactory, profile: str) -> AuthClient:
    """Our client under the original's key for ``profile``."""
    return make_client(tokenProviderId=PROVIDER, tokenProfileId=profile)


def key(simulator: SpotifySimulator, profile: str) -> str:
    return f"{PROVIDER}/{simulator.DEFAULT_CLIENT_ID}/{profile}"


def tokens_file(tmp_path: Path) -> dict[str, Any]:
    tokens: dict[str, Any] = json.loads((tmp_path / "tokens.json").read_text())
    return tokens


def set_aside(directory: Path) -> list[Path]:
    return sorted(directory.glob("tokens.json.corrupt-*"))


def token_requests(simulator: SpotifySimulator) -> int:
    return sum(1 for r in simulator.requests if r.path == "/api/token")


def assert_original_layout(entry: dict[str, Any]) -> None:
    """How 1.0.296 (through oauthlib) stores a token: scope a list, expires_at a number."""
    assert isinstance(entry["scope"], list)
    assert sorted(entry["scope"]) == sorted(SCOPES)
    assert isinstance(entry["expires_at"], (int, float))
    assert not isinstance(entry["expires_at"], bool)


async def test_original_writes_ours_loads_refreshes_and_calls(
    original: Original, make_client: ClientFactory, simulator: SpotifySimulator, tmp_path: Path
) -> None:
    [written] = await original.run({"op": "authorize", "profile": "alice"})
    assert "error" not in written, written
    assert_original_layout(tokens_file(tmp_path)[key(simulator, "alice")])

    client = ours(make_client, "alice")
    me = await client.get("me")  # no LoadToken(): loaded on first use, as ported code expects
    assert me.status_code == 200
    assert client.Token is not None
    assert client.Token["access_token"] == written["access_token"]

    before = token_requests(simulator)
    refreshed = await client.RefreshToken()
    assert token_requests(simulator) == before + 1
    assert refreshed["access_token"] != written["access_token"]
    assert (await client.get("me")).status == 200
    entry = tokens_file(tmp_path)[key(simulator, "alice")]
    assert entry["access_token"] == refreshed["access_token"]
    assert_original_layout(entry)

    # ...and the original takes back what ours refreshed.
    loaded, called = await original.run(
        {"op": "load", "profile": "alice"}, {"op": "call", "profile": "alice"}
    )
    assert loaded["authorized"] is True, loaded
    assert loaded["token"]["access_token"] == refreshed["access_token"]
    assert called == {"status": 200, "id": simulator.accounts.approve_as}


async def test_ours_writes_original_loads_refreshes_and_calls(
    original: Original,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    simulator: SpotifySimulator,
    tmp_path: Path,
) -> None:
    client = await authorized_client(
        make_client, http, tokenProviderId=PROVIDER, tokenProfileId="bob"
    )
    assert client.Token is not None
    assert_original_layout(tokens_file(tmp_path)[key(simulator, "bob")])

    loaded, refreshed, called, has = await original.run(
        {"op": "load", "profile": "bob"},
        {"op": "refresh", "profile": "bob"},
        {"op": "call", "profile": "bob"},
        {"op": "has_token", "profile": "bob"},
    )
    assert loaded["authorized"] is True, loaded
    assert loaded["token"]["access_token"] == client.Token["access_token"]
    assert "error" not in refreshed, refreshed
    assert refreshed["access_token"] != client.Token["access_token"]
    assert called == {"status": 200, "id": simulator.accounts.approve_as}
    assert has is True

    # Ours reads back the original's refresh.
    again = ours(make_client, "bob")
    assert await again.LoadToken() is not None
    assert again.Token is not None
    assert again.Token["access_token"] == refreshed["access_token"]
    assert await again.HasTokenForKey(
        clientId=simulator.DEFAULT_CLIENT_ID,
        tokenProviderId=PROVIDER,
        tokenProfileId="bob",
        tokenStorageDir=str(tmp_path),
    )


async def test_interleaved_over_profiles_keeps_other_entries_byte_identical(
    original: Original,
    make_client: ClientFactory,
    http: aiohttp.ClientSession,
    simulator: SpotifySimulator,
    tmp_path: Path,
) -> None:
    path = tmp_path / "tokens.json"
    await original.run({"op": "authorize", "profile": "p1"}, {"op": "authorize", "profile": "p2"})
    mine = await authorized_client(make_client, http, tokenProviderId=PROVIDER, tokenProfileId="p3")
    [refreshed_by_original] = await original.run({"op": "refresh", "profile": "p1"})
    assert "error" not in refreshed_by_original, refreshed_by_original

    before = tokens_file(tmp_path)
    await mine.RefreshToken()
    after = tokens_file(tmp_path)
    assert after.keys() == before.keys()
    for name in ("p1", "p2"):
        assert after[key(simulator, name)] == before[key(simulator, name)]
    # Written the way the original writes: its next save changes no byte of ours.
    text = path.read_text()
    assert text == json.dumps(after, indent=4, sort_keys=True)

    answers = await original.run(
        *({"op": "load", "profile": name} for name in ("p1", "p2", "p3")),
        {"op": "refresh", "profile": "p3"},
        {"op": "refresh", "profile": "p2"},
    )
    assert [a["authorized"] for a in answers[:3]] == [True, True, True], answers
    assert all("error" not in a for a in answers[3:]), answers

    for name in ("p1", "p2", "p3"):
        client = ours(make_client, name)
        response = await client.get("me")
        assert response.status == 200, name
        assert client.Token == tokens_file(tmp_path)[key(simulator, name)]


async def test_both_writing_at_once_lose_no_key(
    original: Original, make_client: ClientFactory, simulator: SpotifySimulator, tmp_path: Path
) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    bystander = {"access_token": "kept", "scope": SCOPES, "expires_at": 1}
    await store.save("Other/app/profile", bystander)
    await store.save(key(simulator, "ours"), {"access_token": "ours--1", "scope": SCOPES})
    await original.run({"op": "save_many", "profile": "theirs", "count": 1})

    saves = 300
    process = await original.start({"op": "save_many", "profile": "theirs", "count": saves})
    serial = 0
    while process.returncode is None or serial < saves:
        await store.save(key(simulator, "ours"), {"access_token": f"ours-{serial}"})
        assert await store.load("Other/app/profile") == bystander
        serial += 1
        if serial >= saves * 20:
            break
    assert await original.answers(process) == [{"saved": saves}]

    tokens = tokens_file(tmp_path)
    assert tokens["Other/app/profile"] == bystander
    assert key(simulator, "ours") in tokens
    assert tokens[key(simulator, "theirs")]["access_token"].startswith("original-")
    assert set_aside(tmp_path) == []


async def test_a_file_the_original_created_becomes_private_when_ours_writes(
    original: Original, make_client: ClientFactory, http: aiohttp.ClientSession, tmp_path: Path
) -> None:
    await original.run({"op": "authorize", "profile": "p1"})
    await authorized_client(make_client, http, tokenProviderId=PROVIDER, tokenProfileId="p2")
    assert (tmp_path / "tokens.json").stat().st_mode & 0o777 == 0o600
