"""The oauthcli command line, run for real against the simulator's accounts server."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import stat
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pytest

from custom_components.spotify_webapi.oauthcli import __main__ as cli
from custom_components.spotify_webapi.oauthcli.tokenstore import FileTokenStore, file_entry

from .conftest import approve

if TYPE_CHECKING:
    import aiohttp

    from tests.simulator import SpotifySimulator

REPO_ROOT = Path(__file__).resolve().parents[2]
MODULE = "custom_components.spotify_webapi.oauthcli"
PROVIDER = "SpotifyWebApiAuthCodePkce"
SCOPES = ["user-read-private", "user-modify-playback-state"]
URL_LINE = re.compile(r"Please visit this URL to authorize this application: (\S+)")


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str


class Cli:
    """The CLI as a child process: the test reads its prompts and answers on its stdin."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.seen = ""

    async def authorize_url(self) -> str:
        """Read stdout until the CLI shows the authorize URL."""
        assert self.proc.stdout is not None
        async with asyncio.timeout(60):
            while (match := URL_LINE.search(self.seen)) is None:
                line = await self.proc.stdout.readline()
                assert line, f"the CLI ended without a URL:\n{self.seen}"
                self.seen += line.decode()
        return match.group(1)

    async def answer(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text.encode() + b"\n")
        await self.proc.stdin.drain()

    async def finish(self) -> Finished:
        async with asyncio.timeout(60):
            out, err = await self.proc.communicate()
        return Finished(self.proc.returncode or 0, self.seen + out.decode(), err.decode())


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """The child's environment: a private home, so nothing touches the real config dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPOTIFY_WEBAPI_")}
    env |= {
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config"),
        "PYTHONUNBUFFERED": "1",
    }
    return env


@pytest.fixture
def token_dir(tmp_path: Path) -> Path:
    return tmp_path / "tokens"


def _default_sigint() -> None:
    # A shell that starts pytest in the background makes SIGINT ignored, and an ignored
    # signal stays ignored across exec; the Ctrl-C tests need the child to receive it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


async def start_cli(env: dict[str, str], *args: str) -> Cli:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        MODULE,
        *args,
        cwd=REPO_ROOT,
        env=env,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        preexec_fn=_default_sigint,
    )
    return Cli(proc)


async def run_cli(env: dict[str, str], *args: str, stdin: str = "") -> Finished:
    cli_proc = await start_cli(env, *args)
    async with asyncio.timeout(60):
        out, err = await cli_proc.proc.communicate(stdin.encode())
    return Finished(cli_proc.proc.returncode or 0, out.decode(), err.decode())


def sim_env(env: dict[str, str], sim: SpotifySimulator) -> dict[str, str]:
    return env | {"SPOTIFY_WEBAPI_ACCOUNTS_URL": sim.accounts_url}


def read_tokens(token_dir: Path) -> dict[str, Any]:
    path = token_dir / "tokens.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def file_mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def key_for(sim: SpotifySimulator, profile: str = "Shared") -> str:
    return f"{PROVIDER}/{sim.DEFAULT_CLIENT_ID}/{profile}"


def expiry_text(token: dict[str, Any]) -> str:
    return datetime.fromtimestamp(token["expires_at"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def assert_clean_failure(result: Finished, returncode: int, *phrases: str) -> None:
    assert result.returncode == returncode, result
    assert "Traceback" not in result.stderr
    assert "Traceback" not in result.stdout
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr


def assert_no_secret_shown(result: Finished, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in result.stdout
        assert secret not in result.stderr


def token_requests(sim: SpotifySimulator) -> list[dict[str, str]]:
    requests = [r for r in sim.requests if r.path == "/api/token"]
    assert all(r.method == "POST" for r in requests)
    return [r.form or {} for r in requests]


# --- authorize ------------------------------------------------------------------------------------


async def test_authorize_console_with_the_pasted_redirect(
    simulator: SpotifySimulator,
    http: aiohttp.ClientSession,
    cli_env: dict[str, str],
    token_dir: Path,
) -> None:
    proc = await start_cli(
        sim_env(cli_env, simulator),
        "authorize",
        "--console",
        "--no-browser",
        "--client-id",
        simulator.DEFAULT_CLIENT_ID,
        "--scope",
        *SCOPES,
        "--port",
        "8765",
        "--token-dir",
        str(token_dir),
    )
    url = await proc.authorize_url()
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{simulator.accounts_url}/authorize"
    assert query["client_id"] == simulator.DEFAULT_CLIENT_ID
    assert query["response_type"] == "code"
    assert query["redirect_uri"] == "http://127.0.0.1:8765/"
    assert query["scope"] == " ".join(SCOPES)
    assert query["code_challenge_method"] == "S256"

    redirected = await approve(http, url)
    code = parse_qs(urlsplit(redirected).query)["code"][0]
    await proc.answer(redirected)
    result = await proc.finish()

    assert result.returncode == 0, result
    [form] = token_requests(simulator)
    assert form["grant_type"] == "authorization_code"
    assert form["code"] == code
    assert form["redirect_uri"] == "http://127.0.0.1:8765/"
    assert form["client_id"] == simulator.DEFAULT_CLIENT_ID
    assert len(form["code_verifier"]) >= 43
    assert "client_secret" not in form  # a PKCE client without a secret sends none

    stored = read_tokens(token_dir)
    assert list(stored) == [key_for(simulator)]
    token = stored[key_for(simulator)]
    assert token["access_token"] in simulator.accounts.access_tokens
    assert token["refresh_token"] in simulator.accounts.refresh_tokens
    assert token["scope"] == SCOPES  # a list, as spotifywebapipython stores it
    assert file_mode(token_dir / "tokens.json") == 0o600
    assert key_for(simulator) in result.stdout
    assert expiry_text(token) in result.stdout
    assert "user-modify-playback-state" in result.stdout
    assert_no_secret_shown(result, token["access_token"], token["refresh_token"], code)


async def test_authorize_with_the_local_server(
    simulator: SpotifySimulator,
    http: aiohttp.ClientSession,
    cli_env: dict[str, str],
    token_dir: Path,
) -> None:
    proc = await start_cli(
        sim_env(cli_env, simulator),
        "authorize",
        "--no-browser",
        "--client-id",
        simulator.DEFAULT_CLIENT_ID,
        "--client-secret",
        simulator.DEFAULT_CLIENT_SECRET,
        "--scope",
        ",".join(SCOPES),
        "--port",
        "0",
        "--profile",
        "kitchen",
        "--token-dir",
        str(token_dir),
    )
    url = await proc.authorize_url()
    redirect_uri = parse_qs(urlsplit(url).query)["redirect_uri"][0]
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", redirect_uri)

    redirected = await approve(http, url)
    assert redirected.startswith(redirect_uri)
    async with http.get(redirected) as page:  # the browser lands on the CLI's server
        assert page.status == 200
        assert "completed" in await page.text()
    result = await proc.finish()

    assert result.returncode == 0, result
    [form] = token_requests(simulator)
    assert form["grant_type"] == "authorization_code"
    assert form["redirect_uri"] == redirect_uri
    assert form["client_secret"] == simulator.DEFAULT_CLIENT_SECRET
    token = read_tokens(token_dir)[key_for(simulator, "kitchen")]
    assert token["access_token"] in simulator.accounts.access_tokens
    assert token["scope"] == SCOPES  # a list, as spotifywebapipython stores it
    assert_no_secret_shown(
        result, token["access_token"], token["refresh_token"], simulator.DEFAULT_CLIENT_SECRET
    )


async def test_authorize_keeps_a_valid_stored_token(
    simulator: SpotifySimulator, cli_env: dict[str, str], token_dir: Path
) -> None:
    token = simulator.issue_token(scope=" ".join(SCOPES))
    await FileTokenStore(token_dir / "tokens.json").save(key_for(simulator), token)
    simulator.clear_requests()

    result = await run_cli(
        sim_env(cli_env, simulator),
        "authorize",
        "--no-browser",
        "--client-id",
        simulator.DEFAULT_CLIENT_ID,
        "--scope",
        *SCOPES,
        "--token-dir",
        str(token_dir),
    )

    assert result.returncode == 0, result
    assert "Please visit" not in result.stdout
    assert simulator.requests == []
    assert read_tokens(token_dir) == {key_for(simulator): file_entry(token)}
    assert_no_secret_shown(result, token["access_token"], token["refresh_token"])


async def test_authorize_in_process(
    simulator: SpotifySimulator,
    http: aiohttp.ClientSession,
    token_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The same flow through main's coroutine, so coverage sees the CLI's code."""
    monkeypatch.setenv("SPOTIFY_WEBAPI_ACCOUNTS_URL", simulator.accounts_url)
    run = asyncio.create_task(
        cli.async_main(
            [
                "authorize",
                "--no-browser",
                "--client-id",
                simulator.DEFAULT_CLIENT_ID,
                "--port",
                "0",
                "--token-dir",
                str(token_dir),
            ]
        )
    )
    seen = ""
    async with asyncio.timeout(30):
        while not (match := URL_LINE.search(seen)):
            await asyncio.sleep(0.02)
            seen += capsys.readouterr().out
    async with http.get(await approve(http, match.group(1))) as page:
        assert page.status == 200
    assert await run == 0
    token = read_tokens(token_dir)[key_for(simulator)]
    assert token["scope"] == list(cli.DEFAULT_SCOPES)
    out = seen + capsys.readouterr().out
    assert key_for(simulator) in out
    assert token["access_token"] not in out


