"""A real `hass` process (from .venv/dev) next to an in-process simulator, on free loopback ports.

Every process started here lives in its own process group, is stopped by the fixture's
teardown (SIGTERM, then SIGKILL), is SIGKILLed at exit should that teardown not run, and
gets SIGTERM from the kernel if the test process itself dies.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import aiohttp
import pytest

from custom_components.spotify_webapi.const import DOMAIN
from custom_components.spotify_webapi.oauthcli.urls import ENV_ACCOUNTS_URL, ENV_API_URL
from tests.devserver import hass as devserver_hass
from tests.devserver.hass import HassProcess
from tests.devserver.hass_api import HassClient, poll_until
from tests.devserver.processes import free_port
from tests.simulator import SpotifySimulator

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable
    from pathlib import Path

STARTUP_TIMEOUT = 90.0
OWNER = ("Owner", "owner", "e2e-owner-password")


@pytest.fixture
async def e2e_sim(socket_enabled: None) -> AsyncIterator[SpotifySimulator]:
    """The simulator in this process, with its consent page (as a browser meets it)."""
    async with SpotifySimulator() as sim:
        sim.accounts.auto_approve = False
        yield sim


type StartHass = Callable[..., Awaitable[HassProcess]]


def by_name(url: str) -> str:
    """``url`` with its loopback address written as ``localhost``.

    Every Web API request of the real hass then goes through HA's own resolver (aiodns on
    pycares), so a resolver broken by mismatched packages fails these tests.
    """
    return url.replace("//127.0.0.1:", "//localhost:", 1)


@pytest.fixture
async def start_hass(tmp_path: Path, e2e_sim: SpotifySimulator) -> AsyncIterator[StartHass]:
    """Starts `hass` on a free port with a fresh config, pointed at the simulator."""
    assert devserver_hass.HASS.exists(), devserver_hass.missing_dev_venv_message()
    # The dev server reads these names without importing the integration: keep them equal.
    assert (devserver_hass.ENV_ACCOUNTS_URL, devserver_hass.ENV_API_URL, devserver_hass.DOMAIN) == (
        ENV_ACCOUNTS_URL,
        ENV_API_URL,
        DOMAIN,
    )
    started: list[HassProcess] = []

    async def start(
        custom_components: Path = devserver_hass.PROJECT / "custom_components",
        *,
        wizard_extras: bool = True,
        extra_configuration: str = "",
        restart: HassProcess | None = None,
    ) -> HassProcess:
        """A new hass; ``restart`` starts a stopped one again, with all it stored.

        A restart keeps the port: HA 2026.11 moves the http settings into its storage on
        the first start and reads them from there, not from configuration.yaml.
        """
        name = f"hass{len(started)}"
        process = HassProcess(
            tmp_path / name / "config" if restart is None else restart.config_dir,
            free_port() if restart is None else restart.port,
            env={ENV_ACCOUNTS_URL: e2e_sim.accounts_url, ENV_API_URL: by_name(e2e_sim.api_url)},
            output=tmp_path / name / "hass.log",
            custom_components=custom_components,
            extra_configuration=extra_configuration,
        )
        (tmp_path / name).mkdir()
        if not wizard_extras:
            await asyncio.to_thread(devserver_hass.skip_wizard_extras, process.config_dir)
        started.append(process)
        await process.start()
        return process

    try:
        yield start
    finally:
        for process in started:
            await process.stop()


@pytest.fixture
async def live_hass(start_hass: StartHass) -> HassProcess:
    """`hass` with the project's integration linked in; stopped after the test."""
    return await start_hass()


@pytest.fixture
async def http(socket_enabled: None) -> AsyncIterator[aiohttp.ClientSession]:
    """A plain HTTP client: the browser's stand-in."""
    async with aiohttp.ClientSession() as session:
        yield session


async def onboarded_owner(http: aiohttp.ClientSession, process: HassProcess) -> HassClient:
    """Wait for hass, onboard it through HA's HTTP API as the owner, wait until it runs."""
    client = HassClient(http, process.url)
    await client.wait_until_up(STARTUP_TIMEOUT, process.child)
    await client.create_owner(*OWNER)
    await client.finish_onboarding()
    await client.wait_until_running(STARTUP_TIMEOUT)
    return client


@pytest.fixture
async def ha(live_hass: HassProcess, http: aiohttp.ClientSession) -> AsyncIterator[HassClient]:
    """The owner of the live hass, signed in."""
    client = await onboarded_owner(http, live_hass)
    try:
        yield client
    finally:
        await client.close()


async def approve_on_consent_page(
    http: aiohttp.ClientSession, authorize_url: str, sim: SpotifySimulator
) -> str:
    """Open the authorize URL like a browser, press Agree; the redirect it answers with."""
    async with http.get(authorize_url, allow_redirects=False) as page:
        assert page.status == 200
        html = await page.text()
    assert f"Authorize {sim.DEFAULT_CLIENT_ID}" in html
    found = re.search(r"name='txn' value='([^']+)'", html)
    assert found is not None, html
    async with http.post(
        f"{sim.accounts_url}/authorize",
        data={"txn": found.group(1), "decision": "approve"},
        allow_redirects=False,
    ) as decided:
        assert decided.status == 302
        return decided.headers["Location"]


def query_of(url: str) -> dict[str, str]:
    """A URL's query as a dict (single values)."""
    return dict(parse_qsl(urlsplit(url).query))


async def wait_for(
    what: str, read: Callable[[], Awaitable[Any]], ok: Callable[[Any], bool], within: float = 20
) -> Any:
    """Read until `ok(value)`; the value (or TimeoutError naming `what` and the last value)."""
    last: list[Any] = [None]

    async def check() -> bool:
        last[0] = await read()
        return ok(last[0])

    try:
        await poll_until(check, within, what)
    except TimeoutError as err:
        raise TimeoutError(f"{err}; last value: {last[0]!r}") from None
    return last[0]