# --- status and logout ---------------------------------------------------------------------------


async def test_status_shows_keys_expiry_and_scopes_but_no_token(
    simulator: SpotifySimulator, cli_env: dict[str, str], token_dir: Path
) -> None:
    store = FileTokenStore(token_dir / "tokens.json")
    mine = simulator.issue_token(scope=" ".join(SCOPES))
    other = simulator.issue_token(scope="user-read-email")
    other.pop("refresh_token")
    await store.save(key_for(simulator), mine)
    await store.save("SpotifyWebApiAuthCode/other-client/Shared", other)

    result = await run_cli(cli_env, "status", "--token-dir", str(token_dir))

    assert result.returncode == 0, result
    lines = result.stdout.splitlines()
    mine_at = lines.index(key_for(simulator))
    assert expiry_text(mine) in lines[mine_at + 1]
    assert lines[mine_at + 2].split(":", 1)[1].split() == SCOPES
    assert lines[mine_at + 3].endswith("yes")
    other_at = lines.index("SpotifyWebApiAuthCode/other-client/Shared")
    assert expiry_text(other) in lines[other_at + 1]
    assert lines[other_at + 2].split(":", 1)[1].split() == ["user-read-email"]
    assert lines[other_at + 3].endswith("no")
    assert_no_secret_shown(
        result, mine["access_token"], mine["refresh_token"], other["access_token"]
    )

    only_mine = await run_cli(
        cli_env, "status", "--client-id", simulator.DEFAULT_CLIENT_ID, "--token-dir", str(token_dir)
    )
    assert only_mine.returncode == 0, only_mine
    assert key_for(simulator) in only_mine.stdout
    assert "other-client" not in only_mine.stdout

    no_such_profile = await run_cli(
        cli_env, "status", "--profile", "kitchen", "--token-dir", str(token_dir)
    )
    assert_clean_failure(no_such_profile, 1, "No matching token")
    assert no_such_profile.stdout == ""


async def test_status_without_tokens_exits_1(cli_env: dict[str, str], token_dir: Path) -> None:
    result = await run_cli(cli_env, "status", "--token-dir", str(token_dir))
    assert_clean_failure(result, 1, "No matching token", str(token_dir / "tokens.json"))


async def test_status_uses_the_per_user_config_dir_by_default(cli_env: dict[str, str]) -> None:
    default_dir = Path(cli_env["XDG_CONFIG_HOME"]) / "SpotifyWebApiPython"
    await FileTokenStore(default_dir / "tokens.json").save("P/c/Shared", {"scope": "streaming"})
    result = await run_cli(cli_env, "status")
    assert result.returncode == 0, result
    assert "P/c/Shared" in result.stdout
    assert "streaming" in result.stdout


async def test_logout_removes_only_that_key(
    simulator: SpotifySimulator, cli_env: dict[str, str], token_dir: Path
) -> None:
    store = FileTokenStore(token_dir / "tokens.json")
    token = simulator.issue_token()
    await store.save(key_for(simulator), token)
    await store.save(key_for(simulator, "kitchen"), token)
    await store.save("Other/id/Shared", {"access_token": "kept"})

    result = await run_cli(
        cli_env, "logout", "--client-id", simulator.DEFAULT_CLIENT_ID, "--token-dir", str(token_dir)
    )

    assert result.returncode == 0, result
    assert key_for(simulator) in result.stdout
    assert read_tokens(token_dir) == {
        key_for(simulator, "kitchen"): file_entry(token),
        "Other/id/Shared": {"access_token": "kept"},
    }
    assert file_mode(token_dir / "tokens.json") == 0o600

    again = await run_cli(
        cli_env, "logout", "--client-id", simulator.DEFAULT_CLIENT_ID, "--token-dir", str(token_dir)
    )
    assert again.returncode == 0, again
    assert "nothing to do" in again.stdout


async def test_status_and_logout_in_process(
    token_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = FileTokenStore(token_dir / "tokens.json")
    await store.save(f"{PROVIDER}/cid/Shared", {"access_token": "AT-in-process", "scope": ["a"]})

    assert await cli.async_main(["status", "--token-dir", str(token_dir)]) == 0
    out = capsys.readouterr().out
    assert f"{PROVIDER}/cid/Shared" in out
    assert "AT-in-process" not in out
    assert "expires:       unknown" in out

    assert (
        await cli.async_main(["logout", "--client-id", "cid", "--token-dir", str(token_dir)]) == 0
    )
    assert read_tokens(token_dir) == {}


# --- failures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        pytest.param([], "required", id="no-command"),
        pytest.param(["authorize"], "--client-id", id="missing-client-id"),
        pytest.param(["authorize", "--client-id", "a/b"], "without '/'", id="slash-in-client-id"),
        pytest.param(["authorize", "--client-id", "c", "--port", "70000"], "port", id="big-port"),
        pytest.param(["authorize", "--client-id", "c", "--port", "http"], "port", id="word-port"),
        pytest.param(["authorize", "--client-id", "c", "--timeout", "soon"], "seconds", id="word"),
        pytest.param(["authorize", "--client-id", "c", "--timeout", "-1"], "seconds", id="timeout"),
        pytest.param(["authorize", "--client-id", "c", "--timeout", "nan"], "seconds", id="nan"),
        pytest.param(["authorize", "--client-id", "c", "--timeout", "inf"], "seconds", id="inf"),
        pytest.param(
            ["authorize", "--client-id", "c", "--timeout", "Infinity"], "seconds", id="infinity"
        ),
        pytest.param(["logout"], "--client-id", id="logout-without-client"),
        pytest.param(["bogus"], "invalid choice", id="unknown-command"),
    ],
)
async def test_bad_arguments_exit_2(cli_env: dict[str, str], args: list[str], phrase: str) -> None:
    result = await run_cli(cli_env, *args)
    assert_clean_failure(result, 2, "usage:", phrase)


@pytest.mark.parametrize(
    "url", ["http://accounts.example.com", "ftp://127.0.0.1/", "http://10.0.0.1:8080"]
)
async def test_non_loopback_http_accounts_url_is_rejected(
    cli_env: dict[str, str], token_dir: Path, url: str
) -> None:
    result = await run_cli(
        cli_env | {"SPOTIFY_WEBAPI_ACCOUNTS_URL": url},
        "authorize",
        "--no-browser",
        "--client-id",
        "c",
        "--token-dir",
        str(token_dir),
    )
    assert_clean_failure(result, 2, "SPOTIFY_WEBAPI_ACCOUNTS_URL", "loopback", url.rstrip("/"))
    assert "Please visit" not in result.stdout
    assert read_tokens(token_dir) == {}


async def test_refused_authorization_exits_1(
    simulator: SpotifySimulator,
    http: aiohttp.ClientSession,
    cli_env: dict[str, str],
    token_dir: Path,
) -> None:
    simulator.accounts.auto_approve = False
    proc = await start_cli(
        sim_env(cli_env, simulator),
        "authorize",
        "--console",
        "--no-browser",
        "--client-id",
        simulator.DEFAULT_CLIENT_ID,
        "--token-dir",
        str(token_dir),
    )
    url = await proc.authorize_url()
    async with http.get(url) as consent:  # the user sees the consent page and cancels
        assert consent.status == 200
        txn = re.search(r"name='txn' value='([^']+)'", await consent.text())
    assert txn is not None
    async with http.post(
        f"{simulator.accounts_url}/authorize",
        data={"txn": txn.group(1), "decision": "deny"},
        allow_redirects=False,
    ) as denied:
        assert denied.status == 302
        redirected = denied.headers["Location"]
    assert parse_qs(urlsplit(redirected).query)["error"] == ["access_denied"]

    await proc.answer(redirected)
    result = await proc.finish()

    assert_clean_failure(result, 1, "refused", "access_denied")
    assert token_requests(simulator) == []
    assert read_tokens(token_dir) == {}


async def test_token_endpoint_refusal_shows_the_server_description(
    simulator: SpotifySimulator,
    http: aiohttp.ClientSession,
    cli_env: dict[str, str],
    token_dir: Path,
) -> None:
    wrong_secret = "not-the-secret-123"
    proc = await start_cli(
        sim_env(cli_env, simulator) | {"SPOTIFY_WEBAPI_CLIENT_SECRET": wrong_secret},
        "authorize",
        "--console",
        "--no-browser",
        "--client-id",
        simulator.DEFAULT_CLIENT_ID,
        "--token-dir",
        str(token_dir),
    )
    redirected = await approve(http, await proc.authorize_url())
    await proc.answer(redirected)
    result = await proc.finish()

    [form] = token_requests(simulator)
    assert form["client_secret"] == wrong_secret  # taken from the environment
    assert_clean_failure(result, 1, "invalid_client: Invalid client secret")
    assert_no_secret_shown(result, wrong_secret, parse_qs(urlsplit(redirected).query)["code"][0])
    assert read_tokens(token_dir) == {}


async def test_console_without_an_answer_exits_1(
    simulator: SpotifySimulator, cli_env: dict[str, str], token_dir: Path
) -> None:
    result = await run_cli(
        sim_env(cli_env, simulator),
        "authorize",
        "--console",
        "--no-browser",
        "--client-id",
        simulator.DEFAULT_CLIENT_ID,
        "--token-dir",
        str(token_dir),
    )
    assert_clean_failure(result, 1, "no authorization response was entered")
    assert token_requests(simulator) == []


async def test_server_timeout_exits_1(
    simulator: SpotifySimulator, cli_env: dict[str, str], token_dir: Path
) -> None:
    result = await run_cli(
        sim_env(cli_env, simulator),
        "authorize",
        "--no-browser",
        "--client-id",
        simulator.DEFAULT_CLIENT_ID,
        "--port",
        "0",
        "--timeout",
        "0.5",
        "--token-dir",
        str(token_dir),
    )
    assert_clean_failure(result, 1, "no authorization response within")
    assert URL_LINE.search(result.stdout)
    assert token_requests(simulator) == []


async def test_accounts_service_failure_exits_1(
    simulator: SpotifySimulator,
    http: aiohttp.ClientSession,
    cli_env: dict[str, str],
    token_dir: Path,
) -> None:
    simulator.fail_next("/api/token", 503)
    proc = await start_cli(
        sim_env(cli_env, simulator),
        "authorize",
        "--console",
        "--no-browser",
        "--client-id",
        simulator.DEFAULT_CLIENT_ID,
        "--token-dir",
        str(token_dir),
    )
    await proc.answer(await approve(http, await proc.authorize_url()))
    result = await proc.finish()

    assert_clean_failure(result, 1, "the accounts service failed", "503")
    assert len(token_requests(simulator)) == 1
    assert read_tokens(token_dir) == {}


async def test_busy_port_exits_1(
    simulator: SpotifySimulator, cli_env: dict[str, str], token_dir: Path
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = await run_cli(
            sim_env(cli_env, simulator),
            "authorize",
            "--no-browser",
            "--client-id",
            simulator.DEFAULT_CLIENT_ID,
            "--port",
            str(port),
            "--token-dir",
            str(token_dir),
        )
    assert_clean_failure(result, 1, str(port), "free")
    assert simulator.requests == []


async def test_unreadable_tokens_file_exits_1(cli_env: dict[str, str], token_dir: Path) -> None:
    (token_dir / "tokens.json").mkdir(parents=True)
    result = await run_cli(cli_env, "status", "--token-dir", str(token_dir))
    assert_clean_failure(result, 1, "not a regular file", str(token_dir / "tokens.json"))


@pytest.mark.parametrize("mode", [["--console"], ["--port", "0"]], ids=["console", "server"])
async def test_ctrl_c_while_waiting_exits_130_at_once(
    simulator: SpotifySimulator, cli_env: dict[str, str], token_dir: Path, mode: list[str]
) -> None:
    """Ctrl-C must not wait for an Enter the user will never press (stdin stays open)."""
    proc = await start_cli(
        sim_env(cli_env, simulator),
        "authorize",
        "--no-browser",
        *mode,
        "--client-id",
        simulator.DEFAULT_CLIENT_ID,
        "--token-dir",
        str(token_dir),
    )
    await proc.authorize_url()
    await asyncio.sleep(0.3)  # let the console reader start waiting for input
    proc.proc.send_signal(signal.SIGINT)
    assert proc.proc.stderr is not None
    async with asyncio.timeout(10):
        returncode = await proc.proc.wait()
        stderr = (await proc.proc.stderr.read()).decode()
    assert proc.proc.stdin is not None
    proc.proc.stdin.close()
    assert returncode == 130
    assert "cancelled" in stderr
    assert "Traceback" not in stderr
